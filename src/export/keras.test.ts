/**
 * The Keras export, checked without Keras (none on these machines): Python's own parser reads model.py,
 * a strict walker accepts only the statements the generator writes, and the layer calls it extracts
 * (class + keyword arguments) are rebuilt as a tfjs model, whose per-layer output shapes and parameter
 * counts must equal our inference. Every template, RANDOM_DESIGNS random designs, and hostile names.
 */
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { DilatedDepthwiseConv2D } from '../compile/layers/dilated-depthwise-conv2d.ts';
import { GroupedConv2D } from '../compile/layers/grouped-conv2d.ts';
import { randomValidDesign } from '../graph/testing/random-design.ts';
import { DesignBuilder, inferShapes, LAYER_KINDS, type Design } from '../graph/index.ts';
import type { WeightTensor } from '../graph/weights.ts';
import { exportKeras, planKeras } from './keras.ts';
import { wholeContent } from './types.ts';
import { initialWeights } from './onnx.ts';
import { loadTemplates } from '../graph/testing/templates.ts';
import { anyPython, runPython } from './testing/python.ts';

const RANDOM_DESIGNS = 100;
const templates = loadTemplates();

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A parsed `name = keras.layers.X(**kwargs)(inputs)` or `name = keras.Input(...)`. */
interface ParsedLayer {
  readonly var: string;
  readonly cls: string;
  readonly kwargs: Record<string, unknown>;
  readonly inputs: string[];
}

interface ParsedModule {
  readonly layers: ParsedLayer[];
  readonly model: { inputs: string[]; outputs: string[]; name: string } | null;
  readonly docstring: string;
  /** Every statement or expression the generator does not write, described. */
  readonly unexpected: string[];
}

/** model.py's load_weights without its docstring: by variable path, refusing a file that does not fit. */
const LOAD_WEIGHTS = `def load_weights(model, path=WEIGHTS_FILE):
    with np.load(path) as arrays:
        missing = [v.path for v in model.weights if v.path not in arrays.files]
        unexpected = sorted(set(arrays.files) - {v.path for v in model.weights})
        if missing or unexpected:
            raise ValueError(f"{path} does not fit {model.name}: missing {missing}, unexpected {unexpected}")
        for v in model.weights:
            v.assign(arrays[v.path])
    return model`;

/**
 * The walker: accepts exactly the generated module's shape, literals only as arguments, and reports
 * anything else. Tuples come back as lists (JSON).
 */
