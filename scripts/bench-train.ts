/**
 * `npm run bench:train`: training speed in the browser against native PyTorch on the same machine in the
 * same run, for each network of scripts/bench-models.ts (`--model lenet5|resnet18-cifar|all`, default all).
 *
 * 1. Builds the app (vite build) and serves it with `vite preview` (cross-origin isolated, as users get it).
 * 2. Per model, starts the PyTorch side first: scripts/bench_train_torch.py `--serve` with /usr/bin/python3
 *    (Debian's python3-torch), 2 threads, training NetCanvas's own PyTorch export of the design (the bench
 *    stops if its parameter count differs from NetCanvas's inference). Its start-up and warm-up end before
 *    any figure is taken; between requests it sits blocked, using no CPU.
 * 3. Headless Debian Chromium (SwiftShader WebGPU flags on) measures every backend, each in a fresh browser
 *    (a fresh worker, so no backend inherits another's leftovers), with the worker's own timer on random
 *    images of the model's input shape and random labels; a backend with no result in
 *    BENCH_BACKEND_TIMEOUT_S (90; resnet18-cifar 120) is reported as null; BENCH_BACKENDS=wasm,… measures only those.
 * 4. Through the page's stores (the design opened, random data loaded as the user's own, backend Auto,
 *    Train clicked) the browser trains; after one untimed window of warm-up it is paused, and then windows
 *    alternate, PyTorch first and last: PyTorch, browser, PyTorch, …, so both sides see the same load
 *    (a shared machine's load drifts within a minute). A browser window resumes the run, trains for the
 *    window and pauses it; its samples/s come from the run's own progress reports within the window. Each
 *    browser window is judged against the mean of the PyTorch windows either side of it, and the ratio is
 *    the median of those (scripts/bench-stats.ts).
 *
 * The LAST line printed is one JSON object: per model the per-backend samples/s, Auto's pick, each side's
 * windows with median, quartiles and min–max, the window ratios and their spread, the goal (LeNet-5 ≥ 0.9,
 * resnet18-cifar ≥ 0.5 of PyTorch) and whether it was met, the longest main-thread task during the browser
 * windows and the load average at the model's start and end. BENCH_WINDOWS (5) browser windows per model;
 * BENCH_WINDOW_S overrides the window length (LeNet-5 3 s; resnet18-cifar 30 s, timed from the resume
 * since one of its steps takes seconds).
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
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { exportDesign } from '../src/export/index.ts';
import { flattenDesign } from '../src/graph/blocks.ts';
import { inferShapes } from '../src/graph/infer.ts';
import type { Design } from '../src/graph/types.ts';
import { benchModel, modelsFromArgs, type BenchModel, type BenchModelSpec } from './bench-models.ts';
import { alternation, judgeableAtLoad, median, rateOverReports, roundSpread, sandwichedRatios, spread, type Spread } from './bench-stats.ts';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { BackendMeasurement, BackendName, MeasureBudget } from '../src/train/protocol.ts';
import { build, log, ROOT, serve } from './bench-browser.ts';
import { BASE_FLAGS, CHROMIUM_EXECUTABLE, WEBGPU_FLAGS } from './chromium.ts';
import { PROFILE_CATEGORIES, traceSummary, TRACE_CATEGORIES } from './trace-tasks.ts';

const PORT = Number(process.env.BENCH_PORT ?? 4179);
const BATCH = 64;
/** BENCH_BACKENDS=wasm,cpu measures only those (a quicker look); the default measures all four. */
const BACKENDS = (process.env.BENCH_BACKENDS?.split(',') ?? ['wasm', 'webgl', 'cpu', 'webgpu']) as BackendName[];
const BUDGET: MeasureBudget = { warmupSteps: 3, windows: 5, stepsPerWindow: 2, minWindowMs: 1000, maxMs: 25_000 };
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const FLAGS = [...BASE_FLAGS, ...WEBGPU_FLAGS];
/** Browser windows per model (PyTorch gets one more: one before and after each browser window). */
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 5);
/** Batches of random data in the browser's training set (it trains epoch after epoch over them). */
const DATA_BATCHES = 50;
/** Issue 15's goals: the browser's speed over native PyTorch's (2 threads) on the same machine. */
const GOALS: Record<BenchModel, number> = { 'lenet-5': 0.9, 'resnet18-cifar': 0.5 };



async function openApp(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => log(`bench: page error: ${e.message}`));
  await page.goto(`http://localhost:${PORT}/`);
  await page.waitForFunction(() => (globalThis as { __netcanvas?: unknown }).__netcanvas !== undefined);
  return page;
}

