/**
 * The canvas's view of the document: React Flow nodes and edges DERIVED from the design and its inference,
 * never stored as the source of truth (the store holds the design; React Flow holds a disposable copy).
 *
 * Pure functions, plus a small per-canvas cache (`createFlowAdapter`) so that a layer whose design node,
 * inference result, selection and shape layout are unchanged keeps the very same node object. React Flow
 * compares node objects by identity and the memoised LayerNode compares its `data` by identity, so an edit
 * re-renders the layers it touched, not all 170 of a ResNet.
 *
 * Node `data` carries values only (no callbacks): the node dispatches through the store context itself.
 */
import type { Edge, Node, Viewport } from '@xyflow/react';
import type { NodeInference, DesignInference } from '../../graph/infer.ts';
import type { LayerCategory } from '../../graph/layer-spec.ts';
import { isLayerKind, layerSpec } from '../../graph/layers/index.ts';
import type { Issue, Severity } from '../../graph/messages.ts';
import type { BlockSummary } from '../../graph/blocks.ts';
import type { BlockInstance, Design, DesignEdge, DesignNode, LayerKind } from '../../graph/types.ts';
import { formatShapeCompact, layerSummary } from '../layer-rows.ts';
import { DEFAULT_BOX, type Box } from '../../graph/layout-box.ts';

export const LAYER_NODE = 'layer';
export const BLOCK_NODE = 'block';
export const SHAPE_EDGE = 'shape';


export type LayerNodeData = {
  readonly kind: LayerKind;
  /** The user's label, when the layer has one (the id is the node's id). */
  readonly label: string | null;
  readonly category: LayerCategory;
  /** "8 × 5×5 · s1 · same": the layer spec's summary of its key parameters. */
  readonly summary: string;
  /** The output shape in the chosen layout ("24×24×8" or "8×24×24"); null when it could not be inferred. */
  readonly shape: string | null;
  /** Null when inference could not size the layer (its weights depend on a shape it never got). */
  readonly params: { readonly trainable: number; readonly nonTrainable: number } | null;
  readonly issues: readonly Issue[];
  /** The worst issue's severity, for the border colour. */
  readonly severity: Severity | null;
  /** False for Input: it starts the network and has no target handle. */
  readonly takesInput: boolean;
  /** Add, Concatenate: more than one input, in slot order. */
  readonly merge: boolean;
};

export type ShapeEdgeData = {
  /** The tensor the edge carries: its source's output shape, in the chosen layout; null when unknown. */
  readonly shape: string | null;
  /** 1-based input slot on a merge layer (Concatenate's order matters), else null. */
  readonly slot: number | null;
};

export type BlockNodeData = {
  /** The definition's name ("BasicBlock"). */
  readonly block: string;
  readonly label: string | null;
  /** Copies stacked (`repeat`), null for a single unnumbered copy. */
  readonly repeat: number | null;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** "56×56×64" per input and per output, in the chosen layout; null where unknown. */
  readonly inShapes: readonly (string | null)[];
  readonly outShapes: readonly (string | null)[];
  readonly layers: number;
  readonly params: number;
  readonly macs: number | null;
  readonly errors: number;
};

export type LayerFlowNode = Node<LayerNodeData, typeof LAYER_NODE>;
export type BlockFlowNode = Node<BlockNodeData, typeof BLOCK_NODE>;
/** Everything the canvas draws as a node: layers and collapsed block instances. */
export type CanvasNode = LayerFlowNode | BlockFlowNode;
export type ShapeFlowEdge = Edge<ShapeEdgeData, typeof SHAPE_EDGE>;

function worst(issues: readonly Issue[]): Severity | null {
  if (issues.some((i) => i.severity === 'error')) return 'error';
  return issues.length > 0 ? 'warning' : null;
}

