/**
 * `npm run bench:train`: LeNet-5 training speed in the browser on every backend it has, against native
 * PyTorch on the same machine in the same run.
 *
 * 1. Builds the app (vite build) and serves it with `vite preview` (cross-origin isolated, as users get it).
 * 2. Headless Debian Chromium (SwiftShader WebGPU flags on) opens the page, once per backend (a fresh
 *    worker each time, so no backend inherits another's leftovers). The page's own training worker times LeNet-5 (templates/lenet-5.json, 32×32×1 input) at batch 64 with Adam on
 *    random 32×32×1 images with random labels (MNIST-shaped data at LeNet's input size): a few untimed
 *    warm-up steps, then timed windows of ≥ 1 s; the figure is the median window's samples/s.
 * 3. Through the real UI (Train tab, backend Auto) it trains LeNet-5 on the same kind of random data for
 *    a few hundred batches while a PerformanceObserver records the longest main-thread task, and reads
 *    which backend Auto picked.
 * 4. Runs scripts/bench_train_torch.py (same network, optimiser, batch and data) with /usr/bin/python3
 *    (Debian's python3-torch), 2 threads.
 *
 * The LAST line printed is one JSON object: samples/s per backend, "auto", "pytorch",
 * "ratioBestToPytorch" and "maxMainThreadTaskMs".
 *
 * `--views` measures instead what the Look inside views cost a run: LeNet-5 trains through the UI (wasm,
 * batch 64, random data) while the benchmark alternates windows of BENCH_VIEW_WINDOW_MS with no view
 * open, with the Filters view of conv1 open, and with its Feature maps open plus thumbnails on every node
 * (activations of every layer each second), and with its Gradients view open (the per-layer chart and
 * conv1's kernel gradient by position, one backward pass every 4 s); every view window sits between two
 * windows without views. Per condition: the median window's samples/s (counted from the run's own
 * progress), the paired ratios (each view window over the mean of its two neighbours without views) and
 * their median (`filtersToNone`, …), the longest main-thread task (PerformanceObserver 'longtask', which
 * reports tasks of 50 ms or more: wall time, so on a busy machine it includes waiting for a core), the
 * most CPU one main-thread task used and the main thread's CPU per second (from a Chrome trace of the
 * window), and the longest gap of a 10 ms timer. `--trace` prints what filled each window's longest and
 * busiest tasks (scripts/trace-tasks.ts). Its last line is one JSON object too, with the load average at
 * the start and the end. BENCH_VIEW_CONV1_FILTERS=N widens conv1 to N filters first (a wide layer's
 * Feature maps).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { exportDesign } from '../src/export/index.ts';
import { flattenDesign } from '../src/graph/blocks.ts';
import { inferShapes } from '../src/graph/infer.ts';
import type { Design } from '../src/graph/types.ts';
import { benchModel } from './bench-models.ts';
import { median } from './bench-stats.ts';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { BackendMeasurement, BackendName, MeasureBudget } from '../src/train/protocol.ts';
import { build, log, ROOT, serve } from './bench-browser.ts';
import { BASE_FLAGS, CHROMIUM_EXECUTABLE, WEBGPU_FLAGS } from './chromium.ts';
import { PROFILE_CATEGORIES, traceSummary, TRACE_CATEGORIES } from './trace-tasks.ts';

const PORT = Number(process.env.BENCH_PORT ?? 4179);
const BATCH = 64;
const BACKENDS: BackendName[] = ['wasm', 'webgl', 'cpu', 'webgpu'];
const BUDGET: MeasureBudget = { warmupSteps: 3, windows: 5, stepsPerWindow: 2, minWindowMs: 1000, maxMs: 25_000 };
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const FLAGS = [...BASE_FLAGS, ...WEBGPU_FLAGS];
/** Batches of the UI run (Auto + main-thread tasks). */
const UI_BATCHES = Number(process.env.BENCH_UI_BATCHES ?? 300);



async function openApp(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => log(`bench: page error: ${e.message}`));
  await page.goto(`http://localhost:${PORT}/`);
  await page.waitForFunction(() => (globalThis as { __netcanvas?: unknown }).__netcanvas !== undefined);
  return page;
}

