/**
 * Training on tfjs's WASM backend. @tensorflow/tfjs-backend-wasm 4.22 has every forward kernel a CNN
 * needs but stops at the first convolution gradient ("Kernel 'Conv2DBackpropFilter' not registered for
 * backend 'wasm'"). `registerWasmTrainingKernels()` registers what is missing, fixes a forward bug, and
 * replaces the shipped kernels whose scalar loops made training slow. The browser worker calls it
 * through wasm-backend.ts; Node tests and scripts/bench-wasm-kernels.ts call it directly.
 *
 * Missing in 4.22 (found by training one small model per layer kind on 'wasm' in Node, and by diffing
 * the kernel lists of tfjs-backend-cpu and tfjs-backend-wasm), registered here:
 * - Conv2DBackpropFilter: the filter gradient of Conv2D, Conv1D, SeparableConv2D's pointwise step, and
 *   Conv2DTranspose (whose input gradient is a filter gradient too).
 * - DepthwiseConv2dNativeBackpropFilter and DepthwiseConv2dNativeBackpropInput: DepthwiseConv2D and
 *   SeparableConv2D.
 * - UnsortedSegmentSum: the gradient of Gather (Embedding, or a gather of any trainable tensor).
 * Everything else a CNN trains through exists on 'wasm': MaxPoolGrad, AvgPoolGrad, FusedBatchNorm and
 * the ops of its gradient, EluGrad, Relu6/LeakyRelu/Prelu/Selu/Sigmoid/Softplus/Erf (so gelu, swish and
 * mish), Softmax, ResizeNearestNeighborGrad, ResizeBilinearGrad, Concat/SplitV, PadV2, Reshape.
 *
 * Fixed (always): WASM's Conv2D, FusedConv2D, DepthwiseConv2dNative and FusedDepthwiseConv2D compute
 * 'same' padding wrongly when the filter or the strides are not square (a 3×1 filter, strides 1×2);
 * 'same' is turned into the explicit padding TensorFlow's rule gives, which WASM handles right.
 *
 * Replaced (option `fastOverrides`, on by default; same results within float rounding):
 * - Conv2DBackpropInput (a scalar loop in WASM, 3–15× slower): XNNPACK's convolution of the
 *   zero-stuffed dy with the flipped filter (depthwise and a sum when the input has one channel).
 * - BatchMatMul with a transposed operand (a scalar loop: only untransposed, unbatched products reach
 *   XNNPACK, and both gradients of every Dense layer are transposed products): transposed first.
 * - Tanh (libm per element, 10× slower than WASM's vectorised Sigmoid): 2·sigmoid(2x) − 1, absolute
 *   error ≤ 2.4e-7.
 * - MaxPoolGrad (2.5–40× slower than a JavaScript loop): a loop over the heap, first maximum wins as on
 *   the CPU backend. AvgPoolGrad for non-overlapping unpadded windows (the usual 2×2): one broadcast
 *   product.
 * - FusedBatchNorm's gradient (not a kernel: tfjs registers gradients for every backend at once): five
 *   full-size ops instead of about twelve and a Tile (batch-norm-grad.ts).
 *
 * How the kernels are built: from kernels the backend has, called through their registered kernel
 * functions with the backend (as tfjs's own kernels call each other), so no engine tensors appear and
 * every intermediate is freed before a kernel returns (wasm-kernel-scope.ts). The heavy lifting lands on
 * XNNPACK (measurements: scripts/bench-wasm-kernels.ts and the notes in wasm-conv-kernels.ts):
 * - Conv2DBackpropFilter is either one convolution, with the batch as channels and dy as the filter
 *   (dW[kh,kw,ci,co] = Σ x[b, oh·s + kh·d, ow·s + kw·d, ci] · dy[b,oh,ow,co] is x transposed to
 *   [Ci, H, W, B] convolved with dy transposed to [OH, OW, B, Co], stride d, dilation s), or im2col
 *   patches and one matrix product, chosen by shape. Both beat expanding to WASM's Conv3D filter
 *   gradient, a scalar loop that is moreover wrong for strides > 1.
 * - DepthwiseConv2dNativeBackpropFilter is a JavaScript loop over the heap: every XNNPACK formulation ran
 *   3–40× slower (its depthwise kernels are fast only for small filters, and the per-channel reduction
 *   is no matrix product).
 * - Input gradients are forward convolutions, which XNNPACK runs fast.
 *
 * Supported: NHWC, strides, 'valid', 'same' and explicit padding, dilations (wherever a kernel's
 * attributes carry them), depthwise channel multipliers. tfjs-core itself refuses gradients of dilated
 * convolutions on every backend (Conv2D's gradient asserts dilation 1; Conv2DBackpropFilter has no
 * dilation attribute), so dilations matter here for direct kernel calls only.
 *
 * No DOM and no worker APIs: this runs in the training worker, in Node tests and in the benchmark.
 */
