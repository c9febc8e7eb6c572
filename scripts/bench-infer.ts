/**
 * bench:infer — how long one edit takes to re-infer on a large design.
 *
 * Builds a ResNet/DenseNet-like graph of ≥ 1,000 nodes (conv/bn/relu blocks, residual Adds, some
 * Concatenates), runs one full inference, then edits one Conv2D in the middle many times the way the
 * editor does: a new immutable design per edit that replaces only that node's object and reuses every
 * other node object and the same `edges` array. Each `session.update` is timed.
 *
 * The LAST line printed is one JSON object: {"nodes": N, "medianMsPerEdit": X, ...}. Goal: X ≤ 2 at N ≥ 1,000.
 *
 * Usage: npm run bench:infer [-- --nodes 1000 --edits 500]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DesignBuilder, InferenceSession, inferShapes, type Design, type DesignNode } from '../src/graph/index.ts';

const { values: opts } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1000' },
    edits: { type: 'string', default: '500' },
  },
});
const targetNodes = Math.max(50, Number(opts.nodes) || 1000);
const editCount = Math.max(10, Number(opts.edits) || 500);

/**
 * Stages of residual blocks (conv-bn-relu-conv-bn + skip, Add, relu: 8 nodes) with an Inception-like
 * block every fourth block (two convolution branches concatenated, then a 1×1 conv back to the stage
 * width: 6 nodes), and a strided transition between stages.
 */
function buildLargeDesign(minNodes: number): { design: Design; editable: string[] } {
  const b = new DesignBuilder(`bench ${minNodes}`);
  let x = b.add('Input', { shape: [32, 32, 16] }, [], { id: 'input' });
  const editable: string[] = [];
  let channels = 16;
  let block = 0;
  let count = 1;
  const widths = [16, 32, 64, 128];
  for (let s = 0; s < widths.length; s++) {
    const stageEnd = (minNodes * (s + 1)) / widths.length;
    if (s > 0) {
      channels = widths[s];
      x = b.chain(x, [
        ['Conv2D', { filters: channels, kernel_size: [3, 3], strides: [2, 2], padding: 'same', use_bias: false }],
        ['BatchNorm'],
        ['Activation', { activation: 'relu' }],
      ]);
      count += 3;
    }
    for (; count < stageEnd; block++) {
      if (block % 4 === 3) {
        const a = b.chain(x, [['Conv2D', { filters: channels / 2, kernel_size: [1, 1], activation: 'relu' }]]);
        const c = b.chain(x, [
          ['Conv2D', { filters: channels / 4, kernel_size: [1, 1], activation: 'relu' }],
          ['Conv2D', { filters: channels / 2, kernel_size: [3, 3], padding: 'same', activation: 'relu' }],
        ]);
        const cat = b.add('Concatenate', {}, [a, c]);
        x = b.chain(cat, [['Conv2D', { filters: channels, kernel_size: [1, 1] }], ['Activation', { activation: 'relu' }]]);
        count += 6;
      } else {
        const conv1 = b.add('Conv2D', { filters: channels, kernel_size: [3, 3], padding: 'same', use_bias: false }, [x]);
        editable.push(conv1);
        const y = b.chain(conv1, [
          ['BatchNorm'],
          ['Activation', { activation: 'relu' }],
          ['Conv2D', { filters: channels, kernel_size: [3, 3], padding: 'same', use_bias: false }],
          ['BatchNorm'],
        ]);
        x = b.chain(b.add('Add', {}, [x, y]), [['Activation', { activation: 'relu' }]]);
        count += 7;
      }
    }
  }
  b.chain(x, [['GlobalAvgPool2D'], ['Dropout', { rate: 0.2 }], ['Dense', { units: 10, activation: 'softmax' }]]);
  return { design: b.build(), editable };
}

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

const { design: initial, editable } = buildLargeDesign(targetNodes);
const n = initial.nodes.length;
const session = new InferenceSession();

const t0 = performance.now();
const first = session.update(initial);
const fullInferMs = performance.now() - t0;
if (first.totals.errors > 0) {
  throw new Error(`the generated design should be valid, got ${first.totals.errors} error(s)`);
}

