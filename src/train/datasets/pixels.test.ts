import { describe, expect, it } from 'vitest';
import { resizeArea, rgbaToChannels } from './pixels.ts';

describe('rgbaToChannels', () => {
  it('weighs red, green and blue as luma and composites transparency over black', () => {
    const rgba = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 0, 255, 255, 255, 128];
    expect([...rgbaToChannels(rgba, 5, 1)]).toEqual([76, 150, 29, 0, 128]);
    expect([...rgbaToChannels(rgba, 5, 3)].slice(9)).toEqual([0, 0, 0, 128, 128, 128]);
  });
});

describe('resizeArea', () => {
  it('averages each 2×2 block when halving', () => {
    // 4×2, one channel
    const src = [0, 4, 8, 8, 0, 4, 0, 0];
    expect([...resizeArea(src, 4, 2, 1, 2, 1)]).toEqual([2, 4]);
  });

  it('weighs partly covered source pixels by their covered area (3 → 2)', () => {
    // Output pixel 0 covers source [0, 1.5): 0 fully, 1 half → (3·1 + 6·0.5) / 1.5 = 4.
    expect([...resizeArea([3, 6, 9], 3, 1, 1, 2, 1)]).toEqual([4, 8]);
  });

  it('repeats pixels when enlarging and keeps channels apart', () => {
    expect([...resizeArea([1, 2, 3, 4], 2, 1, 2, 4, 1)]).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
  });
});
