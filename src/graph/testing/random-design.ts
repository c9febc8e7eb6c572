/**
 * Test support: seeded random valid designs for differential tests (every layer kind, branches, Add and
 * Concatenate merges, several inputs, image and vector inputs, explicit pads, dilation, groups, depth
 * multipliers, transposed convs, Reshape with -1…). Pure TypeScript on the seeded Rng, so a seed always
 * gives the same design on every machine. Invalid designs are built from these in random-invalid-case.ts.
 */
import {
  elementCount,
  inferNode,
  FORMAT_VERSION,
  type Design,
  type DesignEdge,
  type DesignNode,
  type LayerKind,
  type ParamValue,
} from '../index.ts';
import { Rng } from './rng.ts';

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

/**
 * A pooling layer's parameters: TensorFlow's paddings, or PyTorch's explicit pads (each below the window,
 * even or not, above half the window or not) with ceil mode, and for an average count_include_pad.
 */
export function randomPoolParams(rng: Rng, kind: 'MaxPool2D' | 'AvgPool2D'): Params {
  const pool_size = pair(rng, 1, 4);
  const base = { pool_size, strides: pair(rng, 1, 3) };
  const padding = rng.weighted({ valid: 2, same: 2, explicit: 2 });
  if (padding === 'same') return { ...base, padding };
  const side = (k: number) => rng.int(0, k - 1);
  const even = rng.bool(0.5);
  const [top, left] = [side(pool_size[0]), side(pool_size[1])];
  const pads = even ? [top, top, left, left] : [top, side(pool_size[0]), left, side(pool_size[1])];
  return {
    ...base,
    padding,
    ...(padding === 'explicit' ? { pads } : {}),
    ceil_mode: rng.bool(0.4),
    ...(kind === 'AvgPool2D' ? { count_include_pad: rng.bool(0.5) } : {}),
  };
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
      return { kind, params: randomPoolParams(rng, kind) };
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
    return { format: 'netcanvas', version: FORMAT_VERSION, name, nodes: [...this.nodes], edges: [...this.edges] };
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
