/**
 * The page ⇄ worker protocol end to end in Node: the real client talks to the real worker core through
 * a fake Worker that structured-clones every message (with transfers), as the browser does.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { inferShapes } from '../graph/index.ts';
import { TrainingClient, TrainingError, type ClientEvent, type WorkerLike } from './client.ts';
import {
  DEFAULT_CONFIG,
  describeError,
  isFromWorker,
  isRequest,
  packWeights,
  transferablesOf,
  unpackWeights,
  type DatasetArrays,
  type DoneEvent,
  type FromWorker,
  type TrainConfig,
} from './protocol.ts';
import { lineImages, tinyDesign } from './testing/fixtures.ts';
import { createWorkerCore } from './worker-core.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A Worker stand-in running the worker core in this process; messages cross by structured clone. */
function fakeWorker(): WorkerLike & { crash(message: string): void } {
  const w: WorkerLike & { crash(message: string): void } = {
    onmessage: null,
    onerror: null,
    onmessageerror: null,
    postMessage(message, transfer) {
      const copy = structuredClone(message, { transfer });
      setTimeout(() => {
        if (isRequest(copy)) void core.handle(copy);
      }, 0);
    },
    terminate() {},
    crash(message) {
      w.onerror?.({ message, preventDefault() {} } as unknown as ErrorEvent);
    },
  };
  const core = createWorkerCore({
    post: (message: FromWorker, transfer: Transferable[] = []) => {
      const copy = structuredClone(message, { transfer: transfer as ArrayBuffer[] });
      setTimeout(() => w.onmessage?.({ data: copy } as MessageEvent), 0);
    },
    loadData: async (source, onProgress) => {
      onProgress(1, 2);
      onProgress(2, 2);
      if (source.kind === 'bundled' && source.name === 'missing') throw new Error('no such dataset: missing');
      return { data: dataset() };
    },
    probe: async () => ({ available: ['webgl', 'cpu'], unavailable: [{ backend: 'webgpu', reason: 'no adapter' }] }),
    activate: async (b) => {
      if (!(await tf.setBackend(b))) throw new Error(`${b} failed`);
    },
    measure: { warmupSteps: 1, windows: 2, stepsPerWindow: 1, minWindowMs: 0, maxMs: 500 },
    progressIntervalMs: 0,
  });
  return w;
}

function dataset(): DatasetArrays {
  return { name: 'lines', classes: ['horizontal', 'vertical', 'diagonal'], train: lineImages(240, 1), test: lineImages(60, 2) };
}

const config: TrainConfig = { ...DEFAULT_CONFIG, learningRate: 0.02, batchSize: 16, epochs: 2, validationSplit: 0.2 };

function waitFor<T extends ClientEvent['type']>(client: TrainingClient, type: T, events: ClientEvent[] = []): Promise<Extract<ClientEvent, { type: T }>> {
  return new Promise((resolve) => {
    const off = client.on((e) => {
      events.push(e);
      if (e.type === type) {
        off();
        resolve(e as Extract<ClientEvent, { type: T }>);
      }
      if (e.type === 'run-error') throw new Error(e.error.message);
    });
  });
}

