/**
 * Evaluation: loss and accuracy over a set (validation, test), the confusion matrix, misclassified
 * examples and top-5 predictions. The tensor part runs in batches with training off; the rest is pure.
 */
import * as tf from '@tensorflow/tfjs';
import { fillBatch, range } from './batches.ts';
import { crossEntropy } from './losses.ts';
import type { ImageSet, LossKind, Top5 } from './protocol.ts';

export interface SetEvaluation {
  readonly loss: number;
  readonly accuracy: number;
  /** Predicted class per evaluated image, in the order of `indices` (only when asked for). */
  readonly predicted?: Int32Array;
}

export async function evaluateSet(
  model: tf.LayersModel,
  set: ImageSet,
  indices: Int32Array | null,
  loss: LossKind,
  classes: number,
  options: { batchSize?: number; collect?: boolean } = {},
): Promise<SetEvaluation> {
  const order = indices ?? range(set.count);
  const batchSize = options.batchSize ?? 256;
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  const predicted = options.collect ? new Int32Array(order.length) : undefined;
  let lossSum = 0;
  let correct = 0;
  for (let from = 0; from < order.length; from += batchSize) {
    const to = Math.min(from + batchSize, order.length);
    const { x, y } = fillBatch(set, order, from, to, null, Math.random);
    const [l, c, p] = tf.tidy(() => {
      const labels = tf.tensor1d(y, 'int32');
      const out = model.predict(tf.tensor(x, [to - from, ...inputShape])) as tf.Tensor;
      const pred = tf.argMax(out, -1);
      return [
        tf.mul(crossEntropy(tf.oneHot(labels, classes), out, loss), to - from),
        tf.sum(tf.cast(tf.equal(pred, labels), 'float32')),
        pred,
      ];
    });
    const [lv, cv, pv] = await Promise.all([l.data(), c.data(), p.data()]);
    tf.dispose([l, c, p]);
    lossSum += lv[0];
    correct += cv[0];
    predicted?.set(pv as Int32Array, from);
  }
  const n = Math.max(order.length, 1);
  return { loss: lossSum / n, accuracy: correct / n, predicted };
}

/** confusion[actual][predicted]. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i];
    const p = predicted[i];
    if (a >= 0 && a < classes && p >= 0 && p < classes) m[a][p]++;
  }
  return m;
}

/** Indices (into the evaluated order) where the prediction is wrong, first `limit` of them. */
export function misclassifiedIndices(labels: ArrayLike<number>, predicted: ArrayLike<number>, limit: number): { indices: number[]; total: number } {
  const indices: number[] = [];
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== predicted[i]) {
      total++;
      if (indices.length < limit) indices.push(i);
    }
  }
  return { indices, total };
}

/** The k most likely classes, most likely first. `scores` are probabilities. */
export function topK(scores: ArrayLike<number>, k = 5): Top5[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  idx.sort((a, b) => scores[b] - scores[a]);
  return idx.slice(0, k).map((i) => ({ classIndex: i, probability: scores[i] }));
}

/** Class probabilities for one image (softmax applied when the head gives logits). */
export async function predictOne(model: tf.LayersModel, pixels: Float32Array, loss: LossKind): Promise<Float32Array> {
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  const out = tf.tidy(() => {
    const y = model.predict(tf.tensor(pixels, [1, ...inputShape])) as tf.Tensor;
    return loss === 'logits' ? tf.softmax(y) : y;
  });
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
}
