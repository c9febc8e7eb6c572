/**
 * The training loop: DOM-free, so the worker runs it in the browser and Vitest runs it in Node on the
 * cpu backend. It owns batching, the optimiser, the loss, pause/resume/stop, early stopping and
 * progress; the caller owns the model and the backend.
 *
 * Speed matters here (the benchmark holds it against native PyTorch), so a step never waits on the
 * device: loss and accuracy accumulate as tensors and are read only when progress is reported (≈10×/s),
 * which also bounds how far a GPU queue can run ahead.
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../graph/random.ts';
import { EVAL_COST } from '../graph/training-memory.ts';
import { fillBatch, range, shuffled, splitValidation, stepsPerEpoch, type Augment } from './batches.ts';
import { evaluateSet } from './evaluate.ts';
import { crossEntropy } from './losses.ts';
import type { EpochEvent, ImageSet, LossKind, ProgressEvent, StopReason, TrainConfig } from './protocol.ts';
import { RunControl } from './run-control.ts';
import { skipUnneededInputGradients } from './training-graph.ts';

export type ProgressInfo = Omit<ProgressEvent, 'type' | 'runId'>;
export type EpochInfo = Omit<EpochEvent, 'type' | 'runId'>;

export interface LoopHooks {
  readonly control?: RunControl;
  onProgress?(p: ProgressInfo): void;
  /** Called after each epoch's validation (and after early stopping's bookkeeping). */
  onEpoch?(e: EpochInfo): void;
  /** Milliseconds; injectable for tests. */
  readonly now?: () => number;
  /** Minimum milliseconds between progress reports. */
  readonly progressIntervalMs?: number;
  /** Lets queued messages (pause, stop) in between batches; defaults to a zero-delay macrotask. */
  readonly yieldToEvents?: () => Promise<void>;
  /** Milliseconds of work between two yields. */
  readonly yieldEveryMs?: number;
  /** Test images evaluated after the loop: the time left counts them. */
  readonly testCount?: number;
  /**
   * Per-variable gradient numbers, sampled on a step at most every `everyMs` (0: every step): the sums
   * of squares of each trainable variable's gradient, of its weights before the step, and of the step's
   * update ([variables, 3], the order of `model.trainableWeights`). Read without waiting: training
   * never stops for them.
   */
  readonly gradients?: { readonly everyMs: number; onSample(sample: GradientSample): void };
}

export interface GradientSample {
  /** Where in the run: epoch − 1 + batch / batches (the curves' x). */
  readonly x: number;
  /** [variables, 3]: Σg², Σw² (before the step), Σ(Δw)². */
  readonly sums: Float32Array;
}

/** The share of a training step that evaluating a sample costs (one source: src/graph/training-memory.ts). */
export { EVAL_COST };

/** The whole run in units of training samples: each epoch's training and validation, then the test. */
export function workPlan(epochs: number, samplesPerEpoch: number, valCount: number, testCount: number) {
  const perEpoch = samplesPerEpoch + EVAL_COST * valCount;
  const total = epochs * perEpoch + EVAL_COST * testCount;
  return {
    total,
    /** Work done after `seen` training samples of 1-based `epoch` (its validation not yet run). */
    doneAt: (epoch: number, seen: number) => (epoch - 1) * perEpoch + seen,
  };
}

export interface LoopResult {
  readonly reason: StopReason;
  readonly epochsRun: number;
  readonly seconds: number;
  /** Training samples per second over the run (pauses excluded). */
  readonly samplesPerSec: number;
  readonly epochs: readonly EpochInfo[];
  /** Where a stop ended the run: epoch and the batches done in it. */
  readonly stoppedAt?: { readonly epoch: number; readonly batch: number; readonly batches: number };
}

/**
 * A zero-delay yield. setTimeout(0) is clamped to 4 ms once nested, which costs real speed at a few
 * milliseconds per batch; a MessageChannel round trip (or setImmediate in Node) is not clamped.
 */
