/**
 * The training session beside the design: the chosen data, settings, the run's live state and its
 * results. It drives the worker through a `TrainingClient` (injected: tests pass a fake) and writes to
 * the app store only the trained weights and whether a run is active (so edits can ask first).
 *
 * A store of its own rather than a slice of the app store: progress arrives up to 10×/s and only the
 * training panel reads it; the app store stays the document's. DOM-free.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Issue } from '../graph/messages.ts';
import type { Design } from '../graph/types.ts';
import type { ClientEvent, Prediction } from '../train/client.ts';
import type { LookQuery, LookResult } from '../train/look-protocol.ts';
import { appendGradients, type GradientHistory } from '../train/gradient-stats.ts';
import {
  DEFAULT_CONFIG,
  packWeights,
  unpackWeights,
  type WeightsPayload,
  type BackendChoice,
  type AutoPick,
  type BackendMeasurement,
  type BackendName,
  type DataSource,
  type DataSummary,
  type EpochEvent,
  type LossKind,
  type RunPhase,
  type RunResult,
  type TrainConfig,
} from '../train/protocol.ts';
import type { AppStore } from './app-store.ts';
import { inputImageShape } from '../train/input-shape.ts';
import { forgetDisproved, learnFromFailure, LEARNED_CEILINGS_KEY, parseLearnedCeilings, type LearnedCeilings } from '../train/device-ceiling.ts';
import { predictTrainingMemory } from '../graph/training-memory.ts';
import { dataIdentity, designFingerprint, type RunRecord, type WeightsOrigin } from './run-record.ts';
import {
  ACTIVE_RUN_KEY,
  memorySettings,
  parseLostRun,
  parseRunSettings,
  SETTINGS_KEY,
  type LostRun,
  type SettingsStorage,
} from './run-settings.ts';

/** What the store needs of the client (TrainingClient fulfils it). */
export interface TrainingClientLike {
  on(listener: (event: ClientEvent) => void): () => void;
  loadData(source: DataSource, onProgress?: (loaded: number, total: number) => void): Promise<DataSummary>;
  start(design: Design, config: TrainConfig, backend: BackendChoice, weights?: WeightsPayload, known?: readonly BackendMeasurement[]): Promise<number>;
  useWeights(design: Design, weights: WeightsPayload, loss: LossKind): Promise<void>;
  evaluate(): Promise<RunResult>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
  predict(input: { testIndex: number } | { pixels: Float32Array }): Promise<Prediction>;
  look<Q extends LookQuery>(query: Q): Promise<Extract<LookResult, { kind: Q['kind'] }>>;
}

/** The data the user picked, as shown in the picker. */
export type DataChoice =
  | { readonly kind: 'bundled'; readonly name: string }
  | { readonly kind: 'synthetic' }
  | { readonly kind: 'folder'; readonly name: string };

export interface CurvePoint {
  /** Fractional epoch (1.5 = halfway through the second epoch). */
  readonly x: number;
  readonly loss: number;
  readonly acc: number;
}

export interface RunView {
  readonly id: number | null;
  readonly phase: RunPhase | 'starting' | 'done' | 'stopped' | 'failed';
  readonly backend: BackendName | null;
  readonly measurements: readonly BackendMeasurement[];
  /** Auto only: why it started on `backend`. */
  readonly pick: AutoPick | null;
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  readonly fraction: number;
  readonly etaSec: number | null;
  readonly samplesPerSec: number | null;
  readonly loss: number | null;
  readonly acc: number | null;
  readonly train: readonly CurvePoint[];
  readonly val: readonly CurvePoint[];
  /** Per-layer gradient norms and update/weight ratios sampled during the run (the Gradients view). */
  readonly gradients: GradientHistory | null;
}

