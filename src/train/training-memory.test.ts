import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileDesign } from '../compile/compile.ts';
import { measuredStepPeak } from './testing/step-peak.ts';
import { inferShapes } from '../graph/infer.ts';
import { loadTemplate } from '../graph/testing/templates.ts';
import { largestBatchWithin, predictTrainingMemory, type OptimizerKind } from '../graph/training-memory.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function measuredPeak(file: string, batch: number, optimizer: OptimizerKind): Promise<number> {
  const c = await compileDesign(loadTemplate(file));
  if (!c.ok) throw new Error(`${file} does not compile`);
  const peak = await measuredStepPeak(c.model, batch, optimizer);
  c.model.dispose();
  return peak;
}

describe('predicted training memory against tfjs (cpu backend)', () => {
  const cases: [string, number, OptimizerKind][] = [
    ['lenet-5.json', 2, 'adam'],
    ['lenet-5.json', 6, 'adam'],
    ['lenet-5.json', 2, 'sgd'],
    ['mnist-cnn.json', 2, 'adam'],
    ['mnist-cnn.json', 6, 'adam'],
    ['mnist-cnn.json', 2, 'sgd'],
    ['mnist-cnn.json', 6, 'sgd'],
    ['lenet-5.json', 6, 'sgd'],
    ['mlp.json', 2, 'adam'],
    ['mlp.json', 2, 'sgd'],
  ];
  for (const [file, batch, optimizer] of cases) {
    it(`${file}, batch ${batch}, ${optimizer}: within 25 % of the measured peak`, async () => {
      const predicted = predictTrainingMemory(inferShapes(loadTemplate(file)), batch, optimizer).peak;
      const measured = await measuredPeak(file, batch, optimizer);
      expect(Math.abs(predicted - measured) / measured).toBeLessThan(0.25);
    });
  }
});

describe('largest batch within a limit', () => {
  it('is the largest batch whose prediction fits, and null when one sample does not', () => {
    const inference = inferShapes(loadTemplate('mnist-cnn.json'));
    const limit = predictTrainingMemory(inference, 40, 'adam').peak;
    const n = largestBatchWithin(inference, 256, 'adam', limit)!;
    expect(predictTrainingMemory(inference, n, 'adam').peak).toBeLessThanOrEqual(limit);
    expect(predictTrainingMemory(inference, n + 1, 'adam').peak).toBeGreaterThan(limit);
    expect(largestBatchWithin(inference, 256, 'adam', predictTrainingMemory(inference, 1, 'adam').peak - 1)).toBeNull();
  });
});
