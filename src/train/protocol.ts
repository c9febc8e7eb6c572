/**
 * The typed message protocol between the page and the training worker. Both sides import only this file
 * (types plus tiny pure helpers), so the main bundle never pulls in tfjs: the worker alone does.
 *
 * Requests carry an `id`; the worker answers each one with a reply of the same id (`ok` or an `error`).
 * Runs also stream events (status, progress, epoch, done) that carry the run's id.
 *
 * Large arrays travel as transferables (their buffers move, nothing is copied): images, weights.
 */
import type { Issue } from '../graph/messages.ts';
import type { Design } from '../graph/types.ts';
import type { DesignWeights, WeightTensor } from '../graph/weights.ts';
import type { FoundImages } from './datasets/image-header.ts';
import { lookTransferables, type LookQuery, type LookResult } from './look-protocol.ts';

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';

/** How the loss reads the network's last layer (the fit check decides). */
export type LossKind = 'softmax-probabilities' | 'logits';

export interface TrainConfig {
  readonly optimizer: 'sgd' | 'adam';
  readonly learningRate: number;
  /** SGD only. */
  readonly momentum: number;
  readonly batchSize: number;
  readonly epochs: number;
  /** Share of the training set held out for validation (0 … 0.5). */
  readonly validationSplit: number;
  /** Random shift in pixels (0 = off) and random horizontal flip. */
  readonly augment: { readonly shift: number; readonly flip: boolean };
  /** Stop after this many epochs without a better validation loss; null = never. */
  readonly patience: number | null;
  /** Caps the batches of each epoch (a quick look); null = the whole training set. */
  readonly maxBatchesPerEpoch: number | null;
  readonly loss: LossKind;
  readonly seed: number;
}

export const DEFAULT_CONFIG: TrainConfig = {
  optimizer: 'adam',
  learningRate: 0.001,
  momentum: 0.9,
  batchSize: 32,
  epochs: 3,
  validationSplit: 0.1,
  augment: { shift: 0, flip: false },
  patience: null,
  maxBatchesPerEpoch: null,
  loss: 'softmax-probabilities',
  seed: 1,
};

/** Images as float32 in [0, 1], channels-last, `count` of them back to back. */
export interface ImageSet {
  readonly shape: readonly [number, number, number];
  readonly count: number;
  readonly x: Float32Array;
  /** Class index per image. */
  readonly y: Int32Array;
}

export interface DatasetArrays {
  readonly name: string;
  readonly classes: readonly string[];
  readonly train: ImageSet;
  readonly test: ImageSet;
}

/** Where the worker gets the data from. Files stay File objects (they clone cheaply to the worker). */
export type DataSource =
  | { readonly kind: 'bundled'; readonly name: string }
  /** The generated "Shapes" set, drawn at the network's input size. */
  | {
      readonly kind: 'synthetic';
      readonly seed?: number;
      readonly size?: number;
      readonly channels?: 1 | 3;
      readonly train?: number;
      readonly test?: number;
    }
  /**
   * The user's images: a folder's files with their paths inside it (a File's webkitRelativePath does
   * not survive the trip to the worker), or one .zip. Decoded and resized in the worker.
   */
  | {
      readonly kind: 'folder';
      readonly files: readonly { readonly path: string; readonly file: Blob }[];
      readonly shape: readonly [number, number, number];
      readonly name?: string;
      /** Share of each class held out for the test (default 0.2). */
      readonly testShare?: number;
    }
  | {
      readonly kind: 'zip';
      readonly file: Blob;
      readonly name: string;
      readonly shape: readonly [number, number, number];
      readonly testShare?: number;
    }
  /** Already decoded on the page (a test fixture); buffers are transferred. */
  | { readonly kind: 'arrays'; readonly dataset: DatasetArrays };

export interface DataSummary {
  readonly name: string;
  readonly classes: readonly string[];
  readonly shape: readonly [number, number, number];
  readonly trainCount: number;
  readonly testCount: number;
  /** Training images per class, in class order. */
  readonly perClass: readonly number[];
  /** Test (or, for a user's folder, held-out) images per class. */
  readonly testPerClass: readonly number[];
  /** Files skipped while loading a folder, as catalogue issues (rendered in the page's language). */
  readonly warnings?: readonly Issue[];
  /** A cheap hash of the labels and a sample of the pixels: tells two loads of different images apart. */
  readonly fingerprint?: string;
  /** A user's images as found, before they were resized to `shape`. */
  readonly found?: FoundImages;
}

