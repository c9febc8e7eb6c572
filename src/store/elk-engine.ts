/**
 * ELK behind a Web Worker, for Tidy up in the browser: laying out a 175-layer network takes ELK about a
 * second, which on the main thread would freeze the editor (and the "Tidying up…" it shows). Where there
 * is no Worker (Node: tests, the CLI) the caller uses the bundled ELK in its own thread instead.
 */
import type { ElkLike } from '../graph/layout-elk.ts';

let engine: Promise<ElkLike> | null = null;

/** The session's worker-backed ELK, started on first use; undefined where Workers do not exist. */
export function workerElk(): Promise<ElkLike | undefined> {
  if (typeof Worker === 'undefined') return Promise.resolve(undefined);
  engine ??= start().catch((e: unknown) => {
    engine = null;
    throw e;
  });
  return engine;
}

async function start(): Promise<ElkLike> {
  const [{ default: ELK }, { default: url }] = await Promise.all([import('elkjs/lib/elk-api.js'), import('elkjs/lib/elk-worker.min.js?url')]);
  // elkjs never rejects when its worker dies (a script that failed to load, a crash): without this, Tidy up
  // would wait forever instead of falling back.
  let fail: (e: Error) => void = () => {};
  const broken = new Promise<never>((_, reject) => (fail = reject));
  broken.catch(() => {});
  const elk = new ELK({
    workerFactory: () => {
      const worker = new Worker(url);
      worker.addEventListener('error', (e) => {
        engine = null;
        fail(new Error(`ELK worker failed: ${e.message || 'could not start'}`));
      });
      return worker;
    },
  });
  return { layout: (graph) => Promise.race([elk.layout(graph), broken]) };
}
