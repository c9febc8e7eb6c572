/**
 * The page's side of the code worker: each request is a promise. A worker that dies (an ONNX too big
 * for memory) rejects what is pending, in words, and the next request starts a fresh one. Imports only
 * types: the exporters load inside the worker, never on the page.
 */
import type { Design, Lang } from '../../graph/types.ts';
import type { DesignWeights } from '../../graph/weights.ts';
import type { CodeViews, DownloadResult } from './code-tabs.ts';

export interface CodeJobRequest {
  readonly id: number;
  readonly kind: 'views' | 'download';
  readonly design: Design;
  readonly weights: DesignWeights | null;
  /** Language of the texts for people in the files (the ONNX summary). */
  readonly lang: Lang;
}

export type CodeJobReply =
  | { readonly id: number; readonly ok: true; readonly kind: 'views'; readonly views: CodeViews }
  | { readonly id: number; readonly ok: true; readonly kind: 'download'; readonly download: DownloadResult }
  | { readonly id: number; readonly ok: false; readonly message: string };

type Result<K extends CodeJobRequest['kind']> = K extends 'views' ? CodeViews : DownloadResult;

export class CodeJobs {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./code-worker.ts', import.meta.url), { type: 'module', name: 'netcanvas-code' });
    worker.onmessage = (event: MessageEvent<CodeJobReply>) => {
      const reply = event.data;
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      if (!reply.ok) job.reject(new Error(reply.message));
      else job.resolve(reply.kind === 'views' ? reply.views : reply.download);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.fail(new Error(`the code generator stopped: ${event.message || 'worker error'}`));
    };
    this.worker = worker;
    return worker;
  }

  /** Rejects what is pending and drops the worker; the next job starts a fresh one. */
  private fail(error: Error) {
    for (const job of this.pending.values()) job.reject(error);
    this.pending.clear();
    this.worker?.terminate();
    this.worker = null;
  }

  run<K extends CodeJobRequest['kind']>(kind: K, design: Design, weights: DesignWeights | null, lang: Lang): Promise<Result<K>> {
    const id = this.nextId++;
    return new Promise<Result<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.ensureWorker().postMessage({ id, kind, design, weights, lang } satisfies CodeJobRequest);
    });
  }

  dispose() {
    this.fail(new Error('the code panel was closed'));
  }
}