type Handle = { trainingClient: { measure(d: unknown, b: number, only: BackendName[], budget: MeasureBudget): Promise<{ measurements: BackendMeasurement[] }> } };

/** What measuring each backend may take per model: the budget the worker keeps, and a wall-clock cap from here. */
interface ModelPlan {
  readonly budget: MeasureBudget;
  /** A backend with no result in this time is reported as too slow (a ResNet-18 step on CPU takes minutes). */
  readonly backendTimeoutMs: number;
  /** Length of every alternating window, both sides. */
  readonly windowMs: number;
  /** PyTorch's untimed warm-up steps. */
  readonly torchWarmup: number;
  /**
   * Time a browser window from its resume, not from its first progress report: for a model whose step
   * outlasts the loop's report interval (100 ms), every step is reported, so the samples at the pause are
   * exact, and a window of a few slow steps would lose one of them to the first report otherwise.
   */
  readonly fromResume: boolean;
}

const TIMEOUT_S = process.env.BENCH_BACKEND_TIMEOUT_S;
const WINDOW_S = process.env.BENCH_WINDOW_S;
const PLANS: Record<BenchModel, ModelPlan> = {
  'lenet-5': { budget: BUDGET, backendTimeoutMs: 1000 * Number(TIMEOUT_S ?? 90), windowMs: 1000 * Number(WINDOW_S ?? 3), torchWarmup: 20, fromResume: false },
  // A step of batch 32 takes seconds in the browser: fewer, longer windows, so each spans several steps.
  'resnet18-cifar': {
    budget: { warmupSteps: 1, windows: 2, stepsPerWindow: 1, minWindowMs: 2000, maxMs: 40_000 },
    backendTimeoutMs: 1000 * Number(TIMEOUT_S ?? 120),
    windowMs: 1000 * Number(WINDOW_S ?? 30),
    torchWarmup: 3,
    fromResume: true,
  },
};

/** Each backend in a fresh browser (so a fresh worker): what one backend leaves behind cannot slow the next. */
async function measureBackends(spec: BenchModelSpec, plan: ModelPlan): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const backend of BACKENDS) {
    // A browser of its own: a backend cut off mid-step keeps its renderer busy after its page closes,
    // and would starve what follows; closing the browser ends it.
    const browser = await chromium.launch({ ...CHROMIUM_EXECUTABLE, args: FLAGS, headless: true });
    const page = await openApp(browser);
    const t0 = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<{ samplesPerSec: null; error: string }>((resolve) => {
      timer = setTimeout(() => resolve({ samplesPerSec: null, error: `no result within ${plan.backendTimeoutMs / 1000} s` }), plan.backendTimeoutMs);
    });
    const measured = page.evaluate(
      async ([design, batch, backend, budget]) => {
        const h = (globalThis as unknown as { __netcanvas: Handle }).__netcanvas;
        try {
          return (await h.trainingClient.measure(design, batch, [backend], budget)).measurements[0] ?? null;
        } catch (e) {
          return { backend, samplesPerSec: null, error: e instanceof Error ? e.message : String(e) };
        }
      },
      [spec.design, spec.batch, backend, plan.budget] as const,
    );
    const m = await Promise.race([measured, timedOut]);
    clearTimeout(timer);
    measured.catch(() => {});
    await browser.close();
    out[backend] = m?.samplesPerSec ?? null;
    log(`bench: ${backend.padEnd(6)} ${m?.samplesPerSec != null ? `${m.samplesPerSec.toFixed(1)} samples/s` : `unavailable (${m?.error ?? 'no result'})`} [${((Date.now() - t0) / 1000).toFixed(0)} s]`);
  }
  return out;
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

/** What the PyTorch side says about itself once ready. */
interface TorchAbout {
  readonly threads: number;
  readonly torch: string;
  readonly params: number;
  readonly batch: number;
}

/**
 * scripts/bench_train_torch.py in `--serve` mode: started (torch imported, model built, warmed up) once,
 * then asked for one timed window at a time, so its windows can alternate with the browser's.
 */
