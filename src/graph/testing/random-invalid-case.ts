/**
 * Test support: seeded random invalid designs, each a valid random design (random-design.ts) with one
 * mutation that is wrong by construction, or now and then something that is not a design at all. Same
 * seed, same case, on every machine.
 */
import { inferShapes, LAYER_KINDS, LAYERS, type Design } from '../index.ts';
import { randomValidDesign } from './random-design.ts';
import { Rng } from './rng.ts';

type Shape = readonly number[];

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
