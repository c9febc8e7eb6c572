/**
 * Shape, parameter, MAC and memory inference over a design, returning values (errors included) and never
 * throwing. `InferenceSession.update` re-infers incrementally: only nodes that changed and what lies
 * downstream of them, stopping where a recomputed output shape comes out unchanged.
 */
import type { InferResult, SizedContext, WeightDecl } from './layer-spec.ts';
import { layerSpec, isLayerKind } from './layers/index.ts';
import { linearStackIssues } from './linear-layers.ts';
import type { Issue } from './messages.ts';
import { resolveParams } from './params.ts';
import { elementCount, shapesEqual } from './shape-math.ts';
import { buildTopology, cycleIssue, type Topology } from './topology.ts';
import type { Design, DesignNode, ParamValue, Shape } from './types.ts';

export const BYTES_PER_VALUE = 4; // float32

export interface NodeInference {
  readonly id: string;
  readonly kind: string;
  /** How messages name the node: its label, or its id. */
  readonly name: string;
  /**
   * The parameters in effect: the node's own, normalised (kernel_size: 5 → [5, 5]), defaults filled in.
   * Resolved here once so that no consumer resolves them again; present even when some are invalid
   * (`paramsValid` is then false and `issues` says which), empty for an unknown kind.
   */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly paramsValid: boolean;
  /** Input shapes in slot order; null where the producer's shape is unknown. */
  readonly inputShapes: readonly (Shape | null)[];
  readonly outputShape: Shape | null;
  readonly weights: readonly WeightDecl[];
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  readonly macs: number | null;
  /** Bytes of this node's output for one sample (float32), or null when a size is unknown. */
  readonly activationBytes: number | null;
  readonly issues: readonly Issue[];
}

export interface Totals {
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  readonly totalParams: number;
  readonly macs: number;
  readonly activationBytes: number;
  readonly errors: number;
  readonly warnings: number;
  /**
   * Layers whose output shape is unknown (an error in them or upstream): they add nothing to the sums
   * above, which are then lower bounds, the totals of the valid part.
   */
  readonly unknownLayers: number;
}

export interface DesignInference {
  readonly nodes: ReadonlyMap<string, NodeInference>;
  /** Nodes in topological order; nodes on a cycle or behind one come last, in document order. */
  readonly order: readonly string[];
  /** Issues not pinned to one node. */
  readonly designIssues: readonly Issue[];
  readonly totals: Totals;
}

export function displayName(node: DesignNode): string {
  return node.label && node.label.trim() ? node.label : node.id;
}

function countParams(weights: readonly WeightDecl[], trainable: boolean): number {
  let n = 0;
  for (const w of weights) if (w.trainable === trainable) n += w.shape.reduce((a, b) => a * b, 1);
  return n;
}

type Resolved = Pick<NodeInference, 'params' | 'paramsValid'>;
const UNRESOLVED: Resolved = { params: {}, paramsValid: false };

/** A node's parameters against its kind's schema; nothing to resolve for an unknown kind. */
function resolveNode(node: DesignNode): Resolved & { readonly issues: readonly Issue[] } {
  if (!isLayerKind(node.kind)) return { ...UNRESOLVED, issues: [] };
  const { values, issues } = resolveParams(displayName(node), node.id, node.kind, layerSpec(node.kind).params, node.params ?? {});
  return { params: values, paramsValid: issues.length === 0, issues };
}

function failed(node: DesignNode, inputShapes: readonly (Shape | null)[], issues: readonly Issue[], resolved: Resolved): NodeInference {
  return {
    id: node.id,
    kind: node.kind,
    name: displayName(node),
    params: resolved.params,
    paramsValid: resolved.paramsValid,
    inputShapes,
    outputShape: null,
    weights: [],
    trainableParams: 0,
    nonTrainableParams: 0,
    macs: null,
    activationBytes: null,
    issues,
  };
}