export function layerNodeData(node: DesignNode, result: NodeInference | undefined, channelsFirst: boolean): LayerNodeData {
  const spec = isLayerKind(node.kind) ? layerSpec(node.kind) : null;
  const issues = result?.issues ?? [];
  const sized = !!result?.outputShape;
  return {
    kind: node.kind,
    label: node.label?.trim() ? node.label : null,
    category: spec?.category ?? 'reshape',
    summary: layerSummary(node.kind, node.params),
    shape: formatShapeCompact(result?.outputShape, channelsFirst),
    params: sized ? { trainable: result!.trainableParams, nonTrainable: result!.nonTrainableParams } : null,
    issues,
    severity: worst(issues),
    takesInput: (spec?.inputs.max ?? 1) > 0,
    merge: (spec?.inputs.max ?? 1) > 1,
  };
}

/** How assistive technology names a node: "C1 (conv1, Conv2D)" or "conv1 (Conv2D)". */
export function nodeAriaLabel(id: string, data: Pick<LayerNodeData, 'kind' | 'label'>): string {
  return data.label ? `${data.label} (${id}, ${data.kind})` : `${id} (${data.kind})`;
}

export function layerFlowNode(node: DesignNode, data: LayerNodeData, selected: boolean): LayerFlowNode {
  return { id: node.id, type: LAYER_NODE, position: node.position, data, selected, ariaLabel: nodeAriaLabel(node.id, data) };
}

export function shapeEdgeData(edge: DesignEdge, source: NodeInference | undefined, targetIsMerge: boolean, channelsFirst: boolean): ShapeEdgeData {
  return {
    shape: formatShapeCompact(source?.outputShape, channelsFirst),
    slot: targetIsMerge ? (edge.targetSlot ?? 0) + 1 : null,
  };
}

export function shapeFlowEdge(edge: DesignEdge, data: ShapeEdgeData): ShapeFlowEdge {
  const carries = data.shape ? `: ${data.shape}` : '';
  const slot = data.slot === null ? '' : ` #${data.slot}`;
  return { id: edge.id, type: SHAPE_EDGE, source: edge.source, target: edge.target, data, ariaLabel: `${edge.source} → ${edge.target}${slot}${carries}` };
}

function isMergeKind(kind: string | undefined): boolean {
  return !!kind && isLayerKind(kind) && layerSpec(kind).inputs.max > 1;
}

/** A block instance's face: its definition, copies, ports and the subtotals of the layers it unfolds to. */
export function blockNodeData(inst: BlockInstance, design: Design, summary: BlockSummary | undefined, channelsFirst: boolean): BlockNodeData {
  const def = design.blocks?.find((b) => b.id === inst.block);
  return {
    block: inst.block,
    label: inst.label?.trim() ? inst.label : null,
    repeat: inst.repeat ?? null,
    inputs: def?.inputs ?? [],
    outputs: def?.outputs.map((o) => o.name) ?? [],
    inShapes: (summary?.inputShapes ?? []).map((x) => formatShapeCompact(x, channelsFirst)),
    outShapes: (summary?.outputShapes ?? []).map((x) => formatShapeCompact(x, channelsFirst)),
    layers: summary?.layers ?? 0,
    params: summary?.totalParams ?? 0,
    macs: summary?.macs ?? null,
    errors: summary?.errors ?? 0,
  };
}

export function blockFlowNode(inst: BlockInstance, data: BlockNodeData, selected: boolean): BlockFlowNode {
  const copies = data.repeat === null ? '' : ` ×${data.repeat}`;
  return { id: inst.id, type: BLOCK_NODE, position: inst.position, data, selected, ariaLabel: `${data.label ?? inst.id} (${data.block}${copies})` };
}

/** The handle id of a block port on the canvas (React Flow handles are per node). */
export const portHandle = (side: 'in' | 'out', port: string) => `${side}:${port}`;
/** The port a handle id names (`portHandle` backwards), or undefined for a layer's unnamed handle. */
export const handlePort = (handle: string | null | undefined, side: 'in' | 'out') =>
  handle?.startsWith(`${side}:`) ? handle.slice(side.length + 1) : undefined;

