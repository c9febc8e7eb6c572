/**
 * bench:hostile — how long and how much memory a refusal of a hostile input costs.
 *
 * Each case runs in its own child Node process, so its peak memory (max RSS) is its own; the figure printed
 * is the peak minus the process's RSS just before the case ran (the input is built before that reading).
 * Cases: a cycle of N Add nodes (parseDesign of its file, and inferShapes of the design), an lz-string
 * share link that decompresses quadratically (a "bomb"), and 8,000-deep nesting.
 *
 * Usage: npm run bench:hostile -- [--cycles 1000,3000,4000,19999] [--link-kb 300] [--repeat 5] [--quick]
 * (19,999 Adds and their Input make the 20,000 nodes the format allows.) On a loaded machine the times
 * swell: compare figures from one run. `--repeat N` runs every case N times (each in a fresh process) and
 * prints the median time, the median CPU time (user + system, which a busy machine inflates less than the
 * wall clock) and the largest peak. `--quick` keeps only the 20,000-node cycle, the bomb link and the
 * nesting, once each: the run the unit tests make (scripts/bench-hostile.test.ts), so CI prints its figures.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { FORMAT_VERSION, formatIssue, inferShapes, parseDesign, type Design } from '../src/graph/index.ts';
import { designFromHash } from '../src/store/share-link.ts';
import { bombLink } from '../src/store/testing/lz-bomb.ts';

const { values: opts } = parseArgs({
  options: {
    cycles: { type: 'string', default: '1000,3000,4000,19999' },
    'link-kb': { type: 'string', default: '300' },
    repeat: { type: 'string', default: '1' },
    quick: { type: 'boolean', default: false },
    case: { type: 'string' },
    n: { type: 'string' },
  },
});

/** A ring of `n` Add nodes fed by one Input: every Add lies on the one cycle (n + 1 nodes in all). */
export function addCycle(n: number): Design {
  const nodes = [
    { id: 'in', kind: 'Input', params: { shape: [4] }, position: { x: 0, y: 0 } },
    ...Array.from({ length: n }, (_, i) => ({ id: `add_${i + 1}`, kind: 'Add', params: {}, position: { x: 0, y: 0 } })),
  ];
  const edges = [
    { id: 'e_in', source: 'in', target: 'add_1' },
    ...Array.from({ length: n }, (_, i) => ({ id: `e${i}`, source: `add_${i + 1}`, target: `add_${((i + 1) % n) + 1}`, targetSlot: 1 })),
  ];
  return { format: 'netcanvas', version: FORMAT_VERSION, name: 'ring', nodes, edges } as Design;
}

function runCase(kind: string, n: number): void {
  let work: () => string;
  if (kind === 'parse-cycle') {
    const text = JSON.stringify(addCycle(n));
    work = () => {
      const r = parseDesign(text);
      return r.ok ? 'accepted' : formatIssue(r.errors[0]);
    };
  } else if (kind === 'infer-cycle') {
    const design = addCycle(n);
    work = () => {
      const r = inferShapes(design);
      return `${r.totals.errors} errors; ${formatIssue(r.nodes.get('add_1')!.issues[0])}`;
    };
  } else if (kind === 'link-bomb') {
    const hash = `#design=${bombLink(n * 1000)}`;
    work = () => {
      const r = designFromHash(hash);
      return r.ok ? 'accepted' : formatIssue(r.issue);
    };
  } else {
    const text = `{"format":"netcanvas","version":${'['.repeat(n)}${']'.repeat(n)}}`;
    work = () => {
      const r = parseDesign(text);
      return r.ok ? 'accepted' : formatIssue(r.errors[0]);
    };
  }
  const rssBefore = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const message = work();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const peakMb = (process.resourceUsage().maxRSS * 1024 - rssBefore) / 2 ** 20;
  const figures = { ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakMbAboveStart: Math.max(0, Math.round(peakMb)) };
  console.log(JSON.stringify({ case: kind, n, ...figures, messageChars: message.length, message: message.slice(0, 160) }));
}

if (opts.case) {
  runCase(opts.case, Number(opts.n));
} else {
  const self = fileURLToPath(import.meta.url);
  const cycles = opts.quick ? ['19999'] : opts.cycles.split(',');
  const cases: [string, number][] = [
    ...cycles.flatMap((n): [string, number][] => [['parse-cycle', Number(n)], ['infer-cycle', Number(n)]]),
    ['link-bomb', Number(opts['link-kb'])],
    ['nesting', 8000],
  ];
  const repeat = opts.quick ? 1 : Math.max(1, Number(opts.repeat));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  for (const [kind, n] of cases) {
    const runs: Record<string, unknown>[] = [];
    for (let i = 0; i < repeat; i++) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--case', kind, '--n', String(n)], { encoding: 'utf8', timeout: 120_000 });
      try {
        runs.push(JSON.parse(r.stdout));
      } catch {
        runs.push({ case: kind, n, failed: (r.stderr || String(r.signal)).slice(-300) });
      }
    }
    if (repeat === 1 || runs.some((r) => 'failed' in r)) {
      for (const r of runs) console.log(JSON.stringify(r));
      continue;
    }
    const figure = (key: string) => runs.map((r) => r[key] as number);
    console.log(
      JSON.stringify({
        ...runs[0],
        runs: repeat,
        ms: median(figure('ms')),
        cpuMs: median(figure('cpuMs')),
        peakMbAboveStart: Math.max(...figure('peakMbAboveStart')),
        allMs: figure('ms'),
      }),
    );
  }
}
