/**
 * Design → Keras 3: `model.py` (functional API: `keras.Input`, `keras.layers.*` with explicit arguments,
 * `keras.Model`), `model_config.json` (the functional-model config the app compiles with), and, when the
 * design carries weights, `weights.npz` plus the code that loads it.
 *
 * The layers are the ones each layer file declares in `keras()` (the same chains tfjs builds), printed as
 * constructor calls. Keras 3 differs from that (tf.keras 2 / tfjs) config in a few names, translated in
 * KERAS3 below. Layer names and Python variables are the sanitiser's identifiers (./sanitize.ts), shared
 * by model.py, model_config.json and the keys of weights.npz ("layer/weight", Keras layout, so
 * `set_weights` takes them as they are). Free text reaches the file only as escaped docstrings and comments.
 */
// Types only: this module must not load the tfjs runtime (the code panel imports it in the browser).
import type { KerasLayerJson, KerasTopology } from '../compile/compile.ts';
import {
  buildTopology,
  displayName,
  inferShapes,
  layerSpec,
  resolveParams,
  type Design,
  type DesignInference,
  type KerasLayer,
  type Shape,
} from '../graph/index.ts';
import type { DesignWeights } from '../graph/weights.ts';
import { designErrors, weightsIssue } from './design-checks.ts';
import { npz, type NdArray } from './npz.ts';
import { PyNamer, pyComment, pyCommentLines, pyDocstring, pyString, wrapText } from './sanitize.ts';
import type { ExportFile, ExportOptions, ExportResult } from './types.ts';

/** Names the generated module defines or imports; no layer variable may shadow them. */
const MODULE_NAMES = ['keras', 'build_model', 'load_weights', 'model', 'weights', 'path', 'WEIGHTS'];

/**
 * Keras 3 spellings of the serialised (tf.keras 2 / tfjs) config: renamed arguments per class. The
 * InputLayer becomes `keras.Input(shape=…)` (see inputCall).
 */
const KERAS3: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  LeakyReLU: { alpha: 'negative_slope' },
};

/**
 * Where Keras 3 computes something else than the app for the same arguments; the line goes above the
 * call in model.py. Shapes and weights are the same in both.
 */
function keras3Note(call: KerasCall): string | null {
  if (call.className === 'UpSampling2D' && call.args.interpolation === 'bilinear') {
    return 'Keras 3 interpolates bilinearly with half-pixel centres (tf.image.resize); the app (TensorFlow.js) does not, so values differ slightly';
  }
  return null;
}

/** One Keras layer of the plan: its class, constructor arguments, name and inputs (variable names). */
export interface KerasCall {
  readonly nodeId: string;
  readonly className: string;
  /** The layer's serialised config as its layer file gives it (tf.keras 2 / tfjs names). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The Keras 3 constructor arguments (KERAS3 renames applied). */
  readonly args: Readonly<Record<string, unknown>>;
  readonly name: string;
  readonly inputs: readonly string[];
}

export interface KerasPlan {
  readonly modelName: string;
  readonly calls: readonly KerasCall[];
  /** Node id → its layer (the last of its chain), which holds the node's weights. */
  readonly layerOf: ReadonlyMap<string, string>;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly inference: DesignInference;
}

function chainOf(design: Design, inference: DesignInference, id: string): readonly KerasLayer[] {
  const node = design.nodes.find((n) => n.id === id)!;
  const info = inference.nodes.get(id)!;
  const spec = layerSpec(node.kind);
  const { values } = resolveParams(displayName(node), id, node.kind, spec.params, node.params ?? {});
  return spec.keras({ name: displayName(node), nodeId: id, params: values, inputs: info.inputShapes as Shape[], output: info.outputShape! });
}

