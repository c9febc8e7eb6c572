import { describe, expect, it } from 'vitest';
import { appendGradients, GradientBatcher, HISTORY_CAP, layerGradients } from './gradient-stats.ts';

describe('gradient stats', () => {
  it('fold per-variable sums of squares into one norm and one update/weight ratio per node', () => {
    // Node 0: variables 0 and 2; node 1: variable 1. Rows are Σg², Σw², Σ(Δw)².
    const sums = Float32Array.from([9, 16, 1, 4, 0, 0, 16, 9, 3]);
    const [a, b] = layerGradients(sums, [[0, 2], [1]]);
    expect(a.grad).toBeCloseTo(Math.sqrt(9 + 16), 6);
    expect(a.ratio).toBeCloseTo(Math.sqrt(1 + 3) / Math.sqrt(16 + 9), 6);
    expect(b.grad).toBeCloseTo(2, 6);
    expect(b.ratio).toBeNaN();
  });

  it('keep a bounded history whose newest samples survive thinning, and start over for other nodes', () => {
    let h = appendGradients(null, ['a', 'b'], Float32Array.from([0.1]), Float32Array.from([1, 2, 3, 4]));
    expect(h.grad).toEqual([[1], [3]]);
    expect(h.ratio).toEqual([[2], [4]]);
    for (let i = 0; i < HISTORY_CAP * 2; i++) h = appendGradients(h, ['a', 'b'], Float32Array.from([i]), Float32Array.from([i, 0, i, 0]));
    expect(h.x.length).toBeLessThanOrEqual(HISTORY_CAP + 1);
    expect(h.x.at(-1)).toBe(HISTORY_CAP * 2 - 1);
    expect(h.grad[0].at(-1)).toBe(HISTORY_CAP * 2 - 1);
    expect(appendGradients(h, ['c'], Float32Array.from([5]), Float32Array.from([7, 8])).x).toEqual([5]);
  });

  it('send samples in batches no more often than asked', () => {
    let t = 0;
    const sent: number[] = [];
    const batcher = new GradientBatcher(['a'], [[0]], (x) => sent.push(x.length), 1000, () => t);
    for (let i = 0; i < 10; i++) {
      t += 250;
      batcher.add(i, Float32Array.from([1, 1, 1]));
    }
    batcher.flush();
    expect(sent).toEqual([4, 4, 2]);
  });
});
