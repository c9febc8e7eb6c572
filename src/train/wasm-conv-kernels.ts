/**
 * Convolution kernels for WASM training (see wasm-kernels.ts for the why and the measurements): the
 * filter and input gradients, built on XNNPACK's convolution and matrix product, and the fix for the
 * shipped forward convolutions' 'same' padding.
 */
import * as tf from '@tensorflow/tfjs';
import {
  type Backend,
  type Conv2DInfo,
  type ConvAttrs,
  type KernelArgs,
  type Scope,
  type Shape4,
  type TensorInfo,
  heapView,
  requireFloat,
  requireNHWC,
  scoped,
  settings,
  shippedKernel,
  writeOutput,
} from './wasm-kernel-scope.ts';

// ---------------------------------------------------------------------------------------------------
// Conv2DBackpropFilter

export function conv2DBackpropFilter({ inputs, backend: be, attrs }: KernelArgs): TensorInfo {
  const backend = be as Backend;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as ConvAttrs & { filterShape: Shape4 };
  requireNHWC('Conv2DBackpropFilter', a.dataFormat);
  requireFloat('Conv2DBackpropFilter', x, dy);
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, a.filterShape, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode);
  // WASM's Conv3DBackpropFilterV2 is wrong for strides > 1 (measured against the CPU backend).
  const unitSteps = [info.dilationHeight, info.dilationWidth, info.strideHeight, info.strideWidth].every((v) => v === 1);
  if (settings.conv2dFilterGrad === 'conv3d' && unitSteps) return filterGradConv3d(backend, x, dy, info);
  const strategy = settings.conv2dFilterGrad === 'auto' || settings.conv2dFilterGrad === 'conv3d' ? pickFilterGrad(info) : settings.conv2dFilterGrad;
  return strategy === 'im2col' ? filterGradIm2col(backend, x, dy, info) : filterGradConv(backend, x, dy, info);
}

/**
 * Which filter gradient is faster, by a rule fitted to timings in Node (scripts/bench-wasm-kernels.ts
 * and shapes from LeNet, the MNIST CNN, MobileNet and ResNet blocks). The convolution wins broadly, but
 * XNNPACK slows down sharply once dy (its packed filter) passes a few MB, where im2col's patch matrix is
 * cheap to build: unit strides (strided slices are slow) and few patch rows. A 1×1 unit-stride filter's
 * gradient is a plain matrix product, im2col without the slicing.
 */
function pickFilterGrad(info: Conv2DInfo): 'conv' | 'im2col' {
  const unitStrides = info.strideHeight === 1 && info.strideWidth === 1;
  if (!unitStrides) return 'conv';
  const p = info.padInfo;
  const pointwise = info.filterHeight === 1 && info.filterWidth === 1 && p.top + p.bottom + p.left + p.right === 0;
  const dyElements = info.batchSize * info.outHeight * info.outWidth * info.outChannels;
  const patchRows = info.filterHeight * info.filterWidth * info.inChannels;
  return pointwise || (dyElements > 1 << 20 && patchRows <= 80) ? 'im2col' : 'conv';
}

/**
 * dW as one convolution: x transposed to [Ci, H, W, B] (Ci as the batch, B as the channels), convolved
 * with dy transposed to [OH, OW, B, Co], with stride = the dilation and dilation = the stride, gives
 * [Ci, KH, KW, Co]. The input is padded like the forward pass and cut to exactly the rows the filter
 * reaches, so the output is exactly KH × KW.
 */
function filterGradConv(backend: Backend, x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): TensorInfo {
  return scoped(backend, (s) => {
    const { filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow, padInfo } = info;
    const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
    const [, h, w] = x.shape;
    const bottom = (kh - 1) * dh + (oh - 1) * sh + 1 - h - padInfo.top;
    const right = (kw - 1) * dw + (ow - 1) * sw + 1 - w - padInfo.left;
    let xT = s.transpose(x, [3, 1, 2, 0]);
    if (bottom < 0 || right < 0) xT = s.padOrCrop(xT, [[0, 0], [0, Math.min(0, bottom)], [0, Math.min(0, right)], [0, 0]]);
    const f = s.transpose(dy, [1, 2, 0, 3]);
    const pad = [[0, 0], [padInfo.top, Math.max(0, bottom)], [padInfo.left, Math.max(0, right)], [0, 0]];
    const out = s.run(tf.Conv2D, { x: xT, filter: f }, { strides: [dh, dw], dilations: [sh, sw], pad, dataFormat: 'NHWC' });
    return s.transpose(out, [1, 2, 0, 3]);
  });
}

