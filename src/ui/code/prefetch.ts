/**
 * The Code tab's modules (the panel with its exporters, then Monaco) fetched and evaluated ahead of the
 * first click, so the tab opens in well under a second instead of 3–6 s. Never with the first page: it
 * starts only after the canvas has been shown and the page has stayed idle (see usePrefetchCode).
 */
let started: Promise<unknown> | null = null;

export function prefetchCode(): Promise<unknown> {
  started ??= import('./CodePanel.tsx').then(() => import('./monaco.ts'));
  return started;
}

/** How long after the design is shown the prefetch may begin (then it waits for an idle moment too). */
export const PREFETCH_DELAY_MS = 3000;
