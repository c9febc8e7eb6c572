/**
 * The synchronous layout: a layered (Sugiyama) drawing of the design, top to bottom, by dagre, every box
 * one size (NODE_BOX). Imports and auto-blocks use it, where a layout must come back at once; Tidy up
 * uses ELK (layout-elk.ts: boxes at their drawn size, skip connections in their own lane) and falls back
 * to this if ELK fails. Merge inputs keep their slot order left to right because dagre orders by the edge
 * order it is given.
 */
import dagre from '@dagrejs/dagre';
import { NODE_BOX, type Point } from './edit.ts';

export { NODE_BOX };
import type { Design } from './types.ts';


/** Positions for the top-level layers and collapsed block instances (each drawn about as big as a layer). */
export function layoutDesign(design: Pick<Design, 'nodes' | 'edges' | 'instances'>): Map<string, Point> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 56, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  const elements = [...design.nodes, ...(design.instances ?? [])];
  for (const n of elements) g.setNode(n.id, { width: NODE_BOX.width, height: NODE_BOX.height });
  const ids = new Set(elements.map((n) => n.id));
  const edges = [...design.edges].sort((a, b) => (a.targetSlot ?? 0) - (b.targetSlot ?? 0));
  for (const e of edges) if (ids.has(e.source) && ids.has(e.target) && e.source !== e.target) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out = new Map<string, Point>();
  for (const n of elements) {
    const { x, y } = g.node(n.id);
    // dagre gives centres; the canvas positions nodes by their top-left corner. Whole pixels keep files tidy.
    out.set(n.id, { x: Math.round(x - NODE_BOX.width / 2), y: Math.round(y - NODE_BOX.height / 2) });
  }
  return out;
}
