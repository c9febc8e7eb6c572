/**
 * The packed image file ("NCDS", NetCanvas dataset split): one split of one dataset, uint8 throughout,
 * shipped gzip-compressed (`*.ncds.gz`) and inflated by the browser's own DecompressionStream.
 *
 *   offset  size      field
 *   0       4         magic "NCDS"
 *   4       1         format version (1)
 *   5       1         channels C
 *   6       2         height H            (little-endian, as every multi-byte field)
 *   8       2         width W
 *   10      2         number of classes K (every label is < K)
 *   12      4         number of images N
 *   16      N·H·W·C   pixels, image after image, row-major, channels-last, 0 = black … 255 = white
 *   …       N         labels, one byte each
 *
 * Pixels before labels keeps each block homogeneous, which deflate compresses better than interleaving.
 */
import { gunzipSync } from 'fflate';
import type { ImageShape } from './types.ts';

export const NCDS_MAGIC = 'NCDS';
export const NCDS_VERSION = 1;
export const NCDS_HEADER_BYTES = 16;

export interface PackedSplit {
  readonly shape: ImageShape;
  readonly classes: number;
  readonly n: number;
  readonly x: Uint8Array;
  readonly y: Uint8Array;
}

export function encodePacked(split: PackedSplit): Uint8Array {
  const [h, w, c] = split.shape;
  const size = h * w * c;
  if (split.x.length !== split.n * size) throw new Error(`pixels: ${split.x.length} values for ${split.n} images of ${h}×${w}×${c}`);
  if (split.y.length !== split.n) throw new Error(`labels: ${split.y.length} for ${split.n} images`);
  const out = new Uint8Array(NCDS_HEADER_BYTES + split.n * (size + 1));
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = NCDS_MAGIC.charCodeAt(i);
  out[4] = NCDS_VERSION;
  out[5] = c;
  view.setUint16(6, h, true);
  view.setUint16(8, w, true);
  view.setUint16(10, split.classes, true);
  view.setUint32(12, split.n, true);
  out.set(split.x, NCDS_HEADER_BYTES);
  out.set(split.y, NCDS_HEADER_BYTES + split.n * size);
  return out;
}

/** Parses and checks a packed split; throws an Error that says what is wrong (the caller names the file). */
export function decodePacked(bytes: Uint8Array): PackedSplit {
  if (bytes.length < NCDS_HEADER_BYTES) throw new Error(`only ${bytes.length} bytes, shorter than the header`);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== NCDS_MAGIC) throw new Error(`it starts with "${magic}", not "${NCDS_MAGIC}"`);
  if (bytes[4] !== NCDS_VERSION) throw new Error(`format version ${bytes[4]} (this app reads ${NCDS_VERSION})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const c = bytes[5];
  const h = view.getUint16(6, true);
  const w = view.getUint16(8, true);
  const classes = view.getUint16(10, true);
  const n = view.getUint32(12, true);
  if (h === 0 || w === 0 || c === 0) throw new Error(`image shape ${h}×${w}×${c} is empty`);
  if (classes === 0) throw new Error('zero classes');
  const size = h * w * c;
  const expected = NCDS_HEADER_BYTES + n * (size + 1);
  if (bytes.length !== expected) {
    throw new Error(`${bytes.length} bytes, but ${n} images of ${h}×${w}×${c} with labels need ${expected}`);
  }
  const x = bytes.subarray(NCDS_HEADER_BYTES, NCDS_HEADER_BYTES + n * size);
  const y = bytes.subarray(NCDS_HEADER_BYTES + n * size);
  for (let i = 0; i < n; i++) {
    if (y[i] >= classes) throw new Error(`image ${i} has label ${y[i]}, but there are only ${classes} classes`);
  }
  return { shape: [h, w, c], classes, n, x, y };
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates gzip data with the platform's DecompressionStream (browsers, workers, Node ≥ 18), falling back
 * to fflate where it is missing. Bytes that are not gzip pass through unchanged: a server that sends
 * `.gz` files with `Content-Encoding: gzip` has already had the browser inflate them.
 */
export async function maybeGunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  if (typeof DecompressionStream === 'undefined') return gunzipSync(bytes);
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
