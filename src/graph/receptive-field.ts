/**
 * Receptive fields: which pixels of an image input a node's output positions see.
 *
 * Two views of the same rules (each kind's `field` trait, layer-spec.ts):
 * - `receptiveFields` gives every node, per image input it depends on, the textbook field per axis
 *   (Araujo et al., "Computing Receptive Fields of Convolutional Neural Networks", Distill 2019): its size
 *   r, its jump j (the input distance between neighbouring output positions) and its start (the input
 *   coordinate of the centre of output position 0's field, which padding can put outside the image):
 *   position o sees [start + o·j − (r − 1)/2, start + o·j + (r − 1)/2]. Unclipped and independent of the
 *   image size, so the inspector can write it out as arithmetic.
 * - `fieldBox` follows one output position back through the graph, position by position, and gives the
 *   bounding box of the input pixels it really reads: clipped to the image, without the taps that fall on
 *   padding, exact for up-sampling and transposed convolutions. This is what gradients measure.
 *
 * Pure; reads the inference (resolved params, shapes) and never resolves parameters again.
 */
import type { FieldSpread, SizeStep, Window } from './layer-spec.ts';
import { isLayerKind, layerSpec } from './layers/index.ts';
import { windowPads } from './layers/shared/common.ts';
import type { DesignInference, NodeInference } from './infer.ts';
import { buildTopology } from './topology.ts';
import type { Design, Shape } from './types.ts';

/** The field along one axis, in input pixels. */
export interface AxisField {
  readonly size: number;
  readonly jump: number;
  readonly start: number;
}

export type NodeField =
  /** A sliding field: one AxisField for height, one for width. */
  | { readonly kind: 'local'; readonly axes: readonly [AxisField, AxisField] }
  /** Every output value mixes every position it can reach (after Flatten, global pooling, Reshape). */
  | { readonly kind: 'whole' }
  /** Paths whose jumps differ meet here: the field's size and centre vary with the position. */
  | { readonly kind: 'irregular' };

/** Node id → (image input id → the node's field on that input). Nodes that see no image input map to an empty map. */
export type ReceptiveFields = ReadonlyMap<string, ReadonlyMap<string, NodeField>>;

/** One spatial step of a node: a sliding window or a spread (layer-spec.ts), with its padding side already resolved. */
export type FieldStep =
  | { readonly op: 'window'; readonly kernel: number; readonly stride: number; readonly dilation: number; readonly before: number }
  | ({ readonly op: 'spread' } & FieldSpread);

const ORIGIN: AxisField = { size: 1, jump: 1, start: 0 };

function isImage(shape: Shape | null | undefined): shape is readonly [number, number, number | null] {
  return !!shape && shape.length === 3 && shape[0] !== null && shape[1] !== null;
}

/**
 * The spatial steps of a node whose rule moves positions, per axis; 'pointwise' or 'whole' otherwise;
 * null when its parameters or input are unknown.
 */
export function fieldSteps(inf: NodeInference): readonly [FieldStep, FieldStep] | 'pointwise' | 'whole' | null {
  if (!isLayerKind(inf.kind) || !inf.paramsValid) return null;
  const spec = layerSpec(inf.kind);
  const rule = spec.field;
  if (rule === 'pointwise' || rule === 'whole') return rule;
  const x = inf.inputShapes[0];
  if (!isImage(x)) return null;
  if (rule === 'window') {
    const w: Window = spec.window!(inf.params);
    const pads = windowPads(x, w);
    if (!pads) return null;
    const axis = (a: 0 | 1): FieldStep => ({ op: 'window', kernel: w.kernel[a], stride: w.strides[a], dilation: w.dilation[a], before: pads[a * 2] });
    return [axis(0), axis(1)];
  }
  const [h, w] = rule.spread(inf.params, x);
  return [
    { op: 'spread', ...h },
    { op: 'spread', ...w },
  ];
}

