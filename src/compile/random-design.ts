/**
 * Seeded random designs for differential tests: valid ones (every layer kind, branches, Add and
 * Concatenate merges, several inputs, image and vector inputs, explicit pads, dilation, groups, depth
 * multipliers, transposed convs, Reshape with -1…) and invalid ones (a valid design with one mutation
 * that is wrong by construction). Pure TypeScript with its own PRNG, so a seed always gives the same
 * design on every machine.
 */
import {
  elementCount,
  inferNode,
  inferShapes,
  LAYER_KINDS,
  LAYERS,
  type Design,
  type DesignEdge,
  type DesignNode,
  type LayerKind,
  type ParamValue,
} from '../graph/index.ts';

/** mulberry32: a 32-bit-state PRNG, small and good enough to spread test cases. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.next() * entries.reduce((a, [, w]) => a + w, 0);
    for (const [k, w] of entries) if ((r -= w) < 0) return k;
    return entries[entries.length - 1][0];
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}

/** Limits that keep one generated model cheap to build in tfjs (hundreds of them run in one test). */
const MAX_SPATIAL = 40;
const MAX_VALUES = 20_000;
const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'gelu', 'sigmoid', 'tanh', 'softmax', 'swish'] as const;
const ACTIVATION_LAYER = ['relu', 'relu6', 'leaky_relu', 'elu', 'gelu', 'sigmoid', 'tanh', 'softmax', 'swish'] as const;
/** Ids people type: spaces, slashes, accents, leading symbols. Compile must turn them into valid names. */
const ODD_IDS = ['conv 1', 'a/b', 'ünïcode', '_under', '-dash', '7seven', 'x.y', 'same name', 'same_name', 'tab\there'];

