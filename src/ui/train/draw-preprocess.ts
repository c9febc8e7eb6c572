/**
 * Turns a drawing into what an MNIST-trained network expects: the ink's bounding box scaled to fit
 * 20/28 of the input (aspect kept), placed so its centre of mass sits in the middle — how MNIST itself
 * was made. Pure: input is a gray image (0 = background, 1 = ink), output H·W·C float32.
 */

export function centerDrawing(gray: Float32Array, width: number, height: number, shape: readonly number[]): Float32Array {
  const [h, w, c] = shape.length === 3 ? shape : [shape[0], 1, 1];
  const out = new Float32Array(h * w * c);
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (gray[y * width + x] > 0.05) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return out;
  const boxW = x1 - x0 + 1;
  const boxH = y1 - y0 + 1;
  const fit = (20 / 28) * Math.min(h, w);
  const s = fit / Math.max(boxW, boxH);
  const tw = Math.max(1, Math.round(boxW * s));
  const th = Math.max(1, Math.round(boxH * s));
  // Area-average the box down to tw×th.
  const small = new Float32Array(tw * th);
  for (let ty = 0; ty < th; ty++) {
    const sy0 = y0 + (ty * boxH) / th;
    const sy1 = y0 + ((ty + 1) * boxH) / th;
    for (let tx = 0; tx < tw; tx++) {
      const sx0 = x0 + (tx * boxW) / tw;
      const sx1 = x0 + ((tx + 1) * boxW) / tw;
      let sum = 0;
      let area = 0;
      for (let y = Math.floor(sy0); y < Math.ceil(sy1); y++) {
        const wy = Math.min(y + 1, sy1) - Math.max(y, sy0);
        if (wy <= 0) continue;
        for (let x = Math.floor(sx0); x < Math.ceil(sx1); x++) {
          const wx = Math.min(x + 1, sx1) - Math.max(x, sx0);
          if (wx <= 0) continue;
          sum += gray[y * width + x] * wx * wy;
          area += wx * wy;
        }
      }
      small[ty * tw + tx] = area > 0 ? sum / area : 0;
    }
  }
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) {
    const v = small[y * tw + x];
    mass += v;
    mx += v * x;
    my += v * y;
  }
  const cx = mass > 0 ? mx / mass : (tw - 1) / 2;
  const cy = mass > 0 ? my / mass : (th - 1) / 2;
  const ox = Math.round((w - 1) / 2 - cx);
  const oy = Math.round((h - 1) / 2 - cy);
  for (let y = 0; y < th; y++) {
    const ty = y + oy;
    if (ty < 0 || ty >= h) continue;
    for (let x = 0; x < tw; x++) {
      const tx = x + ox;
      if (tx < 0 || tx >= w) continue;
      const v = Math.min(1, small[y * tw + x]);
      for (let k = 0; k < c; k++) out[(ty * w + tx) * c + k] = v;
    }
  }
  return out;
}
