/**
 * The training Web Worker: compile, backends, data, the loop. The page talks to it only through
 * protocol.ts (see client.ts). Everything tfjs lives on this side of the boundary.
 */
import { activate, probeBackends } from './backends.ts';
import { loadDataSource } from './data-sources.ts';
import { isRequest, type FromWorker } from './protocol.ts';
import { createWorkerCore } from './worker-core.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const core = createWorkerCore({
  post: (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer),
  loadData: loadDataSource,
  probe: probeBackends,
  activate,
});

scope.onmessage = (event: MessageEvent<unknown>) => {
  if (isRequest(event.data)) void core.handle(event.data);
};

// Failures no request owns (a rejected promise in a timer) still reach the page, in words.
scope.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason instanceof Error ? event.reason.message : String(event.reason);
  scope.postMessage({ type: 'run-error', runId: core.activeRun ?? -1, error: { kind: 'internal', message: reason } } satisfies FromWorker);
});
