import { describe, expect, it, vi } from 'vitest';
import { DesignBuilder, serializeDesign } from '../graph/index.ts';
import type { ClientEvent } from '../train/client.ts';
import { DEFAULT_CONFIG, type DataSummary, type RunResult } from '../train/protocol.ts';
import { createAppStore } from './app-store.ts';
import { dataIdentity, designFingerprint, RESULT_VIEWS, viewState, type OpenState } from './run-record.ts';
import { createTrainingStore, MAX_CURVE_POINTS, type TrainingClientLike, type TrainingStore } from './training-store.ts';
import type { AppStore } from './app-store.ts';
import { ACTIVE_RUN_KEY, memorySettings } from './run-settings.ts';
import { lessonRun } from './lesson-progress.ts';
import { predictTrainingMemory } from '../graph/training-memory.ts';

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
    predict: vi.fn(async () => ({ top5: [{ classIndex: 1, probability: 0.9 }], pixels: new Float32Array(64), label: null })),
    useWeights: vi.fn(async () => {}),
    evaluate: vi.fn(async (): Promise<RunResult> => ({ ...result(), reason: 'evaluated', testAccuracy: 0.75 })),
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

  it('after a run Auto started on its first guess, the other backends are measured in a worker of their own, and the next Auto run gets them', async () => {
    const { app, client } = await setup();
    const speeds = [
      { backend: 'webgl' as const, samplesPerSec: 5000 },
      { backend: 'wasm' as const, samplesPerSec: 900 },
    ];
    const measurer = { measure: vi.fn(async () => ({ measurements: speeds })), dispose: vi.fn() };
    const training = createTrainingStore(client, app, { measurer: () => measurer });
    await training.getState().start('softmax-probabilities');
    client.emit({ type: 'status', runId: 7, phase: 'training', backend: 'wasm', measurements: [], pick: 'first-guess' });
    client.emit({ type: 'done', runId: 7, result: result() });
    await vi.waitFor(() => expect(measurer.dispose).toHaveBeenCalled());
    expect(measurer.measure).toHaveBeenCalledWith(app.getState().design, training.getState().config.batchSize);
    expect(training.getState().run!.measurements).toEqual(speeds);
    await training.getState().start('softmax-probabilities');
    expect(client.start).toHaveBeenLastCalledWith(app.getState().design, expect.anything(), 'auto', undefined, speeds);
    // A run that started on measured speeds is not measured again.
    client.emit({ type: 'status', runId: 7, phase: 'training', backend: 'webgl', measurements: speeds, pick: 'measured' });
    client.emit({ type: 'done', runId: 7, result: result() });
    expect(measurer.measure).toHaveBeenCalledTimes(1);
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

  it('a run out of memory teaches a ceiling, kept across a reload; a run that fits at that peak forgets it', async () => {
    const { app, client } = await setup();
    const settings = memorySettings();
    const training = createTrainingStore(client, app, { settings });
    training.getState().setConfig({ batchSize: 64 });
    await training.getState().start('logits');
    client.emit({ type: 'status', runId: 7, phase: 'training', backend: 'wasm', measurements: [] });
    client.emit({ type: 'run-error', runId: 7, error: { kind: 'out-of-memory', message: 'The browser ran out of memory.' } });
    const peak = predictTrainingMemory(app.getState().inference!, 64, training.getState().config.optimizer).peak;
    expect(training.getState().learnedCeilings).toEqual({ wasm: { bytes: peak, batchSize: 64 } });
    const reloaded = createTrainingStore(fakeClient(), app, { settings });
    expect(reloaded.getState().learnedCeilings).toEqual({ wasm: { bytes: peak, batchSize: 64 } });

    // Another failure (not memory) teaches nothing; a finished run at the same peak disproves it.
    await training.getState().start('logits');
    client.emit({ type: 'run-error', runId: 7, error: { kind: 'backend', message: 'no' } });
    expect(training.getState().learnedCeilings.wasm?.bytes).toBe(peak);
    await training.getState().start('logits');
    client.emit({ type: 'status', runId: 7, phase: 'training', backend: 'wasm', measurements: [] });
    client.emit({ type: 'done', runId: 7, result: result() });
    expect(training.getState().learnedCeilings).toEqual({});
    expect(createTrainingStore(fakeClient(), app, { settings }).getState().learnedCeilings).toEqual({});
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

const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const fashion = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const summaryOf = (name: string, classes: readonly string[]): DataSummary => ({
  name, classes, shape: [8, 8, 1], trainCount: 50, testCount: 10, perClass: classes.map(() => 5), testPerClass: classes.map(() => 1),
});

/** What the panel judges the results against: the open design and the loaded data. */
function openState(app: AppStore, training: TrainingStore): OpenState {
  const { design } = app.getState();
  const summary = training.getState().dataSummary;
  return { designKey: design ? designFingerprint(design) : null, data: summary ? dataIdentity(summary) : null };
}
const views = (app: AppStore, training: TrainingStore) =>
  Object.fromEntries(RESULT_VIEWS.map((v) => [v, viewState(v, training.getState().record, openState(app, training), !!training.getState().result)]));

/** A finished run on MNIST-like digits. */
async function trainedOnDigits() {
  const ctx = await setup();
  ctx.client.loadData.mockResolvedValueOnce(summaryOf('mnist', digits));
  await ctx.training.getState().chooseData({ kind: 'bundled', name: 'mnist' }, { kind: 'bundled', name: 'mnist' });
  await ctx.training.getState().start('softmax-probabilities');
  ctx.client.emit({ type: 'progress', runId: 7, epoch: 1, epochs: 1, batch: 1, batches: 2, loss: 1, acc: 0.5, samplesPerSec: 10, etaSec: 1, fraction: 0.4 });
  ctx.client.emit({ type: 'done', runId: 7, result: result() });
  return ctx;
}

describe('training store: results belong to their run', () => {
  it("after a run every view is current and labelled with the run's own classes", async () => {
    const { app, training } = await trainedOnDigits();
    expect(training.getState().record?.data?.classes).toEqual(digits);
    expect(training.getState().record?.origin).toBe('trained');
    expect(Object.values(views(app, training)).every((v) => v === 'current')).toBe(true);
  });

  it("choosing Fashion-MNIST marks the results as the previous run's, keeps their digit labels, and hides predictions", async () => {
    const { app, client, training } = await trainedOnDigits();
    client.loadData.mockResolvedValueOnce(summaryOf('fashion-mnist', fashion));
    await training.getState().chooseData({ kind: 'bundled', name: 'fashion-mnist' }, { kind: 'bundled', name: 'fashion-mnist' });
    expect(training.getState().record?.data?.classes).toEqual(digits);
    expect(views(app, training)).toEqual({
      accuracy: 'previous', curves: 'previous', confusion: 'previous', misclassified: 'previous',
      'predict-test': 'hidden', 'predict-upload': 'hidden', 'draw-pad': 'hidden',
    });
  });

  it("editing the network, or opening another design, marks the results as the previous run's", async () => {
    const { app, training } = await trainedOnDigits();
    app.getState().updateNodeParams('out', { units: 3 });
    expect(views(app, training).confusion).toBe('previous');
    expect(views(app, training)['draw-pad']).toBe('hidden');
    app.temporal.getState().undo();
    expect(views(app, training).confusion).toBe('current');
  });

  it('a failed load keeps the data in use, says why, and leaves the results current', async () => {
    const { app, client, training } = await trainedOnDigits();
    const before = training.getState().dataSummary;
    client.loadData.mockRejectedValueOnce(Object.assign(new Error('The .zip could not be read.'), { error: { issue: undefined } }));
    await training.getState().chooseData({ kind: 'folder', name: 'broken' }, { kind: 'zip', file: new Blob([]), name: 'broken', shape: [8, 8, 1] });
    expect(training.getState().dataSummary).toBe(before);
    expect(training.getState().data).toEqual({ kind: 'bundled', name: 'mnist' });
    expect(training.getState().loadingData).toBeNull();
    expect(training.getState().dataError?.message).toBe('The .zip could not be read.');
    expect(views(app, training).confusion).toBe('current');
  });

  it('while new data loads, the data in use stays and the choice being loaded is shown apart', async () => {
    const { client, training } = await trainedOnDigits();
    let release!: (s: DataSummary) => void;
    client.loadData.mockImplementationOnce(() => new Promise((r) => (release = r)));
    const loading = training.getState().chooseData({ kind: 'bundled', name: 'fashion-mnist' }, { kind: 'bundled', name: 'fashion-mnist' });
    expect(training.getState().loadingData).toEqual({ kind: 'bundled', name: 'fashion-mnist' });
    expect(training.getState().dataSummary?.name).toBe('mnist');
    release(summaryOf('fashion-mnist', fashion));
    await loading;
    expect(training.getState().dataSummary?.name).toBe('fashion-mnist');
    expect(training.getState().data).toEqual({ kind: 'bundled', name: 'fashion-mnist' });
  });

  it('a stop mid-epoch keeps its results and says it stopped, with the bar where it was', async () => {
    const { client, training } = await setup();
    await training.getState().start('logits');
    client.emit({ type: 'progress', runId: 7, epoch: 2, epochs: 3, batch: 106, batches: 225, loss: 1, acc: 0.5, samplesPerSec: 10, etaSec: 9, fraction: 0.47 });
    client.emit({ type: 'done', runId: 7, result: { ...result(), reason: 'stopped', stoppedAt: { epoch: 2, batch: 106, batches: 225 } } });
    const run = training.getState().run!;
    expect(run.phase).toBe('done');
    expect(run.fraction).toBe(0.47);
    expect(training.getState().result?.stoppedAt).toEqual({ epoch: 2, batch: 106, batches: 225 });
  });
});

describe('training store: saved weights are live', () => {
  it('weights that arrive from a file put the old results away; evaluate hands them to the worker and measures them', async () => {
    const { app, client, training } = await trainedOnDigits();
    const loaded = new Map([['out', { kernel: { shape: [64, 2], data: new Float32Array(128) }, bias: { shape: [2], data: new Float32Array(2) } }]]);
    app.getState().setWeights(loaded);
    expect(training.getState().record?.origin).toBe('loaded');
    expect(training.getState().result).toBeNull();
    expect(training.getState().run).toBeNull();
    await training.getState().evaluate('softmax-probabilities');
    expect(client.useWeights).toHaveBeenCalledWith(app.getState().design, expect.objectContaining({ tensors: expect.any(Array) }), 'softmax-probabilities');
    expect(training.getState().result?.testAccuracy).toBe(0.75);
    expect(training.getState().record?.data?.classes).toEqual(digits);
    expect(views(app, training)['draw-pad']).toBe('current');
    await training.getState().predict({ pixels: new Float32Array(64) });
    expect(client.useWeights).toHaveBeenCalledOnce();
  });

  it('weights restored before the panel existed (a reload) predict without retraining', async () => {
    const { app, client } = await setup();
    app.getState().setWeights(new Map([['out', { kernel: { shape: [64, 2], data: new Float32Array(128) }, bias: { shape: [2], data: new Float32Array(2) } }]]));
    const training = createTrainingStore(client, app);
    expect(training.getState().record?.origin).toBe('loaded');
    await training.getState().predict({ pixels: new Float32Array(64) });
    expect(client.useWeights).toHaveBeenCalledOnce();
    expect(client.predict).toHaveBeenCalledOnce();
  });

  it('Train continues from the saved weights only when asked; fresh sends none', async () => {
    const { app, client, training } = await trainedOnDigits();
    await training.getState().start('logits', 'continue');
    expect(client.start).toHaveBeenLastCalledWith(app.getState().design, expect.anything(), 'auto', expect.objectContaining({ tensors: expect.any(Array) }));
    expect(training.getState().record?.origin).toBe('continued');
    client.emit({ type: 'done', runId: 7, result: result() });
    await training.getState().start('logits');
    expect(client.start).toHaveBeenCalledTimes(3);
    expect(client.start.mock.calls.at(-1)).toHaveLength(3);
  });
});

describe('training store: settings and runs outlive a reload', () => {
  it('settings persist and come back in a new store; a damaged value keeps its good fields', async () => {
    const { app, client } = await setup();
    const settings = memorySettings();
    const first = createTrainingStore(client, app, { settings });
    first.getState().setConfig({ epochs: 9, learningRate: 0.01 });
    first.getState().setBackendChoice('wasm');
    first.getState().setTestShare(0.3);
    const second = createTrainingStore(client, app, { settings });
    expect(second.getState().config.epochs).toBe(9);
    expect(second.getState().config.learningRate).toBe(0.01);
    expect(second.getState().backendChoice).toBe('wasm');
    expect(second.getState().testShare).toBe(0.3);
  });

  it('a run active when the page went away is said once on the next load; a finished one is not', async () => {
    const { app, client } = await setup();
    const session = memorySettings();
    const first = createTrainingStore(client, app, { session });
    client.loadData.mockResolvedValueOnce(summaryOf('mnist', digits));
    await first.getState().chooseData({ kind: 'bundled', name: 'mnist' }, { kind: 'bundled', name: 'mnist' });
    await first.getState().start('logits');
    expect(session.map.has(ACTIVE_RUN_KEY)).toBe(true);
    // The page reloads mid-run: a new store finds the marker.
    const second = createTrainingStore(client, app, { session });
    expect(second.getState().lostRun).toMatchObject({ dataName: 'mnist', epochs: DEFAULT_CONFIG.epochs });
    expect(createTrainingStore(client, app, { session }).getState().lostRun).toBeNull();
    second.getState().dismissLostRun();
    expect(second.getState().lostRun).toBeNull();
    await second.getState().start('logits');
    client.emit({ type: 'done', runId: 7, result: result() });
    expect(createTrainingStore(client, app, { session }).getState().lostRun).toBeNull();
  });

  it('own images are split with the chosen test share, and a new share loads them again', async () => {
    const { client, training } = await setup();
    training.getState().setTestShare(0.25);
    const source = { kind: 'zip', file: new Blob([]), name: 'toys', shape: [8, 8, 1] } as const;
    await training.getState().chooseData({ kind: 'folder', name: 'toys' }, source);
    expect(client.loadData).toHaveBeenLastCalledWith({ ...source, testShare: 0.25 }, expect.any(Function));
    training.getState().setTestShare(0.4);
    await vi.waitFor(() => expect(client.loadData).toHaveBeenLastCalledWith({ ...source, testShare: 0.4 }, expect.any(Function)));
    expect(client.loadData).toHaveBeenCalledTimes(2);
  });
});

describe('training store: own images follow the Input', () => {
  it('changing the Input shape loads the same images again at the new shape; other data is left alone', async () => {
    const { app, client, training } = await setup();
    const source = { kind: 'zip', file: new Blob([]), name: 'toys', shape: [8, 8, 1] } as const;
    await training.getState().chooseData({ kind: 'folder', name: 'toys' }, source);
    app.getState().updateNodeParams('in', { shape: [16, 16, 1] });
    await vi.waitFor(() => expect(client.loadData).toHaveBeenLastCalledWith({ ...source, shape: [16, 16, 1], testShare: 0.2 }, expect.any(Function)));
    app.getState().updateNodeParams('out', { activation: 'linear' });
    await training.getState().chooseData({ kind: 'bundled', name: 'mnist' }, { kind: 'bundled', name: 'mnist' });
    const calls = client.loadData.mock.calls.length;
    app.getState().updateNodeParams('in', { shape: [12, 12, 1] });
    expect(client.loadData).toHaveBeenCalledTimes(calls);
    expect(calls).toBe(3);
  });
});

describe('training store: after a crash', () => {
  it("a run cut short by a crash offers the design's last good weights as saved weights", async () => {
    const { app, client, training } = await trainedOnDigits();
    const kept = app.getState().weights;
    await training.getState().start('logits', 'continue');
    client.emit({ type: 'crashed', error: { kind: 'worker-crashed', message: 'The training worker crashed.' } });
    expect(app.getState().weights).toBe(kept);
    expect(training.getState().record?.origin).toBe('loaded');
    expect(training.getState().result).toBeNull();
  });
});

describe('training store: evaluating saved weights', () => {
  it('after a weight-preserving edit, evaluating measures the weights on the design as it is now, and the results are current', async () => {
    const { app, client, training } = await setup();
    client.loadData.mockResolvedValueOnce(summaryOf('mnist', digits));
    await training.getState().chooseData({ kind: 'bundled', name: 'mnist' }, { kind: 'bundled', name: 'mnist' });
    app.getState().setWeights(new Map([['out', { kernel: { shape: [64, 2], data: new Float32Array(128) }, bias: { shape: [2], data: new Float32Array(2) } }]]));
    await training.getState().evaluate('softmax-probabilities');
    app.getState().updateNodeParams('out', { activation: 'linear' });
    expect(app.getState().weights).not.toBeNull();
    expect(views(app, training).accuracy).toBe('previous');
    await training.getState().evaluate('logits');
    expect(client.useWeights).toHaveBeenCalledTimes(2);
    expect(client.useWeights).toHaveBeenLastCalledWith(app.getState().design, expect.anything(), 'logits');
    expect(views(app, training).accuracy).toBe('current');
  });
});

describe('a lesson accuracy step against the training store', () => {
  it("reads the finished run's own data and accuracy, for the design it trained and no edit of it", async () => {
    const { app, client, training } = await setup();
    const run = () => lessonRun(training.getState().record, training.getState().result, app.getState().flat);
    expect(run()).toBeNull();
    await training.getState().chooseData({ kind: 'synthetic' }, { kind: 'synthetic' });
    await training.getState().start('softmax-probabilities');
    expect(run()).toBeNull();
    client.emit({ type: 'done', runId: 7, result: result() });
    expect(run()).toEqual({ sameDesign: true, dataset: 'shapes', testAccuracy: result().testAccuracy });
    app.getState().updateNodeParams('out', { units: 3 });
    expect(run()?.sameDesign).toBe(false);
    app.getState().undo();
    expect(run()?.sameDesign).toBe(true);
  });
});
