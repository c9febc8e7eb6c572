/**
 * The Kernel lab's arithmetic: one k×k kernel slid over one grey image, as cross-correlation (what deep-
 * learning libraries call "convolution", `tf.conv2d`) or as true convolution (the kernel flipped 180°).
 * Pure; the window's padding comes from src/graph's `windowPads` (TensorFlow's 'same' split) and the output
 * size from `convOutputSize`, so the lab can never slide a window the model would not.
 *
 * Numbers are kept exact in decimal on purpose: pixels are integers 0–255 and kernel values carry at most
 * KERNEL_DECIMALS decimals, so the written-out sum of one output value re-evaluates to the value shown.
 */
import { windowPads } from '../../graph/layers/shared/common.ts';
import type { Window } from '../../graph/layer-spec.ts';
import { convOutputSize, type Padding2D } from '../../graph/shape-math.ts';

/** A single-channel image, row-major. */
export interface GreyImage {
  readonly h: number;
  readonly w: number;
  readonly data: ArrayLike<number>;
}

/** A square kernel, row-major (`values.length === size²`). */
export interface Kernel {
  readonly size: number;
  readonly values: readonly number[];
}

export type Mode = 'correlation' | 'convolution';

export interface SlideSettings {
  readonly stride: number;
  readonly dilation: number;
  readonly padding: 'valid' | 'same';
}

export const MIN_KERNEL = 1;
export const MAX_KERNEL = 7;
export const KERNEL_DECIMALS = 4;

/** A kernel value as the lab keeps it: rounded to KERNEL_DECIMALS so its arithmetic stays exact. */
export function roundKernelValue(v: number): number {
  const f = 10 ** KERNEL_DECIMALS;
  return Math.round(v * f) / f + 0; // + 0 turns −0 into 0
}

/** The kernel rotated 180° (rows and columns reversed): what convolution slides. */
export function flipKernel(k: Kernel): Kernel {
  return { size: k.size, values: [...k.values].reverse() };
}

/** The kernel actually slid in `mode`. */
export function effectiveKernel(k: Kernel, mode: Mode): Kernel {
  return mode === 'convolution' ? flipKernel(k) : k;
}

/** The lab's settings as a graph window (square, so one number per axis is repeated). */
export function labWindow(size: number, s: SlideSettings): Window {
  return { kernel: [size, size], strides: [s.stride, s.stride], dilation: [s.dilation, s.dilation], padding: s.padding, pads: [0, 0, 0, 0] };
}

export interface OutputMap {
  readonly h: number;
  readonly w: number;
  readonly data: Float64Array;
  /** Zeros added around the input [top, bottom, left, right]. */
  readonly pads: Padding2D;
}

/** One kernel tap of one output value: the kernel weight, the input pixel it meets (0 in the padding). */
export interface Tap {
  readonly weight: number;
  readonly x: number;
  /** Input row and column; outside the image when the tap falls in the padding. */
  readonly iy: number;
  readonly ix: number;
  readonly padding: boolean;
}

/** The output size and padding, or null when the (dilated) kernel does not fit the padded input. */
export function outputGeometry(img: Pick<GreyImage, 'h' | 'w'>, k: Kernel, s: SlideSettings): { h: number; w: number; pads: Padding2D } | null {
  const win = labWindow(k.size, s);
  const pads = windowPads([img.h, img.w, 1], win) as Padding2D;
  const h = convOutputSize(img.h, k.size, s.stride, pads[0] + pads[1], s.dilation) as number;
  const w = convOutputSize(img.w, k.size, s.stride, pads[2] + pads[3], s.dilation) as number;
  return h > 0 && w > 0 ? { h, w, pads } : null;
}

/** The taps of output value (oy, ox), kernel row-major, with the kernel `mode` slides. */
export function tapsAt(img: GreyImage, k: Kernel, s: SlideSettings, mode: Mode, pads: Padding2D, oy: number, ox: number): Tap[] {
  const kernel = effectiveKernel(k, mode);
  const taps: Tap[] = [];
  for (let ky = 0; ky < k.size; ky++) {
    for (let kx = 0; kx < k.size; kx++) {
      const iy = oy * s.stride - pads[0] + ky * s.dilation;
      const ix = ox * s.stride - pads[2] + kx * s.dilation;
      const inside = iy >= 0 && iy < img.h && ix >= 0 && ix < img.w;
      taps.push({ weight: kernel.values[ky * k.size + kx], x: inside ? img.data[iy * img.w + ix] : 0, iy, ix, padding: !inside });
    }
  }
  return taps;
}

