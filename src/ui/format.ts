/**
 * Number formatting for the page. Fixed separators rather than Intl's locale rules: Intl's Spanish leaves
 * four-digit numbers ungrouped (5994 next to 61.706), which makes a column of counts hard to compare.
 */
import { formatShape, toChannelsFirst } from '../graph/shape-math.ts';
import type { Lang, Shape } from '../graph/types.ts';

/** 138,357,544 (en) or 138.357.544 (es). */
export function formatCount(n: number, lang: Lang): string {
  const sep = lang === 'es' ? '.' : ',';
  const digits = String(Math.abs(Math.round(n))).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return n < 0 ? `-${digits}` : digits;
}

function decimal(n: number, lang: Lang): string {
  const text = n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
  return lang === 'es' ? text.replace('.', ',') : text;
}

/** 15.5 G: a magnitude at a glance, beside the exact count. */
export function formatSI(n: number, lang: Lang): string {
  const units = ['', 'k', 'M', 'G', 'T', 'P'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? formatCount(n, lang) : `${decimal(v, lang)} ${units[i]}`;
}

/** Decimal bytes, as torchinfo reports sizes: 1.23 MB. */
export function formatBytes(n: number, lang: Lang): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${n} B` : `${decimal(v, lang)} ${units[i]}`;
}

/**
 * A tensor shape for the canvas: channels-last "28×28×1" as the model holds it, or PyTorch's channels-first
 * "1×28×28" when `channelsFirst` (the channel axis moved to the front; vectors are unchanged). "?" marks an
 * unknown dimension; null when the shape itself is unknown.
 */
export function formatShapeCompact(shape: Shape | null | undefined, channelsFirst: boolean): string | null {
  if (!shape) return null;
  return formatShape(channelsFirst ? toChannelsFirst(shape) : shape);
}

/** A count for a small face (a node on the canvas): exact below 100,000, then "1.2 M". */
export function formatCountShort(n: number, lang: Lang): string {
  return Math.abs(n) < 100_000 ? formatCount(n, lang) : formatSI(n, lang);
}
