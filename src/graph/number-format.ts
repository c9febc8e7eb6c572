/**
 * Numbers as people read them, the same on the page and in the command line: counts with thousands
 * separators, magnitudes with SI prefixes, byte sizes in decimal units (as torchinfo reports them).
 * Fixed separators rather than Intl's locale rules: Intl's Spanish leaves four-digit numbers ungrouped
 * (5994 next to 61.706), which makes a column of counts hard to compare. Pure, so the CLI and the UI
 * share it from the bottom floor.
 */
import type { Lang } from './types.ts';

/** Whole numbers with thousands separators: 138,357,544 (en), 138.357.544 (es). */
export function formatCount(n: number, lang: Lang): string {
  const sep = lang === 'es' ? '.' : ',';
  const digits = String(Math.abs(Math.round(n))).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return n < 0 ? `-${digits}` : digits;
}

/** Three significant digits or so (123, 12.3, 1.23), with the language's decimal mark. */
function decimal(n: number, lang: Lang): string {
  const text = n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
  return lang === 'es' ? text.replace('.', ',') : text;
}

/** Divides by 1000 until |n| < 1000 or the units run out: the value and the index of its unit. */
function scaleBy1000(n: number, units: number): { value: number; unit: number } {
  let value = n;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units - 1) {
    value /= 1000;
    unit++;
  }
  return { value, unit };
}

const SI_UNITS = ['', 'k', 'M', 'G', 'T', 'P'];
const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** A magnitude at a glance, beside the exact count: "15.5 G"; below 1000 the count itself. */
export function formatSI(n: number, lang: Lang): string {
  const { value, unit } = scaleBy1000(n, SI_UNITS.length);
  return unit === 0 ? formatCount(n, lang) : `${decimal(value, lang)} ${SI_UNITS[unit]}`;
}

/** Decimal bytes: "1.23 MB"; below 1000 "512 B". */
export function formatBytes(n: number, lang: Lang): string {
  const { value, unit } = scaleBy1000(n, BYTE_UNITS.length);
  return unit === 0 ? `${n} B` : `${decimal(value, lang)} ${BYTE_UNITS[unit]}`;
}

/** A count for a small face (a node on the canvas): exact below 100,000, then "1.2 M". */
export function formatCountShort(n: number, lang: Lang): string {
  return Math.abs(n) < 100_000 ? formatCount(n, lang) : formatSI(n, lang);
}