import * as tf from '@tensorflow/tfjs';
// Registers the 'wasm' backend and its kernels (without initialising it) before ours are layered on.
import '@tensorflow/tfjs-backend-wasm';
import {
  conv2DBackpropFilter,
  conv2DBackpropInput,
  conv2DSame,
  depthwiseBackpropFilter,
  depthwiseBackpropInput,
  depthwiseSame,
  fusedConv2DSame,
  fusedDepthwiseSame,
} from './wasm-conv-kernels.ts';
import { fusedBatchNormGradConfig } from './batch-norm-grad.ts';
import { avgPoolGrad, batchMatMul, maxPoolGrad, tanh, unsortedSegmentSum } from './wasm-dense-pool-kernels.ts';
import { BACKEND, settings, shipped } from './wasm-kernel-scope.ts';

export interface WasmTrainingKernelOptions {
  /**
   * How Conv2DBackpropFilter is computed: 'conv', one XNNPACK convolution; 'im2col', patches and one
   * XNNPACK matrix product; 'auto' (default) picks one of those two by shape (see `pickFilterGrad`);
   * 'conv3d', WASM's Conv3DBackpropFilterV2 over a depth-1 volume (a scalar loop, and wrong for strides
   * > 1, so used only for unit strides; kept for the benchmark's comparison).
   */
  readonly conv2dFilterGrad?: 'auto' | 'conv' | 'im2col' | 'conv3d';
  /**
   * Replace the slow shipped Conv2DBackpropInput, BatchMatMul, Tanh, MaxPoolGrad, AvgPoolGrad, and
   * tfjs's FusedBatchNorm gradient (default true).
   */
  readonly fastOverrides?: boolean;
  /**
   * With `fastOverrides`: FusedBatchNorm's gradient in a few ops, and the input gradient's filter
   * flipped by one loop over the heap rather than WASM's Reverse and Transpose (default true; false is
   * the variant before them, kept for the benchmark's comparison).
   */
  readonly fewOpBackward?: boolean;
  /** im2col only: the most float32 elements of a patch matrix built at once (larger batches are chunked). */
  readonly maxPatchElements?: number;
}

const DEFAULTS: Required<WasmTrainingKernelOptions> = {
  conv2dFilterGrad: 'auto',
  fastOverrides: true,
  fewOpBackward: true,
  maxPatchElements: 8 * 1024 * 1024,
};

/** The kernels 4.22 lacks; registered on every call. */
export const WASM_MISSING_TRAINING_KERNELS = [
  tf.Conv2DBackpropFilter,
  tf.DepthwiseConv2dNativeBackpropFilter,
  tf.DepthwiseConv2dNativeBackpropInput,
  tf.UnsortedSegmentSum,
] as const;

/** Shipped kernels replaced while `fastOverrides` is on. */
export const WASM_OVERRIDDEN_KERNELS = [tf.Conv2DBackpropInput, tf.BatchMatMul, tf.Tanh, tf.MaxPoolGrad, tf.AvgPoolGrad] as const;

/** Shipped forward kernels wrapped always, to fix their 'same' padding. */
export const WASM_FIXED_KERNELS = [tf.Conv2D, tf.FusedConv2D, tf.DepthwiseConv2dNative, tf.FusedDepthwiseConv2D] as const;