export interface TrainingState {
  /** The data loaded in the worker (a failed load leaves it as it was). */
  readonly data: DataChoice | null;
  /** The data being loaded now, while it loads. */
  readonly loadingData: DataChoice | null;
  readonly dataSummary: DataSummary | null;
  /** 0 … 1 while loading, else null. */
  readonly dataProgress: number | null;
  /** Why the data did not load: English text, and the catalogue issue when there is one (for es). */
  readonly dataError: { readonly message: string; readonly issue?: Issue } | null;
  readonly config: TrainConfig;
  readonly backendChoice: BackendChoice;
  readonly run: RunView | null;
  /** What `run`'s curves and `result` were produced by: every results view is judged against it. */
  readonly record: RunRecord | null;
  readonly result: RunResult | null;
  readonly error: string | null;
  /** Evaluating loaded weights on the data. */
  readonly evaluating: boolean;
  /** Share of a user's own images held out for the test. */
  readonly testShare: number;
  /** A run that was active when the page last went away (a reload, a crash): said once, then dismissed. */
  readonly lostRun: LostRun | null;
  /** Steps that ran out of memory on this device, per backend: the budget check's learned ceilings. */
  readonly learnedCeilings: LearnedCeilings;
  setTestShare(share: number): void;
  dismissLostRun(): void;
  chooseData(choice: DataChoice, source: DataSource): Promise<void>;
  setConfig(patch: Partial<TrainConfig>): void;
  setBackendChoice(choice: BackendChoice): void;
  /**
   * Starts a run on the app store's design with the given loss (from the fit check): from fresh weights,
   * or continuing from the design's saved weights.
   */
  start(loss: LossKind, from?: 'fresh' | 'continue'): Promise<void>;
  /** Measures the design's saved (loaded) weights on the loaded data, without training. */
  evaluate(loss: LossKind): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
  predict(input: { testIndex: number } | { pixels: Float32Array }): Promise<Prediction>;
  /** A look inside the model: the live one during a run, else the design's trained weights (given to the worker first). */
  look<Q extends LookQuery>(query: Q): Promise<Extract<LookResult, { kind: Q['kind'] }>>;
  dismissError(): void;
}

export type TrainingStore = StoreApi<TrainingState>;

/** At most this many points per curve: older ones are thinned (every other one dropped). */
export const MAX_CURVE_POINTS = 600;

function thin(points: CurvePoint[]): CurvePoint[] {
  return points.length <= MAX_CURVE_POINTS ? points : points.filter((_, i) => i % 2 === 1 || i === points.length - 1);
}

const idleRun = (): RunView => ({
  id: null,
  phase: 'starting',
  backend: null,
  measurements: [],
  pick: null,
  epoch: 0,
  epochs: 0,
  batch: 0,
  batches: 0,
  fraction: 0,
  etaSec: null,
  samplesPerSec: null,
  loss: null,
  acc: null,
  train: [],
  val: [],
  gradients: null,
});

export const isRunning = (run: RunView | null) =>
  !!run && run.phase !== 'done' && run.phase !== 'stopped' && run.phase !== 'failed';

/** A short-lived worker that only measures (Auto's look at the other backends after a first-guess run). */
export interface MeasuringClient {
  measure(design: Design, batchSize: number): Promise<{ measurements: readonly BackendMeasurement[] }>;
  dispose(): void;
}

export interface TrainingStoreOptions {
  /**
   * Makes a measuring worker. After a run that Auto started on its first guess, the other backends are
   * measured there, never in the training worker, which stays free for the results (predictions,
   * evaluation); the next Auto run of the same design starts on the fastest. Without it, Auto keeps
   * starting on its first guess.
   */
  readonly measurer?: () => MeasuringClient;
  /** Where the settings persist (the page: localStorage). */
  readonly settings?: SettingsStorage;
  /** Where the active-run marker lives (the page: sessionStorage, one per tab, kept across a reload). */
  readonly session?: SettingsStorage;
}

