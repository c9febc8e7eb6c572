/**
 * Loads a dataset described by a manifest (see manifest.ts) over `fetch`: the bundled MNIST and
 * Fashion-MNIST subsets under `public/datasets/`, or the same format at any other URL. Works in a Web
 * Worker and in Node (tests pass a `fetch` that reads the files from disk).
 */
import { DatasetError, describe } from './errors.ts';
import { parseManifest, type DatasetManifest, type SplitEntry } from './manifest.ts';
import { decodePacked, maybeGunzip } from './packed.ts';
import type { DataSplit, Dataset } from './types.ts';

export type FetchFn = (url: string, init?: RequestInit) => Promise<Response>;

export interface LoadProgress {
  /** Bytes received so far and in all (the manifest's file sizes). */
  readonly loaded: number;
  readonly total: number;
}

export interface LoadOptions {
  /**
   * Folder holding `<name>/manifest.json`. Default "/datasets/". In a worker, pass an absolute URL built
   * from the page's base (`new URL(import.meta.env.BASE_URL + 'datasets/', location.origin)`): a relative
   * one would resolve against the worker script's location.
   */
  readonly baseUrl?: string;
  readonly onProgress?: (p: LoadProgress) => void;
  readonly signal?: AbortSignal;
  /** Check each file's sha256 after decompression (where Web Crypto is available). Default true. */
  readonly verify?: boolean;
}

export const BUNDLED_DATASETS = ['mnist', 'fashion-mnist'] as const;
export type BundledDatasetName = (typeof BUNDLED_DATASETS)[number];

export function isBundledDataset(name: string): name is BundledDatasetName {
  return (BUNDLED_DATASETS as readonly string[]).includes(name);
}

export async function loadBundledDataset(name: string, fetchFn: FetchFn = fetch, options: LoadOptions = {}): Promise<Dataset> {
  if (!isBundledDataset(name)) {
    throw new DatasetError('data-unknown-dataset', { name, options: BUNDLED_DATASETS.join(', ') });
  }
  const base = options.baseUrl ?? '/datasets/';
  const dataset = await loadDatasetFromManifest(resolveUrl(`${name}/manifest.json`, base), fetchFn, options);
  return { ...dataset, source: 'bundled' };
}

/** Resolves `ref` against `base`; a relative base is taken relative to the current page or worker. */
export function resolveUrl(ref: string, base: string): string {
  const here = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(ref, here ? new URL(base, here) : new URL(base)).href;
  } catch {
    // No absolute anchor anywhere (e.g. Node with a relative base): plain path joining.
    return base.endsWith('/') ? base + ref : `${base.slice(0, base.lastIndexOf('/') + 1)}${ref}`;
  }
}

export async function fetchManifest(url: string, fetchFn: FetchFn = fetch, signal?: AbortSignal): Promise<DatasetManifest> {
  const response = await get(url, fetchFn, signal);
  let json: unknown;
  try {
    json = await response.json();
  } catch (e) {
    throw new DatasetError('data-manifest', { url, detail: describe(e) });
  }
  const parsed = parseManifest(json);
  if (!parsed.ok) throw new DatasetError('data-manifest', { url, detail: parsed.detail });
  return parsed.manifest;
}

export async function loadDatasetFromManifest(manifestUrl: string, fetchFn: FetchFn = fetch, options: LoadOptions = {}): Promise<Dataset> {
  const manifest = await fetchManifest(manifestUrl, fetchFn, options.signal);
  const entries = [manifest.splits.train, manifest.splits.test];
  const total = entries.reduce((a, s) => a + s.bytes, 0);
  const received = [0, 0];
  const report = () => options.onProgress?.({ loaded: Math.min(received[0] + received[1], total), total });
  report();
  const [train, test] = await Promise.all(
    entries.map((entry, i) =>
      loadSplit(manifest, entry, resolveUrl(entry.file, manifestUrl), fetchFn, options, (bytes) => {
        received[i] = bytes;
        report();
      }),
    ),
  );
  return {
    name: manifest.name,
    shape: manifest.shape,
    classes: manifest.classes,
    train,
    test,
    source: 'url',
    license: manifest.license,
    attribution: manifest.attribution,
  };
}

async function loadSplit(
  manifest: DatasetManifest,
  entry: SplitEntry,
  url: string,
  fetchFn: FetchFn,
  options: LoadOptions,
  onBytes: (received: number) => void,
): Promise<DataSplit> {
  const response = await get(url, fetchFn, options.signal);
  let stored: Uint8Array;
  let packed: Uint8Array;
  try {
    stored = await readBody(response, onBytes);
    packed = await maybeGunzip(stored);
  } catch (e) {
    if (options.signal?.aborted) throw e;
    throw new DatasetError('data-corrupt', { file: entry.file, detail: describe(e) });
  }
  if ((options.verify ?? true) && globalThis.crypto?.subtle) {
    const digest = await sha256Hex(packed);
    if (digest !== entry.contentSha256) {
      throw new DatasetError('data-corrupt', { file: entry.file, detail: `checksum ${digest.slice(0, 12)}… differs from the manifest's ${entry.contentSha256.slice(0, 12)}…` });
    }
  }
  let split;
  try {
    split = decodePacked(packed);
  } catch (e) {
    throw new DatasetError('data-corrupt', { file: entry.file, detail: describe(e) });
  }
  const [h, w, c] = manifest.shape;
  const mismatch =
    split.shape[0] !== h || split.shape[1] !== w || split.shape[2] !== c
      ? `images are ${split.shape.join('×')}, the manifest says ${manifest.shape.join('×')}`
      : split.n !== entry.count
        ? `${split.n} images, the manifest says ${entry.count}`
        : split.classes !== manifest.classes.length
          ? `${split.classes} classes, the manifest names ${manifest.classes.length}`
          : null;
  if (mismatch) throw new DatasetError('data-corrupt', { file: entry.file, detail: mismatch });
  return { x: split.x, y: split.y, n: split.n };
}

async function get(url: string, fetchFn: FetchFn, signal?: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetchFn(url, signal ? { signal } : undefined);
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new DatasetError('data-fetch', { url, detail: describe(e) });
  }
  if (!response.ok) throw new DatasetError('data-fetch', { url, detail: `HTTP ${response.status} ${response.statusText}`.trim() });
  return response;
}

/** The whole body, reporting bytes as they arrive. */
async function readBody(response: Response, onBytes: (received: number) => void): Promise<Uint8Array> {
  if (!response.body) {
    const all = new Uint8Array(await response.arrayBuffer());
    onBytes(all.length);
    return all;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onBytes(received);
  }
  const out = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