let options: Required<WasmTrainingKernelOptions> = DEFAULTS;
/** tfjs's own FusedBatchNorm gradient, put back when `fastOverrides` or `fewOpBackward` is off. */
let shippedBatchNormGrad: tf.GradConfig | undefined;
let registered = false;

/**
 * Registers the missing training kernels, the 'same'-padding fix and (by default) the faster
 * replacements for the 'wasm' backend. Safe to call more than once, before or after the backend
 * initialises; a call with different options re-registers with those.
 */
export function registerWasmTrainingKernels(opts: WasmTrainingKernelOptions = {}): void {
  const next = { ...DEFAULTS, ...opts };
  if (registered && (Object.keys(next) as (keyof typeof next)[]).every((k) => next[k] === options[k])) return;
  options = next;
  settings.conv2dFilterGrad = next.conv2dFilterGrad;
  settings.maxPatchElements = next.maxPatchElements;
  settings.flipFilterOnHeap = next.fewOpBackward;

  const missing: [string, tf.KernelFunc][] = [
    [tf.Conv2DBackpropFilter, conv2DBackpropFilter],
    [tf.DepthwiseConv2dNativeBackpropFilter, depthwiseBackpropFilter],
    [tf.DepthwiseConv2dNativeBackpropInput, depthwiseBackpropInput],
    [tf.UnsortedSegmentSum, unsortedSegmentSum],
  ];
  for (const [kernelName, kernelFunc] of missing) {
    const current = tf.getKernel(kernelName, BACKEND);
    if (current?.kernelFunc === kernelFunc) continue;
    if (current != null) tf.unregisterKernel(kernelName, BACKEND);
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc });
  }

  const overrides: [string, tf.KernelFunc, boolean][] = [
    [tf.Conv2D, conv2DSame, true],
    [tf.FusedConv2D, fusedConv2DSame, true],
    [tf.DepthwiseConv2dNative, depthwiseSame, true],
    [tf.FusedDepthwiseConv2D, fusedDepthwiseSame, true],
    [tf.Conv2DBackpropInput, conv2DBackpropInput, options.fastOverrides],
    [tf.BatchMatMul, batchMatMul, options.fastOverrides],
    [tf.Tanh, tanh, options.fastOverrides],
    [tf.MaxPoolGrad, maxPoolGrad, options.fastOverrides],
    [tf.AvgPoolGrad, avgPoolGrad, options.fastOverrides],
  ];
  for (const [kernelName, kernelFunc, on] of overrides) setOverride(kernelName, kernelFunc, on);
  const current = tf.getGradient(tf.FusedBatchNorm);
  if (current !== fusedBatchNormGradConfig) shippedBatchNormGrad = current;
  if (shippedBatchNormGrad == null) throw new Error("wasm-kernels: tfjs has no gradient for 'FusedBatchNorm' to replace");
  tf.registerGradient(options.fastOverrides && options.fewOpBackward ? fusedBatchNormGradConfig : shippedBatchNormGrad);
  registered = true;
}

function setOverride(kernelName: string, kernelFunc: tf.KernelFunc, on: boolean): void {
  const current = tf.getKernel(kernelName, BACKEND);
  if (current != null && current.kernelFunc !== kernelFunc) shipped.set(kernelName, current);
  const original = shipped.get(kernelName);
  if (original == null) throw new Error(`wasm-kernels: the wasm backend has no '${kernelName}' to replace`);
  const isOurs = current?.kernelFunc === kernelFunc;
  if (on === isOurs) return;
  tf.unregisterKernel(kernelName, BACKEND);
  // Ours keeps the shipped setup (the backend runs it on initialisation; ours calls the shipped kernel).
  tf.registerKernel(on ? { ...original, kernelFunc } : original);
  // A backend initialised under ours never ran the shipped setup. (tf.findBackend would start
  // initialising the backend, so the engine's registry of initialised backends is asked instead.)
  const backend = tf.engine().registry[BACKEND];
  if (!on && backend != null) original.setupFunc?.(backend);
}