type Shape = readonly number[];
interface Tensor {
  readonly id: string;
  readonly shape: Shape;
}
type Params = Record<string, ParamValue>;
interface Op {
  readonly kind: LayerKind;
  readonly params: Params;
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

const pair = (rng: Rng, lo: number, hi: number, square = 0.7): number[] => {
  const a = rng.int(lo, hi);
  return rng.bool(square) ? [a, a] : [a, rng.int(lo, hi)];
};

/** Parameters for a windowed layer's stride/dilation pair: TensorFlow.js cannot have both above 1. */
function stridesAndDilation(rng: Rng): { strides: number[]; dilation_rate: number[] } {
  if (rng.bool(0.25)) return { strides: [1, 1], dilation_rate: pair(rng, 1, 3) };
  return { strides: pair(rng, 1, 3), dilation_rate: [1, 1] };
}

function convPadding(rng: Rng): Params {
  const padding = rng.weighted({ valid: 2, same: 2, explicit: 1 });
  return padding === 'explicit'
    ? { padding, pads: [rng.int(0, 3), rng.int(0, 3), rng.int(0, 3), rng.int(0, 3)] }
    : { padding };
}

/** A random target_shape for `n` values: with or without one -1, rank 1 to 3. */
function reshapeTarget(rng: Rng, n: number): number[] {
  const ds = divisors(n).filter((d) => d <= MAX_SPATIAL);
  const a = rng.pick(ds);
  const rest = n / a;
  const bs = divisors(rest).filter((d) => d <= MAX_SPATIAL);
  const b = rng.pick(bs);
  switch (rng.int(0, 6)) {
    case 0:
      return [-1];
    case 1:
      return [n];
    case 2:
      return [a, -1];
    case 3:
      return [-1, a];
    case 4:
      return [a, b, -1];
    case 5:
      return [a, -1, b];
    default:
      return [a, b, rest / b];
  }
}

/** A random single-input layer that plausibly accepts `x` (inference has the last word). */
function randomUnary(rng: Rng, x: Shape): Op {
  const n = x.reduce((p, d) => p * d, 1);
  const c = x[x.length - 1];
  const kind: LayerKind =
    x.length === 3
      ? rng.weighted<LayerKind>({
          Conv2D: 5,
          DepthwiseConv2D: 2,
          SeparableConv2D: 1.5,
          Conv2DTranspose: 1.5,
          MaxPool2D: 1.5,
          AvgPool2D: 1.5,
          GlobalAvgPool2D: 0.6,
          GlobalMaxPool2D: 0.6,
          Flatten: 0.8,
          Dense: 0.4,
          Dropout: 0.8,
          BatchNorm: 1.5,
          LayerNormalization: 1,
          Activation: 1.5,
          ZeroPadding2D: 1,
          UpSampling2D: 1,
          Reshape: 0.7,
        })
      : rng.weighted<LayerKind>({
          Dense: 4,
          Dropout: 1,
          BatchNorm: 1,
          LayerNormalization: 1,
          Activation: 1.5,
          Reshape: 1.5,
          Flatten: x.length === 1 ? 0.3 : 1,
        });
  switch (kind) {
    case 'Conv2D': {
      const groupOptions = divisors(c).filter((g) => g > 1 && g <= 8);
      const groups = groupOptions.length > 0 && rng.bool(0.3) ? rng.pick(groupOptions) : 1;
      return {
        kind,
        params: {
          filters: groups > 1 ? groups * rng.int(1, 3) : rng.int(1, 12),
          kernel_size: pair(rng, 1, 5),
          ...stridesAndDilation(rng),
          ...convPadding(rng),
          ...(groups > 1 || rng.bool(0.1) ? { groups } : {}),
          use_bias: rng.bool(0.8),
          activation: rng.pick(ACTIVATIONS),
        },
      };
    }
    case 'DepthwiseConv2D':
      return {
        kind,
        params: {
          kernel_size: pair(rng, 1, 5),
          ...stridesAndDilation(rng),
          ...convPadding(rng),
          depth_multiplier: rng.pick([1, 1, 1, 2, 3]),
          use_bias: rng.bool(0.7),
          activation: rng.pick(ACTIVATIONS),
        },
      };
    case 'SeparableConv2D':
      return {
        kind,
        params: {
          filters: rng.int(1, 12),
          kernel_size: pair(rng, 1, 5),
          ...stridesAndDilation(rng),
          ...convPadding(rng),
          depth_multiplier: rng.pick([1, 1, 2, 3]),
          use_bias: rng.bool(0.8),
          activation: rng.pick(ACTIVATIONS),
        },
      };
    case 'Conv2DTranspose':
      return {
        kind,
        params: {
          filters: rng.int(1, 8),
          kernel_size: pair(rng, 1, 4),
          strides: pair(rng, 1, 3),
          padding: rng.pick(['valid', 'same']),
          use_bias: rng.bool(0.8),
          activation: rng.pick(ACTIVATIONS),
        },
      };
    case 'MaxPool2D':
    case 'AvgPool2D':
      return { kind, params: { pool_size: pair(rng, 1, 4), strides: pair(rng, 1, 3), padding: rng.pick(['valid', 'same']) } };
    case 'Dense':
      return { kind, params: { units: rng.int(1, 32), activation: rng.pick(ACTIVATIONS), use_bias: rng.bool(0.85) } };
    case 'Dropout':
      return { kind, params: rng.bool(0.3) ? {} : { rate: Math.round(rng.next() * 90) / 100 } };
    case 'BatchNorm':
      return {
        kind,
        params: { momentum: rng.pick([0.9, 0.99, 0.5]), epsilon: rng.pick([0.001, 1e-5]), center: rng.bool(0.8), scale: rng.bool(0.8) },
      };
    case 'LayerNormalization':
      return { kind, params: { epsilon: rng.pick([0.001, 1e-5, 0.1]), center: rng.bool(0.8), scale: rng.bool(0.8) } };
    case 'Activation':
      return { kind, params: { activation: rng.pick(ACTIVATION_LAYER), alpha: rng.pick([0.01, 0.2, 0.3]) } };
    case 'ZeroPadding2D':
      return { kind, params: { padding: [rng.int(0, 3), rng.int(0, 3), rng.int(0, 3), rng.int(0, 3)] } };
    case 'UpSampling2D':
      return { kind, params: { size: pair(rng, 1, 3), interpolation: rng.pick(['nearest', 'bilinear']) } };
    case 'Reshape':
      return { kind, params: { target_shape: reshapeTarget(rng, n) } };
    default:
      return { kind, params: {} };
  }
}

/** A layer that keeps `x`'s shape, so its output can be added back to `x` (a residual branch). */
function samePreserving(rng: Rng, x: Shape): Op {
  const c = x[x.length - 1];
  const choice = x.length === 3 ? rng.int(0, 5) : rng.int(2, 5);
  switch (choice) {
    case 0:
      return { kind: 'Conv2D', params: { filters: c, kernel_size: pair(rng, 1, 3), padding: 'same', activation: rng.pick(ACTIVATIONS) } };
    case 1:
      return { kind: 'DepthwiseConv2D', params: { kernel_size: pair(rng, 1, 3), padding: 'same', ...stridesAndDilation(rng), strides: [1, 1] } };
    case 2:
      return { kind: 'BatchNorm', params: {} };
    case 3:
      return { kind: 'Activation', params: { activation: rng.pick(ACTIVATION_LAYER) } };
    case 4:
      return { kind: 'Dropout', params: { rate: 0.25 } };
    default:
      return { kind: 'Dense', params: { units: c } };
  }
}

/** A layer that keeps all but the last axis of `x` and changes its channels (a Concatenate branch). */
function channelChanging(rng: Rng, x: Shape): Op {
  if (x.length === 3) {
    return rng.bool(0.7)
      ? { kind: 'Conv2D', params: { filters: rng.int(1, 10), kernel_size: pair(rng, 1, 3), padding: 'same' } }
      : { kind: 'DepthwiseConv2D', params: { depth_multiplier: rng.int(1, 3), padding: 'same' } };
  }
  return { kind: 'Dense', params: { units: rng.int(1, 24) } };
}

class Generator {
  readonly nodes: DesignNode[] = [];
  readonly edges: DesignEdge[] = [];
  readonly live: Tensor[] = [];
  private readonly ids = new Set<string>();
  private readonly consumed = new Set<string>();
  private counter = 0;

