/**
 * Test support: small designs and data for the trainer's tests (Node, cpu backend): a few seconds at most.
 */
import * as tf from '@tensorflow/tfjs';
import { DesignBuilder } from '../../graph/index.ts';
import type { Design } from '../../graph/types.ts';
import { mulberry32 } from '../../graph/random.ts';
import type { ImageSet } from '../protocol.ts';

/** 8×8×1 → Conv 4@3×3 → MaxPool → Flatten → Dense(classes, softmax | linear). */
export function tinyDesign(classes = 3, head: 'softmax' | 'linear' = 'softmax'): Design {
  const b = new DesignBuilder('Tiny');
  const input = b.add('Input', { shape: [8, 8, 1] }, [], { id: 'in' });
  b.chain(input, [
    ['Conv2D', { filters: 4, kernel_size: [3, 3], activation: 'relu' }, { id: 'conv' }],
    ['MaxPool2D', { pool_size: [2, 2], strides: [2, 2] }, { id: 'pool' }],
    ['Flatten', {}, { id: 'flat' }],
    ['Dense', { units: classes, activation: head }, { id: 'out' }],
  ]);
  return b.build();
}

/** Lines on noise, 8×8: class 0 horizontal, 1 vertical, 2 diagonal; position random. */
export function lineImages(count: number, seed = 3): ImageSet {
  const random = mulberry32(seed);
  const size = 64;
  const x = new Float32Array(count * size);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const k = i % 3;
    y[i] = k;
    const at = 1 + Math.floor(random() * 6);
    for (let p = 0; p < size; p++) x[i * size + p] = random() * 0.25;
    for (let t = 0; t < 8; t++) {
      const [r, c] = k === 0 ? [at, t] : k === 1 ? [t, at] : [t, (t + at) % 8];
      x[i * size + r * 8 + c] = 1;
    }
  }
  return { shape: [8, 8, 1], count, x, y };
}

/**
 * Overwrites every weight with seeded Glorot-uniform values (biases and other 1-D weights keep their
 * initial values). tfjs draws its initial weights from an unseeded generator, so without this a test
 * that asserts learning would pass or fail by luck of the draw.
 */
export function seedWeights(model: tf.LayersModel, seed: number): void {
  const random = mulberry32(seed);
  const values = model.getWeights().map((w) => {
    if (w.shape.length < 2) return w.clone();
    const receptive = w.shape.slice(0, -2).reduce((a, b) => a * b, 1);
    const fanIn = receptive * w.shape[w.shape.length - 2];
    const fanOut = receptive * w.shape[w.shape.length - 1];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const data = Float32Array.from({ length: w.size }, () => (random() * 2 - 1) * limit);
    return tf.tensor(data, w.shape);
  });
  model.setWeights(values);
  tf.dispose(values);
}
