/**
 * Design → ONNX model (opset 13, IR version 7), written in the browser with no runtime download: each
 * layer file's `onnx` mapping gives the ops; this module names the tensors, turns weights into
 * initializers in ONNX's layouts and inserts the Transposes between layouts.
 *
 * Layout. The model's inputs and outputs are channels-last (NHWC, batch first, "N" symbolic), exactly
 * like the tfjs model, so the two are compared value for value. Inside, convolutions, pooling, BatchNorm,
 * padding and resizing run channels-first (NCHW, ONNX's only conv layout); Flatten, Reshape and Dense
 * read channels-last order as Keras does, so a Dense after a Flatten keeps its Keras kernel unpermuted.
 * Every tensor's layout is tracked and a Transpose is inserted only where a consumer needs the other one
 * (and reused by every consumer that does): a plain CNN has one after its input and one before its
 * Flatten. Vectors (rank 1 without the batch) have one layout.
 *
 * Weights. The export carries `options.weights` (Keras layout, as trained in the app). Without them it
 * carries freshly initialised ones, as a new Keras model would have: Glorot-uniform kernels drawn from a
 * seeded PRNG (`seed`, default 0, so the same design gives the same file), zero biases and β, unit γ,
 * zero running means and unit running variances. The summary says which.
 */
