/**
 * The drawing surface (React Flow, controlled). Its nodes and edges are derived from the design by the
 * flow adapter whenever the design, its inference, the selection or the shape layout change; React Flow's
 * own changes (dragging, measuring, selecting) are applied to that local copy only. The store hears of a
 * drag once, when it ends (one undo step, no inference while dragging); of selection as it happens; of
 * connections and deletions as commands, which it may refuse (a refusal becomes a notice).
 */
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  MarkerType,
  MiniMap,
  Panel,
  ReactFlow,
  useReactFlow,
  useStore as useFlowStore,
  useStoreApi,
  type Connection,
  type EdgeChange,
  type EdgeTypes,
  type NodeChange,
  type NodeTypes,
  type OnBeforeDelete,
  type OnNodeDrag,
  type OnSelectionChangeParams,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { Point } from '../../graph/edit.ts';
import { DEFAULT_BOX } from '../../graph/layout-box.ts';
import { blockFrames } from '../../graph/block-frames.ts';
import { isLayerKind } from '../../graph/layers/index.ts';
import { useApp, useAppStore } from '../store-context.ts';
import { useEditorStrings } from './editor-strings.ts';
import { BlockFrames } from './BlockFrames.tsx';
import { BlockNode } from './BlockNode.tsx';
import {
  BLOCK_NODE,
  createFlowAdapter,
  handlePort,
  LAYER_NODE,
  reconcileEdges,
  reconcileNodes,
  SHAPE_EDGE,
  type CanvasNode,
  type ShapeFlowEdge,
} from './flow-adapter.ts';
import { LayerNode } from './LayerNode.tsx';
import { dropTarget } from './drop-target.ts';
import { BLOCK_DRAG_TYPE, LAYER_DRAG_TYPE } from './palette-model.ts';
import { ShapeEdge } from './ShapeEdge.tsx';
import { useCanvasView } from './use-canvas-view.ts';
import { compactFontPx, showsCounts, zoomText } from './zoom-text.ts';

// Module-level constants: React Flow re-mounts every node when these objects change identity.
const nodeTypes = { [LAYER_NODE]: LayerNode, [BLOCK_NODE]: BlockNode } satisfies NodeTypes;
const edgeTypes = { [SHAPE_EDGE]: ShapeEdge } satisfies EdgeTypes;
const DELETE_KEYS = ['Delete', 'Backspace'];
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const MINIMAP_STYLE = { width: 150, height: 110 };
const DEFAULT_EDGE_OPTIONS = { markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 } };
/** Keyboard moves (arrow keys on a focused layer) reach the store this long after the last press. */
const KEYBOARD_MOVE_COMMIT_MS = 350;

const CATEGORY_COLOURS: Readonly<Record<string, string>> = {
  input: '#64748b',
  convolution: '#2756c5',
  pooling: '#0e7490',
  dense: '#7c3aed',
  normalization: '#b45309',
  activation: '#15803d',
  merge: '#c2410c',
  reshape: '#475569',
};
function miniMapColour(node: CanvasNode): string {
  if (node.type === BLOCK_NODE) return node.data.errors > 0 ? '#b42318' : '#334155';
  if (node.data.severity === 'error') return '#b42318';
  return CATEGORY_COLOURS[node.data.category] ?? '#94a3b8';
}