// A conv in the middle of the graph: half the design lies downstream of it.
const targetId = editable[Math.floor(editable.length / 2)];
const index = initial.nodes.findIndex((node) => node.id === targetId);
const original = initial.nodes[index];

// Warm the JIT on the edit path so the timings are of steady state, as in a long editing session.
let design = initial;
const edit = (k: number): Design => {
  const filters = Number(original.params.filters);
  // Alternate: a filters change (shape changes, recomputation ripples to the next block) and a kernel
  // change under 'same' padding (shape unchanged: only this node).
  const params =
    k % 2 === 0
      ? { ...original.params, filters: k % 4 === 0 ? filters * 2 : filters }
      : { ...original.params, kernel_size: k % 4 === 1 ? [5, 5] : [3, 3] };
  const node: DesignNode = { ...original, params };
  const nodes = design.nodes.slice();
  nodes[index] = node;
  return { ...design, nodes };
};
for (let k = 0; k < 50; k++) {
  design = edit(k);
  session.update(design);
}

const times: number[] = [];
const recomputed: number[] = [];
for (let k = 0; k < editCount; k++) {
  design = edit(k);
  const start = performance.now();
  session.update(design);
  times.push(performance.now() - start);
  recomputed.push(session.lastRecomputed.length);
}

// The incremental result must equal a fresh full inference of the final design.
const incremental = session.update(design);
const full = inferShapes(design);
const same =
  incremental.totals.totalParams === full.totals.totalParams &&
  incremental.totals.macs === full.totals.macs &&
  [...full.nodes.values()].every((r) => JSON.stringify(r) === JSON.stringify(incremental.nodes.get(r.id)));
if (!same) throw new Error('incremental inference diverged from full inference');

// Worst case for comparison: an Input shape edit changes every shape downstream, so everything recomputes.
const inputIndex = design.nodes.findIndex((node) => node.kind === 'Input');
const inputTimes: number[] = [];
for (let k = 0; k < 40; k++) {
  const nodes = design.nodes.slice();
  nodes[inputIndex] = { ...design.nodes[inputIndex], params: { shape: k % 2 === 0 ? [64, 64, 16] : [32, 32, 16] } };
  design = { ...design, nodes };
  const start = performance.now();
  session.update(design);
  inputTimes.push(performance.now() - start);
}
const inputEditMedianMs = [...inputTimes].sort((a, b) => a - b)[inputTimes.length >> 1];

const sortedTimes = [...times].sort((a, b) => a - b);
const sortedRecomputed = [...recomputed].sort((a, b) => a - b);
const result = {
  nodes: n,
  edges: initial.edges.length,
  edits: editCount,
  medianMsPerEdit: round(percentile(sortedTimes, 50)),
  p95MsPerEdit: round(percentile(sortedTimes, 95)),
  maxMsPerEdit: round(sortedTimes[sortedTimes.length - 1]),
  fullInferMs: round(fullInferMs),
  recomputedPerEditMedian: percentile(sortedRecomputed, 50),
  recomputedPerEditMax: sortedRecomputed[sortedRecomputed.length - 1],
  inputEditMedianMs: round(inputEditMedianMs),
  goalMs: 2,
  goalMet: percentile(sortedTimes, 50) <= 2 && n >= 1000,
};

console.log(`design: ${n} nodes, ${initial.edges.length} edges, ${full.totals.totalParams.toLocaleString('en-US')} params`);
console.log(`full inference (cold): ${result.fullInferMs} ms`);
console.log(`editing ${targetId} (${original.kind}) ${editCount} times, alternating filters and kernel_size:`);
console.log(`  per edit: median ${result.medianMsPerEdit} ms, p95 ${result.p95MsPerEdit} ms, max ${result.maxMsPerEdit} ms`);
console.log(`  nodes recomputed per edit: median ${result.recomputedPerEditMedian}, max ${result.recomputedPerEditMax}`);
console.log(`  goal (median ≤ 2 ms at ≥ 1,000 nodes): ${result.goalMet ? 'met' : 'MISSED'}`);
console.log(`worst case, an Input shape edit that recomputes all ${n} nodes: median ${result.inputEditMedianMs} ms`);
console.log(JSON.stringify(result));
