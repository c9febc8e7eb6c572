/**
 * Moving the canvas's view from outside React Flow's own controls: frame a freshly opened design, fit
 * everything, bring a layer into view, find the middle of the view for a layer added without a place.
 * Needs a <ReactFlowProvider> above it (the editor page has one around the palette, canvas and toolbar).
 */
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useMemo } from 'react';
import type { Point } from '../../graph/edit.ts';
import { useAppStore } from '../store-context.ts';
import { DEFAULT_BOX } from '../../graph/layout-box.ts';
import { designBounds, initialViewport, type LayerFlowNode, type ShapeFlowEdge } from './flow-adapter.ts';

export interface CanvasView {
  /** The first view of a design: whole when it fits readably, else its top. False when the canvas has no size yet. */
  frameDesign(): boolean;
  /** Everything in view, however small that makes it (F). */
  fitAll(): void;
  /** Centres a layer (a click on a problem). */
  center(nodeId: string): void;
  /** Pans just enough to show a layer that is out of view (one just added); leaves the view alone otherwise. */
  reveal(nodeId: string): void;
  /** Where a layer added "somewhere" goes: the middle of the view, as its top-left corner. */
  freeSpot(): Point;
}

const DURATION = 250;

export function useCanvasView(): CanvasView {
  const rf = useReactFlow<LayerFlowNode, ShapeFlowEdge>();
  const flowStore = useStoreApi<LayerFlowNode, ShapeFlowEdge>();
  const app = useAppStore();
  return useMemo(() => {
    // Layers and collapsed block instances: both are boxes on the canvas.
    const elements = () => [...(app.getState().design?.nodes ?? []), ...(app.getState().design?.instances ?? [])];
    const nodeOf = (id: string) => elements().find((n) => n.id === id);
    const size = () => {
      const { width, height } = flowStore.getState();
      return { width, height };
    };
    return {
      frameDesign() {
        const { width, height } = size();
        if (width <= 0 || height <= 0) return false;
        const bounds = designBounds(elements());
        // An empty design starts at zoom 1 with the origin near the top middle, never at the zoom the
        // previous design was left at (issue 15: a new design kept a ResNet's 0.1).
        void rf.setViewport(bounds ? initialViewport(bounds, { width, height }) : { x: Math.round(width / 2 - DEFAULT_BOX.width / 2), y: 48, zoom: 1 });
        return true;
      },
      fitAll() {
        void rf.fitView({ padding: 0.08, maxZoom: 1, minZoom: 0.02, duration: DURATION });
      },
      center(nodeId) {
        const node = nodeOf(nodeId);
        if (!node) return;
        const zoom = Math.max(rf.getZoom(), 0.75);
        void rf.setCenter(node.position.x + DEFAULT_BOX.width / 2, node.position.y + DEFAULT_BOX.height / 2, { zoom, duration: DURATION });
      },
      reveal(nodeId) {
        const node = nodeOf(nodeId);
        const { width, height } = size();
        if (!node || width <= 0) return;
        const { x, y, zoom } = rf.getViewport();
        const left = node.position.x * zoom + x;
        const top = node.position.y * zoom + y;
        const inside = left >= 0 && top >= 0 && left + DEFAULT_BOX.width * zoom <= width && top + DEFAULT_BOX.height * zoom <= height;
        if (!inside) void rf.setCenter(node.position.x + DEFAULT_BOX.width / 2, node.position.y + DEFAULT_BOX.height / 2, { zoom, duration: DURATION });
      },
      freeSpot() {
        const { width, height } = size();
        const { x, y, zoom } = rf.getViewport();
        const cx = (width / 2 - x) / zoom;
        const cy = (height / 2 - y) / zoom;
        return { x: Math.round(cx - DEFAULT_BOX.width / 2), y: Math.round(cy - DEFAULT_BOX.height / 2) };
      },
    };
  }, [rf, flowStore, app]);
}
