import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../graph/testing/rng.ts';
import {
  divergingColour,
  flipKernel,
  mapToRgba,
  symmetricRange,
  windowBox,
  formatLabNumber,
  outputGeometry,
  roundKernelValue,
  slide,
  tapsAt,
  writeOut,
  type GreyImage,
  type Kernel,
  type Mode,
  type SlideSettings,
} from './kernel-math.ts';
import { PRESETS, presetKernel, resizeKernel } from './kernel-presets.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function randomImage(rng: Rng, h: number, w: number): GreyImage {
  return { h, w, data: Array.from({ length: h * w }, () => rng.int(0, 255)) };
}

function randomKernel(rng: Rng, size: number): Kernel {
  return { size, values: Array.from({ length: size * size }, () => roundKernelValue(rng.next() * 4 - 2)) };
}

/** TensorFlow's answer: cross-correlation, with the kernel flipped first for convolution. */
function tfSlide(img: GreyImage, k: Kernel, s: SlideSettings, mode: Mode): { shape: number[]; data: Float32Array } {
  const values = mode === 'convolution' ? [...k.values].reverse() : [...k.values];
  return tf.tidy(() => {
    const x = tf.tensor4d(Array.from(img.data), [1, img.h, img.w, 1]);
    const w = tf.tensor4d(values, [k.size, k.size, 1, 1]);
    const y = tf.conv2d(x, w, s.stride, s.padding, 'NHWC', s.dilation);
    return { shape: y.shape.slice(1, 3), data: y.dataSync() as Float32Array };
  });
}

/** Evaluates the written-out arithmetic back: its terms' sum and the value after the last `=`. */
function evaluate(text: string): { sum: number; shown: number } {
  const [, expr, shown] = text.split(' = ');
  const plain = (s: string) => s.replaceAll('−', '-');
  const sum = expr.split(' + ').reduce((acc, t) => {
    const [w, x] = t.split('·').map((p) => Number(plain(p).replace(/[()]/g, '')));
    expect(Number.isFinite(w) && Number.isFinite(x), t).toBe(true);
    return acc + w * x;
  }, 0);
  return { sum, shown: Number(plain(shown)) };
}

