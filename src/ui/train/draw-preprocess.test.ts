import { describe, expect, it } from 'vitest';
import { centerDrawing } from './draw-preprocess.ts';
import { inputImageShape } from '../../train/input-shape.ts';

function canvas(w: number, h: number, ink: (x: number, y: number) => boolean): Float32Array {
  const g = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) g[y * w + x] = ink(x, y) ? 1 : 0;
  return g;
}

function centreOfMass(img: Float32Array, w: number): [number, number] {
  let m = 0, sx = 0, sy = 0;
  img.forEach((v, i) => {
    m += v;
    sx += v * (i % w);
    sy += v * Math.floor(i / w);
  });
  return [sx / m, sy / m];
}

describe('drawing → network input', () => {
  it('a stroke in a corner is scaled to 20 px and centred by mass in 28×28, like MNIST', () => {
    // A 40×100 bar in the top-left of a 224 canvas.
    const out = centerDrawing(canvas(224, 224, (x, y) => x >= 10 && x < 50 && y >= 5 && y < 105), 224, 224, [28, 28, 1]);
    const rows = Array.from({ length: 28 }, (_, r) => out.slice(r * 28, r * 28 + 28).some((v) => v > 0.5));
    expect(rows.filter(Boolean).length).toBe(20);
    const [cx, cy] = centreOfMass(out, 28);
    expect(Math.abs(cx - 13.5)).toBeLessThanOrEqual(1);
    expect(Math.abs(cy - 13.5)).toBeLessThanOrEqual(1);
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
  });

  it('an empty pad gives an empty image, and colour inputs get the ink in every channel', () => {
    expect(centerDrawing(new Float32Array(100), 10, 10, [28, 28, 1]).every((v) => v === 0)).toBe(true);
    const rgb = centerDrawing(canvas(10, 10, (x, y) => x === 5 && y === 5), 10, 10, [8, 8, 3]);
    const lit = [...rgb.keys()].filter((i) => rgb[i] > 0);
    expect(lit.length % 3).toBe(0);
    expect(rgb[lit[0]]).toBe(rgb[lit[1]]);
  });

  it('reads the Input shape as an image shape, flat inputs included', () => {
    expect(inputImageShape([32, 32, 1])).toEqual([32, 32, 1]);
    expect(inputImageShape([784])).toEqual([28, 28, 1]);
    expect(inputImageShape([3072])).toEqual([32, 32, 3]);
    expect(inputImageShape([28, 28])).toEqual([28, 28, 1]);
    expect(inputImageShape(undefined)).toEqual([28, 28, 1]);
  });
});
