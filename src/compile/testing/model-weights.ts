/**
 * Test support (imported by tests only): weights in and out of a compiled tfjs model, keyed as the design
 * declares them, and seeded inputs for it, so exported code can be compared with tfjs numerically.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../graph/testing/rng.ts';
import { randomWeightValues } from '../../graph/testing/random-weights.ts';
import type { DesignWeights, WeightTensor } from '../../graph/weights.ts';
import type { CompiledModel } from '../compile.ts';

/**
 * Gives every weight of a compiled model random values of the right kind (randomWeightValues), so a
 * comparison exercises every tensor's layout, and a model compiled with `zeroInit` (fast) gets real weights.
 */
export function randomizeWeights(built: CompiledModel, seed: number): void {
  const rng = new Rng(seed);
  for (const [id, chain] of built.chainNames) {
    const declared = built.inference.nodes.get(id)!.weights;
    const layers = chain.map((name) => built.model.getLayer(name));
    let at = 0;
    for (const layer of layers) {
      const values = layer.getWeights().map((v, i) => {
        const { name, shape } = declared[at + i];
        return tf.tensor(randomWeightValues(name, shape, rng), v.shape);
      });
      if (values.length > 0) layer.setWeights(values);
      tf.dispose(values);
      at += values.length;
    }
  }
}

/** The weights of a compiled model, keyed as the design declares them (node id → weight name). */
export function weightsFromModel(built: CompiledModel): DesignWeights {
  const out = new Map<string, Record<string, WeightTensor>>();
  for (const [id, chain] of built.chainNames) {
    const declared = built.inference.nodes.get(id)!.weights;
    const values = chain.flatMap((name) => built.model.getLayer(name).getWeights());
    const tensors: Record<string, WeightTensor> = {};
    values.forEach((v, i) => {
      tensors[declared[i].name] = { shape: v.shape, data: v.dataSync() as Float32Array };
    });
    out.set(id, tensors);
  }
  return out;
}

/** Random inputs (uniform in [−1, 1)) for each of the model's inputs, with the given batch size. */
export function randomInputs(built: CompiledModel, batch: number, seed: number): tf.Tensor[] {
  const rng = new Rng(seed);
  return built.model.inputs.map((t) => {
    const shape = [batch, ...(t.shape.slice(1) as number[])];
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(rng.values(n), shape);
  });
}