const WALKER = String.raw`
import ast, json, sys

def walk(src):
    bad = []
    out = {"layers": [], "model": None, "docstring": "", "unexpected": bad}
    try:
        tree = ast.parse(src)
    except SyntaxError as e:
        bad.append(f"syntax error: {e}")
        return out
    def lit(node):
        try:
            return ast.literal_eval(node)
        except Exception:
            bad.append("non-literal argument: " + ast.dump(node)[:200])
            return None
    def is_attr(node, *path):
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        return isinstance(node, ast.Name) and [node.id] + parts[::-1] == list(path)
    def names(node):
        elts = node.elts if isinstance(node, ast.List) else [node]
        if not all(isinstance(e, ast.Name) for e in elts):
            bad.append("inputs are not plain names: " + ast.dump(node)[:200])
            return []
        return [e.id for e in elts]
    def docstring(stmt):
        return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)
    norm = lambda code: ast.unparse(ast.parse(code))
    allowed = {norm(c) for c in (
        "from pathlib import Path", "import keras", "import numpy as np",
        'WEIGHTS_FILE = Path(__file__).resolve().parent / "weights.npz"',
        'if __name__ == "__main__":\n    build_model().summary()',
    )}
    load_weights = norm(LOAD_WEIGHTS)
    body = tree.body
    if body and docstring(body[0]):
        out["docstring"] = body[0].value.value
        body = body[1:]
    for stmt in body:
        dump = ast.unparse(stmt)
        if dump in allowed:
            continue
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "build_model" and not stmt.decorator_list:
            args = ast.unparse(stmt.args)
            if args not in ("weights=None", "weights=WEIGHTS_FILE"):
                bad.append("build_model arguments: " + args)
            inner = stmt.body[1:] if stmt.body and docstring(stmt.body[0]) else stmt.body
            for s in inner:
                text = ast.unparse(s)
                if isinstance(s, ast.Return) and text == "return model":
                    continue
                if isinstance(s, ast.If) and text == "if weights is not None:\n    load_weights(model, weights)":
                    continue
                if not (isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)):
                    bad.append("statement in build_model: " + text[:200])
                    continue
                var, call = s.targets[0].id, s.value
                if var == "model" and isinstance(call, ast.Call) and is_attr(call.func, "keras", "Model") and not call.args:
                    kw = {k.arg: k.value for k in call.keywords}
                    if set(kw) != {"inputs", "outputs", "name"}:
                        bad.append("keras.Model keywords: " + text[:200])
                        continue
                    out["model"] = {"inputs": names(kw["inputs"]), "outputs": names(kw["outputs"]), "name": lit(kw["name"])}
                elif isinstance(call, ast.Call) and is_attr(call.func, "keras", "Input") and not call.args:
                    kwargs = {k.arg: lit(k.value) for k in call.keywords}
                    if set(kwargs) != {"shape", "name"}:
                        bad.append("keras.Input keywords: " + text[:200])
                    out["layers"].append({"var": var, "cls": "Input", "kwargs": kwargs, "inputs": []})
                elif (isinstance(call, ast.Call) and isinstance(call.func, ast.Call) and len(call.args) == 1
                      and not call.keywords and isinstance(call.func.func, ast.Attribute)
                      and is_attr(call.func.func.value, "keras", "layers") and not call.func.args
                      and all(k.arg for k in call.func.keywords)):
                    kwargs = {k.arg: lit(k.value) for k in call.func.keywords}
                    out["layers"].append({"var": var, "cls": call.func.func.attr, "kwargs": kwargs, "inputs": names(call.args[0]),
                                          "list": isinstance(call.args[0], ast.List)})
                else:
                    bad.append("statement in build_model: " + text[:200])
            continue
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "load_weights":
            # Its body names no layer: it is the same text in every export.
            stmt.body = stmt.body[1:] if stmt.body and docstring(stmt.body[0]) else stmt.body
            if ast.unparse(stmt) != load_weights:
                bad.append("load_weights differs: " + ast.unparse(stmt)[:300])
            continue
        bad.append("top-level statement: " + dump[:200])
    return out

print(json.dumps([walk(json.loads(line)) for line in sys.stdin]))
`.replace('LOAD_WEIGHTS', JSON.stringify(LOAD_WEIGHTS));

function parseModules(sources: readonly string[]): ParsedModule[] {
  return JSON.parse(runPython(anyPython(), WALKER, sources.map((s) => JSON.stringify(s)).join('\n') + '\n'));
}

function exportSource(design: Design, weights?: Parameters<typeof exportKeras>[1]): { source: string; config: unknown; files: Map<string, string | Uint8Array> } {
  const result = exportKeras(design, weights);
  if (!result.ok) throw new Error(`${design.name}: ${result.issues.map((i) => i.code).join()}`);
  const files = new Map(result.files.map((f) => [f.path, wholeContent(f.content)] as const));
  return { source: files.get('model.py') as string, config: JSON.parse(files.get('model_config.json') as string), files };
}

