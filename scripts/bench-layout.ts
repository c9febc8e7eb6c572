/**
 * What Tidy up costs and what it fixes, per template (folded as the gallery opens it; unfolded: every block
 * expanded in place, so drawn and laid out in frames; and flattened: every layer on the canvas, no frames): ELK's layout time (bundled, in this thread, as the unit tests run it; the browser
 * runs the same code in a worker) beside dagre's, medians of `--repeat N` runs (default 5), and the
 * straight wires that run through another box under each (unfolded: and what is wrong with the frames, see
 * layout-box.ts `frameProblems`). One JSON line per template, then the load average.
 *   npx tsx scripts/bench-layout.ts [--repeat N]
 */
import { loadavg } from 'node:os';
import { flattenDesign } from '../src/graph/blocks.ts';
import { inferShapes } from '../src/graph/infer.ts';
import { expandInPlace } from '../src/graph/block-edit.ts';
import { blockFrames } from '../src/graph/block-frames.ts';
import { estimateBoxes, frameProblems, frameRects, wireCrossings, wiresOf, type Box, type Rect } from '../src/graph/layout-box.ts';
import { layoutDesignElk } from '../src/graph/layout-elk.ts';
import { layoutDesign as dagreLayout } from '../src/graph/layout.ts';
import { loadTemplateDocuments } from '../src/graph/testing/templates.ts';
import type { Point } from '../src/graph/edit.ts';
import type { Design } from '../src/graph/types.ts';

const at = process.argv.indexOf('--repeat');
const repeat = at > 0 ? Math.max(1, Number(process.argv[at + 1]) || 5) : 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rects = (p: ReadonlyMap<string, Point>, boxes: ReadonlyMap<string, Box>) => new Map<string, Rect>([...p].map(([id, q]) => [id, { ...q, ...boxes.get(id)! }]));

async function measure(design: Design) {
  const inference = inferShapes(flattenDesign(design));
  const boxes = estimateBoxes(design, (id) => inference.nodes.get(id)?.issues ?? []);
  const elkMs: number[] = [];
  const dagreMs: number[] = [];
  let elk = new Map<string, Point>();
  let dagre = new Map<string, Point>();
  await layoutDesignElk(design, boxes); // the first run loads ELK: not a tidy-up's cost
  for (let i = 0; i < repeat; i++) {
    let t = performance.now();
    elk = await layoutDesignElk(design, boxes);
    elkMs.push(performance.now() - t);
    t = performance.now();
    dagre = dagreLayout(design);
    dagreMs.push(performance.now() - t);
  }
  const crossings = (p: Map<string, Point>) => {
    const r = rects(p, boxes);
    return wireCrossings(wiresOf(design, r), r).length;
  };
  const frames = blockFrames(design);
  const framing = (p: Map<string, Point>) => {
    const r = rects(p, boxes);
    return frameProblems(frames, frameRects(frames, r), r).length;
  };
  return {
    boxes: design.nodes.length + (design.instances?.length ?? 0),
    elkMs: Number(median(elkMs).toFixed(1)),
    dagreMs: Number(median(dagreMs).toFixed(1)),
    wiresThroughBoxes: { elk: crossings(elk), dagre: crossings(dagre) },
    ...(frames.length > 0 ? { frames: frames.length, frameProblems: { elk: framing(elk), dagre: framing(dagre) } } : {}),
  };
}

/** Every instance unfolded in place, as a user double-clicking each stage gets it. */
function unfoldAll(design: Design): Design {
  let d = design;
  for (const inst of design.instances ?? []) {
    const r = expandInPlace(d, inst.id);
    if (r.ok) d = r.design;
  }
  return d;
}

for (const { file, design } of loadTemplateDocuments()) {
  const folded = (design.instances?.length ?? 0) > 0 ? await measure(design) : null;
  const unfolded = folded ? await measure(unfoldAll(design)) : null;
  console.log(JSON.stringify({ template: file, ...(folded ? { folded, unfolded } : {}), flat: await measure(flattenDesign(design)) }));
}
console.log(JSON.stringify({ repeat, loadAverage: loadavg().map((x) => Number(x.toFixed(2))) }));
