/**
 * `npm run bench:editor`: how the canvas editor feels with the gallery's ResNet-50 (175 layers).
 *
 * 1. Builds the app (vite build) and serves it with `vite preview`, as users get it.
 * 2. Opens templates/resnet-50.json as a user gets it, folded to stem, four stages (block instances) and
 *    head, in a share link (#design=…), so the first load includes parsing, unfolding, inference and
 *    drawing; then the same design with every stage expanded in place (175 boxes), measured the same way
 *    (reported under "expanded", without the Code tab figures), and the gallery's 7-layer MNIST CNN as the
 *    floor the page costs whatever the design ("floor": first interactive and drag only).
 * 3. firstInteractiveMs: from navigation start until the design is drawn on the canvas and the main thread
 *    is free to answer (see firstInteractive), on the page's own clock, median of RUNS fresh loads; then
 *    a click on a layer must select it (clickToSelectMs: input event to selection).
 * 4. dragFps: presses on a box (folded: the stage layer3; expanded: a layer mid-network) and drags it for ~2 s in small mouse steps while the page counts
 *    animation frames; frames / seconds, median of RUNS drags. The page also counts how many times the
 *    store's inference changed during the drag (must be 0) and after the drop (must be 1 at most: a move
 *    re-infers nothing), and the longest main-thread task seen while dragging.
 * 5. Lists the JavaScript the first page loaded (until first interactive) and checks that neither tfjs nor
 *    Monaco is in it.
 * 6. codeTabWarmMs: on the same page, once the idle page has prefetched the Code tab (code/prefetch.ts), a
 *    click on the Code tab until Monaco shows the code, median of RUNS; codeTabColdMs: the same click right
 *    after first interactive on a fresh page, before any prefetch (what every first click cost before).
 *
 * The LAST line printed is one JSON object with at least {"nodes", "dragFps", "firstInteractiveMs"} (the
 * folded design) and "expanded" with the same figures for the expanded one.
 */
import { loadavg } from 'node:os';
import { chromium, type Browser, type Page } from '@playwright/test';
import { expandInPlace } from '../src/graph/block-edit.ts';
import { moveNodes } from '../src/graph/edit.ts';
import { layoutDesign } from '../src/graph/layout.ts';
import type { Design } from '../src/graph/index.ts';
import { loadTemplateDocument } from '../src/graph/testing/templates.ts';
import { designToHash } from '../src/store/share-link.ts';
import { build, log, serve } from './bench-browser.ts';
import { BASE_FLAGS, CHROMIUM_EXECUTABLE } from './chromium.ts';

const PORT = Number(process.env.BENCH_PORT ?? 4181);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const FLAGS = BASE_FLAGS;

/**
 * The gallery's ResNet-50 as a user opens it: the block template, folded to stem, four stages and head
 * (11 boxes on the canvas, 175 layers unfolded).
 */
export function resnet50Folded(): Design {
  return loadTemplateDocument('resnet-50.json');
}

/**
 * The same ResNet-50 with every stage expanded in place and tidied up (L), as the canvas held it before
 * blocks: 175 boxes in one laid-out column with the downsample branches beside it.
 */
