/**
 * When a layer's gradients have vanished or exploded, judged from the per-layer numbers the training
 * worker samples: the L2 norm of the layer's gradient and the update/weight ratio (‖ΔW‖ / ‖W‖ of one
 * optimiser step). Pure, so the hint the page shows is tested without a page.
 *
 * The rules are rules of thumb, stated where the hint states them:
 * - exploding: a gradient that is no longer a number, a norm above EXPLODING_NORM, or steps that move
 *   the weights by more than EXPLODING_RATIO of their size (a healthy ratio is near 1e-3; CS231n).
 * - vanishing: no gradient at all, or a norm below VANISHING_SHARE of the largest layer's (the signal
 *   that reaches this layer is a thousandth of what the others get, so it barely learns).
 * A layer is judged on the median of its last RECENT samples, so one odd batch raises no alarm.
 */

export const EXPLODING_NORM = 1e3;
export const EXPLODING_RATIO = 0.1;
export const VANISHING_SHARE = 1e-3;
export const RECENT = 5;

export type GradientTrouble = 'vanishing' | 'exploding';

export interface LayerGradientSeries {
  readonly nodeId: string;
  /** Gradient norms, oldest first. */
  readonly grad: readonly number[];
  /** Update/weight ratios, oldest first (NaN where the layer's weights are all zero). */
  readonly ratio: readonly number[];
}

export interface GradientVerdict {
  readonly nodeId: string;
  readonly trouble: GradientTrouble;
  /** The recent median gradient norm and ratio the verdict rests on. */
  readonly grad: number;
  readonly ratio: number;
}

/** Median of the last `n` values; a non-finite value wins (it is the news). */
export function recentMedian(values: readonly number[], n = RECENT): number {
  const tail = values.slice(-n);
  if (tail.length === 0) return NaN;
  const bad = tail.find((v) => !Number.isFinite(v) && !Number.isNaN(v));
  if (bad !== undefined) return bad;
  const s = tail.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The layers whose recent gradients vanish or explode, in the order given. */
export function gradientVerdicts(layers: readonly LayerGradientSeries[]): GradientVerdict[] {
  const recent = layers.map((l) => ({ nodeId: l.nodeId, grad: recentMedian(l.grad), ratio: recentMedian(l.ratio), raw: l.grad.slice(-RECENT) }));
  const explodes = (r: (typeof recent)[number]) => r.raw.some((v) => !Number.isFinite(v)) || r.grad > EXPLODING_NORM || r.ratio > EXPLODING_RATIO;
  // Vanishing is judged against the healthy layers: one exploding layer makes no other one "small".
  const largest = Math.max(0, ...recent.filter((r) => !explodes(r)).map((r) => r.grad));
  const out: GradientVerdict[] = [];
  for (const r of recent) {
    if (r.raw.length === 0) continue;
    const exploding = explodes(r);
    const vanishing = !exploding && (r.grad === 0 || (largest > 0 && r.grad < VANISHING_SHARE * largest));
    if (exploding || vanishing) out.push({ nodeId: r.nodeId, trouble: exploding ? 'exploding' : 'vanishing', grad: r.grad, ratio: r.ratio });
  }
  return out;
}
