/**
 * Images the Kernel lab slides its kernel over: one test image from the bundled MNIST and Fashion-MNIST
 * splits (read with the training code's own manifest and packed-file readers), a photo-like colour scene
 * drawn here, or the user's file. Each becomes a `LabImage`: what is shown (grey or RGB bytes) and the
 * grey integers 0–255 the kernel sees (colour is reduced to luminance, as the datasets' reader does).
 */
import { fetchManifest, resolveUrl, type FetchFn } from '../../train/datasets/bundled.ts';
import { browserImageDecoder, isImagePath } from '../../train/datasets/decode-image.ts';
import { decodePacked, maybeGunzip } from '../../train/datasets/packed.ts';
import type { GreyImage } from './kernel-math.ts';

export interface LabImage extends GreyImage {
  /** 1 (the grey data is what is shown) or 3 (`rgb` holds the colours shown). */
  readonly channels: 1 | 3;
  readonly rgb?: Uint8Array;
}

export const SAMPLES = ['digit', 'fashion', 'photo'] as const;
export type Sample = (typeof SAMPLES)[number];

/** Which test image of each bundled set: a digit and a garment with clear vertical and horizontal edges. */
const BUNDLED: Record<Exclude<Sample, 'photo'>, { readonly dataset: string; readonly index: number }> = {
  digit: { dataset: 'mnist', index: 0 },
  fashion: { dataset: 'fashion-mnist', index: 1 },
};

/** The size a user's image is scaled to: big enough to see edges, small enough to slide a 7×7 kernel instantly. */
export const USER_IMAGE_SIZE = 64;

/** ITU-R BT.601 luma, rounded, as `rgbaToChannels` reduces colour to grey for training. */
export function rgbToGrey(rgb: ArrayLike<number>, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) out[p] = Math.round(0.299 * rgb[p * 3] + 0.587 * rgb[p * 3 + 1] + 0.114 * rgb[p * 3 + 2]);
  return out;
}

function colourImage(h: number, w: number, rgb: Uint8Array): LabImage {
  return { h, w, channels: 3, rgb, data: rgbToGrey(rgb, h * w) };
}

/** One image of a bundled dataset's test split. */
export async function loadBundledSample(sample: Exclude<Sample, 'photo'>, baseUrl: string, fetchFn: FetchFn = fetch): Promise<LabImage> {
  const { dataset, index } = BUNDLED[sample];
  const manifestUrl = resolveUrl(`${dataset}/manifest.json`, baseUrl);
  const manifest = await fetchManifest(manifestUrl, fetchFn);
  const response = await fetchFn(resolveUrl(manifest.splits.test.file, manifestUrl));
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${manifest.splits.test.file}`);
  const split = decodePacked(await maybeGunzip(new Uint8Array(await response.arrayBuffer())));
  const [h, w, c] = split.shape;
  const size = h * w * c;
  const bytes = split.x.slice(index * size, (index + 1) * size);
  return c === 3 ? colourImage(h, w, bytes) : { h, w, channels: 1, data: bytes };
}

/**
 * A 40×40 outdoor scene (sky, sun, a red house with a window, grass): soft gradients, hard edges in both
 * directions and a diagonal roof, so every preset does something visible.
 */
export function photoSample(): LabImage {
  const n = 40;
  const rgb = new Uint8Array(n * n * 3);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let c: [number, number, number] = [90 + y * 3, 150 + y * 2, 235];
      if ((x - 31) ** 2 + (y - 8) ** 2 <= 25) c = [250, 220, 60];
      if (y >= 28) c = [60, 150 - (y - 28) * 4, 50];
      const roof = y >= 12 && y < 20 && Math.abs(x - 14) <= y - 12;
      if (roof) c = [120, 60, 40];
      if (y >= 20 && y < 32 && x >= 6 && x <= 22) c = [200, 50, 45];
      if (y >= 23 && y < 28 && x >= 9 && x <= 13) c = [240, 240, 210];
      if (y >= 25 && y < 32 && x >= 16 && x <= 19) c = [70, 40, 25];
      rgb.set(c, (y * n + x) * 3);
    }
  }
  return colourImage(n, n, rgb);
}

export type UserImageResult = { readonly ok: true; readonly image: LabImage } | { readonly ok: false; readonly reason: 'not-image' | 'unreadable' };

/** The user's file scaled to USER_IMAGE_SIZE², or why it cannot be used. */
export async function decodeUserImage(file: File): Promise<UserImageResult> {
  if (!isImagePath(file.name) && !file.type.startsWith('image/')) return { ok: false, reason: 'not-image' };
  try {
    const n = USER_IMAGE_SIZE;
    const rgb = await browserImageDecoder(new Uint8Array(await file.arrayBuffer()), file.name, [n, n, 3]);
    return { ok: true, image: colourImage(n, n, rgb) };
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
}