const INITIALIZERS: Record<string, string[]> = {
  Conv2D: ['kernel_initializer', 'bias_initializer'],
  [GroupedConv2D.className]: ['kernel_initializer', 'bias_initializer'],
  Conv2DTranspose: ['kernel_initializer', 'bias_initializer'],
  Dense: ['kernel_initializer', 'bias_initializer'],
  DepthwiseConv2D: ['depthwise_initializer', 'bias_initializer'],
  [DilatedDepthwiseConv2D.className]: ['depthwise_initializer', 'bias_initializer'],
};

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Keras 3 arguments → what tfjs-layers 4.22 builds (its names, and the few layers it builds differently). */
function tfjsLayer(layer: ParsedLayer, inputs: tf.SymbolicTensor[]): tf.layers.Layer {
  let cls = layer.cls;
  let config: Record<string, unknown> = { ...layer.kwargs };
  if (cls === 'LeakyReLU') {
    config = { ...config, alpha: config.negative_slope };
    delete config.negative_slope;
  }
  // Keras 3 writes swish by its name silu, which tfjs does not know.
  if (config.activation === 'silu') config.activation = 'swish';
  // tfjs spells the data format in camel case (and has no other default: it is always channels-last).
  if (config.data_format !== undefined) {
    expect(config.data_format).toBe('channels_last');
    config.data_format = 'channelsLast';
  }
  if (cls === 'Conv2D' && typeof config.groups === 'number' && config.groups > 1) cls = GroupedConv2D.className;
  if (cls === 'DepthwiseConv2D' && (config.dilation_rate as number[]).some((d) => d > 1)) cls = DilatedDepthwiseConv2D.className;
  const inShape = inputs[0]?.shape.slice(1) as number[];
  // tfjs's Flatten needs rank ≥ 3 with the batch (Keras flattens a vector to itself), and its Reshape
  // cannot resolve −1 against an unknown batch: both become the equivalent explicit Reshape.
  if (cls === 'Flatten' && inShape.length === 1) {
    cls = 'Reshape';
    config = { name: config.name, target_shape: inShape };
  }
  if (cls === 'Reshape' && (config.target_shape as number[]).includes(-1)) {
    const target = config.target_shape as number[];
    const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    config = { ...config, target_shape: target.map((d) => (d === -1 ? inShape.reduce((a, b) => a * b, 1) / known : d)) };
  }
  // Zeros instead of random draws: only shapes and counts are compared, and VGG-16 has 138 M weights.
  for (const key of INITIALIZERS[cls] ?? []) config[key] = 'zeros';
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[cls];
  if (!entry) throw new Error(`tfjs has no layer class ${cls}`);
  const [ctor, fromConfig] = entry;
  const camelConfig = Object.fromEntries(Object.entries(config).map(([k, v]) => [camel(k), v])) as tf.serialization.ConfigDict;
  return fromConfig(ctor, camelConfig) as tf.layers.Layer;
}

/** The model described by the parsed module, built in tfjs: layer by layer, as the Python would run. */
function rebuild(parsed: ParsedModule): { model: tf.LayersModel; layers: Map<string, tf.layers.Layer> } {
  const tensors = new Map<string, tf.SymbolicTensor>();
  const layers = new Map<string, tf.layers.Layer>();
  for (const l of parsed.layers) {
    if (l.cls === 'Input') {
      tensors.set(l.var, tf.input({ shape: l.kwargs.shape as number[], name: l.kwargs.name as string }));
      continue;
    }
    const inputs = l.inputs.map((v) => tensors.get(v)!);
    const layer = tfjsLayer(l, inputs);
    const merge = l.cls === 'Add' || l.cls === 'Concatenate';
    tensors.set(l.var, layer.apply(merge ? inputs : inputs[0]) as tf.SymbolicTensor);
    layers.set(l.var, layer);
  }
  const model = tf.model({ inputs: parsed.model!.inputs.map((v) => tensors.get(v)!), outputs: parsed.model!.outputs.map((v) => tensors.get(v)!) });
  return { model, layers };
}