/** Output position 0 of a spread reads input positions m with m·s in [before − k + 1, before]: their first and last. */
function spreadReads(step: FieldSpread): readonly [number, number] {
  return [Math.ceil((step.before - step.kernel + 1) / step.stride), Math.floor(step.before / step.stride)];
}

/** The textbook recurrence through one step (see the module comment). */
export function stepField(f: AxisField, step: FieldStep): AxisField {
  if (step.op === 'window') {
    const span = (step.kernel - 1) * step.dilation;
    return { size: f.size + span * f.jump, jump: f.jump * step.stride, start: f.start + (span / 2 - step.before) * f.jump };
  }
  // The widest output position reads ⌈k/s⌉ input positions; output position 0 reads those spreadReads gives.
  const [lo, hi] = spreadReads(step);
  return {
    size: f.size + (Math.ceil(step.kernel / step.stride) - 1) * f.jump,
    jump: f.jump / step.stride,
    start: f.start + ((lo + hi) / 2) * f.jump,
  };
}

/** The smallest field holding both (a merge of two paths from the same input); irregular when their jumps differ. */
export function unionField(a: NodeField, b: NodeField): NodeField {
  if (a.kind === 'whole' || b.kind === 'whole') return { kind: 'whole' };
  if (a.kind === 'irregular' || b.kind === 'irregular') return { kind: 'irregular' };
  const axes = [0, 1].map((i) => unionAxis(a.axes[i], b.axes[i]));
  if (axes.some((f) => f === null)) return { kind: 'irregular' };
  return { kind: 'local', axes: axes as [AxisField, AxisField] };
}

function unionAxis(a: AxisField, b: AxisField): AxisField | null {
  if (a.jump !== b.jump) return null;
  const lo = Math.min(a.start - (a.size - 1) / 2, b.start - (b.size - 1) / 2);
  const hi = Math.max(a.start + (a.size - 1) / 2, b.start + (b.size - 1) / 2);
  return { size: hi - lo + 1, jump: a.jump, start: (lo + hi) / 2 };
}

function throughNode(field: NodeField, steps: ReturnType<typeof fieldSteps>, outputIsImage: boolean): NodeField | null {
  if (steps === null) return null;
  if (field.kind !== 'local') return field;
  if (steps === 'whole' || !outputIsImage) return { kind: 'whole' };
  if (steps === 'pointwise') return field;
  return { kind: 'local', axes: [stepField(field.axes[0], steps[0]), stepField(field.axes[1], steps[1])] };
}

/**
 * The field of every node on every image input it depends on, through branches (the union of the paths
 * from the same input). A node without an output shape gets none.
 */
export function receptiveFields(design: Design, inference: DesignInference): ReceptiveFields {
  const { inputsOf } = buildTopology(design);
  const out = new Map<string, Map<string, NodeField>>();
  for (const id of inference.order) {
    const inf = inference.nodes.get(id);
    const fields = new Map<string, NodeField>();
    out.set(id, fields);
    if (!inf || inf.outputShape === null) continue;
    const srcs = inputsOf.get(id) ?? [];
    if (srcs.length === 0) {
      if (isImage(inf.outputShape)) fields.set(id, { kind: 'local', axes: [ORIGIN, ORIGIN] });
      continue;
    }
    const steps = fieldSteps(inf);
    for (const src of srcs) {
      for (const [input, field] of out.get(src) ?? []) {
        const next = throughNode(field, steps, isImage(inf.outputShape));
        if (next === null) continue;
        const known = fields.get(input);
        fields.set(input, known ? unionField(known, next) : next);
      }
    }
  }
  return out;
}

/** Inclusive pixel ranges of an image input: rows (height) and columns (width). */
export interface FieldBox {
  readonly rows: readonly [number, number];
  readonly cols: readonly [number, number];
}

