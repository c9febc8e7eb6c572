/**
 * Design → tfjs functional model. The design is first written as a Keras functional-model topology by
 * the one builder the Keras export uses too (graph/keras-topology.ts), and tfjs-layers builds the model
 * from that JSON, so the Keras config the exporter prints and the model the trainer runs are the same
 * layers. What is tfjs's own is passed to the builder as options: tfjs layer names, the rewrites of
 * layers tfjs cannot build as Keras writes them (`forTfjs`), and identity layers for repeated inputs.
 *
 * Invalid designs are values, not exceptions: `compileDesign` returns `{ ok: false, issues }`.
 */
import * as tf from '@tensorflow/tfjs';
import {
  buildKerasTopology,
  designErrors,
  flattenDesign,
  inferShapes,
  TF_KERAS_2,
  type Design,
  type DesignInference,
  type Issue,
  type KerasLayer,
  type KerasNaming,
  type KerasTopology,
  type KerasTopologyOptions,
  type PlannedKerasLayer,
  type Shape,
} from '../graph/index.ts';
import { BilinearUpSampling2D } from './layers/bilinear-up-sampling2d.ts';
import { DilatedDepthwiseConv2D } from './layers/dilated-depthwise-conv2d.ts';
import { GroupedConv2D } from './layers/grouped-conv2d.ts';

export interface TopologyOptions {
  /**
   * Initialise every weight with zeros instead of random values. Building a 138 M-parameter VGG-16
   * spends most of its time drawing random numbers; a shape or parameter check, or a model whose
   * weights are loaded next, does not need them.
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
 * tfjs layer names: a node's is its id, sanitised (so trained weights map back to nodes by name), a
 * helper's `${node}__${suffix}`; node ids are free text, so names are de-duplicated.
 */
function tfjsNaming(): KerasNaming {
  const used = new Set<string>();
  const claim = (wanted: string): string => {
    let name = wanted;
    for (let i = 2; used.has(name); i++) name = `${wanted}_${i}`;
    used.add(name);
    return name;
  };
  return {
    // In document order, so a node keeps its own id as its name whenever that id is already valid.
    nodes: (design, order) => {
      const ordered = new Set(order);
      return new Map(design.nodes.filter((n) => ordered.has(n.id)).map((n) => [n.id, claim(baseName(n.id))] as const));
    },
    helper: (node, suffix) => claim(`${node}__${suffix}`),
    model: (design) => baseName(design.name || 'model'),
  };
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
  // tfjs UpSampling2D interpolates without half-pixel centres, Keras 3 and PyTorch with them: use ours,
  // which computes Keras 3's numbers and can be trained.
  if (className === 'UpSampling2D' && config.interpolation === 'bilinear') {
    className = BilinearUpSampling2D.className;
    config = { size: config.size };
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
 * tfjs's executor frees a tensor too early when one layer takes it twice (Add(x, x)) and another layer
 * reads it too: predict() then fails. Each repeat goes through its own identity layer.
 */
function splitRepeatedInputs(
  sources: readonly string[],
  helper: (suffix: string) => string,
): { layers: Omit<PlannedKerasLayer, 'nodeId'>[]; sources: string[] } {
  const seen = new Set<string>();
  const layers: Omit<PlannedKerasLayer, 'nodeId'>[] = [];
  const split = sources.map((src, slot) => {
    if (!seen.has(src)) {
      seen.add(src);
      return src;
    }
    const name = helper(`same${slot}`);
    layers.push({ name, layer: { className: 'Activation', config: { activation: 'linear' } }, inputs: [src] });
    return name;
  });
  return { layers, sources: split };
}

/** The options that make the one Keras topology builder write what tfjs-layers 4.22 builds. */
function tfjsTarget(options: TopologyOptions): KerasTopologyOptions {
  const zeroInit = options.zeroInit ?? false;
  return {
    naming: tfjsNaming(),
    header: TF_KERAS_2,
    rewrite: (layer, inputs, output) => forTfjs(layer, inputs, output, zeroInit),
    beforeNode: splitRepeatedInputs,
  };
}

/**
 * The topology tfjs builds the model from: the design's Keras topology with the tfjs rewrites. The design's
 * inference must have no errors.
 */
export function tfjsTopology(design: Design, inference: DesignInference, options: TopologyOptions = {}): KerasTopology {
  // A caller's mistake, not a user's: a design with errors has no Keras form, and callers check first.
  if (designErrors(design, inference).length > 0) throw new Error('tfjsTopology needs a design whose inference has no errors');
  return buildKerasTopology(design, inference, tfjsTarget(options)).json;
}

export interface CompiledModel {
  readonly ok: true;
  readonly model: tf.LayersModel;
  /** Node id → name of the tfjs layer that produces the node's output (the last of its chain). */
  readonly layerNames: ReadonlyMap<string, string>;
  /** Node id → names of every tfjs layer of its chain (helpers first), for per-node parameter sums. */
  readonly chainNames: ReadonlyMap<string, readonly string[]>;
  readonly inference: DesignInference;
  /** The topology tfjs built from (the design's Keras topology with the tfjs rewrites). */
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

/**
 * Builds the tfjs model of a design. Never throws for an invalid design: it returns the inference's
 * errors instead. The caller owns the model (`model.dispose()` frees its weights).
 */
export async function compileDesign(document: Design, options: TopologyOptions = {}): Promise<CompileResult> {
  // Blocks are structure, not math: tfjs gets the unfolded layers, named by their block paths.
  const design = flattenDesign(document);
  const inference = inferShapes(design);
  const issues = designErrors(design, inference);
  if (issues.length > 0) return { ok: false, issues };
  const { json: topology, names: chainNames } = buildKerasTopology(design, inference, tfjsTarget(options));
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