/** Every way the rebuilt model differs from the design's inference. */
function mismatches(design: Design, parsed: ParsedModule): string[] {
  if (parsed.unexpected.length > 0) return parsed.unexpected;
  if (!parsed.model) return ['no keras.Model(...)'];
  const inference = inferShapes(design);
  const plan = planKeras(design, inference);
  const { model, layers } = rebuild(parsed);
  const out: string[] = [];
  try {
    const byVar = new Map(parsed.layers.map((l) => [l.var, l] as const));
    for (const [id, name] of plan.layerOf) {
      const info = inference.nodes.get(id)!;
      const parsedLayer = byVar.get(name);
      if (!parsedLayer) {
        out.push(`${id}: no layer ${name} in model.py`);
        continue;
      }
      if (parsedLayer.cls === 'Input') {
        if (JSON.stringify(parsedLayer.kwargs.shape) !== JSON.stringify(info.outputShape)) out.push(`${id}: Input shape ${parsedLayer.kwargs.shape}`);
        continue;
      }
      const layer = layers.get(name)!;
      const shape = (layer.outputShape as number[]).slice(1);
      if (JSON.stringify(shape) !== JSON.stringify(info.outputShape)) out.push(`${id}: rebuilt ${JSON.stringify(shape)} vs inferred ${JSON.stringify(info.outputShape)}`);
      const params = info.trainableParams + info.nonTrainableParams;
      if (layer.countParams() !== params) out.push(`${id}: rebuilt ${layer.countParams()} params vs inferred ${params}`);
      const trainable = layer.trainableWeights.reduce((a, w) => a + w.shape.reduce((p: number, d) => p * (d as number), 1), 0);
      if (trainable !== info.trainableParams) out.push(`${id}: rebuilt ${trainable} trainable vs inferred ${info.trainableParams}`);
    }
    if (model.countParams() !== inference.totals.totalParams) out.push(`model: ${model.countParams()} params vs ${inference.totals.totalParams}`);
    if (parsed.layers.length !== plan.calls.length) out.push(`${parsed.layers.length} layers in model.py, ${plan.calls.length} planned`);
    const outputs = model.outputs.map((t) => t.shape.slice(1));
    const sinks = plan.outputs.map((name) => inference.nodes.get([...plan.layerOf].find(([, n]) => n === name)![0])!.outputShape);
    if (JSON.stringify(outputs) !== JSON.stringify(sinks)) out.push(`outputs ${JSON.stringify(outputs)} vs ${JSON.stringify(sinks)}`);
  } finally {
    model.dispose();
  }
  return out;
}

type Keras3Tensor = { class_name: string; config: { shape: (number | null)[]; keras_history: [string, number, number] } };
interface Keras3Layer {
  module: string;
  class_name: string;
  name: string;
  registered_name: null;
  config: Record<string, unknown>;
  build_config?: { input_shape: unknown };
  inbound_nodes: { args: (Keras3Tensor | Keras3Tensor[])[]; kwargs: Record<string, unknown> }[];
}

/** model_config.json must describe the same layers, arguments and wiring as model.py, in Keras 3's layout. */
function configMismatches(config: any, parsed: ParsedModule): string[] {
  const out: string[] = [];
  if (config.class_name !== 'Functional' || config.module !== 'keras.src.models.functional' || config.registered_name !== 'Functional') {
    out.push(`model header ${config.module} ${config.class_name} ${config.registered_name}`);
  }
  const layers = config.config.layers as Keras3Layer[];
  if (layers.length !== parsed.layers.length) return [`${layers.length} layers in the config vs ${parsed.layers.length} in model.py`];
  layers.forEach((l, i) => {
    const p = parsed.layers[i];
    const cls = p.cls === 'Input' ? 'InputLayer' : p.cls;
    const { name, trainable, dtype, ...args } = l.config;
    const tensors = l.inbound_nodes.flatMap((node) => node.args.flat());
    const inbound = tensors.map((t) => t.config.keras_history[0]);
    let expected: Record<string, unknown> = { ...p.kwargs };
    delete expected.name;
    if (p.cls === 'Input') {
      expected = { batch_shape: [null, ...(p.kwargs.shape as number[])], sparse: false };
      if (dtype !== 'float32' || trainable !== undefined) out.push(`${p.var}: InputLayer dtype ${dtype}, trainable ${trainable}`);
    } else if (trainable !== true || dtype !== 'float32') out.push(`${p.var}: trainable ${trainable}, dtype ${dtype}`);
    if (l.class_name !== cls || name !== p.var || l.name !== p.var || l.module !== 'keras.layers' || l.registered_name !== null) {
      out.push(`layer ${i}: ${l.module}.${l.class_name} ${l.name} vs ${cls} ${p.var}`);
    }
    if (JSON.stringify(args) !== JSON.stringify(expected)) out.push(`${p.var}: config ${JSON.stringify(args)} vs model.py ${JSON.stringify(expected)}`);
    if (inbound.join() !== p.inputs.join()) out.push(`${p.var}: config inputs ${inbound} vs model.py ${p.inputs}`);
    // A merge is called on a list of tensors, any other layer on one: as model.py calls it.
    const list = (p as ParsedLayer & { list?: boolean }).list === true;
    if (p.cls !== 'Input' && Array.isArray(l.inbound_nodes[0]?.args[0]) !== list) out.push(`${p.var}: called on a list in one file only`);
  });
  return out;
}