type Handle = { trainingClient: { measure(d: unknown, b: number, only: BackendName[], budget: MeasureBudget): Promise<{ measurements: BackendMeasurement[] }> } };

/** Each backend in a fresh page (so a fresh worker): what one backend leaves behind cannot slow the next. */
async function measureBackends(browser: Browser, design: unknown): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const backend of BACKENDS) {
    const page = await openApp(browser);
    const t0 = Date.now();
    const m = await page.evaluate(
      async ([design, batch, backend, budget]) => {
        const h = (globalThis as unknown as { __netcanvas: Handle }).__netcanvas;
        try {
          return (await h.trainingClient.measure(design, batch, [backend], budget)).measurements[0] ?? null;
        } catch (e) {
          return { backend, samplesPerSec: null, error: e instanceof Error ? e.message : String(e) };
        }
      },
      [design, BATCH, backend, BUDGET] as const,
    );
    await page.close();
    out[backend] = m?.samplesPerSec ?? null;
    log(`bench: ${backend.padEnd(6)} ${m?.samplesPerSec != null ? `${m.samplesPerSec.toFixed(0)} samples/s` : `unavailable (${m?.error ?? 'no result'})`} [${((Date.now() - t0) / 1000).toFixed(0)} s]`);
  }
  return out;
}

/** Trains through the UI with Auto; returns Auto's pick, its quick measurements and the longest main-thread task. */
async function uiRun(page: Page): Promise<{ auto: string | null; maxTaskMs: number; measured: BackendMeasurement[]; uiSamplesPerSec: number | null }> {
  await page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name: 'LeNet-5' }).click();
  await page.getByRole('heading', { level: 2, name: 'LeNet-5' }).waitFor();
  await page.getByRole('tab', { name: 'Train' }).click();
  // Random 32×32×1 images in 10 classes, made in the page before the observer starts.
  // (No named functions inside evaluate: tsx's keep-names helper does not exist in the page.)
  await page.evaluate(async (count) => {
    const h = (globalThis as unknown as { __netcanvas: { training: { getState(): { chooseData(c: unknown, s: unknown): Promise<void> } } } }).__netcanvas;
    const [train, test] = [count, 256].map((n) => {
      const x = new Float32Array(n * 32 * 32);
      for (let i = 0; i < x.length; i++) x[i] = Math.random();
      const y = Int32Array.from({ length: n }, () => Math.floor(Math.random() * 10));
      return { shape: [32, 32, 1], count: n, x, y };
    });
    await h.training.getState().chooseData(
      { kind: 'folder', name: 'random 32×32' },
      { kind: 'arrays', dataset: { name: 'random 32×32', classes: Array.from({ length: 10 }, (_, i) => String(i)), train, test } },
    );
  }, UI_BATCHES * BATCH);
  await page.getByTestId('data-summary').waitFor();
  await page.getByTestId('batch-size').fill(String(BATCH));
  await page.getByTestId('epochs').fill('1');
  await page.getByTestId('validation-split').fill('0');
  await page.getByTestId('backend-choice').selectOption('auto');
  await page.evaluate(() => {
    const w = window as unknown as { __longest: number };
    w.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
    }).observe({ type: 'longtask' });
  });
  await page.getByTestId('train-start').click();
  await page.locator('[data-testid="run-progress"][data-phase="done"], [data-testid="train-error"]').first().waitFor({ timeout: 600_000 });
  const error = await page.getByTestId('train-error').textContent().catch(() => null);
  if (error) throw new Error(`UI run failed: ${error}`);
  // Let the results render before reading the longest task, so it counts too.
  await page.getByTestId('test-accuracy').waitFor();
  await page.waitForTimeout(500);
  return page.evaluate(() => {
    const h = (globalThis as unknown as { __netcanvas: { training: { getState(): { run: { backend: string | null; measurements: BackendMeasurement[] } | null; result: { samplesPerSec: number } | null } } } }).__netcanvas;
    const s = h.training.getState();
    return {
      auto: s.run?.backend ?? null,
      measured: s.run?.measurements ?? [],
      maxTaskMs: (window as unknown as { __longest: number }).__longest,
      uiSamplesPerSec: s.result?.samplesPerSec ?? null,
    };
  });
}