/** Infers one node from its input shapes. Pure; catches nothing because nothing in it throws by design. */
export function inferNode(node: DesignNode, inputShapes: readonly (Shape | null)[]): NodeInference {
  const name = displayName(node);
  if (!isLayerKind(node.kind)) {
    return failed(
      node,
      inputShapes,
      [{ severity: 'error', code: 'param-unknown', nodeId: node.id, values: { node: name, param: 'kind', kind: String(node.kind) } }],
      UNRESOLVED,
    );
  }
  const spec = layerSpec(node.kind);
  const issues: Issue[] = [];
  const count = inputShapes.length;
  if (spec.inputs.max === 0 && count > 0) {
    issues.push({ severity: 'error', code: 'input-has-inputs', nodeId: node.id, values: { node: name, count } });
  } else if (count === 0 && spec.inputs.min > 0) {
    issues.push({ severity: 'error', code: 'no-input', nodeId: node.id, values: { node: name } });
  } else if (count < spec.inputs.min) {
    issues.push({ severity: 'error', code: 'too-few-inputs', nodeId: node.id, values: { node: name, min: spec.inputs.min, count } });
  } else if (count > spec.inputs.max) {
    issues.push({ severity: 'error', code: 'too-many-inputs', nodeId: node.id, values: { node: name, max: spec.inputs.max, count } });
  }
  const resolved = resolveNode(node);
  issues.push(...resolved.issues);
  if (issues.length > 0) return failed(node, inputShapes, issues, resolved);
  // Behind an unknown input the node waits silently: the producer has already said what is wrong.
  if (inputShapes.some((s) => s === null)) return failed(node, inputShapes, [], resolved);

  const ctx = { name, nodeId: node.id, params: resolved.params, inputs: inputShapes as Shape[] };
  const result: InferResult = spec.outputShape(ctx);
  issues.push(...(result.issues ?? []));
  const shape = result.shape;
  if (shape === null) return failed(node, inputShapes, issues, resolved);
  if (shape.some((d) => d !== null && d <= 0)) {
    issues.push({
      severity: 'error',
      code: 'empty-output',
      nodeId: node.id,
      values: { node: name, shape: shape.map((d) => (d === null ? '?' : d)).join('×') },
    });
    return failed(node, inputShapes, issues, resolved);
  }
  const sized = { ...ctx, output: shape };
  const weights = spec.weights(sized);
  const values = elementCount(shape);
  return {
    id: node.id,
    kind: node.kind,
    name,
    params: resolved.params,
    paramsValid: true,
    inputShapes,
    outputShape: shape,
    weights,
    trainableParams: countParams(weights, true),
    nonTrainableParams: countParams(weights, false),
    macs: spec.macs(sized),
    activationBytes: values === null ? null : values * BYTES_PER_VALUE,
    issues,
  };
}

function computeTotals(nodes: ReadonlyMap<string, NodeInference>, designIssues: readonly Issue[]): Totals {
  let trainableParams = 0;
  let nonTrainableParams = 0;
  let macs = 0;
  let activationBytes = 0;
  let errors = 0;
  let warnings = 0;
  let unknownLayers = 0;
  for (const issue of designIssues) issue.severity === 'error' ? errors++ : warnings++;
  for (const n of nodes.values()) {
    trainableParams += n.trainableParams;
    nonTrainableParams += n.nonTrainableParams;
    macs += n.macs ?? 0;
    activationBytes += n.activationBytes ?? 0;
    if (n.outputShape === null) unknownLayers++;
    for (const issue of n.issues) issue.severity === 'error' ? errors++ : warnings++;
  }
  return {
    trainableParams,
    nonTrainableParams,
    totalParams: trainableParams + nonTrainableParams,
    macs,
    activationBytes,
    errors,
    warnings,
    unknownLayers,
  };
}