export function defaultYield(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((r) => setImmediate(r));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(null);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}

export function makeOptimizer(config: Pick<TrainConfig, 'optimizer' | 'learningRate' | 'momentum'>): tf.Optimizer {
  return config.optimizer === 'adam'
    ? tf.train.adam(config.learningRate)
    : tf.train.momentum(config.learningRate, config.momentum);
}

export interface ModelIo {
  /** The Input's shape without the batch: H×W×C for images, [H·W·C] for a flat (MLP) Input. */
  readonly inputShape: readonly number[];
  /** Values per sample. */
  readonly size: number;
  readonly classes: number;
}

/** The single input and single class-score output the loop trains; anything else is refused in words. */
export function modelIo(model: tf.LayersModel): ModelIo {
  if (model.inputs.length !== 1) throw new Error(`The network has ${model.inputs.length} inputs; training needs exactly one Input.`);
  if (model.outputs.length !== 1) {
    throw new Error(`The network has ${model.outputs.length} outputs (layers nothing reads); training needs exactly one.`);
  }
  const inShape = model.inputs[0].shape.slice(1);
  const outShape = model.outputs[0].shape.slice(1);
  if (outShape.length !== 1 || !outShape[0]) {
    throw new Error(`The last layer gives [${outShape.join(', ')}] per image; training needs one score per class (a Dense layer).`);
  }
  if (inShape.length === 0 || inShape.some((d) => !d)) throw new Error(`The Input shape [${inShape.join(', ')}] is not fully known.`);
  const inputShape = inShape as number[];
  return { inputShape, size: inputShape.reduce((a, b) => a * b, 1), classes: outShape[0] as number };
}

/**
 * Whether images of `shape` feed this Input: the same H×W×C, or a flat Input of H·W·C values (images go
 * in row-major, channels-last order, what Keras's Flatten produces).
 */
export function acceptsImages(io: ModelIo, shape: readonly number[]): boolean {
  const size = shape.reduce((a, b) => a * b, 1);
  if (io.inputShape.length === 1) return io.size === size;
  return io.inputShape.length === shape.length && io.inputShape.every((d, i) => d === shape[i]);
}

export interface Step {
  /**
   * Runs one optimiser step; returns device-side scalars the caller disposes: summed loss and correct
   * count, and with `sample` the step's [variables, 3] gradient sums (see LoopHooks.gradients).
   */
  (x: Float32Array, y: Int32Array, n: number, sample?: boolean): { lossSum: tf.Scalar; correct: tf.Scalar; sums?: tf.Tensor2D };
  readonly variables: tf.Variable[];
}

/**
 * What `optimizer.minimize` does (computeGradients, then applyGradients), with the gradients kept long
 * enough to measure them and the old weights held (a clone shares their data, so nothing is copied)
 * to measure the update.
 */
function minimizeMeasured(optimizer: tf.Optimizer, f: () => tf.Scalar, variables: tf.Variable[]): { cost: tf.Scalar; sums: tf.Tensor2D } {
  const before = variables.map((v) => tf.clone(v));
  const { value, grads } = optimizer.computeGradients(f, variables);
  optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
  const sumSq = (t: tf.Tensor) => tf.sum(tf.square(t));
  // A variable the loss does not reach has no gradient (minimize skips it): it counts as zero.
  const gradSq = (v: tf.Variable) => (grads[v.name] ? sumSq(grads[v.name]) : tf.scalar(0));
  const sums = tf.stack(variables.map((v, i) => tf.stack([gradSq(v), sumSq(before[i]), sumSq(tf.sub(v, before[i]))]))) as tf.Tensor2D;
  return { cost: value, sums };
}

