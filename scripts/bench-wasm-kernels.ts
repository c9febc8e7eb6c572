/**
 * LeNet-5 training speed in Node: tfjs's cpu backend against its wasm backend with the training kernels
 * of src/train/wasm-kernels.ts, and against the wasm variants those kernels were chosen over.
 *
 *   npx tsx scripts/bench-wasm-kernels.ts [--rounds 5] [--seconds 2] [--batch 64]
 *
 * The model is the LeNet-5 template (32×32×1 → tanh conv 6@5×5 → avg pool → tanh conv 16@5×5 → avg pool
 * → tanh 120 → tanh 84 → 10 logits), trained with Adam on random data (speed does not depend on the
 * values). Each round measures every variant once, in turn, so that a busy machine slows all of them
 * alike: a fresh model, two warm-up steps, then steps for at least `seconds`. The median over the rounds
 * is reported. The LAST line printed is one JSON object.
 *
 * Node's wasm differs from the browser's: it loads the .wasm files from node_modules and has SIMD, but
 * runs single-threaded (tfjs starts no worker-thread pool in Node), so a cross-origin-isolated browser
 * page, where XNNPACK gets threads, can be faster than these numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels, type WasmTrainingKernelOptions } from '../src/train/wasm-kernels.ts';

interface Args {
  rounds: number;
  seconds: number;
  batch: number;
}

interface Variant {
  readonly name: string;
  readonly backend: 'cpu' | 'wasm';
  readonly kernels?: WasmTrainingKernelOptions;
  readonly note: string;
}

const VARIANTS: readonly Variant[] = [
  { name: 'cpu', backend: 'cpu', note: "tfjs's JavaScript backend" },
  { name: 'wasm', backend: 'wasm', kernels: {}, note: 'registerWasmTrainingKernels() defaults' },
  {
    name: 'wasmConv3dFilterGradShippedKernels',
    backend: 'wasm',
    kernels: { conv2dFilterGrad: 'conv3d', fastOverrides: false },
    note: "the first kernel of DESIGN.md's facts: Conv3D's filter gradient, shipped kernels otherwise",
  },
  {
    name: 'wasmShippedKernels',
    backend: 'wasm',
    kernels: { fastOverrides: false },
    note: 'the missing kernels only, no faster replacements',
  },
  { name: 'wasmConvFilterGrad', backend: 'wasm', kernels: { conv2dFilterGrad: 'conv' }, note: 'filter gradient always by convolution' },
  { name: 'wasmIm2colFilterGrad', backend: 'wasm', kernels: { conv2dFilterGrad: 'im2col' }, note: 'filter gradient always by im2col' },
];

function parseArgs(argv: string[]): Args {
  const args: Args = { rounds: 5, seconds: 2, batch: 64 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '') as keyof Args;
    const value = Number(argv[i + 1]);
    if (!(key in args) || !(value > 0)) throw new Error(`bad argument: ${argv[i]} ${argv[i + 1]}`);
    args[key] = value;
  }
  return args;
}

function lenet5(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [32, 32, 1], filters: 6, kernelSize: 5, activation: 'tanh' }),
      tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'tanh' }),
      tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: 'tanh' }),
      tf.layers.dense({ units: 84, activation: 'tanh' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One measurement: training samples per second of a fresh LeNet-5 on the current backend. */
async function samplesPerSecond({ seconds, batch }: Args): Promise<{ rate: number; leaked: number }> {
  const before = tf.memory().numTensors;
  const model = lenet5();
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomNormal([batch, 32, 32, 1]);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10));
  const step = () =>
    optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar, true)!;
  for (let i = 0; i < 2; i++) {
    const loss = step();
    await loss.data();
    loss.dispose();
  }
  const t0 = performance.now();
  let steps = 0;
  let elapsed = 0;
  do {
    const loss = step();
    await loss.data(); // wasm and cpu are synchronous; this only keeps the comparison honest elsewhere
    loss.dispose();
    steps++;
    elapsed = (performance.now() - t0) / 1000;
  } while (elapsed < seconds || steps < 2);
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return { rate: (steps * batch) / elapsed, leaked: tf.memory().numTensors - before };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const rates = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
  for (let round = 1; round <= args.rounds; round++) {
    const line: string[] = [];
    for (const v of VARIANTS) {
      if (v.kernels) registerWasmTrainingKernels(v.kernels);
      if (!(await tf.setBackend(v.backend))) throw new Error(`backend ${v.backend} did not initialise`);
      const { rate, leaked } = await samplesPerSecond(args);
      if (leaked !== 0) throw new Error(`${v.name} leaked ${leaked} tensors`);
      rates.get(v.name)!.push(rate);
      line.push(`${v.name} ${rate.toFixed(0)}`);
    }
    console.log(`round ${round}: ${line.join(', ')} samples/s`);
  }
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  const result = Object.fromEntries(VARIANTS.map((v) => [v.name, Math.round(median(rates.get(v.name)!))]));
  for (const v of VARIANTS) console.log(`${v.name.padEnd(36)} ${String(result[v.name]).padStart(6)} samples/s  (${v.note})`);
  console.log(
    JSON.stringify({
      bench: 'wasm-kernels',
      model: 'LeNet-5 32x32x1, Adam',
      batch: args.batch,
      rounds: args.rounds,
      secondsPerMeasurement: args.seconds,
      samplesPerSec: result,
      wasmOverCpu: Number((result.wasm / result.cpu).toFixed(1)),
      wasmOverFirstKernel: Number((result.wasm / result.wasmConv3dFilterGradShippedKernels).toFixed(2)),
      wasmSimd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
      wasmThreads: getThreadsCount(),
      node: process.version,
    }),
  );
}

await main();
