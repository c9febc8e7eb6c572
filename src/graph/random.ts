/**
 * The one seeded random generator of the project, for everything that must repeat exactly: data splits
 * and shuffles, the synthetic set, augmentation, the ONNX exporter's initial weights, and the seeded
 * test cases. The algorithm is part of what a seed means (a seed names a dataset, a set of weights, a
 * test case), so it must not change silently: tests pin outputs for fixed seeds.
 */

/** mulberry32: 32-bit state, fast, good enough for shuffles, noise and test cases (not for cryptography). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates, in place (and returned, for chaining). */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(a: T, random: () => number): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
