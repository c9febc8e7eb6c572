import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileDesign } from '../compile/compile.ts';
import { DesignBuilder } from '../graph/index.ts';
import { crossEntropy } from './losses.ts';
import { skipUnneededInputGradients, weightFreeLayers } from './training-graph.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** LeNet's pattern in small: tanh convolutions (fused with a linear activation while taped), padding first. */
async function build() {
  const b = new DesignBuilder('Small LeNet');
  const input = b.add('Input', { shape: [12, 12, 1] }, [], { id: 'in' });
  b.chain(input, [
    ['ZeroPadding2D', { padding: [1, 1, 1, 1] }, { id: 'pad' }],
    ['Conv2D', { filters: 3, kernel_size: [3, 3], activation: 'tanh' }, { id: 'c1' }],
    ['AvgPool2D', { pool_size: [2, 2], strides: [2, 2] }, { id: 'p1' }],
    ['Conv2D', { filters: 4, kernel_size: [3, 3], activation: 'tanh' }, { id: 'c2' }],
    ['Flatten', {}, { id: 'f' }],
    ['Dense', { units: 3 }, { id: 'out' }],
  ]);
  const c = await compileDesign(b.build());
  if (!c.ok) throw new Error('does not compile');
  return c.model;
}

function grads(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor) {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => crossEntropy(y, model.apply(x, { training: true }) as tf.Tensor, 'logits'), vars);
  return vars.map((v) => grads[v.name]);
}

describe('training graph', () => {
  it('finds the layers that depend on no weight', async () => {
    const model = await build();
    expect([...weightFreeLayers(model)].sort()).toEqual(['in', 'pad'].sort());
    model.dispose();
  });

  it('unfuses only the convolution fed by the images; gradients stay the same and one input gradient is skipped', async () => {
    const model = await build();
    const x = tf.randomUniform([5, 12, 12, 1]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0], 'int32'), 3);
    const before = grads(model, x, y);
    const count = async () => (await tf.profile(() => tf.dispose(grads(model, x, y)))).kernels.filter((k) => k.name === 'Conv2DBackpropInput').length;
    const inputGradsBefore = await count();
    expect(skipUnneededInputGradients(model)).toEqual(['c1']);
    const after = grads(model, x, y);
    for (let i = 0; i < before.length; i++) {
      const a = after[i].dataSync();
      const b = before[i].dataSync();
      for (let j = 0; j < a.length; j++) expect(a[j]).toBeCloseTo(b[j], 5);
    }
    expect(await count()).toBe(inputGradsBefore - 1);
    tf.dispose([before, after, x, y]);
    model.dispose();
  });
});