export function makeStep(model: tf.LayersModel, optimizer: tf.Optimizer, loss: LossKind, io: ModelIo): Step {
  skipUnneededInputGradients(model);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  const step = (x: Float32Array, y: Int32Array, n: number, sample = false) => {
    let correct: tf.Scalar | null = null;
    let sums: tf.Tensor2D | undefined;
    const lossSum = tf.tidy(() => {
      const xs = tf.tensor(x, [n, ...inputShape]);
      const labels = tf.tensor1d(y, 'int32');
      const oneHot = tf.oneHot(labels, io.classes);
      const f = () => {
        const out = model.apply(xs, { training: true }) as tf.Tensor;
        correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(out, -1), labels), 'float32')) as tf.Scalar);
        return crossEntropy(oneHot, out, loss);
      };
      let cost: tf.Scalar;
      if (sample) {
        const measured = minimizeMeasured(optimizer, f, variables);
        cost = measured.cost;
        sums = tf.keep(measured.sums);
      } else {
        cost = optimizer.minimize(f, true, variables)!;
      }
      return tf.mul(cost, n) as tf.Scalar;
    });
    return { lossSum, correct: correct!, ...(sums ? { sums } : {}) };
  };
  return Object.assign(step, { variables });
}

/** Adds `b` into the running total `a` (both owned here) and returns the new total. */
function accumulate(a: tf.Scalar | null, b: tf.Scalar): tf.Scalar {
  if (!a) return b;
  const sum = tf.add(a, b) as tf.Scalar;
  a.dispose();
  b.dispose();
  return sum;
}

export interface TrainInput {
  readonly model: tf.LayersModel;
  readonly train: ImageSet;
  readonly config: TrainConfig;
}

/**
 * Trains `model` in place. Returns why it ended; the model keeps the weights of the last epoch, or of
 * the best epoch when early stopping ended the run.
 */
