/**
 * Rearranging an array's values inside the array itself, so that an importer reorders a weight (OIHW →
 * HWIO, PyTorch's [out, in] Dense kernel → Keras's [in, out]) without a second buffer the size of the
 * weight: VGG-16's first Dense kernel alone is 411 MB, and a copy of it is what kept an import above twice
 * the model's weight bytes.
 *
 * Two tools. `transposeInPlace` (numpy.transpose's result, in place) splits any axis order into batched
 * matrix transposes, and each of those into three passes that only move values within a column or within
 * a row (Catanzaro, Keller & Garland, "A decomposition for in-place matrix transposition", PPoPP 2014):
 * rows and groups of columns go through a scratch of one row or a few columns, so memory is read in whole
 * cache lines, not at random. `permuteInPlace` follows the cycles of any permutation with one bit per value
 * marking those placed: general, but each step is a random access (several times slower on a large array).
 */

/** A permutation as "the value that belongs at destination j comes from source position sourceOf(j)". */
export type SourceOf = (j: number) => number;

/**
 * Moves blocks of `width` values: block `sourceOf(j)` to block j, for every block j of `data`, in place.
 * `sourceOf` must be a permutation of the block indices.
 */
export function permuteInPlace(data: Float32Array, sourceOf: SourceOf, width = 1): void {
  const n = data.length / width;
  const placed = new Uint32Array((n + 31) >>> 5);
  const first = new Float32Array(width);
  for (let start = 0; start < n; start++) {
    if (placed[start >>> 5] & (1 << (start & 31))) continue;
    first.set(data.subarray(start * width, start * width + width));
    let j = start;
    for (let steps = 0; ; steps++) {
      placed[j >>> 5] |= 1 << (j & 31);
      const k = sourceOf(j);
      if (k === start) {
        data.set(first, j * width);
        break;
      }
      // A mapping that is not a permutation would loop forever or lose values: stop at the first sign.
      if (steps >= n || placed[k >>> 5] & (1 << (k & 31))) throw new Error(`permuteInPlace: position ${k} is the source of two destinations (not a permutation)`);
      data.copyWithin(j * width, k * width, k * width + width);
      j = k;
    }
  }
}

const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Columns moved together by a column pass: 16 floats are one 64-byte cache line. */
const GROUP = 16;
/** Largest scratch (values) a column pass may take; a taller matrix follows its cycles instead. */
const MAX_SCRATCH = 1 << 20;

/** Columns a column pass moves together in a matrix of m rows (its scratch stays under MAX_SCRATCH). */
const groupFor = (m: number, width: number) => Math.max(1, Math.min(GROUP, Math.floor(MAX_SCRATCH / (m * width))));
/** Whether a row or a column group fits the scratch; if not, the matrix follows its cycles. */
const byPasses = (m: number, n: number, width: number) => m * width <= MAX_SCRATCH && n * width <= MAX_SCRATCH;

/** Copies `width` values. (A loop: a subarray per value would cost more than the copy.) */
function move(from: Float32Array, at: number, to: Float32Array, into: number, width: number): void {
  for (let w = 0; w < width; w++) to[into + w] = from[at + w];
}

/**
 * Transposes, in place, the row-major m×n matrix of blocks of `width` values that starts at `at`, into
 * the n×m matrix. Element (i, j) ends at q = j·m + i; with c = gcd(m, n) and b = n / c:
 * 1. each column j rotates down by ⌊j/b⌋ (so that step 2 is a permutation of each row; nothing when c = 1);
 * 2. each row moves every element to its final column q mod n;
 * 3. each column moves every element to its final row ⌊q / n⌋.
 */