class TorchServer {
  private readonly lines: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private ended = false;
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(line);
      } else this.lines.push(line);
    });
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    child.on('exit', () => {
      this.ended = true;
      this.waiting?.(null);
      this.waiting = null;
    });
  }

  static async start(modelPy: string, batch: number, warmup: number): Promise<{ server: TorchServer; about: TorchAbout }> {
    const args = [join(ROOT, 'scripts', 'bench_train_torch.py'), '--model-py', modelPy, '--batch', String(batch), '--threads', '2', '--warmup', String(warmup), '--serve'];
    const server = new TorchServer(spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
    const ready = await server.reply();
    if (!ready.ready) throw new Error(`PyTorch (${PYTHON}) did not start: ${JSON.stringify(ready)}`);
    return { server, about: ready as unknown as TorchAbout };
  }

  /** One timed window of at least `seconds` (it ends after the step that crosses it). */
  async window(seconds: number): Promise<number | null> {
    this.child.stdin!.write(`window ${seconds}\n`);
    const r = await this.reply();
    return typeof r.samplesPerSec === 'number' ? r.samplesPerSec : null;
  }

  quit(): void {
    if (!this.ended) this.child.stdin!.end('quit\n');
  }

  private async reply(): Promise<Record<string, unknown>> {
    const line = this.lines.shift() ?? (this.ended ? null : await new Promise<string | null>((resolve) => (this.waiting = resolve)));
    if (line === null) throw new Error(`PyTorch (${PYTHON}) exited: ${this.stderr.trim().split('\n').at(-1) ?? ''}`);
    return JSON.parse(line);
  }
}

/**
 * Random images of the model's input shape in 10 classes, loaded as the user's own data; batch size,
 * epochs enough to outlast the bench, no validation, backend Auto; a recorder of the run's progress
 * reports (samples trained so far, page time) and of the longest main-thread task.
 */
async function prepareAutoRun(page: Page, spec: BenchModelSpec) {
  await page.evaluate((design) => {
    const h = (globalThis as unknown as { __netcanvas: { store: { getState(): { openDesign(d: unknown, s: unknown): void } } } }).__netcanvas;
    h.store.getState().openDesign(design, { type: 'file', name: 'bench.json' });
  }, spec.design as unknown as Record<string, unknown>);
  // A large design takes the canvas a while to draw on a loaded machine: generous waits.
  await page.getByRole('heading', { level: 2, name: spec.design.name }).waitFor({ timeout: 180_000 });
  await page.getByRole('tab', { name: 'Train' }).click({ timeout: 180_000 });
  await page.evaluate(
    async ([count, shape]) => {
      const h = (globalThis as unknown as { __netcanvas: { training: { getState(): { chooseData(c: unknown, s: unknown): Promise<void> } } } }).__netcanvas;
      const size = shape[0] * shape[1] * shape[2];
      const [train, test] = [count, 64].map((n) => {
        const x = new Float32Array(n * size);
        for (let i = 0; i < x.length; i++) x[i] = Math.random();
        const y = Int32Array.from({ length: n }, () => Math.floor(Math.random() * 10));
        return { shape, count: n, x, y };
      });
      await h.training.getState().chooseData(
        { kind: 'folder', name: 'random' },
        { kind: 'arrays', dataset: { name: 'random', classes: Array.from({ length: 10 }, (_, i) => String(i)), train, test } },
      );
    },
    [DATA_BATCHES * spec.batch, spec.shape] as const,
  );
  await page.getByTestId('data-summary').waitFor({ timeout: 180_000 });
  await page.getByTestId('batch-size').fill(String(spec.batch));
  await page.getByTestId('epochs').fill('1000');
  await page.getByTestId('validation-split').fill('0');
  await page.getByTestId('backend-choice').selectOption('auto');
  await page.evaluate((batch) => {
    type Run = { phase: string; epoch: number; batch: number; batches: number };
    const h = (globalThis as unknown as { __netcanvas: { training: { subscribe(f: (s: { run: Run | null }) => void): void } } }).__netcanvas;
    const w = window as unknown as { __longest: number; __reports: { samples: number; t: number }[]; __samples: number };
    w.__longest = 0;
    w.__reports = [];
    w.__samples = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
    }).observe({ type: 'longtask' });
    h.training.subscribe((s) => {
      const run = s.run;
      if (!run || run.epoch < 1) return;
      const samples = ((run.epoch - 1) * run.batches + run.batch) * batch;
      if (w.__samples === samples) return;
      w.__samples = samples;
      w.__reports.push({ samples, t: performance.now() });
    });
  }, spec.batch);
}

async function runPhase(page: Page, phase: 'training' | 'paused', timeout: number) {
  await page.locator(`[data-testid="run-progress"][data-phase="${phase}"]`).waitFor({ timeout });
}

async function setPaused(page: Page, paused: boolean) {
  await page.evaluate(async (paused) => {
    const h = (globalThis as unknown as { __netcanvas: { training: { getState(): { pause(): Promise<void>; resume(): Promise<void> } } } }).__netcanvas;
    await (paused ? h.training.getState().pause() : h.training.getState().resume());
  }, paused);
}