const VIEW_WINDOW_MS = Number(process.env.BENCH_VIEW_WINDOW_MS ?? 4000);
const VIEW_ROUNDS = Number(process.env.BENCH_VIEW_ROUNDS ?? 4);
const VIEW_SETTLE_MS = Number(process.env.BENCH_VIEW_SETTLE_MS ?? 1500);
/**
 * Every window is also recorded as a Chrome trace, for the CPU time of the main thread's tasks: on a busy
 * machine a task's wall time (what 'longtask' reports) also counts the time its thread waited for a
 * core, which the CPU time does not. `--trace` adds V8's profiler and prints each window's longest and
 * busiest tasks with what filled them (events, JavaScript by self time); it slows the page, so its
 * figures are for finding causes only.
 */
const TRACE = process.argv.includes('--trace');
/** BENCH_VIEW_CONV1_FILTERS=N: LeNet-5's conv1 made N filters wide (what a wide layer's Feature maps cost). */
const CONV1_FILTERS = Number(process.env.BENCH_VIEW_CONV1_FILTERS ?? 0);
type ViewCondition = 'none' | 'filters' | 'maps+thumbnails' | 'gradients';

/** Samples trained so far, by the run's own progress, and the page's clock; resets the window's maxima. */
async function sample(page: Page): Promise<{ samples: number; t: number; longTask: number; timerGap: number }> {
  return page.evaluate((batch) => {
    const h = (globalThis as unknown as { __netcanvas: { training: { getState(): { run: { epoch: number; batch: number; batches: number } | null } } } }).__netcanvas;
    const w = window as unknown as { __longest: number; __gap: number };
    const run = h.training.getState().run!;
    const out = { samples: ((run.epoch - 1) * run.batches + run.batch) * batch, t: performance.now(), longTask: w.__longest, timerGap: w.__gap };
    w.__longest = 0;
    w.__gap = 0;
    return out;
  }, BATCH);
}

/** Thumbnails off, where the Feature maps tab shows their switch (elsewhere it is not on the page: no wait for it). */
async function thumbnailsOff(page: Page) {
  const box = page.getByTestId('look-thumbnails');
  if (await box.isVisible()) await box.uncheck();
}

async function setCondition(page: Page, c: ViewCondition) {
  if (c === 'none') {
    // Nothing selected: no look panel, no thumbnails.
    await thumbnailsOff(page);
    await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
    await page.getByTestId('look-panel').waitFor({ state: 'detached' });
    return;
  }
  await page.getByTestId('layer-node-conv1').click();
  if (c === 'gradients') {
    // The chart of every layer plus conv1's kernel gradient by position (a backward pass each second).
    await thumbnailsOff(page);
    await page.getByTestId('look-tab-gradients').click();
    await page.getByTestId('look-kg-intro').waitFor({ timeout: 60_000 });
    return;
  }
  await page.getByTestId(c === 'filters' ? 'look-tab-filters' : 'look-tab-maps').click();
  if (c === 'filters') {
    await page.getByTestId('look-filters').waitFor();
  } else {
    await page.getByTestId('look-map-grid').waitFor();
    await page.getByTestId('look-thumbnails').check();
    await page.getByTestId('layer-thumb-conv1').waitFor();
  }
}

