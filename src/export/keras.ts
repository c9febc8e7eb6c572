/**
 * Design → Keras 3: `model.py` (functional API: `keras.Input`, `keras.layers.*` with explicit arguments,
 * `keras.Model`), `model_config.json` (the functional-model config the app compiles with), and, when the
 * design carries weights, `weights.npz` plus the code that loads it.
 *
 * The layers are the ones each layer file declares in `keras()`, laid out by the Keras topology builder
 * the tfjs compile uses too (graph/keras-topology.ts), and printed as constructor calls. Keras 3 differs
 * from that (tf.keras 2 / tfjs) config in a few names, translated in KERAS3 below. Layer names and Python
 * variables are the sanitiser's identifiers (./sanitize.ts), shared by model.py, model_config.json and the
 * keys of weights.npz ("layer/weight", Keras layout, so `set_weights` takes them as they are). Free text
 * reaches the file only as escaped docstrings and comments.
 */
import {
  buildKerasTopology,
  designErrors,
  displayName,
  inferShapes,
  TF_KERAS_2,
  type Design,
  type DesignInference,
  type KerasNaming,
  type KerasTopology,
  type Shape,
} from '../graph/index.ts';
import type { DesignWeights } from '../graph/weights.ts';
import { weightsIssue } from './design-checks.ts';
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
  /** model_config.json. */
  readonly config: KerasTopology;
}

/**
 * Layer names are model.py's variables: the sanitiser's identifiers for the nodes' names (labels or ids),
 * `${node}_${suffix}` for a chain's helpers, and the design's name for the model.
 */
function pythonNaming(): KerasNaming {
  const namer = new PyNamer(MODULE_NAMES);
  return {
    nodes: (design, order) => {
      const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
      return new Map(order.map((id) => [id, namer.claim(displayName(byId.get(id)!))] as const));
    },
    helper: (node, suffix) => namer.claimExact(`${node}_${suffix}`),
    model: (design) => namer.claim(design.name, 'network'),
  };
}

/**
 * Names, order and arguments of every layer, and model_config.json (the functional-model config of the
 * layers, in the tf.keras 2 layout TensorFlow.js reads, under model.py's names); the design's inference
 * must have no errors.
 */
export function planKeras(design: Design, inference: DesignInference): KerasPlan {
  const built = buildKerasTopology(design, inference, { naming: pythonNaming(), header: TF_KERAS_2 });
  const calls: KerasCall[] = built.layers.map(({ nodeId, layer, name, inputs }) => {
    const renames = KERAS3[layer.className] ?? {};
    const args = Object.fromEntries(Object.entries(layer.config).map(([k, v]) => [renames[k] ?? k, v]));
    return { nodeId, className: layer.className, config: layer.config, args, name, inputs };
  });
  const layerOf = new Map([...built.names].map(([id, names]) => [id, names.at(-1)!] as const));
  return { modelName: built.modelName, calls, layerOf, inputs: built.inputs, outputs: built.outputs, inference, config: built.json };
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
 * The Keras export: model.py, model_config.json and, with `options.weights`, weights.npz. An invalid
 * design, or weights that do not fit it, give the issues instead.
 */
export function exportKeras(design: Design, options: ExportOptions = {}): ExportResult {
  const inference = options.inference ?? inferShapes(design);
  const issues = designErrors(design, inference);
  if (issues.length > 0) return { ok: false, issues };
  if (options.weights) {
    const mismatch = weightsIssue(design, inference, options.weights);
    if (mismatch) return { ok: false, issues: [mismatch] };
  }
  const plan = planKeras(design, inference);
  const files: ExportFile[] = [
    { path: 'model.py', content: modelSource(design, plan, options.weights !== undefined) },
    { path: 'model_config.json', content: `${JSON.stringify(plan.config, null, 2)}\n` },
  ];
  if (options.weights) files.push({ path: 'weights.npz', content: npz(weightArrays(plan, options.weights)) });
  return { ok: true, files };
}