export async function trainLoop({ model, train, config }: TrainInput, hooks: LoopHooks = {}): Promise<LoopResult> {
  const now = hooks.now ?? (() => performance.now());
  const control = hooks.control ?? new RunControl();
  const yieldToEvents = hooks.yieldToEvents ?? defaultYield;
  const progressEvery = hooks.progressIntervalMs ?? 100;
  const yieldEvery = hooks.yieldEveryMs ?? 20;
  const io = modelIo(model);
  const random = mulberry32(config.seed);
  const { train: trainIdx, val: valIdx } = splitValidation(train.count, config.validationSplit, config.seed);
  const batchSize = Math.max(1, Math.floor(config.batchSize));
  const batches = stepsPerEpoch(trainIdx.length, config);
  const samplesPerEpoch = Math.min(trainIdx.length, batches * batchSize);
  const plan = workPlan(config.epochs, samplesPerEpoch, valIdx.length, hooks.testCount ?? 0);
  let stoppedAt: LoopResult['stoppedAt'];
  const augment: Augment | null = config.augment.shift > 0 || config.augment.flip ? config.augment : null;

  const optimizer = makeOptimizer(config);
  const step = makeStep(model, optimizer, config.loss, io);
  const epochs: EpochInfo[] = [];
  let reason: StopReason = 'completed';
  let best = Infinity;
  let bestWeights: tf.Tensor[] | null = null;
  let waited = 0;
  let activeMs = 0;
  let samplesDone = 0;
  const gradients = hooks.gradients;
  let lastGradients = -Infinity;
  /** Gradient reads in flight: the loop ends only after they have been handed over. */
  const gradientReads: Promise<void>[] = [];

  try {
    outer: for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const order = shuffled(trainIdx, random);
      let epochLoss = 0;
      let epochCorrect = 0;
      let epochSeen = 0;
      let windowLoss: tf.Scalar | null = null;
      let windowCorrect: tf.Scalar | null = null;
      let windowSeen = 0;
      let last: ProgressInfo | null = null;
      let epochMs = 0;
      let sliceStart = now();
      let lastReport = sliceStart;
      let lastYield = sliceStart;

      const report = async (batch: number) => {
        const [l, c] = await Promise.all([windowLoss!.data(), windowCorrect!.data()]);
        windowLoss!.dispose();
        windowCorrect!.dispose();
        windowLoss = windowCorrect = null;
        epochLoss += l[0];
        epochCorrect += c[0];
        const t = now();
        epochMs += t - sliceStart;
        activeMs += t - sliceStart;
        sliceStart = t;
        const rate = epochMs > 0 ? (epochSeen / epochMs) * 1000 : 0;
        const done = plan.doneAt(epoch, epochSeen);
        const remaining = plan.total - done;
        last = {
          epoch,
          epochs: config.epochs,
          batch,
          batches,
          loss: l[0] / windowSeen,
          acc: c[0] / windowSeen,
          samplesPerSec: rate,
          etaSec: rate > 0 ? remaining / rate : Infinity,
          fraction: done / plan.total,
        };
        hooks.onProgress?.(last);
        windowSeen = 0;
        lastReport = t;
      };

      for (let b = 0; b < batches; b++) {
        const from = b * batchSize;
        const to = Math.min(from + batchSize, order.length);
        const { x, y } = fillBatch(train, order, from, to, augment, random);
        const sample = !!gradients && now() - lastGradients >= gradients.everyMs;
        const { lossSum, correct, sums } = step(x, y, to - from, sample);
        if (sums) {
          lastGradients = now();
          const at = epoch - 1 + (b + 1) / batches;
          gradientReads.push(
            sums.data().then((d) => {
              sums.dispose();
              gradients!.onSample({ x: at, sums: new Float32Array(d as Float32Array) });
            }),
          );
          if (gradientReads.length > 64) gradientReads.splice(0, gradientReads.length - 64);
        }
        windowLoss = accumulate(windowLoss, lossSum);
        windowCorrect = accumulate(windowCorrect, correct);
        windowSeen += to - from;
        epochSeen += to - from;
        samplesDone += to - from;
        const t = now();
        if (t - lastReport >= progressEvery || b === batches - 1) await report(b + 1);
        if (now() - lastYield >= yieldEvery || control.current !== 'running') {
          // Time spent paused is not training time: close the slice before waiting, reopen after.
          const before = now();
          epochMs += before - sliceStart;
          activeMs += before - sliceStart;
          await yieldToEvents();
          const stop = await control.checkpoint();
          sliceStart = lastYield = now();
          if (stop) {
            if (windowLoss) await report(b + 1);
            reason = 'stopped';
            stoppedAt = { epoch, batch: b + 1, batches };
            if (epochSeen > 0) epochs.push({ epoch, loss: epochLoss / epochSeen, acc: epochCorrect / epochSeen, valLoss: null, valAcc: null });
            break outer;
          }
        }
      }

      const val = valIdx.length > 0 ? await evaluateSet(model, train, valIdx, config.loss, io.classes) : null;
      sliceStart = now();
      // Assigned inside report(): TypeScript cannot see that, hence the cast.
      const reported = last as ProgressInfo | null;
      if (val && reported) {
        // Validation is part of the run: the bar and the time left move past it too.
        const done = plan.doneAt(epoch + 1, 0);
        const rate = reported.samplesPerSec;
        hooks.onProgress?.({ ...reported, afterValidation: true, fraction: done / plan.total, etaSec: rate > 0 ? (plan.total - done) / rate : Infinity });
      }
      const info: EpochInfo = {
        epoch,
        loss: epochLoss / epochSeen,
        acc: epochCorrect / epochSeen,
        valLoss: val ? val.loss : null,
        valAcc: val ? val.accuracy : null,
      };
      epochs.push(info);

      if (config.patience !== null) {
        const monitored = info.valLoss ?? info.loss;
        if (monitored < best - 1e-4) {
          best = monitored;
          waited = 0;
          const snapshot = model.getWeights().map((w) => w.clone());
          bestWeights?.forEach((w) => w.dispose());
          bestWeights = snapshot;
        } else {
          waited++;
        }
      }
      hooks.onEpoch?.(info);
      if (config.patience !== null && waited >= config.patience && epoch < config.epochs) {
        reason = 'early-stopped';
        break;
      }
      if (await control.checkpoint()) {
        reason = 'stopped';
        if (epoch < config.epochs) stoppedAt = { epoch, batch: batches, batches };
        break;
      }
    }
    if (reason === 'early-stopped' && bestWeights) model.setWeights(bestWeights);
    await Promise.all(gradientReads);
  } finally {
    bestWeights?.forEach((w) => w.dispose());
    optimizer.dispose();
  }
  return {
    reason,
    epochsRun: epochs.length,
    seconds: activeMs / 1000,
    samplesPerSec: activeMs > 0 ? (samplesDone / activeMs) * 1000 : 0,
    epochs,
    ...(stoppedAt ? { stoppedAt } : {}),
  };
}

