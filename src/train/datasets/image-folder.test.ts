import { encode } from 'fast-png';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../graph/messages.ts';
import type { ImageDecoder } from './decode-image.ts';
import { DatasetError } from './errors.ts';
import { loadImageFolder, type FolderEntry, type ImageFolderOptions } from './image-folder.ts';
import { classCounts } from './split.ts';
import { pngImageDecoder } from './testing/png-decoder.ts';

const text = (s: string) => new TextEncoder().encode(s);

/** A fake "image": its bytes say the gray value to fill with, or "broken". */
const fakeDecoder: ImageDecoder = async (bytes, _path, [h, w, c]) => {
  const s = new TextDecoder().decode(bytes);
  if (!s.startsWith('gray:')) throw new Error('not an image');
  return new Uint8Array(h * w * c).fill(Number(s.slice(5)));
};

const entry = (path: string, content = 'gray:1', size?: number): FolderEntry => ({
  path,
  size: size ?? content.length,
  read: async () => text(content),
});

/** `count` images per class, each filled with the class's index × 10 + 10. */
function folder(root: string, classes: Record<string, number>): FolderEntry[] {
  return Object.entries(classes).flatMap(([cls, count], k) =>
    Array.from({ length: count }, (_, i) => entry(`${root}${cls}/img_${i}.png`, `gray:${(k + 1) * 10}`)),
  );
}

const base: ImageFolderOptions = { shape: [4, 4, 1], decode: fakeDecoder, seed: 1 };

async function failure(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return (e as DatasetError).issue;
  }
  throw new Error('expected a failure');
}

describe('loadImageFolder: structure', () => {
  it('takes one sub-folder per class under the dropped folder, classes in natural order', async () => {
    const r = await loadImageFolder(folder('pets/', { dogs: 10, cats: 20, '10-birds': 5, '2-fish': 5 }), base);
    expect(r.dataset.classes).toEqual(['2-fish', '10-birds', 'cats', 'dogs']);
    expect(r.perClass).toEqual([5, 5, 20, 10]);
    expect(r.dataset.name).toBe('pets');
    expect(r.dataset.shape).toEqual([4, 4, 1]);
    expect(r.dataset.source).toBe('folder');
    expect(r.warnings).toEqual([]);
  });

  it('keeps every image with its own label through the validation split (stratified, 20 % by default)', async () => {
    const r = await loadImageFolder(folder('', { a: 50, b: 30 }), base);
    const { train, test } = r.dataset;
    expect(train.n + test.n).toBe(80);
    expect(test.n).toBe(16);
    expect(classCounts(test.y, 2)).toEqual([10, 6]);
    // Fake pixels encode the folder: class a → 10, b → 20.
    for (const split of [train, test]) for (let i = 0; i < split.n; i++) expect(split.x[i * 16]).toBe(10 * (split.y[i] + 1));
  });

  it('gives the same dataset for the same seed, whatever order the files were listed in', async () => {
    const files = folder('root/', { a: 12, b: 12, c: 12 });
    const a = await loadImageFolder(files, base);
    const b = await loadImageFolder([...files].reverse(), base);
    const c = await loadImageFolder(files, { ...base, seed: 2 });
    expect([...b.dataset.test.y]).toEqual([...a.dataset.test.y]);
    expect([...a.dataset.train.x]).toEqual([...b.dataset.train.x]);
    expect([...c.dataset.train.y]).not.toEqual([...a.dataset.train.y]);
  });

  it('folds deeper sub-folders into their class', async () => {
    const r = await loadImageFolder([...folder('r/', { a: 2, b: 2 }), entry('r/a/more/deep.png')], base);
    expect(r.perClass).toEqual([3, 2]);
  });
});

