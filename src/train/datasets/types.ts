/**
 * The one in-memory form every data source produces (bundled, synthetic, a user's folder): images as
 * packed uint8 pixels, channels-last `[H, W, C]` like the model's shapes, one class index per image.
 * Keeping bytes (not float32) costs a quarter of the memory; `toDatasetArrays` scales to [0, 1] for training.
 */

export type ImageShape = readonly [height: number, width: number, channels: number];

export interface DataSplit {
  /** `n` images back to back, each H·W·C values, row-major, channels-last; uint8 0…255 or float32 0…1. */
  readonly x: Uint8Array | Float32Array;
  /** Class index per image, < classes.length. */
  readonly y: Uint8Array;
  readonly n: number;
}

export type DatasetSource = 'bundled' | 'synthetic' | 'folder' | 'url';

export interface Dataset {
  /** Stable id ("mnist", "fashion-mnist", "shapes", or the folder's name). */
  readonly name: string;
  readonly shape: ImageShape;
  /** Class names in label order: `classes[y[i]]` names image i. */
  readonly classes: readonly string[];
  readonly train: DataSplit;
  /** Held-out images: the official test subset, or for a user's folder the seeded validation share. */
  readonly test: DataSplit;
  readonly source: DatasetSource;
  /** Where the data comes from and under which terms, for the UI's credits. */
  readonly license?: string;
  readonly attribution?: string;
}

/** At most 256 classes: labels are stored as one byte. */
export const MAX_CLASSES = 256;

export function imageSize(shape: ImageShape): number {
  return shape[0] * shape[1] * shape[2];
}

export function formatImageShape(shape: readonly number[]): string {
  return shape.join('×');
}