export interface FlowAdapter {
  nodes(design: Design, inference: DesignInference | null, channelsFirst: boolean, selection: ReadonlySet<string>): LayerFlowNode[];
  /** The collapsed block instances, beside the layers. */
  blockNodes(design: Design, blocks: readonly BlockSummary[], channelsFirst: boolean, selection: ReadonlySet<string>): BlockFlowNode[];
  edges(design: Design, inference: DesignInference | null, channelsFirst: boolean, blocks?: readonly BlockSummary[]): ShapeFlowEdge[];
}

/**
 * An adapter with its own cache, keyed by the (immutable) design node and edge objects: the store shares
 * every node, edge and inference result an edit did not touch, so identity is an exact "unchanged" test.
 */
export function createFlowAdapter(): FlowAdapter {
  type NodeEntry = { result: NodeInference | undefined; channelsFirst: boolean; selected: boolean; flow: LayerFlowNode };
  type EdgeEntry = { source: NodeInference | undefined; merge: boolean; channelsFirst: boolean; flow: ShapeFlowEdge };
  const nodeCache = new WeakMap<DesignNode, NodeEntry>();
  const edgeCache = new WeakMap<DesignEdge, EdgeEntry>();
  return {
    nodes(design, inference, channelsFirst, selection) {
      return design.nodes.map((node) => {
        const result = inference?.nodes.get(node.id);
        const selected = selection.has(node.id);
        const hit = nodeCache.get(node);
        if (hit && hit.result === result && hit.channelsFirst === channelsFirst) {
          if (hit.selected === selected) return hit.flow;
          // Selection alone changed: same data object, so the memoised face does not re-render.
          const flow = layerFlowNode(node, hit.flow.data, selected);
          nodeCache.set(node, { ...hit, selected, flow });
          return flow;
        }
        const flow = layerFlowNode(node, layerNodeData(node, result, channelsFirst), selected);
        nodeCache.set(node, { result, channelsFirst, selected, flow });
        return flow;
      });
    },
    blockNodes(design, blocks, channelsFirst, selection) {
      // Few instances on a screen: derived afresh each time (their subtotals change with any inner edit).
      const byPath = new Map(blocks.map((b) => [b.path, b] as const));
      return (design.instances ?? []).map((inst) =>
        blockFlowNode(inst, blockNodeData(inst, design, byPath.get(inst.id), channelsFirst), selection.has(inst.id)),
      );
    },
    edges(design, inference, channelsFirst, blocks = []) {
      const kinds = new Map(design.nodes.map((n) => [n.id, n.kind] as const));
      const instances = new Map((design.instances ?? []).map((i) => [i.id, i] as const));
      const byPath = new Map(blocks.map((b) => [b.path, b] as const));
      const defs = new Map((design.blocks ?? []).map((b) => [b.id, b] as const));
      return design.edges.map((edge) => {
        const fromBlock = instances.get(edge.source);
        const toBlock = instances.get(edge.target);
        if (fromBlock || toBlock) return blockEdge(edge, fromBlock, toBlock, inference, byPath, defs, isMergeKind(kinds.get(edge.target)), channelsFirst);
        const source = inference?.nodes.get(edge.source);
        const merge = isMergeKind(kinds.get(edge.target));
        const hit = edgeCache.get(edge);
        if (hit && hit.source === source && hit.merge === merge && hit.channelsFirst === channelsFirst) return hit.flow;
        const flow = shapeFlowEdge(edge, shapeEdgeData(edge, source, merge, channelsFirst));
        edgeCache.set(edge, { source, merge, channelsFirst, flow });
        return flow;
      });
    },
  };
}