describe('loadImageFolder: skipped files are counted and reported', () => {
  it('skips non-images, undecodable images, loose files, oversized files and system clutter', async () => {
    const files = [
      ...folder('root/', { a: 5, b: 5 }),
      entry('root/a/notes.txt', 'hello'),
      entry('root/b/labels.csv', 'x,y'),
      entry('root/a/broken.png', 'broken'),
      entry('root/cover.jpg'),
      entry('root/b/huge.png', 'gray:1', 50 * 1024 * 1024),
      entry('root/.DS_Store', 'junk'),
      entry('root/a/._img_0.png', 'junk'),
      entry('__MACOSX/root/a/._img_1.png', 'junk'),
    ];
    const r = await loadImageFolder(files, base);
    expect(r.perClass).toEqual([5, 5]);
    expect(r.skipped).toEqual({
      notImage: ['root/a/notes.txt', 'root/b/labels.csv'],
      undecodable: ['root/a/broken.png'],
      loose: ['root/cover.jpg'],
      tooLarge: ['root/b/huge.png'],
    });
    expect(r.warnings.map((w) => formatIssue(w))).toEqual([
      '2 file(s) are not images and were skipped (root/a/notes.txt, root/b/labels.csv)',
      '1 image(s) could not be decoded and were skipped (root/a/broken.png)',
      '1 file(s) lie outside any class folder and were skipped (root/cover.jpg)',
      '1 file(s) are larger than 20 MB and were skipped (root/b/huge.png)',
    ]);
    expect(formatIssue(r.warnings[1], 'es')).toBe('1 imagen(es) no se pudieron decodificar y se omitieron (root/a/broken.png)');
  });

  it('treats a decoder that returns the wrong number of values as a failed decode', async () => {
    const short: ImageDecoder = async (bytes, p, shape) => ((await fakeDecoder(bytes, p, shape)).subarray(1));
    const files = folder('', { a: 2, b: 2 });
    const issue = await failure(() => loadImageFolder(files, { ...base, decode: short }));
    expect(issue.code).toBe('data-empty-class');
  });

  it('reports progress image by image up to the total', async () => {
    const seen: number[] = [];
    await loadImageFolder(folder('', { a: 7, b: 6 }), { ...base, onProgress: (p) => (expect(p.total).toBe(13), seen.push(p.loaded)) });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });
});

describe('loadImageFolder: what cannot be loaded is a clear error', () => {
  it('a flat folder has no class folders', async () => {
    const issue = await failure(() => loadImageFolder([entry('photos/a.png'), entry('photos/b.png')], base));
    expect(issue.code).toBe('data-no-class-folders');
    expect(formatIssue(issue)).toMatch(/one sub-folder per class/);
  });

  it('one class folder is not enough', async () => {
    const issue = await failure(() => loadImageFolder([...folder('root/', { cats: 3 }), entry('root/cover.png')], base));
    expect(issue).toMatchObject({ code: 'data-one-class', values: { name: 'cats' } });
  });

  it('a zip whose images all sit in one class folder says one class, not "no class folders"', async () => {
    const issue = await failure(() => loadImageFolder(folder('shapes/', { stripes: 60 }), base));
    expect(issue).toMatchObject({ code: 'data-one-class', values: { name: 'stripes' } });
  });

  it('a class folder without usable images is named', async () => {
    const onlyText = await failure(() => loadImageFolder([...folder('root/', { a: 3, b: 3 }), entry('root/c/readme.txt', 'x')], base));
    expect(onlyText).toMatchObject({ code: 'data-empty-class', values: { name: 'c' } });
    const allBroken = await failure(() => loadImageFolder([...folder('', { a: 3 }), entry('b/x.png', 'broken')], base));
    expect(allBroken).toMatchObject({ code: 'data-empty-class', values: { name: 'b' } });
  });

  it('no images at all says which formats are read', async () => {
    const issue = await failure(() => loadImageFolder([entry('r/a/x.pdf'), entry('r/b/y.docx')], base));
    expect(issue.code).toBe('data-no-images');
    expect(formatIssue(issue)).toMatch(/png, jpg/);
  });

  it('too many images are refused before any decoding', async () => {
    let decoded = 0;
    const counting: ImageDecoder = async (...args) => (decoded++, fakeDecoder(...args));
    const issue = await failure(() => loadImageFolder(folder('', { a: 6, b: 6 }), { ...base, decode: counting, maxImages: 10 }));
    expect(issue).toMatchObject({ code: 'data-too-many-files', values: { count: 12, max: 10 } });
    expect(decoded).toBe(0);
  });

  it('shapes other than H×W×1 or H×W×3 are refused', async () => {
    const issue = await failure(() => loadImageFolder(folder('', { a: 1, b: 1 }), { ...base, shape: [28, 28, 2] }));
    expect(issue).toMatchObject({ code: 'data-bad-shape', values: { shape: '28×28×2' } });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const slow: ImageDecoder = async (...args) => {
      controller.abort();
      return fakeDecoder(...args);
    };
    await expect(loadImageFolder(folder('', { a: 5, b: 5 }), { ...base, decode: slow, signal: controller.signal, concurrency: 1 })).rejects.toThrow();
  });
});