export function Canvas({ active }: { readonly active: boolean }) {
  const design = useApp((s) => s.design);
  const inference = useApp((s) => s.inference);
  const blocks = useApp((s) => s.blockSummaries);
  const channelsFirst = useApp((s) => s.channelsFirst);
  const selection = useApp((s) => s.selection);
  const focus = useApp((s) => s.focus);
  const docId = useApp((s) => s.docId);
  const app = useAppStore();
  const t = useEditorStrings();
  const view = useCanvasView();

  // Derived, never stored: the design is the truth. The adapter's cache keeps unchanged nodes identical.
  const [adapter] = useState(createFlowAdapter);
  const selected = useMemo(() => new Set(selection), [selection]);
  const derivedNodes = useMemo(
    (): CanvasNode[] => (design ? [...adapter.nodes(design, inference, channelsFirst, selected), ...adapter.blockNodes(design, blocks, channelsFirst, selected)] : []),
    [adapter, design, inference, channelsFirst, selected, blocks],
  );
  const frames = useMemo(() => (design ? blockFrames(design) : []), [design]);
  const derivedEdges = useMemo(
    () => (design ? adapter.edges(design, inference, channelsFirst, blocks) : []),
    [adapter, design, inference, channelsFirst, blocks],
  );

  // React Flow's working copy: what it measured and where a drag has got to. Re-synced (during render, so
  // no frame shows the stale copy) whenever the derived nodes change.
  const [nodes, setNodes] = useState<CanvasNode[]>(derivedNodes);
  const [edges, setEdges] = useState<ShapeFlowEdge[]>(derivedEdges);
  const [syncedNodes, setSyncedNodes] = useState(derivedNodes);
  const [syncedEdges, setSyncedEdges] = useState(derivedEdges);
  if (syncedNodes !== derivedNodes) {
    setSyncedNodes(derivedNodes);
    setNodes((local) => reconcileNodes(derivedNodes, local));
  }
  if (syncedEdges !== derivedEdges) {
    setSyncedEdges(derivedEdges);
    setEdges((local) => reconcileEdges(derivedEdges, local));
  }

  const dragging = useRef(false);
  const keyboardMoves = useRef(new Map<string, Point>());
  const keyboardTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const commitKeyboardMoves = useCallback(() => {
    keyboardTimer.current = null;
    const moves = keyboardMoves.current;
    keyboardMoves.current = new Map();
    if (moves.size > 0) app.getState().moveNodes(moves);
  }, [app]);
  useEffect(
    () => () => {
      if (keyboardTimer.current) clearTimeout(keyboardTimer.current);
    },
    [],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      // Nodes come and go only through the store (onBeforeDelete, addLayer…): React Flow never removes one itself.
      const local = changes.filter((c) => c.type === 'position' || c.type === 'dimensions' || c.type === 'select');
      if (local.length > 0) setNodes((ns) => applyNodeChanges(local, ns));
      for (const c of local) {
        if (c.type !== 'position') continue;
        if (c.dragging) dragging.current = true;
        else if (!dragging.current && c.position) keyboardMoves.current.set(c.id, c.position);
      }
      if (keyboardMoves.current.size > 0) {
        if (keyboardTimer.current) clearTimeout(keyboardTimer.current);
        keyboardTimer.current = setTimeout(commitKeyboardMoves, KEYBOARD_MOVE_COMMIT_MS);
      }
    },
    [commitKeyboardMoves],
  );

  const onEdgesChange = useCallback((changes: EdgeChange<ShapeFlowEdge>[]) => {
    const local = changes.filter((c) => c.type === 'select');
    if (local.length > 0) setEdges((es) => applyEdgeChanges(local, es));
  }, []);

  // The end of a drag: every dragged layer's position in one command, so one undo step.
  const onNodeDragStop: OnNodeDrag<CanvasNode> = useCallback(
    (_event, _node, dragged) => {
      dragging.current = false;
      app.getState().moveNodes(new Map(dragged.map((n) => [n.id, { x: Math.round(n.position.x), y: Math.round(n.position.y) }] as const)));
    },
    [app],
  );

  const onSelectionChange = useCallback(
    ({ nodes: picked }: OnSelectionChangeParams<CanvasNode, ShapeFlowEdge>) => app.getState().select(picked.map((n) => n.id)),
    [app],
  );

  // Delete/Backspace and the toolbar: the store deletes (one undo step); React Flow is told not to.
  const onBeforeDelete: OnBeforeDelete<CanvasNode, ShapeFlowEdge> = useCallback(
    async ({ nodes: gone, edges: cut }) => {
      app.getState().removeElements(
        gone.map((n) => n.id),
        cut.map((e) => e.id),
      );
      return false;
    },
    [app],
  );

  // A block's handles are its ports ("out:sum", "in:b"); a layer's have no id.
  const onConnect = useCallback(
    (c: Connection) => {
      const sourcePort = handlePort(c.sourceHandle, 'out');
      const targetPort = handlePort(c.targetHandle, 'in');
      void app.getState().connect(c.source, c.target, { ...(sourcePort ? { sourcePort } : {}), ...(targetPort ? { targetPort } : {}) });
    },
    [app],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(LAYER_DRAG_TYPE) && !e.dataTransfer.types.includes(BLOCK_DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const { screenToFlowPosition, getNodes } = useReactFlow<CanvasNode, ShapeFlowEdge>();
  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(LAYER_DRAG_TYPE);
      const block = e.dataTransfer.getData(BLOCK_DRAG_TYPE);
      if (!isLayerKind(kind) && !block) return;
      e.preventDefault();
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const add = (opts: { after?: string; position?: { x: number; y: number } }) =>
        isLayerKind(kind) ? app.getState().addLayer(kind, opts) : app.getState().addLibraryBlock(block, opts);
      // Onto or near a layer: inserted after it and wired, as a click on the palette does.
      // Only layers: a block is a whole subgraph, with no single output to insert after.
      const candidates = getNodes().filter((n) => n.type === LAYER_NODE).map((n) => ({ id: n.id, position: n.position, width: n.measured?.width, height: n.measured?.height }));
      const after = dropTarget(p, candidates, app.getState().selection);
      const id = after
        ? add({ after })
        : // The pointer holds the layer (or block) by the middle of its title.
          add({ position: { x: Math.round(p.x - DEFAULT_BOX.width / 2), y: Math.round(p.y - 16) } });
      if (id && after) view.reveal(id);
    },
    [app, screenToFlowPosition, getNodes, view],
  );

  // A newly opened design (or one brought back by undo) is framed once the canvas has a size.
  const sized = useFlowStore((s) => s.width > 0 && s.height > 0);
  const framed = useRef<string | null>(null);
  useEffect(() => {
    if (!active || !sized || framed.current === docId) return;
    if (view.frameDesign()) framed.current = docId;
  }, [active, sized, docId, view]);

  // A click on a problem in the status bar centres its layer (once the canvas is shown and sized: the
  // click may come from another view, which the same click switches to the canvas).
  const focused = useRef<number | null>(null);
  useEffect(() => {
    if (!focus || !active || !sized || focused.current === focus.seq) return;
    focused.current = focus.seq;
    view.center(focus.nodeId);
  }, [focus, active, sized, view]);

  // The minimap draws every layer (it ignores onlyRenderVisibleElements); it joins once the canvas has
  // painted and the page is idle, so opening a large design is not held up by a thumbnail.
  const [showMiniMap, setShowMiniMap] = useState(false);
  useEffect(() => {
    if (showMiniMap || !sized) return;
    const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 200));
    const cancel = window.cancelIdleCallback ?? window.clearTimeout;
    const handle = idle(() => setShowMiniMap(true), { timeout: 1000 });
    return () => cancel(handle);
  }, [showMiniMap, sized]);

  // Text readable at any zoom (zoom-text.ts): the level re-renders only when it changes; the compact
  // font size follows every zoom step through a CSS variable, without a React render.
  const zoomLevel = useFlowStore((s) => zoomText(s.transform[2]));
  const counts = useFlowStore((s) => showsCounts(s.transform[2]));
  const flowStore = useStoreApi<CanvasNode, ShapeFlowEdge>();
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const apply = (zoom: number) => container.current?.style.setProperty('--compact-font', `${compactFontPx(zoom)}px`);
    apply(flowStore.getState().transform[2]);
    return flowStore.subscribe((s) => apply(s.transform[2]));
  }, [flowStore]);

  const empty = !!design && design.nodes.length === 0;
  return (
    <div ref={container} className={`canvas zoom-${zoomLevel}${counts ? ' zoom-counts' : ''}`} aria-label={t.canvas} role="region" data-testid="canvas">
      <ReactFlow<CanvasNode, ShapeFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onSelectionChange={onSelectionChange}
        onBeforeDelete={onBeforeDelete}
        onConnect={onConnect}
        onDragOver={onDragOver}
        onDrop={onDrop}
        deleteKeyCode={active ? DELETE_KEYS : null}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        selectionKeyCode="Shift"
        // Only what is on screen goes into the DOM: a ResNet-50-sized design opens (and pans) without
        // laying out ~170 nodes and ~190 labelled edges nobody can see yet.
        onlyRenderVisibleElements
        minZoom={0.02}
        maxZoom={2}
        connectionRadius={32}
        ariaLabelConfig={t.flow}
        attributionPosition="top-right"
      >
        <Background gap={24} size={1.2} color="#cbd2db" />
        <BlockFrames frames={frames} nodes={nodes} />
        <Controls showInteractive={false} position="bottom-left" />
        {showMiniMap && (
          <MiniMap<CanvasNode> pannable zoomable nodeColor={miniMapColour} nodeStrokeWidth={2} position="bottom-right" style={MINIMAP_STYLE} />
        )}
        {empty && (
          <Panel position="top-center" className="canvas-empty">
            {t.emptyCanvas}
          </Panel>
        )}
      </ReactFlow>
    </div>
  );
}
