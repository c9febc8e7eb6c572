/**
 * Predicted memory of one training step (issue 15, "budget check before Train"): a pure function of the
 * design's inference and the batch size, so it can be checked against tfjs at an input size that runs
 * in a test and then applied at the size the user drew.
 *
 * The factors below are tfjs 4.22's behaviour, measured with `tf.profile` peakBytes around real steps
 * (src/graph/training-memory.test.ts holds them to it):
 * - Adam keeps two slots per trainable weight and, inside `applyGradients` (one tidy around every
 *   variable), about 15× the trainable bytes in temporaries; momentum keeps one slot and about 4×.
 * - The forward pass keeps what the backward pass reads: about 5.6× each layer's output per sample
 *   (pre-activation, activation, the gradient flowing back, the kernels' own buffers).
 * With Adam the step's peak is the larger of the two phases (its temporaries come after the forward
 * tape is freed); with momentum the measured peak grows with the batch from the full update's level,
 * as if both were held at once, so there the two add (the tests hold both forms to tfjs).
 */
import type { DesignInference } from './infer.ts';
import { BYTES_PER_VALUE } from './infer.ts';

export type OptimizerKind = 'adam' | 'sgd';

/** Per-trainable-byte slots each optimiser keeps between steps (Adam: m and v; momentum: velocity). */
export const OPTIMIZER_SLOTS: Readonly<Record<OptimizerKind, number>> = { adam: 2, sgd: 1 };
/** Temporaries `applyGradients` holds at once, per trainable byte (measured, see above). */
export const STEP_TEMPORARIES: Readonly<Record<OptimizerKind, number>> = { adam: 15, sgd: 4 };
/** Bytes the forward and backward passes hold per byte of layer output (measured, see above). */
export const ACTIVATION_FACTOR = 5.6;
/** Whether the update's temporaries and the activations are held at once (measured, see above). */
export const STEP_OVERLAPS_ACTIVATIONS: Readonly<Record<OptimizerKind, boolean>> = { adam: false, sgd: true };

export interface MemoryBudget {
  readonly weights: number;
  readonly optimizerState: number;
  /** Activations held for the backward pass, for the whole batch. */
  readonly activations: number;
  /** What the optimiser's update holds on top of weights and state. */
  readonly stepTemporaries: number;
  /** The predicted peak in bytes. */
  readonly peak: number;
}

/** Bytes of one sample's layer outputs, summed over the layers whose shape is known. */
export function activationBytesPerSample(inference: DesignInference): number {
  let sum = 0;
  for (const n of inference.nodes.values()) sum += n.activationBytes ?? 0;
  return sum;
}

export function predictTrainingMemory(inference: DesignInference, batchSize: number, optimizer: OptimizerKind): MemoryBudget {
  const trainable = inference.totals.trainableParams * BYTES_PER_VALUE;
  const weights = inference.totals.totalParams * BYTES_PER_VALUE;
  const optimizerState = OPTIMIZER_SLOTS[optimizer] * trainable;
  const activations = ACTIVATION_FACTOR * activationBytesPerSample(inference) * batchSize;
  const stepTemporaries = STEP_TEMPORARIES[optimizer] * trainable;
  // Forward/backward: activations plus one gradient per trainable weight; update: its temporaries.
  const passes = activations + trainable;
  const peak = weights + optimizerState + (STEP_OVERLAPS_ACTIVATIONS[optimizer] ? passes + stepTemporaries - trainable : Math.max(passes, stepTemporaries));
  return { weights, optimizerState, activations, stepTemporaries, peak };
}

/**
 * What a device ceiling bounds. Device memory bounds the step's whole peak (`navigator.deviceMemory`);
 * WebGPU's adapter bounds each buffer a kernel binds (`maxStorageBufferBindingSize`,
 * `maxBufferSize`), so there the largest single tensor is what must fit, whatever the total. A failed
 * run's ceiling is the predicted peak of a step that ran out of memory on this device and backend
 * (src/train/device-ceiling.ts remembers it): in the prediction's own units, so it holds even where
 * the prediction is off, and a peak as large as that one is known not to fit.
 */
export type CeilingSource = 'device-memory' | 'webgpu-binding' | 'failed-run';

export type DeviceCeiling =
  | { readonly source: 'device-memory' | 'webgpu-binding'; readonly bytes: number }
  | { readonly source: 'failed-run'; readonly bytes: number; readonly failedBatch: number };

/** The most bytes a ceiling lets a step use: a failed run's peak itself did not fit. */
export function allowedBytes(ceiling: DeviceCeiling): number {
  return ceiling.source === 'failed-run' ? ceiling.bytes - 1 : ceiling.bytes;
}

/** Bytes of the largest single tensor a step holds: one layer's output for the batch, or one weight. */
export function largestBufferBytes(inference: DesignInference, batchSize: number): number {
  let most = 0;
  for (const n of inference.nodes.values()) {
    most = Math.max(most, (n.activationBytes ?? 0) * batchSize);
    for (const w of n.weights) most = Math.max(most, w.shape.reduce((a, b) => a * b, 1) * BYTES_PER_VALUE);
  }
  return most;
}

/** The bytes a ceiling of this source is held against, at this batch. */
export function bytesAgainst(source: CeilingSource, inference: DesignInference, batchSize: number, optimizer: OptimizerKind): number {
  return source === 'webgpu-binding' ? largestBufferBytes(inference, batchSize) : predictTrainingMemory(inference, batchSize, optimizer).peak;
}