describe('loadImageFolder: inputs', () => {
  const zipOf = (files: Record<string, string>) =>
    zipSync(Object.fromEntries(Object.entries(files).map(([p, c]) => [p, p.endsWith('/') ? new Uint8Array(0) : text(c)])));

  it('reads a .zip with or without a top folder, ignoring macOS clutter', async () => {
    const flat = zipOf({ 'a/1.png': 'gray:10', 'a/2.png': 'gray:10', 'b/1.png': 'gray:20', '__MACOSX/a/._1.png': 'junk' });
    const r1 = await loadImageFolder(flat, base);
    expect(r1.dataset.classes).toEqual(['a', 'b']);
    expect(r1.perClass).toEqual([2, 1]);
    expect(r1.warnings).toEqual([]);
    const rooted = zipOf({ 'data/': '', 'data/x/1.png': 'gray:10', 'data/y/1.png': 'gray:20', 'data/y/2.jpg': 'gray:20' });
    const r2 = await loadImageFolder(new File([rooted as Uint8Array<ArrayBuffer>], 'animals.zip'), base);
    expect(r2.dataset.classes).toEqual(['x', 'y']);
    expect(r2.dataset.name).toBe('animals');
  });

  it('names an empty class folder listed in a zip', async () => {
    const zip = zipOf({ 'a/1.png': 'gray:10', 'b/1.png': 'gray:20', 'c/': '' });
    expect(await failure(() => loadImageFolder(zip, base))).toMatchObject({ code: 'data-empty-class', values: { name: 'c' } });
  });

  it('refuses a damaged zip and one that unpacks to too much', async () => {
    const damaged = await failure(() => loadImageFolder(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]), base));
    expect(damaged.code).toBe('data-zip');
    const big = zipOf({ 'a/1.png': 'gray:10'.padEnd(4000, ' '), 'b/1.png': 'gray:20'.padEnd(4000, ' ') });
    const tooBig = await failure(() => loadImageFolder(big, { ...base, maxZipBytes: 5000 }));
    expect(tooBig.code).toBe('data-too-large');
  });

  it('reads files picked from a folder by their webkitRelativePath, or a single dropped .zip file', async () => {
    const file = (rel: string, content: string) => {
      const f = new File([content], rel.split('/').pop()!);
      Object.defineProperty(f, 'webkitRelativePath', { value: rel });
      return f;
    };
    const r = await loadImageFolder([file('set/a/1.png', 'gray:10'), file('set/b/1.png', 'gray:20'), file('set/b/2.png', 'gray:20')], base);
    expect(r.dataset.name).toBe('set');
    expect(r.perClass).toEqual([1, 2]);
    const zip = new File([zipOf({ 'a/1.png': 'gray:10', 'b/1.png': 'gray:20' }) as Uint8Array<ArrayBuffer>], 'mine.zip');
    expect((await loadImageFolder([zip], base)).dataset.classes).toEqual(['a', 'b']);
  });

  it('decodes real PNGs, resizing to the Input and turning colour to gray', async () => {
    // 8×8 RGB: red background with a white 4×4 square in the top-left quarter.
    const rgb = new Uint8Array(8 * 8 * 3);
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) rgb.set(x < 4 && y < 4 ? [255, 255, 255] : [255, 0, 0], (y * 8 + x) * 3);
    }
    const png = encode({ width: 8, height: 8, data: rgb, channels: 3, depth: 8 });
    const broken = png.slice(0, 40);
    const zip = zipSync({ 'r/a/1.png': png, 'r/b/1.png': png, 'r/b/2.png': broken });
    const r = await loadImageFolder(zip, { shape: [2, 2, 1], decode: pngImageDecoder, validationFraction: 0 });
    expect(r.skipped.undecodable).toEqual(['r/b/2.png']);
    expect(r.dataset.train.n).toBe(2);
    // 2×2: the white quarter stays white, the red ones become red's luma (0.299·255 ≈ 76).
    expect([...r.dataset.train.x.subarray(0, 4)]).toEqual([255, 76, 76, 76]);
    const color = await loadImageFolder(zip, { shape: [2, 2, 3], decode: pngImageDecoder, validationFraction: 0 });
    expect([...color.dataset.train.x.subarray(0, 6)]).toEqual([255, 255, 255, 255, 0, 0]);
  });

  it('reports the sizes and colours it found before resizing: mixed sizes, some colour', async () => {
    const img = (w: number, h: number, channels: 1 | 3) => encode({ width: w, height: h, data: new Uint8Array(w * h * channels), channels, depth: 8 });
    const zip = zipSync({ 'r/a/1.png': img(20, 20, 1), 'r/a/2.png': img(64, 48, 3), 'r/b/1.png': img(28, 28, 1), 'r/b/2.png': img(28, 28, 1) });
    const r = await loadImageFolder(zip, { shape: [28, 28, 1], decode: pngImageDecoder, validationFraction: 0 });
    expect(r.found).toEqual({ minHeight: 20, maxHeight: 48, minWidth: 20, maxWidth: 64, sizes: 3, color: 1, gray: 3, colorUnknown: 0, unreadable: 0 });
  });
});
