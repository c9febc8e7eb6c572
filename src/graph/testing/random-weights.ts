/**
 * Test support: seeded random weights of the right kind for a design, with no tfjs, so exporters can be
 * compared numerically in any runtime. Glorot-uniform kernels; biases, β and running means small; γ and
 * running variances around 1 — every tensor's layout is exercised, not just the kernels'.
 */
import type { DesignInference } from '../infer.ts';
import type { DesignWeights, WeightTensor } from '../weights.ts';
import { Rng } from './rng.ts';

/** Values for one declared weight (`name` as the layer file declares it, Keras layout `shape`). */
export function randomWeightValues(name: string, shape: readonly number[], rng: Rng): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  if (name.endsWith('kernel')) {
    const field = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    const limit = Math.sqrt(6 / ((shape.at(-2)! + shape.at(-1)!) * field));
    for (let j = 0; j < n; j++) data[j] = (rng.next() * 2 - 1) * limit;
  } else {
    const around1 = name === 'gamma' || name === 'moving_variance';
    for (let j = 0; j < n; j++) data[j] = around1 ? 0.5 + rng.next() : (rng.next() - 0.5) * 0.2;
  }
  return data;
}

/** Random weights for every node of an inferred design, keyed as the design declares them. */
export function randomDesignWeights(inference: DesignInference, seed: number): DesignWeights {
  const rng = new Rng(seed);
  const out = new Map<string, Record<string, WeightTensor>>();
  for (const id of inference.order) {
    const tensors: Record<string, WeightTensor> = {};
    for (const w of inference.nodes.get(id)!.weights) tensors[w.name] = { shape: w.shape, data: randomWeightValues(w.name, w.shape, rng) };
    out.set(id, tensors);
  }
  return out;
}
