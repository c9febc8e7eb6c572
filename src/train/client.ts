/**
 * The page's side of the training worker: requests become promises, worker events reach listeners.
 * A crashed worker (an error nobody caught, a message that cannot be read) rejects every pending
 * request with words, tells the listeners, and is replaced by a fresh one on the next request.
 *
 * Imports only protocol types: the main bundle never loads tfjs.
 */
import type { Design } from '../graph/types.ts';
import {
  isFromWorker,
  transferablesOf,
  type BackendChoice,
  type BackendMeasurement,
  type BackendName,
  type DataSource,
  type DataSummary,
  type DistributiveOmit,
  type LossKind,
  type RunResult,
  type WeightsPayload,
  type FromWorker,
  type MeasureBudget,
  type Request,
  type ReplyValue,
  type Top5,
  type TrainConfig,
  type WorkerError,
  type WorkerEvent,
} from './protocol.ts';
import type { LookQuery, LookResult } from './look-protocol.ts';

/** The part of `Worker` the client uses (tests pass a fake). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent | Event) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
}

export type ClientEvent = WorkerEvent | { readonly type: 'crashed'; readonly error: WorkerError };

export class TrainingError extends Error {
  constructor(readonly error: WorkerError) {
    super(error.message);
    this.name = 'TrainingError';
  }
}

export function defaultWorkerFactory(): WorkerLike {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'netcanvas-training' }) as unknown as WorkerLike;
}

interface Pending {
  resolve(value: ReplyValue): void;
  reject(error: TrainingError): void;
  onProgress?: (loaded: number, total: number) => void;
}

export interface Prediction {
  readonly top5: readonly Top5[];
  readonly pixels: Float32Array;
  readonly label: number | null;
}

export class TrainingClient {
  private worker: WorkerLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: ClientEvent) => void>();

  constructor(private readonly factory: () => WorkerLike = defaultWorkerFactory) {}

  on(listener: (event: ClientEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async loadData(source: DataSource, onProgress?: (loaded: number, total: number) => void): Promise<DataSummary> {
    const v = await this.request({ type: 'load-data', source }, onProgress);
    return (v as Extract<ReplyValue, { kind: 'data' }>).summary;
  }

  async measure(design: Design, batchSize: number, backends?: readonly BackendName[], budget?: MeasureBudget) {
    const v = await this.request({ type: 'measure', design, batchSize, backends, budget });
    const m = v as Extract<ReplyValue, { kind: 'measured' }>;
    return { measurements: m.measurements as readonly BackendMeasurement[], fastest: m.fastest };
  }

  /** Starts a run; resolves with its id once the worker accepted it (events carry the same id). */
  async start(design: Design, config: TrainConfig, backend: BackendChoice, weights?: WeightsPayload, known?: readonly BackendMeasurement[]): Promise<number> {
    const v = await this.request({ type: 'start', design, config, backend, ...(weights ? { weights } : {}), ...(known?.length ? { known } : {}) });
    return (v as Extract<ReplyValue, { kind: 'started' }>).runId;
  }

  /** Makes saved weights the model that predict and evaluate run (the payload is copied, not moved). */
  async useWeights(design: Design, weights: WeightsPayload, loss: LossKind): Promise<void> {
    await this.request({ type: 'use-weights', design, weights, loss });
  }

  /** Test-set results of the current model on the loaded data. */
  async evaluate(): Promise<RunResult> {
    const v = await this.request({ type: 'evaluate' });
    return (v as Extract<ReplyValue, { kind: 'evaluated' }>).result;
  }

  async pause(): Promise<void> {
    await this.request({ type: 'pause' });
  }

  async resume(): Promise<void> {
    await this.request({ type: 'resume' });
  }

  async stop(): Promise<void> {
    await this.request({ type: 'stop' });
  }

  async predict(input: { testIndex: number } | { pixels: Float32Array }): Promise<Prediction> {
    const v = await this.request({ type: 'predict', input });
    const p = v as Extract<ReplyValue, { kind: 'prediction' }>;
    return { top5: p.top5, pixels: p.pixels, label: p.label };
  }

  /** Filters, feature maps or top images of the worker's model (the live one during a run). */
  async look<Q extends LookQuery>(query: Q): Promise<Extract<LookResult, { kind: Q['kind'] }>> {
    const v = await this.request({ type: 'look', query });
    return (v as Extract<ReplyValue, { kind: 'look' }>).result as Extract<LookResult, { kind: Q['kind'] }>;
  }

  /** Ends the worker; pending requests fail. */
  dispose(): void {
    this.failAll({ kind: 'internal', message: 'The training worker was closed.' });
    this.worker?.terminate();
    this.worker = null;
  }

  private request(body: DistributiveOmit<Request, 'id'>, onProgress?: (loaded: number, total: number) => void): Promise<ReplyValue> {
    const id = this.nextId++;
    const message = { ...body, id } as Request;
    return new Promise<ReplyValue>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      try {
        this.ensureWorker().postMessage(message, transferablesOf(message));
      } catch (e) {
        this.pending.delete(id);
        reject(new TrainingError({ kind: 'internal', message: `Could not send to the training worker: ${e instanceof Error ? e.message : String(e)}` }));
      }
    });
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const worker = this.factory();
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => {
      const detail = 'message' in event && event.message ? `: ${event.message}` : '';
      // preventDefault keeps the browser from also logging it as uncaught; we report it ourselves.
      event.preventDefault?.();
      this.crash({ kind: 'worker-crashed', message: `The training worker crashed${detail}. Your design is unchanged; start the run again.` });
    };
    worker.onmessageerror = () =>
      this.crash({ kind: 'worker-crashed', message: 'A message from the training worker could not be read. Your design is unchanged.' });
    this.worker = worker;
    return worker;
  }

  private receive(data: unknown) {
    if (!isFromWorker(data)) return;
    const message = data as FromWorker;
    if (message.type === 'reply') {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      if (message.ok) p.resolve(message.value);
      else p.reject(new TrainingError(message.error));
      return;
    }
    if (message.type === 'data-progress') {
      this.pending.get(message.id)?.onProgress?.(message.loaded, message.total);
      return;
    }
    for (const l of this.listeners) l(message);
  }

  private crash(error: WorkerError) {
    this.worker?.terminate();
    this.worker = null;
    this.failAll(error);
    for (const l of this.listeners) l({ type: 'crashed', error });
  }

  private failAll(error: WorkerError) {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new TrainingError(error));
  }
}
