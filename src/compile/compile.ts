/**
 * Design → tfjs functional model. The design is first written as a Keras functional-model topology
 * (the `model.to_json()` layout: class_name "Functional", layers with inbound_nodes), and tfjs-layers
 * builds the model from that JSON, so the same JSON is the Keras config the exporter prints and the
 * model the trainer runs. Each node contributes the chain of Keras layers its layer file declares.
 *
 * Invalid designs are values, not exceptions: `compileDesign` returns `{ ok: false, issues }`.
 */
import * as tf from '@tensorflow/tfjs';
import {
  buildTopology,
  inferShapes,
  layerSpec,
  resolveParams,
  displayName,
  type Design,
  type DesignInference,
  type Issue,
  type KerasLayer,
  type Shape,
} from '../graph/index.ts';
import { DilatedDepthwiseConv2D } from './layers/dilated-depthwise-conv2d.ts';
import { GroupedConv2D } from './layers/grouped-conv2d.ts';

type Json = Record<string, unknown>;
/** [layer name, node index, tensor index, kwargs]: Keras's reference to a layer call's output. */
type InboundRef = [string, number, number, Json];

export interface KerasLayerJson {
  readonly class_name: string;
  readonly name: string;
  readonly config: Json;
  readonly inbound_nodes: InboundRef[][];
}

export interface KerasTopology {
  readonly class_name: 'Functional';
  readonly config: {
    readonly name: string;
    readonly layers: KerasLayerJson[];
    readonly input_layers: [string, number, number][];
    readonly output_layers: [string, number, number][];
  };
  readonly keras_version: string;
  readonly backend: string;
}

export interface TopologyOptions {
  /**
   * 'keras' (default) writes the layers as Keras defines them (Conv2D with `groups`); 'tfjs' rewrites
   * the few that tfjs-layers cannot build as written, into equivalents it can (see `forTfjs`).
   */
  readonly target?: 'keras' | 'tfjs';
  /**
   * Initialise every weight with zeros instead of random values (tfjs target only). Building a
   * 138 M-parameter VGG-16 spends most of its time drawing random numbers; a shape or parameter check,
   * or a model whose weights are loaded next, does not need them.
   */
  readonly zeroInit?: boolean;
}

/** What tfjs-layers accepts as a layer or weight name (its tensorNameRegex minus '/', a scope separator). */
const NAME_CHAR = /[^A-Za-z0-9_.-]/g;

function baseName(id: string): string {
  const cleaned = id.replace(NAME_CHAR, '_');
  return /^[A-Za-z0-9]/.test(cleaned) ? cleaned : `n${cleaned}`;
}

/**
 * A unique, tfjs-valid layer name per node (the last layer of its chain) and per helper layer
 * (`${name}__${suffix}`). Node ids are free text, so names are sanitised and de-duplicated.
 */
function nameLayers(
  design: Design,
  chains: ReadonlyMap<string, readonly KerasLayer[]>,
): { names: Map<string, string[]>; claim: (wanted: string) => string } {
  const used = new Set<string>();
  const claim = (wanted: string): string => {
    let name = wanted;
    for (let i = 2; used.has(name); i++) name = `${wanted}_${i}`;
    used.add(name);
    return name;
  };
  const out = new Map<string, string[]>();
  // Nodes first, so a node keeps its own id as its name whenever that id is already valid.
  const nodeNames = new Map(design.nodes.filter((n) => chains.has(n.id)).map((n) => [n.id, claim(baseName(n.id))] as const));
  for (const [id, chain] of chains) {
    const name = nodeNames.get(id)!;
    out.set(
      id,
      chain.map((layer, i) => (i === chain.length - 1 ? name : claim(`${name}__${layer.suffix ?? `part${i}`}`))),
    );
  }
  return { names: out, claim };
}