/** Which positions of a node an output position depends on: per-axis sets for an image, or all of a tensor of other rank. */
type Reach = { readonly rows: Set<number>; readonly cols: Set<number> } | 'all';

function range(n: number): Set<number> {
  return new Set(Array.from({ length: n }, (_, i) => i));
}

/** The input positions, within [0, n), that output positions `outs` read through one step. */
function readsOf(outs: ReadonlySet<number>, step: FieldStep, n: number): Set<number> {
  const reads = new Set<number>();
  for (const o of outs) {
    for (let t = 0; t < step.kernel; t++) {
      let m: number;
      if (step.op === 'window') m = o * step.stride - step.before + t * step.dilation;
      else {
        const v = o + step.before - t;
        if (((v % step.stride) + step.stride) % step.stride !== 0) continue;
        m = v / step.stride;
      }
      if (m >= 0 && m < n) reads.add(m);
    }
  }
  return reads;
}

function reachInput(reach: Reach, steps: ReturnType<typeof fieldSteps>, input: Shape | null): Reach | null {
  if (steps === null || input === null) return null;
  if (!isImage(input)) return 'all';
  if (reach === 'all' || steps === 'whole') return { rows: range(input[0]), cols: range(input[1]) };
  if (steps === 'pointwise') return reach;
  return { rows: readsOf(reach.rows, steps[0], input[0]), cols: readsOf(reach.cols, steps[1], input[1]) };
}

function mergeReach(a: Reach | undefined, b: Reach): Reach {
  if (!a) return b;
  if (a === 'all' || b === 'all') return 'all';
  return { rows: new Set([...a.rows, ...b.rows]), cols: new Set([...a.cols, ...b.cols]) };
}

/**
 * The bounding box of the input pixels that output position [row, col] of a node reads, per image input
 * (absent for an input it reads nothing of). For a node whose output is not an image, the pixels its whole
 * output reads. Per axis the reach is followed exactly; where paths meet the box is the hull of theirs.
 */
export function fieldBox(design: Design, inference: DesignInference, nodeId: string, position: readonly [number, number]): Map<string, FieldBox> {
  const { inputsOf } = buildTopology(design);
  const target = inference.nodes.get(nodeId);
  const reach = new Map<string, Reach>();
  if (!target?.outputShape) return new Map();
  reach.set(nodeId, isImage(target.outputShape) ? { rows: new Set([position[0]]), cols: new Set([position[1]]) } : 'all');
  const boxes = new Map<string, FieldBox>();
  for (const id of [...inference.order].reverse()) {
    const r = reach.get(id);
    const inf = inference.nodes.get(id);
    if (!r || !inf) continue;
    const srcs = inputsOf.get(id) ?? [];
    if (srcs.length === 0 && r !== 'all' && r.rows.size > 0 && r.cols.size > 0) {
      boxes.set(id, { rows: [Math.min(...r.rows), Math.max(...r.rows)], cols: [Math.min(...r.cols), Math.max(...r.cols)] });
    }
    const steps = fieldSteps(inf);
    srcs.forEach((src, slot) => {
      const next = reachInput(r, steps, inf.inputShapes[slot] ?? null);
      if (next) reach.set(src, mergeReach(reach.get(src), next));
    });
  }
  return boxes;
}

/** The box a textbook field gives output position [row, col], unclipped. */
export function fieldBoxAt(axes: readonly [AxisField, AxisField], position: readonly [number, number]): FieldBox {
  const span = (f: AxisField, o: number): [number, number] => {
    const centre = f.start + o * f.jump;
    return [centre - (f.size - 1) / 2, centre + (f.size - 1) / 2];
  };
  return { rows: span(axes[0], position[0]), cols: span(axes[1], position[1]) };
}

