/**
 * The WASM training kernels against the CPU backend: the same gradients, within 1e-4, on random shapes,
 * strides, paddings, dilations and channel multipliers; and a small CNN that trains on 'wasm' without
 * leaking. Both backends run in this one process; `tf.setBackend` switches between them.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../graph/testing/rng.ts';
import {
  registerWasmTrainingKernels,
  WASM_FIXED_KERNELS,
  WASM_MISSING_TRAINING_KERNELS,
  WASM_OVERRIDDEN_KERNELS,
  type WasmTrainingKernelOptions,
} from './wasm-kernels.ts';

const TOLERANCE = 1e-4;
/** The largest error seen per check, printed at the end (the report quotes it). */
const worst = new Map<string, number>();

// ---------------------------------------------------------------------------------------------------
// Helpers (cases come from the seeded test-support Rng, so each is reproducible)

interface Data {
  shape: number[];
  values: Float32Array;
}
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const random = (r: Rng, shape: number[]): Data => ({ shape, values: r.values(size(shape)) });

/** Runs `f` on `backend` with fresh tensors made from `inputs`; returns the outputs' values. */
async function on(backend: string, inputs: Data[], f: (...ts: tf.Tensor[]) => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const ts = inputs.map((d) => tf.tensor(d.values, d.shape));
  const outs = f(...ts);
  const values = outs.map((o) => o.dataSync() as Float32Array);
  tf.dispose([...ts, ...outs]);
  return values;
}

/**
 * max |a − b| / max(1, max |b|): absolute while the reference is of order one, relative to the tensor's
 * scale when it is large. Scale-relative rather than element-relative because a float32 sum of many
 * products (XNNPACK's, like any GPU's) carries an error that follows the size of its terms, not of its
 * result, while the CPU backend sums in float64: an entry that cancels to near zero would otherwise fail.
 */
function error(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= diff)) diff = Number.isNaN(d) ? Infinity : d;
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

async function expectSameOnBoth(check: string, label: string, inputs: Data[], f: (...ts: tf.Tensor[]) => tf.Tensor[], ref = f) {
  const want = await on('cpu', inputs, ref);
  const got = await on('wasm', inputs, f);
  got.forEach((g, i) => {
    const e = error(g, want[i]);
    worst.set(check, Math.max(worst.get(check) ?? 0, e));
    expect(e, `${check} ${label} output ${i}`).toBeLessThanOrEqual(TOLERANCE);
  });
}

/** Σ y·r for a random r: its gradient sends a random dy into the kernel under test (not all ones). */
function weightedSum(y: tf.Tensor, r: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(y, r));
}

type Padding = 'valid' | 'same' | [[0, 0], [number, number], [number, number], [0, 0]];

interface ConvCase {
  x: number[];
  filter: number[];
  strides: [number, number];
  dilations: [number, number];
  pad: Padding;
  out: number[];
}

/** A random 2-D convolution whose output is non-empty; `depthwise` makes filter[3] a channel multiplier. */
function convCase(r: Rng, { depthwise = false, dilate = false, strideAndDilate = false } = {}): ConvCase {
  for (;;) {
    const b = r.int(1, 3);
    const h = r.int(1, 11);
    const w = r.int(1, 11);
    const ci = r.int(1, 5);
    const kh = r.int(1, 4);
    const kw = r.int(1, 4);
    const co = depthwise ? r.int(1, 3) : r.int(1, 5);
    const strides: [number, number] = [r.int(1, 3), r.int(1, 3)];
    const dilations: [number, number] = dilate ? [r.int(1, 3), r.int(1, 3)] : [1, 1];
    if (!strideAndDilate && dilations.some((d) => d > 1)) strides.fill(1);
    const kind = r.pick(['valid', 'same', 'explicit'] as const);
    const pad: Padding =
      kind === 'explicit' ? [[0, 0], [r.int(0, 2), r.int(0, 2)], [r.int(0, 2), r.int(0, 2)], [0, 0]] : kind;
    const filter = [kh, kw, ci, co];
    try {
      const info = tf.backend_util.computeConv2DInfo([b, h, w, ci], filter as [number, number, number, number], strides, dilations, pad, undefined, depthwise);
      if (info.outHeight >= 1 && info.outWidth >= 1) return { x: [b, h, w, ci], filter, strides, dilations, pad, out: info.outShape };
    } catch {
      // padding larger than the filter, or similar: draw again
    }
  }
}

