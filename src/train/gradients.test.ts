/**
 * The Gradients view's numbers against tfjs itself (Node, cpu backend): a kernel's per-position terms
 * sum to the gradient tf.grad computes, for random inputs and windows (stride, 'same' / explicit
 * padding, dilation) and through random designs; the per-layer gradient norms and update/weight ratios
 * a run reports equal a direct tfjs computation of that step.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileDesign, type CompiledModel } from '../compile/compile.ts';
import { positionTerms, sumTerms } from '../graph/conv-gradient.ts';
import { DesignBuilder } from '../graph/index.ts';
import { mulberry32 } from '../graph/random.ts';
import { samePadding } from '../graph/shape-math.ts';
import type { Design } from '../graph/types.ts';
import { lookKernelGradient } from './look.ts';
import { makeOptimizer } from './loop.ts';
import { crossEntropy } from './losses.ts';
import { DEFAULT_CONFIG, packWeights, type FromWorker, type GradientsEvent, type ImageSet, type TrainConfig } from './protocol.ts';
import { lineImages, seedWeights, tinyDesign } from './testing/fixtures.ts';
import { nodeVariables, readDesignWeights } from './weights-io.ts';
import { createWorkerCore } from './worker-core.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** max |a − b| over max |b|: the relative error of a whole array. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  expect(scale).toBeGreaterThan(0);
  return diff / scale;
}

const randoms = (n: number, random: () => number) => Float32Array.from({ length: n }, () => random() * 2 - 1);

describe('per-position terms of a kernel gradient', () => {
  it.each(Array.from({ length: 24 }, (_, i) => i + 1))('sum to tf.grad of the kernel for random inputs and windows (seed %i, ≤ 1e-4 relative)', (seed) => {
    const random = mulberry32(seed * 7919);
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    const [n, h, w, cin, cout] = [int(1, 3), int(6, 12), int(6, 12), int(1, 3), int(1, 3)];
    const [kh, kw] = [int(1, 4), int(1, 4)];
    // tfjs refuses dilation and stride above 1 together; one or the other per case.
    const dilated = random() < 0.4;
    const strides: [number, number] = dilated ? [1, 1] : [int(1, 3), int(1, 3)];
    const dilation: [number, number] = dilated ? [int(1, 2), int(1, 2)] : [1, 1];
    const mode = (['valid', 'same', 'explicit'] as const)[int(0, 2)];
    const pads = mode === 'explicit' ? [int(0, 2), int(0, 2), int(0, 2), int(0, 2)] : [0, 0, 0, 0];
    const x = tf.tensor4d(randoms(n * h * w * cin, random), [n, h, w, cin]);
    const kernel = tf.tensor4d(randoms(kh * kw * cin * cout, random), [kh, kw, cin, cout]);
    const pad = mode === 'explicit' ? ([[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]]) : mode;
    const out = tf.conv2d(x, kernel, strides, pad, 'NHWC', dilation);
    // A random upstream gradient: L = Σ z·R, so ∂L/∂z = R.
    const upstream = tf.tensor(randoms(out.size, random), out.shape);
    // tfjs has no gradient for a dilated conv2d; a dilated kernel is the undilated one of size d·(k−1)+1
    // with zeros between the taps, and its gradient is that kernel's gradient at the taps.
    const [eh, ew] = [dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1];
    const taps = tf.tensor2d(
      Float32Array.from({ length: eh * ew * kh * kw }, (_, i) => {
        const [y, x2, ky, kx] = [Math.floor(i / (ew * kh * kw)), Math.floor(i / (kh * kw)) % ew, Math.floor(i / kw) % kh, i % kw];
        return y === ky * dilation[0] && x2 === kx * dilation[1] ? 1 : 0;
      }),
      [eh * ew, kh * kw],
    );
    const expand = (k: tf.Tensor) => tf.reshape(tf.matMul(taps, tf.reshape(k, [kh * kw, cin * cout])), [eh, ew, cin, cout]) as tf.Tensor4D;
    const want = tf.grad((k: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, expand(k), strides, pad, 'NHWC', 1), upstream)))(kernel);
    expect(relativeError(tf.conv2d(x, expand(kernel), strides, pad, 'NHWC', 1).dataSync(), out.dataSync())).toBeLessThanOrEqual(1e-5);
    const [, ho, wo] = out.shape;
    const padTop = mode === 'same' ? samePadding(h, kh, strides[0], dilation[0])[0] : pads[0];
    const padLeft = mode === 'same' ? samePadding(w, kw, strides[1], dilation[1])[0] : pads[2];
    const wantData = want.dataSync();
    for (let ci = 0; ci < cin; ci++) {
      for (let o = 0; o < cout; o++) {
        const terms = positionTerms({
          input: x.dataSync() as Float32Array,
          inputShape: [n, h, w, cin],
          delta: upstream.dataSync() as Float32Array,
          deltaShape: [n, ho, wo, cout],
          geometry: { kernel: [kh, kw], strides, dilation, padTop, padLeft },
          ci,
          o,
        });
        expect(terms.length).toBe(ho * wo * kh * kw);
        const slice = Float32Array.from({ length: kh * kw }, (_, i) => wantData[i * cin * cout + ci * cout + o]);
        if (slice.every((v) => v === 0)) continue;
        expect(relativeError(sumTerms(terms, kh * kw), slice), `${mode} s${strides} d${dilation} ${ci}→${o}`).toBeLessThanOrEqual(1e-4);
      }
    }
    tf.dispose([x, kernel, out, upstream, want, taps]);
  });
});

/**
 * A seeded random classifier with a Conv2D of random window ahead of more layers. No dilation: tfjs
 * has no gradient for a dilated conv2d, so such a layer neither trains nor is looked at (refused below).
 */
