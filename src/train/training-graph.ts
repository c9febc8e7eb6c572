/**
 * Training-time adjustments to a compiled model that change no result, only the work done.
 *
 * tfjs-layers runs every Conv2D through `tf.fused.conv2d`; with a linear activation inside a gradient
 * tape that op keeps its fused form, whose custom gradient computes the input gradient, the filter
 * gradient and the bias gradient together, needed or not. For a convolution that reads the images
 * (directly, or through layers without weights) the input gradient is never needed, and it is one of
 * the most expensive kernels of a step (LeNet-5's first layer: about a tenth of the step on WASM).
 * Such layers get an unfused call (conv2d, add, activation), whose gradients tfjs computes only for
 * the inputs that lead to a trained weight.
 */
import * as tf from '@tensorflow/tfjs';

interface ConvInternals {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  strides: [number, number];
  padding: 'valid' | 'same';
  dataFormat: 'channelsLast' | 'channelsFirst';
  dilationRate: [number, number];
  activation: { apply(x: tf.Tensor): tf.Tensor };
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
}

/** Names of the layers whose output depends on no trainable weight (walking from the inputs). */
export function weightFreeLayers(model: tf.LayersModel): Set<string> {
  const free = new Set<string>();
  for (const layer of model.layers) {
    const inbound = layer.inboundNodes.flatMap((n) => n.inboundLayers.map((l) => l.name));
    const hasWeights = layer.trainableWeights.length > 0;
    if (!hasWeights && inbound.every((name) => free.has(name))) free.add(layer.name);
  }
  return free;
}

/**
 * Switches convolutions fed only by weight-free layers to an unfused call. Returns the names of the
 * layers changed. Layers are visited in the model's (topological) order.
 */
export function skipUnneededInputGradients(model: tf.LayersModel): string[] {
  const free = weightFreeLayers(model);
  const changed: string[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Conv2D') continue;
    const inbound = layer.inboundNodes.flatMap((n) => n.inboundLayers.map((l) => l.name));
    if (inbound.length === 0 || !inbound.every((name) => free.has(name))) continue;
    const conv = layer as unknown as ConvInternals;
    if (conv.dataFormat !== 'channelsLast' || (conv as unknown as { rank?: number }).rank !== 2) continue;
    conv.call = (inputs) =>
      tf.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
        let y: tf.Tensor = tf.conv2d(x, conv.kernel.read() as tf.Tensor4D, conv.strides, conv.padding, 'NHWC', conv.dilationRate);
        if (conv.bias) y = tf.add(y, conv.bias.read());
        return conv.activation.apply(y);
      });
    changed.push(layer.name);
  }
  return changed;
}