/**
 * The largest batch whose predicted bytes (the peak, or under WebGPU the largest buffer) fit in
 * `limitBytes` (at least 1, at most `batchSize`), or null when even a batch of one does not fit.
 */
export function largestBatchWithin(
  inference: DesignInference,
  batchSize: number,
  optimizer: OptimizerKind,
  limitBytes: number,
  source: CeilingSource = 'device-memory',
): number | null {
  const bytes = (b: number) => bytesAgainst(source, inference, b, optimizer);
  if (bytes(1) > limitBytes) return null;
  let lo = 1;
  let hi = Math.max(1, Math.floor(batchSize));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (bytes(mid) <= limitBytes) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface BudgetAdvice {
  readonly memory: MemoryBudget;
  /** What the ceiling is held against: `memory.peak`, or under WebGPU the largest buffer. */
  readonly checked: number;
  readonly ceiling: DeviceCeiling | null;
  /** Bytes over the ceiling; 0 when it fits or no ceiling is known. */
  readonly over: number;
  /**
   * Settings that fit when these do not: a smaller batch, or, when not even one sample fits with Adam,
   * SGD with momentum (one slot per weight and a quarter of Adam's update temporaries) and a batch that
   * fits with it. Null when the settings fit, or when nothing does.
   */
  readonly fix: { readonly optimizer: OptimizerKind; readonly batchSize: number } | null;
}

/**
 * The budget check before Train: advice only, it never stops a run. With several ceilings (what the
 * browser reports, what a failed run taught), the one that binds is reported: of those exceeded, the
 * one whose fix needs the smallest batch; when none is exceeded, the first.
 */
export function budgetAdvice(
  inference: DesignInference,
  batchSize: number,
  optimizer: OptimizerKind,
  ceilings: DeviceCeiling | readonly DeviceCeiling[] | null,
): BudgetAdvice {
  const list: readonly DeviceCeiling[] = ceilings == null ? [] : 'source' in ceilings ? [ceilings] : ceilings;
  const memory = predictTrainingMemory(inference, batchSize, optimizer);
  if (list.length === 0) return { memory, checked: memory.peak, ceiling: null, over: 0, fix: null };
  const each = list.map((c) => adviceUnder(inference, batchSize, optimizer, memory, c));
  const exceeded = each.filter((a) => a.over > 0);
  if (exceeded.length === 0) return each[0];
  // Nothing fits < only a switch to SGD fits (smaller batch first) < a smaller batch fits (smaller first).
  const rank = (a: BudgetAdvice) =>
    !a.fix ? 0 : a.fix.optimizer === optimizer ? 2 + a.fix.batchSize : 1 + a.fix.batchSize / (batchSize + 1);
  return exceeded.reduce((a, b) => (rank(b) < rank(a) ? b : a));
}

function adviceUnder(inference: DesignInference, batchSize: number, optimizer: OptimizerKind, memory: MemoryBudget, ceiling: DeviceCeiling): BudgetAdvice {
  const limit = allowedBytes(ceiling);
  const checked = bytesAgainst(ceiling.source, inference, batchSize, optimizer);
  const over = Math.max(0, checked - limit);
  if (over === 0) return { memory, checked, ceiling, over, fix: null };
  const fix = (opt: OptimizerKind) => {
    const n = largestBatchWithin(inference, batchSize, opt, limit, ceiling.source);
    return n === null ? null : { optimizer: opt, batchSize: n };
  };
  return { memory, checked, ceiling, over, fix: fix(optimizer) ?? (optimizer === 'adam' ? fix('sgd') : null) };
}

/**
 * Evaluating a sample costs about this share of a training step on it (a forward pass of the step's
 * forward, backward and update); the time left, the progress bar and the epoch prediction weigh
 * validation and test by it.
 */
export const EVAL_COST = 1 / 3;

/**
 * Training speed assumed before anything was measured, in multiply-accumulates per second of a training
 * step counting forward and backward as 3× the forward MACs: LeNet-5's 3,700 samples/s on WASM on a
 * 2-core machine (DESIGN.md, Facts) × 3 × its 416,520 MACs. Shown only marked as an estimate.
 */
export const ESTIMATE_MACS_PER_SECOND = 3700 * 3 * 416_520;

/** Seconds of one training step on `batchSize` samples, estimated from the MACs (no measurement yet). */
export function estimateStepSeconds(inference: DesignInference, batchSize: number): number {
  return (3 * inference.totals.macs * batchSize) / ESTIMATE_MACS_PER_SECOND;
}

export interface EpochPlan {
  /** Seconds of one training step of `batchSize` samples (measured after warm-up, or estimated). */
  readonly stepSeconds: number;
  /** Training steps in the epoch. */
  readonly steps: number;
  readonly batchSize: number;
  /** Validation samples evaluated at the end of the epoch. */
  readonly valCount: number;
}

/**
 * Seconds per epoch from one step: steps are alike (same batch, same shapes), so the training part is
 * that step times the epoch's steps; validation costs EVAL_COST of a step per sample on top.
 */
export function predictEpochSeconds({ stepSeconds, steps, batchSize, valCount }: EpochPlan): number {
  return stepSeconds * steps + (EVAL_COST * valCount * stepSeconds) / Math.max(1, batchSize);
}
