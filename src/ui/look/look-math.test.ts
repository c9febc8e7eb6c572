import { describe, expect, it } from 'vitest';
import { divergingColour } from '../lab/kernel-math.ts';
import { activationRange, divergingRgba, formatValue, imageRgba, pageOf, rgbFilterRgba, thumbnailRgba, tileText } from './look-math.ts';

describe('look view pixels and numbers', () => {
  it('draw values on the lab’s diverging scale, white at 0', () => {
    const rgba = divergingRgba([0, -2, 2, 1], 2);
    expect(Array.from(rgba.subarray(0, 4))).toEqual([255, 255, 255, 255]);
    expect(Array.from(rgba.subarray(4, 7))).toEqual([...divergingColour(-2, 2)]);
    expect(Array.from(rgba.subarray(12, 15))).toEqual([...divergingColour(1, 2)]);
  });

  it('draw an RGB first-layer filter around mid-grey, the largest weight at a channel’s end', () => {
    // 1×1 kernel, 3 inputs, 2 outputs, page of 2: filter 1 is (+1, 0, −1) with maxAbs 1.
    const look = { kind: 'filters', nodeId: 'c', shape: [1, 1, 3, 2], from: 0, count: 2, kernel: Float32Array.from([0.5, 1, 0, 0, -0.5, -1]), maxAbs: 1 } as const;
    expect(Array.from(rgbFilterRgba(look, 1))).toEqual([255, 128, 0, 255]);
    expect(Array.from(rgbFilterRgba(look, 0))).toEqual([191, 128, 64, 255]);
  });

  it('write numbers short, with a real minus, a tile one row a line', () => {
    expect(formatValue(-0.123456)).toBe('−0.123');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(12345)).toBe('1.23e+4');
    expect(tileText([1, -2, 3, 4], 2)).toBe('1  −2\n3  4');
  });

  it('pick pages that cover every filter once, the last one short', () => {
    expect(pageOf(40, 16, 2)).toEqual({ pages: 3, page: 2, from: 32, count: 8 });
    expect(pageOf(40, 16, 9).page).toBe(2);
    expect(pageOf(3, 16, 0)).toEqual({ pages: 1, page: 0, from: 0, count: 3 });
  });

  it('thumbnail a map by its channel mean; no thumbnail for a vector', () => {
    const a = { nodeId: 'x', shape: [1, 2, 2], data: Float32Array.from([1, 3, -4, 0]), min: -4, max: 3 };
    const t = thumbnailRgba(a)!;
    expect([t.h, t.w]).toEqual([1, 2]);
    expect(Array.from(t.rgba.subarray(0, 3))).toEqual([...divergingColour(2, 2)]);
    expect(Array.from(t.rgba.subarray(4, 7))).toEqual([...divergingColour(-2, 2)]);
    expect(thumbnailRgba({ ...a, shape: [4] })).toBeNull();
    expect(activationRange(a)).toBe(4);
    expect(Array.from(imageRgba([0.5, 1], [1, 2, 1]))).toEqual([128, 128, 128, 255, 255, 255, 255, 255]);
  });
});