/** Names, order and arguments of every layer; the design's inference must have no errors. */
export function planKeras(design: Design, inference: DesignInference): KerasPlan {
  const topology = buildTopology(design);
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  const namer = new PyNamer(MODULE_NAMES);
  const names = new Map(inference.order.map((id) => [id, namer.claim(displayName(byId.get(id)!))] as const));
  const calls: KerasCall[] = [];
  for (const id of inference.order) {
    const chain = chainOf(design, inference, id);
    const own = names.get(id)!;
    let inputs = (topology.inputsOf.get(id) ?? []).map((src) => names.get(src)!);
    chain.forEach((layer, i) => {
      const last = i === chain.length - 1;
      const name = last ? own : namer.claimExact(`${own}_${layer.suffix ?? `part${i}`}`);
      const renames = KERAS3[layer.className] ?? {};
      const args = Object.fromEntries(Object.entries(layer.config).map(([k, v]) => [renames[k] ?? k, v]));
      calls.push({ nodeId: id, className: layer.className, config: layer.config, args, name, inputs });
      inputs = [name];
    });
  }
  // Last, so layers keep their names; the model's name only has to differ from theirs.
  const modelName = namer.claim(design.name, 'network');
  const inputNodes = design.nodes.filter((n) => n.kind === 'Input').map((n) => names.get(n.id)!);
  const outputs = inference.order.filter((id) => (topology.consumersOf.get(id) ?? []).length === 0).map((id) => names.get(id)!);
  return { modelName, calls, layerOf: names, inputs: inputNodes, outputs, inference };
}