interface SessionState {
  readonly design: Design;
  readonly topology: Topology;
  readonly byId: ReadonlyMap<string, DesignNode>;
  readonly results: Map<string, NodeInference>;
  /** Nodes whose result was a cycle report rather than inferred from their inputs. */
  readonly onCycle: ReadonlySet<string>;
}

function sameIds(a: readonly DesignNode[], b: readonly DesignNode[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].id !== b[i].id) return false;
  return true;
}

/**
 * Keeps the previous inference and re-infers only what an edit can affect. A node's result is a pure
 * function of its kind, params and label and its input shapes, so it is kept when those are the same
 * objects (a move makes a new node object but shares its params), it was not and is not on a cycle, and
 * the shapes now feeding it equal those it was inferred from.
 * Producers are visited before consumers, so a change ripples downstream and stops where a recomputed
 * output shape comes out unchanged.
 */
export class InferenceSession {
  private state: SessionState | null = null;
  /** Ids of the nodes recomputed by the last update (for tests and benchmarks). */
  lastRecomputed: string[] = [];

  update(design: Design): DesignInference {
    const prev = this.state;
    const structural = !prev || prev.design.edges !== design.edges || !sameIds(prev.design.nodes, design.nodes);
    const topology = structural ? buildTopology(design) : prev.topology;
    const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
    const results = new Map<string, NodeInference>();
    const onCycle = new Set<string>();
    const recomputed: string[] = [];
    // A producer not visited yet (only possible behind a cycle, where every shape is unknown) reads as null.
    const shapeOf = (id: string): Shape | null => results.get(id)?.outputShape ?? null;

    const inputsUnchanged = (old: NodeInference, srcs: readonly string[]): boolean => {
      if (old.inputShapes.length !== srcs.length) return false;
      for (let i = 0; i < srcs.length; i++) {
        const was = old.inputShapes[i];
        const now = shapeOf(srcs[i]);
        if (was !== now && !shapesEqual(was, now)) return false;
      }
      return true;
    };

    const visit = (node: DesignNode, forced: Issue | null) => {
      const old = prev?.results.get(node.id);
      const srcs = topology.inputsOf.get(node.id) ?? [];
      const keep =
        old !== undefined &&
        forced === null &&
        !prev!.onCycle.has(node.id) &&
        sameContent(prev!.byId.get(node.id), node) &&
        inputsUnchanged(old, srcs);
      if (keep) {
        results.set(node.id, old);
        return;
      }
      recomputed.push(node.id);
      if (forced) onCycle.add(node.id);
      results.set(node.id, forced ? failed(node, [], [forced], resolveNode(node)) : inferNode(node, srcs.map(shapeOf)));
    };

    for (const id of topology.order) visit(byId.get(id)!, null);
    const order = [...topology.order];
    // What Kahn's algorithm could not order: the nodes on a cycle and those behind one.
    const nameOf = (id: string) => displayName(byId.get(id)!);
    for (const node of design.nodes) {
      if (results.has(node.id)) continue;
      const cycle = topology.cycles.get(node.id);
      visit(node, cycle ? cycleIssue(node.id, displayName(node), cycle, nameOf) : null);
      order.push(node.id);
    }

    const designIssues: Issue[] =
      design.nodes.length > 0 && !design.nodes.some((n) => n.kind === 'Input')
        ? [{ severity: 'error', code: 'no-input-node', values: {} }]
        : [];
    this.state = { design, topology, byId, results, onCycle };
    this.lastRecomputed = recomputed;
    const nodes = withLinearStacks(design, withoutPaddingTails(topology, results));
    return { nodes, order, designIssues, totals: computeTotals(nodes, designIssues) };
  }
}

/**
 * The results with each linear stack's warning added to its first layer (linear-layers.ts). It depends on
 * the graph around a node, not on the node and its inputs alone, so it is recomputed on every update (one
 * pass over the edges) and kept out of the session's cache, which holds the per-node results only.
 */