  constructor(private readonly rng: Rng) {}

  private newId(kind: LayerKind): string {
    const rng = this.rng;
    const last = this.nodes[this.nodes.length - 1];
    // A node named like the previous node's helper layer ("conv3__pad") must not collide in tfjs.
    let base =
      last && last.params.padding === 'explicit' && rng.bool(0.3)
        ? `${last.id}__pad`
        : rng.bool(0.12)
          ? rng.pick(ODD_IDS)
          : `${kind.toLowerCase()}${this.counter}`;
    this.counter++;
    for (let i = 1; this.ids.has(base); i++) base = `${base}_${i}`;
    this.ids.add(base);
    return base;
  }

  /** Adds the layer if inference accepts it within the size limits; returns its output, else null. */
  tryAdd(op: Op, inputs: readonly Tensor[]): Tensor | null {
    const node: DesignNode = {
      id: '?',
      kind: op.kind,
      params: op.params,
      position: { x: this.rng.int(0, 1200), y: this.nodes.length * 100 },
    };
    const result = inferNode(node, inputs.map((t) => t.shape));
    const shape = result.outputShape;
    if (!shape || result.issues.some((i) => i.severity === 'error')) return null;
    if (shape.some((d) => d === null) || elementCount(shape)! > MAX_VALUES) return null;
    if (shape.length === 3 && (shape[0]! > MAX_SPATIAL || shape[1]! > MAX_SPATIAL)) return null;
    const id = this.newId(op.kind);
    this.nodes.push({ ...node, id, ...(this.rng.bool(0.1) ? { label: `${op.kind} #${this.counter}` } : {}) });
    const incoming = inputs.map((t, slot): DesignEdge => ({
      id: `e${this.edges.length}_${slot}`,
      source: t.id,
      target: id,
      ...(inputs.length > 1 ? { targetSlot: slot } : {}),
    }));
    // Merge edges are stored out of slot order now and then: slots, not file order, decide the order.
    this.edges.push(...(inputs.length > 1 && this.rng.bool(0.5) ? this.rng.shuffle(incoming) : incoming));
    for (const t of inputs) this.consumed.add(t.id);
    const out = { id, shape: shape as Shape };
    this.live.push(out);
    return out;
  }

  addInput(shape: Shape): Tensor {
    return this.tryAdd({ kind: 'Input', params: { shape: [...shape] } }, [])!;
  }

  /** Prefers the frontier (tensors nothing consumes yet), sometimes branches off an earlier one. */
  pickTensor(filter: (t: Tensor) => boolean = () => true): Tensor | null {
    const all = this.live.filter(filter);
    if (all.length === 0) return null;
    const frontier = all.filter((t) => !this.consumed.has(t.id));
    return this.rng.pick(frontier.length > 0 && this.rng.bool(0.7) ? frontier : all);
  }

  unary(): void {
    const x = this.pickTensor();
    if (!x) return;
    for (let tries = 0; tries < 8; tries++) if (this.tryAdd(randomUnary(this.rng, x.shape), [x])) return;
  }

  addMerge(): void {
    const rng = this.rng;
    const key = (s: Shape) => s.join('x');
    const groups = new Map<string, Tensor[]>();
    for (const t of this.live) groups.set(key(t.shape), [...(groups.get(key(t.shape)) ?? []), t]);
    const ready = [...groups.values()].filter((g) => g.length >= 2);
    let operands: Tensor[];
    if (ready.length > 0 && rng.bool(0.6)) {
      operands = rng.shuffle(rng.pick(ready)).slice(0, rng.int(2, 3));
    } else {
      const x = this.pickTensor();
      if (!x) return;
      // Add(x, x): the same tensor twice is legal and a corner case of slot handling.
      if (rng.bool(0.08)) operands = [x, x];
      else {
        const branch = this.tryAdd(samePreserving(rng, x.shape), [x]);
        if (!branch) return;
        operands = rng.bool(0.5) ? [x, branch] : [branch, x];
      }
    }
    this.tryAdd({ kind: 'Add', params: {} }, operands);
  }

