/**
 * Design → Keras 3: `model.py` (functional API: `keras.Input`, `keras.layers.*` with explicit arguments,
 * `keras.Model`), `model_config.json` (the Keras 3 functional-model config: `keras.models.model_from_json`
 * reads it), README.txt, and, when the design carries weights, `weights.npz`.
 *
 * The layers are the ones each layer file declares in `keras()`, laid out by the Keras topology builder
 * the tfjs compile uses too (graph/keras-topology.ts), in its Keras 3 rendering (Keras 3 argument names,
 * data_format stated on every layer that has one), and printed as constructor calls. Layer names and
 * Python variables are the sanitiser's identifiers (./sanitize.ts), shared by model.py, model_config.json
 * and the keys of weights.npz: each variable's Keras 3 path ("layer/variable", Keras layout), which is
 * how model.py's load_weights finds it. Free text reaches the file only as escaped docstrings and comments.
 */
import {
  buildKeras3Topology,
  designErrors,
  displayName,
  inferShapes,
  keras3TakesList,
  keras3VariableName,
  type Design,
  type DesignInference,
  type Keras3Topology,
  type KerasNaming,
  type Shape,
} from '../graph/index.ts';
import type { DesignWeights } from '../graph/weights.ts';
import { flattenDesign, hasBlocks } from '../graph/blocks.ts';
import { planKerasBlocks, type KerasBlocks } from './keras-blocks.ts';
import { weightsIssue } from './design-checks.ts';
import { npzChunks, type NdArray } from './npz.ts';
import { PyNamer, pyComment, pyCommentLines, pyDocstring, pyString, wrapText } from './sanitize.ts';
import { plainText } from '../graph/texts.ts';
import { wholeContent, type ChunkedContent, type ExportFile, type ExportOptions, type ExportResult } from './types.ts';

/** Names the generated module defines or imports; no layer variable may shadow them. */
const MODULE_NAMES = ['keras', 'np', 'Path', 'build_model', 'load_weights', 'model', 'weights', 'path', 'arrays', 'WEIGHTS_FILE'];

/** One Keras layer of the plan: its class, Keras 3 constructor arguments (its config), name and inputs (variable names). */
export interface KerasCall {
  readonly nodeId: string;
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly name: string;
  readonly inputs: readonly string[];
  /** The layer file's word on why its chain reads as it does (exact pooling). */
  readonly note?: string;
}

