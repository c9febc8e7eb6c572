/**
 * What the training worker does with each request, apart from the Worker wiring (worker.ts), so that
 * Vitest drives it in Node on the cpu backend. It owns the data, the run, and the last trained model
 * (for predictions); it posts replies and events through `post`.
 */
import * as tf from '@tensorflow/tfjs';
import { compileDesign, type CompiledModel } from '../compile/compile.ts';
import { formatIssue, type Issue } from '../graph/messages.ts';
import type { Design } from '../graph/types.ts';
import { autoStart, fallbackOrder, pickFastest } from './backend-choice.ts';
import { imageAt } from './batches.ts';
import { confusionMatrix, evaluateSet, misclassifiedIndices, predictOne, topK } from './evaluate.ts';
import { lookActivations, LookError, lookFilters, lookKernelGradient, lookTop } from './look.ts';
import { lookTransferables, type LookResult } from './look-protocol.ts';
import { acceptsImages, defaultYield, measureTraining, modelIo, trainLoop } from './loop.ts';
import {
  BACKENDS,
  describeError,
  packWeights,
  type AutoPick,
  type BackendMeasurement,
  type BackendName,
  type DataSource,
  type DataSummary,
  type DatasetArrays,
  type ErrorKind,
  type FromWorker,
  type LossKind,
  type MissingBackend,
  type MeasureBudget,
  type Request,
  type RequestOf,
  type RunResult,
  type TrainConfig,
  type WorkerError,
} from './protocol.ts';
import { RunControl } from './run-control.ts';
import { GradientBatcher } from './gradient-stats.ts';
import type { FoundImages } from './datasets/image-header.ts';
import { applyDesignWeights, nodeVariables, readDesignWeights } from './weights-io.ts';
import { AUTO_MEASURE_BUDGET, unpackWeights, type WeightsPayload } from './protocol.ts';

/**
 * A step is measured for the Gradients view at most this often: a few samples a second draw a smooth
 * chart, and the cost (a few reductions per variable) stays out of the speed figures.
 */
export const GRADIENT_EVERY_MS = 250;
/** A kernel-gradient look's batch at most: its terms are summed on the CPU, between training steps. */
export const KERNEL_GRAD_IMAGES = 64;
/** Gradient samples go to the page in one message at most this often. */
export const GRADIENT_SEND_MS = 1000;

/** How many misclassified test images travel back with pixels (the gallery). */
export const MISCLASSIFIED_SHOWN = 48;

export interface WorkerDeps {
  readonly post: (message: FromWorker, transfer?: Transferable[]) => void;
  /** Loads a data source (bundled, synthetic; 'arrays' never reaches it). */
  readonly loadData: (
    source: Exclude<DataSource, { kind: 'arrays' }>,
    onProgress: (loaded: number, total: number) => void,
  ) => Promise<{ data: DatasetArrays; warnings?: readonly Issue[]; found?: FoundImages | null }>;
  readonly probe: () => Promise<{ available: BackendName[]; unavailable: { backend: BackendName; reason: string; missing?: MissingBackend }[] }>;
  readonly activate: (backend: BackendName) => Promise<void>;
  /** Auto's measurement budget; tests shrink it. */
  readonly measure?: MeasureBudget;
  readonly progressIntervalMs?: number;
  /** How often a step is measured for the Gradients view (ms; 0: every step), and how often samples are sent. */
  readonly gradientEveryMs?: number;
  readonly gradientSendMs?: number;
}

class Failure extends Error {
  constructor(readonly error: WorkerError) {
    super(error.message);
  }
}

const fail = (kind: ErrorKind, message: string) => new Failure({ kind, message });

function countPerClass(y: Int32Array, count: number, classes: number): number[] {
  const out = new Array<number>(classes).fill(0);
  for (let i = 0; i < count; i++) out[y[i]]++;
  return out;
}

function summarize(data: DatasetArrays, warnings?: readonly Issue[], found?: FoundImages | null): DataSummary {
  return {
    name: data.name,
    classes: [...data.classes],
    shape: data.train.shape,
    trainCount: data.train.count,
    testCount: data.test.count,
    perClass: countPerClass(data.train.y, data.train.count, data.classes.length),
    testPerClass: countPerClass(data.test.y, data.test.count, data.classes.length),
    fingerprint: dataFingerprint(data),
    ...(found ? { found } : {}),
    ...(warnings && warnings.length > 0 ? { warnings } : {}),
  };
}