/** Random data in the model's input shape, for timing steps. */
function randomBatch(io: ModelIo, n: number, seed: number): { x: Float32Array; y: Int32Array } {
  const random = mulberry32(seed);
  const x = new Float32Array(n * io.size);
  for (let i = 0; i < x.length; i++) x[i] = random();
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.floor(random() * io.classes);
  return { x, y };
}

export interface MeasureOptions {
  readonly batchSize: number;
  readonly loss: LossKind;
  readonly optimizer?: TrainConfig['optimizer'];
  /** Untimed steps first (shader compilation, allocations). */
  readonly warmupSteps?: number;
  /** Timed windows; the median window speed is the answer. */
  readonly windows?: number;
  /** Steps per timed window at least, and milliseconds per window at least (whichever ends later, capped by maxMs). */
  readonly stepsPerWindow?: number;
  readonly minWindowMs?: number;
  /** A hard cap on the timed part, so a slow backend cannot stall Auto. */
  readonly maxMs?: number;
  /** After warm-up, one timed step below this speed ends the measurement (it cannot win). */
  readonly quickRejectBelow?: number;
  readonly now?: () => number;
}

/**
 * Times training steps of this model on the current backend: warm-up, then a few timed windows, and
 * returns the median samples/s. Each window ends with a read of the loss, so queued GPU work is counted.
 * Leaves the model's weights changed (callers measure on a throw-away copy).
 */
export async function measureTraining(model: tf.LayersModel, options: MeasureOptions): Promise<number> {
  const now = options.now ?? (() => performance.now());
  const io = modelIo(model);
  const n = options.batchSize;
  const { x, y } = randomBatch(io, n, 7);
  const optimizer = makeOptimizer({ optimizer: options.optimizer ?? 'adam', learningRate: 1e-4, momentum: 0.9 });
  const step = makeStep(model, optimizer, options.loss, io);
  const run = async (count: number) => {
    let last: tf.Scalar | null = null;
    for (let i = 0; i < count; i++) {
      const { lossSum, correct } = step(x, y, n);
      correct.dispose();
      last?.dispose();
      last = lossSum;
    }
    await last!.data();
    last!.dispose();
  };
  try {
    await run(options.warmupSteps ?? 2);
    if (options.quickRejectBelow) {
      const t0 = now();
      await run(1);
      const speed = (n * 1000) / Math.max(now() - t0, 1e-3);
      if (speed < options.quickRejectBelow) return speed;
    }
    const speeds: number[] = [];
    const windows = options.windows ?? 3;
    const stepsPerWindow = options.stepsPerWindow ?? 3;
    const minWindowMs = options.minWindowMs ?? 0;
    const deadline = now() + (options.maxMs ?? Infinity);
    for (let w = 0; w < windows; w++) {
      const t0 = now();
      let steps = 0;
      do {
        await run(stepsPerWindow);
        steps += stepsPerWindow;
      } while (now() - t0 < minWindowMs && now() < deadline);
      speeds.push((steps * n * 1000) / Math.max(now() - t0, 1e-3));
      if (now() >= deadline) break;
    }
    return median(speeds);
  } finally {
    optimizer.dispose();
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
