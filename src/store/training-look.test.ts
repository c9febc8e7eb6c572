/** The training store's look: during a run it asks the worker's live model; otherwise it hands over the design's weights first. */
import { describe, expect, it, vi } from 'vitest';
import { DesignBuilder, serializeDesign } from '../graph/index.ts';
import type { ClientEvent } from '../train/client.ts';
import { DEFAULT_CONFIG, type DataSummary } from '../train/protocol.ts';
import { createAppStore } from './app-store.ts';
import { createTrainingStore, type TrainingClientLike } from './training-store.ts';

async function setup() {
  const b = new DesignBuilder('Tiny');
  const input = b.add('Input', { shape: [8, 8, 1] }, [], { id: 'in' });
  b.chain(input, [['Flatten', {}, { id: 'flat' }], ['Dense', { units: 2, activation: 'softmax' }, { id: 'out' }]]);
  const d = b.build();
  const app = createAppStore({ lang: 'en', catalogue: [{ file: 't.json', name: 't' }], loaderFor: () => async () => JSON.parse(serializeDesign(d)) });
  await app.getState().loadTemplate('t.json');
  const listeners = new Set<(e: ClientEvent) => void>();
  const summary: DataSummary = { name: 'shapes', classes: ['a', 'b'], shape: [8, 8, 1], trainCount: 10, testCount: 4, perClass: [5, 5], testPerClass: [2, 2] };
  const client = {
    on: (l: (e: ClientEvent) => void) => (listeners.add(l), () => listeners.delete(l)),
    loadData: vi.fn(async () => summary),
    start: vi.fn(async () => 7),
    pause: vi.fn(async () => {}),
    resume: vi.fn(async () => {}),
    stop: vi.fn(async () => {}),
    predict: vi.fn(),
    evaluate: vi.fn(),
    useWeights: vi.fn(async () => {}),
    look: vi.fn(async () => ({ kind: 'filters' })),
    emit: (e: ClientEvent) => listeners.forEach((l) => l(e)),
  };
  const training = createTrainingStore(client as unknown as TrainingClientLike, app);
  return { app, client, training };
}

const query = { kind: 'filters', nodeId: 'out', from: 0, count: 16 } as const;

describe('training store look', () => {
  it('without a run or weights is refused in words, and the worker is not asked', async () => {
    const { client, training } = await setup();
    await expect(training.getState().look(query)).rejects.toThrow('There are no trained weights for this design.');
    expect(client.look).not.toHaveBeenCalled();
  });

  it('with saved weights gives them to the worker once, then looks', async () => {
    const { app, client, training } = await setup();
    app.getState().setWeights(new Map([['out', { kernel: { shape: [64, 2], data: new Float32Array(128) }, bias: { shape: [2], data: new Float32Array(2) } }]]));
    await training.getState().look(query);
    await training.getState().look(query);
    expect(client.useWeights).toHaveBeenCalledOnce();
    expect(client.look).toHaveBeenCalledTimes(2);
    expect(client.useWeights.mock.invocationCallOrder[0]).toBeLessThan(client.look.mock.invocationCallOrder[0]);
  });

  it('during a run asks the live model directly', async () => {
    const { client, training } = await setup();
    await training.getState().chooseData({ kind: 'synthetic' }, { kind: 'synthetic' });
    training.getState().setConfig({ ...DEFAULT_CONFIG });
    await training.getState().start('softmax-probabilities');
    client.emit({ type: 'status', runId: 7, phase: 'training', backend: 'wasm' });
    await training.getState().look(query);
    expect(client.useWeights).not.toHaveBeenCalled();
    expect(client.look).toHaveBeenCalledWith(query);
  });
});
