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

/**
 * The Keras functional-model topology of a design whose inference has no errors (check `designErrors`
 * first). Inputs are the Input nodes in document order; outputs are the nodes nothing consumes, in
 * topological order. Merge layers receive their inputs in slot order.
 */
export function buildKerasTopology(
  design: Design,
  inference: DesignInference,
  options: KerasTopologyOptions,
): KerasTopologyBuild {
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
    chain.forEach((declared, i) => {
      const last = i === chain.length - 1;
      // Helper layers of a chain are single-input and their shapes are not inferred; no rewrite needs them.
      const shapes = i === 0 ? (info.inputShapes as Shape[]) : [];
      const layer = rewrite ? rewrite(declared, shapes, last ? info.outputShape : null) : declared;
      layers.push({ nodeId: id, layer, name: own[i], inputs });
      inputs = [own[i]];
    });
  }
  const inputs = design.nodes.filter((n) => n.kind === 'Input').map((n) => outputOf.get(n.id)!);
  const sinks = inference.order.filter((id) => (topology.consumersOf.get(id) ?? []).length === 0);
  const outputs = sinks.map((id) => outputOf.get(id)!);
  const modelName = naming.model(design);
  const ref = (name: string): [string, number, number] => [name, 0, 0];
  return {
    json: {
      class_name: 'Functional',
      config: {
        name: modelName,
        layers: layers.map(toJson),
        input_layers: inputs.map(ref),
        output_layers: outputs.map(ref),
      },
      keras_version: options.header.keras_version,
      backend: options.header.backend,
    },
    layers,
    names,
    modelName,
    inputs,
    outputs,
  };
}
