/**
 * bench:import — what `netcanvas import` of a big ONNX model costs: seconds and peak resident memory of the
 * real bin (`/usr/bin/time`), against the model's weight bytes (goal: ≤ 2× in memory).
 *
 * The models are torchvision's, exported with Debian's torch (random weights, nothing downloaded) by
 * src/import/testing/torchvision_onnx.py: VGG-16 (138 M parameters, 553 MB) and ResNet-50 (25.6 M, 102 MB).
 * Each import writes a .netcanvas (weights streamed into it). The bin's own footprint (Node and the loaded
 * code, measured by a `summary` of LeNet-5 in the same run) is printed too, and the ratio with it taken off:
 * it is what a larger model does not pay again.
 *
 * In Chromium (unless --no-browser): the app as users get it (vite build, vite preview), in Debian's headless
 * Chromium, imports each file through File → Import ONNX… (the browser reads the file from disk, the page
 * takes its bytes with File.arrayBuffer() and hands them to the importer); seconds from choosing the file
 * until the design is open, and the renderer process's peak resident memory (Linux /proc VmHWM, of the
 * renderer found by CDP's SystemInfo.getProcessInfo), beside its resident memory with the app loaded and
 * before the import: the difference is what the import cost. A fresh browser per model, so each peak is
 * that import's own. Then, in another fresh browser, the same network without its weights (the gallery's
 * template of it, opened through the store) measured the same way: what showing that design costs whatever
 * its weights (`designOnlyMb`), so `peakLessAppAndDesignOverWeights` is what the weights themselves cost.
 *
 * Usage: npm run bench:import -- [--models vgg16,resnet50] [--dir DIR] [--repeat N] [--no-browser] [--port P]
 * (DIR keeps the exported files between runs; by default a temporary folder.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from '@playwright/test';
import { build, serve } from './bench-browser.ts';
import { BASE_FLAGS, CHROMIUM_EXECUTABLE } from './chromium.ts';

const { values: opts } = parseArgs({
  options: {
    models: { type: 'string', default: 'vgg16,resnet50' },
    dir: { type: 'string' },
    repeat: { type: 'string', default: '1' },
    'no-browser': { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.BENCH_PORT ?? '4183' },
  },
});
const root = join(import.meta.dirname, '..');
const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'bench-import-'));
mkdirSync(dir, { recursive: true });
const models = opts.models.split(',');
const repeat = Math.max(1, Number(opts.repeat));
/** The gallery's template of each benchmarked network: the same layers, no weights. */
const TEMPLATE_OF: Readonly<Record<string, string>> = { vgg16: 'vgg-16.json', resnet50: 'resnet-50.json' };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const missing = models.filter((m) => !existsSync(join(dir, `${m}.onnx`)));
if (missing.length > 0) {
  const made = spawnSync('/usr/bin/python3', [join(root, 'src/import/testing/torchvision_onnx.py'), dir, '17', ...missing], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`exporting ${missing.join(', ')} with torch failed:\n${made.stderr.slice(-2000)}`);
}

/** Runs the bin under /usr/bin/time: seconds and peak RSS in MB. */
function timed(args: string[]): { seconds: number; peakMb: number; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', 'NETCANVAS_TIME %e %M', process.execPath, join(root, 'bin/netcanvas.mjs'), ...args], { encoding: 'utf8' });
  const line = r.stderr.split('\n').find((l) => l.startsWith('NETCANVAS_TIME'));
  if (r.status !== 0 || !line) throw new Error(`netcanvas ${args.join(' ')} failed:\n${r.stderr.slice(-2000)}`);
  const [, seconds, kb] = line.split(' ');
  return { seconds: Number(seconds), peakMb: Number(kb) / 1024, stdout: r.stdout };
}

const base = median(Array.from({ length: repeat }, () => timed(['summary', join(root, 'templates/lenet-5.json')]).peakMb));
console.log(JSON.stringify({ case: 'bin footprint (summary of LeNet-5)', peakMb: Math.round(base) }));
const weightMbOf = new Map<string, number>();
for (const model of models) {
  const runs = Array.from({ length: repeat }, () => timed(['import', join(dir, `${model}.onnx`), '--out', join(dir, `${model}.netcanvas`)]));
  const params = Number(/([\d,]+) parameters/.exec(runs[0].stdout)?.[1].replace(/,/g, ''));
  const weightMb = (params * 4) / 2 ** 20;
  weightMbOf.set(model, weightMb);
  const peakMb = median(runs.map((r) => r.peakMb));
  console.log(
    JSON.stringify({
      case: `import ${model}`,
      fileMb: Math.round(statSync(join(dir, `${model}.onnx`)).size / 2 ** 20),
      weightMb: Math.round(weightMb),
      seconds: median(runs.map((r) => r.seconds)),
      peakMb: Math.round(peakMb),
      peakOverWeights: Number((peakMb / weightMb).toFixed(2)),
      peakLessFootprintOverWeights: Number(((peakMb - base) / weightMb).toFixed(2)),
      runs: repeat,
    }),
  );
}