export interface KerasPlan {
  readonly modelName: string;
  readonly calls: readonly KerasCall[];
  /** Node id → its layer (the last of its chain), which holds the node's weights. */
  readonly layerOf: ReadonlyMap<string, string>;
  /** Node id → weight name as declared → the Keras 3 variable path ("layer/variable"), the key in weights.npz. */
  readonly variablePaths: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly inference: DesignInference;
  /** model_config.json. */
  readonly config: Keras3Topology;
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
 * Names, order and arguments of every layer, and model_config.json (the Keras 3 functional-model config
 * of the same layers under model.py's names); the design's inference must have no errors.
 */
export function planKeras(design: Design, inference: DesignInference): KerasPlan {
  const built = buildKeras3Topology(design, inference, { naming: pythonNaming() });
  const calls: KerasCall[] = built.layers.map(({ nodeId, layer, name, inputs }) => ({
    nodeId,
    className: layer.className,
    config: layer.config,
    name,
    inputs,
    ...(layer.note ? { note: layer.note } : {}),
  }));
  const layerOf = new Map([...built.names].map(([id, names]) => [id, names.at(-1)!] as const));
  const classOf = new Map(calls.map((c) => [c.name, c.className] as const));
  const variablePaths = new Map(
    [...layerOf].map(([id, layer]) => {
      const declared = inference.nodes.get(id)!.weights;
      return [id, new Map(declared.map((w) => [w.name, `${layer}/${keras3VariableName(classOf.get(layer)!, w.name)}`] as const))] as const;
    }),
  );
  return { modelName: built.modelName, calls, layerOf, variablePaths, inputs: built.inputs, outputs: built.outputs, inference, config: built.json };
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
    const shape = (call.config.batch_shape as number[]).slice(1);
    return `${call.name} = keras.Input(shape=${pyLiteral(shape)}, name=${pyString(call.name)})`;
  }
  const args = Object.entries(call.config).map(([k, v]) => {
    if (!IDENTIFIER.test(k)) throw new Error(`bad argument name ${k}`);
    return `${k}=${pyLiteral(v)}`;
  });
  args.push(`name=${pyString(call.name)}`);
  const inputs = keras3TakesList(call.className) ? `[${call.inputs.join(', ')}]` : call.inputs[0];
  return `${call.name} = keras.layers.${call.className}(${args.join(', ')})(${inputs})`;
}

const pyShape = (shape: Shape) => `(None, ${shape.map((d) => (d === null ? 'None' : d)).join(', ')})`;

function modelSource(design: Design, plan: KerasPlan, withWeights: boolean, blocks: KerasBlocks | null = null): string {
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  const t = plan.inference.totals;
  const doc = [
    `${design.name || 'model'}: a Keras 3 model exported from NetCanvas.`,
    ...(plainText(design.description) ? ['', plainText(design.description)] : []),
    '',
    `${t.totalParams.toLocaleString('en-US')} parameters (${t.trainableParams.toLocaleString('en-US')} trainable). ` +
      'Shapes are channels-last: (batch, height, width, channels).',
    '',
    'Usage:',
    '    from model import build_model',
    withWeights ? '    model = build_model()  # with the weights trained in NetCanvas (weights.npz beside this file)' : '    model = build_model()',
    ...(withWeights ? ['    model = build_model(weights=None)  # freshly initialised'] : []),
  ];
  const lines: string[] = [pyDocstring(doc.join('\n'))];
  if (plainText(design.notes)) lines.push('', ...pyCommentLines(wrapText(plainText(design.notes), 96)), '');
  lines.push('from pathlib import Path', '', 'import keras', 'import numpy as np', '');
  // Beside this file, wherever Python was started from.
  lines.push('WEIGHTS_FILE = Path(__file__).resolve().parent / "weights.npz"', '', '');
  if (blocks) lines.push(...blocks.functions);
  lines.push(`def build_model(weights=${withWeights ? 'WEIGHTS_FILE' : 'None'}):`);
  lines.push('    """Builds the model and, unless weights is None, loads that NetCanvas weights file into it."""');
  let node = '';
  if (blocks) lines.push(...blocks.body);
  else for (const call of plan.calls) {
    if (call.nodeId !== node) {
      node = call.nodeId;
      const n = byId.get(node)!;
      const info = plan.inference.nodes.get(node)!;
      const params = info.trainableParams + info.nonTrainableParams;
      const label = n.label?.trim() ? ` "${pyComment(n.label)}"` : '';
      lines.push(`    # ${n.kind}${label} -> ${pyShape(info.outputShape!)}, ${params.toLocaleString('en-US')} parameters`);
      if (plainText(n.notes)) lines.push(...pyCommentLines(wrapText(plainText(n.notes), 92), '    '));
    }
    if (call.note) lines.push(`    # ${pyComment(call.note)}.`);
    lines.push(`    ${callLine(call)}`);
  }
  const list = (names: readonly string[]) => (names.length === 1 ? names[0] : `[${names.join(', ')}]`);
  lines.push(`    model = keras.Model(inputs=${list(plan.inputs)}, outputs=${list(blocks?.outputs ?? plan.outputs)}, name=${pyString(plan.modelName)})`);
  lines.push('    if weights is not None:', '        load_weights(model, weights)', '    return model', '');
  lines.push(
    '',
    'def load_weights(model, path=WEIGHTS_FILE):',
    '    """Sets every variable of the model from a NetCanvas weights file: Keras-layout arrays keyed by',
    '    each variable\'s Keras 3 path ("layer/variable"). A file that does not fit changes nothing."""',
    '    with np.load(path) as arrays:',
    '        missing = [v.path for v in model.weights if v.path not in arrays.files]',
    '        unexpected = sorted(set(arrays.files) - {v.path for v in model.weights})',
    '        if missing or unexpected:',
    '            raise ValueError(f"{path} does not fit {model.name}: missing {missing}, unexpected {unexpected}")',
    '        for v in model.weights:',
    '            v.assign(arrays[v.path])',
    '    return model',
    '',
  );
  lines.push('', 'if __name__ == "__main__":', '    build_model().summary()', '');
  return lines.join('\n');
}

/** weights.npz: every node's weights under its Keras 3 variable path, in Keras layout (the app's own: no copy). */
function weightArrays(plan: KerasPlan, weights: DesignWeights): [string, () => NdArray][] {
  const arrays: [string, () => NdArray][] = [];
  for (const [id, paths] of plan.variablePaths) {
    for (const [name, path] of paths) arrays.push([path, () => weights.get(id)![name]]);
  }
  return arrays;
}

/** README.txt: what each file is, how to build, load and train the model. */
function readme(design: Design, plan: KerasPlan, withWeights: boolean): string {
  const t = plan.inference.totals;
  const title = `${design.name || 'model'}: Keras 3 export from NetCanvas`;
  return `${title}
${'='.repeat(title.length)}

${t.totalParams.toLocaleString('en-US')} parameters (${t.trainableParams.toLocaleString('en-US')} trainable). Shapes are channels-last:
(batch, height, width, channels); every layer states data_format="channels_last", so the model is the
same whatever ~/.keras/keras.json says.

Files
  model.py           build_model(): the model in Keras's functional API${withWeights ? ', loading weights.npz' : ''}.
  model_config.json  the same model as a Keras 3 config, for keras.models.model_from_json.
${withWeights ? '  weights.npz        the weights trained in NetCanvas, one array per variable, keyed by its Keras 3\n                     path ("layer/variable").\n' : ''}  README.txt         this file.

Needs Keras 3 (pip install keras) and one of its backends (JAX, TensorFlow or PyTorch).

Build it (from any folder: model.py finds its files beside itself)
  python model.py                       # prints the summary
  from model import build_model
  model = build_model()${withWeights ? '                 # with the trained weights\n  model = build_model(weights=None)     # freshly initialised' : ''}

Or from the config (in this folder)
  import keras
  model = keras.models.model_from_json(open("model_config.json").read())
${withWeights ? '  from model import load_weights\n  load_weights(model)                   # weights.npz beside model.py\n' : ''}
Train it
  model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
  model.fit(x_train, y_train, batch_size=64, epochs=5, validation_split=0.1)
  (Pick the loss that fits the output: with a softmax output use the crossentropy above; with raw
  logits, keras.losses.SparseCategoricalCrossentropy(from_logits=True).)
`;
}

/**
 * The Keras export: model.py, model_config.json, README.txt and, with `options.weights`, weights.npz. An invalid
 * design, or weights that do not fit it, give the issues instead.
 */
export function exportKeras(withBlocks: Design, options: ExportOptions = {}): ExportResult {
  // The model is the flat design's (same layers, names, config and weights); blocks only shape model.py.
  const design = flattenDesign(withBlocks);
  const inference = options.inference ?? inferShapes(design);
  const issues = designErrors(design, inference);
  if (issues.length > 0) return { ok: false, issues };
  if (options.weights) {
    const mismatch = weightsIssue(design, inference, options.weights);
    if (mismatch) return { ok: false, issues: [mismatch] };
  }
  const plan = planKeras(design, inference);
  const blocks = hasBlocks(withBlocks) ? planKerasBlocks(withBlocks, plan, callLine, MODULE_NAMES) : null;
  const files: ExportFile[] = [
    { path: 'model.py', content: modelSource(design, plan, options.weights !== undefined, blocks) },
    { path: 'model_config.json', content: `${JSON.stringify(plan.config, null, 2)}\n` },
    { path: 'README.txt', content: readme(design, plan, options.weights !== undefined) },
  ];
  if (options.weights) {
    const arrays = weightArrays(plan, options.weights);
    const content: ChunkedContent = { chunks: () => npzChunks(arrays) };
    files.push({ path: 'weights.npz', content: options.chunked ? content : wholeContent(content) });
  }
  return { ok: true, files };
}
