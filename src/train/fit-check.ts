/**
 * Before training: does the data fit the network? Checks the Input against the images, the output against
 * the classes, and the head against the loss, and says which loss reading to use. Each mismatch is a
 * catalogue `Issue` (en/es) and, where one parameter change resolves it, a one-click fix naming the node
 * and the parameters to set. Pure: it reads the design and its inference, never changes them.
 */
import { displayName, inferShapes, type DesignInference } from '../graph/infer.ts';
import type { LayerFlow } from '../graph/layer-spec.ts';
import { layerSpec, isLayerKind } from '../graph/layers/index.ts';
import type { Issue, IssueCode } from '../graph/messages.ts';
import { elementCount, formatShape } from '../graph/shape-math.ts';
import { buildTopology } from '../graph/topology.ts';
import type { Design, DesignNode, ParamValue, Shape } from '../graph/types.ts';
import { commonShape, type FoundImages } from './datasets/image-header.ts';
import type { LossKind } from './protocol.ts';

/** What the fit check needs to know about a dataset (a `Dataset` qualifies). */
export interface DataSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly classes: readonly string[];
  /** A user's images as found before they were resized to `shape`. */
  readonly found?: FoundImages;
}

export interface FitFix {
  /** The node to change (not always the node the issue is pinned to). */
  readonly nodeId: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly label: IssueCode;
}

export interface FitIssue extends Issue {
  readonly fix?: FitFix;
}

export interface FitResult {
  /** No errors: training can start (warnings may remain). */
  readonly ok: boolean;
  readonly issues: readonly FitIssue[];
  /** How the loss reads the output: after a softmax head, probabilities; otherwise logits. */
  readonly loss: LossKind;
  readonly inputNodeId: string | null;
  readonly outputNodeId: string | null;
  /**
   * 'flat' when the Input is a vector of H·W·C values (an MLP on images): the trainer reshapes each image
   * to a row-major vector, the order Keras's Flatten uses on channels-last data.
   */
  readonly inputLayout: 'image' | 'flat';
}

/** How a node's kind passes values on (see LayerFlow): the walks below ask the kind, never its name. */
function flowOf(node: DesignNode): LayerFlow | null {
  return isLayerKind(node.kind) ? layerSpec(node.kind).flow : null;
}

