/**
 * The code panel's Web Worker: generates the panel's views and the "Download all" zip (./code-views.ts)
 * off the page's thread, so typing in the app never waits for an exporter. Talks through ./code-jobs.ts.
 */
import { buildCodeViews, buildDownload } from './code-views.ts';
import type { CodeJobReply, CodeJobRequest } from './code-jobs.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<CodeJobRequest>) => {
  const { id, kind, design, weights, lang } = event.data;
  try {
    if (kind === 'views') {
      scope.postMessage({ id, ok: true, kind, views: await buildCodeViews(design, weights, lang) } satisfies CodeJobReply);
    } else {
      const download = await buildDownload(design, weights, lang);
      // The zip can be hundreds of MB: hand its buffer over instead of copying it.
      scope.postMessage({ id, ok: true, kind, download } satisfies CodeJobReply, download.ok ? [download.zip.buffer] : []);
    }
  } catch (e) {
    scope.postMessage({ id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies CodeJobReply);
  }
};