const describeCase = (c: ConvCase) =>
  `x=${c.x} filter=${c.filter} strides=${c.strides} dilations=${c.dilations} pad=${JSON.stringify(c.pad)}`;

/** The filter with (d − 1) zeros between taps: a dilated convolution is an undilated one with it. */
function inflate(filter: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  const [kh, kw, ci, co] = filter.shape;
  const src = filter.dataSync();
  const h = (kh - 1) * dh + 1;
  const w = (kw - 1) * dw + 1;
  const out = new Float32Array(h * w * ci * co);
  const inner = ci * co;
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) out.set(src.subarray((i * kw + j) * inner, (i * kw + j + 1) * inner), (i * dh * w + j * dw) * inner);
  return tf.tensor4d(out, [h, w, ci, co]);
}

/** Every d-th tap of an inflated filter's gradient: the dilated filter's gradient. */
function deflate(grad: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  const [h, w, ci, co] = grad.shape;
  return tf.stridedSlice(grad, [0, 0, 0, 0], [h, w, ci, co], [dh, dw, 1, 1]) as tf.Tensor4D;
}

function run(kernel: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor4D {
  return tf.engine().runKernel(kernel, inputs, attrs as tf.NamedAttrMap) as tf.Tensor4D;
}

// ---------------------------------------------------------------------------------------------------

beforeAll(async () => {
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(await tf.setBackend('cpu')).toBe(true);
});

afterAll(() => {
  const lines = [...worst.entries()].map(([k, v]) => `  ${k}: ${v.toExponential(2)}`);
  console.log(`largest wasm-vs-cpu error (max |Δ| / max(1, max |cpu|)) per check:\n${lines.join('\n')}`);
});

describe('registerWasmTrainingKernels', () => {
  it('registers every missing training kernel and the faster replacements on wasm', () => {
    for (const k of [...WASM_MISSING_TRAINING_KERNELS, ...WASM_OVERRIDDEN_KERNELS, ...WASM_FIXED_KERNELS]) expect(tf.getKernel(k, 'wasm'), k).toBeDefined();
  });

  it('is idempotent: a second call keeps the same kernels', () => {
    const all = [...WASM_MISSING_TRAINING_KERNELS, ...WASM_OVERRIDDEN_KERNELS, ...WASM_FIXED_KERNELS];
    const before = all.map((k) => tf.getKernel(k, 'wasm')!.kernelFunc);
    registerWasmTrainingKernels();
    registerWasmTrainingKernels({});
    const after = all.map((k) => tf.getKernel(k, 'wasm')!.kernelFunc);
    expect(after).toEqual(before);
  });

  it('puts the shipped kernels back, working, when the replacements are switched off', async () => {
    const r = new Rng(7);
    const c = convCase(r);
    const dy = random(r, c.out);
    const filter = random(r, c.filter);
    const back = (d: tf.Tensor, f: tf.Tensor) => [run(tf.Conv2DBackpropInput, { dy: d, filter: f }, { inputShape: c.x, strides: c.strides, pad: c.pad, dataFormat: 'NHWC' })];
    const kernels = () => WASM_OVERRIDDEN_KERNELS.map((k) => tf.getKernel(k, 'wasm')!.kernelFunc);
    const ours = kernels();
    const oursBatchNormGrad = tf.getGradient(tf.FusedBatchNorm);
    try {
      registerWasmTrainingKernels({ fastOverrides: false });
      kernels().forEach((f, i) => expect(f, WASM_OVERRIDDEN_KERNELS[i]).not.toBe(ours[i]));
      expect(tf.getGradient(tf.FusedBatchNorm)).not.toBe(oursBatchNormGrad);
      await expectSameOnBoth('shipped Conv2DBackpropInput', describeCase(c), [dy, filter], back);
      await expectSameOnBoth('shipped Tanh', 'tanh', [random(r, [5, 7])], (x) => [tf.tanh(x)]);
    } finally {
      registerWasmTrainingKernels();
    }
  });
});

describe('gradients on wasm equal the cpu backend', () => {
  const CASES = 120;

  it(`forward convolutions with 'same' padding, also with non-square filters and strides, on ${CASES} random cases`, async () => {
    // WASM 4.22 gets these wrong (its 'same' padding for non-square filters or strides); fixed here.
    const r = new Rng(13);
    for (let i = 0; i < CASES; i++) {
      const c = convCase(r, { dilate: r.next() < 0.3 });
      const depthwiseFilter = [...c.filter.slice(0, 3), r.int(1, 2)];
      const forward = (x: tf.Tensor, w: tf.Tensor, dw: tf.Tensor, bias: tf.Tensor) => {
        const [x4, w4, dw4] = [x as tf.Tensor4D, w as tf.Tensor4D, dw as tf.Tensor4D];
        return [
          tf.conv2d(x4, w4, c.strides, 'same', 'NHWC', c.dilations),
          tf.fused.conv2d({ x: x4, filter: w4, strides: c.strides, pad: 'same', dilations: c.dilations, bias, activation: 'relu' }),
          tf.depthwiseConv2d(x4, dw4, c.strides, 'same', 'NHWC', c.dilations),
          tf.fused.depthwiseConv2d({ x: x4, filter: dw4, strides: c.strides, pad: 'same', dilations: c.dilations, activation: 'elu' }),
        ];
      };
      await expectSameOnBoth("'same' forward convolutions", describeCase(c), [random(r, c.x), random(r, c.filter), random(r, depthwiseFilter), random(r, [c.filter[3]])], forward);
    }
  });

  it(`Conv2D: dx (Conv2DBackpropInput) and dW (Conv2DBackpropFilter) on ${CASES} random cases`, async () => {
    const r = new Rng(1);
    for (let i = 0; i < CASES; i++) {
      const c = convCase(r);
      const grads = (x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor) => [
        tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad),
        ...tf.grads((a: tf.Tensor, b: tf.Tensor) => weightedSum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), dy))([x, w]),
      ];
      await expectSameOnBoth('Conv2D grads', describeCase(c), [random(r, c.x), random(r, c.filter), random(r, c.out)], grads);
    }
  });

  it('Conv2D gradients at realistic sizes (LeNet, an MNIST stem, and one that picks im2col)', async () => {
    const r = new Rng(15);
    const cases: ConvCase[] = [
      { x: [8, 32, 32, 1], filter: [5, 5, 1, 6], strides: [1, 1], dilations: [1, 1], pad: 'valid', out: [8, 28, 28, 6] },
      { x: [8, 14, 14, 6], filter: [5, 5, 6, 16], strides: [1, 1], dilations: [1, 1], pad: 'valid', out: [8, 10, 10, 16] },
      { x: [8, 28, 28, 1], filter: [3, 3, 1, 32], strides: [2, 2], dilations: [1, 1], pad: 'same', out: [8, 14, 14, 32] },
      // dy over 2^20 elements with few patch rows: the 'auto' rule takes im2col.
      { x: [34, 32, 32, 1], filter: [3, 3, 1, 32], strides: [1, 1], dilations: [1, 1], pad: 'same', out: [34, 32, 32, 32] },
    ];
    for (const c of cases) {
      const grads = (x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) => weightedSum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), dy))([x, w]);
      await expectSameOnBoth('Conv2D grads, realistic sizes', describeCase(c), [random(r, c.x), random(r, c.filter), random(r, c.out)], grads);
    }
  });

  it.each([['im2col'], ['conv3d']] as const)('Conv2D gradients with the %s filter gradient', async (strategy) => {
    const r = new Rng(11);
    registerWasmTrainingKernels({ conv2dFilterGrad: strategy, maxPatchElements: 200 }); // small: exercise chunking
    try {
      for (let i = 0; i < 40; i++) {
        const c = convCase(r);
        const grads = (x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor) =>
          tf.grads((a: tf.Tensor, b: tf.Tensor) => weightedSum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), dy))([x, w]);
        await expectSameOnBoth(`Conv2D grads (${strategy})`, describeCase(c), [random(r, c.x), random(r, c.filter), random(r, c.out)], grads);
      }
    } finally {
      registerWasmTrainingKernels();
    }
  });

  it(`dilated Conv2DBackpropFilter and Conv2DBackpropInput kernels on ${CASES} random cases`, async () => {
    // tfjs-core refuses gradients of dilated convolutions, so the kernels are called directly; the CPU
    // kernels ignore dilations, so its reference is the undilated gradient of the inflated filter.
    const r = new Rng(2);
    for (let i = 0; i < CASES; i++) {
      const c = convCase(r, { dilate: true, strideAndDilate: true });
      const [kh, kw, ci, co] = c.filter;
      const inflated = [(kh - 1) * c.dilations[0] + 1, (kw - 1) * c.dilations[1] + 1, ci, co];
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC' };
      const wasm = (x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor) => [
        run(tf.Conv2DBackpropFilter, { x, dy }, { ...attrs, filterShape: c.filter, dilations: c.dilations }),
        run(tf.Conv2DBackpropInput, { dy, filter: w }, { ...attrs, inputShape: c.x, dilations: c.dilations }),
      ];
      const cpu = (x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor) => [
        deflate(run(tf.Conv2DBackpropFilter, { x, dy }, { ...attrs, filterShape: inflated }), c.dilations),
        run(tf.Conv2DBackpropInput, { dy, filter: inflate(w as tf.Tensor4D, c.dilations) }, { ...attrs, inputShape: c.x }),
      ];
      await expectSameOnBoth('dilated Conv2D kernels', describeCase(c), [random(r, c.x), random(r, c.filter), random(r, c.out)], wasm, cpu);
    }
  });

  it(`DepthwiseConv2D: dx and dW with channel multipliers on ${CASES} random cases`, async () => {
    const r = new Rng(3);
    for (let i = 0; i < CASES; i++) {
      const c = convCase(r, { depthwise: true });
      const grads = (x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor) => [
        tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad),
        ...tf.grads((a: tf.Tensor, b: tf.Tensor) => weightedSum(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), dy))([x, w]),
      ];
      await expectSameOnBoth('DepthwiseConv2D grads', describeCase(c), [random(r, c.x), random(r, c.filter), random(r, c.out)], grads);
    }
  });

  it(`dilated DepthwiseConv2dNativeBackpropFilter/Input kernels (explicit pads too) on ${CASES} random cases`, async () => {
    const r = new Rng(4);
    for (let i = 0; i < CASES; i++) {
      const c = convCase(r, { depthwise: true, dilate: true, strideAndDilate: true });
      const [kh, kw, ci, m] = c.filter;
      const inflated = [(kh - 1) * c.dilations[0] + 1, (kw - 1) * c.dilations[1] + 1, ci, m];
      const attrs = { strides: c.strides, pad: c.pad };
      const wasm = (x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor) => [
        run(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { ...attrs, filterShape: c.filter, dilations: c.dilations }),
        run(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter: w }, { ...attrs, inputShape: c.x, dilations: c.dilations }),
      ];
      const cpu = (x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor) => [
        deflate(run(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { ...attrs, filterShape: inflated, dilations: 1 }), c.dilations),
        run(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter: inflate(w as tf.Tensor4D, c.dilations) }, { ...attrs, inputShape: c.x, dilations: 1 }),
      ];
      await expectSameOnBoth('dilated depthwise kernels', describeCase(c), [random(r, c.x), random(r, c.filter), random(r, c.out)], wasm, cpu);
    }
  });

  it(`Conv2DTranspose: dx and dW on ${CASES} random cases`, async () => {
    const r = new Rng(5);
    for (let i = 0; i < CASES; i++) {
      // A transposed convolution maps the forward conv's output shape back to its input shape.
      const c = convCase(r);
      const pad = c.pad;
      const grads = (x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          weightedSum(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, c.x as [number, number, number, number], c.strides, pad), dy),
        )([x, w]);
      await expectSameOnBoth('Conv2DTranspose grads', describeCase(c), [random(r, c.out), random(r, c.filter), random(r, c.x)], grads);
    }
  });

  it(`SeparableConv2D (depthwise then pointwise) gradients on ${CASES} random cases`, async () => {
    const r = new Rng(6);
    for (let i = 0; i < CASES; i++) {
      const c = convCase(r, { depthwise: true });
      const pad = typeof c.pad === 'string' ? c.pad : 'same';
      const info = tf.backend_util.computeConv2DInfo(c.x as [number, number, number, number], c.filter as [number, number, number, number], c.strides, 1, pad, undefined, true);
      const co = r.int(1, 4);
      const point = [1, 1, c.filter[2] * c.filter[3], co];
      const out = [...info.outShape.slice(0, 3), co];
      const grads = (x: tf.Tensor, dw: tf.Tensor, pw: tf.Tensor, dy: tf.Tensor) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor, p: tf.Tensor) =>
          weightedSum(tf.separableConv2d(a as tf.Tensor4D, b as tf.Tensor4D, p as tf.Tensor4D, c.strides, pad), dy),
        )([x, dw, pw]);
      await expectSameOnBoth('SeparableConv2D grads', describeCase(c), [random(r, c.x), random(r, c.filter), random(r, point), random(r, out)], grads);
    }
  });

  it(`MaxPool and AvgPool gradients (MaxPoolGrad, AvgPoolGrad), ties included, on ${CASES} random cases`, async () => {
    const r = new Rng(14);
    for (let i = 0; i < CASES; i++) {
      const x = [r.int(1, 3), r.int(1, 10), r.int(1, 10), r.int(1, 4)];
      const filter: [number, number] = [r.int(1, 3), r.int(1, 3)];
      // Half the cases tile the input exactly with 2×2-style windows (the fast path), the rest anything.
      const strides: [number, number] = r.next() < 0.5 ? [...filter] : [r.int(1, 3), r.int(1, 3)];
      const pad = r.pick(['valid', 'same'] as const);
      if (pad === 'valid' && (x[1] < filter[0] || x[2] < filter[1])) continue;
      const info = tf.backend_util.computePool2DInfo(x as [number, number, number, number], filter, strides, 1, pad);
      const input = random(r, x);
      if (r.next() < 0.5) input.values = input.values.map((v) => Math.round(v * 2) / 2); // many ties
      const grads = (t: tf.Tensor, dy: tf.Tensor) => [
        tf.grad((a: tf.Tensor) => weightedSum(tf.maxPool(a as tf.Tensor4D, filter, strides, pad), dy))(t),
        tf.grad((a: tf.Tensor) => weightedSum(tf.avgPool(a as tf.Tensor4D, filter, strides, pad), dy))(t),
      ];
      await expectSameOnBoth('pooling grads', `x=${x} filter=${filter} strides=${strides} pad=${pad}`, [input, random(r, info.outShape)], grads);
    }
  });

  it(`Gather's gradient (UnsortedSegmentSum) on ${CASES} random cases`, async () => {
    const r = new Rng(8);
    for (let i = 0; i < CASES; i++) {
      const rows = r.int(1, 8);
      const params = [rows, ...Array.from({ length: r.int(0, 2) }, () => r.int(1, 4))];
      const n = r.int(1, 10);
      const ids = { shape: [n], values: Float32Array.from({ length: n }, () => r.int(0, rows - 1)) };
      const out = [n, ...params.slice(1)];
      const grads = (p: tf.Tensor, idx: tf.Tensor, dy: tf.Tensor) =>
        tf.grads((a: tf.Tensor) => weightedSum(tf.gather(a, tf.cast(idx, 'int32')), dy))([p]);
      const segmentSum = (x: tf.Tensor, idx: tf.Tensor) => [tf.unsortedSegmentSum(x, tf.cast(idx, 'int32') as tf.Tensor1D, rows + 1)];
      await expectSameOnBoth('Gather grads', `params=${params} n=${n}`, [random(r, params), ids, random(r, out)], grads);
      await expectSameOnBoth('UnsortedSegmentSum', `x=${out}`, [random(r, out), ids], segmentSum);
    }
  });

  it(`MatMul with transposed operands (Dense gradients) on ${CASES} random cases`, async () => {
    const r = new Rng(9);
    for (let i = 0; i < CASES; i++) {
      const [m, k, n] = [r.int(1, 9), r.int(1, 9), r.int(1, 9)];
      const batch = r.pick([[], [], [r.int(2, 3)]]);
      const ta = r.next() < 0.5;
      const tb = r.next() < 0.5;
      const a = [...batch, ...(ta ? [k, m] : [m, k])];
      const b = [...batch, ...(tb ? [n, k] : [k, n])];
      const f = (x: tf.Tensor, y: tf.Tensor, dy: tf.Tensor) => {
        const g = tf.grads((p: tf.Tensor, q: tf.Tensor) => weightedSum(tf.matMul(p, q, ta, tb), dy))([x, y]);
        return [tf.matMul(x, y, ta, tb), ...g];
      };
      await expectSameOnBoth('MatMul', `a=${a} b=${b} ta=${ta} tb=${tb}`, [random(r, a), random(r, b), random(r, [...batch, m, n])], f);
    }
  });

  it(`Tanh and its gradient on ${CASES} random tensors, including large and tiny values`, async () => {
    const r = new Rng(10);
    for (let i = 0; i < CASES; i++) {
      const shape = [r.int(1, 40), r.int(1, 40)];
      const x = random(r, shape);
      const scale = r.pick([1e-6, 1, 3, 30]);
      x.values = x.values.map((v) => v * scale);
      const f = (t: tf.Tensor, dy: tf.Tensor) => [tf.tanh(t), tf.grad((a: tf.Tensor) => weightedSum(tf.tanh(a), dy))(t)];
      await expectSameOnBoth('Tanh', `shape=${shape} scale=${scale}`, [x, random(r, shape)], f);
    }
  });
});

