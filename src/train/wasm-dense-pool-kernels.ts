/**
 * Dense-layer, pooling and gather kernels for WASM training (see wasm-kernels.ts for the why and the
 * measurements): faster replacements for BatchMatMul with transposed operands, Tanh, MaxPoolGrad and
 * AvgPoolGrad, and the missing UnsortedSegmentSum.
 */
import * as tf from '@tensorflow/tfjs';
import {
  type Backend,
  type KernelArgs,
  type Pad,
  type Rounding,
  type Shape4,
  type TensorInfo,
  heapView,
  requireFloat,
  scoped,
  shippedKernel,
  writeOutput,
} from './wasm-kernel-scope.ts';

/** Transposed operands made explicit, so that unbatched products reach XNNPACK. */
export function batchMatMul(args: KernelArgs): TensorInfo {
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
  const native = shippedKernel(tf.BatchMatMul);
  if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') return native(args) as TensorInfo;
  return scoped(args.backend as Backend, (s) => {
    const swapLast = (t: TensorInfo) => {
      const perm = t.shape.map((_, i) => i);
      perm.push(...perm.splice(-2).reverse());
      return s.transpose(t, perm);
    };
    const a2 = transposeA ? swapLast(a) : a;
    const b2 = transposeB ? swapLast(b) : b;
    return s.run(native, { a: a2, b: b2 }, { transposeA: false, transposeB: false });
  });
}

/** tanh(x) = 2·sigmoid(2x) − 1, on WASM's vectorised Sigmoid. */
export function tanh(args: KernelArgs): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  if (x.dtype !== 'float32') return shippedKernel(tf.Tanh)(args) as TensorInfo;
  return scoped(args.backend as Backend, (s) => {
    const two = s.scalar(2);
    const sig = s.run(tf.Sigmoid, { x: s.run(tf.Multiply, { a: x, b: two }) });
    return s.run(tf.Sub, { a: s.run(tf.Multiply, { a: sig, b: two }), b: s.scalar(1) });
  });
}

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: Pad;
  dimRoundingMode?: Rounding;
}

/**
 * The gradient goes to the first maximum of each window in row-major order, as on the CPU backend
 * (positions outside the input never win). A loop over the heap: WASM's own is 40× slower than the
 * forward pooling.
 */
export function maxPoolGrad({ inputs, backend: be, attrs }: KernelArgs): TensorInfo {
  const backend = be as Backend;
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const a = attrs as unknown as PoolAttrs;
  requireFloat('MaxPoolGrad', dy, input);
  const info = tf.backend_util.computePool2DInfo(input.shape as Shape4, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { effectiveFilterHeight: kh, effectiveFilterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const dx = new Float32Array(batchSize * h * w * c);
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  const xv = heapView(backend, input) as Float32Array;
  const dyv = heapView(backend, dy) as Float32Array;
  for (let b = 0; b < batchSize; b++) {
    for (let y = 0; y < oh; y++) {
      for (let z = 0; z < ow; z++) {
        best.fill(-Infinity);
        where.fill(-1);
        for (let i = 0; i < kh; i += dh) {
          const ih = y * sh + i - info.padInfo.top;
          if (ih < 0 || ih >= h) continue;
          for (let j = 0; j < kw; j += dw) {
            const iw = z * sw + j - info.padInfo.left;
            if (iw < 0 || iw >= w) continue;
            const base = ((b * h + ih) * w + iw) * c;
            for (let k = 0; k < c; k++) {
              const v = xv[base + k];
              if (v > best[k]) {
                best[k] = v;
                where[k] = base + k;
              }
            }
          }
        }
        const dyBase = ((b * oh + y) * ow + z) * c;
        for (let k = 0; k < c; k++) if (where[k] >= 0) dx[where[k]] += dyv[dyBase + k];
      }
    }
  }
  return writeOutput(backend, dx, input.shape, 'float32');
}

/** Non-overlapping, unpadded windows (the usual 2×2 stride 2): dy spread evenly by one broadcast product. */
export function avgPoolGrad(args: KernelArgs): TensorInfo {
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const a = args.attrs as unknown as PoolAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as Shape4, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo: p } = info;
  const tiles = kh === sh && kw === sw && p.top === 0 && p.left === 0 && p.bottom === 0 && p.right === 0;
  if (!tiles || dy.dtype !== 'float32') return shippedKernel(tf.AvgPoolGrad)(args) as TensorInfo;
  return scoped(args.backend as Backend, (s) => {
    const { batchSize: b, outHeight: oh, outWidth: ow, inChannels: c } = info;
    const share = writeOutput(s.backend, new Float32Array(kh * kw).fill(1 / (kh * kw)), [1, kh, 1, kw, 1], 'float32');
    const spread = s.run(tf.Multiply, { a: s.reshape(dy, [b * oh, 1, ow, 1, c]), b: s.keepUntilDisposed(share) });
    const dx = s.reshape(spread, [b, oh * kh, ow * kw, c]);
    // Rows and columns past the last window get no gradient.
    return s.padOrCrop(dx, [[0, 0], [0, info.inHeight - oh * kh], [0, info.inWidth - ow * kw], [0, 0]]);
  });
}

// ---------------------------------------------------------------------------------------------------
// UnsortedSegmentSum (the gradient of Gather): a loop over the rows, in the CPU backend's order.

export function unsortedSegmentSum({ inputs, backend: be, attrs }: KernelArgs): TensorInfo {
  const backend = be as Backend;
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as { numSegments: number };
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`wasm UnsortedSegmentSum: unsupported dtype ${x.dtype}`);
  const inner = tf.util.sizeFromShape(x.shape.slice(segmentIds.shape.length));
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  const ids = heapView(backend, segmentIds);
  const values = heapView(backend, x);
  for (let r = 0; r < ids.length; r++) {
    const seg = ids[r];
    if (seg < 0 || seg >= numSegments) continue; // TensorFlow drops out-of-range ids
    for (let i = 0; i < inner; i++) out[seg * inner + i] += values[r * inner + i];
  }
  return writeOutput(backend, out, outShape, x.dtype);
}
