/**
 * Linear stacks: layers with weights and no non-linearity between them compute one linear map. Two Dense
 * layers with a linear activation, W2·(W1·x + b1) + b2, equal one Dense with W = W2·W1 (and a Conv2D
 * followed by a Conv2D equals one larger convolution): the second layer adds parameters but no power, the
 * mistake a beginner makes when a new layer starts without an activation. Which kinds are linear is each
 * layer file's own answer (`flow.linear`); this module only walks the graph with it, so a new kind is
 * covered by answering there.
 *
 * It also holds the starting parameters of a layer placed by hand: ReLU wherever the kind fuses an
 * activation, so a beginner's first stack is not a linear one. The schema default stays 'linear' because
 * that is what a file that leaves the parameter out has always meant (and Keras's own default).
 */
import { layerSpec, isLayerKind } from './layers/index.ts';
import type { Issue } from './messages.ts';
import type { Design, DesignNode, LayerKind, ParamValue, Params } from './types.ts';

/** The non-linearity a hand-placed layer starts with, and the one the fix adds. */
export const BEGINNER_ACTIVATION = 'relu';

/** Whether `kind` has a fused `activation` parameter (Dense, the convolutions): its linearity follows it. */
export function fusesActivation(kind: LayerKind): boolean {
  const spec = layerSpec(kind);
  const param = (spec.params as Readonly<Record<string, { type: string; options?: readonly string[] }>>).activation;
  return spec.flow.linear === 'by-activation' && param?.type === 'choice' && !!param.options?.includes(BEGINNER_ACTIVATION);
}

/**
 * The parameters a layer placed from the palette starts with, over its schema defaults: ReLU for the kinds
 * that fuse an activation, nothing for the rest. The output layer is the exception a beginner meets next:
 * the training fit check flags a classifier ending in ReLU and offers softmax in one click.
 */
export function startingParams(kind: LayerKind): Params {
  return fusesActivation(kind) ? { activation: BEGINNER_ACTIVATION } : {};
}

/** What the walk needs of a node's inference: its resolved parameters and the lengths of its input's and output's last axes. */
export interface LinearInfo {
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly inWidth: number | null;
  readonly outWidth: number | null;
}
/** A node's info, or null when its parameters are invalid or its shapes unknown (such a node is left out). */
type InfoOf = (id: string) => LinearInfo | null;

/** A layer whose output is a linear map of its input, with weights of its own (a Dense with activation 'linear'). */
function isLinearWeighted(node: DesignNode, info: LinearInfo | null): boolean {
  return isLayerKind(node.kind) && fusesActivation(node.kind) && info !== null && info.params.activation === 'linear';
}

/**
 * A bottleneck on purpose: A narrows the channels below both its input and what B widens them to again
 * (MobileNetV2's linear bottleneck, 32 → 16 → 96). The pair is still one linear map, but one of limited
 * rank with fewer weights than a single layer: a deliberate factorisation, not a beginner's slip.
 */
function isBottleneck(a: LinearInfo | null, b: LinearInfo | null): boolean {
  const mid = a?.outWidth ?? null;
  return mid !== null && a?.inWidth != null && b?.outWidth != null && mid < a.inWidth && mid < b.outWidth;
}

/** A layer a linear map passes through unchanged in kind (Flatten, Dropout, BatchNorm, average pooling…): one input, no non-linearity. */
function passesLinearity(node: DesignNode): boolean {
  if (!isLayerKind(node.kind)) return false;
  const spec = layerSpec(node.kind);
  return spec.flow.linear === 'always' && spec.inputs.max === 1 && spec.inputs.min === 1;
}

/**
 * Every maximal stack of two or more weighted linear layers (ids in flow order) where each one's output
 * reaches the next through layers that keep it linear, with no branching on the way (a fork or a merge
 * ends a stack: it is still linear, but the fix there is not one activation), and deliberate bottlenecks
 * left out (see isBottleneck).
 */
export function linearStacks(design: Pick<Design, 'nodes' | 'edges'>, infoOf: InfoOf): string[][] {
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  const consumers = new Map<string, string[]>();
  for (const e of design.edges) {
    const list = consumers.get(e.source);
    if (list) list.push(e.target);
    else consumers.set(e.source, [e.target]);
  }
  // The kind first: most layers cannot be linear-weighted, and asking for their info allocates.
  const weighted = (n: DesignNode): boolean => isLayerKind(n.kind) && fusesActivation(n.kind) && isLinearWeighted(n, infoOf(n.id));
  /** The weighted linear layer `id`'s output reaches next along a single path of linear layers, if any. */
  const next = (id: string): string | null => {
    const seen = new Set<string>([id]);
    for (let at = id; ; ) {
      const out = consumers.get(at) ?? [];
      if (out.length !== 1 || seen.has(out[0])) return null;
      const node = byId.get(out[0]);
      if (!node) return null;
      if (weighted(node)) return node.id;
      if (!passesLinearity(node)) return null;
      seen.add(node.id);
      at = node.id;
    }
  };
  const links = new Map<string, string>();
  for (const n of design.nodes) {
    if (!weighted(n)) continue;
    const to = next(n.id);
    if (to && !isBottleneck(infoOf(n.id), infoOf(to))) links.set(n.id, to);
  }
  const continued = new Set(links.values());
  const stacks: string[][] = [];
  for (const start of links.keys()) {
    if (continued.has(start)) continue;
    const stack = [start];
    for (let at = links.get(start); at && !stack.includes(at); at = links.get(at)) stack.push(at);
    stacks.push(stack);
  }
  return stacks;
}

/**
 * One warning per linear stack, pinned to its first layer, naming them all; its fix gives every layer
 * but the last a ReLU (the last may be a classifier's logits, which must stay linear).
 */
export function linearStackIssues(design: Pick<Design, 'nodes' | 'edges'>, infoOf: InfoOf, nameOf: (id: string) => string): Issue[] {
  return linearStacks(design, infoOf).map((stack) => {
    const [first, ...rest] = stack;
    return {
      severity: 'warning',
      code: 'linear-stack',
      nodeId: first,
      param: 'activation',
      values: { node: nameOf(first), count: stack.length, nodes: stack.map(nameOf).join(' → ') },
      fix: { params: { activation: BEGINNER_ACTIVATION }, also: rest.slice(0, -1), label: 'fix-add-relu' },
    } satisfies Issue;
  });
}