export interface BackendMeasurement {
  readonly backend: BackendName;
  /** Training samples per second of the user's model, or null when the backend failed. */
  readonly samplesPerSec: number | null;
  /** Why it is unavailable or failed, in words (English). */
  readonly error?: string;
  /** The same, when the browser simply lacks it, as a code the page says in its own language. */
  readonly missing?: MissingBackend;
}

/** What a browser can lack (backends.ts probe): the page words each code in en and es. */
export type MissingBackend = 'no-webgpu' | 'no-gpu-adapter' | 'no-offscreen-canvas' | 'no-webgl2' | 'no-wasm';

export interface ProgressEvent {
  readonly type: 'progress';
  readonly runId: number;
  /** 1-based epoch and batch within it. */
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  /** Mean over the batches since the previous progress event (what the curve plots). */
  readonly loss: number;
  readonly acc: number;
  readonly samplesPerSec: number;
  /** Seconds left for the whole run at the current speed. */
  readonly etaSec: number;
  /** Fraction of the run done, 0 … 1 (validation and test counted). */
  readonly fraction: number;
  /** Sent once an epoch's validation is done: the same figures, the bar and time left moved on; no new curve point. */
  readonly afterValidation?: true;
}

export interface EpochEvent {
  readonly type: 'epoch';
  readonly runId: number;
  readonly epoch: number;
  readonly loss: number;
  readonly acc: number;
  readonly valLoss: number | null;
  readonly valAcc: number | null;
}

export type StopReason = 'completed' | 'stopped' | 'early-stopped';

export interface Misclassified {
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
  /** The image as float32 [0, 1], channels-last, shape of the dataset. */
  readonly pixels: Float32Array;
}

/** Where a stopped run stopped (1-based epoch, batches done in it of the epoch's batches). */
export interface StoppedAt {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
}

export interface RunResult {
  /** 'evaluated': loaded weights measured on the data, no training. */
  readonly reason: StopReason | 'evaluated';
  /** Set when the user stopped the run mid-way. */
  readonly stoppedAt?: StoppedAt;
  readonly backend: BackendName;
  readonly epochsRun: number;
  readonly seconds: number;
  readonly samplesPerSec: number;
  readonly testAccuracy: number;
  readonly testLoss: number;
  /** confusion[actual][predicted] counts. */
  readonly confusion: readonly (readonly number[])[];
  readonly misclassified: readonly Misclassified[];
  readonly misclassifiedTotal: number;
  readonly weights: WeightsPayload;
}

export interface DoneEvent {
  readonly type: 'done';
  readonly runId: number;
  readonly result: RunResult;
}

export type RunPhase = 'compiling' | 'measuring' | 'training' | 'paused' | 'evaluating';

/** Why Auto started where it did: a measurement of this design on this page, or the first guess. */
export type AutoPick = 'measured' | 'first-guess';

export interface StatusEvent {
  readonly type: 'status';
  readonly runId: number;
  readonly phase: RunPhase;
  /** The backend in use once chosen. */
  readonly backend?: BackendName;
  /** What Auto measured (or the override's own speed), filled as measurements finish. */
  readonly measurements?: readonly BackendMeasurement[];
  /** Auto only: why it started on `backend` (see backend-choice.ts autoStart). */
  readonly pick?: AutoPick;
}



export interface DataProgressEvent {
  readonly type: 'data-progress';
  readonly id: number;
  readonly loaded: number;
  readonly total: number;
}

/** 'stopped': the user stopped the run before training began (not a failure to show). */
export type ErrorKind = 'out-of-memory' | 'backend' | 'compile' | 'data' | 'worker-crashed' | 'stopped' | 'internal';

export interface MeasureBudget {
  readonly warmupSteps: number;
  readonly windows: number;
  readonly stepsPerWindow: number;
  readonly minWindowMs: number;
  readonly maxMs: number;
}

