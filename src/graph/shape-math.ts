/**
 * Shared shape arithmetic for every convolution and pooling layer (Keras's conv_utils, in one place).
 * All functions are pure and accept `null` for an unknown size, which they propagate.
 */
import type { Dim, Shape } from './types.ts';

export type Padding2D = readonly [top: number, bottom: number, left: number, right: number];

/** Effective extent of a dilated kernel: d·(k−1)+1. */
export function dilatedKernel(k: number, dilation: number): number {
  return dilation * (k - 1) + 1;
}

/** out = ⌊(in + pad_total − d·(k−1) − 1) / s⌋ + 1, the rule PyTorch documents and Keras's 'valid' obeys. */
export function convOutputSize(input: Dim, k: number, stride: number, padTotal: number, dilation = 1): Dim {
  if (input === null) return null;
  return Math.floor((input + padTotal - dilation * (k - 1) - 1) / stride) + 1;
}

/**
 * Output size of a window over an axis padded `before` and `after`: the floor rule above, or with
 * `ceil` PyTorch's ceil_mode, ⌈(in + pad − d·(k−1) − 1) / s⌉ + 1 less a last window that would start at
 * or past in + before (in the trailing padding), which PyTorch drops so no window reads padding alone.
 * The one size rule of every window (convolution and pooling); 'same' is a padding, not a rule.
 */
export function windowOutputSize(input: Dim, k: number, stride: number, before: number, after: number, dilation = 1, ceil = false): Dim {
  if (input === null || !ceil) return convOutputSize(input, k, stride, before + after, dilation);
  const span = input + before + after - dilatedKernel(k, dilation);
  const out = Math.ceil(span / stride) + 1;
  return (out - 1) * stride >= input + before ? out - 1 : out;
}

/**
 * How far past the input the last window reaches: (out − 1)·s + d·(k−1) + 1 − in − before. Below the
 * declared `after` when the floor leaves trailing padding unread (negative when it leaves real pixels),
 * above it when ceil mode adds a partial window. Exporters pad exactly this much, so every target takes
 * the same windows without a ceil mode of its own.
 */
export function windowReach(input: number, k: number, stride: number, before: number, after: number, dilation = 1, ceil = false): number {
  const out = windowOutputSize(input, k, stride, before, after, dilation, ceil) as number;
  return (out - 1) * stride + dilatedKernel(k, dilation) - input - before;
}

/**
 * TensorFlow's 'same' padding: total = max((⌈in/s⌉−1)·s + (k−1)·d + 1 − in, 0), split with the smaller
 * half first (top/left) and the extra pixel last (bottom/right). PyTorch cannot express the asymmetric
 * case, so exporters read the split from here.
 */
export function samePadding(input: number, k: number, stride: number, dilation = 1): readonly [number, number] {
  const out = Math.ceil(input / stride);
  const total = Math.max((out - 1) * stride + dilatedKernel(k, dilation) - input, 0);
  const low = Math.floor(total / 2);
  return [low, total - low];
}

/** Output size under 'same': ⌈in/s⌉. */
export function sameOutputSize(input: Dim, stride: number): Dim {
  return input === null ? null : Math.ceil(input / stride);
}

/**
 * Pixels of the (padded) input that a strided window never reaches: (in + pad − d·(k−1) − 1) mod s.
 * AlexNet's 224 vs 227 puzzle is this number being non-zero.
 */
export function unusedInput(input: number, k: number, stride: number, padTotal: number, dilation = 1): number {
  const span = input + padTotal - dilatedKernel(k, dilation);
  return span < 0 ? 0 : span % stride;
}

/**
 * Keras's deconv_output_length without output_padding: 'valid' → in·s + max(k − s, 0), 'same' → in·s.
 */
export function convTransposeOutputSize(input: Dim, k: number, stride: number, padding: 'valid' | 'same'): Dim {
  if (input === null) return null;
  return padding === 'same' ? input * stride : input * stride + Math.max(k - stride, 0);
}

/** Number of values in a shape, or null when any dimension is unknown. */
export function elementCount(shape: Shape): number | null {
  let n = 1;
  for (const d of shape) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

export function shapesEqual(a: Shape | null | undefined, b: Shape | null | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** "28×28×1", with "?" for unknown dimensions. */
export function formatShape(shape: Shape | null | undefined): string {
  if (!shape) return '?';
  if (shape.length === 0) return 'scalar';
  return shape.map((d) => (d === null ? '?' : String(d))).join('×');
}

/** PyTorch's channels-first view of a channels-last shape: [H, W, C] → [C, H, W]. */
export function toChannelsFirst(shape: Shape): Shape {
  if (shape.length < 2) return shape;
  return [shape[shape.length - 1], ...shape.slice(0, -1)];
}
