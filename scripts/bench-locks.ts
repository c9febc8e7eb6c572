/**
 * `npm run bench:locks`: what lesson locks cost an edit. Every edit the store commits is checked against
 * the locks (src/graph/locks.ts), so the check must stay far below a frame on the largest templates.
 *
 * For DenseNet-121 (427 layers) and ResNet-50, every layer locked with every parameter (the worst case):
 * - checkUs: lockViolation alone for a parameter change the locks allow, and for a deleted connection
 *   they refuse (which also counts every layer's connections);
 * - commitMs: the store's updateNodeParams on the same design with and without the locks (the check plus
 *   inference), median of RUNS.
 *
 * The LAST line printed is one JSON object with the numbers.
 */
import { createAppStore } from '../src/store/app-store.ts';
import { isLayerKind, layerSpec, lockViolation, removeElements, serializeDesign, setLocks, updateParams, type Design } from '../src/graph/index.ts';
import { loadTemplate } from '../src/graph/testing/templates.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeUs(fn: () => unknown, reps = 200): number {
  const runs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) fn();
    runs.push(((performance.now() - t) / reps) * 1000);
  }
  return median(runs);
}

function lockAll(design: Design): Design {
  return setLocks(design, design.nodes.map((n) => ({ node: n.id, params: isLayerKind(n.kind) ? Object.keys(layerSpec(n.kind).params) : [] })));
}

async function commitMs(design: Design, nodeId: string, param: string): Promise<number> {
  const text = serializeDesign(design);
  const store = createAppStore({ lang: 'en', catalogue: [{ file: 'd.json', name: 'd' }], loaderFor: () => async () => JSON.parse(text) });
  await store.getState().loadTemplate('d.json');
  const runs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    store.getState().updateNodeParams(nodeId, { [param]: r % 2 === 0 ? 'relu' : 'linear' });
    runs.push(performance.now() - t);
  }
  return median(runs);
}

const out: Record<string, unknown> = { runs: RUNS };
for (const file of ['densenet-121.json', 'resnet-50.json']) {
  const plain = loadTemplate(file);
  const locked = lockAll(plain);
  // Every parameter of every layer is locked, so one layer's parameters are freed for the allowed edit.
  const target = plain.nodes.find((n) => n.kind === 'Dense' || n.kind === 'Conv2D')!;
  const allowing = setLocks(locked, (locked.locks ?? []).map((l) => (l.node === target.id ? { node: l.node, params: [] } : l)));
  const allowed = updateParams(allowing, target.id, { activation: 'relu' });
  const refused = removeElements(allowing, [], [allowing.edges[allowing.edges.length - 1].id]);
  if (lockViolation(allowing, allowed) !== null) throw new Error('the allowed edit was refused');
  if (lockViolation(allowing, refused)?.code !== 'lock-wire') throw new Error('the refused edit was allowed');
  out[file] = {
    layers: plain.nodes.length,
    checkAllowedUs: Number(timeUs(() => lockViolation(allowing, allowed)).toFixed(1)),
    checkRefusedUs: Number(timeUs(() => lockViolation(allowing, refused)).toFixed(1)),
    commitUnlockedMs: Number((await commitMs(plain, target.id, 'activation')).toFixed(2)),
    commitLockedMs: Number((await commitMs(allowing, target.id, 'activation')).toFixed(2)),
  };
  console.log(file, out[file]);
}
console.log(JSON.stringify(out));