/** The shapes model_config.json writes (build_config, each input tensor) are the ones model.py's layers produce. */
function configShapeMismatches(config: any, design: Design): string[] {
  const inference = inferShapes(design);
  const plan = planKeras(design, inference);
  const shapeOf = new Map([...plan.layerOf].map(([id, layer]) => [layer, [null, ...inference.nodes.get(id)!.outputShape!]] as const));
  const out: string[] = [];
  for (const l of config.config.layers as Keras3Layer[]) {
    if (l.class_name === 'InputLayer') continue;
    const tensors = l.inbound_nodes[0].args.flat();
    const shapes = tensors.map((t) => t.config.shape);
    const built = Array.isArray(l.inbound_nodes[0].args[0]) ? shapes : shapes[0];
    if (JSON.stringify(l.build_config?.input_shape) !== JSON.stringify(built)) out.push(`${l.name}: build_config ${JSON.stringify(l.build_config)} vs inputs ${JSON.stringify(built)}`);
    tensors.forEach((t) => {
      const known = shapeOf.get(t.config.keras_history[0]);
      if (known && JSON.stringify(known) !== JSON.stringify(t.config.shape)) out.push(`${l.name} reads ${t.config.keras_history[0]} as ${JSON.stringify(t.config.shape)}, inferred ${JSON.stringify(known)}`);
    });
  }
  return out;
}