function transposeMatrix(data: Float32Array, at: number, m: number, n: number, width: number, scratch: Float32Array, rows: Int32Array): void {
  if (m === 1 || n === 1) return;
  if (!byPasses(m, n, width)) {
    const matrix = data.subarray(at, at + m * n * width);
    return permuteInPlace(matrix, (d) => (d % m) * n + Math.floor(d / m), width);
  }
  const c = gcd(m, n);
  const b = n / c;
  const rowLen = n * width;
  const group = groupFor(m, width);
  const groupLen = group * width;
  // Steps 1 and 3: for `group` columns at a time, `rowOf` lists where the value in each row of column k goes.
  const columnPass = (rowOf: (k: number, into: Int32Array, from: number) => void) => {
    for (let k0 = 0; k0 < n; k0 += group) {
      const g = Math.min(group, n - k0);
      for (let kk = 0; kk < g; kk++) rowOf(k0 + kk, rows, kk * m);
      for (let r = 0; r < m; r++) {
        const row = at + r * rowLen + k0 * width;
        for (let kk = 0; kk < g; kk++) move(data, row + kk * width, scratch, rows[kk * m + r] * groupLen + kk * width, width);
      }
      for (let t = 0; t < m; t++) data.set(scratch.subarray(t * groupLen, t * groupLen + g * width), at + t * rowLen + k0 * width);
    }
  };
  if (c > 1) {
    columnPass((k, into, from) => {
      const s = Math.floor(k / b) % m;
      for (let i = 0; i < m; i++) into[from + i] = i + s < m ? i + s : i + s - m;
    });
  }
  for (let r = 0; r < m; r++) {
    const row = at + r * rowLen;
    for (let j = 0; j < n; j++) {
      // The value in column j of row r came from row i of the original (step 1 moved it down ⌊j/b⌋).
      let i = (r - Math.floor(j / b)) % m;
      if (i < 0) i += m;
      move(data, row + j * width, scratch, ((j * m + i) % n) * width, width);
    }
    data.set(scratch.subarray(0, rowLen), row);
  }
  columnPass((k, into, from) => {
    for (let t = 0; t < m; t++) {
      const q = k + t * n;
      const i = q % m;
      into[from + ((i + Math.floor((q - i) / m / b)) % m)] = t;
    }
  });
}

/**
 * numpy.transpose(array, perm), in place: `shape` is the array's shape now, `perm` as numpy takes it.
 * Axes are brought to the front one at a time, each move a batched matrix transpose (the axes between
 * swapped with the one wanted, the axes after it carried along as blocks). Extra memory: a few rows or
 * columns of the largest of those matrices, never the array.
 */
export function transposeInPlace(data: Float32Array, shape: readonly number[], perm: readonly number[]): void {
  const rank = shape.length;
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) throw new Error(`transposeInPlace: ${JSON.stringify(perm)} is not a permutation of ${rank} axes`);
  if (product(shape) !== data.length) throw new Error(`transposeInPlace: shape [${shape.join(', ')}] does not hold ${data.length} values`);
  const axes = [...perm.keys()];
  const dims = [...shape];
  const steps: [number, number][] = [];
  for (let p = 0; p < rank; p++) {
    const q = axes.indexOf(perm[p]);
    if (q === p) continue;
    steps.push([p, q]);
    axes.splice(p, 0, ...axes.splice(q, 1));
  }
  let scratchSize = 0;
  let rowsSize = 0;
  const plan = steps.map(([p, q]) => {
    const [batch, m, n, width] = [product(dims.slice(0, p)), product(dims.slice(p, q)), dims[q], product(dims.slice(q + 1))];
    dims.splice(p, 0, ...dims.splice(q, 1));
    if (byPasses(m, n, width)) {
      scratchSize = Math.max(scratchSize, n * width, m * width * groupFor(m, width));
      rowsSize = Math.max(rowsSize, m * groupFor(m, width));
    }
    return { batch, m, n, width };
  });
  const scratch = new Float32Array(scratchSize);
  const rows = new Int32Array(rowsSize);
  for (const { batch, m, n, width } of plan) {
    for (let a = 0; a < batch; a++) transposeMatrix(data, a * m * n * width, m, n, width, scratch, rows);
  }
}
