import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../graph/random.ts';
import { FEW_STEPS, fillBatch, range, splitPlan, splitValidation } from './batches.ts';
import type { ImageSet } from './protocol.ts';

/** 3×4×1 images whose pixel value encodes (image, row, column). */
function grid(count: number): ImageSet {
  const x = new Float32Array(count * 12);
  for (let i = 0; i < count; i++) for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) x[i * 12 + r * 4 + c] = i * 100 + r * 10 + c + 1;
  return { shape: [3, 4, 1], count, x, y: Int32Array.from({ length: count }, (_, i) => i % 2) };
}

const rows = (x: Float32Array, w = 4) => Array.from({ length: x.length / w }, (_, r) => Array.from(x.subarray(r * w, r * w + w)));

describe('batches', () => {
  it('copies images and labels in the given order without augmentation', () => {
    const set = grid(3);
    const { x, y } = fillBatch(set, Int32Array.from([2, 0]), 0, 2, null, Math.random);
    expect(Array.from(y)).toEqual([0, 0]);
    expect(x[0]).toBe(201);
    expect(x[12]).toBe(1);
  });

  it('a shift moves the picture and fills the uncovered border with zeros', () => {
    const set = grid(1);
    // random() = 0.99 → dx = dy = +1 with shift 1 (floor(0.99·3) − 1).
    const { x } = fillBatch(set, range(1), 0, 1, { shift: 1, flip: false }, () => 0.99);
    expect(rows(x)).toEqual([
      [0, 0, 0, 0],
      [0, 1, 2, 3],
      [0, 11, 12, 13],
    ]);
  });

  it('a flip mirrors each row', () => {
    const set = grid(1);
    const { x } = fillBatch(set, range(1), 0, 1, { shift: 0, flip: true }, () => 0.1);
    expect(rows(x)[0]).toEqual([4, 3, 2, 1]);
  });

  it('the validation split is seeded, disjoint and covers the set', () => {
    const a = splitValidation(100, 0.2, 5);
    const b = splitValidation(100, 0.2, 5);
    expect(Array.from(a.val)).toEqual(Array.from(b.val));
    expect(a.val.length).toBe(20);
    expect(new Set([...a.train, ...a.val]).size).toBe(100);
    expect(splitValidation(1, 0.5, 1).train.length).toBe(1);
    expect(splitValidation(10, 0, 1).val.length).toBe(0);
  });

  it('seeded randomness repeats', () => {
    const r1 = mulberry32(9);
    const r2 = mulberry32(9);
    expect([r1(), r1(), r1()]).toEqual([r2(), r2(), r2()]);
  });
});

describe('the split plan shown before Train', () => {
  it('counts what the loop will use: validation cut from the training images, steps per epoch with the cap', () => {
    const cfg = { validationSplit: 0.1, batchSize: 32, maxBatchesPerEpoch: null, epochs: 2 };
    const plan = splitPlan(8000, 2000, cfg);
    expect(plan).toEqual({ train: 7200, val: 800, test: 2000, stepsPerEpoch: 225, steps: 450 });
    const { train, val } = splitValidation(8000, 0.1, 1);
    expect([train.length, val.length]).toEqual([plan.train, plan.val]);
    expect(splitPlan(8000, 2000, { ...cfg, maxBatchesPerEpoch: 40 }).steps).toBe(80);
  });

  it('a small set of own images is a handful of steps: fewer than the hint threshold', () => {
    const plan = splitPlan(144, 36, { validationSplit: 0.1, batchSize: 32, maxBatchesPerEpoch: null, epochs: 2 });
    expect(plan.steps).toBe(10);
    expect(plan.steps).toBeLessThan(FEW_STEPS);
  });
});
