/**
 * Geometry for the small training charts: scales, "nice" ticks and SVG paths. Pure (tested in Node).
 */

export interface Series {
  readonly name: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

export interface Extent {
  readonly min: number;
  readonly max: number;
}

/** Round tick values covering [min, max] (about `count` of them: steps of 1, 2 or 5 × 10ⁿ). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max <= min) return [min];
  // d3's rule: the 1-2-5 step nearest (geometrically) to the raw step.
  const raw = (max - min) / Math.max(count, 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const err = raw / mag;
  const step = mag * (err >= Math.sqrt(50) ? 10 : err >= Math.sqrt(10) ? 5 : err >= Math.sqrt(2) ? 2 : 1);
  const out: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** The y range of every point, padded; fixed bounds win where given (accuracy is 0…1). */
/** The smallest and largest finite y of every point (Infinity, −Infinity when there is none). */
function finiteRange(series: readonly Series[]): Extent {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    for (const p of s.points) {
      if (!Number.isFinite(p.y)) continue;
      min = Math.min(min, p.y);
      max = Math.max(max, p.y);
    }
  }
  return { min, max };
}

export function yExtent(series: readonly Series[], fixed?: Partial<Extent>): Extent {
  let { min, max } = finiteRange(series);
  if (min === Infinity) return { min: fixed?.min ?? 0, max: fixed?.max ?? 1 };
  if (max - min < 1e-9) {
    min -= 0.5;
    max += 0.5;
  }
  return { min: fixed?.min ?? Math.max(0, min - (max - min) * 0.05), max: fixed?.max ?? max + (max - min) * 0.05 };
}

export function xExtent(series: readonly Series[], atLeast: number): Extent {
  let max = atLeast;
  for (const s of series) for (const p of s.points) max = Math.max(max, p.x);
  return { min: 0, max: Math.max(max, 1e-9) };
}

export function scale(domain: Extent, from: number, to: number): (v: number) => number {
  const span = domain.max - domain.min || 1;
  return (v) => from + ((v - domain.min) / span) * (to - from);
}

/** An SVG path through the finite points (gaps where a value is missing). */
export function linePath(points: Series['points'], x: (v: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!Number.isFinite(p.y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** Points for a log-scale chart: y as log10, gaps where a value is not positive or not a number. */
export function logPoints(xs: readonly number[], ys: readonly number[]): Series['points'] {
  return xs.map((x, i) => ({ x, y: ys[i] > 0 && Number.isFinite(ys[i]) ? Math.log10(ys[i]) : NaN }));
}

/** The range of the finite log values (no clamping at 0, unlike yExtent: logs of small numbers are negative). */
export function logExtent(series: readonly Series[]): Extent {
  const r = finiteRange(series);
  return r.min === Infinity ? { min: -1, max: 0 } : r;
}

/** Whole decades (as exponents) from `min` to `max`, at most about 6 of them (every 2nd, 3rd … when many). */
export function decadeTicks(min: number, max: number): number[] {
  const step = Math.max(1, Math.ceil((max - min) / 6));
  const out: number[] = [];
  for (let k = Math.ceil(min); k <= max; k += step) out.push(k);
  return out;
}
