/**
 * Per-layer gradient numbers on their way from the training loop to the Gradients view: the loop
 * samples per-variable sums of squares (loop.ts), the worker folds them into one gradient norm and one
 * update/weight ratio per node and sends them about once a second as one buffer, and the training
 * store keeps a bounded history for the chart. Pure and tfjs-free: both sides import it.
 */

/** Per node: its gradient's L2 norm and ‖ΔW‖ / ‖W‖ of the step, over all its trainable variables. */
export interface LayerGradient {
  readonly grad: number;
  readonly ratio: number;
}

/**
 * Folds per-variable sums ([variables, 3]: Σg², Σw², Σ(Δw)²) into per-node numbers; `groups[i]` lists
 * the variable indices of node i. A node's norm is over all its variables together (kernel and bias),
 * so it is the norm of the node's whole gradient.
 */
export function layerGradients(sums: Float32Array, groups: readonly (readonly number[])[]): LayerGradient[] {
  return groups.map((vars) => {
    let g = 0;
    let w = 0;
    let u = 0;
    for (const v of vars) {
      g += sums[v * 3];
      w += sums[v * 3 + 1];
      u += sums[v * 3 + 2];
    }
    return { grad: Math.sqrt(g), ratio: w > 0 ? Math.sqrt(u) / Math.sqrt(w) : NaN };
  });
}

/** The history the chart draws: one series per node with weights. */
export interface GradientHistory {
  readonly nodeIds: readonly string[];
  /** Sample positions in epochs (epoch − 1 + batch / batches). */
  readonly x: readonly number[];
  /** grad[node][sample], ratio[node][sample]. */
  readonly grad: readonly (readonly number[])[];
  readonly ratio: readonly (readonly number[])[];
}

/** Samples kept per series: past it, every other old sample goes (the chart is a few hundred pixels wide). */
export const HISTORY_CAP = 400;

/**
 * Appends a batch of samples (`values` laid out [samples, nodes, 2]: norm, ratio) to the history; a
 * batch naming other nodes (a new run) starts a new history.
 */
export function appendGradients(
  history: GradientHistory | null,
  nodeIds: readonly string[],
  x: Float32Array,
  values: Float32Array,
): GradientHistory {
  const same = history && history.nodeIds.length === nodeIds.length && history.nodeIds.every((id, i) => id === nodeIds[i]);
  const base = same ? history : { nodeIds: [...nodeIds], x: [], grad: nodeIds.map(() => []), ratio: nodeIds.map(() => []) };
  const xs = [...base.x];
  const grad = base.grad.map((s) => [...s]);
  const ratio = base.ratio.map((s) => [...s]);
  const L = nodeIds.length;
  for (let s = 0; s < x.length; s++) {
    xs.push(x[s]);
    for (let l = 0; l < L; l++) {
      grad[l].push(values[(s * L + l) * 2]);
      ratio[l].push(values[(s * L + l) * 2 + 1]);
    }
  }
  if (xs.length <= HISTORY_CAP) return { nodeIds: base.nodeIds, x: xs, grad, ratio };
  // Keep the newest sample and every other one before it, so the recent end stays dense enough to judge.
  const keep = (i: number, n: number) => i >= n - 10 || (n - 1 - i) % 2 === 0;
  const thin = (a: number[]) => a.filter((_, i) => keep(i, a.length));
  return { nodeIds: base.nodeIds, x: thin(xs), grad: grad.map(thin), ratio: ratio.map(thin) };
}

/**
 * Collects samples in the worker and hands them over as one message at most every `everyMs`, so the
 * page gets a few messages a second whatever the sampling rate.
 */
export class GradientBatcher {
  private x: number[] = [];
  private values: number[] = [];
  private last: number;

  constructor(
    readonly nodeIds: readonly string[],
    private readonly groups: readonly (readonly number[])[],
    private readonly send: (x: Float32Array, values: Float32Array) => void,
    private readonly everyMs: number,
    private readonly now: () => number,
  ) {
    this.last = now();
  }

  add(x: number, sums: Float32Array): void {
    this.x.push(x);
    for (const l of layerGradients(sums, this.groups)) this.values.push(l.grad, l.ratio);
    if (this.now() - this.last >= this.everyMs) this.flush();
  }

  flush(): void {
    this.last = this.now();
    if (this.x.length === 0) return;
    const x = Float32Array.from(this.x);
    const values = Float32Array.from(this.values);
    this.x = [];
    this.values = [];
    this.send(x, values);
  }
}