/**
 * One browser window: resume, train for `ms`, pause (the run stops after the step under way, so the
 * pause waits for it); samples/s from the progress reports seen in it.
 */
async function browserWindow(page: Page, ms: number, fromResume: boolean): Promise<{ speed: number | null; longTask: number }> {
  await page.evaluate((fromResume) => {
    const w = window as unknown as { __longest: number; __reports: { samples: number; t: number }[]; __samples: number };
    w.__reports = fromResume ? [{ samples: w.__samples, t: performance.now() }] : [];
    w.__longest = 0;
  }, fromResume);
  await setPaused(page, false);
  await runPhase(page, 'training', 60_000);
  await page.waitForTimeout(ms);
  await setPaused(page, true);
  await runPhase(page, 'paused', 600_000);
  const { reports, longTask } = await page.evaluate(() => {
    const w = window as unknown as { __longest: number; __reports: { samples: number; t: number }[] };
    return { reports: w.__reports, longTask: w.__longest };
  });
  return { speed: rateOverReports(reports), longTask };
}

interface ModelFigures {
  readonly batch: number;
  readonly data: string;
  readonly params: number;
  readonly backends: Record<string, number | null>;
  readonly fastest: string | null;
  readonly auto: string | null;
  readonly autoPick: string | null;
  readonly autoPicksFastest: boolean;
  readonly windowSeconds: number;
  readonly browserWindows: (number | null)[];
  readonly pytorchWindows: (number | null)[];
  readonly browser: Spread;
  readonly pytorch: Spread;
  readonly ratios: number[];
  readonly ratio: Spread;
  readonly goal: number;
  readonly goalMet: boolean;
  /** Whether the load stayed at or below the cores from start to end (judgeableAtLoad): else goalMet says little. */
  readonly judgeable: boolean;
  readonly maxMainThreadTaskMs: number;
  readonly loadAverage: number;
  readonly loadAverageEnd: number;
}