function withLinearStacks(design: Design, results: ReadonlyMap<string, NodeInference>): ReadonlyMap<string, NodeInference> {
  const issues = linearStackIssues(
    design,
    (id) => {
      const r = results.get(id);
      if (!r || !r.paramsValid || r.outputShape === null) return null;
      const last = (s: Shape | null | undefined) => (s && s.length > 0 ? s[s.length - 1] : null);
      return { params: r.params, inWidth: last(r.inputShapes[0]), outWidth: last(r.outputShape) };
    },
    (id) => results.get(id)?.name ?? id,
  );
  if (issues.length === 0) return results;
  const out = new Map(results);
  for (const issue of issues) {
    const r = out.get(issue.nodeId!)!;
    out.set(r.id, { ...r, issues: [...r.issues, issue] });
  }
  return out;
}

/**
 * The results without stride-unused warnings about rows or columns that the node's input layer added as
 * padding alone (ZeroPadding2D(1) + MaxPool2D(3, 2) on 112×112 leaves only a padded column unread): they
 * count only the real pixels left unread, and go when there are none. Like the linear stacks it reads the
 * node's neighbour, so it is applied on every update, outside the per-node cache.
 */
function withoutPaddingTails(topology: Topology, results: ReadonlyMap<string, NodeInference>): ReadonlyMap<string, NodeInference> {
  let out: Map<string, NodeInference> | null = null;
  for (const r of results.values()) {
    if (!r.issues.some((i) => i.code === 'stride-unused')) continue;
    const [src] = topology.inputsOf.get(r.id) ?? [];
    const producer = src === undefined ? undefined : results.get(src);
    if (!producer || !producer.paramsValid || !isLayerKind(producer.kind)) continue;
    const edges = layerSpec(producer.kind).paddedEdges?.(producer.params);
    if (!edges) continue;
    const issues = r.issues.flatMap((i) => {
      if (i.code !== 'stride-unused') return [i];
      const unused = Number(i.values.unused) - edges[i.values.axis === 'w' ? 3 : 1];
      return unused > 0 ? [{ ...i, values: { ...i.values, unused } }] : [];
    });
    out ??= new Map(results);
    out.set(r.id, { ...r, issues });
  }
  return out ?? results;
}

/**
 * Whether two versions of a node infer alike: the result depends only on kind, params and the name
 * messages use (label), so a moved node (a new object sharing its params) keeps its result.
 */
function sameContent(a: DesignNode | undefined, b: DesignNode): boolean {
  return a === b || (a !== undefined && a.kind === b.kind && a.params === b.params && a.label === b.label);
}

/**
 * What a layer file's mappings (`keras`, `torch`, `onnx`, `weights`) are called with for this node: its
 * resolved parameters and its inferred shapes. Only for a node inferred without errors; asking for a
 * node without an output shape is a caller's mistake and throws.
 */
export function mappingContext(info: NodeInference): SizedContext<Readonly<Record<string, ParamValue>>> {
  if (info.outputShape === null) throw new Error(`mappingContext: node ${info.id} has no output shape`);
  return { name: info.name, nodeId: info.id, params: info.params, inputs: info.inputShapes as Shape[], output: info.outputShape };
}

/**
 * Why a design cannot be compiled or exported: the inference's errors, or `no-input-node` for an empty
 * design (which has no error to show yet, but nothing to build either). Empty when it can be.
 */
export function designErrors(design: Design, inference: DesignInference): Issue[] {
  const issues: Issue[] = inference.designIssues.filter((i) => i.severity === 'error');
  for (const n of inference.nodes.values()) issues.push(...n.issues.filter((i) => i.severity === 'error'));
  if (issues.length === 0 && !design.nodes.some((n) => n.kind === 'Input')) {
    issues.push({ severity: 'error', code: 'no-input-node', values: {} });
  }
  return issues;
}

/** One-shot inference of a whole design. */
export function inferShapes(design: Design): DesignInference {
  return new InferenceSession().update(design);
}