export function resnet50Expanded(): Design {
  let design = resnet50Folded();
  for (const inst of resnet50Folded().instances ?? []) {
    const r = expandInPlace(design, inst.id);
    if (!r.ok) throw new Error(`expanding ${inst.id} was refused`);
    design = r.design;
  }
  return moveNodes(design, layoutDesign(design));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

type Store = { getState(): { design: { nodes: unknown[] } | null; selection: string[]; inference: unknown }; subscribe(f: (s: { inference: unknown }, p: { inference: unknown }) => void): () => void };
type Win = { __netcanvas?: { store: Store }; __bench?: { inferences: number } };

/**
 * Page-side probes, installed before any page script runs: when the first layer and the first labelled
 * connection reach the DOM, and every long task (> 50 ms) the main thread runs.
 */
const PROBES = `
globalThis.__name = (f) => f;
const T = (globalThis.__probe = { input: 0, edge: 0, longTasks: [] });
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) T.longTasks.push([e.startTime, e.startTime + e.duration]);
}).observe({ type: 'longtask', buffered: true });
new MutationObserver(() => {
  if (!T.input && document.querySelector('.react-flow__node[data-id="' + globalThis.__benchFirst + '"]')) T.input = performance.now();
  if (!T.edge && document.querySelector('.react-flow__edge')) T.edge = performance.now();
}).observe(document, { subtree: true, childList: true });
`;

/**
 * Loads the page with the design in its URL. firstInteractive is when the canvas shows the design (the
 * first layer and its connections are drawn) and the main thread is free to answer a click: the end of
 * the last long task that began before the canvas was ready (the idea of Lighthouse's TTI, on one page).
 * Then it clicks the first layer and measures, on the page's clock, from the input event to the store's
 * selection, so the click is proven to work and its cost is reported apart.
 */
async function firstInteractive(page: Page, url: string, nodes: number, first: string): Promise<{ ms: number; clickMs: number }> {
  await page.addInitScript(`globalThis.__benchFirst = ${JSON.stringify(first)};`);
  await page.addInitScript(PROBES);
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(
    (n) => {
      const p = (globalThis as unknown as { __probe: { input: number; edge: number } }).__probe;
      return (globalThis as Win).__netcanvas?.store.getState().design?.nodes.length === n && p.input > 0 && p.edge > 0;
    },
    nodes,
    { polling: 'raf' },
  );
  // Let any task still running finish and be reported.
  await page.waitForTimeout(500);
  const ms = await page.evaluate(() => {
    const p = (globalThis as unknown as { __probe: { input: number; edge: number; longTasks: [number, number][] } }).__probe;
    const ready = Math.max(p.input, p.edge);
    return p.longTasks.filter(([start]) => start < ready).reduce((at, [, end]) => Math.max(at, end), ready);
  });
  await page.evaluate((id) => {
    const w = globalThis as Win & { __click?: { down: number; selected: number } };
    w.__click = { down: 0, selected: 0 };
    const el = document.querySelector(`.react-flow__node[data-id="${id}"]`)!;
    el.addEventListener('mousedown', (e) => (w.__click!.down = e.timeStamp), { capture: true, once: true });
    const stop = w.__netcanvas!.store.subscribe(() => {
      if (w.__netcanvas!.store.getState().selection.includes(id)) {
        w.__click!.selected = performance.now();
        stop();
      }
    });
  }, first);
  await page.locator(`.react-flow__node[data-id="${first}"]`).click();
  await page.waitForFunction(() => ((globalThis as { __click?: { selected: number } }).__click?.selected ?? 0) > 0, null, { polling: 'raf' });
  const clickMs = await page.evaluate(() => {
    const c = (globalThis as unknown as { __click: { down: number; selected: number } }).__click;
    return c.selected - c.down;
  });
  return { ms, clickMs };
}

/** From a click on the Code tab to Monaco showing code, on the page's clock. */
async function openCodeTab(page: Page): Promise<number> {
  await page.evaluate(() => {
    const w = globalThis as { __codeClick?: number };
    document.addEventListener('mousedown', (e) => (w.__codeClick = e.timeStamp), { capture: true, once: true });
  });
  await page.getByRole('tab', { name: 'Code' }).click();
  await page.waitForFunction(() => document.querySelector('.code-tabpanel .monaco-editor .view-line') !== null, null, { polling: 'raf', timeout: 60_000 });
  return page.evaluate(() => performance.now() - (globalThis as { __codeClick?: number }).__codeClick!);
}

/** Whether the page has fetched Monaco (the prefetch done), from its resource timings. */
async function waitForPrefetch(page: Page): Promise<void> {
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /editor\.api-.*\.js$/.test(e.name)), null, { polling: 250, timeout: 30_000 });
  // Fetched is not yet evaluated: give the module a moment to run.
  await page.waitForTimeout(1000);
}