if (!opts['no-browser']) await inChromium();

/** A process's resident memory now and at its peak, in MB (Linux /proc). */
function residentMb(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function rendererPids(browser: Browser): Promise<number[]> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  return processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
}

type Handle = { __netcanvas?: { store: { getState(): { design: unknown; loading: string | null; source: { name?: string; file?: string } | null; loadTemplate(file: string): void } } } };

/**
 * A fresh browser on the app, loaded and idle; `act` opens something and resolves when it is open. The
 * seconds `act` took and the peak resident memory of the renderer that did it, beside its memory before.
 */
async function measureInChromium(port: number, act: (page: Page, source: () => Promise<string | null>) => Promise<void>): Promise<{ seconds: number; peakMb: number; beforeMb: number }> {
  const browser = await chromium.launch({ ...CHROMIUM_EXECUTABLE, args: BASE_FLAGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    await page.goto(`http://localhost:${port}/`);
    const source = () =>
      page.evaluate(() => {
        const s = (globalThis as Handle).__netcanvas?.store.getState();
        return s?.design ? (s.source?.name ?? s.source?.file ?? '') : null;
      });
    while ((await source()) === null) await page.waitForTimeout(200);
    // The app is loaded and idle: what it holds now is not the import's.
    await page.waitForTimeout(2000);
    const pids = await rendererPids(browser);
    const before = new Map(pids.map((pid) => [pid, residentMb(pid)]));
    const start = Date.now();
    await act(page, source);
    const seconds = (Date.now() - start) / 1000;
    // The renderer that did the work is the one whose peak grew the most.
    const grown = pids.map((pid) => ({ pid, after: residentMb(pid), before: before.get(pid)! })).sort((a, b) => b.after.peak - b.before.now - (a.after.peak - a.before.now))[0];
    return { seconds, peakMb: grown.after.peak, beforeMb: grown.before.now };
  } finally {
    await browser.close();
  }
}

/** Waits until `source()` names `name`; a problem the app shows (role alert) ends the wait with it. */
async function opened(page: Page, source: () => Promise<string | null>, name: string, what: string): Promise<void> {
  const start = Date.now();
  for (;;) {
    if ((await source()) === name) return;
    const problem = await page.getByRole('alert').first().textContent({ timeout: 50 }).catch(() => null);
    if (problem) throw new Error(`${what}: ${problem}`);
    if (Date.now() - start > 600_000) throw new Error(`${what}: no design after 10 minutes`);
    await page.waitForTimeout(100);
  }
}

async function inChromium(): Promise<void> {
  build();
  const port = Number(opts.port);
  const server = await serve(port);
  try {
    for (const model of models) {
      const runs: { seconds: number; peakMb: number; beforeMb: number }[] = [];
      const designRuns: { peakMb: number; beforeMb: number }[] = [];
      for (let r = 0; r < repeat; r++) {
        runs.push(
          await measureInChromium(port, async (page, source) => {
            await page.getByRole('button', { name: 'File', exact: true }).click();
            const chooser = page.waitForEvent('filechooser');
            await page.getByRole('menuitem', { name: 'Import ONNX…' }).click();
            await (await chooser).setFiles(join(dir, `${model}.onnx`));
            await opened(page, source, `${model}.onnx`, `Chromium import of ${model}`);
          }),
        );
        const template = TEMPLATE_OF[model];
        if (template) {
          designRuns.push(
            await measureInChromium(port, async (page, source) => {
              await page.evaluate((file) => (globalThis as Handle).__netcanvas!.store.getState().loadTemplate(file), template);
              await opened(page, source, template, `Chromium template ${template}`);
            }),
          );
        }
      }
      const weightMb = weightMbOf.get(model)!;
      const peakMb = median(runs.map((r) => r.peakMb));
      const beforeMb = median(runs.map((r) => r.beforeMb));
      const designOnlyMb = designRuns.length > 0 ? median(designRuns.map((r) => r.peakMb - r.beforeMb)) : null;
      console.log(
        JSON.stringify({
          case: `Chromium import ${model}`,
          weightMb: Math.round(weightMb),
          seconds: median(runs.map((r) => r.seconds)),
          rendererBeforeMb: Math.round(beforeMb),
          rendererPeakMb: Math.round(peakMb),
          peakOverWeights: Number((peakMb / weightMb).toFixed(2)),
          peakLessAppOverWeights: Number(((peakMb - beforeMb) / weightMb).toFixed(2)),
          ...(designOnlyMb !== null && {
            designOnlyMb: Math.round(designOnlyMb),
            peakLessAppAndDesignOverWeights: Number(((peakMb - beforeMb - designOnlyMb) / weightMb).toFixed(2)),
          }),
          runs: repeat,
        }),
      );
    }
  } finally {
    if (server.pid) process.kill(-server.pid);
  }
}