describe("FusedBatchNorm's gradient in a few ops equals tfjs's own", () => {
  const CASES = 60;

  /** Reference: tfjs's gradient on the cpu backend; ours: the replacement on wasm. */
  async function expectSameAsShipped(check: string, label: string, inputs: Data[], f: (...ts: tf.Tensor[]) => tf.Tensor[]) {
    registerWasmTrainingKernels({ fastOverrides: false });
    const want = await on('cpu', inputs, f);
    registerWasmTrainingKernels();
    const got = await on('wasm', inputs, f);
    got.forEach((g, i) => {
      const e = error(g, want[i]);
      worst.set(check, Math.max(worst.get(check) ?? 0, e));
      expect(e, `${check} ${label} gradient ${i}`).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  // Always with a scale: without one tfjs 4.22 fails before any gradient runs (it saves the missing
  // input for the backward pass).
  it(`all five gradients (x, mean, variance, scale, offset) on ${CASES} random cases`, async () => {
    const r = new Rng(13);
    for (let i = 0; i < CASES; i++) {
      const c = r.int(1, 6);
      const x = [r.int(1, 4), r.int(1, 6), r.int(1, 6), c];
      // Per-channel statistics, as BatchNormalization passes them (tfjs's own gradient fails for
      // statistics already broadcast to rank 4: its scale gradient is never summed over the batch).
      const stats = [c];
      const variance = random(r, stats);
      variance.values = variance.values.map((v) => Math.abs(v) + 0.1);
      const f = (t: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, b: tf.Tensor, dy: tf.Tensor) => {
        const norm = (p: tf.Tensor, q: tf.Tensor, w: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) =>
          weightedSum(tf.batchNorm(p, q, w, beta, gamma, 1e-3), dy);
        return tf.grads(norm)([t, m, v, g, b]);
      };
      await expectSameAsShipped('FusedBatchNorm grads', `x=${x} stats=${stats}`, [random(r, x), random(r, stats), variance, random(r, stats), random(r, stats), random(r, x)], f);
    }
  });

  it('through batch statistics, as BatchNormalization trains (mean and variance from tf.moments)', async () => {
    const r = new Rng(14);
    for (const x of [[4, 8, 8, 16], [2, 3, 5, 1], [32, 4, 4, 64]]) {
      const c = x[3];
      const f = (t: tf.Tensor, g: tf.Tensor, b: tf.Tensor, dy: tf.Tensor) => {
        const train = (p: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
          const { mean, variance } = tf.moments(p, [0, 1, 2]);
          return weightedSum(tf.batchNorm(p, mean, variance, beta, gamma, 1e-5), dy);
        };
        return tf.grads(train)([t, g, b]);
      };
      await expectSameAsShipped('BatchNorm training grads', `x=${x}`, [random(r, x), random(r, [c]), random(r, [c]), random(r, x)], f);
    }
  });
});

describe('training a small CNN on wasm', () => {
  async function trainSteps(opts: WasmTrainingKernelOptions, steps: number) {
    registerWasmTrainingKernels(opts);
    await tf.setBackend('wasm');
    const r = new Rng(12);
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [12, 12, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu6' }),
        tf.layers.batchNormalization(),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'valid', activation: 'tanh' }),
        tf.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3 }),
      ],
    });
    const x = tf.tensor4d(r.values(16 * 12 * 12 * 2), [16, 12, 12, 2]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 3), 'int32'), 3));
    const optimizer = tf.train.adam(0.01);
    const step = () => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    const losses: number[] = [];
    const tensors: number[] = [];
    const buffers: number[] = [];
    const backend = tf.backend();
    for (let i = 0; i < steps; i++) {
      const loss = step();
      losses.push((await loss.data())[0]);
      loss.dispose();
      tensors.push(tf.memory().numTensors);
      buffers.push(backend.numDataIds());
    }
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
    return { losses, tensors, buffers };
  }

  afterAll(() => registerWasmTrainingKernels());

  it.each([
    ['default kernels', {}],
    ['im2col filter gradient, shipped kernels', { conv2dFilterGrad: 'im2col', fastOverrides: false }],
  ] as const)('conv, depthwise, BN, pooling and dense learn (%s), with flat tensor counts', async (_label, opts) => {
    const { losses, tensors, buffers } = await trainSteps(opts, 30);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.5);
    // From the second step on (the first creates the optimiser's slots), nothing accumulates: neither
    // engine tensors nor the backend's buffers (intermediates inside our kernels never reach the engine).
    expect(new Set(tensors.slice(1)).size).toBe(1);
    expect(new Set(buffers.slice(1)).size).toBe(1);
  });
});