describe('protocol', () => {
  it('weights survive packing, a transfer, and unpacking, and their buffers move rather than copy', () => {
    const weights = new Map([['conv', { kernel: { shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }, bias: { shape: [2], data: Float32Array.from([5, 6]) } }]]);
    const { payload, transfer } = packWeights(weights);
    expect(transfer).toHaveLength(2);
    const copy = structuredClone(payload, { transfer });
    expect(weights.get('conv')!.kernel.data.length).toBe(0); // detached: moved, not copied
    const back = unpackWeights(copy);
    expect(Array.from(back.get('conv')!.kernel.data)).toEqual([1, 2, 3, 4]);
    expect(back.get('conv')!.bias.shape).toEqual([2]);
  });

  it('lists the large arrays of a message as transferables', () => {
    const data = dataset();
    const msg = { type: 'load-data', id: 1, source: { kind: 'arrays', dataset: data } } as const;
    expect(transferablesOf(msg)).toHaveLength(4);
    expect(transferablesOf({ type: 'pause', id: 2 })).toHaveLength(0);
  });

  it('accepts only its own messages at the boundary', () => {
    expect(isRequest({ type: 'start', id: 1 })).toBe(true);
    expect(isRequest({ type: 'start' })).toBe(false);
    expect(isRequest({ type: 'webpackOk', id: 1 })).toBe(false);
    expect(isFromWorker({ type: 'progress' })).toBe(true);
    expect(isFromWorker('hello')).toBe(false);
  });

  it('out-of-memory failures are said in words', () => {
    const e = describeError(new Error('Failed to allocate 1.2 GB'));
    expect(e.kind).toBe('out-of-memory');
    expect(e.message).toMatch(/ran out of memory.*smaller batch/);
    expect(describeError('plain').kind).toBe('internal');
  });
});

