/** The losses the trainer offers; which one applies is the fit check's call (softmax head or logits). */
import * as tf from '@tensorflow/tfjs';
import type { LossKind } from './protocol.ts';

const EPS = 1e-7;

/** Mean cross-entropy of a batch; `output` is probabilities (softmax head) or logits. */
export function crossEntropy(oneHot: tf.Tensor, output: tf.Tensor, kind: LossKind): tf.Scalar {
  if (kind === 'logits') return tf.losses.softmaxCrossEntropy(oneHot, output) as tf.Scalar;
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(output, EPS, 1 - EPS))), -1))));
}