  concatenate(): void {
    const rng = this.rng;
    const lead = (s: Shape) => `${s.length}:${s.slice(0, -1).join('x')}`;
    const groups = new Map<string, Tensor[]>();
    for (const t of this.live) groups.set(lead(t.shape), [...(groups.get(lead(t.shape)) ?? []), t]);
    const ready = [...groups.values()].filter((g) => g.length >= 2);
    let operands: Tensor[];
    if (ready.length > 0 && rng.bool(0.6)) {
      operands = rng.shuffle(rng.pick(ready)).slice(0, rng.int(2, 3));
    } else {
      const x = this.pickTensor();
      if (!x) return;
      const branches: Tensor[] = [];
      for (let i = rng.int(1, 2); i > 0; i--) {
        const b = this.tryAdd(channelChanging(rng, x.shape), [x]);
        if (b) branches.push(b);
      }
      if (branches.length === 0) return;
      operands = rng.shuffle([x, ...branches]);
    }
    this.tryAdd({ kind: 'Concatenate', params: {} }, operands);
  }

  design(name: string): Design {
    return { format: 'netcanvas', version: 1, name, nodes: [...this.nodes], edges: [...this.edges] };
  }
}

function randomInputShape(rng: Rng): Shape {
  if (rng.bool(0.25)) return [rng.pick([1, 2, 3, 7, 10, 16, 24, 32, 64])];
  const h = rng.pick([1, 2, 3, 4, 5, 7, 8, 9, 12, 14, 16, 28, 32]);
  const w = rng.bool(0.7) ? h : rng.pick([1, 3, 6, 8, 11, 16, 32]);
  return [h, w, rng.pick([1, 1, 2, 3, 4, 6, 8])];
}

/** One valid random design. Same seed, same design. */
export function randomValidDesign(seed: number): Design {
  const rng = new Rng(seed);
  const g = new Generator(rng);
  const inputCount = rng.pick([1, 1, 1, 1, 1, 1, 1, 2, 2, 3]);
  const first = randomInputShape(rng);
  for (let i = 0; i < inputCount; i++) g.addInput(i > 0 && rng.bool(0.5) ? first : randomInputShape(rng));
  const steps = rng.int(2, 16);
  for (let s = 0; s < steps; s++) {
    const what = rng.weighted({ unary: 7, add: 1.5, concat: 1.2 });
    if (what === 'unary') g.unary();
    else if (what === 'add') g.addMerge();
    else g.concatenate();
  }
  return g.design(`random-${seed}`);
}

/** An invalid design: the document (not necessarily a Design) and what is wrong with it. */
export interface InvalidCase {
  readonly mutation: string;
  readonly doc: unknown;
  /**
   * 'infer': the file is well formed and parseDesign accepts it; inference must report the error.
   * 'parse': parseDesign must reject it. `inferable` marks documents still shaped like a Design
   * (nodes and edges arrays), on which inferShapes must not throw either.
   */
  readonly stage: 'parse' | 'infer';
  readonly inferable: boolean;
  /** inferShapes on the raw document must report an error too (bad params, unknown kinds, cycles). */
  readonly inferReports: boolean;
}

type Doc = { format: unknown; version: unknown; name: unknown; nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] };

interface Mutation {
  readonly name: string;
  readonly stage: 'parse' | 'infer';
  readonly inferable?: boolean;
  readonly inferReports?: boolean;
  /** Changes `doc` in place; returns false when this base design offers nothing to mutate. */
  apply(doc: Doc, rng: Rng, info: Info): boolean;
}

interface Info {
  readonly shapes: ReadonlyMap<string, Shape>;
  readonly images: string[];
  readonly vectors: string[];
  readonly nonInputs: string[];
}

let mutantCounter = 0;
const fresh = (stem: string) => `${stem}_mut${mutantCounter++}`;

function addNode(doc: Doc, kind: string, params: Record<string, unknown>, inputs: string[]): string {
  const id = fresh(kind.toLowerCase() || 'node');
  doc.nodes.push({ id, kind, params, position: { x: 0, y: 0 } });
  inputs.forEach((source, slot) =>
    doc.edges.push({ id: fresh('edge'), source, target: id, ...(inputs.length > 1 ? { targetSlot: slot } : {}) }),
  );
  return id;
}

