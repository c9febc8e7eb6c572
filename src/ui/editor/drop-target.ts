/**
 * Where a layer dropped from the palette goes. Dropped onto or near a layer (within DROP_REACH of its
 * box, in flow coordinates), it is inserted after that layer and wired, as a click on the palette does
 * with the selection; the selected layer wins when several are near, else the nearest one. Dropped in
 * open space, it lands where it was let go, unconnected. Pure, so the canvas only asks.
 */
import type { Point } from '../../graph/edit.ts';
import { DEFAULT_BOX } from '../../graph/layout-box.ts';

/** How far outside a layer's box a drop still means "after this layer" (about half a row gap). */
export const DROP_REACH = 48;

export interface DropCandidate {
  readonly id: string;
  readonly position: Point;
  /** The measured size, when the canvas has one; DEFAULT_BOX otherwise. */
  readonly width?: number;
  readonly height?: number;
}

/** Distance from `p` to the box (0 inside it). */
function distanceToBox(p: Point, c: DropCandidate): number {
  const w = c.width ?? DEFAULT_BOX.width;
  const h = c.height ?? DEFAULT_BOX.height;
  const dx = Math.max(c.position.x - p.x, 0, p.x - (c.position.x + w));
  const dy = Math.max(c.position.y - p.y, 0, p.y - (c.position.y + h));
  return Math.hypot(dx, dy);
}

/** The layer a drop at `p` attaches to, or null for open space. */
export function dropTarget(p: Point, nodes: readonly DropCandidate[], selection: readonly string[]): string | null {
  let best: { id: string; d: number } | null = null;
  for (const node of nodes) {
    const d = distanceToBox(p, node);
    if (d > DROP_REACH) continue;
    if (selection.includes(node.id)) return node.id;
    if (!best || d < best.d) best = { id: node.id, d };
  }
  return best?.id ?? null;
}
