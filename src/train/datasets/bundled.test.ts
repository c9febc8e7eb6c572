/**
 * The shipped datasets under public/datasets/: they decode through the same loader the app uses (over a
 * fetch that reads the files from disk), hold what their manifests say, and equal a fresh rebuild from
 * the sources wherever those are installed (`npm run datasets`).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildDatasets, fashionSourceDir, FASHION_CLASSES, mnistSourceDir, OUT_DIR } from '../../../scripts/build-datasets.ts';
import { loadBundledDataset, loadDatasetFromManifest, type FetchFn } from './bundled.ts';
import { DatasetError } from './errors.ts';
import { parseManifest } from './manifest.ts';
import { classCounts } from './split.ts';
import type { DataSplit, Dataset } from './types.ts';

const BASE = 'http://netcanvas.test/datasets/';

/** Serves public/datasets/ as a static host would; `tamper` can rewrite a file's bytes or headers. */
function diskFetch(tamper?: (file: string, bytes: Buffer) => Response | null): FetchFn {
  return async (url) => {
    const rel = decodeURIComponent(new URL(url).pathname.replace(/^\/datasets\//, ''));
    const file = path.join(OUT_DIR, rel);
    if (!existsSync(file)) return new Response('not found', { status: 404, statusText: 'Not Found' });
    const bytes = readFileSync(file);
    return tamper?.(rel, bytes) ?? new Response(bytes);
  };
}

const loaded = new Map<string, Promise<Dataset>>();
const load = (name: string) => {
  if (!loaded.has(name)) loaded.set(name, loadBundledDataset(name, diskFetch(), { baseUrl: BASE }));
  return loaded.get(name)!;
};

function imageKeys(split: DataSplit, size: number): Set<string> {
  const keys = new Set<string>();
  for (let i = 0; i < split.n; i++) keys.add(createHash('sha1').update(split.x.subarray(i * size, (i + 1) * size)).digest('hex'));
  return keys;
}

function pixelRange(split: DataSplit): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < split.x.length; i++) [lo, hi] = [Math.min(lo, split.x[i]), Math.max(hi, split.x[i])];
  return [lo, hi];
}

function meanPixel(split: DataSplit): number {
  let sum = 0;
  for (let i = 0; i < split.x.length; i++) sum += split.x[i];
  return sum / split.x.length;
}

const EXPECTED = {
  mnist: { train: 8000, test: 2000, classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], mean: [25, 45] },
  'fashion-mnist': { train: 10000, test: 2000, classes: FASHION_CLASSES, mean: [60, 90] },
} as const;