describe('Keras export: model.py rebuilt in tfjs from its parsed arguments equals the inference', () => {
  it('every template', () => {
    const exported = templates.map((t) => ({ file: t.file, design: t.design, ...exportSource(t.design) }));
    const parsed = parseModules(exported.map((e) => e.source));
    const failures = exported.flatMap((e, i) =>
      [...mismatches(e.design, parsed[i]), ...configMismatches(e.config, parsed[i]), ...configShapeMismatches(e.config, e.design)].map((m) => `${e.file}: ${m}`),
    );
    expect(failures).toEqual([]);
  });

  it(`${RANDOM_DESIGNS} random designs, covering every layer kind`, () => {
    const designs = Array.from({ length: RANDOM_DESIGNS }, (_, i) => randomValidDesign(i + 1));
    const kinds = new Set(designs.flatMap((d) => d.nodes.map((n) => n.kind)));
    expect(LAYER_KINDS.filter((k) => !kinds.has(k))).toEqual([]);
    const exported = designs.map((design) => ({ design, ...exportSource(design) }));
    const parsed = parseModules(exported.map((e) => e.source));
    const failures = exported.flatMap((e, i) =>
      [...mismatches(e.design, parsed[i]), ...configMismatches(e.config, parsed[i]), ...configShapeMismatches(e.config, e.design)].map((m) => `${e.design.name}: ${m}`),
    );
    expect(failures).toEqual([]);
  });

  it('writes Keras 3 spellings: keras.Input(shape=…), LeakyReLU(negative_slope=…), tuples, merges called on lists', () => {
    const b = new DesignBuilder('spellings');
    const x = b.add('Input', { shape: [10] }, [], { id: 'x' });
    const a = b.add('Activation', { activation: 'leaky_relu', alpha: 0.2 }, [x], { id: 'leaky' });
    b.add('Add', {}, [x, a], { id: 'sum' });
    const { source } = exportSource(b.build());
    expect(source).toContain('x = keras.Input(shape=(10,), name="x")');
    expect(source).toContain('leaky = keras.layers.LeakyReLU(negative_slope=0.2, name="leaky")(x)');
    expect(source).toContain('sum_ = keras.layers.Add(name="sum_")([x, leaky])');
    expect(source).toContain('model = keras.Model(inputs=x, outputs=sum_, name="spellings")');
  });

  it('writes Keras Conv2D with groups (tfjs builds its own grouped layer instead: compile.test.ts)', () => {
    const b = new DesignBuilder('grouped');
    b.add('Conv2D', { filters: 4, groups: 2, padding: 'explicit', pads: [1, 0, 0, 1] }, [b.add('Input', { shape: [8, 8, 2] })], { id: 'c' });
    const { config } = exportSource(b.build());
    const layers = (config as { config: { layers: Keras3Layer[] } }).config.layers;
    expect(layers.map((l) => [l.class_name, l.name])).toEqual([
      ['InputLayer', 'input_'],
      ['ZeroPadding2D', 'c_pad'],
      ['Conv2D', 'c'],
    ]);
    expect(layers[2].config.groups).toBe(2);
    expect(layers[2].inbound_nodes).toEqual([
      { args: [{ class_name: '__keras_tensor__', config: { shape: [null, 9, 9, 2], dtype: 'float32', keras_history: ['c_pad', 0, 0] } }], kwargs: {} },
    ]);
    expect(layers[2].build_config).toEqual({ input_shape: [null, 9, 9, 2] });
    expect([layers[1].config.data_format, layers[2].config.data_format]).toEqual(['channels_last', 'channels_last']);
  });
});

describe('Keras export with weights', () => {
  it("weights.npz holds every declared tensor in Keras layout under its Keras 3 variable path, and build_model loads the file beside it by default", () => {
    const b = new DesignBuilder('paths');
    const x = b.add('Input', { shape: [6, 6, 2] }, [], { id: 'x' });
    const dw = b.add('DepthwiseConv2D', { kernel_size: [3, 3] }, [x], { id: 'dw' });
    const bn = b.add('BatchNorm', {}, [dw], { id: 'bn' });
    const sep = b.add('SeparableConv2D', { filters: 3, kernel_size: [2, 2] }, [bn], { id: 'sep' });
    b.add('Dense', { units: 2 }, [b.add('Flatten', {}, [sep], { id: 'f' })], { id: 'out' });
    const design = b.build();
    const inference = inferShapes(design);
    const weights = initialWeights(inference, 3);
    const { source, files } = exportSource(design, { weights });
    const [parsed] = parseModules([source]);
    expect(parsed.unexpected).toEqual([]);
    const archive = unzipSync(files.get('weights.npz') as Uint8Array);
    // Keras 3 calls DepthwiseConv2D's kernel "kernel" (tf.keras 2 and tfjs: "depthwise_kernel").
    expect(Object.keys(archive).sort()).toEqual(
      [
        'dw/kernel', 'dw/bias', 'bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance',
        'sep/depthwise_kernel', 'sep/pointwise_kernel', 'sep/bias', 'out/kernel', 'out/bias',
      ].map((k) => `${k}.npy`).sort(),
    );
    const plan = planKeras(design, inference);
    for (const [id, paths] of plan.variablePaths) {
      for (const w of inference.nodes.get(id)!.weights) {
        const npy = archive[`${paths.get(w.name)}.npy`];
        const headerLength = npy[8] | (npy[9] << 8);
        expect(strFromU8(npy.subarray(10, 10 + headerLength))).toContain(`'shape': (${w.shape.join(', ')}${w.shape.length === 1 ? ',' : ''})`);
        const values = new Float32Array(npy.slice(10 + headerLength).buffer);
        expect(values).toEqual((weights.get(id)![w.name] as WeightTensor).data);
      }
    }
    expect(source).toContain('def build_model(weights=WEIGHTS_FILE):');
    expect(exportSource(design).source).toContain('def build_model(weights=None):');
  });

  it('weights that do not fit are refused', () => {
    const design = templates.find((t) => t.file === 'mlp.json')!.design;
    const result = exportKeras(design, { weights: new Map() });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0].code).toBe('export-weights-mismatch');
  });
});

