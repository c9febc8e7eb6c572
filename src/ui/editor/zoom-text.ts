/**
 * Text on the canvas stays readable at any zoom. A layer's smallest text is BASE_TEXT_PX at zoom 1, so
 * below READABLE_ZOOM it would be under MIN_SCREEN_PX on screen: the node then shows only its name,
 * output shape and (down to COUNTS_ZOOM) its parameter count, enlarged by 1/zoom so they keep
 * MIN_SCREEN_PX on screen ('compact'); further out, where even those would overflow the node, the layers
 * are coloured blocks without text ('blocks').
 */
export const BASE_TEXT_PX = 12;
export const MIN_SCREEN_PX = 11;
export const READABLE_ZOOM = MIN_SCREEN_PX / BASE_TEXT_PX;
/**
 * Down to this zoom a compact node keeps its parameter count (a core fact of every layer): the enlarged
 * text is then at most 22 px, so "→ 112×112×64" and "9.4 k params" each still fit a 210 px node.
 */
export const COUNTS_ZOOM = 0.5;
/** Below this the enlarged name would be over ~44 px in a 210 px node: a few letters at most. */
export const BLOCKS_ZOOM = 0.25;

export type ZoomText = 'full' | 'compact' | 'blocks';

export function zoomText(zoom: number): ZoomText {
  if (zoom >= READABLE_ZOOM) return 'full';
  return zoom >= BLOCKS_ZOOM ? 'compact' : 'blocks';
}

/** The CSS font size (flow pixels) that shows as MIN_SCREEN_PX on screen at `zoom`, for compact nodes. */
export function compactFontPx(zoom: number): number {
  return Math.round((MIN_SCREEN_PX / Math.max(zoom, BLOCKS_ZOOM)) * 10) / 10;
}

/** Whether layers show their parameter count at `zoom` (always in 'full', down to COUNTS_ZOOM in 'compact'). */
export function showsCounts(zoom: number): boolean {
  return zoom >= COUNTS_ZOOM;
}
