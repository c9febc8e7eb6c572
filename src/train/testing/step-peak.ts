/**
 * Test and benchmark support: tfjs's own peak bytes (`tf.profile` peakBytes) over two real training
 * steps of `model` on constant data; the first step creates the optimiser's slots, the second is steady.
 * The one measurement the budget check's test and `bench:budget` both compare against.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerKind } from '../../graph/training-memory.ts';
import { makeOptimizer, makeStep, modelIo } from '../loop.ts';

export async function measuredStepPeak(model: tf.LayersModel, batch: number, optimizer: OptimizerKind): Promise<number> {
  const io = modelIo(model);
  const opt = makeOptimizer({ optimizer, learningRate: 1e-3, momentum: 0.9 });
  const step = makeStep(model, opt, 'softmax-probabilities', io);
  const x = new Float32Array(batch * io.size).fill(0.5);
  const y = new Int32Array(batch);
  let peak = 0;
  for (let i = 0; i < 2; i++) {
    const p = await tf.profile(() => {
      const r = step(x, y, batch);
      r.lossSum.dispose();
      r.correct.dispose();
    });
    peak = Math.max(peak, p.peakBytes);
  }
  opt.dispose();
  return peak;
}