export function checkFit(design: Design, data: DataSpec, inference: DesignInference = inferShapes(design)): FitResult {
  const issues: FitIssue[] = [];
  // The parameters in effect, as inference resolved them (defaults filled in, shorthand normalised).
  const paramsOf = (node: DesignNode): Readonly<Record<string, ParamValue>> => inference.nodes.get(node.id)?.params ?? {};
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  const topology = buildTopology(design);
  const inputOf = (id: string): DesignNode | null => {
    const srcs = topology.inputsOf.get(id) ?? [];
    return srcs.length === 1 ? (byId.get(srcs[0]) ?? null) : null;
  };
  const classes = data.classes.length;
  const dataShape = formatShape(data.shape);

  if (inference.totals.errors > 0) {
    issues.push({ severity: 'error', code: 'fit-design-errors', values: { count: inference.totals.errors } });
  }
  if (classes < 2) {
    issues.push({ severity: 'error', code: 'fit-too-few-classes', values: { dataset: data.name, classes } });
  }

  // tfjs-core has no gradient for dilated convolutions on any backend: such a design runs but cannot learn.
  for (const node of design.nodes) {
    const windowOf = isLayerKind(node.kind) ? layerSpec(node.kind).window : null;
    if (!windowOf) continue;
    const dilation = windowOf(paramsOf(node)).dilation;
    if (dilation.some((d) => d > 1)) {
      issues.push({
        severity: 'error',
        code: 'fit-dilation-untrainable',
        nodeId: node.id,
        param: 'dilation_rate',
        values: { node: displayName(node), dilation: dilation.join('×') },
        fix: { nodeId: node.id, params: { dilation_rate: [1, 1] }, label: 'fix-dilation-1' },
      });
    }
  }

  // --- Input vs the images ---
  const inputs = design.nodes.filter((n) => n.kind === 'Input');
  let inputLayout: FitResult['inputLayout'] = 'image';
  if (inputs.length !== 1) {
    issues.push({ severity: 'error', code: 'fit-input-count', values: { count: inputs.length } });
  } else {
    const input = inputs[0];
    const shape = paramsOf(input).shape as readonly number[] | undefined;
    const size = elementCount(data.shape);
    if (shape && shape.length === 1 && shape[0] === size) {
      inputLayout = 'flat';
    } else if (!shape || shape.length !== data.shape.length || shape.some((d, i) => d !== data.shape[i])) {
      // A vector Input stays a vector (its Dense layers expect one); an image Input takes the images' shape.
      const target = shape && shape.length === 1 && size !== null ? [size] : [...data.shape];
      issues.push({
        severity: 'error',
        code: 'fit-input-shape',
        nodeId: input.id,
        param: 'shape',
        values: { node: displayName(input), expected: formatShape(shape), dataset: data.name, shape: formatShape(target) },
        fix: { nodeId: input.id, params: { shape: target }, label: 'fix-input-shape' },
      });
    }
  }

  // --- Output vs the classes ---
  // The output is the one node nothing consumes (an Input alone is its own output, and not a vector).
  const sinks = design.nodes.filter((n) => (topology.consumersOf.get(n.id) ?? []).length === 0);
  let output: DesignNode | null = null;
  if (sinks.length > 1) {
    issues.push({
      severity: 'error',
      code: 'fit-output-count',
      values: { count: sinks.length, nodes: sinks.map(displayName).join(', ') },
    });
  } else if (sinks.length === 1) {
    output = sinks[0];
    const shape: Shape | null = inference.nodes.get(output.id)?.outputShape ?? null;
    if (shape !== null) {
      if (shape.length !== 1) {
        issues.push({
          severity: 'error',
          code: 'fit-output-not-vector',
          nodeId: output.id,
          values: { node: displayName(output), shape: formatShape(shape), classes },
        });
      } else if (shape[0] !== classes && classes >= 2) {
        issues.push({
          severity: 'error',
          code: 'fit-output-units',
          nodeId: output.id,
          values: { node: displayName(output), units: formatShape(shape), dataset: data.name, classes, ...unitsFixValues(output) },
          fix: unitsFix(output),
        });
      }
    }
  }

  /**
   * The node whose parameter sets the output's length: back through layers that keep the channel count
   * (Dropout, BatchNorm, global pooling…) to one that sets it (a Dense's units; in an all-convolutional
   * head, a Conv2D's filters before the global pooling).
   */
  function unitsSource(from: DesignNode): { node: DesignNode; param: NonNullable<LayerFlow['channelsParam']> } | null {
    let node: DesignNode | null = from;
    while (node && flowOf(node)?.keepsChannels) node = inputOf(node.id);
    const param = node ? flowOf(node)?.channelsParam : null;
    return node && param ? { node, param } : null;
  }
  function unitsFixValues(from: DesignNode): Record<string, string> {
    const src = unitsSource(from);
    return src ? { target: displayName(src.node) } : {};
  }
  function unitsFix(from: DesignNode): FitFix | undefined {
    const src = unitsSource(from);
    return src ? { nodeId: src.node.id, params: { [src.param.name]: classes }, label: src.param.fix } : undefined;
  }

  // --- The head vs the loss ---
  let loss: LossKind = 'logits';
  if (output) {
    let node: DesignNode | null = output;
    while (node && flowOf(node)?.keepsHead) node = inputOf(node.id);
    const activation = node && 'activation' in (isLayerKind(node.kind) ? layerSpec(node.kind).params : {}) ? String(paramsOf(node).activation) : null;
    if (node && activation === 'softmax') {
      loss = 'softmax-probabilities';
    } else if (node && activation !== null && activation !== 'linear') {
      issues.push({
        severity: 'warning',
        code: 'fit-head-activation',
        nodeId: node.id,
        param: 'activation',
        values: { node: displayName(node), activation },
        fix: { nodeId: node.id, params: { activation: 'softmax' }, label: 'fix-activation-softmax' },
      });
    }
  }

  // Last: a warning, after the errors that stop training.
  const inputShape = inputs.length === 1 ? (paramsOf(inputs[0]).shape as readonly number[] | undefined) : undefined;
  if (data.found && inputShape && inputShape.length === 3) {
    const resized = resizedImages(inputs[0], inputShape, data.name, data.found);
    if (resized) issues.push(resized);
  }

  return {
    ok: !issues.some((i) => i.severity === 'error'),
    issues,
    loss,
    inputNodeId: inputs.length === 1 ? inputs[0].id : null,
    outputNodeId: output?.id ?? null,
    inputLayout,
  };
}

/** The design with one fix applied (a new object; the input is untouched). Unknown node: unchanged. */
export function applyFitFix(design: Design, fix: FitFix): Design {
  if (!design.nodes.some((n) => n.id === fix.nodeId)) return design;
  return {
    ...design,
    nodes: design.nodes.map((n) => (n.id === fix.nodeId ? { ...n, params: { ...n.params, ...fix.params } } : n)),
  };
}

/**
 * Images whose own size or colour differ from the Input are stretched (and turned gray or colour) when
 * they load: said, with the images' own shape as a one-click Input when they all share one.
 */
function resizedImages(input: DesignNode, shape: readonly number[], dataset: string, found: FoundImages): FitIssue | null {
  const [h, w, c] = shape;
  const sameSize = found.sizes === 1 && found.minHeight === h && found.minWidth === w;
  const sameColour = c === 1 ? found.color === 0 : found.gray === 0;
  if (sameSize && sameColour) return null;
  const own = commonShape(found, c);
  const values = {
    node: displayName(input),
    dataset,
    sizes: found.sizes,
    minH: found.minHeight,
    minW: found.minWidth,
    maxH: found.maxHeight,
    maxW: found.maxWidth,
    color: found.color,
    gray: found.gray,
    input: formatShape(shape),
    shape: own ? formatShape(own) : '',
  };
  return {
    severity: 'warning',
    code: 'fit-images-resized',
    nodeId: input.id,
    param: 'shape',
    values,
    ...(own ? { fix: { nodeId: input.id, params: { shape: own }, label: 'fix-input-shape' as const } } : {}),
  };
}
