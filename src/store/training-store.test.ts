import { describe, expect, it, vi } from 'vitest';
import { DesignBuilder, serializeDesign } from '../graph/index.ts';
import type { ClientEvent } from '../train/client.ts';
import type { DataSummary, RunResult } from '../train/protocol.ts';
import { createAppStore } from './app-store.ts';
import { createTrainingStore, MAX_CURVE_POINTS, type TrainingClientLike } from './training-store.ts';

function fakeClient() {
  const listeners = new Set<(e: ClientEvent) => void>();
  const summary: DataSummary = { name: 'shapes', classes: ['a', 'b'], shape: [8, 8, 1], trainCount: 10, testCount: 4, perClass: [5, 5], testPerClass: [2, 2] };
  const client = {
    on: (l: (e: ClientEvent) => void) => (listeners.add(l), () => listeners.delete(l)),
    loadData: vi.fn(async (_source: unknown, onProgress?: (a: number, b: number) => void) => {
      onProgress?.(1, 2);
      return summary;
    }),
    start: vi.fn(async () => 7),
    pause: vi.fn(async () => {}),
    resume: vi.fn(async () => {}),
    stop: vi.fn(async () => {}),
    predict: vi.fn(),
    emit: (e: ClientEvent) => listeners.forEach((l) => l(e)),
  };
  return client as typeof client & TrainingClientLike;
}

async function setup() {
  const b = new DesignBuilder('Tiny');
  const input = b.add('Input', { shape: [8, 8, 1] }, [], { id: 'in' });
  b.chain(input, [['Flatten', {}, { id: 'flat' }], ['Dense', { units: 2, activation: 'softmax' }, { id: 'out' }]]);
  const d = b.build();
  const app = createAppStore({ lang: 'en', catalogue: [{ file: 't.json', name: 't' }], loaderFor: () => async () => JSON.parse(serializeDesign(d)) });
  await app.getState().loadTemplate('t.json');
  const client = fakeClient();
  return { app, client, training: createTrainingStore(client, app) };
}

const result = (): RunResult => ({
  reason: 'completed',
  backend: 'wasm',
  epochsRun: 1,
  seconds: 1,
  samplesPerSec: 100,
  testAccuracy: 0.9,
  testLoss: 0.3,
  confusion: [[2, 0], [1, 1]],
  misclassified: [],
  misclassifiedTotal: 1,
  weights: { tensors: [{ nodeId: 'out', name: 'bias', shape: [2], data: new Float32Array(2) }] },
});

describe('training store', () => {
  it('loading data shows progress and then the summary', async () => {
    const { training } = await setup();
    const states: (number | null)[] = [];
    training.subscribe((s) => states.push(s.dataProgress));
    await training.getState().chooseData({ kind: 'synthetic' }, { kind: 'synthetic', size: 8 });
    expect(states).toContain(0.5);
    expect(training.getState().dataSummary?.perClass).toEqual([5, 5]);
    expect(training.getState().dataProgress).toBeNull();
  });

  it('a run marks the design busy, follows the events, and stores the weights beside the design when done', async () => {
    const { app, client, training } = await setup();
    await training.getState().start('softmax-probabilities');
    expect(client.start).toHaveBeenCalledWith(app.getState().design, expect.objectContaining({ loss: 'softmax-probabilities' }), 'auto');
    expect(app.getState().runActive).toBe(true);
    client.emit({ type: 'status', runId: 7, phase: 'training', backend: 'wasm', measurements: [{ backend: 'wasm', samplesPerSec: 900 }] });
    client.emit({ type: 'progress', runId: 7, epoch: 1, epochs: 2, batch: 5, batches: 10, loss: 1.2, acc: 0.4, samplesPerSec: 800, etaSec: 3, fraction: 0.25 });
    client.emit({ type: 'progress', runId: 99, epoch: 1, epochs: 2, batch: 6, batches: 10, loss: 9, acc: 0, samplesPerSec: 1, etaSec: 1, fraction: 0.3 });
    client.emit({ type: 'epoch', runId: 7, epoch: 1, loss: 1, acc: 0.5, valLoss: 0.9, valAcc: 0.6 });
    let run = training.getState().run!;
    expect(run.backend).toBe('wasm');
    expect(run.train).toEqual([{ x: 0.5, loss: 1.2, acc: 0.4 }]);
    expect(run.val).toEqual([{ x: 1, loss: 0.9, acc: 0.6 }]);
    expect(run.etaSec).toBe(3);
    client.emit({ type: 'done', runId: 7, result: result() });
    run = training.getState().run!;
    expect(run.phase).toBe('done');
    expect(training.getState().result?.testAccuracy).toBe(0.9);
    expect(app.getState().weights?.get('out')?.bias.shape).toEqual([2]);
    expect(app.getState().runActive).toBe(false);
  });

  it('confirming an edit during a run stops the run through the client', async () => {
    const { app, client, training } = await setup();
    await training.getState().start('logits');
    app.getState().updateNodeParams('out', { units: 3 });
    expect(app.getState().pendingEdit).not.toBeNull();
    await app.getState().confirmPendingEdit();
    expect(client.stop).toHaveBeenCalledOnce();
    expect(app.getState().design!.nodes.find((n) => n.id === 'out')!.params.units).toBe(3);
  });

  it('a crashed worker is reported in words, ends the run and forgets the data; the design stays', async () => {
    const { app, client, training } = await setup();
    await training.getState().chooseData({ kind: 'synthetic' }, { kind: 'synthetic' });
    await training.getState().start('logits');
    const design = app.getState().design;
    client.emit({ type: 'crashed', error: { kind: 'worker-crashed', message: 'The training worker crashed.' } });
    expect(training.getState().error).toBe('The training worker crashed.');
    expect(training.getState().run!.phase).toBe('failed');
    expect(training.getState().dataSummary).toBeNull();
    expect(app.getState().runActive).toBe(false);
    expect(app.getState().design).toBe(design);
  });

  it('a run stopped before training began ends quietly; a failure is said', async () => {
    const { app, client, training } = await setup();
    await training.getState().start('logits');
    client.emit({ type: 'run-error', runId: 7, error: { kind: 'stopped', message: 'stopped early' } });
    expect(training.getState().run!.phase).toBe('stopped');
    expect(training.getState().error).toBeNull();
    expect(app.getState().runActive).toBe(false);
    await training.getState().start('logits');
    client.emit({ type: 'run-error', runId: 7, error: { kind: 'out-of-memory', message: 'The browser ran out of memory.' } });
    expect(training.getState().run!.phase).toBe('failed');
    expect(training.getState().error).toBe('The browser ran out of memory.');
  });

  it('curves keep a bounded number of points', async () => {
    const { client, training } = await setup();
    await training.getState().start('logits');
    for (let i = 1; i <= MAX_CURVE_POINTS * 3; i++) {
      client.emit({ type: 'progress', runId: 7, epoch: 1, epochs: 1, batch: i, batches: MAX_CURVE_POINTS * 3, loss: 1, acc: 0, samplesPerSec: 1, etaSec: 1, fraction: 0 });
    }
    const train = training.getState().run!.train;
    expect(train.length).toBeLessThanOrEqual(MAX_CURVE_POINTS + 1);
    expect(train.at(-1)!.x).toBe(1);
  });
});