/** dW = patchesᵀ · dy on XNNPACK's matrix product, the patches built transposed ([taps·Ci, N]). */
function filterGradIm2col(backend: Backend, x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): TensorInfo {
  return scoped(backend, (s) => {
    const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co, outHeight: oh, outWidth: ow, padInfo } = info;
    const xT = s.padOrCrop(s.transpose(x, [3, 0, 1, 2]), [[0, 0], [0, 0], [padInfo.top, padInfo.bottom], [padInfo.left, padInfo.right]]);
    const perSample = Math.max(1, Math.floor(settings.maxPatchElements / (kh * kw * ci * oh * ow)));
    let acc: TensorInfo | undefined;
    for (let b0 = 0; b0 < info.batchSize; b0 += perSample) {
      const b1 = Math.min(info.batchSize, b0 + perSample);
      const n = (b1 - b0) * oh * ow;
      const taps: TensorInfo[] = [];
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const r = i * info.dilationHeight;
          const c = j * info.dilationWidth;
          const tap = s.stridedSlice(xT, [0, b0, r, c], [ci, b1, r + (oh - 1) * info.strideHeight + 1, c + (ow - 1) * info.strideWidth + 1], [1, 1, info.strideHeight, info.strideWidth]);
          taps.push(s.reshape(tap, [ci, n]));
        }
      }
      const patches = s.reshape(taps.length === 1 ? taps[0] : s.run(tf.Concat, taps, { axis: 0 }), [1, kh * kw * ci, n]);
      const dyPart = s.stridedSlice(dy, [b0, 0, 0, 0], [b1, oh, ow, co], [1, 1, 1, 1]);
      const part = s.run(tf.BatchMatMul, { a: patches, b: s.reshape(dyPart, [1, n, co]) }, { transposeA: false, transposeB: false });
      acc = acc == null ? part : s.run(tf.Add, { a: acc, b: part });
    }
    return s.reshape(acc!, [kh, kw, ci, co]);
  });
}

/** dW as WASM's Conv3D filter gradient over a depth-1 volume (explicit padding applied beforehand). */
function filterGradConv3d(backend: Backend, x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): TensorInfo {
  return scoped(backend, (s) => {
    const { padInfo } = info;
    const [b, h, w, c] = x.shape;
    const x5 = s.padOrCrop(s.reshape(x, [b, 1, h, w, c]), [[0, 0], [0, 0], [padInfo.top, padInfo.bottom], [padInfo.left, padInfo.right], [0, 0]]);
    const dy5 = s.reshape(dy, [dy.shape[0], 1, ...dy.shape.slice(1)]);
    const dw = s.run(tf.Conv3DBackpropFilterV2, { x: x5, dy: dy5 }, {
      strides: [1, info.strideHeight, info.strideWidth], pad: 'valid',
      filterShape: [1, info.filterHeight, info.filterWidth, info.inChannels, info.outChannels],
    });
    return s.reshape(dw, [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels]);
  });
}

// ---------------------------------------------------------------------------------------------------
// DepthwiseConv2dNativeBackpropFilter: a loop over the heap, accumulating in float64.

export function depthwiseBackpropFilter({ inputs, backend: be, attrs }: KernelArgs): TensorInfo {
  const backend = be as Backend;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as ConvAttrs & { filterShape: Shape4 };
  requireFloat('DepthwiseConv2dNativeBackpropFilter', x, dy);
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, a.filterShape, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true);
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const m = info.outChannels / c;
  const cm = c * m;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const acc = new Float64Array(kh * kw * cm);
  // Views into the heap: nothing may allocate on the WASM heap until the loop is done.
  const xv = heapView(backend, x) as Float32Array;
  const dyv = heapView(backend, dy) as Float32Array;
  for (let b = 0; b < batchSize; b++) {
    for (let y = 0; y < oh; y++) {
      for (let z = 0; z < ow; z++) {
        const dyBase = ((b * oh + y) * ow + z) * cm;
        for (let i = 0; i < kh; i++) {
          const ih = y * sh + i * dh - top;
          if (ih < 0 || ih >= h) continue;
          for (let j = 0; j < kw; j++) {
            const iw = z * sw + j * dw - left;
            if (iw < 0 || iw >= w) continue;
            const xBase = ((b * h + ih) * w + iw) * c;
            const accBase = (i * kw + j) * cm;
            if (m === 1) {
              for (let k = 0; k < c; k++) acc[accBase + k] += xv[xBase + k] * dyv[dyBase + k];
            } else {
              for (let k = 0; k < c; k++) {
                const xk = xv[xBase + k];
                const o = k * m;
                for (let q = 0; q < m; q++) acc[accBase + o + q] += xk * dyv[dyBase + o + q];
              }
            }
          }
        }
      }
    }
  }
  return writeOutput(backend, Float32Array.from(acc), [kh, kw, c, m], 'float32');
}

