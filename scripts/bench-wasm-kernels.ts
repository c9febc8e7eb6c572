/**
 * Training speed in Node: tfjs's cpu backend against its wasm backend with the training kernels of
 * src/train/wasm-kernels.ts, and against the wasm variants those kernels were chosen over.
 *
 *   npx tsx scripts/bench-wasm-kernels.ts [--model lenet5|resnet18-cifar] [--rounds 5] [--seconds 2]
 *                                         [--batch 64] [--variants wasm,wasmShippedKernels] [--profile]
 *
 * `--model lenet5` (default) is the LeNet-5 template (32×32×1 → tanh conv 6@5×5 → avg pool → tanh conv
 * 16@5×5 → avg pool → tanh 120 → tanh 84 → 10 logits); `--model resnet18-cifar` is bench:train's
 * ResNet-18 on 32×32×3 (scripts/bench-models.ts, batch 32 unless --batch says otherwise), compiled by
 * src/compile as the app compiles it. Both train with Adam on random data (speed does not depend on the
 * values). `--variants` measures only the named ones; `--profile` also times every kernel the engine
 * runs during `--rounds` steps of each wasm variant (tf.profile; kernels of ours that call other kernels
 * count as one) and prints the table, in milliseconds per step, the heaviest first. Each round measures every variant once, in turn, so that a busy machine slows all of them
 * alike: a fresh model, two warm-up steps, then steps for at least `seconds`. The median over the rounds
 * is reported. The LAST line printed is one JSON object.
 *
 * Node's wasm differs from the browser's: it loads the .wasm files from node_modules and has SIMD, but
 * runs single-threaded (tfjs starts no worker-thread pool in Node), so a cross-origin-isolated browser
 * page, where XNNPACK gets threads, can be faster than these numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { compileDesign } from '../src/compile/compile.ts';
import { registerWasmTrainingKernels, type WasmTrainingKernelOptions } from '../src/train/wasm-kernels.ts';
import { resnet18Cifar } from './bench-models.ts';

type Model = 'lenet5' | 'resnet18-cifar';

interface Args {
  model: Model;
  rounds: number;
  seconds: number;
  batch: number;
  variants: readonly string[] | null;
  profile: boolean;
}

const INPUT: Record<Model, [number, number, number]> = { lenet5: [32, 32, 1], 'resnet18-cifar': [32, 32, 3] };
const DEFAULT_BATCH: Record<Model, number> = { lenet5: 64, 'resnet18-cifar': 32 };

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
  {
    name: 'wasmManyOpBackward',
    backend: 'wasm',
    kernels: { fewOpBackward: false },
    note: "tfjs's FusedBatchNorm gradient, WASM's Reverse and Transpose for the input gradient's filter",
  },
  { name: 'wasmConvFilterGrad', backend: 'wasm', kernels: { conv2dFilterGrad: 'conv' }, note: 'filter gradient always by convolution' },
  { name: 'wasmIm2colFilterGrad', backend: 'wasm', kernels: { conv2dFilterGrad: 'im2col' }, note: 'filter gradient always by im2col' },
];

function parseArgs(argv: string[]): Args {
  const args: Args = { model: 'lenet5', rounds: 5, seconds: 2, batch: 0, variants: null, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'profile') {
      args.profile = true;
      continue;
    }
    const raw = argv[++i];
    if (key === 'model') {
      if (raw !== 'lenet5' && raw !== 'resnet18-cifar') throw new Error(`--model ${raw}: expected lenet5 or resnet18-cifar`);
      args.model = raw;
    } else if (key === 'variants') {
      const names = (raw ?? '').split(',');
      const unknown = names.filter((n) => !VARIANTS.some((v) => v.name === n));
      if (unknown.length > 0) throw new Error(`--variants: unknown ${unknown.join(', ')}; expected some of ${VARIANTS.map((v) => v.name).join(', ')}`);
      args.variants = names;
    } else if (key === 'rounds' || key === 'seconds' || key === 'batch') {
      const value = Number(raw);
      if (!(value > 0)) throw new Error(`bad argument: ${argv[i - 1]} ${raw}`);
      args[key] = value;
    } else {
      throw new Error(`bad argument: ${argv[i - 1]}`);
    }
  }
  if (args.batch === 0) args.batch = DEFAULT_BATCH[args.model];
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

async function buildModel(model: Model): Promise<tf.LayersModel> {
  if (model === 'lenet5') return lenet5();
  const compiled = await compileDesign(resnet18Cifar());
  if (!compiled.ok) throw new Error(`resnet18-cifar does not compile: ${JSON.stringify(compiled.issues)}`);
  return compiled.model;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Trainer {
  step(): tf.Scalar;
  dispose(): void;
}

/** A fresh model of `args.model`, Adam, and one random batch: `step()` is one training step. */
async function trainer({ model: name, batch }: Args): Promise<Trainer> {
  const model = await buildModel(name);
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomNormal([batch, ...INPUT[name]]);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10));
  return {
    step: () => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!,
    dispose: () => {
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    },
  };
}