describe('Keras export with hostile names', () => {
  const HOSTILE = [
    'a"b',
    "c'd",
    'line\nbreak',
    "__import__('os').system('echo pwned')",
    '"); import os; os.system("x"); ("',
    '\\',
    'ñandú',
    '漢字',
    'class',
    'def',
    'keras',
    'model',
    'None',
    '',
    '   ',
    'dup',
    'dup',
    '\u202eevil',
    '#comment',
    '"""',
  ];

  function hostileDesign(): Design {
    const b = new DesignBuilder('x"""; import os #');
    let last = b.add('Input', { shape: [6, 6, 2] }, [], { id: 'in"put', label: "__import__('sys')" });
    HOSTILE.forEach((name, i) => {
      last = b.add('Activation', { activation: 'relu' }, [last], { id: `n${i}${name}`, label: name });
    });
    const branch = b.add('Conv2D', { filters: 2, padding: 'explicit', pads: [1, 1, 1, 1] }, [last], { id: 'pad"me', label: 'dup' });
    b.add('Concatenate', {}, [last, branch], { id: 'cat\n', label: 'print("hi")' });
    const design = b.build();
    return {
      ...design,
      description: { en: 'Ends the docstring early: """ and \\ and \'\'\' \nimport os\n\u2028os.system("x")' },
      notes: { en: 'A note\nimport os\n# and more """' },
      nodes: design.nodes.map((n, i) => (i === 3 ? { ...n, notes: { en: 'node note\n__import__("os")' } } : n)),
    };
  }

  it('the module holds only the generated statements: one assignment per layer, literals as arguments', () => {
    const design = hostileDesign();
    const inference = inferShapes(design);
    const { source, config } = exportSource(design, { weights: initialWeights(inference) });
    const [parsed] = parseModules([source]);
    expect(parsed.unexpected).toEqual([]);
    expect(parsed.docstring).toContain('Ends the docstring early: """ and \\ and');
    // One call per Keras layer (the padded conv is two), every name an identifier, all distinct.
    expect(parsed.layers.length).toBe(design.nodes.length + 1);
    const vars = parsed.layers.map((l) => l.var);
    expect(new Set(vars).size).toBe(vars.length);
    for (const l of parsed.layers) {
      expect(l.var).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
      expect(l.kwargs.name).toBe(l.var);
    }
    expect(parsed.model?.name).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(mismatches(design, parsed)).toEqual([]);
    expect(configMismatches(config, parsed)).toEqual([]);
  });

  it('the walker itself rejects what the generator never writes', () => {
    const { source } = exportSource(templates.find((t) => t.file === 'mnist-cnn.json')!.design);
    const injected = [
      source.replace('import keras', 'import keras\nimport subprocess'),
      source.replace('    return model', '    os.system("x")\n    return model'),
      source.replace('name="flatten"', 'name=__import__("os").getcwd()'),
      source.replace('keras.layers.Flatten(', 'keras.layers.Flatten(*args, '),
      `${source}\nprint("hi")\n`,
      source.replace('def build_model(weights=None):', '@decorator\ndef build_model(weights=None):'),
      source.replace('v.assign(arrays[v.path])', 'exec(v.path)'),
      source.replace('def load_weights(', '@decorator\ndef load_weights('),
    ];
    injected.forEach((text, i) => expect(text, `injection ${i} applies`).not.toBe(source));
    const parsed = parseModules(injected);
    parsed.forEach((p, i) => expect(p.unexpected.length, `injection ${i}`).toBeGreaterThan(0));
  });
});
