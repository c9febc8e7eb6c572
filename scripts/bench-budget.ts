/**
 * `npm run bench:budget`: the budget check's predictions against what tfjs does, in Node.
 *
 * 1. Epoch time, LeNet-5 and the MNIST CNN, batch 64, Adam, 4,096 random samples with a 10 % validation
 *    share, on the wasm backend with the app's training kernels (what Auto starts on without a GPU).
 *    Predicted as the page predicts it: the speed Auto's measurement gives (`measureTraining` with
 *    AUTO_MEASURE_BUDGET: warm-up steps, then timed windows of at least 150 ms, median) through
 *    `predictEpochSeconds` (steps × seconds per step, plus validation at EVAL_COST of a step per
 *    sample). Measured: the wall time of `trainLoop` running that epoch for real, validation included.
 *    Each round also prints the parts: the loop's own training time against steps × step, what is left
 *    (validation, per-epoch costs) against its prediction, and a direct measure of EVAL_COST.
 *    The machine is shared, so each round predicts and measures back to back (a load change hits both
 *    alike) and the median over ROUNDS rounds is reported, with the spread of the ratio.
 * 2. Peak memory of every template (Adam, batch 2; the ImageNet networks at a small input so a step
 *    runs here), on the cpu backend (the unit tests' backend): `predictTrainingMemory` against
 *    `tf.profile`'s peakBytes over two real steps.
 * `--only epoch` or `--only memory` runs one part; `--rounds N` sets the rounds (default 7). The LAST line is one JSON object with every figure.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { compileDesign } from '../src/compile/compile.ts';
import { inferShapes } from '../src/graph/infer.ts';
import { loadTemplate, templateFileNames } from '../src/graph/testing/templates.ts';
import { EVAL_COST, predictEpochSeconds, predictTrainingMemory } from '../src/graph/training-memory.ts';
import type { Design } from '../src/graph/types.ts';
import { range, splitPlan } from '../src/train/batches.ts';
import { evaluateSet } from '../src/train/evaluate.ts';
import { measureTraining, median, modelIo, trainLoop } from '../src/train/loop.ts';
import { AUTO_MEASURE_BUDGET, DEFAULT_CONFIG } from '../src/train/protocol.ts';
import { measuredStepPeak } from '../src/train/testing/step-peak.ts';
import { registerWasmTrainingKernels } from '../src/train/wasm-kernels.ts';

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

const ROUNDS = process.argv.includes('--rounds') ? Number(process.argv[process.argv.indexOf('--rounds') + 1]) : 7;

async function epochRound(file: string) {
  const batch = 64;
  const count = 4096;
  const model = await compiled(loadTemplate(file));
  const io = modelIo(model);
  const x = Float32Array.from({ length: count * io.size }, () => Math.random());
  const y = Int32Array.from({ length: count }, () => Math.floor(Math.random() * io.classes));
  const config = { ...DEFAULT_CONFIG, batchSize: batch, epochs: 1, validationSplit: 0.1 };
  const samplesPerSec = await measureTraining(model, { ...AUTO_MEASURE_BUDGET, batchSize: batch, loss: 'softmax-probabilities' });
  const plan = splitPlan(count, 0, config);
  const stepSeconds = batch / samplesPerSec;
  const predicted = predictEpochSeconds({ stepSeconds, steps: plan.stepsPerEpoch, batchSize: batch, valCount: plan.val });
  const t0 = performance.now();
  const run = await trainLoop({ model, train: { shape: io.inputShape as unknown as [number, number, number], count, x, y }, config });
  const measured = (performance.now() - t0) / 1000;
  // What EVAL_COST stands for, measured: one evaluation of as many samples as validation holds, per
  // sample, over the training step's time per sample.
  const t1 = performance.now();
  await evaluateSet(model, { shape: io.inputShape as unknown as [number, number, number], count, x, y }, range(plan.val), config.loss, io.classes);
  const evalCost = (performance.now() - t1) / 1000 / plan.val / (stepSeconds / batch);
  model.dispose();
  // The parts: the loop's own training time (its steps, without validation) against steps × step.
  const parts = { predictedTrainSec: stepSeconds * plan.stepsPerEpoch, measuredTrainSec: run.seconds, measuredRestSec: measured - run.seconds, predictedRestSec: predicted - stepSeconds * plan.stepsPerEpoch };
  return { predicted, measured, ratio: predicted / measured, evalCost, ...parts };
}

async function epochTime(file: string) {
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await epochRound(file));
  const ratios = rounds.map((r) => r.ratio);
  return {
    file,
    predictedSec: median(rounds.map((r) => r.predicted)),
    measuredSec: median(rounds.map((r) => r.measured)),
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    trainPartRatio: median(rounds.map((r) => r.predictedTrainSec / r.measuredTrainSec)),
    predictedRestSec: median(rounds.map((r) => r.predictedRestSec)),
    measuredRestSec: median(rounds.map((r) => r.measuredRestSec)),
    evalCost: median(rounds.map((r) => r.evalCost)),
  };
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

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
registerWasmTrainingKernels();
if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
const times = [];
for (const file of only === 'memory' ? [] : ['lenet-5.json', 'mnist-cnn.json']) {
  const r = await epochTime(file);
  console.log(
    `epoch ${r.file} (wasm, median of ${ROUNDS}): predicted ${r.predictedSec.toFixed(2)} s, measured ${r.measuredSec.toFixed(2)} s, ratio ${r.ratio.toFixed(2)} (${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)}); training part predicted/measured ${r.trainPartRatio.toFixed(2)}, the rest (validation, per-epoch costs) predicted ${r.predictedRestSec.toFixed(2)} s, measured ${r.measuredRestSec.toFixed(2)} s; evaluating a sample costs ${r.evalCost.toFixed(2)} of a training step's share (EVAL_COST ${EVAL_COST.toFixed(2)})`,
  );
  times.push(r);
}
await tf.setBackend('cpu');
const memories = [];
for (const file of only === 'epoch' ? [] : templateFileNames()) {
  const r = await memory(file);
  console.log(`memory ${r.file} at ${r.input}: predicted ${r.predictedMB.toFixed(1)} MB, measured ${r.measuredMB.toFixed(1)} MB, ratio ${r.ratio.toFixed(2)}`);
  memories.push(r);
}
console.log(JSON.stringify({ times, memories }));
