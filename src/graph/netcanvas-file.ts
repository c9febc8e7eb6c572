/**
 * The `.netcanvas` file: a zip holding `design.json` (the design file as `serializeDesign` writes it, without
 * inline weights) and, when the design has trained weights, `weights.safetensors` (safetensors.ts). Both
 * entries are stored, not deflated (float32 noise does not compress, and a stored entry can be read a
 * tensor at a time). Writing gives chunks that view the tensors' memory (fflate's streaming Zip); reading
 * goes through the central directory of a ByteSource, so a 553 MB VGG-16 is never one buffer or string.
 * The design format version is the JSON's own: this wrapper adds none.
 */
import { inflateSync, strToU8, Zip, ZipPassThrough } from 'fflate';
import type { ByteSource } from './byte-source.ts';
import { flattenDesign } from './blocks.ts';
import { parseDesign, serializeDesign, type ParseResult } from './file-format.ts';
import { inferShapes } from './infer.ts';
import type { Issue } from './messages.ts';
import { readDesignWeights, readSafetensorsHeader, safetensorsChunks } from './safetensors.ts';
import type { Design } from './types.ts';
import type { DesignWeights } from './weights.ts';

export const DESIGN_ENTRY = 'design.json';
export const WEIGHTS_ENTRY = 'weights.safetensors';
/**
 * Without zip64 a zip stops at 4 GiB; 2 GiB is nearly four times VGG-16 with weights (553 MB) and keeps every
 * offset a safe 32-bit number. The design.json inside stays under the plain design file's limit.
 */
export const MAX_CONTAINER_MB = 2048;
export const MAX_DESIGN_ENTRY_BYTES = 64 * 1024 * 1024;

export { isNetcanvasName, startsLikeZip } from './byte-source.ts';

/** The .netcanvas file as chunks in order (for a Blob, or a file stream); the weights are not copied. */
export function netcanvasChunks(design: Design, weights?: DesignWeights | null): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  let done = false;
  const zip = new Zip((e, chunk, final) => {
    if (e) failure = e;
    else chunks.push(chunk);
    if (final) done = true;
  });
  const add = (name: string, parts: readonly Uint8Array[]) => {
    const entry = new ZipPassThrough(name);
    zip.add(entry);
    parts.forEach((part, i) => entry.push(part, i === parts.length - 1));
    if (parts.length === 0) entry.push(new Uint8Array(0), true);
  };
  add(DESIGN_ENTRY, [strToU8(serializeDesign(design))]);
  if (weights) add(WEIGHTS_ENTRY, safetensorsChunks(weights, { format: 'netcanvas', layout: 'keras' }));
  zip.end();
  // fflate passes stored data through synchronously; were that ever to change, fail loudly, not write half a file.
  if (failure) throw failure;
  if (!done) throw new Error('the zip writer did not finish synchronously');
  return chunks;
}

interface ZipEntry {
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
}

type Failure = { readonly ok: false; readonly errors: readonly Issue[] };
const fail = (code: Issue['code'], values: Issue['values']): Failure => ({ ok: false, errors: [{ severity: 'error', code, values }] });
const unreadable = (file: string, why: 'no-end' | 'directory' | 'entry' | 'zip64' | 'inflate', at = '') => fail('container-unreadable', { file, why, at });

const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;

/** The zip's entries by name, from its end record and central directory; every range checked against the size. */
async function readDirectory(src: ByteSource, file: string): Promise<Map<string, ZipEntry> | Failure> {
  const tailLength = Math.min(src.size, 22 + 0xffff);
  const tail = await src.read(src.size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 0x05 && tail[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return unreadable(file, 'no-end');
  const count = u16(tail, eocd + 10);
  const dirSize = u32(tail, eocd + 12);
  const dirOffset = u32(tail, eocd + 16);
  const eocdAt = src.size - tailLength + eocd;
  if (count === 0xffff || dirOffset === 0xffffffff) return unreadable(file, 'zip64');
  if (dirOffset + dirSize > eocdAt) return unreadable(file, 'directory', `1 of ${count}`);
  const dir = await src.read(dirOffset, dirSize);
  const entries = new Map<string, ZipEntry>();
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > dir.length || u32(dir, at) !== 0x02014b50) return unreadable(file, 'directory', `${i + 1} of ${count}`);
    const nameLength = u16(dir, at + 28);
    const next = at + 46 + nameLength + u16(dir, at + 30) + u16(dir, at + 32);
    if (next > dir.length) return unreadable(file, 'directory', `${i + 1} of ${count}`);
    const name = new TextDecoder().decode(dir.subarray(at + 46, at + 46 + nameLength));
    entries.set(name, { method: u16(dir, at + 10), compressedSize: u32(dir, at + 20), size: u32(dir, at + 24), localOffset: u32(dir, at + 42) });
    at = next;
  }
  return entries;
}

