/**
 * "Shapes": a synthetic image set generated on the spot (pure TS, seeded, no download) that a small CNN
 * learns in seconds: six classes of simple strokes, each drawn anti-aliased with random position, size,
 * thickness, slight rotation, brightness and Gaussian pixel noise, so no class is one fixed picture.
 * Oriented bars are the patterns first-layer filters learn; circle and plus combine them.
 * Same options → same bytes, in the browser, a worker or Node.
 */
import { mulberry32 } from '../../graph/random.ts';
import { gaussian, permutation } from './random.ts';
import type { DataSplit, Dataset } from './types.ts';

export const SHAPE_CLASSES = ['horizontal bar', 'vertical bar', 'diagonal \\', 'diagonal /', 'circle', 'plus'] as const;

export interface ShapesOptions {
  /** Images in each split (default 3,000 / 600), balanced across the classes. */
  readonly train?: number;
  readonly test?: number;
  readonly seed?: number;
  /** Side in pixels (default 28) and channels: 1 = gray, 3 = each shape in a random color. */
  readonly size?: number;
  readonly channels?: 1 | 3;
  /** Standard deviation of the pixel noise on a 0…1 scale (default 0.1). */
  readonly noise?: number;
}

const DEG = Math.PI / 180;

interface Stroke {
  readonly cls: number;
  readonly cx: number;
  readonly cy: number;
  /** Half-length (bars), radius (circle) or half-side (square), in pixels. */
  readonly extent: number;
  /** Rotation, as its cosine and sine. */
  readonly cos: number;
  readonly sin: number;
  readonly thickness: number;
}

/** Distance from pixel centre (px, py) to the stroke's centre line. */
function distance(s: Stroke, px: number, py: number): number {
  const dx = px - s.cx;
  const dy = py - s.cy;
  // Rotate into the shape's own frame.
  const u = dx * s.cos + dy * s.sin;
  const v = -dx * s.sin + dy * s.cos;
  switch (s.cls) {
    case 4:
      return Math.abs(Math.hypot(dx, dy) - s.extent);
    case 5: {
      // Two perpendicular segments through the centre.
      const a = Math.hypot(Math.max(Math.abs(u) - s.extent, 0), v);
      const b = Math.hypot(Math.max(Math.abs(v) - s.extent, 0), u);
      return Math.min(a, b);
    }
    default: {
      // A segment along u, from -extent to +extent.
      const along = Math.max(Math.abs(u) - s.extent, 0);
      return Math.hypot(along, v);
    }
  }
}

const BAR_ANGLES = [0, 90, 45, -45]; // image y grows downwards: +45° runs top-left → bottom-right ("\")

function randomStroke(cls: number, size: number, random: () => number): Stroke {
  const uniform = (a: number, b: number) => a + (b - a) * random();
  const jitter = size * 0.1;
  const base = {
    cls,
    cx: size / 2 + uniform(-jitter, jitter),
    cy: size / 2 + uniform(-jitter, jitter),
    thickness: uniform(1.5, 3) * (size / 28),
  };
  const rotated = (extent: number, degrees: number) => ({ ...base, extent, cos: Math.cos(degrees * DEG), sin: Math.sin(degrees * DEG) });
  if (cls < 4) return rotated(uniform(0.22, 0.36) * size, BAR_ANGLES[cls] + uniform(-12, 12));
  if (cls === 4) return rotated(uniform(0.18, 0.32) * size, 0);
  return rotated(uniform(0.2, 0.32) * size, uniform(-12, 12));
}

/** Draws one image of class `cls` into `out` at `offset` (size·size·channels bytes). */
export function renderShape(
  cls: number,
  out: Uint8Array,
  offset: number,
  random: () => number,
  options: { size?: number; channels?: 1 | 3; noise?: number } = {},
): void {
  const size = options.size ?? 28;
  const channels = options.channels ?? 1;
  const sigma = options.noise ?? 0.1;
  const normal = gaussian(random);
  const stroke = randomStroke(cls, size, random);
  const brightness = 0.6 + 0.4 * random();
  const color = channels === 1 ? [1] : [random(), random(), random()].map((c) => 0.3 + 0.7 * c);
  const half = stroke.thickness / 2;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      // Coverage falls off linearly over one pixel at the stroke's edge: cheap anti-aliasing.
      const coverage = Math.min(Math.max(half + 0.5 - distance(stroke, c + 0.5, r + 0.5), 0), 1);
      for (let k = 0; k < channels; k++) {
        const v = coverage * brightness * color[k] + sigma * normal();
        out[offset + (r * size + c) * channels + k] = Math.round(Math.min(Math.max(v, 0), 1) * 255);
      }
    }
  }
}

function generateSplit(n: number, seed: number, size: number, channels: 1 | 3, noise: number): DataSplit {
  const k = SHAPE_CLASSES.length;
  const random = mulberry32(seed);
  const perImage = size * size * channels;
  const x = new Uint8Array(n * perImage);
  const y = new Uint8Array(n);
  // Balanced labels in a seeded order.
  const order = permutation(n, seed ^ 0x68e31da4);
  for (let i = 0; i < n; i++) {
    const cls = order[i] % k;
    y[i] = cls;
    renderShape(cls, x, i * perImage, random, { size, channels, noise });
  }
  return { x, y, n };
}

export function generateShapesDataset(options: ShapesOptions = {}): Dataset {
  const seed = (options.seed ?? 1) >>> 0;
  const size = Math.max(8, Math.floor(options.size ?? 28));
  const channels = options.channels ?? 1;
  const noise = options.noise ?? 0.1;
  return {
    name: 'shapes',
    shape: [size, size, channels],
    classes: [...SHAPE_CLASSES],
    // Distinct streams per split, so the test images do not depend on how many training images there are.
    train: generateSplit(Math.max(0, Math.floor(options.train ?? 3000)), Math.imul(seed, 2654435761) ^ 0x1234567, size, channels, noise),
    test: generateSplit(Math.max(0, Math.floor(options.test ?? 600)), Math.imul(seed, 2654435761) ^ 0x7654321, size, channels, noise),
    source: 'synthetic',
    license: 'generated',
    attribution: 'Generated by NetCanvas',
  };
}