describe.each(Object.entries(EXPECTED))('bundled %s', (name, want) => {
  it('decodes to the advertised counts, shape and class names', async () => {
    const ds = await load(name);
    expect(ds.source).toBe('bundled');
    expect(ds.shape).toEqual([28, 28, 1]);
    expect(ds.classes).toEqual(want.classes);
    expect(ds.train.n).toBe(want.train);
    expect(ds.test.n).toBe(want.test);
    expect(ds.train.x.length).toBe(want.train * 784);
    expect(ds.license).toBeTruthy();
    expect(ds.attribution).toBeTruthy();
  });

  it('has labels in range, roughly balanced classes matching the manifest, and real pixel content', async () => {
    const ds = await load(name);
    const manifest = JSON.parse(readFileSync(path.join(OUT_DIR, name, 'manifest.json'), 'utf8'));
    for (const key of ['train', 'test'] as const) {
      const split = ds[key];
      const counts = classCounts(split.y, 10);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(split.n); // so every label is < 10
      expect(counts).toEqual(manifest.splits[key].classCounts);
      expect(Math.min(...counts) / Math.max(...counts)).toBeGreaterThan(0.7);
      // Dark backgrounds with bright strokes: the whole byte range is used, the mean is low.
      expect(pixelRange(split)).toEqual([0, 255]);
      const mean = meanPixel(split);
      expect(mean).toBeGreaterThan(want.mean[0]);
      expect(mean).toBeLessThan(want.mean[1]);
    }
    // Shuffled at build time: the first 100 training images already span every class.
    expect(new Set(ds.train.y.subarray(0, 100)).size).toBe(10);
  });

  it('keeps train and test disjoint', async () => {
    const ds = await load(name);
    const train = imageKeys(ds.train, 784);
    const overlap = [...imageKeys(ds.test, 784)].filter((k) => train.has(k));
    expect(overlap).toEqual([]);
  });

  it('ships files whose size and sha256 match the manifest, gzip-compressed', () => {
    const parsed = parseManifest(JSON.parse(readFileSync(path.join(OUT_DIR, name, 'manifest.json'), 'utf8')));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    for (const entry of Object.values(parsed.manifest.splits)) {
      const bytes = readFileSync(path.join(OUT_DIR, name, entry.file));
      expect(bytes.length).toBe(entry.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
      expect(createHash('sha256').update(gunzipSync(bytes)).digest('hex')).toBe(entry.contentSha256);
    }
  });
});

describe('the bundled files against a rebuild from the sources', () => {
  const have = mnistSourceDir() !== null && fashionSourceDir() !== null;
  it.skipIf(!have)('are byte for byte what `npm run datasets` writes', () => {
    const { files, missing } = buildDatasets();
    expect(missing).toEqual([]);
    expect(files.length).toBe(6);
    for (const f of files) {
      const shipped = readFileSync(path.join(OUT_DIR, f.path));
      expect(Buffer.compare(shipped, Buffer.from(f.bytes)), f.path).toBe(0);
    }
  });
});

describe('loading failures are clear errors', () => {
  const attempt = async (fetchFn: FetchFn, name = 'mnist') => {
    try {
      await loadBundledDataset(name, fetchFn, { baseUrl: BASE });
    } catch (e) {
      expect(e).toBeInstanceOf(DatasetError);
      return (e as DatasetError).issue;
    }
    throw new Error('expected a failure');
  };

  it('names an unknown dataset and the ones that exist', async () => {
    const issue = await attempt(diskFetch(), 'cifar-10');
    expect(issue.code).toBe('data-unknown-dataset');
    expect(issue.values.options).toBe('mnist, fashion-mnist');
  });

  it('reports a missing file with its URL and HTTP status', async () => {
    const issue = await attempt(diskFetch((file) => (file.endsWith('test.ncds.gz') ? new Response('', { status: 404, statusText: 'Not Found' }) : null)));
    expect(issue.code).toBe('data-fetch');
    expect(issue.values.url).toBe(`${BASE}mnist/test.ncds.gz`);
    expect(issue.values.detail).toBe('HTTP 404 Not Found');
  });

  it('reports a network failure', async () => {
    const issue = await attempt(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(issue).toMatchObject({ code: 'data-fetch', values: { detail: 'Failed to fetch' } });
  });

  it('catches a damaged file by its checksum', async () => {
    const issue = await attempt(
      diskFetch((file, bytes) => {
        if (!file.endsWith('train.ncds.gz')) return null;
        const raw = Buffer.from(gunzipSync(bytes));
        raw[5000] ^= 0xff;
        return new Response(raw);
      }),
    );
    expect(issue.code).toBe('data-corrupt');
    expect(String(issue.values.detail)).toMatch(/checksum/);
  });

  it('catches a file that is not gzip nor packed data', async () => {
    const issue = await attempt(diskFetch((file) => (file.endsWith('.gz') ? new Response('<!doctype html><title>SPA fallback</title>') : null)));
    expect(issue.code).toBe('data-corrupt');
  });

  it('rejects an invalid manifest, saying which field', async () => {
    const issue = await attempt(
      diskFetch((file, bytes) => {
        if (!file.endsWith('manifest.json')) return null;
        const m = JSON.parse(bytes.toString('utf8'));
        m.shape = [28, 28];
        return new Response(JSON.stringify(m));
      }),
    );
    expect(issue.code).toBe('data-manifest');
    expect(String(issue.values.detail)).toMatch(/^shape/);
  });
});

describe('loading over the network', () => {
  it('accepts files a server already inflated (Content-Encoding: gzip) and reports byte progress to the end', async () => {
    const seen: { loaded: number; total: number }[] = [];
    const ds = await loadDatasetFromManifest(
      `${BASE}mnist/manifest.json`,
      diskFetch((file, bytes) => (file.endsWith('.gz') ? new Response(gunzipSync(bytes) as Uint8Array<ArrayBuffer>) : null)),
      { onProgress: (p) => seen.push(p) },
    );
    expect(ds.train.n).toBe(8000);
    expect(seen.length).toBeGreaterThan(1);
    const last = seen[seen.length - 1];
    expect(last.loaded).toBe(last.total);
    for (let i = 1; i < seen.length; i++) expect(seen[i].loaded).toBeGreaterThanOrEqual(seen[i - 1].loaded);
  });
});
