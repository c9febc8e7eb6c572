import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileDesign, type CompiledModel } from '../compile/compile.ts';
import { DesignBuilder } from '../graph/index.ts';
import { acceptsImages, EVAL_COST, measureTraining, median, modelIo, trainLoop, workPlan, type EpochInfo, type ProgressInfo } from './loop.ts';
import { DEFAULT_CONFIG, type TrainConfig } from './protocol.ts';
import { RunControl } from './run-control.ts';
import { lineImages, seedWeights, tinyDesign } from './testing/fixtures.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function tinyModel(head: 'softmax' | 'linear' = 'softmax', seed = 1): Promise<CompiledModel> {
  const c = await compileDesign(tinyDesign(3, head));
  if (!c.ok) throw new Error('tiny design does not compile');
  seedWeights(c.model, seed);
  return c;
}

const config = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  ...DEFAULT_CONFIG,
  optimizer: 'adam',
  learningRate: 0.02,
  batchSize: 16,
  epochs: 4,
  validationSplit: 0.2,
  ...over,
});

describe('training loop', () => {
  it('loss falls and accuracy rises on line images (softmax head, Adam)', async () => {
    const { model } = await tinyModel();
    const epochs: EpochInfo[] = [];
    const result = await trainLoop({ model, train: lineImages(300), config: config() }, { onEpoch: (e) => epochs.push(e) });
    model.dispose();
    expect(result.reason).toBe('completed');
    expect(epochs).toHaveLength(4);
    expect(epochs[3].loss).toBeLessThan(epochs[0].loss * 0.7);
    expect(epochs[3].valAcc!).toBeGreaterThan(0.8);
  });

  it('trains a logits head with SGD and momentum', async () => {
    const { model } = await tinyModel('linear');
    const epochs: EpochInfo[] = [];
    await trainLoop(
      { model, train: lineImages(300), config: config({ optimizer: 'sgd', learningRate: 0.1, loss: 'logits' }) },
      { onEpoch: (e) => epochs.push(e) },
    );
    model.dispose();
    expect(epochs.at(-1)!.loss).toBeLessThan(epochs[0].loss);
  });

  it('keeps the tensor count flat from epoch to epoch (with augmentation and early-stopping snapshots)', async () => {
    const { model } = await tinyModel();
    const counts: number[] = [];
    await trainLoop(
      { model, train: lineImages(200), config: config({ epochs: 5, patience: 10, augment: { shift: 1, flip: true } }) },
      { onEpoch: () => counts.push(tf.memory().numTensors) },
    );
    expect(new Set(counts).size).toBe(1);
    const before = tf.memory().numTensors;
    model.dispose();
    // Everything the loop made (optimiser slots, snapshots, accumulators) is gone with it.
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('leaves no tensor behind once the model is disposed', async () => {
    const start = tf.memory().numTensors;
    const { model } = await tinyModel();
    await trainLoop({ model, train: lineImages(100), config: config({ epochs: 2, patience: 1 }) });
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('early stopping ends the run when the monitored loss stops improving', async () => {
    const { model } = await tinyModel();
    // A learning rate of zero: the validation loss never improves after the first epoch.
    const result = await trainLoop({ model, train: lineImages(120), config: config({ epochs: 10, learningRate: 0, patience: 2 }) });
    model.dispose();
    expect(result.reason).toBe('early-stopped');
    expect(result.epochsRun).toBe(3);
  });

  it('early stopping restores the weights of the best epoch', async () => {
    const { model } = await tinyModel();
    let best: number[] = [];
    // No learning (rate 0); after epoch 1 the weights are scrambled, so every later epoch is worse and
    // the run must end with epoch 1's weights back in place.
    const result = await trainLoop(
      { model, train: lineImages(120), config: config({ epochs: 6, learningRate: 0, patience: 1 }) },
      {
        onEpoch: (e) => {
          if (e.epoch !== 1) return;
          best = Array.from(model.getWeights()[0].dataSync());
          model.setWeights(model.getWeights().map((w) => tf.mul(w, -7)));
        },
      },
    );
    expect(result.reason).toBe('early-stopped');
    expect(result.epochsRun).toBe(2);
    expect(result.epochs[1].valLoss!).toBeGreaterThan(result.epochs[0].valLoss!);
    expect(Array.from(model.getWeights()[0].dataSync())).toEqual(best);
    model.dispose();
  });

  it('pause holds the loop between batches until resume, and no progress is reported meanwhile', async () => {
    const { model } = await tinyModel();
    const control = new RunControl();
    const progress: ProgressInfo[] = [];
    let pausedAt = -1;
    const run = trainLoop(
      { model, train: lineImages(300), config: config({ epochs: 2, batchSize: 8 }) },
      {
        control,
        progressIntervalMs: 0,
        onProgress: (p) => {
          progress.push(p);
          if (progress.length === 3) control.pause();
        },
      },
    );
    await new Promise((r) => setTimeout(r, 150));
    expect(control.current).toBe('paused');
    pausedAt = progress.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(progress.length).toBe(pausedAt);
    control.resume();
    const result = await run;
    model.dispose();
    expect(result.reason).toBe('completed');
    expect(progress.length).toBeGreaterThan(pausedAt);
    expect(progress.at(-1)!.fraction).toBeCloseTo(1);
  });

  it('stop ends the run at the next batch, also while paused', async () => {
    const { model } = await tinyModel();
    const control = new RunControl();
    let seen = 0;
    const run = trainLoop(
      { model, train: lineImages(300), config: config({ epochs: 5, batchSize: 8 }) },
      {
        control,
        progressIntervalMs: 0,
        onProgress: () => {
          if (++seen === 2) control.pause();
        },
      },
    );
    await new Promise((r) => setTimeout(r, 100));
    control.stop();
    const result = await run;
    model.dispose();
    expect(result.reason).toBe('stopped');
    expect(seen).toBe(2);
  });

  it('caps batches per epoch and reports progress fractions that end at 1', async () => {
    const { model } = await tinyModel();
    const progress: ProgressInfo[] = [];
    await trainLoop(
      { model, train: lineImages(300), config: config({ epochs: 2, batchSize: 10, maxBatchesPerEpoch: 3, validationSplit: 0 }) },
      { progressIntervalMs: 0, onProgress: (p) => progress.push(p) },
    );
    model.dispose();
    expect(progress.map((p) => p.batch)).toEqual([1, 2, 3, 1, 2, 3]);
    expect(progress.map((p) => p.batches)).toEqual([3, 3, 3, 3, 3, 3]);
    expect(progress.at(-1)!.fraction).toBe(1);
    expect(progress.at(-1)!.etaSec).toBe(0);
  });

  it('a flat (MLP) Input takes the images as row-major vectors and learns them', async () => {
    const b = new DesignBuilder('MLP');
    const input = b.add('Input', { shape: [64] }, [], { id: 'in' });
    b.chain(input, [['Dense', { units: 16, activation: 'relu' }, { id: 'h' }], ['Dense', { units: 3, activation: 'softmax' }, { id: 'out' }]]);
    const c = await compileDesign(b.build());
    if (!c.ok) throw new Error('mlp does not compile');
    const io = modelIo(c.model);
    expect(io.inputShape).toEqual([64]);
    expect(acceptsImages(io, [8, 8, 1])).toBe(true);
    expect(acceptsImages(io, [8, 8, 3])).toBe(false);
    const epochs: EpochInfo[] = [];
    await trainLoop({ model: c.model, train: lineImages(300), config: config({ epochs: 3 }) }, { onEpoch: (e) => epochs.push(e) });
    c.model.dispose();
    expect(epochs.at(-1)!.loss).toBeLessThan(epochs[0].loss);
  });

  it('measures training speed as a positive number of samples per second', async () => {
    const { model } = await tinyModel();
    const speed = await measureTraining(model, { batchSize: 8, loss: 'softmax-probabilities', windows: 3, stepsPerWindow: 2 });
    model.dispose();
    expect(speed).toBeGreaterThan(0);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('run control', () => {
  it('pauses only a running run, resumes only a paused one, and stop wins', async () => {
    const c = new RunControl();
    expect(c.resume()).toBe(false);
    expect(c.pause()).toBe(true);
    expect(c.pause()).toBe(false);
    let released = false;
    const wait = c.checkpoint().then((stop) => {
      released = true;
      return stop;
    });
    await Promise.resolve();
    expect(released).toBe(false);
    c.stop();
    expect(await wait).toBe(true);
    expect(c.resume()).toBe(false);
    expect(c.current).toBe('stopping');
  });
});

describe('training loop: what ran and what is left', () => {
  it('a stop mid-epoch says where: the epoch and the batches done of its batches', async () => {
    const { model } = await tinyModel();
    const control = new RunControl();
    let seen = 0;
    const result = await trainLoop(
      { model, train: lineImages(300), config: config({ epochs: 3, batchSize: 8 }) },
      {
        control,
        progressIntervalMs: 0,
        yieldEveryMs: 0,
        onProgress: (p) => {
          if (p.epoch === 2 && p.batch === 5 && ++seen === 1) control.stop();
        },
      },
    );
    model.dispose();
    expect(result.reason).toBe('stopped');
    expect(result.stoppedAt).toEqual({ epoch: 2, batch: 5, batches: 30 });
  });

  it('time left and the bar count validation and the test: the last training batch is not the end', async () => {
    const { model } = await tinyModel();
    const progress: ProgressInfo[] = [];
    const plan = workPlan(2, 240, 60, 100);
    await trainLoop(
      { model, train: lineImages(300), config: config({ epochs: 2, batchSize: 8, validationSplit: 0.2 }) },
      { progressIntervalMs: 0, testCount: 100, onProgress: (p) => progress.push(p) },
    );
    model.dispose();
    const lastBatch = progress.filter((p) => !p.afterValidation).at(-1)!;
    expect(lastBatch.fraction).toBeCloseTo((plan.total - EVAL_COST * 160) / plan.total, 6);
    expect(lastBatch.etaSec).toBeGreaterThan(0);
    const afterValidation = progress.at(-1)!;
    expect(afterValidation.afterValidation).toBe(true);
    expect(afterValidation.fraction).toBeCloseTo((plan.total - EVAL_COST * 100) / plan.total, 6);
    expect(afterValidation.etaSec).toBeGreaterThan(0);
    expect(progress.filter((p) => p.afterValidation)).toHaveLength(2);
  });
});