/** How Auto times a backend on the user's design; bench:budget predicts epochs from the same measurement. */
export const AUTO_MEASURE_BUDGET: MeasureBudget = { warmupSteps: 2, windows: 3, stepsPerWindow: 2, minWindowMs: 150, maxMs: 2500 };

export interface WorkerError {
  readonly kind: ErrorKind;
  /** Said to the user as is (English). */
  readonly message: string;
  /** The same as a catalogue issue when there is one, for the page's language. */
  readonly issue?: Issue;
}

export interface Top5 {
  readonly classIndex: number;
  readonly probability: number;
}

// --- requests (page → worker) ---

export type Request =
  | { readonly type: 'load-data'; readonly id: number; readonly source: DataSource }
  | {
      readonly type: 'measure';
      readonly id: number;
      readonly design: Design;
      readonly batchSize: number;
      readonly backends?: readonly BackendName[];
      /** Longer timing than Auto's quick look (the benchmark). */
      readonly budget?: MeasureBudget;
    }
  | {
      readonly type: 'start';
      readonly id: number;
      readonly design: Design;
      readonly config: TrainConfig;
      readonly backend: BackendChoice;
      /** Continue from these weights instead of fresh ones. */
      readonly weights?: WeightsPayload;
      /**
       * Auto only: this design's speeds as measured by another worker after an earlier run (the page
       * measures there so that this worker is never busy measuring); Auto starts on their fastest.
       */
      readonly known?: readonly BackendMeasurement[];
    }
  /**
   * Makes these weights (reloaded, opened, or kept from an earlier run) the model that predict and
   * evaluate run, without training. The loss tells how to read the last layer.
   */
  | { readonly type: 'use-weights'; readonly id: number; readonly design: Design; readonly weights: WeightsPayload; readonly loss: LossKind }
  /** Measures the model from use-weights (or the last run) on the loaded data's test images. */
  | { readonly type: 'evaluate'; readonly id: number }
  | { readonly type: 'pause'; readonly id: number }
  | { readonly type: 'resume'; readonly id: number }
  | { readonly type: 'stop'; readonly id: number }
  | {
      readonly type: 'predict';
      readonly id: number;
      /** A test image by index, or pixels the page prepared (drawn or uploaded), in the input's shape. */
      readonly input: { readonly testIndex: number } | { readonly pixels: Float32Array };
    }
  /** Filters, feature maps or top images of the live (or last trained) model: look-protocol.ts. */
  | { readonly type: 'look'; readonly id: number; readonly query: LookQuery };

export type RequestOf<T extends Request['type']> = Extract<Request, { type: T }>;

/** Replies: one per request id. */
export type Reply =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly value: ReplyValue }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: WorkerError };

export type ReplyValue =
  | { readonly kind: 'data'; readonly summary: DataSummary }
  | { readonly kind: 'measured'; readonly measurements: readonly BackendMeasurement[]; readonly fastest: BackendName | null }
  | { readonly kind: 'started'; readonly runId: number }
  | { readonly kind: 'ack' }
  | { readonly kind: 'evaluated'; readonly result: RunResult }
  | { readonly kind: 'prediction'; readonly top5: readonly Top5[]; readonly pixels: Float32Array; readonly label: number | null }
  | { readonly kind: 'look'; readonly result: LookResult };

/**
 * Per-layer gradient samples of a run (gradient-stats.ts), sent about once a second: `values` is laid
 * out [samples, nodes, 2] (gradient norm, update/weight ratio); both buffers move.
 */
export interface GradientsEvent {
  readonly type: 'gradients';
  readonly runId: number;
  readonly nodeIds: readonly string[];
  readonly x: Float32Array;
  readonly values: Float32Array;
}

export type WorkerEvent =
  | StatusEvent
  | ProgressEvent
  | GradientsEvent
  | EpochEvent
  | DoneEvent
  | DataProgressEvent
  | { readonly type: 'run-error'; readonly runId: number; readonly error: WorkerError };

export type FromWorker = Reply | WorkerEvent;

// --- weights on the wire ---

/** DesignWeights flattened so that each tensor's buffer can be transferred. */
export interface WeightsPayload {
  readonly tensors: readonly { readonly nodeId: string; readonly name: string; readonly shape: readonly number[]; readonly data: Float32Array }[];
}

