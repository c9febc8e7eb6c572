/**
 * A pure-JS stand-in for the browser decoder, for Node tests: PNG via fast-png (a devDependency, so only
 * tests import this file), then the same RGBA → channels conversion the browser path uses and an
 * area-averaging resize.
 */
import { decode } from 'fast-png';
import type { ImageDecoder } from '../decode-image.ts';
import { resizeArea, rgbaToChannels } from '../pixels.ts';

/** Any PNG (gray, gray+alpha, RGB, RGBA, palette; 8 or 16 bits) as 8-bit RGBA. */
export function pngToRgba(bytes: Uint8Array): { rgba: Uint8Array; width: number; height: number } {
  const png = decode(bytes);
  const { width, height } = png;
  const pixels = width * height;
  const rgba = new Uint8Array(pixels * 4);
  const scale = png.depth === 16 ? 1 / 257 : png.depth < 8 && !png.palette ? 255 / ((1 << png.depth) - 1) : 1;
  const data = png.data as ArrayLike<number>;
  for (let p = 0; p < pixels; p++) {
    let r: number, g: number, b: number, a: number;
    if (png.palette) {
      const entry = png.palette[data[p]];
      [r, g, b] = entry;
      a = entry.length > 3 ? (entry as number[])[3] : 255;
    } else if (png.channels === 1 || png.channels === 2) {
      r = g = b = data[p * png.channels] * scale;
      a = png.channels === 2 ? data[p * 2 + 1] * scale : 255;
    } else {
      r = data[p * png.channels] * scale;
      g = data[p * png.channels + 1] * scale;
      b = data[p * png.channels + 2] * scale;
      a = png.channels === 4 ? data[p * 4 + 3] * scale : 255;
    }
    rgba.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a)], p * 4);
  }
  return { rgba, width, height };
}

export const pngImageDecoder: ImageDecoder = async (bytes, _path, [h, w, c]) => {
  const { rgba, width, height } = pngToRgba(bytes);
  // Composite over black first, then average: averaging straight-alpha colours would bleed hidden ones.
  const channels = c === 1 ? 1 : 3;
  const resized = resizeArea(rgbaToChannels(rgba, width * height, channels), width, height, channels, w, h);
  return Uint8Array.from(resized, Math.round);
};