/** A number as the formulas print it: up to two decimals, a real minus sign. */
function fmt(n: number): string {
  const s = String(Math.round(n * 100) / 100);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

/**
 * The arithmetic of one step, with the node's numbers, in the notation of explain.ts: size, jump and
 * start of the output field from the input's.
 */
export function explainFieldStep(f: AxisField, step: FieldStep): { readonly size: SizeStep; readonly jump: SizeStep; readonly start: SizeStep } {
  const out = stepField(f, step);
  const [r, j, st] = [fmt(f.size), fmt(f.jump), fmt(f.start)];
  if (step.op === 'window') {
    const { kernel: k, stride: s, dilation: d, before: p } = step;
    return {
      size: { rule: 'r_out = r_in + (k − 1)·d·j_in', formula: `r_out = ${r} + (${k} − 1)·${d}·${j} = ${fmt(out.size)}`, result: out.size },
      jump: { rule: 'j_out = j_in·s', formula: `j_out = ${j}·${s} = ${fmt(out.jump)}`, result: out.jump },
      start: {
        rule: 'start_out = start_in + ((k − 1)·d / 2 − p)·j_in',
        formula: `start_out = ${st} + ((${k} − 1)·${d} / 2 − ${fmt(p)})·${j} = ${fmt(out.start)}`,
        result: out.start,
      },
    };
  }
  const { kernel: k, stride: s, before: b } = step;
  return {
    size: { rule: 'r_out = r_in + (⌈k / s⌉ − 1)·j_in', formula: `r_out = ${r} + (⌈${k} / ${s}⌉ − 1)·${j} = ${fmt(out.size)}`, result: out.size },
    jump: { rule: 'j_out = j_in / s', formula: `j_out = ${j} / ${s} = ${fmt(out.jump)}`, result: out.jump },
    start: {
      rule: 'start_out = start_in + (⌈(b − k + 1) / s⌉ + ⌊b / s⌋) / 2·j_in',
      formula: `start_out = ${st} + (⌈(${fmt(b)} − ${k} + 1) / ${s}⌉ + ⌊${fmt(b)} / ${s}⌋) / 2·${j} = ${fmt(out.start)}`,
      result: out.start,
    },
  };
}

/** What the inspector shows of one node's field on one image input, and how the node made it. */
export interface FieldExplanation {
  /** The image input's id and how messages name it. */
  readonly input: string;
  readonly inputName: string;
  readonly field: NodeField;
  /**
   * 'origin': the node is the input; 'steps': its own window or spread (arithmetic in `axes`); 'same': it
   * keeps its input's field; 'union': several inputs meet (the smallest field holding theirs); 'whole' and
   * 'irregular' as in NodeField.
   */
  readonly how: 'origin' | 'steps' | 'same' | 'union' | 'whole' | 'irregular';
  /** Height's and width's arithmetic, for 'steps'. */
  readonly axes?: readonly [ReturnType<typeof explainFieldStep>, ReturnType<typeof explainFieldStep>];
}

/** The receptive field of one node on each image input it depends on, with its arithmetic. */
export function explainReceptiveField(design: Design, inference: DesignInference, fields: ReceptiveFields, nodeId: string): FieldExplanation[] {
  const inf = inference.nodes.get(nodeId);
  const own = fields.get(nodeId);
  if (!inf || !own) return [];
  const srcs = buildTopology(design).inputsOf.get(nodeId) ?? [];
  const steps = fieldSteps(inf);
  return [...own].map(([input, field]) => {
    const base = { input, inputName: inference.nodes.get(input)?.name ?? input, field };
    if (field.kind !== 'local') return { ...base, how: field.kind };
    if (srcs.length === 0) return { ...base, how: 'origin' };
    if (new Set(srcs).size > 1) return { ...base, how: 'union' };
    const before = fields.get(srcs[0])?.get(input);
    if (steps === null || typeof steps === 'string' || before?.kind !== 'local') return { ...base, how: 'same' };
    return { ...base, how: 'steps', axes: [explainFieldStep(before.axes[0], steps[0]), explainFieldStep(before.axes[1], steps[1])] };
  });
}
