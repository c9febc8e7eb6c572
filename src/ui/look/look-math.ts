/**
 * Pixels and numbers for the look views: pure, so Vitest checks them without a DOM. The colour scale is
 * the Kernel lab's (blue − , white 0, red +), one scale per view so that tiles compare.
 */
import type { FiltersLook, NodeActivation } from '../../train/look-protocol.ts';
import { writeDivergingColour } from '../lab/kernel-math.ts';

/** RGBA of values on the diverging scale of half-range `range`. */
export function divergingRgba(values: ArrayLike<number>, range: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length * 4);
  const r = range > 0 ? range : 1e-9;
  for (let i = 0; i < values.length; i++) {
    writeDivergingColour(out, i * 4, values[i], r);
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** A first-layer filter on RGB input as a colour image: each channel's weight maps to 0–255 around mid-grey, on the kernel's shared scale. */
export function rgbFilterRgba(look: FiltersLook, out: number): Uint8ClampedArray {
  const [kh, kw, cin] = look.shape;
  const rgba = new Uint8ClampedArray(kh * kw * 4);
  const range = look.maxAbs > 0 ? look.maxAbs : 1e-9;
  for (let p = 0; p < kh * kw; p++) {
    for (let c = 0; c < 3; c++) rgba[p * 4 + c] = Math.round(127.5 + 127.5 * (look.kernel[(p * cin + c) * look.count + out] / range));
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

/** An image in [0, 1] (grey or RGB, channels-last) as RGBA. */
export function imageRgba(pixels: ArrayLike<number>, shape: readonly number[]): Uint8ClampedArray {
  const [h, w, c] = shape.length === 3 ? shape : [1, pixels.length, 1];
  const out = new Uint8ClampedArray(h * w * 4);
  for (let p = 0; p < h * w; p++) {
    for (let k = 0; k < 3; k++) out[p * 4 + k] = Math.round(255 * Math.min(1, Math.max(0, pixels[p * c + (c >= 3 ? k : 0)])));
    out[p * 4 + 3] = 255;
  }
  return out;
}

/** A number short enough for a tile or a legend: 3 significant digits, a real minus sign. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const s = Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v !== 0) ? v.toExponential(2) : String(Number(v.toPrecision(3)));
  return s.replace('-', '−');
}

/** A kh×kw tile's numbers, one row a line (the hover text). */
export function tileText(tile: ArrayLike<number>, kw: number): string {
  const rows: string[] = [];
  for (let y = 0; y * kw < tile.length; y++) rows.push(Array.from({ length: kw }, (_, x) => formatValue(tile[y * kw + x])).join('  '));
  return rows.join('\n');
}

/** Half-range of a layer's diverging scale: its largest |value|. */
export function activationRange(a: Pick<NodeActivation, 'min' | 'max'>): number {
  return Math.max(Math.abs(a.min), Math.abs(a.max)) || 1e-9;
}

/** A node's thumbnail from its [H, W] plane (the worker's mean over channels), on its own scale; null for anything else. */
export function thumbnailRgba(a: Pick<NodeActivation, 'shape' | 'data' | 'min' | 'max'>): { rgba: Uint8ClampedArray; h: number; w: number } | null {
  if (a.shape.length !== 2) return null;
  const [h, w] = a.shape;
  return { rgba: divergingRgba(a.data, activationRange(a)), h, w };
}

/** How many pages of `perPage` filters `total` takes, and the first filter of page `page` (clamped). */
export function pageOf(total: number, perPage: number, page: number): { pages: number; page: number; from: number; count: number } {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const p = Math.max(0, Math.min(pages - 1, page));
  return { pages, page: p, from: p * perPage, count: Math.min(perPage, total - p * perPage) };
}

/**
 * Map pixels the Feature maps view colours per refresh, at most: a page holds as many maps as fit
 * (LeNet's and the MNIST CNN's layers whole; 5 of VGG's 224×224 maps, 64 of its 28×28), so a wide
 * layer costs a page of canvases a second, not 512.
 */
export const MAP_PIXELS_PER_PAGE = 1 << 18;
/** Maps per page, at most, however small. */
export const MAX_MAPS_PER_PAGE = 64;

/** How many h×w maps a page of the Feature maps view shows (unknown sizes count as 32×32). */
export function mapsPerPage(h: number | null, w: number | null): number {
  const pixels = Math.max(1, (h ?? 32) * (w ?? 32));
  return Math.max(1, Math.min(MAX_MAPS_PER_PAGE, Math.floor(MAP_PIXELS_PER_PAGE / pixels)));
}

/** Gap between tiles in a filter row, in image pixels. */
export const TILE_GAP = 1;

/** How a filter's tiles (one per input channel) sit in one image: up to `perLine` a line, 1 px apart. */
export function tileGrid(kh: number, kw: number, tiles: number, perLine: number) {
  const cols = Math.max(1, Math.min(tiles, perLine));
  const rows = Math.ceil(tiles / cols);
  return { cols, rows, w: cols * (kw + TILE_GAP) - TILE_GAP, h: rows * (kh + TILE_GAP) - TILE_GAP };
}

/** The tile (input channel) under image pixel (row, col) of a tileGrid, or null on a gap or past the last tile. */
export function tileAt(kh: number, kw: number, tiles: number, perLine: number, row: number, col: number): number | null {
  const { cols } = tileGrid(kh, kw, tiles, perLine);
  const r = Math.floor(row / (kh + TILE_GAP));
  const c = Math.floor(col / (kw + TILE_GAP));
  if (row % (kh + TILE_GAP) >= kh || col % (kw + TILE_GAP) >= kw || c >= cols || c < 0 || r < 0) return null;
  const i = r * cols + c;
  return i < tiles ? i : null;
}

/** The grey between tiles: darker than any tile's near-white, so tiles stay apart. */
export const GAP_GREY = 150;

/** RGBA of every tile of one filter laid out by tileGrid on the diverging scale; gaps grey. */
export function filterRowRgba(tiles: readonly ArrayLike<number>[], kh: number, kw: number, perLine: number, range: number): { rgba: Uint8ClampedArray; w: number; h: number } {
  const g = tileGrid(kh, kw, tiles.length, perLine);
  // Opaque grey everywhere, then the tiles over it, each pixel coloured in place (no array per pixel or tile).
  const rgba = new Uint8ClampedArray(g.w * g.h * 4).fill(GAP_GREY);
  for (let p = 3; p < rgba.length; p += 4) rgba[p] = 255;
  const r = range > 0 ? range : 1e-9;
  tiles.forEach((tile, i) => {
    const top = Math.floor(i / g.cols) * (kh + TILE_GAP);
    const left = (i % g.cols) * (kw + TILE_GAP);
    for (let y = 0; y < kh; y++) {
      for (let x = 0; x < kw; x++) writeDivergingColour(rgba, ((top + y) * g.w + left + x) * 4, tile[y * kw + x], r);
    }
  });
  return { rgba, w: g.w, h: g.h };
}