function randomConvDesign(seed: number): { design: Design; input: [number, number, number] } {
  const random = mulberry32(seed * 104729);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const input: [number, number, number] = [int(8, 12), int(8, 12), int(1, 3)];
  const padding = (['valid', 'same', 'explicit'] as const)[int(0, 2)];
  const b = new DesignBuilder('Random conv');
  const x = b.add('Input', { shape: input }, [], { id: 'in' });
  const first = b.add('Conv2D', { filters: int(2, 4), kernel_size: [3, 3], activation: 'relu' }, [x], { id: 'c1' });
  const conv = b.add(
    'Conv2D',
    {
      filters: int(2, 5),
      kernel_size: [int(1, 3), int(1, 3)],
      strides: [int(1, 2), int(1, 2)],
      padding,
      ...(padding === 'explicit' ? { pads: [int(0, 1), int(0, 1), int(0, 1), int(0, 1)] } : {}),
      activation: (['relu', 'tanh', 'linear', 'sigmoid'] as const)[int(0, 3)],
    },
    [first],
    { id: 'conv' },
  );
  b.chain(conv, [
    ['Flatten', {}, { id: 'flat' }],
    ['Dense', { units: 3, activation: 'softmax' }, { id: 'out' }],
  ]);
  return { design: b.build(), input };
}

function randomImages(shape: [number, number, number], count: number, seed: number): ImageSet {
  const random = mulberry32(seed);
  const size = shape[0] * shape[1] * shape[2];
  return {
    shape,
    count,
    x: Float32Array.from({ length: count * size }, () => random()),
    y: Int32Array.from({ length: count }, () => Math.floor(random() * 3)),
  };
}

async function compiledSeeded(design: Design, seed: number): Promise<CompiledModel> {
  const c = await compileDesign(design);
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  seedWeights(c.model, seed);
  return c;
}

describe('the kernel-gradient look', () => {
  it.each(Array.from({ length: 10 }, (_, i) => i + 1))(
    'sums its position terms to the gradient tf.variableGrads gives the untouched model (random design %i, ≤ 1e-4 relative)',
    async (seed) => {
      const { design, input } = randomConvDesign(seed);
      const c = await compiledSeeded(design, seed);
      const set = randomImages(input, 6, seed);
      const kernelVar = nodeVariables(c, 'conv')[0].read() as tf.Variable;
      const [kh, kw, cin, cout] = kernelVar.shape;
      const before = (c.model.predict(tf.tensor(set.x, [6, ...input])) as tf.Tensor).dataSync();
      // The independent reference: tfjs's gradient of the same loss on the same batch, nothing swapped.
      const { grads } = tf.variableGrads(() => {
        const out = c.model.apply(tf.tensor(set.x, [6, ...input]), { training: false }) as tf.Tensor;
        return crossEntropy(tf.oneHot(tf.tensor1d(set.y, 'int32'), 3), out, 'softmax-probabilities');
      }, [kernelVar]);
      const want = grads[kernelVar.name].dataSync();
      for (const [ci, o] of [[0, 0], [cin - 1, cout - 1]]) {
        const look = await lookKernelGradient(c, 'conv', o, ci, set, 6, 'softmax-probabilities');
        expect(look.kernel).toEqual([kh, kw]);
        expect(look.terms.length).toBe(look.grid[0] * look.grid[1] * kh * kw);
        const slice = Float32Array.from({ length: kh * kw }, (_, i) => want[i * cin * cout + ci * cout + o]);
        if (slice.every((v) => v === 0)) continue; // a dead ReLU slice: nothing to compare
        expect(relativeError(sumTerms(look.terms, kh * kw), slice)).toBeLessThanOrEqual(1e-4);
        expect(relativeError(look.gradient, slice)).toBeLessThanOrEqual(1e-5);
      }
      // The layer's own call is back: the model computes what it computed before the look.
      const after = (c.model.predict(tf.tensor(set.x, [6, ...input])) as tf.Tensor).dataSync();
      expect(relativeError(after, before)).toBe(0);
      tf.dispose(grads);
      c.model.dispose();
    },
  );

  it('refuses a layer that is not a Conv2D, and channels out of range, in words', async () => {
    const { design, input } = randomConvDesign(3);
    const c = await compiledSeeded(design, 3);
    const set = randomImages(input, 2, 3);
    await expect(lookKernelGradient(c, 'out', 0, 0, set, 2, 'softmax-probabilities')).rejects.toThrow(/not a Conv2D/);
    await expect(lookKernelGradient(c, 'conv', 99, 0, set, 2, 'softmax-probabilities')).rejects.toThrow(/no filter 99/);
    c.model.dispose();
    const b = new DesignBuilder('Dilated');
    const x = b.add('Input', { shape: [9, 9, 1] }, [], { id: 'in' });
    b.chain(x, [
      ['Conv2D', { filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2] }, { id: 'conv' }],
      ['Flatten', {}, { id: 'flat' }],
      ['Dense', { units: 3, activation: 'softmax' }, { id: 'out' }],
    ]);
    const d = await compiledSeeded(b.build(), 4);
    await expect(lookKernelGradient(d, 'conv', 0, 0, randomImages([9, 9, 1], 2, 4), 2, 'softmax-probabilities')).rejects.toThrow(/dilated/);
    d.model.dispose();
  });
});

