import { describe, expect, it } from 'vitest';
import { classCounts } from './split.ts';
import { generateShapesDataset, SHAPE_CLASSES } from './synthetic.ts';
import type { DataSplit } from './types.ts';

function nearestCentroidAccuracy(train: DataSplit, test: DataSplit, classes: number, size: number): number {
  const centroids = Array.from({ length: classes }, () => new Float64Array(size));
  const counts = classCounts(train.y, classes);
  for (let i = 0; i < train.n; i++) for (let p = 0; p < size; p++) centroids[train.y[i]][p] += train.x[i * size + p] / counts[train.y[i]];
  let right = 0;
  for (let i = 0; i < test.n; i++) {
    let best = -1;
    let bestDistance = Infinity;
    centroids.forEach((c, k) => {
      let d = 0;
      for (let p = 0; p < size; p++) d += (test.x[i * size + p] - c[p]) ** 2;
      if (d < bestDistance) [best, bestDistance] = [k, d];
    });
    if (best === test.y[i]) right++;
  }
  return right / test.n;
}

describe('the synthetic Shapes dataset', () => {
  it('is the same bytes for the same seed and different for another', () => {
    const a = generateShapesDataset({ train: 60, test: 12, seed: 3 });
    const b = generateShapesDataset({ train: 60, test: 12, seed: 3 });
    const c = generateShapesDataset({ train: 60, test: 12, seed: 4 });
    expect(Buffer.from(a.train.x).equals(Buffer.from(b.train.x))).toBe(true);
    expect([...a.train.y]).toEqual([...b.train.y]);
    expect(Buffer.from(a.train.x).equals(Buffer.from(c.train.x))).toBe(false);
  });

  it('draws test images that do not depend on how many training images were asked for', () => {
    const small = generateShapesDataset({ train: 10, test: 30, seed: 8 });
    const large = generateShapesDataset({ train: 500, test: 30, seed: 8 });
    expect(Buffer.from(small.test.x).equals(Buffer.from(large.test.x))).toBe(true);
  });

  it('has balanced classes, 28×28×1 bytes that use the whole range, and distinct images', () => {
    const ds = generateShapesDataset({ train: 600, test: 120, seed: 1 });
    expect(ds.shape).toEqual([28, 28, 1]);
    expect(ds.classes).toEqual([...SHAPE_CLASSES]);
    expect(ds.train.x.length).toBe(600 * 784);
    expect(classCounts(ds.train.y, 6)).toEqual([100, 100, 100, 100, 100, 100]);
    expect(classCounts(ds.test.y, 6)).toEqual([20, 20, 20, 20, 20, 20]);
    const pixels = Array.from(ds.train.x);
    expect(pixels.reduce((a, b) => Math.max(a, b), 0)).toBeGreaterThan(200);
    expect(pixels.reduce((a, b) => Math.min(a, b), 255)).toBe(0);
    const hashes = new Set<string>();
    for (let i = 0; i < ds.train.n; i++) hashes.add(Buffer.from(ds.train.x.subarray(i * 784, (i + 1) * 784)).toString('base64'));
    expect(hashes.size).toBe(600);
  });

  it('separates its classes well enough for a nearest-centroid classifier (> 80 %), yet not trivially (< 100 %)', () => {
    const ds = generateShapesDataset({ train: 1800, test: 600, seed: 11 });
    const acc = nearestCentroidAccuracy(ds.train, ds.test, 6, 784);
    expect(acc).toBeGreaterThan(0.8);
    expect(acc).toBeLessThan(1);
  });

  it('draws coloured shapes when asked for 3 channels, at any size', () => {
    const ds = generateShapesDataset({ train: 12, test: 0, seed: 2, channels: 3, size: 16 });
    expect(ds.shape).toEqual([16, 16, 3]);
    expect(ds.train.x.length).toBe(12 * 16 * 16 * 3);
    expect(ds.test.n).toBe(0);
    // Not gray: some pixel has differing channels.
    let colored = false;
    for (let p = 0; p < ds.train.x.length; p += 3) if (Math.abs(ds.train.x[p] - ds.train.x[p + 1]) > 40) colored = true;
    expect(colored).toBe(true);
  });
});
