/**
 * `npm run bench:weights`: VGG-16 with random weights (138 M parameters, 553 MB of float32) through the
 * binary weight file: save as .netcanvas, reopen it, and `netcanvas export --to pytorch` it (the real bin,
 * weights.npz included). Each step runs in its own process so its peak resident memory (getrusage maxRSS,
 * via /usr/bin/time for the CLI) is its own; prints one JSON line per step, then a summary line with the
 * ratios of peak memory to the weight bytes (goal for the CLI export: ≤ 2). A benchmark, not a test: the
 * figures move with the machine's load. `--template FILE` runs another template.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flattenDesign } from '../src/graph/blocks.ts';
import { inferShapes } from '../src/graph/infer.ts';
import { netcanvasChunks, readNetcanvas } from '../src/graph/netcanvas-file.ts';
import { loadTemplate } from '../src/graph/testing/templates.ts';
import type { DesignWeights, WeightTensor } from '../src/graph/weights.ts';
import { fileSource, writeChunks } from '../src/cli/node-files.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MB = 1e6;

/** Random values without a per-value PRNG call in JS objects: the 138 M floats take seconds, not minutes. */
function randomWeights(template: string): DesignWeights {
  const inference = inferShapes(flattenDesign(loadTemplate(template)));
  const out = new Map<string, Record<string, WeightTensor>>();
  let seed = 1;
  for (const id of inference.order) {
    const declared = inference.nodes.get(id)!.weights;
    if (declared.length === 0) continue;
    const named: Record<string, WeightTensor> = {};
    for (const w of declared) {
      const data = new Float32Array(w.shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) {
        seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
        data[i] = (seed / 2 ** 31) * 0.05;
      }
      named[w.name] = { shape: w.shape, data };
    }
    out.set(id, named);
  }
  return out;
}

const weightBytes = (w: DesignWeights) => [...w.values()].reduce((n, named) => n + Object.values(named).reduce((m, t) => m + t.data.byteLength, 0), 0);
const peakMb = () => (process.resourceUsage().maxRSS * 1024) / MB;

/** One step, in this (child) process: prints {step, seconds, peakMb, …}. */
async function step(name: string, template: string, file: string): Promise<void> {
  if (name === 'save') {
    const weights = randomWeights(template);
    const generatedMb = peakMb();
    const t0 = performance.now();
    await writeChunks(file, netcanvasChunks(loadTemplate(template), weights));
    const seconds = (performance.now() - t0) / 1000;
    console.log(JSON.stringify({ step: 'save', seconds, peakMb: peakMb(), peakMbBeforeSaving: generatedMb, weightMb: weightBytes(weights) / MB, fileMb: statSync(file).size / MB }));
  } else if (name === 'open') {
    const t0 = performance.now();
    const handle = await open(file, 'r');
    const r = await readNetcanvas(fileSource(handle, statSync(file).size), file);
    await handle.close();
    if (!r.ok || !r.weights) throw new Error(`reopen failed: ${JSON.stringify(!r.ok && r.errors)}`);
    console.log(JSON.stringify({ step: 'reopen', seconds: (performance.now() - t0) / 1000, peakMb: peakMb(), weightMb: weightBytes(r.weights) / MB }));
  }
}

async function main(argv: string[]) {
  const at = argv.indexOf('--step');
  const template = argv.includes('--template') ? argv[argv.indexOf('--template') + 1] : 'vgg-16.json';
  if (at >= 0) return step(argv[at + 1], template, argv[at + 2]);

  const dir = mkdtempSync(join(tmpdir(), 'netcanvas-bench-weights-'));
  const file = join(dir, 'model.netcanvas');
  try {
    const results: Record<string, { seconds: number; peakMb: number; weightMb?: number }> = {};
    for (const name of ['save', 'open']) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--template', template, '--step', name, file], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
      if (run.status !== 0) throw new Error(`${name} failed: ${run.stderr}`);
      const line = run.stdout.trim().split('\n').at(-1)!;
      console.log(line);
      const parsed = JSON.parse(line);
      results[parsed.step] = parsed;
    }
    // The CLI exactly as users run it; /usr/bin/time reports its peak resident set (kB) on stderr.
    const out = join(dir, 'export');
    const t0 = performance.now();
    const cli = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, join(ROOT, 'bin/netcanvas.mjs'), 'export', file, '--to', 'pytorch', '--out', out], { cwd: ROOT, encoding: 'utf8' });
    const seconds = (performance.now() - t0) / 1000;
    if (cli.status !== 0) throw new Error(`export failed: ${cli.stderr}`);
    const kb = Number(/maxrss_kb=(\d+)/.exec(cli.stderr)?.[1]);
    results.export = { seconds, peakMb: (kb * 1024) / MB };
    console.log(JSON.stringify({ step: 'cli-export', seconds, peakMb: results.export.peakMb, npzMb: statSync(join(out, 'weights.npz')).size / MB }));
    const weightMb = results.save.weightMb!;
    console.log(
      JSON.stringify({
        template,
        weightMb,
        saveSeconds: results.save.seconds,
        reopenSeconds: results.reopen.seconds,
        exportSeconds: seconds,
        reopenPeakOverWeights: results.reopen.peakMb / weightMb,
        exportPeakOverWeights: results.export.peakMb / weightMb,
        loadAverage: (await import('node:os')).loadavg()[0],
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