/** FNV-1a over every label and every 61st pixel: microseconds, and two different image sets differ. */
export function dataFingerprint(data: DatasetArrays): string {
  let h = 0x811c9dc5;
  const mix = (v: number) => {
    h ^= v & 0xffff;
    h = Math.imul(h, 0x01000193);
  };
  for (const set of [data.train, data.test]) {
    for (let i = 0; i < set.count; i++) mix(set.y[i]);
    for (let i = 0; i < set.x.length; i += 61) mix(Math.round(set.x[i] * 65535));
  }
  return (h >>> 0).toString(16);
}

async function compileOrFail(design: Design): Promise<CompiledModel> {
  const compiled = await compileDesign(design);
  if (!compiled.ok) {
    throw fail('compile', compiled.error ?? compiled.issues.map((i) => formatIssue(i, 'en')).join('; '));
  }
  try {
    modelIo(compiled.model);
  } catch (e) {
    compiled.model.dispose();
    throw fail('compile', e instanceof Error ? e.message : String(e));
  }
  return compiled;
}

function lossOf(config: Pick<TrainConfig, 'loss'>): LossKind {
  return config.loss;
}

export function createWorkerCore(deps: WorkerDeps) {
  let data: DatasetArrays | null = null;
  let run: { id: number; control: RunControl } | null = null;
  let trained: { compiled: CompiledModel; loss: LossKind; backend: BackendName } | null = null;
  /** The model a run is training, from compile to done: looks read it between steps. */
  let live: CompiledModel | null = null;
  /** The design the live model was compiled from (a frozen copy for the top-images search is built from it). */
  let liveDesign: Design | null = null;
  /** The live run's loss (a kernel-gradient look uses the loss being trained). */
  let liveLoss: LossKind = 'softmax-probabilities';
  /** Auto's measurements per design structure, batch size and optimiser: re-measuring costs seconds. */
  const measured = new Map<string, BackendMeasurement[]>();
  const measureBudget = deps.measure ?? AUTO_MEASURE_BUDGET;

  const reply = (id: number, value: Extract<FromWorker, { ok: true }>['value'], transfer: Transferable[] = []) =>
    deps.post({ type: 'reply', id, ok: true, value }, transfer);
  const replyError = (id: number, e: unknown) =>
    deps.post({ type: 'reply', id, ok: false, error: e instanceof Failure ? e.error : describeError(e) });

  async function loadData(req: RequestOf<'load-data'>) {
    if (run) throw fail('data', 'A training run is active; choose new data when it has ended.');
    const source = req.source;
    const { data: loaded, warnings, found } =
      source.kind === 'arrays'
        ? { data: source.dataset, warnings: undefined, found: undefined }
        : await deps.loadData(source, (done, total) => deps.post({ type: 'data-progress', id: req.id, loaded: done, total }));
    if (loaded.train.count === 0) throw fail('data', `${loaded.name} has no training images.`);
    data = loaded;
    reply(req.id, { kind: 'data', summary: summarize(loaded, warnings, found) });
    // Data in, a Train click likely next: load Auto's first guess now (the WASM backend and its kernels
    // take a moment to start), so the click pays only for the model. Requests wait for it as for any
    // background work, and the first of them would have had to load it anyway.
    if (!trained && !warmed) {
      warmed = true;
      background = background.then(async () => {
        try {
          const { available } = await deps.probe();
          await deps.activate(autoStart(available, null).backend);
        } catch {
          // A backend that cannot start says so when a run asks for it.
        }
      });
    }
  }

  const measureKey = (
    design: Design,
    batchSize: number,
    optimizer: TrainConfig['optimizer'],
    loss: LossKind,
    only?: readonly BackendName[],
    budget?: MeasureBudget,
  ) => JSON.stringify([design.nodes.map((n) => [n.id, n.kind, n.params]), design.edges, batchSize, optimizer, loss, only, budget]);
  /**
   * Work that holds the tfjs engine between requests (loading Auto's first guess ahead of the first run):
   * every request but pause/resume/stop waits for it, so nothing runs on a backend switched under it.
   */
  let background: Promise<void> = Promise.resolve();
  /** Whether Auto's first guess was loaded ahead of the first run (once per worker). */
  let warmed = false;

  /** Times the design on each backend in turn (fastest expected first, to give up early on slow ones). */
  async function measureAll(
    design: Design,
    batchSize: number,
    optimizer: TrainConfig['optimizer'],
    loss: LossKind,
    only: readonly BackendName[] | undefined,
    onEach: (m: BackendMeasurement[]) => void,
    budget?: MeasureBudget,
  ): Promise<BackendMeasurement[]> {
    const key = measureKey(design, batchSize, optimizer, loss, only, budget);
    const cached = measured.get(key);
    if (cached) {
      onEach(cached);
      return cached;
    }
    const { available, unavailable } = await deps.probe();
    const results: BackendMeasurement[] = unavailable
      .filter((u) => !only || only.includes(u.backend))
      .map((u) => ({ backend: u.backend, samplesPerSec: null, error: u.reason, ...(u.missing ? { missing: u.missing } : {}) }));
    const order = (['wasm', 'webgl', 'webgpu', 'cpu'] as const).filter((b) => available.includes(b) && (!only || only.includes(b)));
    for (const backend of order) {
      try {
        await deps.activate(backend);
        const compiled = await compileOrFail(design);
        try {
          const best = Math.max(0, ...results.map((r) => r.samplesPerSec ?? 0));
          const speed = await measureTraining(compiled.model, {
            batchSize,
            loss,
            optimizer,
            ...(budget ?? measureBudget),
            // A backend under a third of the best so far cannot win; one step tells.
            quickRejectBelow: budget ? undefined : best / 3,
          });
          results.push({ backend, samplesPerSec: speed });
        } finally {
          compiled.model.dispose();
        }
      } catch (e) {
        if (e instanceof Failure && e.error.kind === 'compile') throw e;
        results.push({ backend, samplesPerSec: null, error: describeError(e).message });
      }
      onEach(sortByPreference(results));
    }
    const sorted = sortByPreference(results);
    measured.set(key, sorted);
    return sorted;
  }

  async function measure(req: RequestOf<'measure'>) {
    // Measuring switches backends under the run's feet.
    if (run) throw fail('internal', 'A training run is active; measure when it has ended.');
    const measurements = await measureAll(req.design, req.batchSize, 'adam', 'softmax-probabilities', req.backends, () => {}, req.budget);
    reply(req.id, { kind: 'measured', measurements, fastest: pickFastest(measurements) });
  }

  async function start(req: RequestOf<'start'>) {
    if (run) throw fail('internal', 'A training run is already active; stop it first.');
    if (!data) throw fail('data', 'Choose a dataset first.');
    const control = new RunControl();
    const runId = req.id;
    run = { id: runId, control };
    reply(runId, { kind: 'started', runId });
    void execute(runId, control, req.design, req.config, req.backend, data, req.weights, req.known).finally(() => {
      if (run?.id === runId) run = null;
    });
  }

  async function execute(
    runId: number,
    control: RunControl,
    design: Design,
    config: TrainConfig,
    choice: RequestOf<'start'>['backend'],
    dataset: DatasetArrays,
    startWeights: WeightsPayload | undefined,
    given: readonly BackendMeasurement[] | undefined,
  ) {
    let compiled: CompiledModel | null = null;
    try {
      deps.post({ type: 'status', runId, phase: 'compiling' });
      let measurements: BackendMeasurement[] = [];
      let backend: BackendName;
      let pick: AutoPick | undefined;
      const { available, unavailable } = await deps.probe();
      // Auto starts at once (issue 15: measuring first took 10–25 s): on this design's measured winner,
      // else on the first guess; the others are measured after the run, for the next one. Either way a
      // backend that fails to start hands over to the next in order, as a named choice does.
      const known =
        choice === 'auto' ? (given?.length ? given : (measured.get(measureKey(design, config.batchSize, config.optimizer, lossOf(config))) ?? null)) : null;
      const start = choice === 'auto' ? autoStart(available, known) : { backend: choice, pick: undefined };
      pick = start.pick;
      {
        backend = start.backend;
        const tried: BackendMeasurement[] = known ? known.filter((m) => m.backend !== start.backend) : [];
        const order = fallbackOrder(start.backend, available.includes(start.backend) ? available : [...available, start.backend]);
        for (const candidate of order) {
          const lack = unavailable.find((u) => u.backend === candidate);
          if (lack) {
            tried.push({ backend: candidate, samplesPerSec: null, error: lack.reason, ...(lack.missing ? { missing: lack.missing } : {}) });
            continue;
          }
          try {
            await deps.activate(candidate);
            backend = candidate;
            break;
          } catch (e) {
            tried.push({ backend: candidate, samplesPerSec: null, error: describeError(e).message });
          }
        }
        measurements = known ? [...known] : tried;
      }
      await deps.activate(backend);
      compiled = await compileOrFail(design);
      const io = checkAgainstData(compiled, dataset);
      if (startWeights) loadAll(compiled, startWeights);
      live = compiled;
      liveDesign = design;
      liveLoss = config.loss;
      deps.post({ type: 'status', runId, phase: 'training', backend, measurements, ...(pick ? { pick } : {}) });
      const unsubscribe = control.onChange((state) => {
        if (state !== 'stopping') {
          deps.post({ type: 'status', runId, phase: state === 'paused' ? 'paused' : 'training', backend, measurements, ...(pick ? { pick } : {}) });
        }
      });
      const batcher = gradientBatcher(compiled, (x, values) =>
        deps.post({ type: 'gradients', runId, nodeIds: batcher.nodeIds, x, values }, [x.buffer as ArrayBuffer, values.buffer as ArrayBuffer]),
      );
      let loop;
      try {
        loop = await trainLoop(
          { model: compiled.model, train: dataset.train, config },
          {
            control,
            progressIntervalMs: deps.progressIntervalMs ?? 100,
            testCount: dataset.test.count > 0 ? dataset.test.count : dataset.train.count,
            onProgress: (p) => deps.post({ type: 'progress', runId, ...p }),
            onEpoch: (e) => deps.post({ type: 'epoch', runId, ...e }),
            gradients: { everyMs: deps.gradientEveryMs ?? GRADIENT_EVERY_MS, onSample: (s) => batcher.add(s.x, s.sums) },
          },
        );
      } finally {
        unsubscribe();
        batcher.flush();
      }
      deps.post({ type: 'status', runId, phase: 'evaluating', backend, measurements });
      const tested = await testResults(compiled, dataset, config.loss, io.classes);
      const weights = await readDesignWeights(compiled);
      const { payload, transfer } = packWeights(weights);
      const result: RunResult = {
        reason: loop.reason,
        ...(loop.stoppedAt ? { stoppedAt: loop.stoppedAt } : {}),
        backend,
        epochsRun: loop.epochsRun,
        seconds: loop.seconds,
        samplesPerSec: loop.samplesPerSec,
        ...tested,
        weights: payload,
      };
      trained?.compiled.model.dispose();
      trained = { compiled, loss: config.loss, backend };
      compiled = null;
      deps.post({ type: 'done', runId, result }, [...transfer, ...tested.misclassified.map((m) => m.pixels.buffer as ArrayBuffer)]);
    } catch (e) {
      if (e instanceof Stopped) {
        deps.post({ type: 'run-error', runId, error: { kind: 'stopped', message: 'The run was stopped before training began.' } });
      } else {
        deps.post({ type: 'run-error', runId, error: e instanceof Failure ? e.error : describeError(e) });
      }
    } finally {
      live = null;
      liveDesign = null;
      compiled?.model.dispose();
    }
  }

  /** Which of the step's variables (the model's trainable weights, in order) belong to each node with weights. */
  function gradientBatcher(compiled: CompiledModel, send: (x: Float32Array, values: Float32Array) => void) {
    const trainable = compiled.model.trainableWeights;
    const nodeIds: string[] = [];
    const groups: number[][] = [];
    for (const id of compiled.inference.order) {
      const vars = new Set(nodeVariables(compiled, id));
      const group = trainable.flatMap((w, i) => (vars.has(w) ? [i] : []));
      if (group.length === 0) continue;
      nodeIds.push(id);
      groups.push(group);
    }
    return new GradientBatcher(nodeIds, groups, send, deps.gradientSendMs ?? GRADIENT_SEND_MS, () => performance.now());
  }

  async function useWeights(req: RequestOf<'use-weights'>) {
    if (run) throw fail('internal', 'A training run is active; use saved weights when it has ended.');
    // Predicting and evaluating are light: the backend of the last run, else the first that works (no timing).
    const backend = trained?.backend ?? (await firstWorking());
    await deps.activate(backend);
    const compiled = await compileOrFail(req.design);
    try {
      loadAll(compiled, req.weights);
    } catch (e) {
      compiled.model.dispose();
      throw e;
    }
    trained?.compiled.model.dispose();
    trained = { compiled, loss: req.loss, backend };
    reply(req.id, { kind: 'ack' });
  }

  async function firstWorking(): Promise<BackendName> {
    const { available } = await deps.probe();
    for (const candidate of (['wasm', 'webgl', 'webgpu', 'cpu'] as const).filter((b) => available.includes(b))) {
      try {
        await deps.activate(candidate);
        return candidate;
      } catch {
        // Try the next one; cpu always works.
      }
    }
    return 'cpu';
  }

  async function evaluate(req: RequestOf<'evaluate'>) {
    if (run) throw fail('internal', 'A training run is active; evaluate when it has ended.');
    if (!trained) throw fail('internal', 'Train the network or load trained weights first.');
    if (!data) throw fail('data', 'Choose a dataset first.');
    await deps.activate(trained.backend);
    const io = checkAgainstData(trained.compiled, data);
    const started = Date.now();
    const measured = await testResults(trained.compiled, data, trained.loss, io.classes);
    const result: RunResult = {
      reason: 'evaluated',
      backend: trained.backend,
      epochsRun: 0,
      seconds: (Date.now() - started) / 1000,
      samplesPerSec: 0,
      ...measured,
      weights: { tensors: [] },
    };
    reply(req.id, { kind: 'evaluated', result }, measured.misclassified.map((m) => m.pixels.buffer as ArrayBuffer));
  }

  async function predict(req: RequestOf<'predict'>) {
    if (!trained) throw fail('internal', 'Train the network first.');
    let pixels: Float32Array;
    let label: number | null = null;
    if ('testIndex' in req.input) {
      const test = data && data.test.count > 0 ? data.test : data?.train;
      if (!test || req.input.testIndex < 0 || req.input.testIndex >= test.count) throw fail('data', 'No such test image.');
      pixels = imageAt(test, req.input.testIndex);
      label = test.y[req.input.testIndex];
    } else {
      pixels = req.input.pixels;
    }
    const io = modelIo(trained.compiled.model);
    const size = io.size;
    if (pixels.length !== size) throw fail('data', `The image has ${pixels.length} values; the network's Input needs ${size}.`);
    await deps.activate(trained.backend);
    const probs = await predictOne(trained.compiled.model, pixels, trained.loss);
    reply(req.id, { kind: 'prediction', top5: topK(probs, 5), pixels, label }, [pixels.buffer as ArrayBuffer]);
  }

  /** A look at the live model during a run, else at the last trained or loaded one. */
  async function look(req: RequestOf<'look'>) {
    const compiled = live ?? trained?.compiled ?? null;
    if (!compiled) throw fail('internal', 'Train the network or load trained weights first.');
    if (!live) await deps.activate(trained!.backend);
    const q = req.query;
    let result: LookResult;
    try {
      if (q.kind === 'filters') {
        result = await lookFilters(compiled, q.nodeId, q.from, q.count);
      } else if (q.kind === 'activations') {
        let pixels: Float32Array;
        let label: number | null = null;
        if ('testIndex' in q.input) {
          const test = data && data.test.count > 0 ? data.test : data?.train;
          if (!test || !Number.isInteger(q.input.testIndex) || q.input.testIndex < 0 || q.input.testIndex >= test.count) throw fail('data', 'No such test image.');
          pixels = imageAt(test, q.input.testIndex);
          label = test.y[q.input.testIndex];
        } else {
          pixels = q.input.pixels;
        }
        result = await lookActivations(compiled, q.nodeIds, pixels, label, q.thumbnails ?? [], q.channels ?? null);
      } else if (q.kind === 'kernel-grad') {
        if (!data) throw fail('data', 'Choose a dataset first.');
        result = await lookKernelGradient(compiled, q.nodeId, q.filter, q.channel, data.train, Math.min(KERNEL_GRAD_IMAGES, q.images), live ? liveLoss : trained!.loss);
      } else {
        const test = data && data.test.count > 0 ? data.test : data?.train;
        if (!test) throw fail('data', 'Choose a dataset first.');
        // During a run the search is sliced between training steps; it ranks on a frozen copy of the
        // weights (they share the live tensors' data, which a step replaces rather than changes), so one
        // ranking is over one set of weights.
        const frozen = live && liveDesign ? await frozenCopy(liveDesign, live) : null;
        try {
          result = await lookTop(frozen ?? compiled, q.nodeId, q.channel, Math.max(1, Math.min(64, Math.floor(q.k))), test, q.limit, { yieldToEvents: defaultYield });
        } finally {
          frozen?.model.dispose();
        }
      }
    } catch (e) {
      // A run that ended (its model disposed) under a slice of a look: said plainly, not as a tfjs message.
      if (e instanceof LookError) throw fail('data', e.message);
      if (live !== compiled && trained?.compiled !== compiled) {
        throw fail('internal', 'The model changed while looking; look again.');
      }
      throw e;
    }
    const transfer = lookTransferables(result).map((a) => a.buffer as ArrayBuffer);
    reply(req.id, { kind: 'look', result }, transfer);
  }

  function control(req: RequestOf<'pause' | 'resume' | 'stop'>) {
    if (run) {
      if (req.type === 'pause') run.control.pause();
      else if (req.type === 'resume') run.control.resume();
      else run.control.stop();
    }
    reply(req.id, { kind: 'ack' });
  }

  return {
    /** Handles one request; never throws (failures become error replies). */
    async handle(req: Request): Promise<void> {
      try {
        if (req.type !== 'pause' && req.type !== 'resume' && req.type !== 'stop') await background;
        switch (req.type) {
          case 'load-data':
            return await loadData(req);
          case 'measure':
            return await measure(req);
          case 'start':
            return await start(req);
          case 'use-weights':
            return await useWeights(req);
          case 'evaluate':
            return await evaluate(req);
          case 'pause':
          case 'resume':
          case 'stop':
            return control(req);
          case 'predict':
            return await predict(req);
          case 'look':
            return await look(req);
        }
      } catch (e) {
        replyError(req.id, e);
      }
    },
    /** For tests: tensors alive in the worker's tfjs engine. */
    tensorCount: () => tf.memory().numTensors,
    get activeRun() {
      return run?.id ?? null;
    },
  };
}