describe('client ⇄ worker', () => {
  it('loads data with progress, trains with events in order, and returns weights that fit the design', async () => {
    const client = new TrainingClient(fakeWorker);
    const progress: number[] = [];
    const summary = await client.loadData({ kind: 'bundled', name: 'lines' }, (loaded) => progress.push(loaded));
    expect(progress).toEqual([1, 2]);
    expect(summary.perClass).toEqual([80, 80, 80]);
    expect(summary.shape).toEqual([8, 8, 1]);

    const design = tinyDesign();
    const events: ClientEvent[] = [];
    const done = waitFor(client, 'done', events);
    const runId = await client.start(design, config, 'cpu');
    const { result } = (await done) as DoneEvent;
    expect(events.every((e) => !('runId' in e) || e.runId === runId)).toBe(true);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('status');
    expect(types.indexOf('progress')).toBeLessThan(types.indexOf('epoch'));
    expect(types.filter((t) => t === 'epoch')).toHaveLength(2);
    expect(result.reason).toBe('completed');
    expect(result.backend).toBe('cpu');
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(60);
    expect(result.testAccuracy).toBeGreaterThan(0.5);
    expect(result.misclassified.length).toBe(Math.min(result.misclassifiedTotal, 48));

    const weights = unpackWeights(result.weights);
    const inference = inferShapes(design);
    for (const [id, info] of inference.nodes) {
      for (const w of info.weights) {
        expect(weights.get(id)![w.name].shape).toEqual(w.shape);
        expect(weights.get(id)![w.name].data.length).toBe(w.shape.reduce((a, b) => a * b, 1));
      }
    }

    const p = await client.predict({ testIndex: 3 });
    expect(p.top5).toHaveLength(3); // three classes
    expect(p.top5[0].probability).toBeGreaterThanOrEqual(p.top5[1].probability);
    expect(p.top5.reduce((a, t) => a + t.probability, 0)).toBeCloseTo(1, 4);
    expect(p.label).toBe(0);
    expect(p.pixels.length).toBe(64);
    await expect(client.predict({ pixels: new Float32Array(10) })).rejects.toThrow(/needs 64/);
    client.dispose();
  });

  it('Auto measures the available backends, reports the unavailable ones, and trains on the fastest', async () => {
    const client = new TrainingClient(fakeWorker);
    await client.loadData({ kind: 'synthetic' });
    const { measurements, fastest } = await client.measure(tinyDesign(), 16);
    expect(fastest).toBe('cpu');
    expect(measurements.find((m) => m.backend === 'webgpu')!.error).toBe('no adapter');
    const events: ClientEvent[] = [];
    const done = waitFor(client, 'done', events);
    await client.start(tinyDesign(), { ...config, epochs: 1 }, 'auto');
    await done;
    // Measured already: the run starts on the winner at once, without measuring again.
    const phases = events.filter((e) => e.type === 'status').map((e) => (e.type === 'status' ? e.phase : ''));
    expect(phases).not.toContain('measuring');
    const training = events.find((e) => e.type === 'status' && e.phase === 'training');
    expect(training && training.type === 'status' && [training.backend, training.pick]).toEqual(['cpu', 'measured']);
    client.dispose();
  });

  it('Auto on a design never measured starts at once on its first guess; speeds measured by another worker decide the next start', async () => {
    const client = new TrainingClient(fakeWorker);
    await client.loadData({ kind: 'synthetic' });
    const events: ClientEvent[] = [];
    const done = waitFor(client, 'done', events);
    await client.start(tinyDesign(), { ...config, epochs: 1 }, 'auto');
    await done;
    expect(events.map((e) => (e.type === 'status' ? `status:${e.phase}` : e.type))).not.toContain('status:measuring');
    const training = events.find((e) => e.type === 'status' && e.phase === 'training');
    // WebGL comes before CPU in Auto's first guesses; it does not start in Node, so Auto falls back to CPU.
    expect(training && training.type === 'status' && [training.backend, training.pick]).toEqual(['cpu', 'first-guess']);

    const measurer = new TrainingClient(fakeWorker);
    const { measurements } = await measurer.measure(tinyDesign(), config.batchSize);
    measurer.dispose();
    expect(measurements.some((m) => m.backend === 'cpu' && m.samplesPerSec !== null)).toBe(true);
    const next: ClientEvent[] = [];
    const again = waitFor(client, 'done', next);
    await client.start(tinyDesign(), { ...config, epochs: 1 }, 'auto', undefined, measurements);
    await again;
    const second = next.find((e) => e.type === 'status' && e.phase === 'training');
    expect(second && second.type === 'status' && [second.backend, second.pick]).toEqual(['cpu', 'measured']);
    client.dispose();
  });

  it('a chosen backend that fails to start falls back along the preference order, and says why', async () => {
    const client = new TrainingClient(fakeWorker);
    await client.loadData({ kind: 'synthetic' });
    const events: ClientEvent[] = [];
    const done = waitFor(client, 'done', events);
    // The probe says WebGPU has no adapter; WebGL is not registered in Node, so activating it throws.
    await client.start(tinyDesign(), { ...config, epochs: 1 }, 'webgpu');
    const { result } = await done;
    expect(result.backend).toBe('cpu');
    const training = events.find((e) => e.type === 'status' && e.phase === 'training');
    const tried = training && training.type === 'status' ? training.measurements ?? [] : [];
    expect(tried.map((m) => m.backend)).toEqual(['webgpu', 'webgl']);
    expect(tried[0].error).toBe('no adapter');
    expect(tried[1].error).toMatch(/webgl/);
    client.dispose();
  });

  it('pause, resume and stop reach the running loop', async () => {
    const client = new TrainingClient(fakeWorker);
    await client.loadData({ kind: 'synthetic' });
    const events: ClientEvent[] = [];
    const done = waitFor(client, 'done', events);
    await client.start(tinyDesign(), { ...config, epochs: 50, batchSize: 4 }, 'cpu');
    await waitFor(client, 'progress');
    await client.pause();
    await new Promise((r) => setTimeout(r, 50));
    expect(events.some((e) => e.type === 'status' && e.phase === 'paused')).toBe(true);
    await client.resume();
    await client.stop();
    const { result } = await done;
    expect(result.reason).toBe('stopped');
    expect(result.epochsRun).toBeLessThan(50);
    client.dispose();
  });

  it('errors come back in words: no data, a design with errors, a second run, a data source that fails', async () => {
    const client = new TrainingClient(fakeWorker);
    await expect(client.start(tinyDesign(), config, 'cpu')).rejects.toThrow('Choose a dataset first.');
    await expect(client.loadData({ kind: 'bundled', name: 'missing' })).rejects.toThrow('no such dataset: missing');
    await client.loadData({ kind: 'synthetic' });
    const broken = { ...tinyDesign(), edges: [] };
    const failed = new Promise<string>((resolve) => client.on((e) => e.type === 'run-error' && resolve(e.error.message)));
    await client.start(broken, config, 'cpu');
    expect(await failed).toMatch(/no input/i);
    const wrongShape = tinyDesign(3);
    const input = wrongShape.nodes.find((n) => n.kind === 'Input')!;
    const resized = { ...wrongShape, nodes: wrongShape.nodes.map((n) => (n === input ? { ...n, params: { shape: [10, 10, 1] } } : n)) };
    const mismatch = new Promise<string>((resolve) => client.on((e) => e.type === 'run-error' && resolve(e.error.message)));
    await client.start(resized, config, 'cpu');
    expect(await mismatch).toBe("The network's Input is 10×10×1 but the images are 8×8×1.");
    client.dispose();
  });

  it('a crashed worker fails pending requests in words, tells listeners, and is replaced on the next request', async () => {
    let spawned = 0;
    let last: ReturnType<typeof fakeWorker> | null = null;
    const client = new TrainingClient(() => {
      spawned++;
      return (last = fakeWorker());
    });
    const crashed = new Promise<ClientEvent>((resolve) => client.on((e) => e.type === 'crashed' && resolve(e)));
    const pending = client.loadData({ kind: 'synthetic' });
    last!.crash('out of stack');
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as TrainingError).error.kind).toBe('worker-crashed');
    expect((error as TrainingError).message).toMatch(/crashed: out of stack.*design is unchanged/);
    expect((await crashed).type).toBe('crashed');
    await client.loadData({ kind: 'synthetic' });
    expect(spawned).toBe(2);
    client.dispose();
  });
});

