/**
 * Pixel conversions shared by every image decoder (the browser's canvas, a pure-JS PNG decoder in tests):
 * RGBA to the Input's channels, and an area-averaging resize. Pure; no DOM.
 */

/**
 * RGBA (8-bit, straight alpha) to C = 1 (luma, ITU-R BT.601 weights as Pillow's "L") or C = 3 (RGB),
 * composited over black: a transparent background reads as 0, like MNIST's.
 */
export function rgbaToChannels(rgba: ArrayLike<number>, pixels: number, channels: 1 | 3): Uint8Array {
  const out = new Uint8Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    const a = rgba[p * 4 + 3] / 255;
    const r = rgba[p * 4] * a;
    const g = rgba[p * 4 + 1] * a;
    const b = rgba[p * 4 + 2] * a;
    if (channels === 1) {
      out[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    } else {
      out[p * 3] = Math.round(r);
      out[p * 3 + 1] = Math.round(g);
      out[p * 3 + 2] = Math.round(b);
    }
  }
  return out;
}

/**
 * Resizes an image (`channels` interleaved values per pixel) by area averaging: each output pixel is the
 * mean of the source area it covers, with fractional edges weighted. Good for shrinking photos (no
 * aliasing) and exact for integer factors; enlarging repeats pixels (nearest), which is honest for icons.
 */
export function resizeArea(
  src: ArrayLike<number>,
  sw: number,
  sh: number,
  channels: number,
  dw: number,
  dh: number,
): Float32Array {
  const out = new Float32Array(dw * dh * channels);
  const sx = sw / dw;
  const sy = sh / dh;
  const acc = new Float64Array(channels);
  for (let oy = 0; oy < dh; oy++) {
    const y0 = oy * sy;
    const y1 = y0 + sy;
    for (let ox = 0; ox < dw; ox++) {
      const x0 = ox * sx;
      const x1 = x0 + sx;
      acc.fill(0);
      let total = 0;
      for (let y = Math.floor(y0); y < Math.min(Math.ceil(y1), sh); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(Math.ceil(x1), sw); x++) {
          const w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
          if (w <= 0) continue;
          total += w;
          const s = (y * sw + x) * channels;
          for (let k = 0; k < channels; k++) acc[k] += w * src[s + k];
        }
      }
      const d = (oy * dw + ox) * channels;
      for (let k = 0; k < channels; k++) out[d + k] = total > 0 ? acc[k] / total : 0;
    }
  }
  return out;
}
