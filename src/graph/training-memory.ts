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
 * The largest batch whose predicted peak fits in `limitBytes` (at least 1, at most `batchSize`), or
 * null when even a batch of one does not fit.
 */
export function largestBatchWithin(inference: DesignInference, batchSize: number, optimizer: OptimizerKind, limitBytes: number): number | null {
  if (predictTrainingMemory(inference, 1, optimizer).peak > limitBytes) return null;
  let lo = 1;
  let hi = Math.max(1, Math.floor(batchSize));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (predictTrainingMemory(inference, mid, optimizer).peak <= limitBytes) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Seconds per epoch from one measured step: steps are alike (same batch, same shapes), so the epoch
 * is that step times the epoch's steps.
 */
export function predictEpochSeconds(stepSeconds: number, steps: number): number {
  return stepSeconds * steps;
}
