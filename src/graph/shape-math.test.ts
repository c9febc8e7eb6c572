import { describe, expect, it } from 'vitest';
import {
  convOutputSize,
  convTransposeOutputSize,
  formatShape,
  sameOutputSize,
  samePadding,
  toChannelsFirst,
  unusedInput,
} from './shape-math.ts';

/** Counts window positions by sliding one, the definition the closed form must agree with. */
function slide(input: number, k: number, s: number, padTotal: number, d: number): { count: number; lastEnd: number } {
  const padded = input + padTotal;
  const extent = d * (k - 1) + 1;
  let count = 0;
  let lastEnd = -1;
  for (let start = 0; start + extent <= padded; start += s) {
    count++;
    lastEnd = start + extent - 1;
  }
  return { count, lastEnd };
}

describe('convOutputSize', () => {
  it('equals the number of window positions counted by sliding, for all small cases', () => {
    for (let input = 1; input <= 20; input++)
      for (let k = 1; k <= 6; k++)
        for (let s = 1; s <= 4; s++)
          for (let p = 0; p <= 3; p++)
            for (let d = 1; d <= 3; d++) {
              const { count } = slide(input, k, s, p, d);
              if (count === 0) continue;
              expect(convOutputSize(input, k, s, p, d)).toBe(count);
            }
  });
  it('gives the lecture examples', () => {
    expect(convOutputSize(28, 5, 1, 0)).toBe(24);
    expect(convOutputSize(224, 11, 4, 4)).toBe(55);
    expect(convOutputSize(227, 11, 4, 0)).toBe(55);
  });
  it('propagates unknown sizes', () => {
    expect(convOutputSize(null, 3, 1, 0)).toBeNull();
    expect(sameOutputSize(null, 2)).toBeNull();
    expect(convTransposeOutputSize(null, 3, 2, 'same')).toBeNull();
  });
});

describe('samePadding', () => {
  it('pads so that the output is ceil(in/stride), extra pixel at the end like TensorFlow', () => {
    for (let input = 1; input <= 30; input++)
      for (let k = 1; k <= 7; k++)
        for (let s = 1; s <= 4; s++)
          for (let d = 1; d <= 2; d++) {
            const [lo, hi] = samePadding(input, k, s, d);
            expect(hi - lo === 0 || hi - lo === 1).toBe(true);
            expect(convOutputSize(input, k, s, lo + hi, d)).toBe(sameOutputSize(input, s));
          }
  });
  it('is asymmetric for an even kernel total, e.g. 224 with 7×7 stride 2', () => {
    expect(samePadding(224, 7, 2)).toEqual([2, 3]);
    expect(samePadding(5, 3, 1)).toEqual([1, 1]);
  });
});

describe('unusedInput', () => {
  it('counts the trailing pixels no window reaches', () => {
    for (let input = 1; input <= 40; input++)
      for (let k = 1; k <= 5; k++)
        for (let s = 1; s <= 4; s++) {
          const { count, lastEnd } = slide(input, k, s, 0, 1);
          if (count === 0) continue;
          expect(unusedInput(input, k, s, 0)).toBe(input - 1 - lastEnd);
        }
  });
  it("explains AlexNet's 224 vs 227 puzzle", () => {
    expect(unusedInput(224, 11, 4, 0)).toBe(1);
    expect(unusedInput(227, 11, 4, 0)).toBe(0);
  });
});

describe('convTransposeOutputSize', () => {
  it('follows Keras deconv_output_length', () => {
    expect(convTransposeOutputSize(7, 3, 2, 'same')).toBe(14);
    expect(convTransposeOutputSize(7, 3, 2, 'valid')).toBe(15);
    expect(convTransposeOutputSize(7, 1, 2, 'valid')).toBe(14);
  });
});

describe('formatting', () => {
  it('writes shapes with × and ? and converts to channels-first', () => {
    expect(formatShape([28, 28, 1])).toBe('28×28×1');
    expect(formatShape([null, 4])).toBe('?×4');
    expect(formatShape(null)).toBe('?');
    expect(toChannelsFirst([28, 28, 8])).toEqual([8, 28, 28]);
    expect(toChannelsFirst([10])).toEqual([10]);
  });
});
