import { describe, expect, it } from 'vitest';
import { batches, classCounts, shuffleSplit, splitTrainValidation, stratifiedHoldout, toDatasetArrays } from './split.ts';
import type { DataSplit } from './types.ts';

/** n one-pixel images whose value is their index (so every image is traceable), labels cycling by `k`. */
function indexed(n: number, k: number, perClass?: number[]): DataSplit {
  const y = perClass ? Uint8Array.from(perClass.flatMap((c, cls) => new Array<number>(c).fill(cls))) : Uint8Array.from({ length: n }, (_, i) => i % k);
  return { x: Uint8Array.from({ length: y.length }, (_, i) => i % 256), y, n: y.length };
}

describe('stratifiedHoldout', () => {
  it('holds out exactly round(f·n), each class in proportion, disjoint from what it keeps', () => {
    const y = indexed(0, 3, [50, 30, 7]).y;
    const { keep, holdout } = stratifiedHoldout(y, 3, 0.2, 5);
    expect(holdout.length).toBe(Math.round(0.2 * 87));
    expect(keep.length + holdout.length).toBe(87);
    expect(new Set([...keep, ...holdout]).size).toBe(87);
    const held = classCounts([...holdout].map((i) => y[i]), 3);
    expect(held[0]).toBe(10);
    expect(held[1]).toBe(6);
    expect(held[2]).toBeGreaterThanOrEqual(1);
    expect(held[2]).toBeLessThanOrEqual(2);
  });

  it('is a function of the seed', () => {
    const y = indexed(200, 4).y;
    expect([...stratifiedHoldout(y, 4, 0.25, 9).holdout]).toEqual([...stratifiedHoldout(y, 4, 0.25, 9).holdout]);
    expect([...stratifiedHoldout(y, 4, 0.25, 9).holdout]).not.toEqual([...stratifiedHoldout(y, 4, 0.25, 10).holdout]);
  });
});

describe('splitTrainValidation and shuffles', () => {
  it('moves whole images (pixels with their labels) and loses none', () => {
    const all = indexed(100, 5);
    const { train, validation } = splitTrainValidation(all, 5, 0.3, 1);
    expect(train.n + validation.n).toBe(100);
    expect(validation.n).toBe(30);
    for (const part of [train, validation]) for (let i = 0; i < part.n; i++) expect(part.y[i]).toBe(part.x[i] % 5);
    expect(new Set([...train.x, ...validation.x]).size).toBe(100);
  });

  it('shuffleSplit permutes with a seed, keeping pixel/label pairs', () => {
    const all = indexed(50, 5);
    const a = shuffleSplit(all, 3);
    expect([...a.x]).toEqual([...shuffleSplit(all, 3).x]);
    expect([...a.x]).not.toEqual([...all.x]);
    for (let i = 0; i < a.n; i++) expect(a.y[i]).toBe(a.x[i] % 5);
  });
});

describe('batches', () => {
  it('covers the split once, scales uint8 to [0, 1], and keeps or drops the short last batch', () => {
    const all = indexed(10, 2);
    const got = [...batches(all, 4, { seed: 1 })];
    expect(got.map((b) => b.n)).toEqual([4, 4, 2]);
    const seen = got.flatMap((b) => [...b.x].map((v) => Math.round(v * 255)));
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const b of got) for (let i = 0; i < b.n; i++) expect(b.y[i]).toBe(Math.round(b.x[i] * 255) % 2);
    expect([...batches(all, 4, { dropLast: true })].map((b) => b.n)).toEqual([4, 4]);
    expect([...batches(all, 4)][0].x[1]).toBeCloseTo(1 / 255);
  });
});

describe('toDatasetArrays', () => {
  it('hands the trainer float32 pixels in [0, 1] and int32 labels, in fresh buffers', () => {
    const split = indexed(4, 2);
    const arrays = toDatasetArrays({ name: 't', shape: [1, 1, 1], classes: ['a', 'b'], train: split, test: split, source: 'synthetic' });
    expect(arrays.train.x).toBeInstanceOf(Float32Array);
    expect(arrays.train.y).toBeInstanceOf(Int32Array);
    expect(arrays.train.count).toBe(4);
    expect(arrays.train.x[3]).toBeCloseTo(3 / 255);
    expect(arrays.train.x.buffer).not.toBe(arrays.test.x.buffer);
  });
});
