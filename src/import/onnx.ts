/**
 * ONNX model bytes → a NetCanvas design and its weights (Keras layout, as training stores them): the
 * ONNX exporter run backwards. Pure TypeScript on the document model (no DOM, no tfjs): the app, the CLI
 * and Node tests run the same code.
 *
 * How it reads a graph. Nodes are visited in file order (ONNX requires topological order). Every tensor
 * that is a design layer's output is a `Value`: the layer it comes from, its design shape (channels-last,
 * no batch) and the layout the ONNX tensor holds it in (channels-first NCHW, as PyTorch writes, or
 * channels-last NHWC, as NetCanvas's own export holds Flatten/Dense inputs). Layout Transposes only
 * change a Value's layout; everything else becomes a layer, or folds into one where the design format
 * holds it (Pad into a Conv's pads, Relu/Sigmoid/Tanh/Softmax/Clip(0,6)/x·σ(x)/erf-GELU into a Conv or
 * Dense activation, MatMul+Add into a Dense, GlobalAveragePool+Flatten into GlobalAvgPool2D).
 *
 * Files written by NetCanvas itself are read exactly: its tensor names say which ops make one design
 * node (a node's last op writes the node's id; the ops before it write `<id>/<Op>`), which weight an
 * initializer is (`<id>/<weight>`), and so which of two equivalent forms the design had (Conv2D then
 * Activation vs Conv2D with an activation; BatchNorm without γ). Other files fold whatever can fold.
 *
 * Weights. An initializer becomes a declared weight (layer file's `weights()`) by undoing the permutation
 * the layer file's own ONNX mapping applies (`onnx()` → `{ weight, perm, reshape }`), so the layouts
 * live in one place. PyTorch's Gemm (transB=1) is transposed first; a Dense after a channels-first
 * Flatten gets its rows reordered to NetCanvas's channels-last flatten order. Values are copied bit for bit.
 *
 * Errors. Anything the design cannot hold stops the import with one Issue naming the op, the node and
 * why; nothing is half-imported. Corrupt or truncated bytes, unknown opsets, external data and oversized
 * files are refused with a message, never an exception.
 */
import {
  designErrors,
  FORMAT_VERSION,
  inferShapes,
  layerSpec,
  resolveParams,
  shapesEqual,
  type Design,
  type DesignEdge,
  type DesignNode,
  type Issue,
  type IssueCode,
  type IssueValues,
  type LayerKind,
  type OnnxInput,
  type OnnxLayout,
  type ParamValue,
} from '../graph/index.ts';
import { fail, ImportFailure, MAX_IMPORT_MB, refuse, type ImportRefusal } from './result.ts';
import { layoutDesign } from '../graph/layout.ts';
import { windowOutputSize } from '../graph/shape-math.ts';
import { FUSED_ACTIVATIONS } from '../graph/layers/shared/common.ts';
import type { DesignWeights, WeightTensor } from '../graph/weights.ts';
import { transpose } from '../export/npz.ts';
import { sameInEveryLanguage } from '../graph/texts.ts';
import { ProtoError, readOnnxModel, type OnnxAttr, type RawNode, type RawTensor } from './onnx-read.ts';

/** Opsets of the default domain whose ops this reader knows the meaning of. */
export const IMPORT_OPSETS = { min: 11, max: 17 } as const;
/** Larger files are refused before they are read (a browser tab holds the file and its weights). */
export { MAX_IMPORT_MB };

export interface OnnxImport {
  readonly ok: true;
  readonly design: Design;
  readonly weights: DesignWeights;
  /** What the file was: producer, opset, op counts; for the CLI and the app's notice. */
  readonly summary: { readonly producer: string; readonly opset: number; readonly ops: number; readonly layers: number };
}
export type OnnxImportResult = OnnxImport | ImportRefusal;

type Layout = OnnxLayout;

interface Value {
  readonly node: number;
  readonly layout: Layout;
  /** Design shape: channels-last, no batch. */
  readonly shape: readonly number[];
  /** The ONNX tensor is [N, C, 1, 1] for this design vector [C] (global pooling before its Flatten). */
  readonly squeezed?: boolean;
  /** A vector holding the channels-first flatten of this (design) image: only a Dense may read it. */
  readonly chwFrom?: readonly number[];
}

interface Draft {
  name: string;
  readonly kind: LayerKind;
  params: Record<string, ParamValue>;
  readonly inputs: readonly number[];
  shape: readonly number[];
  weights: Record<string, WeightTensor>;
}

interface Constant {
  readonly dims: readonly number[];
  readonly values: Float32Array | number[];
  readonly name: string;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The shortest decimal that is this float32 (ONNX stores 1e-3 as 0.0010000000475): files stay readable. */
export function shortestFloat32(v: number): number {
  for (let p = 1; p <= 9; p++) {
    const d = Number(v.toPrecision(p));
    if (Math.fround(d) === v) return d;
  }
  return v;
}

function inversePerm(perm: readonly number[]): number[] {
  const out = new Array<number>(perm.length);
  perm.forEach((a, i) => (out[a] = i));
  return out;
}

/** The Transpose that moves a tensor of `rank` axes (batch included) to `to`, as the exporter writes it. */
function layoutPerm(rank: number, to: Layout): number[] {
  const middle = Array.from({ length: rank - 2 }, (_, i) => i + 1);
  return to === 'channels-first' ? [0, rank - 1, ...middle] : [0, ...middle.map((a) => a + 1), 1];
}

const sameInts = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

const DTYPE: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64', 16: 'bfloat16' };

/**
 * A float32 tensor's values without copying them where that can be done: a view of the file's bytes when
 * they sit on a 4-byte boundary; with `consume`, the bytes moved onto one in place, over their field's
 * own header (already read); a copy otherwise. So an import holds the file once and only the weights it
 * permutes (convolution kernels, Dense matrices) a second time.
 */
function float32View(raw: Uint8Array, room: number, consume: boolean): Float32Array {
  const n = raw.length / 4;
  const shift = raw.byteOffset % 4;
  if (shift === 0) return new Float32Array(raw.buffer, raw.byteOffset, n);
  if (consume && room >= shift) {
    const at = raw.byteOffset - shift;
    new Uint8Array(raw.buffer).copyWithin(at, raw.byteOffset, raw.byteOffset + raw.length);
    return new Float32Array(raw.buffer, at, n);
  }
  const copy = new Uint8Array(raw.length);
  copy.set(raw);
  return new Float32Array(copy.buffer);
}

/** A tensor's values once decoded, by its bytes: moved in place, the bytes can be read only once. */
const decoded = new WeakMap<Uint8Array, Float32Array>();

/** An initializer's values: float32 kept exactly; integer types as numbers. */
function tensorValues(t: RawTensor, consume = false): Float32Array | number[] {
  const n = size(t.dims);
  const what = (text: string) => fail('import-tensor', { tensor: t.name, what: text });
  if (t.external) fail('import-external-data', { tensor: t.name });
  if (t.dataType === 1) {
    if (t.raw) {
      if (t.raw.length !== n * 4) what(`${t.raw.length} bytes for ${n} float32 values`);
      // Per value only on a big-endian host.
      if (LITTLE_ENDIAN) {
        const known = decoded.get(t.raw);
        if (known) return known;
        const values = float32View(t.raw, t.rawRoom, consume);
        decoded.set(t.raw, values);
        return values;
      }
      const out = new Float32Array(n);
      const view = new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    }
    if (t.floats.length !== n) what(`${t.floats.length} values for shape [${t.dims.join(', ')}]`);
    return Float32Array.from(t.floats);
  }
  if (t.dataType === 7 || t.dataType === 6) {
    const width = t.dataType === 7 ? 8 : 4;
    if (t.raw) {
      if (t.raw.length !== n * width) what(`${t.raw.length} bytes for ${n} values`);
      const view = new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength);
      return Array.from({ length: n }, (_, i) => (width === 8 ? Number(view.getBigInt64(i * 8, true)) : view.getInt32(i * 4, true)));
    }
    if (t.ints.length !== n) what(`${t.ints.length} values for shape [${t.dims.join(', ')}]`);
    return [...t.ints];
  }
  if (t.dataType === 11 && t.raw) {
    if (t.raw.length !== n * 8) what(`${t.raw.length} bytes for ${n} float64 values`);
    const view = new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength);
    return Float32Array.from({ length: n }, (_, i) => view.getFloat64(i * 8, true));
  }
  return what(`element type ${DTYPE[t.dataType] ?? t.dataType} is not one NetCanvas reads (float32, int64, int32)`);
}