/** Alternating windows with and without the views; returns per-condition medians and maxima. */
async function viewsRun(browser: Browser, page: Page) {
  await page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name: 'LeNet-5' }).click();
  await page.getByRole('heading', { level: 2, name: 'LeNet-5' }).waitFor();
  if (CONV1_FILTERS) {
    // A wide first layer, set in the inspector as a user would: its Feature maps hold CONV1_FILTERS maps.
    await page.getByTestId('layer-node-conv1').click();
    const filters = page.getByRole('spinbutton', { name: /^filters/ });
    await filters.fill(String(CONV1_FILTERS));
    await filters.press('Enter');
  }
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.evaluate(async (count) => {
    const h = (globalThis as unknown as { __netcanvas: { training: { getState(): { chooseData(c: unknown, s: unknown): Promise<void> } } } }).__netcanvas;
    const [train, test] = [count, 256].map((n) => {
      const x = new Float32Array(n * 32 * 32);
      for (let i = 0; i < x.length; i++) x[i] = Math.random();
      const y = Int32Array.from({ length: n }, () => Math.floor(Math.random() * 10));
      return { shape: [32, 32, 1], count: n, x, y };
    });
    await h.training.getState().chooseData(
      { kind: 'folder', name: 'random 32×32' },
      { kind: 'arrays', dataset: { name: 'random 32×32', classes: Array.from({ length: 10 }, (_, i) => String(i)), train, test } },
    );
  }, 200 * BATCH);
  await page.getByTestId('data-summary').waitFor();
  await page.getByTestId('batch-size').fill(String(BATCH));
  await page.getByTestId('epochs').fill('200');
  await page.getByTestId('validation-split').fill('0');
  await page.getByTestId('backend-choice').selectOption('wasm');
  await page.evaluate(() => {
    const w = window as unknown as { __longest: number; __gap: number };
    w.__longest = 0;
    w.__gap = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
    }).observe({ type: 'longtask' });
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      w.__gap = Math.max(w.__gap, now - last);
      last = now;
    }, 10);
  });
  await page.getByTestId('train-start').click();
  await page.locator('[data-testid="run-progress"][data-phase="training"]').waitFor({ timeout: 120_000 });
  await page.getByRole('tab', { name: 'Design' }).click();
  // Warm-up: the look panel's code loads, the worker builds its sub-models.
  await setCondition(page, 'maps+thumbnails');
  await page.waitForTimeout(2000);
  const windows: Record<ViewCondition, { speed: number; longTask: number; timerGap: number; taskCpu: number; cpuPerSec: number; load: number }[]> = { none: [], filters: [], 'maps+thumbnails': [], gradients: [] };
  // Every view window sits between two windows without views: the load of a shared machine drifts within
  // a minute, so each is judged against its own neighbours (the paired ratio), not only the run's median.
  const order: ViewCondition[] = [];
  for (let round = 0; round < VIEW_ROUNDS; round++) order.push('none', 'filters', 'none', 'maps+thumbnails', 'none', 'gradients');
  order.push('none');
  const speeds: number[] = [];
  const paired: Record<ViewCondition, number[]> = { none: [], filters: [], 'maps+thumbnails': [], gradients: [] };
  for (const [at, c] of order.entries()) {
    // The closing window without views counts with the last round.
    const round = Math.min(Math.floor(at / 6), VIEW_ROUNDS - 1);
    await setCondition(page, c);
    // Settle: switching the views on or off (panel mount, nodes growing a thumbnail, React Flow
    // measuring them) is a one-off cost of the switch, not of the views being open.
    await page.waitForTimeout(VIEW_SETTLE_MS);
    await browser.startTracing(page, { categories: TRACE ? PROFILE_CATEGORIES : TRACE_CATEGORIES });
    const a = await sample(page);
    await page.waitForTimeout(VIEW_WINDOW_MS);
    const b = await sample(page);
    const s = traceSummary(await browser.stopTracing(), `http://localhost:${PORT}`, 2);
    const load = loadavg()[0];
    if (TRACE && s) {
      log(`bench:   ${s.tasks} main-thread tasks, ${s.cpuMs} ms of CPU in all`);
      for (const [what, tasks] of [['longest', s.longest], ['busiest', s.busiest]] as const) {
        for (const task of tasks) {
          log(`bench:   ${what} ${task.ms} ms (cpu ${task.cpuMs ?? '?'} ms): ${task.parts.map((p) => `${p.name} ${p.ms}`).join('; ')}`);
          log(`bench:     js self: ${task.functions.map((f) => `${f.name} ${f.ms}`).join('; ')}`);
        }
      }
    }
    const speed = ((b.samples - a.samples) * 1000) / (b.t - a.t);
    const cpuPerSec = s ? (s.cpuMs * 1000) / (b.t - a.t) : NaN;
    windows[c].push({ speed, longTask: b.longTask, timerGap: b.timerGap, taskCpu: s?.maxTaskCpuMs ?? NaN, cpuPerSec, load });
    speeds.push(speed);
    if (c === 'none' && at >= 2) paired[order[at - 1]].push(speeds[at - 1] / ((speeds[at - 2] + speed) / 2));
    log(
      `bench: round ${round + 1} ${c.padEnd(16)} ${speed.toFixed(0)} samples/s, longest task ${b.longTask.toFixed(0)} ms, ` +
        `most CPU in one task ${s?.maxTaskCpuMs.toFixed(1) ?? '?'} ms, main thread ${cpuPerSec.toFixed(0)} ms CPU/s, ` +
        `longest 10 ms-timer gap ${b.timerGap.toFixed(0)} ms, load ${load.toFixed(1)}`,
    );
  }
  await thumbnailsOff(page);
  return Object.fromEntries(
    Object.entries(windows).map(([c, ws]) => [
      c,
      {
        samplesPerSec: Math.round(median(ws.map((w) => w.speed))),
        ...(c === 'none' ? {} : { pairedRatios: paired[c as ViewCondition].map((r) => Number(r.toFixed(3))) }),
        maxMainThreadTaskMs: Math.round(Math.max(...ws.map((w) => w.longTask))),
        maxMainThreadTaskCpuMs: Number(Math.max(...ws.map((w) => w.taskCpu)).toFixed(1)),
        mainThreadCpuMsPerSec: Math.round(median(ws.map((w) => w.cpuPerSec))),
        maxTimerGapMs: Math.round(Math.max(...ws.map((w) => w.timerGap))),
        loadAverage: Number(median(ws.map((w) => w.load)).toFixed(2)),
      },
    ]),
  ) as Record<ViewCondition, { samplesPerSec: number; pairedRatios?: number[]; maxMainThreadTaskMs: number; maxMainThreadTaskCpuMs: number; mainThreadCpuMsPerSec: number; maxTimerGapMs: number; loadAverage: number }>;
}

