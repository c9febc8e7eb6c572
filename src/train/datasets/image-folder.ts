/**
 * The user's own images: a dropped folder or a .zip with one sub-folder per class
 * (`root/cats/001.png`, `root/dogs/x.jpg`, or the same without `root/`). Images are decoded by an
 * injectable `ImageDecoder` (the browser's by default), resized to the Input's H×W×C, and split into
 * train and validation with a seed. Fatal problems throw a `DatasetError`; files that are merely skipped
 * (not images, undecodable, outside any class folder, too large) come back as counted warnings.
 */
import { unzipSync } from 'fflate';
import type { Issue } from '../../graph/messages.ts';
import { IMAGE_EXTENSIONS, browserImageDecoder, isImagePath, type ImageDecoder } from './decode-image.ts';
import { DatasetError, dataWarning, describe, examples } from './errors.ts';
import { readImageHeader, summarizeHeaders, type FoundImages, type ImageHeader } from './image-header.ts';
import { splitTrainValidation } from './split.ts';
import { MAX_CLASSES, formatImageShape, type DataSplit, type Dataset, type ImageShape } from './types.ts';

/** One file of the folder: its path inside the folder (any root included) and its bytes on demand. */
export interface FolderEntry {
  readonly path: string;
  readonly size: number;
  read(): Promise<Uint8Array>;
}

export interface ImageFolderOptions {
  /** The Input node's shape: H×W×1 (images turned gray) or H×W×3. */
  readonly shape: ImageShape;
  readonly decode?: ImageDecoder;
  /** Share of each class held out for validation (default 0.2), chosen with `seed` (default 1). */
  readonly validationFraction?: number;
  readonly seed?: number;
  /** Refuse more images than this (default 20,000): every image is held in memory. */
  readonly maxImages?: number;
  /** Skip single files larger than this many bytes (default 20 MB). */
  readonly maxFileBytes?: number;
  /** Refuse a .zip whose files unpack to more than this (default 1 GB). */
  readonly maxZipBytes?: number;
  /** Decodes in flight at once (default 4). */
  readonly concurrency?: number;
  readonly onProgress?: (p: { readonly loaded: number; readonly total: number }) => void;
  readonly signal?: AbortSignal;
  /** The dataset's name; default: the folder's or zip's name. */
  readonly name?: string;
}

export interface SkippedFiles {
  readonly notImage: readonly string[];
  readonly undecodable: readonly string[];
  readonly loose: readonly string[];
  readonly tooLarge: readonly string[];
}

export interface ImageFolderResult {
  /** `test` holds the validation share. */
  readonly dataset: Dataset;
  /** Images loaded per class (train + validation), in class order. */
  readonly perClass: readonly number[];
  readonly skipped: SkippedFiles;
  /** One warning per kind of skipped file, ready for `formatIssue`. */
  readonly warnings: readonly Issue[];
  /** The images' own sizes and colours, before resizing (null: no header could be read). */
  readonly found: FoundImages | null;
}

export type ImageFolderInput = readonly File[] | FileList | Blob | Uint8Array | ArrayBuffer | readonly FolderEntry[];

const MB = 1024 * 1024;

/** Loads a folder (files with webkitRelativePath), a single .zip (File, Blob or bytes), or prepared entries. */
export async function loadImageFolder(input: ImageFolderInput, options: ImageFolderOptions): Promise<ImageFolderResult> {
  checkShape(options.shape);
  const maxFileBytes = options.maxFileBytes ?? 20 * MB;
  const { entries, name } = await toEntries(input, options.maxZipBytes ?? 1024 * MB, maxFileBytes);
  return loadEntries(entries, { ...options, name: options.name ?? name });
}

function checkShape(shape: readonly number[]): void {
  const ok =
    shape.length === 3 &&
    shape.every((d) => Number.isInteger(d) && d >= 1) &&
    (shape[2] === 1 || shape[2] === 3) &&
    shape[0] <= 1024 &&
    shape[1] <= 1024;
  if (!ok) throw new DatasetError('data-bad-shape', { shape: formatImageShape(shape) });
}

