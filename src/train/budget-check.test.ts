/**
 * The budget check's advice and epoch time, held to tfjs (the largest tensor of a compiled model) and
 * to the training loop's own accounting of validation (workPlan), not to figures written here.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileDesign } from '../compile/compile.ts';
import { inferShapes } from '../graph/infer.ts';
import { loadTemplate } from '../graph/testing/templates.ts';
import {
  budgetAdvice,
  largestBatchWithin,
  largestBufferBytes,
  predictEpochSeconds,
  predictTrainingMemory,
} from '../graph/training-memory.ts';
import type { Design } from '../graph/types.ts';
import { forgetDisproved, learnedCeiling, learnFromFailure, parseLearnedCeilings, probeCeiling, type LearnedCeilings } from './device-ceiling.ts';
import { workPlan } from './loop.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const GIB = 2 ** 30;

function atSide(design: Design, side: number): Design {
  return { ...design, nodes: design.nodes.map((n) => (n.kind === 'Input' ? { ...n, params: { ...n.params, shape: [side, side, 3] } } : n)) };
}

describe('largest single tensor (what a WebGPU binding limit bounds)', () => {
  for (const [file, side] of [['vgg-16.json', 32], ['mnist-cnn.json', 0], ['resnet-18.json', 32]] as const) {
    it(`${file}: equals the largest layer output × batch or weight of the tfjs model`, async () => {
      const design = side ? atSide(loadTemplate(file), side) : loadTemplate(file);
      const c = await compileDesign(design);
      if (!c.ok) throw new Error(`${file} does not compile`);
      const batch = 3;
      const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, d) => a * (d ?? batch), 1) * 4;
      const outputs = c.model.layers.flatMap((l) => (Array.isArray(l.outputShape[0]) ? (l.outputShape as (number | null)[][]) : [l.outputShape as (number | null)[]]));
      const expected = Math.max(...outputs.map(size), ...c.model.weights.map((w) => size(w.shape)));
      c.model.dispose();
      expect(largestBufferBytes(inferShapes(design), batch)).toBe(expected);
    });
  }
});

describe('budget advice', () => {
  const inference = inferShapes(loadTemplate('resnet-18.json'));

  it('says nothing without a ceiling and when the prediction fits', () => {
    const peak = predictTrainingMemory(inference, 32, 'adam').peak;
    expect(budgetAdvice(inference, 32, 'adam', null)).toMatchObject({ over: 0, fix: null, ceiling: null });
    expect(budgetAdvice(inference, 32, 'adam', { source: 'device-memory', bytes: peak })).toMatchObject({ over: 0, fix: null });
  });

  it('over a memory ceiling: by how much, and the largest batch that fits', () => {
    const bytes = 4 * GIB;
    const advice = budgetAdvice(inference, 64, 'adam', { source: 'device-memory', bytes });
    const peak = predictTrainingMemory(inference, 64, 'adam').peak;
    expect(advice.over).toBeCloseTo(peak - bytes, 0);
    const n = advice.fix!.batchSize;
    expect(advice.fix!.optimizer).toBe('adam');
    expect(predictTrainingMemory(inference, n, 'adam').peak).toBeLessThanOrEqual(bytes);
    expect(predictTrainingMemory(inference, n + 1, 'adam').peak).toBeGreaterThan(bytes);
  });

  it('offers SGD with momentum when not even one sample fits with Adam, and nothing when nothing fits', () => {
    const vgg = inferShapes(loadTemplate('vgg-16.json'));
    const bytes = 8 * GIB;
    expect(largestBatchWithin(vgg, 32, 'adam', bytes)).toBeNull();
    const advice = budgetAdvice(vgg, 32, 'adam', { source: 'device-memory', bytes });
    expect(advice.fix).toEqual({ optimizer: 'sgd', batchSize: largestBatchWithin(vgg, 32, 'sgd', bytes) });
    expect(predictTrainingMemory(vgg, advice.fix!.batchSize, 'sgd').peak).toBeLessThanOrEqual(bytes);
    expect(budgetAdvice(vgg, 32, 'sgd', { source: 'device-memory', bytes: predictTrainingMemory(vgg, 1, 'sgd').peak - 1 }).fix).toBeNull();
  });

  it('a failed run: its own predicted peak is over (it did not fit), the largest smaller batch is offered', () => {
    const failedPeak = predictTrainingMemory(inference, 48, 'adam').peak;
    const learned = { source: 'failed-run', bytes: failedPeak, failedBatch: 48 } as const;
    const same = budgetAdvice(inference, 48, 'adam', learned);
    expect(same.over).toBeGreaterThan(0);
    expect(same.fix).toEqual({ optimizer: 'adam', batchSize: 47 });
    expect(budgetAdvice(inference, 47, 'adam', learned).over).toBe(0);
  });

  it('with several ceilings, reports the one that binds', () => {
    const peak = (batch: number) => predictTrainingMemory(inference, batch, 'adam').peak;
    const roomy = { source: 'device-memory', bytes: peak(40) } as const;
    const learned = { source: 'failed-run', bytes: peak(20), failedBatch: 20 } as const;
    for (const ceilings of [[roomy, learned], [learned, roomy]]) {
      const advice = budgetAdvice(inference, 64, 'adam', ceilings);
      expect(advice.ceiling).toBe(learned);
      expect(advice.fix).toEqual({ optimizer: 'adam', batchSize: 19 });
    }
    // Neither exceeded: the first is shown, and nothing is over.
    expect(budgetAdvice(inference, 8, 'adam', [roomy, learned])).toMatchObject({ ceiling: roomy, over: 0, fix: null });
    expect(budgetAdvice(inference, 8, 'adam', [])).toMatchObject({ ceiling: null, over: 0 });
  });

  it('under a WebGPU binding limit, holds the largest tensor to it, not the total', () => {
    const bytes = largestBufferBytes(inference, 10);
    const advice = budgetAdvice(inference, 32, 'adam', { source: 'webgpu-binding', bytes });
    expect(advice.checked).toBe(largestBufferBytes(inference, 32));
    expect(advice.over).toBe(largestBufferBytes(inference, 32) - bytes);
    expect(advice.fix).toEqual({ optimizer: 'adam', batchSize: 10 });
  });
});

describe('epoch time', () => {
  it('weighs validation as the training loop does (workPlan)', () => {
    const samplesPerSec = 1234;
    const batchSize = 50;
    const steps = 90;
    const val = 500;
    const plan = workPlan(1, steps * batchSize, val, 0);
    const predicted = predictEpochSeconds({ stepSeconds: batchSize / samplesPerSec, steps, batchSize, valCount: val });
    expect(predicted).toBeCloseTo(plan.total / samplesPerSec, 9);
  });
});

describe('device ceiling', () => {
  const adapter = (limits: Record<string, number>) => ({ requestAdapter: async () => ({ limits }) });

  it('WebGPU chosen: the smaller of the adapter binding and buffer limits', async () => {
    const nav = { deviceMemory: 8, gpu: adapter({ maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20 }) };
    expect(await probeCeiling('webgpu', nav)).toEqual({ source: 'webgpu-binding', bytes: 128 * 2 ** 20 });
  });

  it('WebGPU without an adapter, or another backend: the device memory in GiB', async () => {
    const none = { deviceMemory: 4, gpu: { requestAdapter: async () => null } };
    expect(await probeCeiling('webgpu', none)).toEqual({ source: 'device-memory', bytes: 4 * GIB });
    expect(await probeCeiling('wasm', { deviceMemory: 0.5, gpu: adapter({ maxBufferSize: 1 }) })).toEqual({ source: 'device-memory', bytes: GIB / 2 });
  });

  it('no reading: no ceiling', async () => {
    expect(await probeCeiling('auto', {})).toBeNull();
  });
});

describe('ceiling learned from a failed run', () => {
  const wasmFail = { bytes: 3 * GIB, batchSize: 256 };

  it('remembers the step that ran out of memory per backend, keeping the lower of two failures', () => {
    let known: LearnedCeilings = {};
    known = learnFromFailure(known, 'wasm', wasmFail);
    expect(learnedCeiling(known, 'wasm')).toEqual({ source: 'failed-run', bytes: 3 * GIB, failedBatch: 256 });
    expect(learnedCeiling(known, 'webgl')).toBeNull();
    expect(learnFromFailure(known, 'wasm', { bytes: 4 * GIB, batchSize: 512 })).toBe(known);
    known = learnFromFailure(known, 'wasm', { bytes: 2 * GIB, batchSize: 128 });
    expect(known.wasm).toEqual({ bytes: 2 * GIB, batchSize: 128 });
  });

  it('under Auto, the lowest of every backend (Auto may start on any)', () => {
    const known = learnFromFailure(learnFromFailure({}, 'wasm', wasmFail), 'webgl', { bytes: GIB, batchSize: 64 });
    expect(learnedCeiling(known, 'auto')).toEqual({ source: 'failed-run', bytes: GIB, failedBatch: 64 });
  });

  it('a run that finishes at the failed peak or above disproves it; a smaller one does not', () => {
    const known = learnFromFailure({}, 'wasm', wasmFail);
    expect(forgetDisproved(known, 'wasm', 2 * GIB)).toBe(known);
    expect(forgetDisproved(known, 'webgl', 5 * GIB)).toBe(known);
    expect(forgetDisproved(known, 'wasm', 3 * GIB)).toEqual({});
  });

  it('reads back what was stored, dropping damaged entries one by one', () => {
    const stored = JSON.parse(JSON.stringify(learnFromFailure({}, 'wasm', wasmFail)));
    expect(parseLearnedCeilings(stored)).toEqual({ wasm: wasmFail });
    expect(parseLearnedCeilings({ ...stored, webgl: { bytes: -1, batchSize: 2 }, cpu: 'x', nonsense: wasmFail })).toEqual({ wasm: wasmFail });
    expect(parseLearnedCeilings(null)).toEqual({});
  });
});