/** Drags `target` in small steps for about two seconds; returns frames per second and what the store did. */
async function drag(page: Page, target: string) {
  const box = (await page.locator(`.react-flow__node[data-id="${target}"]`).boundingBox())!;
  const x0 = box.x + box.width / 2;
  const y0 = box.y + 12;
  await page.evaluate(() => {
    const w = globalThis as Win & { __drag?: { frames: number; start: number; longest: number; stop: boolean; obs: PerformanceObserver } };
    const state = { frames: 0, start: performance.now(), longest: 0, stop: false, obs: null as unknown as PerformanceObserver };
    state.obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) state.longest = Math.max(state.longest, e.duration);
    });
    state.obs.observe({ type: 'longtask', buffered: false });
    const tick = () => {
      if (state.stop) return;
      state.frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    w.__drag = state;
    w.__bench = { inferences: 0 };
    w.__netcanvas!.store.subscribe((s, p) => {
      if (s.inference !== p.inference) w.__bench!.inferences++;
    });
  });
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  const steps = 120;
  const started = Date.now();
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(x0 + Math.sin(i / 10) * 150, y0 + i, { steps: 1 });
    // Pace the moves over ~2 s like a hand would, not as fast as the protocol allows.
    const due = started + (i * 2000) / steps;
    const wait = due - Date.now();
    if (wait > 0) await page.waitForTimeout(wait);
  }
  const during = await page.evaluate(() => {
    const w = globalThis as Win & { __drag?: { frames: number; start: number; longest: number; stop: boolean; obs: PerformanceObserver } };
    const d = w.__drag!;
    d.stop = true;
    d.obs.disconnect();
    const seconds = (performance.now() - d.start) / 1000;
    return { fps: d.frames / seconds, longestTaskMs: d.longest, inferences: w.__bench!.inferences };
  });
  await page.mouse.up();
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => (globalThis as Win).__bench!.inferences);
  return { ...during, inferencesAfterDrop: after - during.inferences };
}

/** Every figure for one design: RUNS fresh loads, each with a click, a drag and (with `code`) the Code tab. */
async function benchDesign(browser: Browser, design: Design, target: string, code: boolean) {
  const nodes = design.nodes.length;
  // The first click goes to the Input (on screen when a design opens); the drag to a box mid-network,
  // brought into view first as a click on it in the problems list or a search would.
  const first = design.nodes[0].id;
  const url = `http://localhost:${PORT}/${designToHash(design)}`;
  log(`bench: ${design.name}: ${nodes} layers and ${design.instances?.length ?? 0} blocks on the canvas, share link ${url.length} characters`);
  const loads: number[] = [];
  const clicks: number[] = [];
  const drags: Awaited<ReturnType<typeof drag>>[] = [];
  const codeWarm: number[] = [];
  const codeCold: number[] = [];
  let scripts: { name: string; kb: number }[] = [];
  for (let run = 0; run < RUNS; run++) {
    // A fresh context each time: no cache, no autosave from the previous run.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => log(`bench: page error: ${e.message}`));
    const { ms, clickMs } = await firstInteractive(page, url, nodes, first);
    clicks.push(clickMs);
    await page.evaluate((id) => (globalThis as unknown as { __netcanvas: { store: { getState(): { focusNode(id: string): void } } } }).__netcanvas.store.getState().focusNode(id), target);
    await page.waitForTimeout(500);
    loads.push(ms);
    if (run === 0) {
      scripts = await page.evaluate((ready) =>
        performance
          .getEntriesByType('resource')
          .filter((e) => e.startTime <= ready && ((e as PerformanceResourceTiming).initiatorType === 'script' || e.name.endsWith('.js')))
          .map((e) => ({ name: new URL(e.name).pathname, kb: Math.round((e as PerformanceResourceTiming).decodedBodySize / 1024) })),
        ms,
      );
    }
    const d = await drag(page, target);
    drags.push(d);
    if (code) {
      await waitForPrefetch(page);
      codeWarm.push(await openCodeTab(page));
    }
    log(
      `bench: run ${run + 1}: firstInteractive ${ms.toFixed(0)} ms, click→selected ${clickMs.toFixed(0)} ms, drag ${d.fps.toFixed(1)} fps, longest task ${d.longestTaskMs.toFixed(0)} ms, ` +
        `inferences during drag ${d.inferences}, after drop ${d.inferencesAfterDrop}${code ? `, Code tab after prefetch ${codeWarm.at(-1)!.toFixed(0)} ms` : ''}`,
    );
    await context.close();
  }
  for (let run = 0; code && run < Math.min(RUNS, 3); run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await firstInteractive(page, url, nodes, first);
    codeCold.push(await openCodeTab(page));
    log(`bench: cold run ${run + 1}: Code tab right after first interactive ${codeCold.at(-1)!.toFixed(0)} ms`);
    await context.close();
  }
  return {
    nodes,
    blocks: design.instances?.length ?? 0,
    edges: design.edges.length,
    dragFps: Number(median(drags.map((d) => d.fps)).toFixed(1)),
    firstInteractiveMs: Math.round(median(loads)),
    clickToSelectMs: Math.round(median(clicks)),
    runs: RUNS,
    longestTaskDuringDragMs: Math.round(median(drags.map((d) => d.longestTaskMs))),
    inferencesDuringDrag: Math.max(...drags.map((d) => d.inferences)),
    inferencesAfterDrop: Math.max(...drags.map((d) => d.inferencesAfterDrop)),
    ...(code ? { codeTabWarmMs: Math.round(median(codeWarm)), codeTabColdMs: Math.round(median(codeCold)) } : {}),
    scripts,
  };
}

