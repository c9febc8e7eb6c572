/**
 * Plumbing shared by the WASM training kernels (see wasm-kernels.ts): running WASM kernels on
 * TensorInfos without the engine, freeing intermediates, reading the heap, and the shipped kernels that
 * replacements call through.
 */
import * as tf from '@tensorflow/tfjs';

export type TensorInfo = tf.TensorInfo;
export type Backend = tf.KernelBackend;
export type Conv2DInfo = tf.backend_util.Conv2DInfo;
export type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
export type Rounding = 'floor' | 'round' | 'ceil';
export type KernelArgs = Parameters<tf.KernelFunc>[0];
export type Shape4 = [number, number, number, number];

export interface ConvAttrs {
  strides: number | [number, number];
  pad: Pad;
  dilations?: number | [number, number];
  dimRoundingMode?: Rounding;
  dataFormat?: string;
}

export const BACKEND = 'wasm';

/** What registerWasmTrainingKernels' options set for the kernels. */
export const settings: { conv2dFilterGrad: 'auto' | 'conv' | 'im2col' | 'conv3d'; maxPatchElements: number; flipFilterOnHeap: boolean } = {
  conv2dFilterGrad: 'auto',
  maxPatchElements: 8 * 1024 * 1024,
  flipFilterOnHeap: true,
};

/** The configs of shipped kernels that ours replace: ours call them, and they come back when turned off. */
export const shipped = new Map<string, tf.KernelConfig>();

export function shippedKernel(kernelName: string): tf.KernelFunc {
  const config = shipped.get(kernelName);
  if (config == null) throw new Error(`wasm-kernels: no shipped '${kernelName}'`);
  return config.kernelFunc;
}

/** The WASM backend's view of its heap: what the JavaScript loops read without copying. */
interface HeapBackend {
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export function heapView(backend: Backend, t: TensorInfo): Float32Array | Int32Array | Uint8Array {
  const b = backend as unknown as Partial<HeapBackend>;
  return b.typedArrayFromHeap ? b.typedArrayFromHeap(t) : (backend.readSync(t.dataId) as Float32Array);
}

export function writeOutput(backend: Backend, values: Float32Array | Int32Array, shape: number[], dtype: tf.DataType): TensorInfo {
  return { dataId: backend.write(values, shape, dtype), shape, dtype };
}

/**
 * Calls registered WASM kernels directly and remembers what they return, so that a kernel built from
 * several can free every intermediate (the backend counts references; reshapes share data).
 */
export class Scope {
  private readonly made: TensorInfo[] = [];
  constructor(readonly backend: Backend) {}

  run(kernel: string | tf.KernelFunc, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: object = {}): TensorInfo {
    const func = typeof kernel === 'string' ? tf.getKernel(kernel, BACKEND)?.kernelFunc : kernel;
    if (func == null) throw new Error(`wasm-kernels: the wasm backend lacks kernel '${String(kernel)}'`);
    const out = func({ inputs, backend: this.backend, attrs } as unknown as KernelArgs);
    if (Array.isArray(out)) throw new Error(`wasm-kernels: '${String(kernel)}' returned several tensors`);
    this.made.push(out);
    return out;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return sameShape(x.shape, shape) ? x : this.run(tf.Reshape, { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return perm.every((p, i) => p === i) ? x : this.run(tf.Transpose, { x }, { perm });
  }

  scalar(value: number): TensorInfo {
    return this.keepUntilDisposed(writeOutput(this.backend, new Float32Array([value]), [], 'float32'));
  }

  /** Frees `t` with the scope. */
  keepUntilDisposed(t: TensorInfo): TensorInfo {
    this.made.push(t);
    return t;
  }

  /** `paddings` may hold negative amounts: those crop. */
  padOrCrop(x: TensorInfo, paddings: [number, number][]): TensorInfo {
    let t = x;
    if (paddings.some(([lo, hi]) => lo < 0 || hi < 0)) {
      const begin = paddings.map(([lo]) => Math.max(0, -lo));
      const end = paddings.map(([, hi], i) => x.shape[i] - Math.max(0, -hi));
      t = this.stridedSlice(t, begin, end, begin.map(() => 1));
    }
    if (paddings.some(([lo, hi]) => lo > 0 || hi > 0)) {
      const pads = paddings.map(([lo, hi]) => [Math.max(0, lo), Math.max(0, hi)]);
      t = this.run(tf.PadV2, { x: t }, { paddings: pads, constantValue: 0 });
    }
    return t;
  }

  stridedSlice(x: TensorInfo, begin: number[], end: number[], strides: number[]): TensorInfo {
    if (begin.every((b, i) => b === 0 && end[i] === x.shape[i] && strides[i] === 1)) return x;
    return this.run(tf.StridedSlice, { x }, {
      begin, end, strides, beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
    });
  }

  /** Hands `t` to the caller: not freed with the scope (an input passed through gets its own reference). */
  keep(t: TensorInfo): TensorInfo {
    const i = this.made.lastIndexOf(t);
    if (i >= 0) this.made.splice(i, 1);
    else this.backend.incRef(t.dataId);
    return t;
  }

  dispose(): void {
    for (const t of this.made) this.backend.disposeData(t.dataId);
    this.made.length = 0;
  }
}

/** Runs `body` in a fresh scope, frees every intermediate, returns the one result. */
export function scoped(backend: Backend, body: (s: Scope) => TensorInfo): TensorInfo {
  const s = new Scope(backend);
  try {
    return s.keep(body(s));
  } finally {
    s.dispose();
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function requireNHWC(kernel: string, dataFormat: unknown): void {
  if (dataFormat != null && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`wasm ${kernel} supports only NHWC (channels-last) data, got '${String(dataFormat)}'`);
  }
}

export function requireFloat(kernel: string, ...ts: TensorInfo[]): void {
  for (const t of ts) if (t.dtype !== 'float32') throw new Error(`wasm ${kernel} needs float32 tensors, got ${t.dtype}`);
}