import {
  buildTopology,
  designErrors,
  displayName,
  inferShapes,
  layerSpec,
  mappingContext,
  type Design,
  type DesignInference,
  type Issue,
  type OnnxInput,
  type OnnxLayout,
} from '../graph/index.ts';
import { mulberry32 } from '../graph/random.ts';
import { formatCount } from '../graph/number-format.ts';
import type { Lang } from '../graph/types.ts';
import type { DesignWeights, WeightTensor } from '../graph/weights.ts';
import { encodeOnnxModel, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './onnx-proto.ts';
import { weightsIssue } from './design-checks.ts';
import { reshape, transpose, type NdArray } from './npz.ts';
import { wellFormed } from './sanitize.ts';
import type { ExportOptions, ExportResult } from './types.ts';

export const ONNX_OPSET = 13;
/** IR version 7 (ONNX 1.7): the oldest that opset 13 needs, so older runtimes and checkers read it. */
export const ONNX_IR_VERSION = 7;
const PRODUCER = { name: 'NetCanvas', version: '0.1.0' };
const BATCH = 'N';

export interface OnnxExportOptions extends ExportOptions {
  /** Seed of the initial weights drawn when `weights` is absent (default 0). */
  readonly seed?: number;
}

/** Where each design node's output ended up in the ONNX graph. */
export interface OnnxNodeInfo {
  readonly nodeId: string;
  readonly kind: string;
  /** The tensor that holds the node's output, in `layout`. */
  readonly tensor: string;
  readonly layout: OnnxLayout;
  /** Op types this node became, Transposes inserted for its inputs included. */
  readonly ops: readonly string[];
}

export interface OnnxBuild {
  readonly model: OnnxModel;
  readonly nodes: readonly OnnxNodeInfo[];
  /** Graph input / output names, in the tfjs model's order (Input nodes in document order; sinks in topological order). */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly trainedWeights: boolean;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Weights as a new Keras model starts with. Glorot-uniform uses Keras's fans for any kernel rank:
 * receptive field = product of all but the last two axes, fan_in = axis −2 × field, fan_out = axis −1 × field.
 */
export function initialWeights(inference: DesignInference, seed = 0): DesignWeights {
  const random = mulberry32(seed);
  const out = new Map<string, Record<string, WeightTensor>>();
  for (const id of inference.order) {
    const tensors: Record<string, WeightTensor> = {};
    for (const w of inference.nodes.get(id)!.weights) {
      const data = new Float32Array(size(w.shape));
      if (w.name.endsWith('kernel')) {
        const field = size(w.shape.slice(0, -2));
        const limit = Math.sqrt(6 / ((w.shape.at(-2)! + w.shape.at(-1)!) * field));
        for (let i = 0; i < data.length; i++) data[i] = (random() * 2 - 1) * limit;
      } else if (w.name === 'gamma' || w.name === 'moving_variance') data.fill(1);
      tensors[w.name] = { shape: w.shape, data };
    }
    out.set(id, tensors);
  }
  return out;
}

/** Axis order that turns a channels-last tensor of `rank` axes (batch included) channels-first, or back. */
function layoutPerm(rank: number, to: OnnxLayout): number[] {
  const middle = Array.from({ length: rank - 2 }, (_, i) => i + 1);
  return to === 'channels-first' ? [0, rank - 1, ...middle] : [0, ...middle.map((a) => a + 1), 1];
}

class Names {
  private readonly used = new Set<string>();
  claim(wanted: string): string {
    let name = wanted;
    for (let i = 2; this.used.has(name); i++) name = `${wanted}_${i}`;
    this.used.add(name);
    return name;
  }
}

interface Placed {
  readonly name: string;
  readonly layout: OnnxLayout;
  /** Rank without the batch. */
  readonly rank: number;
}

/**
 * The node names used in the graph: a node's output tensor is named after its id, as the user sees it in
 * Netron. ONNX names are data, not code (nothing evaluates them), so they need no Python sanitising, only
 * to be valid UTF-8 and unique.
 */
function nodeBaseNames(design: Design): Map<string, string> {
  const names = new Names();
  return new Map(design.nodes.map((n) => [n.id, names.claim(wellFormed(n.id))] as const));
}

/**
 * Builds the ONNX graph of a design whose inference has no errors, with the given weights (Keras
 * layout, already checked against the declarations).
 */
export function buildOnnx(design: Design, inference: DesignInference, weights: DesignWeights, trainedWeights: boolean): OnnxBuild {
  const topology = buildTopology(design);
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  const baseNames = nodeBaseNames(design);
  const tensorNames = new Names();
  for (const name of baseNames.values()) tensorNames.claim(name);
  const opNames = new Names();
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  const placed = new Map<string, Placed>();
  /** `${tensor}|${layout}` → the transposed tensor, so consumers share one Transpose. */
  const views = new Map<string, string>();
  const infos: OnnxNodeInfo[] = [];

  const emit = (base: string, opType: string, ins: string[], out: string, attributes?: OnnxNode['attributes']) => {
    nodes.push({ name: opNames.claim(`${base}/${opType}`), opType, inputs: ins, outputs: [out], ...(attributes ? { attributes } : {}) });
  };
  const transposeTo = (t: Placed, to: OnnxLayout, base: string, out?: string): string => {
    const name = out ?? tensorNames.claim(`${t.name}/${to === 'channels-first' ? 'nchw' : 'nhwc'}`);
    emit(base, 'Transpose', [t.name], name, { perm: { ints: layoutPerm(t.rank + 1, to) } });
    return name;
  };
  /** The tensor of node `id`'s output in `layout`, transposing (once) when needed. */
  const inLayout = (id: string, layout: OnnxLayout, ops: string[]): string => {
    const t = placed.get(id)!;
    if (t.rank <= 1 || t.layout === layout) return t.name;
    const key = `${t.name}|${layout}`;
    if (!views.has(key)) {
      views.set(key, transposeTo(t, layout, t.name));
      ops.push('Transpose');
    }
    return views.get(key)!;
  };

  const consumers = (id: string) => topology.consumersOf.get(id) ?? [];
  for (const id of inference.order) {
    const node = byId.get(id)!;
    const info = inference.nodes.get(id)!;
    const base = baseNames.get(id)!;
    const output = info.outputShape!;
    const rank = output.length;
    const isSink = consumers(id).length === 0;
    if (node.kind === 'Input') {
      inputs.push({ name: base, dims: [BATCH, ...(output as number[])] });
      placed.set(id, { name: base, layout: 'channels-last', rank });
      const ops: string[] = [];
      if (isSink) {
        // A graph input cannot also be a graph output under its own name: copy it.
        const copy = tensorNames.claim(`${base}/output`);
        emit(base, 'Identity', [base], copy);
        outputs.push({ name: copy, dims: [BATCH, ...(output as number[])] });
        ops.push('Identity');
      }
      infos.push({ nodeId: id, kind: node.kind, tensor: base, layout: 'channels-last', ops });
      continue;
    }
    const spec = layerSpec(node.kind);
    const sources = topology.inputsOf.get(id) ?? [];
    const arriving = sources.length > 0 && placed.get(sources[0])!.rank > 1 ? placed.get(sources[0])!.layout : 'channels-last';
    const mapping = spec.onnx({ ...mappingContext(info), layout: arriving });
    const readLayout = mapping.layout === 'any' ? arriving : mapping.layout;
    const outLayout: OnnxLayout = rank <= 1 ? 'channels-last' : readLayout;
    const opTypes: string[] = [];
    const inputNames = sources.map((s) => inLayout(s, readLayout, opTypes));
    // A sink leaves the graph channels-last under the node's own name.
    const finalTranspose = isSink && outLayout === 'channels-first';
    const lastName = finalTranspose ? tensorNames.claim(`${base}/nchw`) : base;
    const stepOutputs: string[] = [];
    const nodeWeights = weights.get(id) ?? {};
    const resolve = (ref: OnnxInput): string => {
      if ('input' in ref) return inputNames[ref.input];
      if ('step' in ref) return stepOutputs[ref.step];
      if ('absent' in ref) return '';
      if ('weight' in ref) {
        let array: NdArray = nodeWeights[ref.weight];
        if (ref.perm) array = transpose(array, ref.perm);
        if (ref.reshape) array = reshape(array, ref.reshape);
        const name = tensorNames.claim(`${base}/${ref.weight}`);
        initializers.push({ name, dims: array.shape, type: 'float', data: array.data });
        return name;
      }
      const name = tensorNames.claim(`${base}/const`);
      const data = ref.type === 'int64' ? BigInt64Array.from(ref.constant.map((v) => BigInt(v))) : Float32Array.from(ref.constant);
      initializers.push({ name, dims: ref.dims, type: ref.type, data });
      return name;
    };
    mapping.ops.forEach((op, i) => {
      const last = i === mapping.ops.length - 1;
      const out = last ? lastName : tensorNames.claim(`${base}/${op.op}`);
      emit(base, op.op, op.inputs.map(resolve), out, op.attributes);
      stepOutputs.push(out);
      opTypes.push(op.op);
    });
    placed.set(id, { name: lastName, layout: outLayout, rank });
    if (finalTranspose) {
      transposeTo(placed.get(id)!, 'channels-last', base, base);
      opTypes.push('Transpose');
      placed.set(id, { name: base, layout: 'channels-last', rank });
    }
    if (isSink) outputs.push({ name: base, dims: [BATCH, ...(output as number[])] });
    infos.push({ nodeId: id, kind: node.kind, tensor: placed.get(id)!.name, layout: placed.get(id)!.layout, ops: opTypes });
  }
  // Graph inputs in document order, as the tfjs model's.
  const inputOrder = design.nodes.filter((n) => n.kind === 'Input').map((n) => baseNames.get(n.id)!);
  inputs.sort((a, b) => inputOrder.indexOf(a.name) - inputOrder.indexOf(b.name));
  const model: OnnxModel = {
    irVersion: ONNX_IR_VERSION,
    opsetVersion: ONNX_OPSET,
    producerName: PRODUCER.name,
    producerVersion: PRODUCER.version,
    ...(design.description ? { docString: design.description } : {}),
    metadata: { layout: 'inputs and outputs are channels-last (NHWC), like the NetCanvas/tfjs model' },
    graph: { name: design.name || 'model', nodes, initializers, inputs, outputs },
  };
  return { model, nodes: infos, inputs: inputs.map((i) => i.name), outputs: outputs.map((o) => o.name), trainedWeights };
}

/** Binary sizes with the language's decimal mark. */
function fileSize(bytes: number, lang: Lang): string {
  const text = bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return lang === 'es' ? text.replace('.', ',') : text;
}

function formatDims(dims: readonly (number | string)[]): string {
  return `[${dims.join(', ')}]`;
}

/** The summary's words, per language; op types, tensor names and shapes stay as ONNX writes them. */
const SUMMARY_TEXT = {
  en: {
    model: (name: string, opset: number, ir: number, size: string) => `ONNX model "${name}": opset ${opset}, IR version ${ir}, ${size}`,
    trained: 'Weights: as trained in NetCanvas.',
    fresh: (seed: number) => `Weights: not trained; freshly initialised (Glorot-uniform kernels, seed ${seed}).`,
    layout: ['Layout: inputs and outputs are channels-last (NHWC) like the app; convolutions run channels-first', '(NCHW) inside, between Transposes.'],
    inputs: 'Inputs:',
    outputs: 'Outputs:',
    params: (total: string, trainable: string, frozen: string, initializers: number) =>
      `Parameters: ${total} (${trainable} trainable, ${frozen} non-trainable) in ${initializers} initializers`,
    ops: 'Ops',
    nodes: 'Nodes (output shapes channels-last, batch N):',
    graphInput: '(graph input)',
    header: ['node', 'kind', 'ONNX ops', 'output', 'params'],
  },
  es: {
    model: (name: string, opset: number, ir: number, size: string) => `Modelo ONNX "${name}": opset ${opset}, versión IR ${ir}, ${size}`,
    trained: 'Pesos: los entrenados en NetCanvas.',
    fresh: (seed: number) => `Pesos: sin entrenar; recién inicializados (kernels Glorot uniforme, semilla ${seed}).`,
    layout: ['Disposición: entradas y salidas con los canales al final (NHWC), como en la app; las convoluciones', 'trabajan por dentro con los canales primero (NCHW), entre Transposes.'],
    inputs: 'Entradas:',
    outputs: 'Salidas:',
    params: (total: string, trainable: string, frozen: string, initializers: number) =>
      `Parámetros: ${total} (${trainable} entrenables, ${frozen} no entrenables) en ${initializers} initializers`,
    ops: 'Operaciones',
    nodes: 'Nodos (formas de salida con los canales al final, lote N):',
    graphInput: '(entrada del grafo)',
    header: ['nodo', 'tipo', 'operaciones ONNX', 'salida', 'parámetros'],
  },
} as const satisfies Record<Lang, unknown>;

/** The "ONNX summary" tab: what the file holds, for a reader who has no Netron at hand, in `lang`. */
export function onnxSummary(design: Design, inference: DesignInference, build: OnnxBuild, fileBytes: number, seed: number, lang: Lang = 'en'): string {
  const text = SUMMARY_TEXT[lang];
  const count = (n: number) => formatCount(n, lang);
  const { model } = build;
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  const t = inference.totals;
  const counts = new Map<string, number>();
  for (const n of model.graph.nodes) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
  const lines = [
    text.model(model.graph.name, model.opsetVersion, model.irVersion, fileSize(fileBytes, lang)),
    build.trainedWeights ? text.trained : text.fresh(seed),
    ...text.layout,
    '',
    text.inputs,
    ...model.graph.inputs.map((v) => `  ${v.name}  float32 ${formatDims(v.dims)}`),
    text.outputs,
    ...model.graph.outputs.map((v) => `  ${v.name}  float32 ${formatDims(v.dims)}`),
    '',
    text.params(count(t.totalParams), count(t.trainableParams), count(t.nonTrainableParams), model.graph.initializers.length),
    `${text.ops}: ${model.graph.nodes.length} — ${[...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([op, n]) => `${op} ×${n}`).join(', ')}`,
    '',
    text.nodes,
  ];
  const rows = build.nodes.map((n) => {
    const info = inference.nodes.get(n.nodeId)!;
    return [
      displayName(byId.get(n.nodeId)!),
      n.kind,
      n.ops.join(' → ') || text.graphInput,
      formatDims([BATCH, ...(info.outputShape as number[])]),
      count(info.trainableParams + info.nonTrainableParams),
    ];
  });
  const header = [...text.header];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const row = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  lines.push(row(header), ...rows.map(row));
  return `${lines.join('\n')}\n`;
}

/**
 * The ONNX export: `model.onnx` and `onnx-summary.txt`. An invalid design, or weights that do not fit
 * it, give the issues instead.
 */
export function exportOnnx(design: Design, options: OnnxExportOptions = {}): ExportResult {
  const inference = options.inference ?? inferShapes(design);
  const issues = designErrors(design, inference);
  if (issues.length > 0) return { ok: false, issues };
  const seed = options.seed ?? 0;
  const weights = options.weights ?? initialWeights(inference, seed);
  const mismatch = options.weights ? weightsIssue(design, inference, options.weights) : null;
  if (mismatch) return { ok: false, issues: [mismatch] };
  const build = buildOnnx(design, inference, weights, options.weights !== undefined);
  const bytes = encodeOnnxModel(build.model);
  return {
    ok: true,
    files: [
      { path: 'model.onnx', content: bytes },
      { path: 'onnx-summary.txt', content: onnxSummary(design, inference, build, bytes.length, seed, options.lang) },
    ],
  };
}