describe('kernel lab math', () => {
  it('cross-correlation equals tf.conv2d and convolution equals tf.conv2d with the kernel flipped, on random images and kernels', () => {
    const rng = new Rng(12);
    let checked = 0;
    for (let trial = 0; trial < 120; trial++) {
      const size = rng.int(1, 7);
      const img = randomImage(rng, rng.int(size, 20), rng.int(size, 20));
      const k = randomKernel(rng, size);
      // TensorFlow refuses stride > 1 together with dilation > 1, as the graph's window check does.
      const dilation = rng.int(0, 2) === 0 ? rng.int(2, 3) : 1;
      const s: SlideSettings = { stride: dilation > 1 ? 1 : rng.int(1, 3), dilation, padding: rng.int(0, 1) ? 'same' : 'valid' };
      for (const mode of ['correlation', 'convolution'] as const) {
        const ours = slide(img, k, s, mode);
        if (!ours) {
          expect(outputGeometry(img, k, s)).toBeNull();
          continue;
        }
        const theirs = tfSlide(img, k, s, mode);
        expect([ours.h, ours.w]).toEqual(theirs.shape);
        const scale = Math.max(1, ...Array.from(theirs.data, Math.abs));
        ours.data.forEach((v, i) => expect(Math.abs(v - theirs.data[i]) / scale).toBeLessThanOrEqual(1e-5));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('flipping turns Sobel x into its negative, so convolution flips the sign of every output', () => {
    const rng = new Rng(3);
    const img = randomImage(rng, 9, 9);
    const sobel = presetKernel('sobelX', 3);
    expect(flipKernel(sobel).values).toEqual(sobel.values.map((v) => -v + 0));
    const s: SlideSettings = { stride: 1, dilation: 1, padding: 'valid' };
    const a = slide(img, sobel, s, 'correlation')!;
    const b = slide(img, sobel, s, 'convolution')!;
    expect(Array.from(b.data)).toEqual(Array.from(a.data, (v) => -v + 0));
  });

  it('the written-out arithmetic of any output value re-evaluates to the value it shows, which is the map value', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 60; trial++) {
      const size = rng.int(1, 7);
      const img = randomImage(rng, rng.int(7, 14), rng.int(7, 14));
      const k = randomKernel(rng, size);
      const s: SlideSettings = { stride: rng.int(1, 2), dilation: 1, padding: 'same' };
      const mode = rng.int(0, 1) ? 'convolution' : 'correlation';
      const map = slide(img, k, s, mode)!;
      const oy = rng.int(0, map.h - 1);
      const ox = rng.int(0, map.w - 1);
      const text = writeOut(tapsAt(img, k, s, mode, map.pads, oy, ox), oy, ox);
      expect(text.startsWith(`y[${oy},${ox}] = `)).toBe(true);
      const { sum, shown } = evaluate(text);
      expect(Math.abs(sum - shown)).toBeLessThan(1e-6);
      expect(Math.abs(shown - map.data[oy * map.w + ox])).toBeLessThan(1e-6);
      expect(text.split(' + ')).toHaveLength(size * size);
    }
  });

  it('padding taps are written as weight·0 and flagged', () => {
    const img: GreyImage = { h: 3, w: 3, data: [1, 2, 3, 4, 5, 6, 7, 8, 9] };
    const k = presetKernel('identity', 3);
    const map = slide(img, k, { stride: 1, dilation: 1, padding: 'same' }, 'correlation')!;
    const taps = tapsAt(img, k, { stride: 1, dilation: 1, padding: 'same' }, 'correlation', map.pads, 0, 0);
    expect(taps.filter((t) => t.padding)).toHaveLength(5);
    expect(writeOut(taps, 0, 0)).toBe('y[0,0] = 0·0 + 0·0 + 0·0 + 0·0 + 1·1 + 0·2 + 0·0 + 0·4 + 0·5 = 1');
  });

  it('every preset at every size keeps its values exact, and blurs sum to 1 within rounding', () => {
    for (const p of PRESETS) {
      for (let size = 1; size <= 7; size++) {
        const k = presetKernel(p, size);
        expect(k.values).toHaveLength(k.size * k.size);
        for (const v of k.values) expect(roundKernelValue(v)).toBe(v);
        if (p === 'box' || p === 'gaussian' || p === 'identity') {
          expect(k.size).toBe(size);
          expect(Math.abs(k.values.reduce((a, v) => a + v, 0) - 1)).toBeLessThan(1e-4 * size * size);
        }
      }
    }
  });

  it('identity reproduces the image under same padding at every size', () => {
    const rng = new Rng(9);
    const img = randomImage(rng, 8, 8);
    for (let size = 1; size <= 7; size++) {
      const map = slide(img, presetKernel('identity', size), { stride: 1, dilation: 1, padding: 'same' }, 'correlation')!;
      expect(Array.from(map.data)).toEqual(Array.from(img.data));
    }
  });

  it('resizing keeps the centre and pads with zeros, and back again is lossless', () => {
    const k = presetKernel('sobelX', 3);
    const big = resizeKernel(k, 5);
    expect(big.values.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(big.values.slice(6, 9)).toEqual([-1, 0, 1]);
    expect(resizeKernel(big, 3)).toEqual(k);
  });

  it('numbers print with a real minus and no trailing zeros', () => {
    expect(formatLabNumber(-0.25)).toBe('−0.25');
    expect(formatLabNumber(2)).toBe('2');
    expect(formatLabNumber(0.0625)).toBe('0.0625');
    expect(formatLabNumber(-0)).toBe('0');
  });
});

describe('kernel lab colours and boxes', () => {
  it('the diverging scale is white at 0, the end colours at ±range, and clamps beyond', () => {
    expect(divergingColour(0, 5)).toEqual([255, 255, 255]);
    expect(divergingColour(-5, 5)).toEqual([33, 102, 172]);
    expect(divergingColour(5, 5)).toEqual([178, 24, 43]);
    expect(divergingColour(50, 5)).toEqual(divergingColour(5, 5));
    // Between them, a linear mix with white: half the range is halfway from white to the end colour.
    expect(divergingColour(2.5, 5)).toEqual([178, 24, 43].map((c) => Math.round((255 + c) / 2)));
    expect(divergingColour(-2.5, 5)).toEqual([33, 102, 172].map((c) => Math.round((255 + c) / 2)));
    const rgba = mapToRgba({ h: 1, w: 2, data: new Float64Array([-1, 1]) }, symmetricRange([-1, 1]));
    expect(Array.from(rgba)).toEqual([33, 102, 172, 255, 178, 24, 43, 255]);
  });

  it('the window box starts at the first tap and spans the dilated kernel', () => {
    const s: SlideSettings = { stride: 1, dilation: 2, padding: 'same' };
    const img: GreyImage = { h: 6, w: 6, data: new Array(36).fill(1) };
    const k = presetKernel('box', 3);
    const map = slide(img, k, s, 'correlation')!;
    const box = windowBox(k, s, map.pads, 2, 3);
    const taps = tapsAt(img, k, s, 'correlation', map.pads, 2, 3);
    expect([box.top, box.left]).toEqual([taps[0].iy, taps[0].ix]);
    expect([box.top + box.size - 1, box.left + box.size - 1]).toEqual([taps.at(-1)!.iy, taps.at(-1)!.ix]);
  });
});