/** A client whose worker has synthetic data and one finished run of the tiny design. */
async function afterOneRun() {
  const client = new TrainingClient(fakeWorker);
  await client.loadData({ kind: 'synthetic' });
  const done = waitFor(client, 'done');
  await client.start(tinyDesign(), config, 'cpu');
  return { client, result: ((await done) as DoneEvent).result };
}

describe('saved weights come back alive', () => {
  it('weights from a run, given to a fresh worker, evaluate and predict exactly as the run did', async () => {
    const { client: first, result } = await afterOneRun();
    const before = await first.predict({ testIndex: 5 });
    first.dispose();

    const second = new TrainingClient(fakeWorker);
    await expect(second.evaluate()).rejects.toThrow('Train the network or load trained weights first.');
    await second.loadData({ kind: 'synthetic' });
    await second.useWeights(tinyDesign(), result.weights, config.loss);
    const evaluated = await second.evaluate();
    expect(evaluated.reason).toBe('evaluated');
    expect(evaluated.testAccuracy).toBe(result.testAccuracy);
    expect(evaluated.confusion).toEqual(result.confusion);
    const after = await second.predict({ testIndex: 5 });
    expect(after.top5.map((t) => t.classIndex)).toEqual(before.top5.map((t) => t.classIndex));
    expect(after.top5[0].probability).toBeCloseTo(before.top5[0].probability, 5);
    second.dispose();
  });

  it('weights of another design are refused in words; training can continue from saved weights', async () => {
    const { client, result } = await afterOneRun();
    await expect(client.useWeights(tinyDesign(4), result.weights, config.loss)).rejects.toThrow(/belong to another version of the design/);
    // A learning rate of 0 changes nothing: continuing must start from exactly the saved weights.
    const done = waitFor(client, 'done');
    await client.start(tinyDesign(), { ...config, learningRate: 0, epochs: 1 }, 'cpu', result.weights);
    const continued = ((await done) as DoneEvent).result;
    expect(continued.testAccuracy).toBe(result.testAccuracy);
    client.dispose();
  });
});
