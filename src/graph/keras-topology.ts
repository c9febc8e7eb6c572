/**
 * The Keras functional-model topology of a design: the `model.to_json()` layout (class_name
 * "Functional", layers with inbound_nodes, input and output layers). Built here once for every target
 * that speaks it: the tfjs compile builds its model from it, the Keras export prints it as
 * model_config.json and model.py. Each node contributes the chain of Keras layers its layer file declares
 * (`keras()`), called with the node's mapping context from the inference.
 *
 * What differs between targets is passed in, never forked: how layers are named, the header fields, a
 * rewrite of each layer (tfjs builds a few Keras layers differently) and layers a target inserts in front
 * of a node. Pure: tfjs and the exporters stay out of src/graph.
 */
import { mappingContext, type DesignInference } from './infer.ts';
import type { KerasLayer } from './layer-spec.ts';
import { layerSpec } from './layers/index.ts';
import { convOutputSize } from './shape-math.ts';
import { buildTopology } from './topology.ts';
import type { Design, LayerKind, Shape } from './types.ts';

type Json = Record<string, unknown>;
/** [layer name, node index, tensor index, kwargs]: Keras's reference to a layer call's output. */
export type InboundRef = [string, number, number, Json];

export interface KerasLayerJson {
  readonly class_name: string;
  readonly name: string;
  readonly config: Json;
  readonly inbound_nodes: InboundRef[][];
}

/** The version fields a reader checks before it reads the layers. */
export interface KerasHeader {
  readonly keras_version: string;
  readonly backend: string;
}

/** tf.keras 2, the layout TensorFlow.js reads (and writes with `model.toJSON()`). */
export const TF_KERAS_2: KerasHeader = { keras_version: '2.15.0', backend: 'tensorflow' };

export interface KerasTopology extends KerasHeader {
  readonly class_name: 'Functional';
  readonly config: {
    readonly name: string;
    readonly layers: KerasLayerJson[];
    readonly input_layers: [string, number, number][];
    readonly output_layers: [string, number, number][];
  };
}

/**
 * How a target names layers. Stateful (it remembers the names taken), so one per build. The builder asks
 * for every node's name first, so that a node keeps its own name whenever it is free, then for helper
 * layers, and for the model's name last, which then only has to differ from the layers'.
 */
export interface KerasNaming {
  /** Node id → the name of its layer (the last of its chain, which holds its weights and output). */
  nodes(design: Design, order: readonly string[]): ReadonlyMap<string, string>;
  /** A helper layer of the node named `node`: a chain's earlier layers, or one a target inserts. */
  helper(node: string, suffix: string): string;
  model(design: Design): string;
}

/** One layer as planned: the node it belongs to, the layer itself, its name, and the layers it reads. */
export interface PlannedKerasLayer {
  readonly nodeId: string;
  readonly layer: KerasLayer;
  readonly name: string;
  readonly inputs: readonly string[];
  /** The output shape without the batch, for a node's own layer (the inferred one); null for a helper. */
  readonly outputShape?: Shape | null;
}

export interface KerasTopologyOptions {
  readonly naming: KerasNaming;
  readonly header: KerasHeader;
  /**
   * The target's version of one layer as its layer file declares it. `inputs` are the shapes into the
   * first layer of a node's chain ([] for the later ones); `output` is the node's output shape for the
   * last layer of the chain (null for the earlier ones).
   */
  readonly rewrite?: (layer: KerasLayer, inputs: readonly Shape[], output: Shape | null) => KerasLayer;
  /**
   * Layers the target puts between a node and its sources (names of the layers it reads, in slot order):
   * returns the layers, named with `helper`, and what the node reads instead.
   */
  readonly beforeNode?: (
    sources: readonly string[],
    helper: (suffix: string) => string,
  ) => { readonly layers: readonly Omit<PlannedKerasLayer, 'nodeId'>[]; readonly sources: readonly string[] };
}

