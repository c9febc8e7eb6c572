/**
 * The Kernel lab's preset kernels. Blurs and the identity exist at every size; the derivative and
 * sharpening kernels are defined at 3×3 (their textbook form) and picking one sets the size to 3.
 */
import { MAX_KERNEL, MIN_KERNEL, roundKernelValue, type Kernel } from './kernel-math.ts';

export const PRESETS = ['identity', 'box', 'gaussian', 'sharpen', 'sobelX', 'sobelY', 'laplacian', 'emboss'] as const;
export type Preset = (typeof PRESETS)[number];

const FIXED: Partial<Record<Preset, readonly number[]>> = {
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
  // Positive where the image gets brighter to the right (x) or downwards (y), under cross-correlation.
  sobelX: [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  sobelY: [-1, -2, -1, 0, 0, 0, 1, 2, 1],
  laplacian: [0, 1, 0, 1, -4, 1, 0, 1, 0],
  emboss: [-2, -1, 0, -1, 1, 1, 0, 1, 2],
};

/** Whether the preset has a form at every size (else it is 3×3 only). */
export function presetResizes(p: Preset): boolean {
  return !(p in FIXED);
}

export function clampKernelSize(size: number): number {
  return Math.max(MIN_KERNEL, Math.min(MAX_KERNEL, Math.round(size) || MIN_KERNEL));
}

/** Row n of Pascal's triangle: the binomial weights whose outer product approximates a Gaussian. */
function binomial(n: number): number[] {
  const row = [1];
  for (let i = 0; i < n; i++) row.push((row[i] * (n - i)) / (i + 1));
  return row;
}

/** The preset at `size` (ignored, 3 used, for the 3×3-only presets). Values keep 4 decimals. */
export function presetKernel(p: Preset, size: number): Kernel {
  const fixed = FIXED[p];
  if (fixed) return { size: 3, values: [...fixed] };
  const k = clampKernelSize(size);
  const at = (f: (r: number, c: number) => number) => Array.from({ length: k * k }, (_, i) => roundKernelValue(f(Math.floor(i / k), i % k)));
  if (p === 'identity') {
    // An even size has no centre: the tap just above and left of it, as TensorFlow's 'same' aligns.
    const c = Math.floor((k - 1) / 2);
    return { size: k, values: at((r, col) => (r === c && col === c ? 1 : 0)) };
  }
  if (p === 'box') return { size: k, values: at(() => 1 / (k * k)) };
  const b = binomial(k - 1);
  const total = b.reduce((a, x) => a + x, 0) ** 2;
  return { size: k, values: at((r, c) => (b[r] * b[c]) / total) };
}

/** The kernel at a new size, centred: the middle is kept, new border cells are 0. */
export function resizeKernel(k: Kernel, size: number): Kernel {
  const n = clampKernelSize(size);
  const offset = Math.floor((n - k.size) / 2);
  const values = Array.from({ length: n * n }, (_, i) => {
    const r = Math.floor(i / n) - offset;
    const c = (i % n) - offset;
    return r >= 0 && r < k.size && c >= 0 && c < k.size ? k.values[r * k.size + c] : 0;
  });
  return { size: n, values };
}
