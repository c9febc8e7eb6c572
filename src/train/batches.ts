/**
 * Batches from an image set: a seeded shuffle, the validation split, and augmentation applied while
 * copying a batch out (random shift with zero fill, random horizontal flip). Pure and DOM-free; the
 * loop turns each batch into a tensor.
 */
import { mulberry32, shuffleInPlace } from '../graph/random.ts';
import type { ImageSet, TrainConfig } from './protocol.ts';

/** A shuffled copy: the epoch order, leaving the caller's indices as they were. */
export function shuffled(indices: Int32Array, random: () => number): Int32Array {
  return shuffleInPlace(indices.slice(), random);
}

export function range(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * Holds out `fraction` of the set for validation, chosen by a seeded shuffle so a rerun with the same
 * seed validates on the same images. At least one image stays for training.
 */
/** How many of `count` training images the validation share holds out (at least one image stays to train on). */
export function validationCount(count: number, fraction: number): number {
  const f = Math.min(Math.max(fraction, 0), 0.9);
  return Math.min(Math.round(count * f), Math.max(count - 1, 0));
}

/** Optimiser steps in one epoch over `trainCount` images (the batch cap applied). */
export function stepsPerEpoch(trainCount: number, config: Pick<TrainConfig, 'batchSize' | 'maxBatchesPerEpoch'>): number {
  const full = Math.ceil(trainCount / Math.max(1, Math.floor(config.batchSize)));
  return config.maxBatchesPerEpoch ? Math.min(full, config.maxBatchesPerEpoch) : full;
}

/** Below this many steps in a run, results swing from run to run: the panel suggests more. */
export const FEW_STEPS = 100;

/** What a run will see before it starts: images per split and the steps it takes. */
export function splitPlan(trainCount: number, testCount: number, config: Pick<TrainConfig, 'validationSplit' | 'batchSize' | 'maxBatchesPerEpoch' | 'epochs'>) {
  const val = validationCount(trainCount, config.validationSplit);
  const train = trainCount - val;
  const perEpoch = stepsPerEpoch(train, config);
  return { train, val, test: testCount, stepsPerEpoch: perEpoch, steps: perEpoch * config.epochs };
}

export function splitValidation(count: number, fraction: number, seed: number): { train: Int32Array; val: Int32Array } {
  const nVal = validationCount(count, fraction);
  const order = shuffled(range(count), mulberry32(seed ^ 0x9e3779b9));
  return { train: order.slice(nVal), val: order.slice(0, nVal) };
}

export interface Augment {
  readonly shift: number;
  readonly flip: boolean;
}

/**
 * Copies images `indices[from…to)` into one contiguous batch, augmenting each when asked. A fresh
 * array every time: a backend may keep the array it was given as the tensor's storage.
 */
export function fillBatch(
  set: ImageSet,
  indices: Int32Array,
  from: number,
  to: number,
  augment: Augment | null,
  random: () => number,
): { x: Float32Array; y: Int32Array } {
  const [h, w, c] = set.shape;
  const size = h * w * c;
  const n = to - from;
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  const shift = augment ? Math.max(0, Math.floor(augment.shift)) : 0;
  const flipOn = augment?.flip ?? false;
  for (let b = 0; b < n; b++) {
    const src = indices[from + b];
    y[b] = set.y[src];
    const srcOff = src * size;
    const dstOff = b * size;
    const dx = shift ? Math.floor(random() * (2 * shift + 1)) - shift : 0;
    const dy = shift ? Math.floor(random() * (2 * shift + 1)) - shift : 0;
    const flip = flipOn && random() < 0.5;
    if (dx === 0 && dy === 0 && !flip) {
      x.set(set.x.subarray(srcOff, srcOff + size), dstOff);
      continue;
    }
    for (let r = 0; r < h; r++) {
      const sr = r - dy;
      if (sr < 0 || sr >= h) continue;
      for (let col = 0; col < w; col++) {
        // The output pixel (r, col) shows source (sr, sc); a flip mirrors the source column after the shift.
        let sc = col - dx;
        if (sc < 0 || sc >= w) continue;
        if (flip) sc = w - 1 - sc;
        const s = srcOff + (sr * w + sc) * c;
        const d = dstOff + (r * w + col) * c;
        for (let k = 0; k < c; k++) x[d + k] = set.x[s + k];
      }
    }
  }
  return { x, y };
}

/** One image of a set, copied out. */
export function imageAt(set: ImageSet, index: number): Float32Array {
  const [h, w, c] = set.shape;
  const size = h * w * c;
  return set.x.slice(index * size, (index + 1) * size);
}