class Stopped extends Error {}

/** The model's input and classes against the data; refused in words when they do not match. */
function checkAgainstData(compiled: CompiledModel, dataset: DatasetArrays) {
  const io = modelIo(compiled.model);
  const dataShape = dataset.train.shape;
  if (!acceptsImages(io, dataShape)) {
    throw fail('data', `The network's Input is ${io.inputShape.join('×')} but the images are ${dataShape.join('×')}.`);
  }
  if (io.classes < dataset.classes.length) {
    throw fail('data', `The last layer has ${io.classes} units but the data has ${dataset.classes.length} classes.`);
  }
  return io;
}

/** Every declared weight or none: half-loaded weights would be a model nobody saved. */
function loadAll(compiled: CompiledModel, payload: WeightsPayload) {
  const weights = unpackWeights(payload);
  const declaring = [...compiled.inference.nodes.values()].filter((n) => n.weights.length > 0).length;
  const loaded = applyDesignWeights(compiled, weights);
  if (loaded !== declaring || weights.size !== declaring) {
    throw fail('compile', `The saved weights fit ${loaded} of the ${declaring} layers that have weights; they belong to another version of the design.`);
  }
}

/** Accuracy, loss, confusion matrix and misclassified examples on the test images (or the training ones when there are none). */
async function testResults(compiled: CompiledModel, dataset: DatasetArrays, loss: LossKind, classes: number) {
  const test = dataset.test.count > 0 ? dataset.test : dataset.train;
  const evaluation = await evaluateSet(compiled.model, test, null, loss, classes, { collect: true });
  const predicted = evaluation.predicted!;
  const wrong = misclassifiedIndices(test.y, predicted, MISCLASSIFIED_SHOWN);
  const n = dataset.classes.length;
  return {
    testAccuracy: evaluation.accuracy,
    testLoss: evaluation.loss,
    confusion: confusionMatrix(test.y, predicted, Math.max(classes, n)).slice(0, n).map((row) => row.slice(0, n)),
    misclassified: wrong.indices.map((i) => ({ index: i, label: test.y[i], predicted: predicted[i], pixels: imageAt(test, i) })),
    misclassifiedTotal: wrong.total,
  };
}

/** A second model of the same design holding the live model's current weights (no copy: tfjs tensors are immutable). */
async function frozenCopy(design: Design, compiled: CompiledModel): Promise<CompiledModel> {
  const copy = await compileOrFail(design);
  copy.model.setWeights(compiled.model.getWeights());
  return copy;
}

function sortByPreference(results: BackendMeasurement[]): BackendMeasurement[] {
  return [...results].sort((a, b) => BACKENDS.indexOf(a.backend) - BACKENDS.indexOf(b.backend));
}