describe('per-layer gradient numbers of a run', () => {
  it('equal the gradient norms and update/weight ratios tfjs computes for the same step (≤ 1e-4 relative)', async () => {
    // One batch holding the whole training set, so the run's one step is a step a test can repeat.
    const design = tinyDesign();
    const train = lineImages(48, 4);
    const start = await compiledSeeded(design, 9);
    const weights = await readDesignWeights(start);
    const events: GradientsEvent[] = [];
    const done = new Promise<void>((resolve) => {
      const core = createWorkerCore({
        post: (m: FromWorker) => {
          if (m.type === 'gradients') events.push(m);
          if (m.type === 'done' || m.type === 'run-error') resolve();
        },
        loadData: async () => {
          throw new Error('not used');
        },
        probe: async () => ({ available: ['cpu'], unavailable: [] }),
        activate: async (b) => void (await tf.setBackend(b)),
        gradientEveryMs: 0,
        gradientSendMs: 0,
      });
      const config: TrainConfig = { ...DEFAULT_CONFIG, optimizer: 'sgd', learningRate: 0.05, batchSize: 48, epochs: 1, validationSplit: 0 };
      void (async () => {
        await core.handle({ type: 'load-data', id: 1, source: { kind: 'arrays', dataset: { name: 'lines', classes: ['h', 'v', 'd'], train, test: lineImages(6, 5) } } });
        await core.handle({ type: 'start', id: 2, design, config, backend: 'cpu', weights: packWeights(weights).payload });
      })();
    });
    await done;
    expect(events.length).toBeGreaterThan(0);
    const [event] = events;
    expect(event.nodeIds).toEqual(['conv', 'out']);
    expect(event.x.length).toBe(1);

    // The same step by hand: loss, gradients, one SGD-with-momentum update.
    const vars = ['conv', 'out'].map((id) => nodeVariables(start, id).map((v) => v.read() as tf.Variable));
    const all = vars.flat();
    const oneHot = tf.oneHot(tf.tensor1d(train.y, 'int32'), 3);
    const old = all.map((v) => v.clone());
    const optimizer = makeOptimizer({ optimizer: 'sgd', learningRate: 0.05, momentum: DEFAULT_CONFIG.momentum });
    const { grads } = optimizer.computeGradients(() => {
      const out = start.model.apply(tf.tensor(train.x, [48, 8, 8, 1]), { training: true }) as tf.Tensor;
      return crossEntropy(oneHot, out, 'softmax-probabilities');
    }, all);
    optimizer.applyGradients(grads);
    const norm = (ts: tf.Tensor[]) => Math.sqrt(ts.reduce((s, t) => s + tf.sum(tf.square(t)).dataSync()[0], 0));
    let at = 0;
    for (const [l, group] of vars.entries()) {
      const olds = old.slice(at, at + group.length);
      at += group.length;
      const grad = norm(group.map((v) => grads[v.name]));
      const ratio = norm(group.map((v, i) => tf.sub(v, olds[i]))) / norm(olds);
      expect(Math.abs(event.values[l * 2] - grad) / grad, `${event.nodeIds[l]} gradient norm`).toBeLessThanOrEqual(1e-4);
      expect(Math.abs(event.values[l * 2 + 1] - ratio) / ratio, `${event.nodeIds[l]} update/weight ratio`).toBeLessThanOrEqual(1e-4);
    }
    optimizer.dispose();
    start.model.dispose();
  });
});
