/**
 * Text on the canvas stays readable at any zoom. A layer's smallest text is BASE_TEXT_PX at zoom 1, so
 * below READABLE_ZOOM it would be under MIN_SCREEN_PX on screen: the node then shows only its name and
 * output shape, enlarged by 1/zoom so they keep MIN_SCREEN_PX on screen ('compact'); further out, where
 * even those would overflow the node, the layers are coloured blocks without text ('blocks').
 */
export const BASE_TEXT_PX = 12;
export const MIN_SCREEN_PX = 11;
export const READABLE_ZOOM = MIN_SCREEN_PX / BASE_TEXT_PX;
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
