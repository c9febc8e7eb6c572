/**
 * The arithmetic of the benchmarks' figures on a shared machine: windows that alternate between the two
 * sides, each side summarised by its median and spread, and the ratio between them taken window pair by
 * window pair (each pair saw roughly the same load), then its median. Pure, so it is unit-tested.
 */

/** The q-quantile (0 ≤ q ≤ 1) by linear interpolation between order statistics (numpy's default). NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const at = q * (s.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return s[lo] + (s[hi] - s[lo]) * (at - lo);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** First and third quartiles (the interquartile range is q3 − q1). */
  readonly q1: number;
  readonly q3: number;
  readonly n: number;
}

export function spread(values: readonly number[]): Spread {
  return {
    median: median(values),
    min: values.length ? Math.min(...values) : NaN,
    max: values.length ? Math.max(...values) : NaN,
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
    n: values.length,
  };
}

/**
 * a[i] / b[i] for each pair of windows taken back to back; a pair with a missing or non-positive side is
 * left out (a window that failed says nothing about the ratio).
 */
export function pairedRatios(a: readonly (number | null)[], b: readonly (number | null)[]): number[] {
  if (a.length !== b.length) throw new Error(`paired ratios need as many windows on each side (${a.length} and ${b.length})`);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== null && y !== null && Number.isFinite(x) && Number.isFinite(y) && y > 0) out.push(x / y);
  }
  return out;
}

/** A spread rounded for the JSON line: `digits` decimals (0: whole samples/s). */
export function roundSpread(s: Spread, digits = 0): Spread {
  const r = (v: number) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : v);
  return { median: r(s.median), min: r(s.min), max: r(s.max), q1: r(s.q1), q3: r(s.q3), n: s.n };
}

/** Which side a window of an alternating run times. */
export type Side = 'pytorch' | 'browser';

/**
 * The order of an alternating run with `browserWindows` browser windows: PyTorch first and last, so every
 * browser window sits between two PyTorch windows and is judged against the load on either side of it.
 */
export function alternation(browserWindows: number): Side[] {
  if (!Number.isInteger(browserWindows) || browserWindows < 1) throw new Error(`an alternating run needs at least one browser window (got ${browserWindows})`);
  const out: Side[] = ['pytorch'];
  for (let i = 0; i < browserWindows; i++) out.push('browser', 'pytorch');
  return out;
}

/**
 * Each browser window over the mean of the PyTorch windows just before and after it (torch[i] and
 * torch[i + 1], as `alternation` orders them). A failed neighbour leaves the other one to judge by; a
 * browser window with no usable neighbour, or that failed itself, is left out.
 */
export function sandwichedRatios(browser: readonly (number | null)[], torch: readonly (number | null)[]): number[] {
  if (torch.length !== browser.length + 1) {
    throw new Error(`sandwiched ratios need one more PyTorch window than browser windows (${torch.length} and ${browser.length})`);
  }
  const usable = (v: number | null): v is number => v !== null && Number.isFinite(v) && v > 0;
  const neighbours = browser.map((_, i) => {
    const around = [torch[i], torch[i + 1]].filter(usable);
    return around.length ? around.reduce((a, b) => a + b, 0) / around.length : null;
  });
  return pairedRatios(browser.map((v) => (v !== null && Number.isFinite(v) ? v : null)), neighbours);
}

/**
 * Samples per second over a window from the progress seen in it (samples trained so far, at page time
 * in ms): from the first report to the last, so the time the run takes to wake from a pause, and what it
 * does after the last report, are not counted. Null with fewer than two reports (no whole span to time).
 */
export function rateOverReports(reports: readonly { readonly samples: number; readonly t: number }[]): number | null {
  if (reports.length < 2) return null;
  const first = reports[0];
  const last = reports[reports.length - 1];
  const ms = last.t - first.t;
  return ms > 0 ? ((last.samples - first.samples) * 1000) / ms : null;
}

/**
 * Whether a speed comparison run at these load averages can be judged against its goal: only while the load
 * stayed at or below the cores. Above that, the two sides do not slow down alike (PyTorch's OpenMP threads
 * spin-wait for cores the browser's workers also want and fall 20–50×; the browser falls 3–5×), so a ratio
 * measured then says more about the load than about either side, even with alternating windows.
 */
export function judgeableAtLoad(loadAverages: readonly number[], cores: number): boolean {
  return loadAverages.length > 0 && loadAverages.every((l) => Number.isFinite(l) && l <= cores);
}