function isEntryList(input: ImageFolderInput): input is readonly FolderEntry[] {
  return Array.isArray(input) && input.length > 0 && typeof (input[0] as FolderEntry).read === 'function';
}

function isZipName(name: string): boolean {
  return name.toLowerCase().endsWith('.zip');
}

async function toEntries(
  input: ImageFolderInput,
  maxZipBytes: number,
  maxFileBytes: number,
): Promise<{ entries: readonly FolderEntry[]; name: string }> {
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    return { entries: entriesFromZip(new Uint8Array(input), maxZipBytes, maxFileBytes), name: 'images' };
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    const name = typeof File !== 'undefined' && input instanceof File ? stripZip(input.name) : 'images';
    return { entries: entriesFromZip(new Uint8Array(await input.arrayBuffer()), maxZipBytes, maxFileBytes), name };
  }
  if (isEntryList(input)) return { entries: input, name: rootName(input.map((e) => e.path)) };
  const files = Array.from(input as ArrayLike<File>);
  if (files.length === 1 && isZipName(files[0].name)) {
    return {
      entries: entriesFromZip(new Uint8Array(await files[0].arrayBuffer()), maxZipBytes, maxFileBytes),
      name: stripZip(files[0].name),
    };
  }
  const entries = entriesFromFiles(files);
  return { entries, name: rootName(entries.map((e) => e.path)) };
}

function stripZip(name: string): string {
  return isZipName(name) ? name.slice(0, -4) : name;
}

function rootName(paths: readonly string[]): string {
  const first = paths.map(normalizePath).find((p) => p.includes('/'));
  return first ? first.slice(0, first.indexOf('/')) : 'images';
}

/** Files picked with `<input webkitdirectory>` or dropped: their folder path is `webkitRelativePath`. */
export function entriesFromFiles(files: readonly File[]): FolderEntry[] {
  return files.map((f) => ({
    path: f.webkitRelativePath || f.name,
    size: f.size,
    read: async () => new Uint8Array(await f.arrayBuffer()),
  }));
}

/**
 * The files of a zip. Only images no larger than `maxFileBytes` are inflated (their sizes come from the
 * zip's directory, checked against `maxZipBytes` first); the others are listed with their size so the
 * loader can report them, and never unpacked.
 */
export function entriesFromZip(bytes: Uint8Array, maxZipBytes: number, maxFileBytes = Infinity): FolderEntry[] {
  const listed: { path: string; size: number }[] = [];
  let wanted = 0;
  let unzipped: Record<string, Uint8Array>;
  try {
    // The filter runs over the zip's directory first; inflating starts only after it.
    unzipped = unzipSync(bytes, {
      filter: (f) => {
        listed.push({ path: f.name, size: f.originalSize });
        if (f.name.endsWith('/')) return false;
        const take = isImagePath(f.name) && !isJunk(normalizePath(f.name)) && f.originalSize <= maxFileBytes;
        if (take) {
          wanted += f.originalSize;
          if (wanted > maxZipBytes) {
            throw new DatasetError('data-too-large', { what: 'The unpacked .zip', size: Math.ceil(wanted / MB), max: Math.floor(maxZipBytes / MB) });
          }
        }
        return take;
      },
    });
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw new DatasetError('data-zip', { detail: describe(e) });
  }
  return listed.map(({ path, size }) => ({
    path,
    size,
    read: async () => {
      const data = unzipped[path];
      if (!data) throw new Error('not unpacked');
      return data;
    },
  }));
}

export function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');
}

/** System clutter that is never data and never worth a warning (macOS resource forks, thumbnails, VCS). */
function isJunk(path: string): boolean {
  return path.split('/').some((s) => s.startsWith('.') || s === '__MACOSX' || s === 'Thumbs.db' || s === 'desktop.ini');
}