/** Where an entry's bytes start, past its local header; null when they would not fit in the file. */
async function entryData(src: ByteSource, entry: ZipEntry): Promise<number | null> {
  if (entry.localOffset + 30 > src.size) return null;
  const local = await src.read(entry.localOffset, 30);
  if (u32(local, 0) !== 0x04034b50) return null;
  const start = entry.localOffset + 30 + u16(local, 26) + u16(local, 28);
  return start + entry.compressedSize <= src.size ? start : null;
}

/**
 * Reads a .netcanvas file: the design as `parseDesign` reads it, and the weights that fit it (checked but not
 * loaded with `readWeights: false`). Any problem —
 * truncation, a bad safetensors header, offsets out of range, a dtype or shape that does not fit the design's
 * layer — is one error naming the file and the tensor, and nothing is loaded (the caller keeps its design).
 */
export async function readNetcanvas(src: ByteSource, file: string, options: { readonly readWeights?: boolean } = {}): Promise<ParseResult> {
  if (src.size > MAX_CONTAINER_MB * 2 ** 20) return fail('container-too-large', { file, size: Math.ceil(src.size / 2 ** 20), max: MAX_CONTAINER_MB });
  if (src.size < 22) return unreadable(file, 'no-end');
  const entries = await readDirectory(src, file);
  if (!(entries instanceof Map)) return entries;

  const designEntry = entries.get(DESIGN_ENTRY);
  if (!designEntry) return fail('container-entry-missing', { file, entry: DESIGN_ENTRY });
  if (designEntry.method !== 0 && designEntry.method !== 8) return fail('container-entry-compressed', { file, entry: DESIGN_ENTRY, method: designEntry.method });
  if (designEntry.size > MAX_DESIGN_ENTRY_BYTES || designEntry.compressedSize > MAX_DESIGN_ENTRY_BYTES) {
    return fail('container-too-large', { file: `${file} › ${DESIGN_ENTRY}`, size: Math.ceil(designEntry.size / 2 ** 20), max: MAX_DESIGN_ENTRY_BYTES / 2 ** 20 });
  }
  const designStart = await entryData(src, designEntry);
  if (designStart === null) return unreadable(file, 'entry', DESIGN_ENTRY);
  let designBytes = await src.read(designStart, designEntry.compressedSize);
  if (designEntry.method === 8) {
    try {
      designBytes = inflateSync(designBytes, { out: new Uint8Array(designEntry.size) });
    } catch (e) {
      return unreadable(file, 'inflate', DESIGN_ENTRY);
    }
  }
  const parsed = parseDesign(new TextDecoder().decode(designBytes));
  const weightsEntry = entries.get(WEIGHTS_ENTRY);
  if (!parsed.ok || !weightsEntry) return parsed;
  if (parsed.weights || parsed.warnings.some((w) => w.code === 'weights-dropped')) return fail('container-inline-weights', { file });

  if (weightsEntry.method !== 0) return fail('container-entry-compressed', { file, entry: WEIGHTS_ENTRY, method: weightsEntry.method });
  const weightsStart = await entryData(src, weightsEntry);
  if (weightsStart === null) return unreadable(file, 'entry', WEIGHTS_ENTRY);
  const weights = await readSafetensorsFor(parsed.design, src, weightsStart, weightsEntry.size, `${file} › ${WEIGHTS_ENTRY}`, options.readWeights ?? true);
  if (!weights.ok) return weights;
  return { ok: true, design: parsed.design, ...(weights.weights ? { weights: weights.weights } : {}), warnings: parsed.warnings };
}

/**
 * Weights for `design` from safetensors bytes at [base, base + length) of `src` (a .netcanvas entry, or a
 * whole .safetensors file: `netcanvas export design.json --weights w.safetensors`).
 */
export async function readSafetensorsFor(
  design: Design,
  src: ByteSource,
  base: number,
  length: number,
  file: string,
  readData = true,
): Promise<{ readonly ok: true; readonly weights: DesignWeights | null } | Failure> {
  const header = await readSafetensorsHeader(src, base, length, file);
  if (!header.ok) return { ok: false, errors: [header.issue] };
  const weights = await readDesignWeights(src, header.value, inferShapes(flattenDesign(design)), file, readData);
  return weights.ok ? { ok: true, weights: weights.value } : { ok: false, errors: [weights.issue] };
}
