/**
 * bench:export — how long the PyTorch and Keras exports of a design written with blocks take, beside the
 * same design unfolded (one flat class / build_model). The code panel re-exports as the design changes, so
 * folding copies into classes (src/export/pytorch-blocks.ts, keras-blocks.ts) must stay cheap.
 *
 * Design: ResNet-50 written with blocks (src/graph/testing/block-designs.ts: 16 Bottleneck copies; the
 * unfolded layer count is printed). Each export runs `--runs` times after two warm-up runs; the median is reported.
 *
 * The LAST line printed is one JSON object: {"design": …, "torchBlocksMs": X, "torchFlatMs": …, "kerasBlocksMs": …, "kerasFlatMs": …}.
 *
 * Usage: npm run bench:export [-- --runs 20]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { flattenDesign } from '../src/graph/blocks.ts';
import { parseDesign } from '../src/graph/file-format.ts';
import { inferShapes } from '../src/graph/infer.ts';
import { resnet50WithBlocks } from '../src/graph/testing/block-designs.ts';
import { exportKeras } from '../src/export/keras.ts';
import { exportPytorch } from '../src/export/pytorch.ts';

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Math.max(3, Number(opts.runs) || 20);

const parsed = parseDesign(JSON.stringify(resnet50WithBlocks()));
if (!parsed.ok) throw new Error('the ResNet-50 with blocks does not load');
const design = parsed.design;
const flat = flattenDesign(design);
// Both exports get the inference, as the code panel passes it: what is timed is the code generation.
const inference = inferShapes(flat);

function median(fn: () => unknown): number {
  fn();
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const result = fn() as { ok: boolean };
    times.push(performance.now() - t);
    if (!result.ok) throw new Error('export failed');
  }
  times.sort((a, b) => a - b);
  return Number(times[Math.floor(times.length / 2)].toFixed(1));
}

const result = {
  design: 'ResNet-50 with blocks',
  layers: flat.nodes.length,
  runs,
  torchBlocksMs: median(() => exportPytorch(design, { inference })),
  torchFlatMs: median(() => exportPytorch(flat, { inference })),
  kerasBlocksMs: median(() => exportKeras(design, { inference })),
  kerasFlatMs: median(() => exportKeras(flat, { inference })),
};
console.log(JSON.stringify(result));