/** Per model: both sides' figures from one alternating run. */
async function benchOne(browser: Browser, model: BenchModel, torchInfo: { torch?: string; threads?: number }): Promise<ModelFigures> {
  const spec = benchModel(model, ROOT);
  const plan = PLANS[model];
  const load = loadavg()[0];
  const params = inferShapes(flattenDesign(spec.design)).totals.trainableParams;
  log(`bench: ${model}, batch ${spec.batch}, random ${spec.shape.join('×')} data, ${params.toLocaleString('en-US')} parameters; load average ${load.toFixed(2)} on ${availableParallelism()} cores`);
  // PyTorch first, so its start-up (import, build, warm-up) is over before any browser figure is taken.
  const { server, about } = await TorchServer.start(await exportedModelPy(spec.design), spec.batch, plan.torchWarmup);
  try {
    // PyTorch's parameters() are the trainable weights (BatchNorm's running statistics are buffers).
    if (about.params !== params) throw new Error(`PyTorch's model has ${about.params} parameters, NetCanvas's design ${params}: not the same network`);
    Object.assign(torchInfo, { torch: about.torch, threads: about.threads });
    log(`bench: PyTorch ready (torch ${about.torch}, ${about.threads} threads)`);
    const backends = await measureBackends(spec, plan);
    const speeds = Object.values(backends).filter((v): v is number => v !== null);
    const fastest = speeds.length ? Object.entries(backends).find(([, v]) => v === Math.max(...speeds))![0] : null;

    const page = await openApp(browser);
    try {
      await prepareAutoRun(page, spec);
      await page.getByTestId('train-start').click({ timeout: 180_000 });
      await runPhase(page, 'training', 600_000);
      // Warm-up: the first steps build the graph and the kernels; a window's worth, untimed.
      await page.waitForTimeout(plan.windowMs);
      await setPaused(page, true);
      await runPhase(page, 'paused', 600_000);
      const picked = await page.evaluate(() => {
        const h = (globalThis as unknown as { __netcanvas: { training: { getState(): { run: { backend: string | null; pick: string | null } | null } } } }).__netcanvas;
        const run = h.training.getState().run;
        return { auto: run?.backend ?? null, pick: run?.pick ?? null };
      });
      log(`bench: Auto trains on ${picked.auto} (${picked.pick}); fastest measured: ${fastest}`);

      const browserWindows: (number | null)[] = [];
      const pytorchWindows: (number | null)[] = [];
      let longest = 0;
      for (const side of alternation(WINDOWS)) {
        if (side === 'pytorch') {
          const v = await server.window(plan.windowMs / 1000);
          pytorchWindows.push(v);
          log(`bench:   pytorch ${v?.toFixed(1) ?? '—'} samples/s (load ${loadavg()[0].toFixed(2)})`);
        } else {
          const w = await browserWindow(page, plan.windowMs, plan.fromResume);
          browserWindows.push(w.speed);
          longest = Math.max(longest, w.longTask);
          log(`bench:   browser ${w.speed?.toFixed(1) ?? '— (under two progress reports: a step outlasted the window)'} samples/s, longest main-thread task ${w.longTask.toFixed(0)} ms (load ${loadavg()[0].toFixed(2)})`);
        }
      }
      await page.evaluate(async () => {
        const h = (globalThis as unknown as { __netcanvas: { training: { getState(): { stop(): Promise<void> } } } }).__netcanvas;
        await h.training.getState().stop();
      });
      const ratios = sandwichedRatios(browserWindows, pytorchWindows);
      const ratio = spread(ratios);
      const loadEnd = loadavg()[0];
      const figures: ModelFigures = {
        batch: spec.batch,
        data: `random ${spec.shape.join('x')}`,
        params,
        backends: Object.fromEntries(Object.entries(backends).map(([b, v]) => [b, v === null ? null : Number(v.toFixed(2))])),
        fastest,
        auto: picked.auto,
        autoPick: picked.pick,
        autoPicksFastest: picked.auto === fastest,
        windowSeconds: plan.windowMs / 1000,
        browserWindows: browserWindows.map((v) => (v === null ? null : Number(v.toFixed(2)))),
        pytorchWindows: pytorchWindows.map((v) => (v === null ? null : Number(v.toFixed(2)))),
        browser: roundSpread(spread(browserWindows.filter((v): v is number => v !== null)), 2),
        pytorch: roundSpread(spread(pytorchWindows.filter((v): v is number => v !== null)), 2),
        ratios: ratios.map((r) => Number(r.toFixed(3))),
        ratio: roundSpread(ratio, 3),
        goal: GOALS[model],
        // No ratio at all (every window failed) is not a goal met.
        goalMet: Number.isFinite(ratio.median) && ratio.median >= GOALS[model],
        maxMainThreadTaskMs: Math.round(longest),
        loadAverage: Number(load.toFixed(2)),
        loadAverageEnd: Number(loadEnd.toFixed(2)),
        judgeable: judgeableAtLoad([load, loadEnd], availableParallelism()),
      };
      log(
        `bench: ${model}: browser (${picked.auto}) median ${figures.browser.median} samples/s [q1 ${figures.browser.q1}, q3 ${figures.browser.q3}; ${figures.browser.min}–${figures.browser.max}], ` +
          `PyTorch median ${figures.pytorch.median} [q1 ${figures.pytorch.q1}, q3 ${figures.pytorch.q3}; ${figures.pytorch.min}–${figures.pytorch.max}]; ` +
          `ratio (median of ${ratios.length} window ratios) ${figures.ratio.median} [${figures.ratio.min}–${figures.ratio.max}], goal ≥ ${figures.goal}: ${figures.goalMet ? 'met' : 'not met'}${figures.judgeable ? '' : ` (not judgeable: load above ${availableParallelism()} cores)`}; load ${figures.loadAverage} → ${figures.loadAverageEnd}`,
      );
      return figures;
    } finally {
      await page.close();
    }
  } finally {
    server.quit();
  }
}

async function main() {
  const models = modelsFromArgs(process.argv);
  if (!process.argv.includes('--no-build')) build();
  const server = await serve(PORT);
  const browser = await chromium.launch({ ...CHROMIUM_EXECUTABLE, args: FLAGS, headless: true });
  const load = loadavg()[0];
  const torch: { torch?: string; threads?: number } = {};
  const results: Partial<Record<BenchModel, ModelFigures>> = {};
  try {
    const page = await openApp(browser);
    log(`bench: page cross-origin isolated: ${await page.evaluate(() => self.crossOriginIsolated)}`);
    await page.close();
    for (const model of models) results[model] = await benchOne(browser, model, torch);
  } finally {
    await browser.close();
    try {
      process.kill(-server.pid!);
    } catch {
      server.kill();
    }
  }
  console.log(
    JSON.stringify({
      windows: WINDOWS,
      pytorchThreads: torch.threads ?? null,
      torch: torch.torch ?? null,
      ...results,
      loadAverage: Number(load.toFixed(2)),
      loadAverageEnd: Number(loadavg()[0].toFixed(2)),
    }),
  );
}

(process.argv.includes('--views') ? mainViews() : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