/** A JSON-like value as a Python literal: lists become tuples (Keras's shapes and pairs), text is escaped. */
export function pyLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) {
    const items = value.map(pyLiteral);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  throw new Error(`no Python literal for ${JSON.stringify(value)}`);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function callLine(call: KerasCall): string {
  // Class names and argument names come from the layer files, never from the user; checked all the same.
  if (!/^[A-Z][A-Za-z0-9]*$/.test(call.className)) throw new Error(`bad Keras class ${call.className}`);
  if (call.className === 'InputLayer') {
    const shape = (call.args.batch_input_shape as number[]).slice(1);
    return `${call.name} = keras.Input(shape=${pyLiteral(shape)}, name=${pyString(call.name)})`;
  }
  const args = Object.entries(call.args).map(([k, v]) => {
    if (!IDENTIFIER.test(k)) throw new Error(`bad argument name ${k}`);
    return `${k}=${pyLiteral(v)}`;
  });
  args.push(`name=${pyString(call.name)}`);
  const inputs = call.inputs.length === 1 && !['Add', 'Concatenate'].includes(call.className) ? call.inputs[0] : `[${call.inputs.join(', ')}]`;
  return `${call.name} = keras.layers.${call.className}(${args.join(', ')})(${inputs})`;
}

const pyShape = (shape: Shape) => `(None, ${shape.map((d) => (d === null ? 'None' : d)).join(', ')})`;

function modelSource(design: Design, plan: KerasPlan, withWeights: boolean): string {
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  const t = plan.inference.totals;
  const doc = [
    `${design.name || 'model'}: a Keras 3 model exported from NetCanvas.`,
    ...(design.description ? ['', design.description] : []),
    '',
    `${t.totalParams.toLocaleString('en-US')} parameters (${t.trainableParams.toLocaleString('en-US')} trainable). ` +
      'Shapes are channels-last: (batch, height, width, channels).',
    '',
    'Usage:',
    '    from model import build_model',
    withWeights ? '    model = build_model(weights=True)  # with the weights trained in NetCanvas' : '    model = build_model()',
  ];
  const lines: string[] = [pyDocstring(doc.join('\n'))];
  if (design.notes) lines.push('', ...pyCommentLines(wrapText(design.notes, 96)), '');
  if (withWeights) lines.push('import os', '');
  lines.push('import keras');
  if (withWeights) lines.push('import numpy as np', '', 'WEIGHTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights.npz")');
  lines.push('', '');
  lines.push(withWeights ? 'def build_model(weights=False):' : 'def build_model():');
  lines.push(`    """Builds the model${withWeights ? '; with weights=True, also loads weights.npz' : ''}."""`);
  let node = '';
  for (const call of plan.calls) {
    if (call.nodeId !== node) {
      node = call.nodeId;
      const n = byId.get(node)!;
      const info = plan.inference.nodes.get(node)!;
      const params = info.trainableParams + info.nonTrainableParams;
      const label = n.label?.trim() ? ` "${pyComment(n.label)}"` : '';
      lines.push(`    # ${n.kind}${label} -> ${pyShape(info.outputShape!)}, ${params.toLocaleString('en-US')} parameters`);
      if (n.notes) lines.push(...pyCommentLines(wrapText(n.notes, 92), '    '));
    }
    const note = keras3Note(call);
    if (note) lines.push(`    # Note: ${note}.`);
    lines.push(`    ${callLine(call)}`);
  }
  const list = (names: readonly string[]) => (names.length === 1 ? names[0] : `[${names.join(', ')}]`);
  lines.push(`    model = keras.Model(inputs=${list(plan.inputs)}, outputs=${list(plan.outputs)}, name=${pyString(plan.modelName)})`);
  if (withWeights) lines.push('    if weights:', '        load_weights(model)');
  lines.push('    return model', '');
  if (withWeights) {
    lines.push(
      '',
      'def load_weights(model, path=WEIGHTS):',
      '    """Sets every layer\'s weights from a NetCanvas weights file (Keras layout, keys "layer/weight")."""',
      '    weights = np.load(path)',
    );
    for (const [id, layer] of plan.layerOf) {
      const declared = plan.inference.nodes.get(id)!.weights;
      if (declared.length === 0) continue;
      const arrays = declared.map((w) => `weights[${pyString(`${layer}/${w.name}`)}]`);
      lines.push(`    model.get_layer(${pyString(layer)}).set_weights([${arrays.join(', ')}])`);
    }
    lines.push('');
  }
  lines.push('', 'if __name__ == "__main__":', `    build_model(${withWeights ? 'weights=True' : ''}).summary()`, '');
  return lines.join('\n');
}

/** weights.npz: every node's weights under "layer/weight", in Keras layout. */
function weightArrays(plan: KerasPlan, weights: DesignWeights): Map<string, NdArray> {
  const arrays = new Map<string, NdArray>();
  for (const [id, layer] of plan.layerOf) {
    for (const w of plan.inference.nodes.get(id)!.weights) arrays.set(`${layer}/${w.name}`, weights.get(id)![w.name]);
  }
  return arrays;
}

/**
 * The functional-model config the app compiles with (`toKerasTopology` with target 'keras': the
 * `model.to_json()` layout of tf.keras 2, which TensorFlow.js reads), written from the plan so that its
 * layer names are model.py's. keras.test.ts checks it equals toKerasTopology's, names aside.
 */
export function kerasModelConfig(plan: KerasPlan): KerasTopology {
  const layers: KerasLayerJson[] = plan.calls.map((call) => ({
    class_name: call.className,
    name: call.name,
    config: { name: call.name, trainable: true, ...call.config },
    inbound_nodes: call.inputs.length === 0 ? [] : [call.inputs.map((src): [string, number, number, Record<string, unknown>] => [src, 0, 0, {}])],
  }));
  const ref = (name: string): [string, number, number] => [name, 0, 0];
  return {
    class_name: 'Functional',
    config: { name: plan.modelName, layers, input_layers: plan.inputs.map(ref), output_layers: plan.outputs.map(ref) },
    keras_version: '2.15.0',
    backend: 'tensorflow',
  };
}

/**
 * The Keras export: model.py, model_config.json and, with `options.weights`, weights.npz. An invalid
 * design, or weights that do not fit it, give the issues instead.
 */
export function exportKeras(design: Design, options: ExportOptions = {}): ExportResult {
  const inference = inferShapes(design);
  const issues = designErrors(design, inference);
  if (issues.length > 0) return { ok: false, issues };
  if (options.weights) {
    const mismatch = weightsIssue(design, inference, options.weights);
    if (mismatch) return { ok: false, issues: [mismatch] };
  }
  const plan = planKeras(design, inference);
  const files: ExportFile[] = [
    { path: 'model.py', content: modelSource(design, plan, options.weights !== undefined) },
    { path: 'model_config.json', content: `${JSON.stringify(kerasModelConfig(plan), null, 2)}\n` },
  ];
  if (options.weights) files.push({ path: 'weights.npz', content: npz(weightArrays(plan, options.weights)) });
  return { ok: true, files };
}
