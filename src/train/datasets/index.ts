/**
 * Data for training: the bundled MNIST / Fashion-MNIST subsets, the synthetic "Shapes" set, and the
 * user's own images, all as one `Dataset` type. Pure TS (plus fetch, DecompressionStream and, for a
 * user's images, createImageBitmap/OffscreenCanvas): runs in a Web Worker and in Node tests.
 */
import { loadBundledDataset, type FetchFn, type LoadOptions } from './bundled.ts';
import { DatasetError } from './errors.ts';
import { generateShapesDataset } from './synthetic.ts';
import type { Dataset } from './types.ts';

export * from './types.ts';
export * from './errors.ts';
export * from './random.ts';
export * from './split.ts';
export * from './packed.ts';
export * from './manifest.ts';
export * from './bundled.ts';
export * from './synthetic.ts';
export * from './pixels.ts';
export * from './decode-image.ts';
export * from './image-folder.ts';

export interface BuiltinDatasetInfo {
  readonly id: 'mnist' | 'fashion-mnist' | 'shapes';
  readonly kind: 'bundled' | 'synthetic';
  readonly title: string;
  readonly shape: readonly [number, number, number];
  readonly classes: number;
}

/** What the data picker offers without loading anything (counts and sizes live in each manifest). */
export const BUILTIN_DATASETS: readonly BuiltinDatasetInfo[] = [
  { id: 'mnist', kind: 'bundled', title: 'MNIST digits', shape: [28, 28, 1], classes: 10 },
  { id: 'fashion-mnist', kind: 'bundled', title: 'Fashion-MNIST', shape: [28, 28, 1], classes: 10 },
  { id: 'shapes', kind: 'synthetic', title: 'Shapes (synthetic)', shape: [28, 28, 1], classes: 6 },
];

/** Loads a built-in dataset by id: bundled ones over `fetchFn`, the synthetic one generated here. */
export async function loadBuiltinDataset(
  id: string,
  options: LoadOptions & { readonly fetch?: FetchFn; readonly seed?: number } = {},
): Promise<Dataset> {
  if (id === 'shapes') {
    options.onProgress?.({ loaded: 0, total: 1 });
    const dataset = generateShapesDataset({ seed: options.seed });
    options.onProgress?.({ loaded: 1, total: 1 });
    return dataset;
  }
  if (id === 'mnist' || id === 'fashion-mnist') return loadBundledDataset(id, options.fetch ?? fetch, options);
  throw new DatasetError('data-unknown-dataset', { name: id, options: BUILTIN_DATASETS.map((d) => d.id).join(', ') });
}