/** The Keras layer chain of every node, from its layer file. Requires an inference without errors. */
function kerasChains(design: Design, inference: DesignInference): Map<string, readonly KerasLayer[]> {
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  const chains = new Map<string, readonly KerasLayer[]>();
  for (const id of inference.order) {
    const node = byId.get(id)!;
    const info = inference.nodes.get(id)!;
    const spec = layerSpec(node.kind);
    const { values } = resolveParams(displayName(node), node.id, node.kind, spec.params, node.params ?? {});
    chains.set(
      id,
      spec.keras({
        name: displayName(node),
        nodeId: id,
        params: values,
        inputs: info.inputShapes as Shape[],
        output: info.outputShape!,
      }),
    );
  }
  return chains;
}

const ZEROS = { class_name: 'Zeros', config: {} };

/**
 * Rewrites one Keras layer into what tfjs-layers 4.22 can build, with the same shapes and weights.
 * Each rule exists because tfjs lacks what Keras has.
 */
function forTfjs(layer: KerasLayer, inputs: readonly Shape[], output: Shape | null, zeroInit: boolean): KerasLayer {
  let { className, config } = layer;
  // tfjs Conv2D has no `groups`: use the registered grouped convolution (same weights as Keras).
  if (className === 'Conv2D' && typeof config.groups === 'number' && config.groups > 1) {
    className = GroupedConv2D.className;
  }
  // tfjs DepthwiseConv2D ignores dilation_rate (shapes and values): use ours, which applies it.
  if (className === 'DepthwiseConv2D' && Array.isArray(config.dilation_rate) && config.dilation_rate.some((d) => d !== 1)) {
    className = DilatedDepthwiseConv2D.className;
  }
  // tfjs Flatten demands rank ≥ 3 with the batch; Keras flattens a vector to itself. A Reshape to the
  // same length is that identity.
  if (className === 'Flatten' && inputs.length === 1 && inputs[0].length === 1) {
    className = 'Reshape';
    config = { target_shape: [...inputs[0]] };
  }
  // tfjs Reshape resolves -1 only when every input dim is known, and it counts the batch dim, which
  // never is: the -1 would stay in the static shape and break the next layer. Keras resolves it; so do
  // we, from the inferred output.
  if (className === 'Reshape' && output !== null && Array.isArray(config.target_shape) && config.target_shape.includes(-1)) {
    config = { ...config, target_shape: [...output] };
  }
  // The rewrites above keep the initialiser keys of the class they replace; the layer file names them.
  if (zeroInit) config = { ...config, ...Object.fromEntries((layer.initializers ?? []).map((key) => [key, ZEROS])) };
  return { ...layer, className, config };
}

/**
 * The Keras functional-model topology of a design whose inference has no errors. Inputs are the Input
 * nodes in document order; outputs are the nodes nothing consumes, in topological order. Merge layers
 * receive their inputs in slot order.
 */
export function toKerasTopology(design: Design, inference: DesignInference, options: TopologyOptions = {}): KerasTopology {
  // A caller's mistake, not a user's: a design with errors has no Keras form, and callers check first.
  if (errorsOf(inference).length > 0) throw new Error('toKerasTopology needs a design whose inference has no errors');
  return assemble(design, inference, options).json;
}