const collator = new Intl.Collator('en', { numeric: true });

interface ClassPlan {
  readonly classes: string[];
  /** Per class, its image entries sorted by path (so the result never depends on listing order). */
  readonly members: FolderEntry[][];
  /** Folders at the class level that hold no image (only other files, or nothing). */
  readonly emptyClasses: string[];
  readonly skipped: { notImage: string[]; loose: string[]; tooLarge: string[] };
  /** The folders every image shares (the dropped folder, a zip's top folders). */
  readonly root: readonly string[];
}

/**
 * Finds the class folders: the first level at which the images' folders part ways. Everything above it is
 * the common root (the dropped folder, or a zip's single top folder); images directly in that root belong
 * to no class. Deeper sub-folders belong to their class. Entries whose path ends in "/" are folders (a
 * zip lists empty ones): they count only to spot a class folder without images.
 */
export function planClasses(entries: readonly FolderEntry[], maxFileBytes = Infinity): ClassPlan {
  const skipped = { notImage: [] as string[], loose: [] as string[], tooLarge: [] as string[] };
  const images: { entry: FolderEntry; parts: string[] }[] = [];
  /** Folder paths (as parts) of everything that is not a usable image. */
  const otherFolders: string[][] = [];
  for (const entry of entries) {
    const path = normalizePath(entry.path);
    if (path === '' || isJunk(path)) continue;
    if (path.endsWith('/')) {
      otherFolders.push(path.slice(0, -1).split('/'));
      continue;
    }
    const parts = path.split('/');
    if (!isImagePath(path)) skipped.notImage.push(path);
    else if (entry.size > maxFileBytes) skipped.tooLarge.push(path);
    else {
      images.push({ entry, parts });
      continue;
    }
    otherFolders.push(parts.slice(0, -1));
  }
  if (images.length === 0) return { classes: [], members: [], emptyClasses: [], skipped, root: [] };
  // Common root: the longest folder prefix shared by every image.
  let root = images[0].parts.length - 1;
  for (const { parts } of images) {
    let i = 0;
    while (i < root && i < parts.length - 1 && parts[i] === images[0].parts[i]) i++;
    root = i;
  }
  const rootParts = images[0].parts.slice(0, root);
  const byClass = new Map<string, FolderEntry[]>();
  for (const { entry, parts } of images) {
    if (parts.length - 1 <= root) {
      skipped.loose.push(parts.join('/'));
      continue;
    }
    const cls = parts[root];
    if (!byClass.has(cls)) byClass.set(cls, []);
    byClass.get(cls)!.push(entry);
  }
  const emptyClasses = new Set<string>();
  for (const folder of otherFolders) {
    if (folder.length > root && rootParts.every((p, i) => folder[i] === p) && !byClass.has(folder[root])) emptyClasses.add(folder[root]);
  }
  const classes = [...byClass.keys()].sort(collator.compare);
  const members = classes.map((c) => byClass.get(c)!.sort((a, b) => collator.compare(a.path, b.path)));
  return { classes, members, emptyClasses: [...emptyClasses].sort(collator.compare), skipped, root: rootParts };
}