/** A node of a given kind to spoil a parameter of: added fresh on an image, so the base stays valid. */
function paramTarget(doc: Doc, rng: Rng, info: Info, kind: string): Record<string, unknown> | null {
  const src = kind === 'Input' ? null : info.images.length > 0 ? rng.pick(info.images) : null;
  if (kind !== 'Input' && src === null) return null;
  addNode(doc, kind, {}, src ? [src] : []);
  return doc.nodes[doc.nodes.length - 1].params as Record<string, unknown>;
}

/** Kinds that take only an image (H×W×C), as their specs declare. */
const IMAGE_KINDS = LAYER_KINDS.filter((kind) => LAYERS[kind].accepts === 'image' && LAYERS[kind].inputs.min > 0);

/** Parameter values that are wrong for their schema, one mutation each. */
const BAD_PARAMS: readonly [kind: string, param: string, value: unknown, why: string][] = [
  ['Conv2D', 'filters', '8', 'string for a number'],
  ['Conv2D', 'filters', 0, 'zero filters'],
  ['Conv2D', 'filters', -3, 'negative filters'],
  ['Conv2D', 'filters', 1e9, 'absurd filter count'],
  ['Conv2D', 'filters', Number.NaN, 'NaN filters'],
  ['Conv2D', 'filters', 2.5, 'fractional filters'],
  ['Conv2D', 'kernel_size', '3x3', 'string kernel'],
  ['Conv2D', 'kernel_size', [3, 3, 3], 'three-element kernel'],
  ['Conv2D', 'kernel_size', [0, 3], 'zero kernel'],
  ['Conv2D', 'kernel_size', [3, Number.POSITIVE_INFINITY], 'infinite kernel'],
  ['Conv2D', 'kernel_size', [2.5, 3], 'fractional kernel'],
  ['Conv2D', 'strides', [0, 1], 'zero stride'],
  ['Conv2D', 'padding', 'full', 'unknown padding'],
  ['Conv2D', 'pads', [1, -1, 0, 0], 'negative pad'],
  ['Conv2D', 'groups', 0, 'zero groups'],
  ['Conv2D', 'use_bias', 'yes', 'string for a boolean'],
  ['Conv2D', 'activation', 'mish', 'unknown activation'],
  ['Conv2D', 'activation', 3, 'number for a choice'],
  ['Conv2D', 'filterz', 8, 'unknown parameter'],
  ['DepthwiseConv2D', 'depth_multiplier', 0, 'zero depth multiplier'],
  ['Conv2DTranspose', 'padding', 'explicit', 'explicit padding on a transposed conv'],
  ['MaxPool2D', 'pool_size', [2], 'one-element pool size'],
  ['AvgPool2D', 'strides', null, 'null strides'],
  ['Dense', 'units', 1e12, 'absurd units'],
  ['Dense', 'units', [10], 'list for a number'],
  ['Dropout', 'rate', 1, 'dropout rate of 1'],
  ['Dropout', 'rate', Number.NaN, 'NaN rate'],
  ['Dropout', 'rate', -0.5, 'negative rate'],
  ['BatchNorm', 'momentum', 2, 'momentum above 1'],
  ['BatchNorm', 'center', 1, 'number for a boolean'],
  ['Activation', 'activation', 'LeakyReLU', 'class name for an activation'],
  ['ZeroPadding2D', 'padding', [1, 1], 'two pads instead of four'],
  ['UpSampling2D', 'interpolation', 'bicubic', 'unknown interpolation'],
  ['UpSampling2D', 'size', [0, 2], 'zero upsampling'],
  ['Reshape', 'target_shape', [], 'empty target shape'],
  ['Reshape', 'target_shape', [-2, 4], 'negative target dim'],
  ['Input', 'shape', [28, null, 1], 'unknown input dim'],
  ['Input', 'shape', [28, 28, 1, 1], 'rank-4 input'],
  ['Input', 'shape', [0, 28, 1], 'zero-sized input'],
  ['Input', 'shape', [1e6, 1e6, 3], 'absurd input size'],
  ['Input', 'shape', 'big', 'string shape'],
];