function assemble(
  design: Design,
  inference: DesignInference,
  options: TopologyOptions,
): { json: KerasTopology; names: Map<string, string[]> } {
  const target = options.target ?? 'keras';
  const topology = buildTopology(design);
  const chains = kerasChains(design, inference);
  const { names, claim } = nameLayers(design, chains);
  const outputOf = new Map([...names].map(([id, chain]) => [id, chain.at(-1)!] as const));
  const layers: KerasLayerJson[] = [];
  for (const id of inference.order) {
    const chain = chains.get(id)!;
    const chainNames = names.get(id)!;
    const sources = topology.inputsOf.get(id) ?? [];
    let inbound: string[] = sources.map((s) => outputOf.get(s)!);
    if (target === 'tfjs' && new Set(inbound).size < inbound.length) {
      // tfjs's executor frees a tensor too early when one layer takes it twice (Add(x, x)) and another
      // layer reads it too: predict() then fails. Each repeat goes through its own identity layer.
      const seen = new Set<string>();
      inbound = inbound.map((src, slot) => {
        if (!seen.has(src)) {
          seen.add(src);
          return src;
        }
        const name = claim(`${chainNames.at(-1)}__same${slot}`);
        const config = { name, trainable: true, activation: 'linear' };
        layers.push({ class_name: 'Activation', name, config, inbound_nodes: [[[src, 0, 0, {}]]] });
        chainNames.unshift(name);
        return name;
      });
    }
    let shapes: readonly Shape[] = inference.nodes.get(id)!.inputShapes as Shape[];
    chain.forEach((raw, i) => {
      const output = i === chain.length - 1 ? inference.nodes.get(id)!.outputShape : null;
      const layer = target === 'tfjs' ? forTfjs(raw, shapes, output, options.zeroInit ?? false) : raw;
      const name = chainNames[chainNames.length - chain.length + i];
      layers.push({
        class_name: layer.className,
        name,
        config: { name, trainable: true, ...layer.config },
        inbound_nodes: inbound.length === 0 ? [] : [inbound.map((src): InboundRef => [src, 0, 0, {}])],
      });
      inbound = [name];
      // Helper layers of a chain are single-input; their shapes are only needed by the Flatten rule,
      // which never sits behind a helper.
      shapes = [];
    });
  }
  const ref = (id: string): [string, number, number] => [outputOf.get(id)!, 0, 0];
  const inputs = design.nodes.filter((n) => n.kind === 'Input' && chains.has(n.id)).map((n) => ref(n.id));
  const outputs = inference.order.filter((id) => (topology.consumersOf.get(id) ?? []).length === 0).map(ref);
  return {
    json: {
      class_name: 'Functional',
      config: { name: baseName(design.name || 'model'), layers, input_layers: inputs, output_layers: outputs },
      keras_version: '2.15.0',
      backend: 'tensorflow',
    },
    names,
  };
}

export interface CompiledModel {
  readonly ok: true;
  readonly model: tf.LayersModel;
  /** Node id → name of the tfjs layer that produces the node's output (the last of its chain). */
  readonly layerNames: ReadonlyMap<string, string>;
  /** Node id → names of every tfjs layer of its chain (helpers first), for per-node parameter sums. */
  readonly chainNames: ReadonlyMap<string, readonly string[]>;
  readonly inference: DesignInference;
  /** The topology tfjs built from (target 'tfjs'). */
  readonly topology: KerasTopology;
}

export interface CompileFailure {
  readonly ok: false;
  /** The design's errors as inference reported them, or one compile-failed issue when tfjs refused the model. */
  readonly issues: readonly Issue[];
  /**
   * Set when inference found no error but tfjs refused the model: a disagreement between the two,
   * which the differential tests exist to catch. Holds tfjs's message.
   */
  readonly error?: string;
}

export type CompileResult = CompiledModel | CompileFailure;

function errorsOf(inference: DesignInference): Issue[] {
  const issues: Issue[] = inference.designIssues.filter((i) => i.severity === 'error');
  for (const n of inference.nodes.values()) issues.push(...n.issues.filter((i) => i.severity === 'error'));
  return issues;
}

/**
 * Builds the tfjs model of a design. Never throws for an invalid design: it returns the inference's
 * errors instead. The caller owns the model (`model.dispose()` frees its weights).
 */
export async function compileDesign(design: Design, options: Omit<TopologyOptions, 'target'> = {}): Promise<CompileResult> {
  const inference = inferShapes(design);
  const issues = errorsOf(inference);
  // An empty design has no error to show yet, but there is no model to build either.
  if (issues.length === 0 && !design.nodes.some((n) => n.kind === 'Input')) {
    issues.push({ severity: 'error', code: 'no-input-node', values: {} });
  }
  if (issues.length > 0) return { ok: false, issues };
  const { json: topology, names: chainNames } = assemble(design, inference, { ...options, target: 'tfjs' });
  try {
    // modelFromJSON converts the JSON into new config objects; the topology stays ours to return.
    const model = await tf.models.modelFromJSON(topology as unknown as Parameters<typeof tf.models.modelFromJSON>[0]);
    const layerNames = new Map([...chainNames].map(([id, chain]) => [id, chain.at(-1)!] as const));
    return { ok: true, model, layerNames, chainNames, inference, topology };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, issues: [{ severity: 'error', code: 'compile-failed', values: { detail } }], error: detail };
  }
}