export interface KerasTopologyBuild {
  readonly json: KerasTopology;
  /** Every layer in the order of `json.config.layers`. */
  readonly layers: readonly PlannedKerasLayer[];
  /** Node id → the names of every layer built for it, helpers first, its own (its output) last. */
  readonly names: ReadonlyMap<string, readonly string[]>;
  readonly modelName: string;
  /** Layer names of the model's inputs (the Input nodes in document order) and outputs (the nodes nothing consumes). */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** The Keras layer chain of every node, in topological order, from its layer file. */
function kerasChains(inference: DesignInference): Map<string, readonly KerasLayer[]> {
  const chains = new Map<string, readonly KerasLayer[]>();
  for (const id of inference.order) {
    const info = inference.nodes.get(id)!;
    // A node inferred without errors is of a registered kind.
    chains.set(id, layerSpec(info.kind as LayerKind).keras(mappingContext(info)));
  }
  return chains;
}

/** Every node's chain named: helpers (`part<i>` when the layer file gives no suffix) first, the node's own last. */
function nameChains(
  design: Design,
  order: readonly string[],
  chains: ReadonlyMap<string, readonly KerasLayer[]>,
  naming: KerasNaming,
): Map<string, string[]> {
  const own = naming.nodes(design, order);
  const names = new Map<string, string[]>();
  for (const [id, chain] of chains) {
    const name = own.get(id)!;
    const helper = (layer: KerasLayer, i: number) => naming.helper(name, layer.suffix ?? `part${i}`);
    names.set(id, chain.map((layer, i) => (i === chain.length - 1 ? name : helper(layer, i))));
  }
  return names;
}

function toJson(layer: PlannedKerasLayer): KerasLayerJson {
  const { name, inputs } = layer;
  return {
    class_name: layer.layer.className,
    name,
    config: { name, trainable: true, ...layer.layer.config },
    inbound_nodes: inputs.length === 0 ? [] : [inputs.map((src): InboundRef => [src, 0, 0, {}])],
  };
}

type KerasPlanOptions = Omit<KerasTopologyOptions, 'header'>;
type KerasLayerPlan = Omit<KerasTopologyBuild, 'json'>;

/**
 * The one walk over the design: every node's chain in topological order, named and wired. Inputs are the
 * Input nodes in document order; outputs are the nodes nothing consumes, in topological order. Merge
 * layers receive their inputs in slot order.
 */
function planKerasLayers(design: Design, inference: DesignInference, options: KerasPlanOptions): KerasLayerPlan {
  const { naming, rewrite, beforeNode } = options;
  const topology = buildTopology(design);
  const chains = kerasChains(inference);
  const chainNames = nameChains(design, inference.order, chains, naming);
  const outputOf = new Map([...chainNames].map(([id, names]) => [id, names.at(-1)!] as const));
  const layers: PlannedKerasLayer[] = [];
  const names = new Map<string, readonly string[]>();
  for (const id of inference.order) {
    const info = inference.nodes.get(id)!;
    const chain = chains.get(id)!;
    const own = chainNames.get(id)!;
    let inputs: readonly string[] = (topology.inputsOf.get(id) ?? []).map((src) => outputOf.get(src)!);
    const inserted = beforeNode?.(inputs, (suffix) => naming.helper(own.at(-1)!, suffix));
    if (inserted) {
      layers.push(...inserted.layers.map((l) => ({ ...l, nodeId: id })));
      inputs = inserted.sources;
    }
    names.set(id, [...(inserted?.layers ?? []).map((l) => l.name), ...own]);
    const nodeInputs = inputs;
    chain.forEach((declared, i) => {
      const last = i === chain.length - 1;
      if (declared.reads) inputs = declared.reads.flatMap((r) => (r < 0 ? nodeInputs : [own[r]]));
      // Helper layers' shapes are not inferred; only a layer reading the node's input gets its shapes.
      const shapes = inputs === nodeInputs ? (info.inputShapes as Shape[]) : [];
      const layer = rewrite ? rewrite(declared, shapes, last ? info.outputShape : null) : declared;
      layers.push({ nodeId: id, layer, name: own[i], inputs, outputShape: last ? info.outputShape : null });
      inputs = [own[i]];
    });
  }
  const inputs = design.nodes.filter((n) => n.kind === 'Input').map((n) => outputOf.get(n.id)!);
  const sinks = inference.order.filter((id) => (topology.consumersOf.get(id) ?? []).length === 0);
  const outputs = sinks.map((id) => outputOf.get(id)!);
  return { layers, names, modelName: naming.model(design), inputs, outputs };
}

/**
 * The Keras functional-model topology of a design whose inference has no errors (check `designErrors`
 * first), in the tf.keras 2 layout TensorFlow.js reads (`options.header` gives its version fields).
 */
export function buildKerasTopology(
  design: Design,
  inference: DesignInference,
  options: KerasTopologyOptions,
): KerasTopologyBuild {
  const plan = planKerasLayers(design, inference, options);
  const ref = (name: string): [string, number, number] => [name, 0, 0];
  return {
    json: {
      class_name: 'Functional',
      config: {
        name: plan.modelName,
        layers: plan.layers.map(toJson),
        input_layers: plan.inputs.map(ref),
        output_layers: plan.outputs.map(ref),
      },
      keras_version: options.header.keras_version,
      backend: options.header.backend,
    },
    ...plan,
  };
}

/**
 * What the Keras 3 rendering knows of each Keras class the layer files (or a target) emit, beyond the
 * tf.keras 2 config they write: arguments and variables Keras 3 names otherwise, whether the class takes
 * a `data_format` (always written, "channels_last": a user whose Keras is configured channels_first
 * would otherwise get another model), whether it is called on a list (merges) and with which keyword
 * arguments Keras records its calls, and the output shape of
 * a class used as a helper layer (inserted before a node's own layer, whose shape is not inferred).
 * A class missing here cannot be written for Keras 3: the contract tests export every kind.
 */
interface Keras3Class {
  readonly renames?: Readonly<Record<string, string>>;
  readonly variables?: Readonly<Record<string, string>>;
  readonly dataFormat?: true;
  readonly merge?: true;
  /** Keyword arguments Keras 3 records with every call of the layer (its call signature's). */
  readonly callKwargs?: Json;
  readonly helperShape?: (config: Readonly<Record<string, unknown>>, input: Shape, inputs: readonly Shape[]) => Shape;
}

const sameShape = (_config: unknown, input: Shape): Shape => input;
/** [[top, bottom], [left, right]] added to (sign 1) or taken from (sign −1) height and width. */
const padShape =
  (key: string, sign: 1 | -1) =>
  (config: Readonly<Record<string, unknown>>, [h, w, c]: Shape): Shape => {
    const [[t, b], [l, r]] = config[key] as number[][];
    const add = (d: number | null, n: number) => (d === null ? null : d + sign * n);
    return [add(h, t + b), add(w, l + r), c];
  };

/** A 'valid' pool inside exact pooling's chain (layers/shared/pooling.ts), by the one window rule. */
const validPoolShape = (config: Readonly<Record<string, unknown>>, [h, w, c]: Shape): Shape => {
  const [kh, kw] = config.pool_size as number[];
  const [sh, sw] = config.strides as number[];
  return [convOutputSize(h, kh, sh, 0), convOutputSize(w, kw, sw, 0), c];
};

const KERAS3_CLASSES: Readonly<Record<string, Keras3Class>> = {
  InputLayer: { renames: { batch_input_shape: 'batch_shape' } },
  Dense: {},
  Conv2D: { dataFormat: true },
  Conv2DTranspose: { dataFormat: true },
  DepthwiseConv2D: { dataFormat: true, variables: { depthwise_kernel: 'kernel' } },
  SeparableConv2D: { dataFormat: true },
  MaxPooling2D: { dataFormat: true, helperShape: (config, x) => validPoolShape(config, x) },
  AveragePooling2D: { dataFormat: true, helperShape: (config, x) => validPoolShape(config, x) },
  GlobalAveragePooling2D: { dataFormat: true },
  GlobalMaxPooling2D: { dataFormat: true },
  UpSampling2D: {
    dataFormat: true,
    helperShape: (config, [h, w, c]) => {
      const [sh, sw] = config.size as number[];
      return [h === null ? null : h * sh, w === null ? null : w * sw, c];
    },
  },
  ZeroPadding2D: { dataFormat: true, helperShape: padShape('padding', 1) },
  Cropping2D: { dataFormat: true, helperShape: padShape('cropping', -1) },
  Flatten: { dataFormat: true },
  Reshape: {},
  BatchNormalization: { callKwargs: { mask: null } },
  LayerNormalization: {},
  Dropout: { helperShape: sameShape },
  Activation: { helperShape: sameShape },
  LeakyReLU: { renames: { alpha: 'negative_slope' }, helperShape: sameShape },
  Rescaling: { helperShape: sameShape },
  Add: { merge: true },
  Concatenate: {
    merge: true,
    // Exact pooling's edge copies join along height or width.
    helperShape: (config, _input, inputs) => {
      const axis = (config.axis as number) - 1;
      return inputs[0].map((d, i) => (i !== axis ? d : inputs.some((s) => s[i] === null) ? null : inputs.reduce((n, s) => n + (s[i] as number), 0)));
    },
  },
};

function keras3Class(className: string): Keras3Class {
  const known = KERAS3_CLASSES[className];
  if (!known) throw new Error(`keras-topology: no Keras 3 rendering for class ${className} (add it to KERAS3_CLASSES)`);
  return known;
}

/** Whether Keras calls a layer of this class on a list of tensors (merges) rather than on one. */
export function keras3TakesList(className: string): boolean {
  return keras3Class(className).merge === true;
}

/** The Keras 3 name of a variable the layer file declares under its tf.keras 2 / tfjs name. */
export function keras3VariableName(className: string, declared: string): string {
  return keras3Class(className).variables?.[declared] ?? declared;
}

/** Activation names Keras 3 writes otherwise (it reads both; `swish` is its alias of `silu`). */
const KERAS3_ACTIVATIONS: Readonly<Record<string, string>> = { swish: 'silu' };

/**
 * A layer as Keras 3 spells it (as its own `to_json()` writes it): renamed arguments and activations,
 * and data_format stated where the class has one.
 */
function keras3Layer(layer: KerasLayer): KerasLayer {
  const known = keras3Class(layer.className);
  const renames = known.renames ?? {};
  const spelled = (key: string, value: unknown) => (key === 'activation' && typeof value === 'string' ? (KERAS3_ACTIVATIONS[value] ?? value) : value);
  const config: Record<string, unknown> = Object.fromEntries(Object.entries(layer.config).map(([k, v]) => [renames[k] ?? k, spelled(k, v)]));
  if (known.dataFormat) config.data_format = 'channels_last';
  return { ...layer, config };
}

/**
 * keras3Layer run backwards, for readers of Keras configs (the Keras import): a layer's config as the
 * layer files write it (tf.keras 2 spelling), from either Keras's spelling. Keras 3's renamed arguments
 * and activations go back; data_format is dropped (the reader checks it is channels_last first). A
 * class unknown here is returned unchanged.
 */
export function keras2Spelling(className: string, config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const known = KERAS3_CLASSES[className];
  const back = new Map(Object.entries(known?.renames ?? {}).map(([k2, k3]) => [k3, k2] as const));
  const activation = new Map(Object.entries(KERAS3_ACTIVATIONS).map(([a2, a3]) => [a3, a2] as const));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === 'data_format') continue;
    out[back.get(k) ?? k] = k === 'activation' && typeof v === 'string' ? (activation.get(v) ?? v) : v;
  }
  return out;
}