async function mainViews() {
  if (!process.argv.includes('--no-build')) build();
  const server = await serve(PORT);
  const browser = await chromium.launch({ ...CHROMIUM_EXECUTABLE, args: FLAGS, headless: true });
  const load = loadavg()[0];
  log(`bench: load average ${load.toFixed(2)} on ${availableParallelism()} cores (other work on the machine slows every figure)`);
  log(`bench: views run, LeNet-5, wasm, batch ${BATCH}, ${VIEW_ROUNDS} rounds of ${VIEW_WINDOW_MS} ms windows per condition`);
  try {
    const page = await openApp(browser);
    const r = await viewsRun(browser, page);
    // Median of each view window over the mean of the windows without views on either side of it.
    const ratio = (c: ViewCondition) => Number(median(r[c].pairedRatios!).toFixed(3));
    console.log(
      JSON.stringify({
        model: 'lenet-5',
        ...(CONV1_FILTERS ? { conv1Filters: CONV1_FILTERS } : {}),
        backend: 'wasm',
        batch: BATCH,
        windowMs: VIEW_WINDOW_MS,
        rounds: VIEW_ROUNDS,
        ...r,
        filtersToNone: ratio('filters'),
        mapsToNone: ratio('maps+thumbnails'),
        gradientsToNone: ratio('gradients'),
        loadAverage: Number(load.toFixed(2)),
        loadAverageEnd: Number(loadavg()[0].toFixed(2)),
      }),
    );
  } finally {
    await browser.close();
    try {
      process.kill(-server.pid!);
    } catch {
      server.kill();
    }
  }
}

/**
 * NetCanvas's own PyTorch export of `design` (model.py) in a fresh temporary folder: PyTorch trains that,
 * so the two sides are the same network by construction.
 */