export async function loadEntries(entries: readonly FolderEntry[], options: ImageFolderOptions): Promise<ImageFolderResult> {
  checkShape(options.shape);
  const shape = options.shape;
  const maxFileBytes = options.maxFileBytes ?? 20 * MB;
  const plan = planClasses(entries, maxFileBytes);
  const imageCount = plan.members.reduce((a, m) => a + m.length, 0);
  if (imageCount === 0 && plan.skipped.loose.length === 0 && plan.skipped.notImage.length > 0) {
    throw new DatasetError('data-no-images', { count: plan.skipped.notImage.length, formats: IMAGE_EXTENSIONS.join(', ') });
  }
  if (plan.emptyClasses.length > 0) throw new DatasetError('data-empty-class', { name: plan.emptyClasses[0] });
  // Every image in one folder inside another (data/cats/…): that folder is the only class. One level
  // (photos/…) is the chosen folder itself, flat.
  if (plan.classes.length === 0 && plan.root.length >= 2) throw new DatasetError('data-one-class', { name: plan.root[plan.root.length - 1] });
  if (plan.classes.length === 0) throw new DatasetError('data-no-class-folders', { count: entries.length });
  if (plan.classes.length === 1) throw new DatasetError('data-one-class', { name: plan.classes[0] });
  if (plan.classes.length > MAX_CLASSES) throw new DatasetError('data-too-many-classes', { count: plan.classes.length, max: MAX_CLASSES });
  const maxImages = options.maxImages ?? 20_000;
  if (imageCount > maxImages) throw new DatasetError('data-too-many-files', { count: imageCount, max: maxImages });

  const decode = options.decode ?? browserImageDecoder;
  const perImage = shape[0] * shape[1] * shape[2];
  const jobs = plan.members.flatMap((m, cls) => m.map((entry) => ({ entry, cls })));
  const decoded: (Uint8Array | null)[] = new Array(jobs.length).fill(null);
  const headers: (ImageHeader | null)[] = new Array(jobs.length).fill(null);
  const undecodable: string[] = [];
  let done = 0;
  options.onProgress?.({ loaded: 0, total: jobs.length });
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      options.signal?.throwIfAborted();
      const { entry } = jobs[i];
      try {
        const bytes = await entry.read();
        headers[i] = readImageHeader(bytes);
        const pixels = await decode(bytes, normalizePath(entry.path), shape);
        if (pixels.length !== perImage) throw new Error(`decoder returned ${pixels.length} values, expected ${perImage}`);
        decoded[i] = pixels;
      } catch (e) {
        if (options.signal?.aborted) throw e;
        undecodable.push(normalizePath(entry.path));
      }
      done++;
      options.onProgress?.({ loaded: done, total: jobs.length });
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency ?? 4, jobs.length));
  await Promise.all(Array.from({ length: lanes }, worker));
  options.signal?.throwIfAborted();

  const perClass = new Array<number>(plan.classes.length).fill(0);
  jobs.forEach((job, i) => {
    if (decoded[i]) perClass[job.cls]++;
  });
  const empty = perClass.findIndex((n) => n === 0);
  if (empty >= 0) throw new DatasetError('data-empty-class', { name: plan.classes[empty] });

  const n = perClass.reduce((a, b) => a + b, 0);
  const all: DataSplit = { x: new Uint8Array(n * perImage), y: new Uint8Array(n), n };
  let at = 0;
  jobs.forEach((job, i) => {
    const pixels = decoded[i];
    if (!pixels) return;
    (all.x as Uint8Array).set(pixels, at * perImage);
    all.y[at] = job.cls;
    at++;
  });
  const { train, validation } = splitTrainValidation(all, plan.classes.length, options.validationFraction ?? 0.2, options.seed ?? 1);

  undecodable.sort(collator.compare);
  const skipped: SkippedFiles = { ...plan.skipped, undecodable };
  const warnings: Issue[] = [];
  const warn = (code: Parameters<typeof dataWarning>[0], names: readonly string[], extra: Record<string, number> = {}) => {
    if (names.length > 0) warnings.push(dataWarning(code, { count: names.length, examples: examples(names), ...extra }));
  };
  warn('data-skipped-not-image', skipped.notImage);
  warn('data-skipped-undecodable', skipped.undecodable);
  warn('data-skipped-loose', skipped.loose);
  warn('data-skipped-large', skipped.tooLarge, { max: Math.floor(maxFileBytes / MB) });

  return {
    dataset: {
      name: options.name ?? 'images',
      shape: [shape[0], shape[1], shape[2]],
      classes: plan.classes,
      train,
      test: validation,
      source: 'folder',
    },
    perClass,
    skipped,
    warnings,
    found: summarizeHeaders(headers.filter((_, i) => decoded[i] !== null)),
  };
}