function attr(node: RawNode, name: string): OnnxAttr | undefined {
  return node.attributes.get(name);
}
function intAttr(node: RawNode, name: string, fallback: number): number {
  const a = attr(node, name);
  return a && a.type === 'int' ? a.value : fallback;
}
function floatAttr(node: RawNode, name: string, fallback: number): number {
  const a = attr(node, name);
  return a && a.type === 'float' ? a.value : fallback;
}
function intsAttr(node: RawNode, name: string): number[] | undefined {
  const a = attr(node, name);
  return a && a.type === 'ints' ? a.value : undefined;
}
function stringAttr(node: RawNode, name: string, fallback: string): string {
  const a = attr(node, name);
  return a && a.type === 'string' ? a.value : fallback;
}

const ACTIVATION_OPS: Readonly<Record<string, string>> = { Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Softmax: 'softmax', Elu: 'elu', LeakyRelu: 'leaky_relu', Clip: 'relu6' };

class Importer {
  private readonly drafts: Draft[] = [];
  private readonly values = new Map<string, Value>();
  private readonly constants = new Map<string, Constant>();
  private readonly consumers = new Map<string, number[]>();
  private readonly graphOutputs: Set<string>;
  private readonly done = new Set<number>();
  private readonly netcanvas: boolean;
  private readonly nodes: RawNode[];
  /** Pads folded into the Conv that reads this tensor: tensor → [its source, ONNX pads t, l, b, r]. */
  private readonly folded = new Map<string, { source: string; pads: number[] }>();

  constructor(
    private readonly model: ReturnType<typeof readOnnxModel>,
    private readonly opset: number,
    private readonly consume: boolean,
  ) {
    const graph = model.graph!;
    this.nodes = graph.nodes;
    this.netcanvas = model.producerName === 'NetCanvas';
    this.graphOutputs = new Set(graph.outputs.map((o) => o.name));
    for (const t of graph.initializers) this.constants.set(t.name, { dims: t.dims, values: tensorValues(t, this.consume), name: t.name });
    graph.nodes.forEach((n, i) => {
      for (const input of new Set(n.inputs)) if (input) this.consumers.set(input, [...(this.consumers.get(input) ?? []), i]);
    });
  }

  // ——— helpers ———

  private where(i: number): { op: string; node: string } {
    const n = this.nodes[i];
    return { op: n.opType, node: n.name || n.outputs[0] || `#${i}` };
  }

  private value(i: number, slot: number): Value {
    const name = this.nodes[i].inputs[slot];
    const v = this.values.get(name);
    if (!v) fail('import-op-constant', { ...this.where(i), input: name || `#${slot}` });
    if (this.folded.has(name)) fail('import-op-constant', { ...this.where(i), input: name });
    return v;
  }

  /** A constant input, or undefined when the slot is empty; fails when the input is computed. */
  private constant(i: number, slot: number): Constant | undefined {
    const name = this.nodes[i].inputs[slot];
    if (!name) return undefined;
    const c = this.constants.get(name);
    if (!c) fail('import-op-constant', { ...this.where(i), input: name });
    return c;
  }

  private requireConstant(i: number, slot: number, what: string): Constant {
    return this.constant(i, slot) ?? fail('import-op-constant', { ...this.where(i), input: what });
  }

  private unsupported(i: number, attribute: string, value: unknown): never {
    return fail('import-op-attribute', { ...this.where(i), attribute, value: Array.isArray(value) ? `[${value.join(', ')}]` : String(value) });
  }

  /** The single op reading `tensor`, unless another op or the graph's outputs read it too. */
  private soleConsumer(tensor: string): number | undefined {
    const readers = this.consumers.get(tensor) ?? [];
    return readers.length === 1 && !this.graphOutputs.has(tensor) ? readers[0] : undefined;
  }

  /**
   * Whether an op that wrote `intermediate` and the op that wrote `next` belong to one design node: in a
   * NetCanvas file only when `intermediate` is named `<id>/<Op>` and `next` is the node `<id>` (or one of
   * its own intermediates); in other files always (folding is then the importer's choice).
   */
  private sameNode(intermediate: string, opType: string, next: string): boolean {
    if (!this.netcanvas) return true;
    const m = new RegExp(`^(.*)/${opType}(_\\d+)?$`, 's').exec(intermediate);
    if (!m) return false;
    return next === m[1] || next.startsWith(`${m[1]}/`);
  }

