import { describe, expect, it } from 'vitest';
import { transpose } from '../export/npz.ts';
import { permuteInPlace, transposeInPlace } from './permute-in-place.ts';

/** A small deterministic generator, so a failure names a case that can be run again. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function shuffled(n: number, next: () => number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

describe('permuteInPlace', () => {
  it('applies an arbitrary permutation of values, and of blocks of values, moving each exactly once', () => {
    const next = rng(7);
    for (const n of [0, 1, 2, 31, 32, 33, 1000]) {
      const source = shuffled(n, next);
      const data = Float32Array.from({ length: n }, (_, i) => i);
      permuteInPlace(data, (j) => source[j]);
      expect([...data]).toEqual(source);
      const blocks = Float32Array.from({ length: n * 3 }, (_, i) => i);
      permuteInPlace(blocks, (j) => source[j], 3);
      expect([...blocks]).toEqual(source.flatMap((k) => [3 * k, 3 * k + 1, 3 * k + 2]));
    }
  });

  it('refuses a mapping that is not a permutation instead of looping or losing values', () => {
    expect(() => permuteInPlace(new Float32Array(4), (j) => (j === 0 ? 1 : j === 1 ? 2 : 1))).toThrow(/not a permutation/);
  });
});

describe('transposeInPlace', () => {
  it('gives what the out-of-place numpy-style transpose gives, for 300 random shapes and axis orders of rank 1–5', () => {
    const next = rng(29);
    for (let c = 0; c < 300; c++) {
      const rank = 1 + Math.floor(next() * 5);
      const shape = Array.from({ length: rank }, () => 1 + Math.floor(next() * 9));
      const perm = shuffled(rank, next);
      const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => next() * 2 - 1);
      const expected = transpose({ shape, data: data.slice() }, perm).data;
      transposeInPlace(data, shape, perm);
      expect(data, `shape [${shape}] perm [${perm}]`).toEqual(expected);
    }
  });

  it('transposes matrices whose sides share a factor and ones that do not, wide and tall (the pre-rotation only the first need)', () => {
    for (const [m, n] of [[4096 / 64, 25088 / 64], [25088 / 64, 4096 / 64], [17, 40], [40, 17], [12, 18], [7, 1], [1, 7], [97, 3]]) {
      const data = Float32Array.from({ length: m * n }, (_, i) => i);
      const expected = transpose({ shape: [m, n], data: data.slice() }, [1, 0]).data;
      transposeInPlace(data, [m, n], [1, 0]);
      expect(data, `${m}×${n}`).toEqual(expected);
    }
  });

  it('follows cycles instead of taking a scratch a large part of a tall, narrow matrix (same values)', () => {
    const [m, n] = [(1 << 20) + 3, 2];
    const data = Float32Array.from({ length: m * n }, (_, i) => i);
    const expected = transpose({ shape: [m, n], data: data.slice() }, [1, 0]).data;
    transposeInPlace(data, [m, n], [1, 0]);
    expect(data.every((v, i) => v === expected[i])).toBe(true);
  });

  it('refuses an axis order that is not a permutation, and a shape that does not hold the values', () => {
    expect(() => transposeInPlace(new Float32Array(6), [2, 3], [0, 0])).toThrow(/not a permutation/);
    expect(() => transposeInPlace(new Float32Array(5), [2, 3], [1, 0])).toThrow(/does not hold/);
  });
});