const MUTATIONS: readonly Mutation[] = [
  // Inference must catch these: the file itself is well formed.
  {
    name: 'kernel larger than its input',
    stage: 'infer',
    apply(doc, rng, info) {
      if (info.images.length === 0) return false;
      const src = rng.pick(info.images);
      const [h, w] = info.shapes.get(src)!;
      const k = rng.bool() ? [h + rng.int(1, 3), 1] : [1, w + rng.int(1, 3)];
      const kind = rng.pick(['Conv2D', 'DepthwiseConv2D', 'MaxPool2D', 'AvgPool2D']);
      addNode(doc, kind, kind.endsWith('Pool2D') ? { pool_size: k, strides: [1, 1] } : { kernel_size: k, padding: 'valid' }, [src]);
      return true;
    },
  },
  {
    name: 'dilated kernel larger than its input',
    stage: 'infer',
    apply(doc, rng, info) {
      if (info.images.length === 0) return false;
      const src = rng.pick(info.images);
      const [h] = info.shapes.get(src)!;
      addNode(doc, 'Conv2D', { kernel_size: [2, 1], dilation_rate: [h, 1] }, [src]);
      return true;
    },
  },
  {
    name: 'Add of different shapes',
    stage: 'infer',
    apply(doc, rng, info) {
      const src = rng.pick([...info.shapes.keys()]);
      const s = info.shapes.get(src)!;
      const other =
        s.length === 3
          ? addNode(doc, 'Conv2D', { filters: s[2] + 1, padding: 'same' }, [src])
          : addNode(doc, 'Dense', { units: s[s.length - 1] + 1 }, [src]);
      addNode(doc, 'Add', {}, rng.bool() ? [src, other] : [other, src]);
      return true;
    },
  },
  {
    name: 'Add of an image and a vector',
    stage: 'infer',
    apply(doc, rng, info) {
      if (info.images.length === 0 || info.vectors.length === 0) return false;
      addNode(doc, 'Add', {}, [rng.pick(info.images), rng.pick(info.vectors)]);
      return true;
    },
  },
  {
    name: 'Concatenate of different spatial sizes',
    stage: 'infer',
    apply(doc, rng, info) {
      const big = info.images.filter((id) => info.shapes.get(id)![0] >= 2);
      if (big.length === 0) return false;
      const src = rng.pick(big);
      const pooled = addNode(doc, 'MaxPool2D', { pool_size: [2, 2], strides: [2, 2], padding: 'same' }, [src]);
      addNode(doc, 'Concatenate', {}, [src, pooled]);
      return true;
    },
  },
  {
    name: 'Concatenate of different ranks',
    stage: 'infer',
    apply(doc, rng, info) {
      if (info.images.length === 0 || info.vectors.length === 0) return false;
      addNode(doc, 'Concatenate', {}, [rng.pick(info.vectors), rng.pick(info.images)]);
      return true;
    },
  },
  {
    name: 'layer with no input',
    stage: 'infer',
    apply(doc, rng) {
      addNode(doc, rng.pick(['Conv2D', 'Dense', 'Flatten', 'BatchNorm', 'Reshape']), {}, []);
      return true;
    },
  },
  {
    name: 'incoming connections removed',
    stage: 'infer',
    apply(doc, rng, info) {
      const target = rng.pick(info.nonInputs);
      if (!target) return false;
      doc.edges = doc.edges.filter((e) => e.target !== target);
      return true;
    },
  },
  {
    name: 'merge with a single input',
    stage: 'infer',
    apply(doc, rng, info) {
      addNode(doc, rng.pick(['Add', 'Concatenate']), {}, [rng.pick([...info.shapes.keys()])]);
      return true;
    },
  },
  {
    name: 'Input receiving a connection',
    stage: 'infer',
    apply(doc, rng) {
      const inputs = doc.nodes.filter((n) => n.kind === 'Input').map((n) => n.id as string);
      const target = rng.pick(inputs);
      // The source is another Input (never downstream of the target), so no cycle hides the error.
      const others = inputs.filter((id) => id !== target);
      const src = others.length > 0 && rng.bool() ? rng.pick(others) : addNode(doc, 'Input', { shape: [4] }, []);
      doc.edges.push({ id: fresh('edge'), source: src, target });
      return true;
    },
  },
  {
    name: 'single-input layer with two inputs',
    stage: 'infer',
    apply(doc, rng, info) {
      const ids = [...info.shapes.keys()];
      addNode(doc, rng.pick(['Conv2D', 'Dense', 'Dropout', 'Activation']), {}, [rng.pick(ids), rng.pick(ids)]);
      return true;
    },
  },
  {
    name: 'Reshape to a different number of values',
    stage: 'infer',
    apply(doc, rng, info) {
      const src = rng.pick([...info.shapes.keys()]);
      const n = info.shapes.get(src)!.reduce((a, b) => a * b, 1);
      addNode(doc, 'Reshape', { target_shape: rng.bool() ? [n + 1] : [n, 2] }, [src]);
      return true;
    },
  },
  {
    name: 'Reshape with two -1',
    stage: 'infer',
    apply(doc, rng, info) {
      addNode(doc, 'Reshape', { target_shape: [-1, -1] }, [rng.pick([...info.shapes.keys()])]);
      return true;
    },
  },
  {
    name: 'Reshape with -1 that does not divide',
    stage: 'infer',
    apply(doc, rng, info) {
      const src = rng.pick([...info.shapes.keys()]);
      const n = info.shapes.get(src)!.reduce((a, b) => a * b, 1);
      let k = 2;
      while (n % k === 0) k++;
      addNode(doc, 'Reshape', { target_shape: [k, -1] }, [src]);
      return true;
    },
  },
  {
    name: 'groups that do not divide the channels',
    stage: 'infer',
    apply(doc, rng, info) {
      if (info.images.length === 0) return false;
      const src = rng.pick(info.images);
      const c = info.shapes.get(src)![2];
      addNode(doc, 'Conv2D', { groups: c + 1, filters: (c + 1) * 2, padding: 'same' }, [src]);
      return true;
    },
  },
  {
    name: 'filters not divisible by groups',
    stage: 'infer',
    apply(doc, rng, info) {
      const even = info.images.filter((id) => info.shapes.get(id)![2] % 2 === 0);
      if (even.length === 0) return false;
      addNode(doc, 'Conv2D', { groups: 2, filters: 3, padding: 'same' }, [rng.pick(even)]);
      return true;
    },
  },
  {
    name: 'image layer on a vector',
    stage: 'infer',
    apply(doc, rng, info) {
      if (info.vectors.length === 0) return false;
      addNode(doc, rng.pick(IMAGE_KINDS), {}, [rng.pick(info.vectors)]);
      return true;
    },
  },
  {
    name: 'strides and dilation both above 1',
    stage: 'infer',
    apply(doc, rng, info) {
      if (info.images.length === 0) return false;
      const params = { strides: [2, 2], dilation_rate: [2, 2], padding: 'same' };
      addNode(doc, rng.pick(['Conv2D', 'DepthwiseConv2D']), params, [rng.pick(info.images)]);
      return true;
    },
  },
  {
    name: 'no Input node',
    stage: 'infer',
    apply(doc) {
      const inputs = new Set(doc.nodes.filter((n) => n.kind === 'Input').map((n) => n.id));
      // An empty design has nothing wrong with it yet.
      if (inputs.size === doc.nodes.length) return false;
      doc.nodes = doc.nodes.filter((n) => !inputs.has(n.id as string));
      doc.edges = doc.edges.filter((e) => !inputs.has(e.source as string));
      return true;
    },
  },
  {
    name: 'cycle through existing layers',
    stage: 'parse',
    inferable: true,
    inferReports: true,
    apply(doc, rng, info) {
      const candidates = doc.edges.filter((e) => info.nonInputs.includes(e.source as string));
      if (candidates.length === 0) return false;
      const e = rng.pick(candidates);
      doc.edges.push({ id: fresh('back'), source: e.target, target: e.source });
      return true;
    },
  },
  {
    name: 'self-loop',
    stage: 'parse',
    inferable: true,
    inferReports: true,
    apply(doc, rng, info) {
      const id = rng.pick(info.nonInputs);
      if (!id) return false;
      doc.edges.push({ id: fresh('loop'), source: id, target: id });
      return true;
    },
  },
  // The loader must reject these: the document itself is wrong.
  {
    name: 'bad parameter value',
    stage: 'parse',
    inferable: true,
    inferReports: true,
    apply(doc, rng, info) {
      const [kind, param, value] = rng.pick(BAD_PARAMS);
      const params = paramTarget(doc, rng, info, kind);
      if (!params) return false;
      params[param] = value;
      return true;
    },
  },
  {
    name: 'unknown layer kind',
    stage: 'parse',
    inferable: true,
    inferReports: true,
    apply(doc, rng, info) {
      const src = rng.pick([...info.shapes.keys()]);
      addNode(doc, rng.pick(['Conv3D', 'LSTM', 'conv2d', 'Attention', 'toString', '__proto__', 'constructor']), {}, [src]);
      return true;
    },
  },
  {
    name: 'edge to a missing node',
    stage: 'parse',
    inferable: true,
    apply(doc, rng, info) {
      const real = rng.pick([...info.shapes.keys()]);
      const [source, target] = rng.bool() ? [real, 'ghost'] : ['ghost', real];
      doc.edges.push({ id: fresh('edge'), source, target });
      return true;
    },
  },
  {
    name: 'duplicate node id',
    stage: 'parse',
    inferable: true,
    apply(doc, rng) {
      const n = rng.pick(doc.nodes);
      doc.nodes.push({ ...n, position: { x: 1, y: 1 } });
      return true;
    },
  },
  {
    name: 'duplicate edge id',
    stage: 'parse',
    inferable: true,
    apply(doc, rng) {
      if (doc.edges.length === 0) return false;
      const e = rng.pick(doc.edges);
      doc.edges.push({ ...e });
      return true;
    },
  },
  {
    name: 'empty kind or id',
    stage: 'parse',
    apply(doc, rng) {
      const n = rng.pick(doc.nodes);
      if (rng.bool()) n.kind = '';
      else n.id = '';
      return true;
    },
  },
  {
    name: 'position NaN',
    stage: 'parse',
    inferable: true,
    apply(doc, rng) {
      rng.pick(doc.nodes).position = { x: Number.NaN, y: 0 };
      return true;
    },
  },
  {
    name: 'negative or fractional target slot',
    stage: 'parse',
    inferable: true,
    apply(doc, rng) {
      if (doc.edges.length === 0) return false;
      rng.pick(doc.edges).targetSlot = rng.pick([-1, 0.5, '1']);
      return true;
    },
  },
  {
    name: 'params not an object',
    stage: 'parse',
    apply(doc, rng) {
      rng.pick(doc.nodes).params = rng.pick(['filters=8', 42, [1, 2], true]);
      return true;
    },
  },
  {
    name: 'future or malformed version',
    stage: 'parse',
    apply(doc, rng) {
      doc.version = rng.pick([2, 99, '1', 0, 1.5, null]);
      return true;
    },
  },
  {
    name: 'not a NetCanvas file',
    stage: 'parse',
    apply(doc, rng) {
      doc.format = rng.pick(['keras', 'onnx', undefined, 1]);
      return true;
    },
  },
  {
    name: 'nodes or edges not lists',
    stage: 'parse',
    apply(doc, rng) {
      if (rng.bool()) (doc as { nodes: unknown }).nodes = rng.pick([{}, 'conv', null, 3]);
      else (doc as { edges: unknown }).edges = rng.pick([{}, 'a->b', 7]);
      return true;
    },
  },
];

