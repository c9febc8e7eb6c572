/**
 * `npm run bench:budget`: the budget check's predictions against what tfjs does, in Node on the cpu
 * backend (the backend the unit tests use; the browser's backends differ in speed, not in the method).
 *
 * 1. Epoch time, LeNet-5 and the MNIST CNN, batch 64, Adam, 2,048 random samples: predicted from one
 *    timed step (after one untimed warm-up step) × the epoch's steps; measured by `trainLoop` running
 *    the epoch for real. Prints predicted, measured and their ratio.
 * 2. Peak memory of every template (Adam, batch 2; the ImageNet networks at a small input so a step
 *    runs here): `predictTrainingMemory` against `tf.profile`'s peakBytes over two real steps.
 * The LAST line is one JSON object with every figure.
 */
import * as tf from '@tensorflow/tfjs';
import { compileDesign } from '../src/compile/compile.ts';
import { inferShapes } from '../src/graph/infer.ts';
import { loadTemplate, templateFileNames } from '../src/graph/testing/templates.ts';
import { predictEpochSeconds, predictTrainingMemory } from '../src/graph/training-memory.ts';
import type { Design } from '../src/graph/types.ts';
import { stepsPerEpoch } from '../src/train/batches.ts';
import { makeOptimizer, makeStep, modelIo, trainLoop } from '../src/train/loop.ts';
import { DEFAULT_CONFIG } from '../src/train/protocol.ts';
import { measuredStepPeak } from '../src/train/testing/step-peak.ts';

/** Input sides at which the ImageNet networks train a step here (their 224 needs gigabytes). */
const SMALL_SIDE: Record<string, number> = { 'alexnet.json': 64 };
const side = (file: string) => SMALL_SIDE[file] ?? 32;

function atSide(design: Design, s: number): Design {
  return { ...design, nodes: design.nodes.map((n) => (n.kind === 'Input' ? { ...n, params: { ...n.params, shape: [s, s, 3] } } : n)) };
}

async function compiled(design: Design) {
  const c = await compileDesign(design);
  if (!c.ok) throw new Error(`${design.name} does not compile`);
  return c.model;
}

async function epochTime(file: string) {
  const batch = 64;
  const count = 2048;
  const model = await compiled(loadTemplate(file));
  const io = modelIo(model);
  const x = Float32Array.from({ length: count * io.size }, () => Math.random());
  const y = Int32Array.from({ length: count }, () => Math.floor(Math.random() * io.classes));
  const opt = makeOptimizer({ optimizer: 'adam', learningRate: 1e-3, momentum: 0.9 });
  const step = makeStep(model, opt, 'softmax-probabilities', io);
  const run = async () => {
    const r = step(x.subarray(0, batch * io.size), y.subarray(0, batch), batch);
    await r.lossSum.data();
    r.lossSum.dispose();
    r.correct.dispose();
  };
  await run();
  const t0 = performance.now();
  await run();
  const stepSeconds = (performance.now() - t0) / 1000;
  opt.dispose();
  const config = { ...DEFAULT_CONFIG, batchSize: batch, epochs: 1, validationSplit: 0 };
  const predicted = predictEpochSeconds({ stepSeconds, steps: stepsPerEpoch(count, config), batchSize: batch, valCount: 0 });
  const result = await trainLoop({ model, train: { shape: io.inputShape as unknown as [number, number, number], count, x, y }, config });
  model.dispose();
  return { file, predictedSec: predicted, measuredSec: result.seconds, ratio: predicted / result.seconds };
}

async function memory(file: string) {
  const raw = loadTemplate(file);
  const design = raw.nodes.some((n) => n.kind === 'Input' && (n.params.shape as number[])[0] > 64) ? atSide(raw, side(file)) : raw;
  const batch = 2;
  const predicted = predictTrainingMemory(inferShapes(design), batch, 'adam').peak;
  const model = await compiled(design);
  const io = modelIo(model);
  const measured = await measuredStepPeak(model, batch, 'adam');
  model.dispose();
  return { file, input: io.inputShape.join('×'), predictedMB: predicted / 1e6, measuredMB: measured / 1e6, ratio: predicted / measured };
}

await tf.setBackend('cpu');
const times = [];
for (const file of ['lenet-5.json', 'mnist-cnn.json']) {
  const r = await epochTime(file);
  console.log(`epoch ${r.file}: predicted ${r.predictedSec.toFixed(2)} s, measured ${r.measuredSec.toFixed(2)} s, ratio ${r.ratio.toFixed(2)}`);
  times.push(r);
}
const memories = [];
for (const file of templateFileNames()) {
  const r = await memory(file);
  console.log(`memory ${r.file} at ${r.input}: predicted ${r.predictedMB.toFixed(1)} MB, measured ${r.measuredMB.toFixed(1)} MB, ratio ${r.ratio.toFixed(2)}`);
  memories.push(r);
}
console.log(JSON.stringify({ times, memories }));