export function createTrainingStore(client: TrainingClientLike, app: AppStore, options: TrainingStoreOptions = {}): TrainingStore {
  const settings = options.settings ?? memorySettings();
  const session = options.session ?? memorySettings();
  const saved = parseRunSettings(settings.load(SETTINGS_KEY));
  const lostRun = parseLostRun(session.load(ACTIVE_RUN_KEY));
  session.save(ACTIVE_RUN_KEY, null);
  /** The last folder or zip loaded, to load again when the test share changes. */
  let folderSource: Extract<DataSource, { kind: 'folder' | 'zip' }> | null = null;
  let dataTicket = 0;
  /** The weights this store last put in the app store: any others arriving there were loaded. */
  let ownWeights: unknown = null;
  /** Whether the worker holds the model the record describes, and how to read its last layer. */
  let workerHasModel = false;
  let modelLoss: LossKind = DEFAULT_CONFIG.loss;
  /** Backend speeds measured for one design and batch size (see `measurer`), handed to the next Auto run. */
  let known: { key: string; measurements: readonly BackendMeasurement[] } | null = null;
  const knownKey = (design: Design, batchSize: number) => `${designFingerprint(design)}|${batchSize}`;
  /**
   * The run started by the last start(): its design and batch size, for measuring after it, and its
   * predicted memory peak (null when the design has errors), for the learned ceiling.
   */
  let started: { design: Design; batchSize: number; peak: number | null } | null = null;
  const store = createStore<TrainingState>()((set, get) => {
    const patchRun = (runId: number, patch: Partial<RunView> | ((run: RunView) => Partial<RunView>)) => {
      const run = get().run;
      // Events can overtake the reply to start(): a starting run with no id yet adopts theirs.
      if (!run || (run.id !== runId && !(run.id === null && run.phase === 'starting'))) return;
      if (run.id === null) patch = { ...(typeof patch === 'function' ? patch(run) : patch), id: runId };
      set({ run: { ...run, ...(typeof patch === 'function' ? patch(run) : patch) } });
    };
    const measureAfter = async (runId: number, design: Design, batchSize: number) => {
      const worker = options.measurer?.();
      if (!worker) return;
      try {
        const { measurements } = await worker.measure(design, batchSize);
        known = { key: knownKey(design, batchSize), measurements };
        patchRun(runId, { measurements });
      } catch {
        // Advice for the next run only: a failed measurement leaves Auto on its first guess.
      } finally {
        worker.dispose();
      }
    };
    const finish = () => {
      session.save(ACTIVE_RUN_KEY, null);
      app.getState().setRunActive(false);
    };
    /** What the end of a run on `backend` teaches about this device's memory (see device-ceiling.ts). */
    const learnCeiling = (backend: BackendName | null, outOfMemory: boolean) => {
      if (!backend || started?.peak == null) return;
      const known = get().learnedCeilings;
      const next = outOfMemory
        ? learnFromFailure(known, backend, { bytes: started.peak, batchSize: started.batchSize })
        : forgetDisproved(known, backend, started.peak);
      if (next === known) return;
      set({ learnedCeilings: next });
      settings.save(LEARNED_CEILINGS_KEY, next);
    };
    const persist = () => {
      const { config, backendChoice, testShare } = get();
      settings.save(SETTINGS_KEY, { config, backendChoice, testShare });
    };

    client.on((event) => {
      switch (event.type) {
        case 'status':
          patchRun(event.runId, (run) => ({
            phase: event.phase,
            backend: event.backend ?? run.backend,
            measurements: event.measurements && event.measurements.length > 0 ? event.measurements : run.measurements,
            pick: event.pick ?? run.pick,
          }));
          return;

        case 'progress':
          if (event.afterValidation) {
            patchRun(event.runId, { fraction: event.fraction, etaSec: Number.isFinite(event.etaSec) ? event.etaSec : null });
            return;
          }
          patchRun(event.runId, (run) => ({
            epoch: event.epoch,
            epochs: event.epochs,
            batch: event.batch,
            batches: event.batches,
            fraction: event.fraction,
            etaSec: Number.isFinite(event.etaSec) ? event.etaSec : null,
            samplesPerSec: event.samplesPerSec,
            loss: event.loss,
            acc: event.acc,
            train: thin([...run.train, { x: event.epoch - 1 + event.batch / event.batches, loss: event.loss, acc: event.acc }]),
          }));
          return;
        case 'gradients':
          patchRun(event.runId, (run) => ({ gradients: appendGradients(run.gradients, event.nodeIds, event.x, event.values) }));
          return;
        case 'epoch':
          patchRun(event.runId, (run) => (validationPoint(event) ? { val: [...run.val, validationPoint(event)!] } : {}));
          return;
        case 'done':
          // A stopped run ended with results too ('done'), but its bar stays where it stopped.
          patchRun(event.runId, event.result.stoppedAt ? { phase: 'done', etaSec: 0 } : { phase: 'done', fraction: 1, etaSec: 0 });
          if (get().run?.id === event.runId) {
            if (get().run?.pick === 'first-guess' && started) void measureAfter(event.runId, started.design, started.batchSize);
            if (!event.result.stoppedAt) learnCeiling(get().run?.backend ?? null, false);
            set({ result: event.result, record: pendingRecord });
            workerHasModel = true;
            const weights = unpackWeights(event.result.weights);
            ownWeights = weights;
            app.getState().setWeights(weights);
            finish();
          }
          return;
        case 'run-error':
          if (get().run?.id === event.runId || event.runId === -1) {
            const stopped = event.error.kind === 'stopped';
            if (event.error.kind === 'out-of-memory') {
              // A run can fail before the worker says which backend it runs on: then the one chosen.
              const choice = get().backendChoice;
              learnCeiling(get().run?.backend ?? (choice === 'auto' ? null : choice), true);
            }
            patchRun(event.runId, { phase: stopped ? 'stopped' : 'failed' });
            if (!stopped) set({ error: event.error.message });
            finish();
          }
          return;
        case 'crashed':
          // The worker and everything in it (data, trained model) are gone; the design is not. A run cut
          // short leaves the design's last good weights: they are offered as saved weights.
          set((s) => ({
            error: event.error.message,
            run: s.run && isRunning(s.run) ? { ...s.run, phase: 'failed' } : s.run,
            ...(s.run && isRunning(s.run) && app.getState().weights ? { record: loadedRecord(), result: null } : {}),
            dataSummary: null,
            data: null,
            loadingData: null,
            dataProgress: null,
          }));
          workerHasModel = false;
          finish();
          return;
      }
    });

    /** The record a run will have once done (set at start; the data and design cannot change meanwhile). */
    let pendingRecord: RunRecord | null = null;

    const loadedRecord = (): RunRecord | null => {
      const design = app.getState().flat;
      return design ? { designKey: designFingerprint(design), data: null, origin: 'loaded', hasCurves: false } : null;
    };

    // Weights that arrive from elsewhere (a reload, an opened file, a share) are a model of their own:
    // earlier results are put away, and the worker is given them on first use.
    app.subscribe((s, prev) => {
      if (s.weights === prev.weights || !s.weights || s.weights === ownWeights || isRunning(get().run)) return;
      ownWeights = s.weights;
      workerHasModel = false;
      set({ record: loadedRecord(), result: null, run: null });
    });

    /** Gives the worker the design's saved weights when it does not hold the record's model. */
    const ensureModel = async (loss: LossKind) => {
      const { flat: design, weights } = app.getState();
      if (workerHasModel && loss === modelLoss) return;
      if (!design || !weights) throw new Error('There are no trained weights for this design.');
      await client.useWeights(design, packWeights(weights).payload, loss);
      workerHasModel = true;
      modelLoss = loss;
    };

    // Own images are resized when they load: when the Input's shape changes, they load again at the new
    // shape (from the same files), so the data never describes itself by a shape it was not read at.
    app.subscribe((s, prev) => {
      if (s.flat === prev.flat || !folderSource || get().data?.kind !== 'folder' || isRunning(get().run) || get().loadingData) return;
      const shape = designInputShape(s.flat);
      if (!shape || shape.join('x') === folderSource.shape.join('x')) return;
      void get().chooseData(get().data!, { ...folderSource, shape });
    });

    const initialWeights = app.getState().weights;
    if (initialWeights) ownWeights = initialWeights;

    return {
      data: null,
      loadingData: null,
      record: initialWeights ? loadedRecord() : null,
      evaluating: false,
      testShare: saved.testShare,
      lostRun,
      learnedCeilings: parseLearnedCeilings(settings.load(LEARNED_CEILINGS_KEY)),
      dataSummary: null,
      dataProgress: null,
      dataError: null,
      config: saved.config,
      backendChoice: saved.backendChoice,
      run: null,
      result: null,
      error: null,

      // A transaction: the data in use stays until the new data has loaded; a failure leaves it in place.
      async chooseData(choice, picked) {
        const ticket = ++dataTicket;
        const source = picked.kind === 'folder' || picked.kind === 'zip' ? { ...picked, testShare: get().testShare } : picked;
        set({ loadingData: choice, dataProgress: 0, dataError: null });
        try {
          const summary = await client.loadData(source, (loaded, total) => {
            if (ticket === dataTicket) set({ dataProgress: total > 0 ? loaded / total : 0 });
          });
          if (ticket !== dataTicket) return;
          set({ data: choice, loadingData: null, dataSummary: summary, dataProgress: null });
          folderSource = source.kind === 'folder' || source.kind === 'zip' ? source : null;
        } catch (e) {
          if (ticket !== dataTicket) return;
          const issue = (e as { error?: { issue?: Issue } }).error?.issue;
          set({ dataError: { message: e instanceof Error ? e.message : String(e), ...(issue ? { issue } : {}) }, dataProgress: null, loadingData: null });
        }
      },

      setConfig: (patch) => {
        set((s) => ({ config: { ...s.config, ...patch } }));
        persist();
      },
      setBackendChoice: (backendChoice) => {
        set({ backendChoice });
        persist();
      },
      setTestShare(testShare) {
        if (testShare === get().testShare) return;
        set({ testShare });
        persist();
        // Own images are split when they load: a new share loads them again (the old split stays if that fails).
        const { data } = get();
        if (folderSource && data?.kind === 'folder' && !isRunning(get().run)) void get().chooseData(data, folderSource);
      },
      dismissLostRun: () => set({ lostRun: null }),

      async start(loss, from = 'fresh') {
        // Training runs on the layers as they run: blocks unfolded.
        const { flat: design, weights } = app.getState();
        const summary = get().dataSummary;
        if (!design || isRunning(get().run)) return;
        const config = { ...get().config, loss };
        const continuing = from === 'continue' && !!weights;
        const origin: WeightsOrigin = continuing ? 'continued' : 'trained';
        pendingRecord = { designKey: designFingerprint(design), data: summary ? dataIdentity(summary) : null, origin, hasCurves: true };
        // The curves on screen become this run's at once; its record with them.
        set({ run: idleRun(), result: null, error: null, record: pendingRecord });
        modelLoss = loss;
        app.getState().setRunActive(true, () => get().stop());
        session.save(ACTIVE_RUN_KEY, { dataName: summary?.name ?? null, epochs: config.epochs, startedAt: Date.now() } satisfies LostRun);
        try {
          const backend = get().backendChoice;
          const { inference } = app.getState();
          const peak = inference && inference.totals.errors === 0 ? predictTrainingMemory(inference, config.batchSize, config.optimizer).peak : null;
          started = { design, batchSize: config.batchSize, peak };
          const speeds = backend === 'auto' && known?.key === knownKey(design, config.batchSize) ? known.measurements : undefined;
          const payload = continuing ? packWeights(weights).payload : undefined;
          const id = speeds
            ? await client.start(design, config, backend, payload, speeds)
            : payload
              ? await client.start(design, config, backend, payload)
              : await client.start(design, config, backend);
          set((s) => ({ run: s.run ? { ...s.run, id, epochs: config.epochs } : s.run }));
        } catch (e) {
          set((s) => ({ error: e instanceof Error ? e.message : String(e), run: s.run ? { ...s.run, phase: 'failed' } : null }));
          finish();
        }
      },

      pause: () => client.pause(),
      resume: () => client.resume(),
      async stop() {
        await client.stop();
      },
      async evaluate(loss) {
        if (isRunning(get().run) || get().evaluating) return;
        const summary = get().dataSummary;
        set({ evaluating: true, error: null });
        try {
          // The saved weights on the design as it is now: the worker gets them afresh, and the results
          // belong to this design and this data.
          workerHasModel = false;
          await ensureModel(loss);
          const result = await client.evaluate();
          const record = loadedRecord();
          set({ result, record: record && summary ? { ...record, data: dataIdentity(summary) } : record });
        } catch (e) {
          set({ error: e instanceof Error ? e.message : String(e) });
        } finally {
          set({ evaluating: false });
        }
      },
      async predict(input) {
        await ensureModel(modelLoss);
        return client.predict(input);
      },
      async look(query) {
        if (!isRunning(get().run)) await ensureModel(modelLoss);
        return client.look(query);
      },
      dismissError: () => set({ error: null }),
    };
  });
  return store;
}

function validationPoint(e: EpochEvent): CurvePoint | null {
  return e.valLoss === null || e.valAcc === null ? null : { x: e.epoch, loss: e.valLoss, acc: e.valAcc };
}

/** The image shape the design's Input asks for, or null without an Input. */
function designInputShape(design: Design | null): [number, number, number] | null {
  const input = design?.nodes.find((n) => n.kind === 'Input');
  return input ? inputImageShape(input.params.shape as readonly number[] | undefined) : null;
}