// ---------------------------------------------------------------------------------------------------
// Input gradients: the forward convolution of the zero-stuffed dy with the flipped filter.

/**
 * dy zero-stuffed by the strides, with the padding (or cropping) that makes a stride-1 correlation with
 * the flipped filter, dilated like the original, yield exactly the input's height and width:
 * dx[i] = Σ_k dyz[i + pad − k·d] · w[k]. Padding is left to the convolution (XNNPACK pads for free);
 * only crops are applied here.
 */
function stuffedDy(s: Scope, dy: TensorInfo, info: Conv2DInfo): { z: TensorInfo; pad: tf.backend_util.ExplicitPadding } {
  const { strideHeight: sh, strideWidth: sw, padInfo } = info;
  const [b, oh, ow, k] = dy.shape;
  let z = dy;
  if (sh > 1 || sw > 1) {
    // [B·OH, 1, OW, 1, K] padded to [B·OH, sh, OW, sw, K]: each value followed by stride − 1 zeros.
    const padded = s.run(tf.PadV2, { x: s.reshape(dy, [b * oh, 1, ow, 1, k]) }, {
      paddings: [[0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0,
    });
    z = s.reshape(padded, [b, oh * sh, ow * sw, k]);
  }
  const top = (info.filterHeight - 1) * info.dilationHeight - padInfo.top;
  const left = (info.filterWidth - 1) * info.dilationWidth - padInfo.left;
  const bottom = info.inHeight + padInfo.top - z.shape[1];
  const right = info.inWidth + padInfo.left - z.shape[2];
  const crop = (v: number) => Math.min(0, v);
  const grow = (v: number) => Math.max(0, v);
  z = s.padOrCrop(z, [[0, 0], [crop(top), crop(bottom)], [crop(left), crop(right)], [0, 0]]);
  return { z, pad: [[0, 0], [grow(top), grow(bottom)], [grow(left), grow(right)], [0, 0]] };
}

/** Σ over the channel multiplier of a depthwise result [B, H, W, C·M] → [B, H, W, C]. */
function sumMultiplier(s: Scope, t: TensorInfo, c: number, m: number): TensorInfo {
  if (m === 1) return t;
  const [b, h, w] = t.shape;
  return s.run(tf.Sum, { x: s.reshape(t, [b, h, w, c, m]) }, { axis: [4], keepDims: false });
}

export function depthwiseBackpropInput({ inputs, backend: be, attrs }: KernelArgs): TensorInfo {
  const backend = be as Backend;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as ConvAttrs & { inputShape: Shape4 };
  requireFloat('DepthwiseConv2dNativeBackpropInput', dy, filter);
  const info = tf.backend_util.computeConv2DInfo(a.inputShape, filter.shape as Shape4, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true);
  return scoped(backend, (s) => {
    const [kh, kw, c, m] = filter.shape;
    const flipped = s.reshape(s.run(tf.Reverse, { x: filter }, { dims: [0, 1] }), [kh, kw, c * m, 1]);
    const { z, pad } = stuffedDy(s, dy, info);
    const dxm = s.run(tf.DepthwiseConv2dNative, { x: z, filter: flipped }, {
      strides: [1, 1], pad, dilations: [info.dilationHeight, info.dilationWidth],
    });
    return sumMultiplier(s, dxm, c, m);
  });
}

/**
 * The filter [KH, KW, Ci, Co] turned 180° in space and with its channels swapped, [KH, KW, Co, Ci], in
 * one pass over the heap: WASM's Reverse and Transpose are scalar loops that took longer than the
 * convolution itself on ResNet-18's 3×3×512×512 filters (Reverse 314 ms, Transpose 132 ms, the
 * convolution ≈ 200 ms, in Node under load).
 */
function flippedTransposed(backend: Backend, filter: TensorInfo): TensorInfo {
  const [kh, kw, ci, co] = filter.shape;
  const src = heapView(backend, filter) as Float32Array;
  const out = new Float32Array(src.length);
  // In 16×16 blocks of (Ci, Co): a plain double loop writes with a stride of Ci floats and missed the
  // cache on every write (3×3×512×512 in Node: 42 ms plain, 6–9 ms blocked).
  const B = 16;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = ((kh - 1 - i) * kw + (kw - 1 - j)) * ci * co;
      const to = (i * kw + j) * co * ci;
      for (let c0 = 0; c0 < ci; c0 += B) {
        const c1 = Math.min(ci, c0 + B);
        for (let o0 = 0; o0 < co; o0 += B) {
          const o1 = Math.min(co, o0 + B);
          for (let c = c0; c < c1; c++) {
            const row = from + c * co;
            for (let o = o0; o < o1; o++) out[to + o * ci + c] = src[row + o];
          }
        }
      }
    }
  }
  // Written after the loop: writing may grow the heap, which detaches `src`.
  return writeOutput(backend, out, [kh, kw, co, ci], 'float32');
}