/** A symbolic tensor as Keras 3 serialises a layer call's input: its shape and the layer that made it. */
export interface Keras3TensorJson {
  readonly class_name: '__keras_tensor__';
  readonly config: { readonly shape: (number | null)[]; readonly dtype: 'float32'; readonly keras_history: [string, number, number] };
}

export interface Keras3LayerJson {
  readonly module: 'keras.layers';
  readonly class_name: string;
  readonly config: Json;
  readonly registered_name: null;
  readonly build_config?: { readonly input_shape: (number | null)[] | (number | null)[][] };
  readonly name: string;
  readonly inbound_nodes: { readonly args: (Keras3TensorJson | Keras3TensorJson[])[]; readonly kwargs: Json }[];
}

type Keras3Ref = [string, number, number];

/** `model.to_json()` of a Keras 3 functional model (keras.models.model_from_json reads it). */
export interface Keras3Topology {
  readonly module: 'keras.src.models.functional';
  readonly class_name: 'Functional';
  readonly config: {
    readonly name: string;
    readonly trainable: true;
    readonly layers: Keras3LayerJson[];
    /** One reference when the model has one input (or output), a list of them otherwise, as Keras writes it. */
    readonly input_layers: Keras3Ref | Keras3Ref[];
    readonly output_layers: Keras3Ref | Keras3Ref[];
  };
  readonly registered_name: 'Functional';
  readonly build_config: { readonly input_shape: null };
  readonly compile_config: null;
}