async function exportedModelPy(design: Design): Promise<string> {
  const r = await exportDesign(design, 'pytorch');
  if (!r.ok) throw new Error(`the PyTorch export of ${design.name} failed: ${JSON.stringify(r.issues)}`);
  const dir = mkdtempSync(join(tmpdir(), 'netcanvas-bench-'));
  const model = r.files.find((f) => f.path === 'model.py')!;
  writeFileSync(join(dir, 'model.py'), model.content as string);
  return join(dir, 'model.py');
}

async function pytorch(design: Design): Promise<{ samplesPerSec: number; threads: number; torch: string; params: number } | null> {
  const modelPy = await exportedModelPy(design);
  const r = spawnSync(PYTHON, [join(ROOT, 'scripts', 'bench_train_torch.py'), '--model-py', modelPy, '--batch', String(BATCH), '--threads', '2'], { encoding: 'utf8' });
  if (r.status !== 0) {
    log(`bench: PyTorch failed (${PYTHON}): ${r.stderr.trim().split('\n').at(-1)}`);
    return null;
  }
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  // PyTorch's parameters() are the trainable weights (BatchNorm's running statistics are buffers).
  const expected = inferShapes(flattenDesign(design)).totals.trainableParams;
  if (out.params !== expected) throw new Error(`PyTorch's model has ${out.params} parameters, NetCanvas's design ${expected}: not the same network`);
  return out;
}

async function main() {
  if (!process.argv.includes('--no-build')) build();
  const { design } = benchModel('lenet-5', ROOT);
  const server = await serve(PORT);
  const browser = await chromium.launch({ ...CHROMIUM_EXECUTABLE, args: FLAGS, headless: true });
  let perBackend: Record<string, number | null>;
  let ui: Awaited<ReturnType<typeof uiRun>>;
  const load = loadavg()[0];
  log(`bench: load average ${load.toFixed(2)} on ${availableParallelism()} cores (other work on the machine slows every figure)`);
  try {
    perBackend = await measureBackends(browser, design);
    const page = await openApp(browser);
    log(`bench: page cross-origin isolated: ${await page.evaluate(() => self.crossOriginIsolated)}`);
    log(`bench: UI run, LeNet-5, Auto, ${UI_BATCHES} batches of ${BATCH}`);
    ui = await uiRun(page);
    log(`bench: Auto picked ${ui.auto} (quick look: ${ui.measured.map((m) => `${m.backend} ${m.samplesPerSec?.toFixed(0) ?? '—'}`).join(', ')}); trained at ${ui.uiSamplesPerSec?.toFixed(0)} samples/s; longest main-thread task ${ui.maxTaskMs.toFixed(0)} ms`);
  } finally {
    await browser.close();
    try {
      process.kill(-server.pid!);
    } catch {
      server.kill();
    }
  }
  log('bench: PyTorch (native, 2 threads)');
  const torch = await pytorch(design);
  if (torch) log(`bench: pytorch ${torch.samplesPerSec.toFixed(0)} samples/s (torch ${torch.torch}, ${torch.threads} threads)`);
  const speeds = Object.values(perBackend).filter((v): v is number => v !== null);
  const best = speeds.length ? Math.max(...speeds) : null;
  const fastest = best === null ? null : Object.entries(perBackend).find(([, v]) => v === best)![0];
  const round = (v: number | null) => (v === null ? null : Math.round(v));
  const summary = {
    model: 'lenet-5',
    batch: BATCH,
    data: 'random 32x32x1',
    ...Object.fromEntries(BACKENDS.map((b) => [b, round(perBackend[b])])),
    auto: ui.auto,
    fastest,
    autoPicksFastest: ui.auto === fastest,
    pytorch: round(torch?.samplesPerSec ?? null),
    ratioBestToPytorch: best !== null && torch ? Number((best / torch.samplesPerSec).toFixed(3)) : null,
    maxMainThreadTaskMs: Math.round(ui.maxTaskMs),
    loadAverage: Number(load.toFixed(2)),
  };
  console.log(JSON.stringify(summary));
}

(process.argv.includes('--views') ? mainViews() : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