/** Whole documents that are not designs at all (not JSON, not an object), for the loader. */
const NOT_DESIGNS: readonly unknown[] = [
  '{"format": "netcanvas", "version": 1, "nodes": [',
  'null',
  '[]',
  '42',
  '',
  'netcanvas',
  null,
  17,
  [],
  true,
];

function describeShapes(design: Design): Info {
  const inference = inferShapes(design);
  const shapes = new Map<string, Shape>();
  for (const [id, n] of inference.nodes) if (n.outputShape) shapes.set(id, n.outputShape as Shape);
  const ids = [...shapes.keys()];
  return {
    shapes,
    images: ids.filter((id) => shapes.get(id)!.length === 3),
    vectors: ids.filter((id) => shapes.get(id)!.length === 1),
    nonInputs: design.nodes.filter((n) => n.kind !== 'Input').map((n) => n.id),
  };
}

/**
 * One invalid case: a valid random design with one mutation that makes it wrong by construction, or
 * now and then something that is not a design at all. Same seed, same case.
 */
export function randomInvalidCase(seed: number): InvalidCase {
  const rng = new Rng(seed ^ 0x5bd1e995);
  mutantCounter = 0;
  if (rng.bool(0.04)) {
    const doc = rng.pick(NOT_DESIGNS);
    return { mutation: 'not a design', doc, stage: 'parse', inferable: false, inferReports: false };
  }
  for (let attempt = 0; ; attempt++) {
    const base = randomValidDesign(seed * 7919 + attempt);
    const info = describeShapes(base);
    const doc = JSON.parse(JSON.stringify(base)) as Doc;
    const mutation = rng.pick(MUTATIONS);
    if (!mutation.apply(doc, rng, info)) continue;
    return {
      mutation: mutation.name,
      doc: rng.bool(0.2) && mutation.stage === 'parse' && !mutation.inferable ? JSON.stringify(doc) : doc,
      stage: mutation.stage,
      inferable: mutation.inferable ?? mutation.stage === 'infer',
      inferReports: mutation.inferReports ?? mutation.stage === 'infer',
    };
  }
}

/** The names of every mutation, so a test can check that each one was exercised. */
export const MUTATION_NAMES: readonly string[] = [...MUTATIONS.map((m) => m.name), 'not a design'];