export function conv2DBackpropInput({ inputs, backend: be, attrs }: KernelArgs): TensorInfo {
  const backend = be as Backend;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as ConvAttrs & { inputShape: Shape4 };
  requireNHWC('Conv2DBackpropInput', a.dataFormat);
  requireFloat('Conv2DBackpropInput', dy, filter);
  const info = tf.backend_util.computeConv2DInfo(a.inputShape, filter.shape as Shape4, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode);
  return scoped(backend, (s) => {
    const [kh, kw, ci, co] = filter.shape;
    const { z, pad } = stuffedDy(s, dy, info);
    const dilations = [info.dilationHeight, info.dilationWidth];
    const f = settings.flipFilterOnHeap
      ? s.keepUntilDisposed(flippedTransposed(backend, filter))
      : s.transpose(s.run(tf.Reverse, { x: filter }, { dims: [0, 1] }), [0, 1, 3, 2]); // [KH, KW, Co, Ci]
    if (ci === 1) {
      // One output channel wastes most of XNNPACK's matrix tile; a depthwise pass and a sum do not.
      const perChannel = s.run(tf.DepthwiseConv2dNative, { x: z, filter: s.reshape(f, [kh, kw, co, 1]) }, { strides: [1, 1], pad, dilations });
      const [b, h, w] = perChannel.shape;
      return s.reshape(s.run(tf.Sum, { x: perChannel }, { axis: [3], keepDims: false }), [b, h, w, 1]);
    }
    return s.run(tf.Conv2D, { x: z, filter: f }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations });
  });
}

// ---------------------------------------------------------------------------------------------------
// The shipped forward convolutions, with 'same' padding made explicit.

/**
 * WASM's forward convolutions compute 'same' padding wrongly when the filter or the strides are not
 * square (e.g. a 3×1 filter, or strides 1×2; measured against the CPU backend), while explicit padding
 * is right: so 'same' becomes the explicit padding TensorFlow's rule gives.
 */
function explicitSame(kernelName: string, depthwise: boolean): tf.KernelFunc {
  return (args) => {
    const shipped = shippedKernel(kernelName);
    const a = args.attrs as unknown as ConvAttrs;
    if (a.pad !== 'same') return shipped(args);
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    requireNHWC(kernelName, a.dataFormat);
    const { padInfo: p } = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filter.shape as Shape4, a.strides, a.dilations ?? 1, 'same', a.dimRoundingMode, depthwise);
    const pad = [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]];
    return shipped({ ...args, attrs: { ...args.attrs, pad } as unknown as tf.NamedAttrMap });
  };
}
export const conv2DSame = explicitSame(tf.Conv2D, false);
export const fusedConv2DSame = explicitSame(tf.FusedConv2D, false);
export const depthwiseSame = explicitSame(tf.DepthwiseConv2dNative, true);
export const fusedDepthwiseSame = explicitSame(tf.FusedDepthwiseConv2D, true);