export function sumTaps(taps: readonly Tap[]): number {
  return taps.reduce((acc, t) => acc + t.weight * t.x, 0);
}

/** The whole output map, or null when the kernel does not fit. */
export function slide(img: GreyImage, k: Kernel, s: SlideSettings, mode: Mode): OutputMap | null {
  const geo = outputGeometry(img, k, s);
  if (!geo) return null;
  const data = new Float64Array(geo.h * geo.w);
  for (let oy = 0; oy < geo.h; oy++) {
    for (let ox = 0; ox < geo.w; ox++) data[oy * geo.w + ox] = sumTaps(tapsAt(img, k, s, mode, geo.pads, oy, ox));
  }
  return { ...geo, data };
}

/**
 * A number as the arithmetic prints it: at most KERNEL_DECIMALS decimals, trailing zeros dropped, a real
 * minus sign (U+2212). The inputs are exact at that precision, so nothing shown is rounded away.
 */
export function formatLabNumber(v: number): string {
  const r = roundKernelValue(v);
  const text = Math.abs(r).toFixed(KERNEL_DECIMALS).replace(/\.?0+$/, '');
  return r < 0 ? `−${text}` : text;
}

/** `w·x` with a negative weight in parentheses, so the sum reads and re-evaluates unambiguously. */
function term(t: Tap): string {
  const w = formatLabNumber(t.weight);
  return `${t.weight < 0 ? `(${w})` : w}·${formatLabNumber(t.x)}`;
}

/** `y[r,c] = w·x + w·x + … = value`, every tap written with its real numbers. */
export function writeOut(taps: readonly Tap[], oy: number, ox: number): string {
  return `y[${oy},${ox}] = ${taps.map(term).join(' + ')} = ${formatLabNumber(sumTaps(taps))}`;
}

/**
 * Largest |value| of a map (at least a tiny positive number), the half-range of a diverging colour scale
 * that puts 0 at white.
 */
export function symmetricRange(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m > 0 ? m : 1e-9;
}

/** Blue (−range) → white (0) → red (+range), as 0–255 RGB. */
export function divergingColour(v: number, range: number): readonly [number, number, number] {
  const out = new Uint8ClampedArray(3);
  writeDivergingColour(out, 0, v, range);
  return [out[0], out[1], out[2]];
}

/**
 * divergingColour written straight into `out` at `at` (RGB; alpha untouched). The views colour every
 * pixel of every map each refresh during a run: a small array per pixel made that task mostly
 * allocation and garbage collection.
 */
export function writeDivergingColour(out: Uint8ClampedArray, at: number, v: number, range: number): void {
  const t = Math.max(-1, Math.min(1, v / range));
  const a = Math.abs(t);
  // Endpoints: a ColorBrewer-like blue (33,102,172) and red (178,24,43), mixed linearly with white.
  out[at] = Math.round(255 + ((t < 0 ? 33 : 178) - 255) * a);
  out[at + 1] = Math.round(255 + ((t < 0 ? 102 : 24) - 255) * a);
  out[at + 2] = Math.round(255 + ((t < 0 ? 172 : 43) - 255) * a);
}

/**
 * The input region output (oy, ox) reads, in input pixels: top-left tap to bottom-right tap, which may
 * reach into the padding (negative or past the edge).
 */
export function windowBox(k: Kernel, s: SlideSettings, pads: Padding2D, oy: number, ox: number): { top: number; left: number; size: number } {
  return { top: oy * s.stride - pads[0], left: ox * s.stride - pads[2], size: s.dilation * (k.size - 1) + 1 };
}

/** RGBA bytes of an output map on the diverging scale of half-range `range`. */
export function mapToRgba(map: Pick<OutputMap, 'h' | 'w' | 'data'>, range: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(map.h * map.w * 4);
  for (let i = 0; i < map.h * map.w; i++) {
    writeDivergingColour(out, i * 4, map.data[i], range);
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** RGBA bytes of an image given as grey (1 channel) or RGB (3) bytes. */
export function bytesToRgba(bytes: ArrayLike<number>, pixels: number, channels: 1 | 3): Uint8ClampedArray {
  const out = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) out[p * 4 + c] = bytes[p * channels + (channels === 1 ? 0 : c)];
    out[p * 4 + 3] = 255;
  }
  return out;
}
