/**
 * The browser's image decoder for `loadImageFolder`: createImageBitmap + OffscreenCanvas, both available
 * in Web Workers, so a dropped folder can be decoded off the main thread. Kept apart from the folder logic
 * (which takes any `ImageDecoder`) so that logic runs in Node tests with a fake or pure-JS decoder.
 */
import { rgbaToChannels } from './pixels.ts';
import type { ImageShape } from './types.ts';

/** Decodes one file and resizes it to `shape` (H×W×C, C = 1 or 3); returns H·W·C bytes or throws. */
export type ImageDecoder = (bytes: Uint8Array, path: string, shape: ImageShape) => Promise<Uint8Array>;

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jfif: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  webp: 'image/webp',
  avif: 'image/avif',
};

export const IMAGE_EXTENSIONS = Object.keys(MIME);

export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function isImagePath(path: string): boolean {
  return extensionOf(path) in MIME;
}

export function canDecodeInThisContext(): boolean {
  return typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';
}

/**
 * Stretches each image to H×W (as Keras's image_dataset_from_directory does by default) with the
 * browser's high-quality resampling, composites transparency over black, and keeps 1 or 3 channels.
 */
export const browserImageDecoder: ImageDecoder = async (bytes, path, [h, w, c]) => {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: MIME[extensionOf(path)] ?? '' });
  const bitmap = await createImageBitmap(blob, { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' });
  try {
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D canvas in this context');
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, w, h);
    // A browser that ignored resizeWidth/Height hands back the full image: drawImage scales it.
    ctx.drawImage(bitmap, 0, 0, w, h);
    const rgba = ctx.getImageData(0, 0, w, h).data;
    return rgbaToChannels(rgba, w * h, c === 1 ? 1 : 3);
  } finally {
    bitmap.close();
  }
};