export interface Keras3TopologyBuild extends KerasLayerPlan {
  readonly json: Keras3Topology;
}

/**
 * The Keras 3 functional-model config of a design whose inference has no errors: the same layers, names
 * and wiring as buildKerasTopology (one walk, planKerasLayers), each layer in Keras 3's spelling
 * (keras3Layer), rendered as Keras 3.x writes `model.to_json()`: module / class_name / config /
 * registered_name per layer, build_config with the input shape, inbound nodes as call arguments whose
 * tensors carry their keras_history. The layers' dtype is written as "float32", which every Keras 3 reads.
 */
export function buildKeras3Topology(design: Design, inference: DesignInference, options: { readonly naming: KerasNaming }): Keras3TopologyBuild {
  const plan = planKerasLayers(design, inference, { naming: options.naming, rewrite: keras3Layer });
  const shapes = new Map<string, Shape>();
  const batched = (shape: Shape): (number | null)[] => [null, ...shape];
  const layers = plan.layers.map(({ layer, name, inputs, outputShape }): Keras3LayerJson => {
    const inputShapes = inputs.map((src) => shapes.get(src)!);
    const known = keras3Class(layer.className);
    let output = outputShape ?? null;
    if (output === null) {
      if (!known.helperShape) throw new Error(`keras-topology: ${layer.className} is used as a helper layer but has no helperShape`);
      output = known.helperShape(layer.config, inputShapes[0], inputShapes);
    }
    shapes.set(name, output);
    const config = { name, trainable: true, dtype: 'float32', ...layer.config };
    if (layer.className === 'InputLayer') {
      return { module: 'keras.layers', class_name: 'InputLayer', config: { ...layer.config, name }, registered_name: null, name, inbound_nodes: [] };
    }
    const tensors = inputs.map(
      (src, i): Keras3TensorJson => ({
        class_name: '__keras_tensor__',
        config: { shape: batched(inputShapes[i]), dtype: 'float32', keras_history: [src, 0, 0] },
      }),
    );
    return {
      module: 'keras.layers',
      class_name: layer.className,
      config,
      registered_name: null,
      build_config: { input_shape: known.merge ? inputShapes.map(batched) : batched(inputShapes[0]) },
      name,
      inbound_nodes: [{ args: [known.merge ? tensors : tensors[0]], kwargs: { ...known.callKwargs } }],
    };
  });
  const refs = (names: readonly string[]): Keras3Ref | Keras3Ref[] =>
    names.length === 1 ? [names[0], 0, 0] : names.map((n): Keras3Ref => [n, 0, 0]);
  return {
    ...plan,
    json: {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: { name: plan.modelName, trainable: true, layers, input_layers: refs(plan.inputs), output_layers: refs(plan.outputs) },
      registered_name: 'Functional',
      build_config: { input_shape: null },
      compile_config: null,
    },
  };
}