async function runStep(t: Trainer): Promise<void> {
  const loss = t.step();
  await loss.data(); // wasm and cpu are synchronous; this only keeps the comparison honest elsewhere
  loss.dispose();
}

/** One measurement: training samples per second of a fresh model on the current backend. */
async function samplesPerSecond(args: Args): Promise<{ rate: number; leaked: number }> {
  const before = tf.memory().numTensors;
  const t = await trainer(args);
  for (let i = 0; i < 2; i++) await runStep(t);
  const t0 = performance.now();
  let steps = 0;
  let elapsed = 0;
  do {
    await runStep(t);
    steps++;
    elapsed = (performance.now() - t0) / 1000;
  } while (elapsed < args.seconds || steps < 2);
  t.dispose();
  return { rate: (steps * args.batch) / elapsed, leaked: tf.memory().numTensors - before };
}

/** Milliseconds per step spent in each kernel the engine ran (median over `args.rounds` profiled steps). */
async function kernelProfile(args: Args): Promise<Map<string, number>> {
  const t = await trainer(args);
  for (let i = 0; i < 2; i++) await runStep(t);
  const perStep: Map<string, number>[] = [];
  for (let i = 0; i < args.rounds; i++) {
    const info = await tf.profile(() => {
      const loss = t.step();
      loss.dataSync();
      loss.dispose();
    });
    const ms = new Map<string, number>();
    for (const k of info.kernels) ms.set(k.name, (ms.get(k.name) ?? 0) + Number(k.kernelTimeMs));
    perStep.push(ms);
  }
  t.dispose();
  const names = new Set(perStep.flatMap((m) => [...m.keys()]));
  return new Map([...names].map((n) => [n, median(perStep.map((m) => m.get(n) ?? 0))] as const));
}

function printProfile(name: string, ms: Map<string, number>): void {
  const total = [...ms.values()].reduce((a, b) => a + b, 0);
  console.log(`\nkernel profile of ${name}: ${total.toFixed(0)} ms per step in kernels (median per kernel)`);
  for (const [kernel, t] of [...ms].sort((a, b) => b[1] - a[1])) {
    if (t < total * 0.002) continue;
    console.log(`  ${kernel.padEnd(34)} ${t.toFixed(1).padStart(8)} ms  ${((100 * t) / total).toFixed(1).padStart(5)} %`);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const variants = VARIANTS.filter((v) => args.variants?.includes(v.name) ?? true);
  const rates = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = 1; round <= args.rounds; round++) {
    const line: string[] = [];
    for (const v of variants) {
      if (v.kernels) registerWasmTrainingKernels(v.kernels);
      if (!(await tf.setBackend(v.backend))) throw new Error(`backend ${v.backend} did not initialise`);
      const { rate, leaked } = await samplesPerSecond(args);
      if (leaked !== 0) throw new Error(`${v.name} leaked ${leaked} tensors`);
      rates.get(v.name)!.push(rate);
      line.push(`${v.name} ${rate.toFixed(1)}`);
    }
    console.log(`round ${round}: ${line.join(', ')} samples/s`);
  }
  if (args.profile) {
    for (const v of variants.filter((v) => v.backend === 'wasm')) {
      registerWasmTrainingKernels(v.kernels);
      await tf.setBackend('wasm');
      printProfile(v.name, await kernelProfile(args));
    }
  }
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  const result = Object.fromEntries(variants.map((v) => [v.name, Number(median(rates.get(v.name)!).toPrecision(4))]));
  for (const v of variants) console.log(`${v.name.padEnd(36)} ${String(result[v.name]).padStart(6)} samples/s  (${v.note})`);
  const ratio = (a: string, b: string) => (a in result && b in result ? Number((result[a] / result[b]).toFixed(2)) : null);
  console.log(
    JSON.stringify({
      bench: 'wasm-kernels',
      model: args.model === 'lenet5' ? 'LeNet-5 32x32x1, Adam' : 'ResNet-18 (CIFAR) 32x32x3, Adam',
      batch: args.batch,
      rounds: args.rounds,
      secondsPerMeasurement: args.seconds,
      samplesPerSec: result,
      wasmOverCpu: ratio('wasm', 'cpu'),
      wasmOverFirstKernel: ratio('wasm', 'wasmConv3dFilterGradShippedKernels'),
      wasmSimd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
      wasmThreads: getThreadsCount(),
      node: process.version,
    }),
  );
}

await main();