export function packWeights(weights: DesignWeights): { payload: WeightsPayload; transfer: ArrayBuffer[] } {
  const tensors: WeightsPayload['tensors'][number][] = [];
  const transfer: ArrayBuffer[] = [];
  for (const [nodeId, named] of weights) {
    for (const [name, t] of Object.entries(named)) {
      tensors.push({ nodeId, name, shape: [...t.shape], data: t.data });
      // A view on part of a larger buffer cannot move alone; such tensors are copied by the clone.
      if (t.data.byteOffset === 0 && t.data.byteLength === t.data.buffer.byteLength && t.data.buffer instanceof ArrayBuffer) {
        if (!transfer.includes(t.data.buffer)) transfer.push(t.data.buffer);
      }
    }
  }
  return { payload: { tensors }, transfer };
}

export function unpackWeights(payload: WeightsPayload): DesignWeights {
  const out = new Map<string, Record<string, WeightTensor>>();
  for (const t of payload.tensors) {
    const named = out.get(t.nodeId) ?? {};
    named[t.name] = { shape: [...t.shape], data: t.data };
    out.set(t.nodeId, named);
  }
  return out;
}

/** The buffers a message can hand over instead of copying. */
export function transferablesOf(message: FromWorker | Request): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const add = (a: ArrayBufferView | undefined) => {
    if (a && a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && !out.includes(a.buffer)) {
      out.push(a.buffer);
    }
  };
  if (message.type === 'done') {
    for (const t of message.result.weights.tensors) add(t.data);
    for (const m of message.result.misclassified) add(m.pixels);
  } else if (message.type === 'gradients') {
    add(message.x);
    add(message.values);
  } else if (message.type === 'reply' && message.ok && message.value.kind === 'prediction') {
    add(message.value.pixels);
  } else if (message.type === 'reply' && message.ok && message.value.kind === 'look') {
    for (const a of lookTransferables(message.value.result)) add(a);
  } else if (message.type === 'look' && message.query.kind === 'activations' && 'pixels' in message.query.input) {
    add(message.query.input.pixels);
  } else if (message.type === 'reply' && message.ok && message.value.kind === 'evaluated') {
    for (const m of message.value.result.misclassified) add(m.pixels);
  } else if (message.type === 'load-data' && message.source.kind === 'arrays') {
    const { train, test } = message.source.dataset;
    for (const a of [train.x, train.y, test.x, test.y]) add(a);
  } else if (message.type === 'predict' && 'pixels' in message.input) {
    add(message.input.pixels);
  }
  return out;
}

const REQUEST_TYPES = new Set<string>(['load-data', 'measure', 'start', 'use-weights', 'evaluate', 'pause', 'resume', 'stop', 'predict', 'look']);
const EVENT_TYPES = new Set<string>(['reply', 'status', 'progress', 'epoch', 'done', 'data-progress', 'run-error', 'gradients']);

/** A cheap shape check at the boundary: a message that is not ours is ignored, not trusted. */
export function isRequest(data: unknown): data is Request {
  return typeof data === 'object' && data !== null && REQUEST_TYPES.has((data as { type?: unknown }).type as string) &&
    typeof (data as { id?: unknown }).id === 'number';
}

export function isFromWorker(data: unknown): data is FromWorker {
  return typeof data === 'object' && data !== null && EVENT_TYPES.has((data as { type?: unknown }).type as string);
}

/** Turns anything thrown inside the worker into words for the user. */
export function describeError(e: unknown, fallback: ErrorKind = 'internal'): WorkerError {
  const text = e instanceof Error ? e.message : String(e);
  if (/out of memory|OOM|Failed to allocate|allocation failed|Array buffer allocation|exceeds the maximum|Maximum call stack/i.test(text) ||
    /RangeError: (Invalid typed array length|Array buffer)/i.test(String(e))) {
    return {
      kind: 'out-of-memory',
      message: `The browser ran out of memory while training (${text}). Try a smaller batch size or a smaller network.`,
    };
  }
  const issue = (e as { issue?: Issue } | null)?.issue;
  return issue && typeof issue.code === 'string' ? { kind: 'data', message: text, issue } : { kind: fallback, message: text };
}

/** Omit over each member of a union (plain Omit would merge the members). */
export type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
