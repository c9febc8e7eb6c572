/**
 * FusedBatchNorm's gradient in a few full-size ops (issue 15: ResNet-18 training on WASM).
 *
 * tfjs 4.22's own gradient (tfjs-core gradients/FusedBatchNorm_grad.ts) tiles 1/√(var + ε) out to the
 * whole input before multiplying (WASM's Tile is a scalar loop: 12 % of a ResNet-18-CIFAR step in Node,
 * `npm run bench:wasm-kernels -- --model resnet18-cifar --profile`) and builds each of its five
 * gradients from its own full-size products: about twelve passes over x-sized tensors. Every per-channel
 * factor can be pulled out of the batch sums instead, with r = 1/√(var + ε) and γ the scale:
 *
 *   dx = dy · (γ r)                      doffset = Σ dy
 *   dmean = −γ r · Σ dy                  dscale  = r · Σ dy (x − mean)
 *   dvariance = −½ γ r³ · Σ dy (x − mean)
 *
 * (Σ over every axis that mean broadcasts along), so x − mean, dy (x − mean), dx and two sums are the
 * only full-size work. Same values as tfjs's up to float rounding (src/train/wasm-kernels.test.ts holds
 * the two to each other). Gradients are not per backend in tfjs: registered, it serves every backend.
 */
import * as tf from '@tensorflow/tfjs';

export const fusedBatchNormGradConfig: tf.GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const dyT = dy as tf.Tensor;
    const [x, mean, variance, scale] = saved;
    const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
    const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const overBatch = (t: tf.Tensor) => tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, mean.shape);
    // Computed here, not inside the closures: tfjs runs each closure in its own tidy, while what the
    // gradient function itself makes lives until the backward pass ends. Only per-channel tensors do:
    // the full-size intermediates are freed at once.
    const r = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    const scaledR = scale == null ? r : tf.mul(r, scale);
    const sumDy = overBatch(dyT);
    const sumDyCentred = tf.tidy(() => overBatch(tf.mul(dyT, tf.sub(x, mean))));
    return {
      x: () => tf.reshape(tf.mul(dyT, scaledR), x.shape),
      mean: () => tf.reshape(tf.neg(tf.mul(scaledR, sumDy)), mean.shape),
      variance: () => tf.reshape(tf.mul(tf.mul(scaledR, tf.mul(tf.square(r), tf.scalar(-0.5))), sumDyCentred), mean.shape),
      scale: () => tf.reshape(tf.mul(r, sumDyCentred), mean.shape),
      offset: () => tf.clone(sumDy),
    };
  },
};
