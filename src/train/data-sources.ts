/**
 * Bundled and synthetic data for the worker, through the dataset modules (src/train/datasets): the
 * worker fetches and decodes, so the page's thread never holds the bytes.
 */
import type { Issue } from '../graph/messages.ts';
import { loadBundledDataset } from './datasets/bundled.ts';
import type { FoundImages } from './datasets/image-header.ts';
import { loadImageFolder, type FolderEntry } from './datasets/image-folder.ts';
import { toDatasetArrays } from './datasets/split.ts';
import { generateShapesDataset } from './datasets/synthetic.ts';
import type { DataSource, DatasetArrays } from './protocol.ts';

/** Where the bundled datasets live: the page's base, not the worker script's folder. */
function datasetsBase(): string {
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  const base = `${import.meta.env.BASE_URL ?? '/'}datasets/`;
  return origin ? new URL(base, origin).href : base;
}

export interface LoadedData {
  readonly data: DatasetArrays;
  readonly warnings?: readonly Issue[];
  readonly found?: FoundImages | null;
}

export async function loadDataSource(
  source: Exclude<DataSource, { kind: 'arrays' }>,
  onProgress: (loaded: number, total: number) => void,
): Promise<LoadedData> {
  if (source.kind === 'folder' || source.kind === 'zip') {
    const input: readonly FolderEntry[] | Blob =
      source.kind === 'zip'
        ? source.file
        : source.files.map(({ path, file }) => ({ path, size: file.size, read: async () => new Uint8Array(await file.arrayBuffer()) }));
    const result = await loadImageFolder(input, {
      shape: source.shape,
      name: source.name,
      ...(source.testShare !== undefined ? { validationFraction: source.testShare } : {}),
      onProgress: (p) => onProgress(p.loaded, p.total),
    });
    return { data: toDatasetArrays(result.dataset), warnings: result.warnings, found: result.found };
  }
  if (source.kind === 'bundled') {
    const dataset = await loadBundledDataset(source.name, fetch, {
      baseUrl: datasetsBase(),
      onProgress: (p) => onProgress(p.loaded, p.total),
    });
    return { data: toDatasetArrays(dataset) };
  }
  onProgress(0, 1);
  const dataset = generateShapesDataset({
    seed: source.seed,
    size: source.size,
    channels: source.channels,
    train: source.train,
    test: source.test,
  });
  onProgress(1, 1);
  return { data: toDatasetArrays(dataset) };
}
