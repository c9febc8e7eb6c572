/**
 * Pure helpers over a `DataSplit`: counts per class, seeded (stratified) hold-outs, shuffles, batches,
 * and the hand-over to the trainer's float32 `DatasetArrays`. Nothing here touches the DOM or tfjs.
 */
import type { DatasetArrays, ImageSet } from '../protocol.ts';
import { mulberry32, shuffleInPlace } from '../../graph/random.ts';
import type { DataSplit, Dataset, ImageShape } from './types.ts';

function valuesPerImage(split: DataSplit): number {
  return split.n === 0 ? 0 : split.x.length / split.n;
}

export function classCounts(y: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < y.length; i++) counts[y[i]]++;
  return counts;
}

/** The images at `indices`, copied in that order. */
export function selectImages(split: DataSplit, indices: ArrayLike<number>): DataSplit {
  const size = valuesPerImage(split);
  const n = indices.length;
  const x = split.x instanceof Float32Array ? new Float32Array(n * size) : new Uint8Array(n * size);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const src = indices[i];
    x.set(split.x.subarray(src * size, (src + 1) * size), i * size);
    y[i] = split.y[src];
  }
  return { x, y, n };
}

export function shuffleSplit(split: DataSplit, seed: number): DataSplit {
  const order = new Uint32Array(split.n);
  for (let i = 0; i < split.n; i++) order[i] = i;
  return selectImages(split, shuffleInPlace(order, mulberry32(seed)));
}

/**
 * Holds out round(fraction·n) images, stratified: each class gives its share (largest remainder, so the
 * total is exact and small classes are not starved or over-drawn), picked by a seeded per-class shuffle.
 * Both index lists come back in ascending order; shuffle the result if order matters.
 */
export function stratifiedHoldout(
  y: ArrayLike<number>,
  classes: number,
  fraction: number,
  seed: number,
): { keep: Uint32Array; holdout: Uint32Array } {
  const f = Math.min(Math.max(fraction, 0), 1);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < y.length; i++) byClass[y[i]].push(i);
  const target = Math.round(f * y.length);
  const exact = byClass.map((ids) => ids.length * f);
  const take = exact.map(Math.floor);
  let missing = target - take.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, c) => ({ c, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.c - b.c);
  for (const { c } of byRemainder) {
    if (missing <= 0) break;
    if (take[c] < byClass[c].length) {
      take[c]++;
      missing--;
    }
  }
  const random = mulberry32(seed);
  const held = new Uint8Array(y.length);
  byClass.forEach((ids, c) => {
    shuffleInPlace(ids, random);
    for (let i = 0; i < take[c]; i++) held[ids[i]] = 1;
  });
  const keep: number[] = [];
  const holdout: number[] = [];
  for (let i = 0; i < y.length; i++) (held[i] ? holdout : keep).push(i);
  return { keep: Uint32Array.from(keep), holdout: Uint32Array.from(holdout) };
}

/** Seeded, stratified train/validation split; both halves come back shuffled. */
export function splitTrainValidation(
  split: DataSplit,
  classes: number,
  validationFraction: number,
  seed: number,
): { train: DataSplit; validation: DataSplit } {
  const { keep, holdout } = stratifiedHoldout(split.y, classes, validationFraction, seed);
  const random = mulberry32(seed ^ 0x5bd1e995);
  return {
    train: selectImages(split, shuffleInPlace(keep, random)),
    validation: selectImages(split, shuffleInPlace(holdout, random)),
  };
}

export interface Batch {
  /** float32 in [0, 1] (uint8 pixels are divided by 255). */
  readonly x: Float32Array;
  readonly y: Uint8Array;
  readonly n: number;
}

/**
 * Batches over a split, in a seeded random order when `seed` is given (else in order). The last, shorter
 * batch is kept unless `dropLast`. Each batch is a fresh array (a backend may adopt it as tensor storage).
 */
export function* batches(
  split: DataSplit,
  batchSize: number,
  options: { seed?: number; dropLast?: boolean } = {},
): Generator<Batch> {
  const size = valuesPerImage(split);
  const order = new Uint32Array(split.n);
  for (let i = 0; i < split.n; i++) order[i] = i;
  if (options.seed !== undefined) shuffleInPlace(order, mulberry32(options.seed));
  const step = Math.max(1, Math.floor(batchSize));
  const scale = split.x instanceof Uint8Array ? 1 / 255 : 1;
  for (let from = 0; from < split.n; from += step) {
    const n = Math.min(step, split.n - from);
    if (n < step && options.dropLast) return;
    const x = new Float32Array(n * size);
    const y = new Uint8Array(n);
    for (let b = 0; b < n; b++) {
      const src = order[from + b] * size;
      for (let k = 0; k < size; k++) x[b * size + k] = split.x[src + k] * scale;
      y[b] = split.y[order[from + b]];
    }
    yield { x, y, n };
  }
}

/** Pixels as a new float32 array in [0, 1] (a copy even from float32: the result may be transferred). */
export function toFloat32(x: Uint8Array | Float32Array): Float32Array {
  if (x instanceof Float32Array) return x.slice();
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] / 255;
  return out;
}

export function toImageSet(split: DataSplit, shape: ImageShape): ImageSet {
  return { shape: [shape[0], shape[1], shape[2]], count: split.n, x: toFloat32(split.x), y: Int32Array.from(split.y) };
}

/** The trainer's wire form (float32 images, int32 labels: the buffers can be transferred to the worker). */
export function toDatasetArrays(dataset: Dataset): DatasetArrays {
  return {
    name: dataset.name,
    classes: [...dataset.classes],
    train: toImageSet(dataset.train, dataset.shape),
    test: toImageSet(dataset.test, dataset.shape),
  };
}