  /** The design node's name: NetCanvas files name tensors after node ids; PyTorch names nodes after modules. */
  private nameFor(i: number, tensor: string): string {
    if (this.netcanvas) return tensor;
    const n = this.nodes[i];
    if (!n.name) return tensor;
    return n.name.replace(/^\//, '').replace(new RegExp(`/${n.opType}(_\\d+)?$`), '') || tensor;
  }

  /** Infers the new layer's shape with its layer file's own rule; a layer that does not fit stops the import. */
  private add(i: number, kind: LayerKind, params: Record<string, ParamValue>, inputs: readonly Value[], out: string, layout: Layout, extra: Partial<Value> = {}): Value {
    const spec = layerSpec(kind);
    const name = this.nameFor(i, out);
    const resolved = resolveParams(name, name, kind, spec.params, params);
    const where = this.where(i);
    if (resolved.issues.length > 0) fail('import-shape', { node: where.node, op: where.op, detail: `${resolved.issues[0].code} ${JSON.stringify(resolved.issues[0].values)}` });
    const shapes = inputs.map((v) => v.shape);
    const result = spec.outputShape({ name, nodeId: name, params: resolved.values, inputs: shapes });
    const error = result.issues?.find((x) => x.severity === 'error');
    if (result.shape === null || error) fail('import-shape', { node: where.node, op: where.op, detail: error ? `${error.code} ${JSON.stringify(error.values)}` : 'no shape' });
    const shape = result.shape.map((d) => d ?? -1);
    const activation = resolved.values.activation;
    this.drafts.push({
      name,
      kind,
      params: resolved.values,
      inputs: inputs.map((v) => v.node),
      shape,
      weights: {},
    });
    const value: Value = { node: this.drafts.length - 1, layout: shape.length <= 1 ? 'channels-last' : layout, shape, ...extra };
    this.values.set(out, value);
    return value;
  }

  /**
   * Moves ONNX-layout arrays into the layer's declared weights by undoing the permutation (and reshape)
   * its own ONNX mapping applies. `arrays` are keyed by declared weight name.
   */
  private setWeights(i: number, v: Value, arrays: Record<string, Float32Array>): void {
    const d = this.drafts[v.node];
    const spec = layerSpec(d.kind);
    const inputs = d.inputs.map((n) => this.drafts[n].shape);
    const ctx = { name: d.name, nodeId: d.name, params: d.params, inputs, output: d.shape };
    const declared = spec.weights(ctx);
    const perms = new Map<string, readonly number[] | undefined>();
    for (const op of spec.onnx({ ...ctx, layout: 'channels-first' }).ops) {
      for (const ref of op.inputs as readonly OnnxInput[]) if ('weight' in ref) perms.set(ref.weight, ref.perm);
    }
    for (const w of declared) {
      const data = arrays[w.name];
      const where = this.where(i);
      if (data !== undefined && !(data instanceof Float32Array)) fail('import-tensor', { tensor: `${where.node} ${w.name}`, what: 'integer values where float32 weights belong' });
      if (!data) fail('import-shape', { node: where.node, op: where.op, detail: `weight ${w.name} is missing` });
      if (data.length !== size(w.shape)) {
        fail('import-shape', { node: where.node, op: where.op, detail: `weight ${w.name} has ${data.length} values, the layer declares [${w.shape.join(', ')}]` });
      }
      const perm = perms.get(w.name);
      if (!perm) {
        d.weights[w.name] = { shape: [...w.shape], data };
        continue;
      }
      const permuted = perm.map((a) => w.shape[a]);
      const back = transpose({ shape: permuted, data }, inversePerm(perm));
      d.weights[w.name] = { shape: [...w.shape], data: back.data };
    }
  }

  private alias(out: string, v: Value): void {
    this.values.set(out, v);
  }

  /** A NetCanvas node's id is the tensor its last op writes: absorbing an op renames the draft. */
  private absorbed(v: Value, out: string): void {
    if (this.netcanvas) this.drafts[v.node].name = out;
  }

  // ——— the graph ———

  run(): { design: Design; weights: DesignWeights; ops: number } {
    const graph = this.model.graph!;
    if (graph.sparseInitializers > 0) fail('import-unknown-op', { op: 'sparse_initializer', node: graph.name || 'graph' });
    const initializerNames = new Set(graph.initializers.map((t) => t.name));
    for (const input of graph.inputs) {
      if (initializerNames.has(input.name)) continue;
      this.graphInput(input.name, input.dims);
    }
    this.nodes.forEach((n, i) => {
      if (this.done.has(i)) return;
      this.done.add(i);
      if (n.domain && n.domain !== 'ai.onnx') fail('import-unknown-op', { op: `${n.domain}.${n.opType}`, node: this.where(i).node });
      this.visit(i);
    });
    for (const o of graph.outputs) {
      if (!this.values.has(o.name)) fail('import-op-constant', { op: 'graph output', node: o.name, input: o.name });
    }
    return this.build();
  }

  private graphInput(name: string, dims: (number | null)[] | null): void {
    const shapeText = dims ? `[${dims.map((d) => d ?? '?').join(', ')}]` : 'unknown';
    if (!dims || dims.length < 2 || dims.length > 4 || dims.slice(1).some((d) => d === null || d <= 0)) {
      fail('import-graph-input', { input: name, shape: shapeText });
    }
    const rest = dims.slice(1) as number[];
    const readers = (this.consumers.get(name) ?? []).map((i) => this.nodes[i]);
    const toFirst = layoutPerm(dims.length, 'channels-first');
    // NetCanvas writes channels-last inputs; a graph from elsewhere is channels-last only when it moves its
    // input to channels-first first thing (tf2onnx does); ONNX's own convention is channels-first.
    const channelsLast =
      rest.length === 1 ||
      this.netcanvas ||
      (readers.length > 0 && readers.every((n) => n.opType === 'Transpose' && sameInts(intsAttr(n, 'perm') ?? [], toFirst)));
    const shape = channelsLast ? rest : [...rest.slice(1), rest[0]];
    this.drafts.push({ name, kind: 'Input', params: { shape }, inputs: [], shape, weights: {} });
    this.values.set(name, { node: this.drafts.length - 1, layout: channelsLast ? 'channels-last' : 'channels-first', shape });
  }

  private visit(i: number): void {
    const n = this.nodes[i];
    const out = n.outputs[0];
    switch (n.opType) {
      case 'Constant': {
        const a = attr(n, 'value');
        if (!a || a.type !== 'tensor') return this.unsupported(i, 'value', a?.type ?? 'missing');
        this.constants.set(out, { dims: a.value.dims, values: tensorValues({ ...a.value, name: out }, this.consume), name: out });
        return;
      }
      case 'Identity': {
        // PyTorch shares equal initializers through Identity ops.
        const c = this.constants.get(n.inputs[0]);
        if (c) return void this.constants.set(out, { ...c, name: out });
        return this.alias(out, this.value(i, 0));
      }
      case 'Transpose':
        return this.transposeOp(i);
      case 'Conv':
        return this.conv(i);
      case 'ConvTranspose':
        return this.convTranspose(i);
      case 'Pad':
        return this.pad(i);
      case 'MaxPool':
      case 'AveragePool':
        return this.pool(i);
      case 'GlobalAveragePool':
      case 'GlobalMaxPool': {
        const v = this.image(i);
        const kind = n.opType === 'GlobalAveragePool' ? 'GlobalAvgPool2D' : 'GlobalMaxPool2D';
        this.add(i, kind, {}, [v], out, 'channels-first', { squeezed: true });
        return;
      }
      case 'Flatten':
        return this.flatten(i);
      case 'Reshape':
        return this.reshape(i);
      case 'Gemm':
        return this.gemm(i);
      case 'MatMul':
        return this.matmul(i);
      case 'Add':
      case 'Sum':
        return this.merge(i, 'Add');
      case 'Concat':
        return this.merge(i, 'Concatenate');
      case 'BatchNormalization':
        return this.batchNorm(i);
      case 'Dropout':
        return this.dropout(i);
      case 'Relu':
      case 'Tanh':
      case 'Softmax':
      case 'Elu':
      case 'LeakyRelu':
      case 'Clip':
        return this.activation(i, n.opType);
      case 'Sigmoid':
        return this.sigmoid(i);
      case 'Div':
        return this.gelu(i);
      case 'ReduceMean':
        return this.layerNormChain(i);
      case 'LayerNormalization':
        return this.layerNormOp(i);
      case 'Resize':
        return this.resize(i);
      default:
        return fail('import-unknown-op', this.where(i));
    }
  }

  /** The op's first input as an H×W×C image held channels-first (what ONNX's conv and pooling ops read). */
  private image(i: number): Value {
    const v = this.value(i, 0);
    if (v.shape.length !== 3 || v.squeezed || v.chwFrom) fail('import-op-layout', { ...this.where(i), axis: '2, 3', layout: `rank-${v.shape.length + 1}` });
    if (v.layout !== 'channels-first') fail('import-op-layout', { ...this.where(i), axis: '1', layout: 'channels-last (NHWC)' });
    return v;
  }

  private transposeOp(i: number): void {
    const n = this.nodes[i];
    const v = this.value(i, 0);
    const out = n.outputs[0];
    const rank = v.shape.length + 1;
    const perm = intsAttr(n, 'perm') ?? Array.from({ length: rank }, (_, a) => rank - 1 - a);
    if (sameInts(perm, Array.from({ length: rank }, (_, a) => a))) return this.alias(out, v);
    if (v.squeezed || v.chwFrom || rank <= 2) return this.unsupported(i, 'perm', perm);
    for (const to of ['channels-first', 'channels-last'] as const) {
      if (v.layout !== to && sameInts(perm, layoutPerm(rank, to))) {
        this.alias(out, { ...v, layout: to });
        // The exporter's last Transpose gives a channels-first sink its own name back.
        if (this.netcanvas && this.graphOutputs.has(out) && n.inputs[0] === `${out}/nchw`) this.drafts[v.node].name = out;
        return;
      }
    }
    this.unsupported(i, 'perm', perm);
  }

  /** ONNX pads [t, l, b, r] (+ a folded Pad's) as NetCanvas's [top, bottom, left, right]. */
  private padsOf(i: number, attrName = 'pads'): { source: number[]; pads: number[] } {
    const n = this.nodes[i];
    const auto = stringAttr(n, 'auto_pad', 'NOTSET');
    if (auto !== 'NOTSET' && auto !== 'VALID') return this.unsupported(i, 'auto_pad', auto);
    const p = intsAttr(n, attrName) ?? [0, 0, 0, 0];
    if (p.length !== 4) this.unsupported(i, attrName, p);
    const extra = this.folded.get(n.inputs[0])?.pads ?? [0, 0, 0, 0];
    const [t, l, b, r] = p.map((x, k) => x + extra[k]);
    return { source: p, pads: [t, b, l, r] };
  }

  private pad(i: number): void {
    const n = this.nodes[i];
    const out = n.outputs[0];
    const mode = stringAttr(n, 'mode', 'constant');
    if (mode !== 'constant') return this.unsupported(i, 'mode', mode);
    const v = this.image(i);
    const pads = this.requireConstant(i, 1, 'pads');
    const fill = this.constant(i, 2);
    if (fill && (fill.values.length !== 1 || fill.values[0] !== 0)) return this.unsupported(i, 'constant_value', fill.values[0]);
    const p = [...pads.values];
    if (p.length !== 8 || p[0] || p[1] || p[4] || p[5] || p.some((x) => x < 0)) return this.unsupported(i, 'pads', p);
    const [, , t, l, , , b, r] = p;
    const reader = this.soleConsumer(out);
    const into = reader === undefined ? '' : this.nodes[reader].opType;
    // NetCanvas writes an average pool whose pads count, in ceil mode, as zeros then a pool that does not count its own.
    const folds = into === 'Conv' || (into === 'AveragePool' && this.netcanvas);
    if (folds && this.sameNode(out, 'Pad', this.nodes[reader!].outputs[0])) {
      // Zeros around the image then a convolution: the convolution's own padding.
      this.values.set(out, v);
      this.folded.set(out, { source: n.inputs[0], pads: [t, l, b, r] });
      return;
    }
    this.add(i, 'ZeroPadding2D', { padding: [t, b, l, r] }, [v], out, 'channels-first');
  }

  /** The Conv's input: the folded Pad's source when there is one. */
  private convInput(i: number): Value {
    const name = this.nodes[i].inputs[0];
    const f = this.folded.get(name);
    const v = this.values.get(f ? f.source : name);
    if (!v) fail('import-op-constant', { ...this.where(i), input: name });
    if (v.shape.length !== 3 || v.squeezed || v.chwFrom || v.layout !== 'channels-first') return this.image(i);
    return v;
  }

  /** 'valid', 'same' or explicit pads for a window over `input`, as the layer would write them. */
  private paddingMode(input: readonly number[], kernel: number[], strides: number[], dilation: number[], pads: number[], explicitOk: boolean, i: number): Record<string, ParamValue> {
    if (pads.every((p) => p === 0)) return { padding: 'valid', pads: [0, 0, 0, 0] };
    const same = [0, 1].flatMap((a) => {
      const out = Math.ceil(input[a] / strides[a]);
      const total = Math.max((out - 1) * strides[a] + dilation[a] * (kernel[a] - 1) + 1 - input[a], 0);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
    if (sameInts(same, pads)) return { padding: 'same', pads: [0, 0, 0, 0] };
    if (explicitOk) return { padding: 'explicit', pads };
    return this.unsupported(i, 'pads', pads);
  }

  private conv(i: number): void {
    const n = this.nodes[i];
    const x = this.convInput(i);
    const W = this.requireConstant(i, 1, 'W');
    const B = this.constant(i, 2);
    if (W.dims.length !== 4) return this.unsupported(i, 'kernel rank', W.dims.length);
    const [O, Ig, kh, kw] = W.dims;
    const kernel = intsAttr(n, 'kernel_shape') ?? [kh, kw];
    if (!sameInts(kernel, [kh, kw])) return this.unsupported(i, 'kernel_shape', kernel);
    const strides = intsAttr(n, 'strides') ?? [1, 1];
    const dilations = intsAttr(n, 'dilations') ?? [1, 1];
    const group = intAttr(n, 'group', 1);
    const cin = x.shape[2];
    const { pads } = this.padsOf(i);
    if (Ig * group !== cin) return this.unsupported(i, 'group', group);
    const wName = W.name;
    const depthwise = this.netcanvas ? /\/depthwise_kernel(_\d+)?$/.test(wName) : group === cin && cin > 1 && O % cin === 0;
    let out = n.outputs[0];
    const window = { kernel_size: kernel, strides, dilation_rate: dilations, ...this.paddingMode(x.shape, kernel, strides, dilations, pads, true, i) };
    const bias: Record<string, Float32Array> = B ? { bias: B.values as Float32Array } : {};
    if (!depthwise) {
      const params = { filters: O, ...window, groups: group, use_bias: B !== undefined, activation: 'linear' };
      const v = this.add(i, 'Conv2D', params, [x], out, 'channels-first');
      this.setWeights(i, v, { kernel: W.values as Float32Array, ...bias });
      return;
    }
    const multiplier = O / cin;
    // NetCanvas's SeparableConv2D: its depthwise Conv then a 1×1 Conv, one node.
    const reader = this.soleConsumer(out);
    const pw = reader !== undefined ? this.nodes[reader] : undefined;
    if (this.netcanvas && !B && pw && pw.opType === 'Conv' && this.sameNode(out, 'Conv', pw.outputs[0]) && pw.inputs[0] === out) {
      const P = this.constants.get(pw.inputs[1]);
      const PB = pw.inputs[2] ? this.constants.get(pw.inputs[2]) : undefined;
      if (P && P.dims.length === 4 && P.dims[2] === 1 && P.dims[3] === 1 && (!pw.inputs[2] || PB)) {
        this.done.add(reader!);
        out = pw.outputs[0];
        const params = { filters: P.dims[0], ...window, depth_multiplier: multiplier, use_bias: PB !== undefined, activation: 'linear' };
        const v = this.add(reader!, 'SeparableConv2D', params, [x], out, 'channels-first');
        this.setWeights(reader!, v, { depthwise_kernel: W.values as Float32Array, pointwise_kernel: P.values as Float32Array, ...(PB ? { bias: PB.values as Float32Array } : {}) });
        return;
      }
    }
    const params = { ...window, depth_multiplier: multiplier, use_bias: B !== undefined, activation: 'linear' };
    const v = this.add(i, 'DepthwiseConv2D', params, [x], out, 'channels-first');
    this.setWeights(i, v, { depthwise_kernel: W.values as Float32Array, ...bias });
  }

  private convTranspose(i: number): void {
    const n = this.nodes[i];
    const x = this.image(i);
    const W = this.requireConstant(i, 1, 'W');
    const B = this.constant(i, 2);
    if (W.dims.length !== 4 || W.dims[0] !== x.shape[2]) return this.unsupported(i, 'W', W.dims);
    if (intAttr(n, 'group', 1) !== 1) return this.unsupported(i, 'group', intAttr(n, 'group', 1));
    const dil = intsAttr(n, 'dilations') ?? [1, 1];
    if (!sameInts(dil, [1, 1])) return this.unsupported(i, 'dilations', dil);
    if (intsAttr(n, 'output_shape')) return this.unsupported(i, 'output_shape', intsAttr(n, 'output_shape'));
    const kernel = [W.dims[2], W.dims[3]];
    const strides = intsAttr(n, 'strides') ?? [1, 1];
    const pads = intsAttr(n, 'pads') ?? [0, 0, 0, 0];
    const outPad = intsAttr(n, 'output_padding') ?? [0, 0];
    // Which padding mode writes exactly these attributes (the layer file's own mapping decides).
    for (const padding of ['valid', 'same']) {
      const params = { filters: W.dims[1], kernel_size: kernel, strides, padding, use_bias: B !== undefined, activation: 'linear' };
      const spec = layerSpec('Conv2DTranspose');
      const resolved = resolveParams('', '', 'Conv2DTranspose', spec.params, params).values;
      const mapping = spec.onnx({ name: '', nodeId: '', params: resolved, inputs: [x.shape], output: [], layout: 'channels-first' });
      const a = mapping.ops[0].attributes!;
      const ints = (k: string) => (a[k] && 'ints' in a[k] ? (a[k] as { ints: readonly number[] }).ints : []);
      if (sameInts(ints('pads'), pads) && sameInts(ints('output_padding'), outPad)) {
        const v = this.add(i, 'Conv2DTranspose', params, [x], n.outputs[0], 'channels-first');
        this.setWeights(i, v, { kernel: W.values as Float32Array, ...(B ? { bias: B.values as Float32Array } : {}) });
        return;
      }
    }
    this.unsupported(i, 'pads / output_padding', [...pads, ...outPad]);
  }

  private pool(i: number): void {
    const n = this.nodes[i];
    const counted = this.folded.get(n.inputs[0]);
    if (counted) return this.countedPadPool(i, counted.pads);
    const x = this.image(i);
    const max = n.opType === 'MaxPool';
    const kernel = intsAttr(n, 'kernel_shape') ?? this.unsupported(i, 'kernel_shape', 'missing');
    const strides = intsAttr(n, 'strides') ?? [1, 1];
    const dil = intsAttr(n, 'dilations') ?? [1, 1];
    if (!sameInts(dil, [1, 1])) return this.unsupported(i, 'dilations', dil);
    if (n.outputs.length > 1 && n.outputs[1]) return this.unsupported(i, 'Indices output', n.outputs[1]);
    if (intAttr(n, 'storage_order', 0) !== 0) return this.unsupported(i, 'storage_order', 1);
    const { pads } = this.padsOf(i);
    const ceil = intAttr(n, 'ceil_mode', 0) === 1;
    const includePad = intAttr(n, 'count_include_pad', 0) === 1;
    const kind = max ? 'MaxPool2D' : 'AvgPool2D';
    const out = n.outputs[0];
    // ONNX's output size, with ceil_mode's rule (a last window must start inside the input or its low pad).
    const onnxOut = [0, 1].map((a) => {
      const span = x.shape[a] + pads[a * 2] + pads[a * 2 + 1] - kernel[a];
      let o = (ceil ? Math.ceil(span / strides[a]) : Math.floor(span / strides[a])) + 1;
      if (ceil && (o - 1) * strides[a] >= x.shape[a] + pads[a * 2]) o--;
      return o;
    });
    const floorOut = [0, 1].map((a) => Math.floor((x.shape[a] + pads[a * 2] + pads[a * 2 + 1] - kernel[a]) / strides[a]) + 1);
    const base = { pool_size: kernel, strides };
    // ceil_mode only where it adds a window: the same layer, and NetCanvas's own files come back as written.
    const ceilMode = ceil && !sameInts(onnxOut, floorOut);
    if (pads.every((p) => p === 0) && !ceilMode) return void this.add(i, kind, { ...base, padding: 'valid' }, [x], out, 'channels-first');
    const sameOut = [0, 1].map((a) => Math.ceil(x.shape[a] / strides[a]));
    const samePads = [0, 1].flatMap((a) => {
      const total = Math.max((sameOut[a] - 1) * strides[a] + kernel[a] - x.shape[a], 0);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
    if (!ceilMode && sameInts(samePads, pads) && (max || !includePad)) return void this.add(i, kind, { ...base, padding: 'same' }, [x], out, 'channels-first');
    // A pad as large as the window would make a window of padding alone, which no pooling layer here takes.
    if (pads.some((p, k) => p >= kernel[k < 2 ? 0 : 1])) return this.unsupported(i, 'pads', pads);
    // PyTorch's pads, ceil mode and divisor, which the pooling layers take as they are (exact).
    const params = { ...base, padding: 'explicit', pads, ceil_mode: ceilMode, ...(max ? {} : { count_include_pad: includePad }) };
    this.add(i, kind, params, [x], out, 'channels-first');
  }

  /**
   * NetCanvas's average pool whose pads count (count_include_pad) in ceil mode: zeros (`counted`, ONNX
   * order) then a pool whose own pads, past the bottom/right only, do not count — the pads as declared,
   * and ceil mode for the windows that reach further.
   */
  private countedPadPool(i: number, counted: readonly number[]): void {
    const n = this.nodes[i];
    const x = this.convInput(i);
    const kernel = intsAttr(n, 'kernel_shape') ?? this.unsupported(i, 'kernel_shape', 'missing');
    const strides = intsAttr(n, 'strides') ?? [1, 1];
    const own = intsAttr(n, 'pads') ?? [0, 0, 0, 0];
    const [t, l, b, r] = counted;
    const pads = [t, b, l, r];
    const fits = (ceil: boolean) =>
      [0, 1].every((a) => {
        const total = counted[a] + counted[a + 2] + own[a] + own[a + 2];
        const onnxOut = Math.floor((x.shape[a] + total - kernel[a]) / strides[a]) + 1;
        return own[a] === 0 && windowOutputSize(x.shape[a], kernel[a], strides[a], counted[a], counted[a + 2], 1, ceil) === onnxOut;
      });
    const ceil = fits(false) ? false : fits(true) ? true : null;
    if (ceil === null || intAttr(n, 'count_include_pad', 0) !== 0 || pads.some((p, k) => p >= kernel[k < 2 ? 0 : 1])) return this.unsupported(i, 'pads', [...counted, ...own]);
    const params = { pool_size: kernel, strides, padding: 'explicit', pads, ceil_mode: ceil, count_include_pad: true };
    this.add(i, 'AvgPool2D', params, [x], n.outputs[0], 'channels-first');
  }

  private flatten(i: number): void {
    const n = this.nodes[i];
    const v = this.value(i, 0);
    const out = n.outputs[0];
    if (intAttr(n, 'axis', 1) !== 1) return this.unsupported(i, 'axis', intAttr(n, 'axis', 1));
    if (v.squeezed) {
      this.alias(out, { node: v.node, layout: 'channels-last', shape: v.shape });
      this.absorbed(v, out);
      return;
    }
    this.flattenLayer(i, v, out);
  }

  private flattenLayer(i: number, v: Value, out: string): void {
    if (v.chwFrom) fail('import-op-order', this.where(i));
    const spatial = size(v.shape.slice(0, -1));
    const channels = v.shape[v.shape.length - 1];
    const chw = v.shape.length > 1 && v.layout === 'channels-first' && spatial > 1 && channels > 1;
    this.add(i, 'Flatten', {}, [v], out, 'channels-last', chw ? { chwFrom: v.shape } : {});
  }

  private reshape(i: number): void {
    const n = this.nodes[i];
    const v = this.value(i, 0);
    const out = n.outputs[0];
    const target = [...this.requireConstant(i, 1, 'shape').values];
    if (intAttr(n, 'allowzero', 0) !== 0) return this.unsupported(i, 'allowzero', 1);
    const rest = target.slice(1);
    const total = size(v.shape);
    const flat = rest.length === 1 && (rest[0] === -1 || rest[0] === total);
    if (target[0] !== 0 && !(target[0] === -1 && rest.length === 1 && rest[0] === total)) return this.unsupported(i, 'shape', target);
    if (rest.some((d) => d === 0 || d < -1)) return this.unsupported(i, 'shape', target);
    if (v.squeezed && flat) {
      this.alias(out, { node: v.node, layout: 'channels-last', shape: v.shape });
      this.absorbed(v, out);
      return;
    }
    if (v.shape.length > 1 && v.layout === 'channels-first') {
      if (flat) return this.flattenLayer(i, v, out);
      return fail('import-op-layout', { ...this.where(i), axis: `1…${v.shape.length}`, layout: 'channels-first (NCHW)' });
    }
    if (v.chwFrom) fail('import-op-order', this.where(i));
    this.add(i, 'Reshape', { target_shape: rest }, [v], out, 'channels-last');
  }

  /** The kernel [in, out] of a Dense reading `v`, rows reordered when `v` is a channels-first flatten. */
  private denseKernel(v: Value, inOut: Float32Array, units: number): Float32Array {
    if (!v.chwFrom) return inOut;
    const [h, w, c] = v.chwFrom.length === 3 ? v.chwFrom : [1, ...v.chwFrom];
    const out = new Float32Array(inOut.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          const from = (ch * h * w + y * w + x) * units;
          const to = ((y * w + x) * c + ch) * units;
          out.set(inOut.subarray(from, from + units), to);
        }
      }
    }
    return out;
  }

  /**
   * The same from PyTorch's [out, in] layout (Gemm transB=1): one blocked pass that transposes and
   * reorders the rows together, so a 100-million-value VGG kernel is copied once, cache-friendly.
   */
  private denseKernelFromRows(v: Value, outIn: Float32Array, units: number): Float32Array {
    const fin = outIn.length / units;
    const [h, w, c] = !v.chwFrom ? [1, 1, fin] : v.chwFrom.length === 3 ? v.chwFrom : [1, ...v.chwFrom];
    const hw = h * w;
    // Source column (channels-first order ch·hw + p) → destination row (channels-last order p·c + ch).
    const rowOf = new Uint32Array(fin);
    for (let ch = 0; ch < c; ch++) for (let p = 0; p < hw; p++) rowOf[ch * hw + p] = p * c + ch;
    const out = new Float32Array(outIn.length);
    const B = 64;
    for (let o0 = 0; o0 < units; o0 += B) {
      const o1 = Math.min(o0 + B, units);
      for (let k0 = 0; k0 < fin; k0 += B) {
        const k1 = Math.min(k0 + B, fin);
        for (let o = o0; o < o1; o++) {
          const src = o * fin;
          for (let k = k0; k < k1; k++) out[rowOf[k] * units + o] = outIn[src + k];
        }
      }
    }
    return out;
  }

  private gemm(i: number): void {
    const n = this.nodes[i];
    let v = this.value(i, 0);
    if (v.squeezed) v = { node: v.node, layout: 'channels-last', shape: v.shape };
    if (v.shape.length !== 1) return fail('import-op-layout', { ...this.where(i), axis: '1', layout: `rank-${v.shape.length + 1}` });
    if (intAttr(n, 'transA', 0) !== 0) return this.unsupported(i, 'transA', 1);
    if (floatAttr(n, 'alpha', 1) !== 1) return this.unsupported(i, 'alpha', floatAttr(n, 'alpha', 1));
    if (floatAttr(n, 'beta', 1) !== 1) return this.unsupported(i, 'beta', floatAttr(n, 'beta', 1));
    const B = this.requireConstant(i, 1, 'B');
    const C = this.constant(i, 2);
    const transB = intAttr(n, 'transB', 0) === 1;
    if (B.dims.length !== 2) return this.unsupported(i, 'B', B.dims);
    const [fin, units] = transB ? [B.dims[1], B.dims[0]] : B.dims;
    if (fin !== v.shape[0]) return this.unsupported(i, 'B', B.dims);
    if (C && size(C.dims) !== units) return this.unsupported(i, 'C', C.dims);
    const d = this.add(i, 'Dense', { units, use_bias: C !== undefined, activation: 'linear' }, [{ ...v, chwFrom: undefined }], n.outputs[0], 'channels-last');
    const kernel = transB ? this.denseKernelFromRows(v, B.values as Float32Array, units) : this.denseKernel(v, B.values as Float32Array, units);
    this.setWeights(i, d, { kernel, ...(C ? { bias: C.values as Float32Array } : {}) });
  }

  private matmul(i: number): void {
    const n = this.nodes[i];
    let v = this.value(i, 0);
    if (v.squeezed) v = { node: v.node, layout: 'channels-last', shape: v.shape };
    if (v.shape.length > 1 && v.layout === 'channels-first') return fail('import-op-layout', { ...this.where(i), axis: '-1', layout: 'channels-first (NCHW)' });
    const W = this.requireConstant(i, 1, 'B');
    if (W.dims.length !== 2 || W.dims[0] !== v.shape[v.shape.length - 1]) return this.unsupported(i, 'B', W.dims);
    const units = W.dims[1];
    let out = n.outputs[0];
    let bias: Constant | undefined;
    const reader = this.soleConsumer(out);
    const add = reader !== undefined ? this.nodes[reader] : undefined;
    if (add && add.opType === 'Add' && this.sameNode(out, 'MatMul', add.outputs[0])) {
      const other = add.inputs[0] === out ? add.inputs[1] : add.inputs[0];
      const c = this.constants.get(other);
      if (c && size(c.dims) === units && c.dims.length <= 1) {
        bias = c;
        this.done.add(reader!);
        out = add.outputs[0];
      }
    }
    const d = this.add(i, 'Dense', { units, use_bias: bias !== undefined, activation: 'linear' }, [{ ...v, chwFrom: undefined }], out, 'channels-last');
    this.setWeights(i, d, { kernel: this.denseKernel(v, W.values as Float32Array, units), ...(bias ? { bias: bias.values as Float32Array } : {}) });
  }

  private merge(i: number, kind: 'Add' | 'Concatenate'): void {
    const n = this.nodes[i];
    for (const name of n.inputs) {
      if (this.constants.has(name)) return this.unsupported(i, 'constant input', name);
    }
    const values = n.inputs.map((_, slot) => this.value(i, slot));
    // A concatenation or sum of one tensor is that tensor (DenseNet's first layer concatenates a list of one).
    if (values.length === 1) return this.alias(n.outputs[0], values[0]);
    if (values.length < 2) return this.unsupported(i, 'inputs', values.length);
    const first = values[0];
    const rank = first.shape.length;
    for (const v of values) {
      if (v.shape.length !== rank || (rank > 1 && v.layout !== first.layout) || !!v.squeezed !== !!first.squeezed) {
        return fail('import-op-layout', { ...this.where(i), axis: 'mixed', layout: 'mixed-layout' });
      }
      if (v.chwFrom || (kind === 'Add' && !shapesEqual(v.shape, first.shape))) return fail('import-op-order', this.where(i));
    }
    const extra: Partial<Value> = first.squeezed ? { squeezed: true } : {};
    if (kind === 'Concatenate') {
      const onnxRank = first.squeezed ? 4 : rank + 1;
      let axis = intAttr(n, 'axis', 1);
      if (axis < 0) axis += onnxRank;
      const channelAxis = first.squeezed || rank === 1 || first.layout === 'channels-first' ? 1 : rank;
      if (axis !== channelAxis) return fail('import-op-layout', { ...this.where(i), axis, layout: first.layout });
    }
    this.add(i, kind, {}, values, n.outputs[0], first.layout, extra);
  }

  /** A BatchNormalization reads the channels on axis 1: channels-first images, vectors, pooled vectors. */
  private batchNorm(i: number): void {
    const n = this.nodes[i];
    const v = this.value(i, 0);
    if (v.chwFrom) return fail('import-op-order', this.where(i));
    if (v.shape.length > 1 && v.layout !== 'channels-first') return fail('import-op-layout', { ...this.where(i), axis: 1, layout: 'channels-last (NHWC)' });
    if (intAttr(n, 'training_mode', 0) !== 0 || n.outputs.slice(1).some(Boolean)) return this.unsupported(i, 'training_mode', 1);
    const [scale, bias, mean, variance] = [1, 2, 3, 4].map((s) => this.requireConstant(i, s, ['', 'scale', 'B', 'input_mean', 'input_var'][s]));
    // NetCanvas writes a missing γ or β as a constant named <id>/const.
    const isConst = (c: Constant) => this.netcanvas && /\/const(_\d+)?$/.test(c.name);
    const params = {
      momentum: shortestFloat32(Math.fround(floatAttr(n, 'momentum', 0.9))),
      epsilon: shortestFloat32(Math.fround(floatAttr(n, 'epsilon', 1e-5))),
      scale: !isConst(scale),
      center: !isConst(bias),
    };
    const extra: Partial<Value> = v.squeezed ? { squeezed: true } : {};
    const d = this.add(i, 'BatchNorm', params, [v], n.outputs[0], v.layout, extra);
    this.setWeights(i, d, {
      ...(params.scale ? { gamma: scale.values as Float32Array } : {}),
      ...(params.center ? { beta: bias.values as Float32Array } : {}),
      moving_mean: mean.values as Float32Array,
      moving_variance: variance.values as Float32Array,
    });
  }

  private dropout(i: number): void {
    const n = this.nodes[i];
    const v = this.value(i, 0);
    if (n.outputs.slice(1).some(Boolean)) return this.unsupported(i, 'mask output', n.outputs[1]);
    const ratio = this.constant(i, 1);
    const mode = this.constant(i, 2);
    if (mode && mode.values[0]) return this.unsupported(i, 'training_mode', 1);
    const rate = ratio ? Number(ratio.values[0]) : floatAttr(n, 'ratio', 0.5);
    this.add(i, 'Dropout', { rate: shortestFloat32(Math.fround(rate)) }, [{ ...v, chwFrom: undefined }], n.outputs[0], v.layout, this.keepForm(v));
  }

  /** What an element-wise op passes on: the squeezed or channels-first-flattened form of its input. */
  private keepForm(v: Value): Partial<Value> {
    return { ...(v.squeezed ? { squeezed: true } : {}), ...(v.chwFrom ? { chwFrom: v.chwFrom } : {}) };
  }

  /**
   * `activation` of the op's input, written to `out` by op `last`: folded into the layer before it when
   * that layer has an activation parameter still 'linear' and nothing else reads its output; otherwise
   * an Activation layer.
   */
  private applyActivation(i: number, activation: string, out: string, last: number, alpha?: number): void {
    const inputName = this.nodes[i].inputs[0];
    const v = this.value(i, 0);
    const d = this.drafts[v.node];
    const readers = this.consumers.get(inputName) ?? [];
    const ownReaders = readers.every((r) => r === i || (r > i && r <= last));
    const foldable =
      d.kind !== 'Input' &&
      'activation' in layerSpec(d.kind).params &&
      d.kind !== 'Activation' &&
      d.params.activation === 'linear' &&
      (FUSED_ACTIVATIONS as readonly string[]).includes(activation) &&
      ownReaders &&
      !this.graphOutputs.has(inputName) &&
      this.values.get(inputName) === v &&
      this.sameNode(inputName, this.opOf(inputName), out);
    if (foldable) {
      d.params = { ...d.params, activation };
      this.alias(out, v);
      this.absorbed(v, out);
      return;
    }
    const params: Record<string, ParamValue> = { activation, ...(alpha !== undefined ? { alpha } : {}) };
    this.add(last, 'Activation', params, [{ ...v, chwFrom: undefined, squeezed: undefined }], out, v.layout, this.keepForm(v));
  }

  /** The op type that wrote `tensor` (for NetCanvas's `<id>/<Op>` names). */
  private opOf(tensor: string): string {
    const producer = this.nodes.find((n) => n.outputs.includes(tensor));
    return producer ? producer.opType : '';
  }

  private activation(i: number, opType: string): void {
    const n = this.nodes[i];
    const v = this.value(i, 0);
    let alpha: number | undefined;
    if (opType === 'Elu' && floatAttr(n, 'alpha', 1) !== 1) return this.unsupported(i, 'alpha', floatAttr(n, 'alpha', 1));
    if (opType === 'LeakyRelu') alpha = shortestFloat32(Math.fround(floatAttr(n, 'alpha', 0.01)));
    let activation = ACTIVATION_OPS[opType];
    if (opType === 'Clip') {
      const lo = this.constant(i, 1);
      const hi = this.constant(i, 2);
      const low = lo ? Number(lo.values[0]) : -Infinity;
      const high = hi ? Number(hi.values[0]) : Infinity;
      if (low === 0 && high === 6) activation = 'relu6';
      else if (low === 0 && high === Infinity) activation = 'relu';
      else return this.unsupported(i, 'min / max', [low, high]);
    }
    if (opType === 'Softmax') {
      const rank = v.squeezed ? 4 : v.shape.length + 1;
      let axis = intAttr(n, 'axis', this.opset >= 13 ? -1 : 1);
      if (axis < 0) axis += rank;
      const channelAxis = v.squeezed || v.shape.length === 1 || v.layout === 'channels-first' ? 1 : rank - 1;
      if (axis !== channelAxis || (this.opset < 13 && v.shape.length > 1)) return fail('import-op-layout', { ...this.where(i), axis, layout: v.layout });
      if (v.squeezed && this.opset < 13) return fail('import-op-layout', { ...this.where(i), axis, layout: v.layout });
    }
    this.applyActivation(i, activation, n.outputs[0], i, alpha);
  }

  /** Sigmoid, or swish when a Mul multiplies its input by it. */
  private sigmoid(i: number): void {
    const n = this.nodes[i];
    const s = n.outputs[0];
    const reader = this.soleConsumer(s);
    const mul = reader !== undefined ? this.nodes[reader] : undefined;
    if (mul && mul.opType === 'Mul' && mul.inputs.includes(n.inputs[0]) && mul.inputs.includes(s) && this.sameNode(s, 'Sigmoid', mul.outputs[0])) {
      this.done.add(reader!);
      return this.applyActivation(i, 'swish', mul.outputs[0], reader!);
    }
    this.applyActivation(i, 'sigmoid', s, i);
  }

  /** The exact GELU as the exporter writes it: x · ½(1 + erf(x / √2)). */
  private gelu(i: number): void {
    const n = this.nodes[i];
    const x = n.inputs[0];
    const near = (c: Constant | undefined, v: number) => c !== undefined && c.values.length === 1 && Math.abs(Number(c.values[0]) - v) < 1e-6;
    const step = (tensor: string, op: string) => {
      const r = this.soleConsumer(tensor);
      return r !== undefined && this.nodes[r].opType === op ? r : undefined;
    };
    const other = (node: RawNode, tensor: string) => this.constants.get(node.inputs[0] === tensor ? node.inputs[1] : node.inputs[0]);
    const chain: number[] = [];
    const erf = near(this.constants.get(n.inputs[1]), Math.SQRT2) ? step(n.outputs[0], 'Erf') : undefined;
    const add = erf !== undefined ? step(this.nodes[erf].outputs[0], 'Add') : undefined;
    const mulX = add !== undefined && near(other(this.nodes[add], this.nodes[erf!].outputs[0]), 1) ? step(this.nodes[add].outputs[0], 'Mul') : undefined;
    const half = mulX !== undefined && this.nodes[mulX].inputs.includes(x) ? step(this.nodes[mulX].outputs[0], 'Mul') : undefined;
    if (half === undefined || !near(other(this.nodes[half], this.nodes[mulX!].outputs[0]), 0.5)) return fail('import-unknown-op', this.where(i));
    chain.push(erf!, add!, mulX!, half);
    for (const c of chain) this.done.add(c);
    this.applyActivation(i, 'gelu', this.nodes[half].outputs[0], half);
  }

  /** The LayerNormalization the exporter writes as ReduceMean, Sub, Mul, ReduceMean, Add ε, Sqrt, Div [, Mul γ] [, Add β]. */
  private layerNormChain(i: number): void {
    const n = this.nodes[i];
    const x = n.inputs[0];
    const v = this.value(i, 0);
    const lastAxis = (node: RawNode) => {
      const axes = intsAttr(node, 'axes');
      return axes !== undefined && axes.length === 1 && (axes[0] === -1 || axes[0] === v.shape.length) && intAttr(node, 'keepdims', 1) === 1;
    };
    const next = (tensor: string, op: string): number | undefined => {
      const readers = (this.consumers.get(tensor) ?? []).filter((r) => this.nodes[r].opType === op);
      return readers.length === 1 ? readers[0] : undefined;
    };
    const fault = () => fail('import-unknown-op', this.where(i));
    if (!lastAxis(n) || (v.shape.length > 1 && v.layout !== 'channels-last') || v.squeezed || v.chwFrom) return fault();
    const sub = next(n.outputs[0], 'Sub');
    if (sub === undefined || this.nodes[sub].inputs[0] !== x) return fault();
    const d = this.nodes[sub].outputs[0];
    const sq = next(d, 'Mul');
    if (sq === undefined || this.nodes[sq].inputs[0] !== d || this.nodes[sq].inputs[1] !== d) return fault();
    const mean2 = next(this.nodes[sq].outputs[0], 'ReduceMean');
    if (mean2 === undefined || !lastAxis(this.nodes[mean2])) return fault();
    const addEps = next(this.nodes[mean2].outputs[0], 'Add');
    const eps = addEps !== undefined ? this.constants.get(this.nodes[addEps].inputs[1]) : undefined;
    if (addEps === undefined || !eps) return fault();
    const sqrt = next(this.nodes[addEps].outputs[0], 'Sqrt');
    if (sqrt === undefined) return fault();
    const div = next(this.nodes[sqrt].outputs[0], 'Div');
    if (div === undefined || this.nodes[div].inputs[0] !== d) return fault();
    const chain = [sub, sq, mean2, addEps, sqrt, div];
    let last = div;
    let gamma: Constant | undefined;
    let beta: Constant | undefined;
    const c = v.shape[v.shape.length - 1];
    const tail = (op: string) => {
      const r = this.soleConsumer(this.nodes[last].outputs[0]);
      if (r === undefined || this.nodes[r].opType !== op || this.nodes[r].inputs[0] !== this.nodes[last].outputs[0]) return undefined;
      const k = this.constants.get(this.nodes[r].inputs[1]);
      if (!k || size(k.dims) !== c || !this.sameNode(this.nodes[last].outputs[0], this.nodes[last].opType, this.nodes[r].outputs[0])) return undefined;
      chain.push(r);
      last = r;
      return k;
    };
    gamma = tail('Mul');
    beta = tail('Add');
    for (const k of chain) this.done.add(k);
    const params = { epsilon: shortestFloat32(Math.fround(Number(eps.values[0]))), scale: gamma !== undefined, center: beta !== undefined };
    const ln = this.add(last, 'LayerNormalization', params, [v], this.nodes[last].outputs[0], 'channels-last');
    this.setWeights(last, ln, { ...(gamma ? { gamma: gamma.values as Float32Array } : {}), ...(beta ? { beta: beta.values as Float32Array } : {}) });
  }

  /** Opset 17's LayerNormalization over the last axis (PyTorch's nn.LayerNorm over the features). */
  private layerNormOp(i: number): void {
    const n = this.nodes[i];
    const v = this.value(i, 0);
    const axis = intAttr(n, 'axis', -1);
    if ((axis !== -1 && axis !== v.shape.length) || (v.shape.length > 1 && v.layout !== 'channels-last') || v.squeezed || v.chwFrom) {
      return fail('import-op-layout', { ...this.where(i), axis, layout: v.layout });
    }
    const gamma = this.requireConstant(i, 1, 'Scale');
    const beta = this.constant(i, 2);
    const params = { epsilon: shortestFloat32(Math.fround(floatAttr(n, 'epsilon', 1e-5))), scale: true, center: beta !== undefined };
    const ln = this.add(i, 'LayerNormalization', params, [v], n.outputs[0], 'channels-last');
    this.setWeights(i, ln, { gamma: gamma.values as Float32Array, ...(beta ? { beta: beta.values as Float32Array } : {}) });
  }

  private resize(i: number): void {
    const n = this.nodes[i];
    const x = this.image(i);
    const mode = stringAttr(n, 'mode', 'nearest');
    const coords = stringAttr(n, 'coordinate_transformation_mode', 'half_pixel');
    if (mode !== 'nearest' && mode !== 'linear') return this.unsupported(i, 'mode', mode);
    // Nearest repeats pixels with asymmetric coordinates rounded down; bilinear is the app's half-pixel
    // centres (PyTorch's align_corners=False exports pytorch_half_pixel, the same for outputs over 1 pixel).
    const wanted = mode === 'nearest' ? ['asymmetric'] : ['half_pixel', 'pytorch_half_pixel'];
    if (!wanted.includes(coords)) return this.unsupported(i, 'coordinate_transformation_mode', coords);
    if (mode === 'nearest' && stringAttr(n, 'nearest_mode', 'round_prefer_floor') !== 'floor') return this.unsupported(i, 'nearest_mode', stringAttr(n, 'nearest_mode', 'round_prefer_floor'));
    const scales = this.constant(i, 2);
    const sizes = this.constant(i, 3);
    let factors: number[];
    if (scales && scales.values.length === 4) factors = [Number(scales.values[2]), Number(scales.values[3])];
    else if (sizes && sizes.values.length === 4) factors = [Number(sizes.values[2]) / x.shape[0], Number(sizes.values[3]) / x.shape[1]];
    else return fail('import-op-constant', { ...this.where(i), input: 'scales' });
    const lead = scales && scales.values.length === 4 ? [Number(scales.values[0]), Number(scales.values[1])] : [1, 1];
    if (!factors.every((f) => Number.isInteger(f) && f >= 1) || lead[0] !== 1 || lead[1] !== 1) return this.unsupported(i, 'scales', [...lead, ...factors]);
    this.add(i, 'UpSampling2D', { size: factors, interpolation: mode === 'linear' ? 'bilinear' : 'nearest' }, [x], n.outputs[0], 'channels-first');
  }

  // ——— the design ———

  private build(): { design: Design; weights: DesignWeights; ops: number } {
    const taken = new Set<string>();
    const ids = this.drafts.map((d) => {
      const base = d.name.trim() ? d.name : d.kind.toLowerCase();
      let id = base;
      for (let k = 2; taken.has(id); k++) id = `${base}_${k}`;
      taken.add(id);
      return id;
    });
    const nodes: DesignNode[] = this.drafts.map((d, k) => ({ id: ids[k], kind: d.kind, params: d.params, position: { x: 0, y: 0 } }));
    const edges: DesignEdge[] = [];
    this.drafts.forEach((d, k) => {
      d.inputs.forEach((source, slot) => {
        const multi = d.inputs.length > 1;
        edges.push({ id: `${ids[source]}->${ids[k]}${multi ? `#${slot}` : ''}`, source: ids[source], target: ids[k], ...(multi ? { targetSlot: slot } : {}) });
      });
    });
    const positions = layoutDesign({ nodes, edges });
    const graph = this.model.graph!;
    const design: Design = {
      format: 'netcanvas',
      version: FORMAT_VERSION,
      name: graph.name || 'Imported model',
      // Language-neutral (names and numbers): the same text is the description in either language.
      description: sameInEveryLanguage(`ONNX · ${[this.model.producerName, this.model.producerVersion].filter(Boolean).join(' ') || '?'} · opset ${this.opset}`),
      nodes: nodes.map((n) => ({ ...n, position: positions.get(n.id)! })),
      edges,
    };
    const weights = new Map<string, Record<string, WeightTensor>>();
    this.drafts.forEach((d, k) => {
      if (Object.keys(d.weights).length > 0) weights.set(ids[k], d.weights);
    });
    return { design, weights, ops: this.nodes.length };
  }
}

/**
 * The weights with none still a view of the file's bytes: the caller may drop or reuse them, and a view
 * would keep the whole file alive and carry it along when a tensor is posted to a worker or stored (a
 * structured clone copies a view's whole buffer). Only the tensors the import did not permute are copied.
 */
function ownWeights(weights: DesignWeights, bytes: Uint8Array): DesignWeights {
  const own = (t: WeightTensor): WeightTensor => (t.data.buffer === bytes.buffer ? { shape: t.shape, data: t.data.slice() } : t);
  return new Map([...weights].map(([id, named]) => [id, Object.fromEntries(Object.entries(named).map(([k, t]) => [k, own(t)]))]));
}

/**
 * Reads an ONNX model. `file` names it in messages. Never throws: every problem is an Issue, and on any
 * problem nothing is returned but that Issue. With `consume`, `bytes` is rearranged in place (weights
 * moved onto 4-byte boundaries, so that none is copied before it is permuted) and cannot be read again:
 * for callers that read the file for this import alone.
 */
export function importOnnx(bytes: Uint8Array, file = 'The file', options: { readonly consume?: boolean } = {}): OnnxImportResult {
  if (bytes.length > MAX_IMPORT_MB * 2 ** 20) return refuse('import-too-large', { file, size: Math.round(bytes.length / 2 ** 20), max: MAX_IMPORT_MB });
  let model;
  try {
    model = readOnnxModel(bytes);
  } catch (e) {
    if (e instanceof ProtoError) return refuse('import-unreadable', { file, at: e.message });
    return refuse('import-unreadable', { file, at: String(e) });
  }
  if (!model.graph || model.graph.nodes.length === 0) return refuse('import-no-graph', { file });
  const opset = model.opsets.get('') ?? (model.opsets.size === 0 ? undefined : -1);
  if (opset === undefined || opset < IMPORT_OPSETS.min || opset > IMPORT_OPSETS.max) {
    return refuse('import-opset', { domain: 'ai.onnx', version: opset ?? 'none', range: `${IMPORT_OPSETS.min}–${IMPORT_OPSETS.max}` });
  }
  try {
    const { design, weights, ops } = new Importer(model, opset, options.consume === true).run();
    const inference = inferShapes(design);
    const errors = designErrors(design, inference);
    if (errors.length > 0) return refuse('import-shape', { node: errors[0].nodeId ?? design.name, op: 'graph', detail: `${errors[0].code} ${JSON.stringify(errors[0].values)}` });
    for (const [id, named] of weights) {
      for (const w of inference.nodes.get(id)!.weights) {
        const t = named[w.name];
        if (!t || !sameInts(t.shape, w.shape)) return refuse('import-shape', { node: id, op: 'weights', detail: `${w.name} does not fit [${w.shape.join(', ')}]` });
      }
    }
    return { ok: true, design, weights: ownWeights(weights, bytes), summary: { producer: model.producerName, opset, ops, layers: design.nodes.length } };
  } catch (e) {
    if (e instanceof ImportFailure) return { ok: false, issue: e.issue };
    if (e instanceof ProtoError) return refuse('import-unreadable', { file, at: e.message });
    // A bug of ours, not the file's: still a message, and the open design stays as it was.
    return refuse('import-unreadable', { file, at: e instanceof Error ? e.message : String(e) });
  }
}
