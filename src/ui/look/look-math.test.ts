import { describe, expect, it } from 'vitest';
import { divergingColour } from '../lab/kernel-math.ts';
import { inferShapes } from '../../graph/index.ts';
import { loadTemplate } from '../../graph/testing/templates.ts';
import {
  activationRange,
  divergingRgba,
  GAP_GREY,
  filterRowRgba,
  tileAt,
  tileGrid,
  formatValue,
  imageRgba,
  MAP_PIXELS_PER_PAGE,
  mapsPerPage,
  MAX_MAPS_PER_PAGE,
  pageOf,
  rgbFilterRgba,
  thumbnailRgba,
  tileText,
} from './look-math.ts';

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

  it('thumbnail a plane on its own scale; nothing for a map or a vector', () => {
    const a = { shape: [1, 2], data: Float32Array.from([2, -1]), min: -1, max: 2 };
    const t = thumbnailRgba(a)!;
    expect([t.h, t.w]).toEqual([1, 2]);
    expect(Array.from(t.rgba.subarray(0, 3))).toEqual([...divergingColour(2, 2)]);
    expect(Array.from(t.rgba.subarray(4, 7))).toEqual([...divergingColour(-1, 2)]);
    expect(thumbnailRgba({ ...a, shape: [1, 1, 2] })).toBeNull();
    expect(thumbnailRgba({ ...a, shape: [2] })).toBeNull();
    expect(activationRange({ min: -4, max: 3 })).toBe(4);
    expect(Array.from(imageRgba([0.5, 1], [1, 2, 1]))).toEqual([128, 128, 128, 255, 255, 255, 255, 255]);
  });

  it('lay a filter’s tiles out a line at a time, 1 px apart, and find the tile under a pixel', () => {
    expect(tileGrid(3, 3, 5, 2)).toEqual({ cols: 2, rows: 3, w: 7, h: 11 });
    expect(tileAt(3, 3, 5, 2, 0, 0)).toBe(0);
    expect(tileAt(3, 3, 5, 2, 0, 3)).toBeNull();
    expect(tileAt(3, 3, 5, 2, 5, 6)).toBe(3);
    expect(tileAt(3, 3, 5, 2, 9, 1)).toBe(4);
    expect(tileAt(3, 3, 5, 2, 9, 5)).toBeNull();
    const tiles = [0, 1, 2, 3, 4].map((i) => Float32Array.from({ length: 9 }, (_, p) => (p === 4 ? i - 2 : 0)));
    const { rgba, w } = filterRowRgba(tiles, 3, 3, 2, 2);
    // The centre of tile 3 (line 1, column 1) is +1 on a scale of ±2; a gap pixel is grey.
    expect(Array.from(rgba.subarray(((4 + 1) * w + 4 + 1) * 4, ((4 + 1) * w + 4 + 1) * 4 + 3))).toEqual([...divergingColour(1, 2)]);
    expect(Array.from(rgba.subarray(3 * 4, 3 * 4 + 4))).toEqual([GAP_GREY, GAP_GREY, GAP_GREY, 255]);
  });

  it('page feature maps within the pixel budget, small layers whole, VGG-16 a few big maps or many small ones a page', () => {
    const maps = (file: string) =>
      [...inferShapes(loadTemplate(file)).nodes.values()].map((n) => n.outputShape).filter((s): s is number[] => !!s && s.length === 3 && s.every((d) => d !== null));
    for (const [h, w, c] of [...maps('lenet-5.json'), ...maps('mnist-cnn.json')]) expect(mapsPerPage(h, w), `${h}×${w}×${c}`).toBeGreaterThanOrEqual(c);
    const vgg = maps('vgg-16.json');
    expect(vgg.length).toBeGreaterThan(10);
    for (const [h, w, c] of vgg) {
      const n = mapsPerPage(h, w);
      // One map always; more only while they fit the budget; every channel on some page.
      expect(n === 1 || n * h * w <= MAP_PIXELS_PER_PAGE).toBe(true);
      expect(n).toBeLessThanOrEqual(MAX_MAPS_PER_PAGE);
      const { pages } = pageOf(c, n, 0);
      expect(pageOf(c, n, pages - 1).from + pageOf(c, n, pages - 1).count).toBe(c);
    }
    expect(mapsPerPage(null, null)).toBe(mapsPerPage(32, 32));
  });
});