/** An edge touching a block instance: it leaves or enters by the port's handle and carries that port's shape. */
function blockEdge(
  edge: DesignEdge,
  from: BlockInstance | undefined,
  to: BlockInstance | undefined,
  inference: DesignInference | null,
  byPath: ReadonlyMap<string, BlockSummary>,
  defs: ReadonlyMap<string, NonNullable<Design['blocks']>[number]>,
  merge: boolean,
  channelsFirst: boolean,
): ShapeFlowEdge {
  let shape: string | null;
  let sourceHandle: string | undefined;
  let targetHandle: string | undefined;
  if (from) {
    const outs = defs.get(from.block)?.outputs ?? [];
    const at = Math.max(0, edge.sourcePort === undefined ? 0 : outs.findIndex((o) => o.name === edge.sourcePort));
    shape = formatShapeCompact(byPath.get(from.id)?.outputShapes[at] ?? null, channelsFirst);
    if (outs[at]) sourceHandle = portHandle('out', outs[at].name);
  } else shape = formatShapeCompact(inference?.nodes.get(edge.source)?.outputShape ?? null, channelsFirst);
  if (to) {
    const ins = defs.get(to.block)?.inputs ?? [];
    const port = edge.targetPort ?? ins[0];
    if (port !== undefined) targetHandle = portHandle('in', port);
  }
  const data: ShapeEdgeData = { shape, slot: merge ? (edge.targetSlot ?? 0) + 1 : null };
  return { ...shapeFlowEdge(edge, data), ...(sourceHandle ? { sourceHandle } : {}), ...(targetHandle ? { targetHandle } : {}) };
}

/**
 * Merges freshly derived nodes into the canvas's local copy. React Flow keeps what it measured (`measured`)
 * on the local copy; a derived node that lacks it would make React Flow hide and re-measure it. A local node
 * whose face, position and selection already match the derived one is kept as it is (same object).
 */
export function reconcileNodes<N extends CanvasNode>(derived: readonly N[], local: readonly N[]): N[] {
  const byId = new Map(local.map((n) => [n.id, n] as const));
  return derived.map((next) => {
    const prev = byId.get(next.id);
    if (!prev || prev === next) return next;
    // A layer being dragged stays where the pointer has it; its position reaches the store on drop.
    const position = prev.dragging ? prev.position : next.position;
    if (prev.data === next.data && prev.position.x === position.x && prev.position.y === position.y && !!prev.selected === !!next.selected) {
      return prev;
    }
    if (!prev.measured && !prev.dragging) return next;
    return { ...next, position, measured: prev.measured, ...(prev.dragging ? { dragging: true } : {}) };
  });
}

/** The same for edges; an edge's selection lives only on the canvas (the store selects layers), so it is kept. */
export function reconcileEdges(derived: readonly ShapeFlowEdge[], local: readonly ShapeFlowEdge[]): ShapeFlowEdge[] {
  const byId = new Map(local.map((e) => [e.id, e] as const));
  return derived.map((next) => {
    const prev = byId.get(next.id);
    if (!prev || prev === next) return next;
    if (prev.data === next.data && prev.source === next.source && prev.target === next.target) return prev;
    return prev.selected ? { ...next, selected: true } : next;
  });
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The box around every layer of a design, from its positions and the drawn node size. */
export function designBounds(nodes: readonly Pick<DesignNode, 'position'>[], size: Box = DEFAULT_BOX): Rect | null {
  if (nodes.length === 0) return null;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const { position: p } of nodes) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + size.width);
    y1 = Math.max(y1, p.y + size.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Where the view starts when a design opens: the whole design when it fits at a readable zoom, else the
 * top of the network (where data enters) at the smallest readable zoom, centred across. A 150-layer
 * column shrunk to fit would be a grey line; F (fit view) still shows everything on request.
 */
export function initialViewport(
  bounds: Rect,
  view: { readonly width: number; readonly height: number },
  { padding = 24, minZoom = 0.6, maxZoom = 1 } = {},
): Viewport {
  const fit = Math.min((view.width - 2 * padding) / Math.max(bounds.width, 1), (view.height - 2 * padding) / Math.max(bounds.height, 1));
  const zoom = Math.min(maxZoom, Math.max(minZoom, fit));
  const x = view.width / 2 - (bounds.x + bounds.width / 2) * zoom;
  const fitsDown = bounds.height * zoom <= view.height - 2 * padding;
  const y = fitsDown ? view.height / 2 - (bounds.y + bounds.height / 2) * zoom : padding - bounds.y * zoom;
  return { x, y, zoom };
}
