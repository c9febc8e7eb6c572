/**
 * NumPy's .npy and .npz formats, written in the browser: an .npz is a zip (stored, not compressed) of
 * .npy files, and `numpy.load` reads it with `allow_pickle=False`. Also the axis permutation the exporters
 * use to move Keras layouts to others (numpy.transpose).
 */
import { Zip, ZipPassThrough } from 'fflate';
import { concatBytes } from '../graph/byte-source.ts';

export interface NdArray {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** An array whose values come as consecutive pieces, made as they are read (see transposeSlabs). */
export interface NdPieces {
  readonly shape: readonly number[];
  readonly pieces: Iterable<Float32Array>;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The header of a version 1.0 .npy file (float32, little-endian, C order), padded so the data starts 64-aligned. */
function npyHeader(shape: readonly number[]): Uint8Array {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`;
  // The data starts on a 64-byte boundary: magic (6) + version (2) + length (2) + header ending in \n.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  return out;
}

/** Values as little-endian bytes: a view of their own memory on little-endian hosts. */
function dataBytes(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

/** One array as a .npy file. */
export function npy(array: NdArray): Uint8Array {
  const header = npyHeader(array.shape);
  const out = new Uint8Array(header.length + array.data.length * 4);
  out.set(header, 0);
  out.set(dataBytes(array.data), header.length);
  return out;
}

/**
 * Arrays by key as an .npz file, piece by piece: stored entries streamed through fflate from each array's
 * header and its own memory. Each array is made only when its turn comes (`() => NdArray`: a layout
 * change is a copy) and its bytes are handed on before the next is made, so a caller that writes each
 * piece out holds one converted array at a time, never the whole file (VGG-16: 553 MB).
 */
export function* npzChunks(arrays: Iterable<readonly [string, () => NdArray | NdPieces]>): Generator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let finished = false;
  const zip = new Zip((error, chunk, final) => {
    if (error) throw error;
    pending.push(chunk);
    if (final) finished = true;
  });
  const flush = function* () {
    const out = pending;
    pending = [];
    yield* out;
  };
  for (const [key, make] of arrays) {
    const array = make();
    const entry = new ZipPassThrough(`${key}.npy`);
    zip.add(entry);
    entry.push(npyHeader(array.shape));
    if ('data' in array) entry.push(dataBytes(array.data), true);
    else {
      for (const piece of array.pieces) {
        entry.push(dataBytes(piece));
        yield* flush();
      }
      entry.push(new Uint8Array(0), true);
    }
    yield* flush();
  }
  zip.end();
  // Stored entries pass through synchronously; anything else would be half a file.
  if (!finished) throw new Error('npz: the zip writer did not finish synchronously');
  yield* flush();
}

/** Arrays by key as one .npz file; `numpy.load(path)[key]` gives each back. */
export function npz(arrays: ReadonlyMap<string, NdArray>): Uint8Array {
  return concatBytes([...npzChunks([...arrays].map(([key, array]) => [key, () => array] as const))]);
}

/** numpy.transpose(array, perm): output axis i is input axis perm[i]. */
export function transpose(array: NdArray, perm: readonly number[]): NdArray {
  if (perm.every((p, i) => p === i) && perm.length === array.shape.length) return array;
  const [data] = transposeSlabs(array, perm, array.data.length);
  return { shape: perm.map((p) => array.shape[p]), data: data ?? new Float32Array(0) };
}

/**
 * numpy.transpose(array, perm) as consecutive pieces of the output (each a whole number of its rows, about
 * `slabValues` values), made as they are read: a writer that hands each piece on holds one piece, not a
 * second copy of the array (VGG-16's first Dense kernel is 411 MB).
 */
export function* transposeSlabs(array: NdArray, perm: readonly number[], slabValues: number): Generator<Float32Array> {
  const { shape, data } = array;
  const rank = shape.length;
  if (perm.length !== rank || [...perm].sort().some((p, i) => p !== i)) {
    throw new Error(`transpose: ${JSON.stringify(perm)} is not a permutation of ${rank} axes`);
  }
  if (data.length === 0) return;
  if (perm.every((p, i) => p === i)) {
    for (let at = 0; at < data.length; at += slabValues) yield data.subarray(at, at + slabValues);
    return;
  }
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  const outShape = perm.map((p) => shape[p]);
  const strides = perm.map((p) => inStrides[p]);
  // The innermost output axis walks the source at a fixed stride; an odometer moves between rows.
  const inner = outShape[rank - 1];
  const innerStride = strides[rank - 1];
  const rowsPerSlab = Math.max(1, Math.floor(slabValues / inner));
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let start = 0; start < data.length; start += rowsPerSlab * inner) {
    const out = new Float32Array(Math.min(rowsPerSlab * inner, data.length - start));
    for (let o = 0; o < out.length; o += inner) {
      for (let j = 0, s = src; j < inner; j++, s += innerStride) out[o + j] = data[s];
      for (let axis = rank - 2; axis >= 0; axis--) {
        index[axis]++;
        src += strides[axis];
        if (index[axis] < outShape[axis]) break;
        src -= strides[axis] * outShape[axis];
        index[axis] = 0;
      }
    }
    yield out;
  }
}

/** The same values under another shape (row-major), checked for size. */
export function reshape(array: NdArray, shape: readonly number[]): NdArray {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== array.data.length) throw new Error(`reshape: ${array.data.length} values do not make [${shape.join(', ')}]`);
  return { shape: [...shape], data: array.data };
}
