/**
 * Number formatting for the page. Fixed separators rather than Intl's locale rules: Intl's Spanish leaves
 * four-digit numbers ungrouped (5994 next to 61.706), which makes a column of counts hard to compare.
 */
import type { Lang } from '../graph/types.ts';

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