async function main() {
  const folded = resnet50Folded();
  const expanded = resnet50Expanded();
  build();
  const server = await serve(PORT);
  const browser = await chromium.launch({ ...CHROMIUM_EXECUTABLE, args: FLAGS });
  try {
    // Folded, the drag moves a stage (a collapsed block); expanded, a layer mid-network.
    const { scripts, ...foldedFigures } = await benchDesign(browser, folded, 'layer3', true);
    const { scripts: _s, ...expandedFigures } = await benchDesign(browser, expanded, expanded.nodes[Math.floor(expanded.nodes.length / 2)].id, false);
    // The floor: the gallery's smallest design (7 layers) under the same load, what the page costs before
    // the design's size matters at all.
    const floor = loadTemplateDocument('mnist-cnn.json');
    const { scripts: _f, ...floorFigures } = await benchDesign(browser, floor, floor.nodes[3].id, false);
    // The first page must not carry tfjs or Monaco: look inside what it loaded.
    const heavy: string[] = [];
    for (const s of scripts) {
      const text = await (await fetch(`http://localhost:${PORT}${s.name}`)).text();
      if (/tfjs-core|registerKernel\(|Conv2DBackpropFilter/.test(text)) heavy.push(`${s.name} (tfjs)`);
      if (/monaco-editor|MonacoEnvironment/.test(text)) heavy.push(`${s.name} (monaco)`);
    }
    log(`bench: first page scripts: ${scripts.map((s) => `${s.name} ${s.kb} KB`).join(', ')}`);
    const result = {
      design: 'templates/resnet-50.json, folded',
      ...foldedFigures,
      firstPageJsKb: scripts.reduce((a, s) => a + s.kb, 0),
      heavyInFirstPage: heavy,
      expanded: { design: 'templates/resnet-50.json, every stage expanded and tidied up', ...expandedFigures },
      floor: { design: 'templates/mnist-cnn.json', firstInteractiveMs: floorFigures.firstInteractiveMs, dragFps: floorFigures.dragFps },
      loadAverage: Number(loadavg()[0].toFixed(2)),
    };
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
