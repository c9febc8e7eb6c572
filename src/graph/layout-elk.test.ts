import { describe, expect, it, vi } from 'vitest';
import { flattenDesign } from './blocks.ts';
import { inferShapes } from './infer.ts';
import { estimateBoxes, frameProblems, frameRects, overlappingPairs, wireCrossings, wiresOf, type Box, type Rect } from './layout-box.ts';
import { expandInPlace } from './block-edit.ts';
import { blockFrames } from './block-frames.ts';
import { layoutDesignElk, longestPathRanks } from './layout-elk.ts';
import { layoutDesign as dagreLayout } from './layout.ts';
import { parseDesign } from './file-format.ts';
import { randomGrouped, twoPortDesign } from './testing/block-designs.ts';
import { randomInvalidCase } from './testing/random-invalid-case.ts';
import { randomValidDesign } from './testing/random-design.ts';
import { loadTemplate, loadTemplateDocument, loadTemplateDocuments } from './testing/templates.ts';
import type { Point } from './edit.ts';
import type { Design } from './types.ts';

function rectsOf(positions: ReadonlyMap<string, Point>, boxes: ReadonlyMap<string, Box>): Map<string, Rect> {
  return new Map([...positions].map(([id, p]) => [id, { ...p, ...boxes.get(id)! }]));
}

const boxesFor = (design: Design) => {
  const inference = inferShapes(flattenDesign(design));
  return estimateBoxes(design, (id) => inference.nodes.get(id)?.issues ?? []);
};

async function elkRects(design: Design, boxes = boxesFor(design)) {
  const positions = await layoutDesignElk(design, boxes);
  // Every element gets a place, nothing else does.
  expect(new Set(positions.keys())).toEqual(new Set([...design.nodes, ...(design.instances ?? [])].map((n) => n.id)));
  return rectsOf(positions, boxes);
}

describe('tidy up by ELK', () => {
  it('leaves no two boxes overlapping on any template, collapsed or flattened', async () => {
    for (const { file, design } of loadTemplateDocuments()) {
      for (const d of [design, flattenDesign(design)]) {
        expect(overlappingPairs(await elkRects(d)), file).toEqual([]);
      }
    }
  }, 120_000);

  it('leaves no two boxes overlapping on 100 random designs, half of them grouped into blocks', async () => {
    for (let seed = 0; seed < 100; seed++) {
      const design = seed % 2 === 0 ? randomValidDesign(seed) : randomGrouped(seed);
      expect(overlappingPairs(await elkRects(design)), `seed ${seed}`).toEqual([]);
    }
  }, 120_000);

  it('gives a layer showing an error the room its taller face needs', async () => {
    let errored = 0;
    for (let seed = 0; errored < 20; seed++) {
      const c = randomInvalidCase(seed);
      if (c.stage !== 'infer') continue;
      const parsed = parseDesign(c.doc);
      if (!parsed.ok) continue;
      const boxes = boxesFor(parsed.design);
      const tall = [...boxes.values()].filter((b) => b.height > 80).length;
      if (tall === 0) continue;
      errored++;
      const rects = await elkRects(parsed.design, boxes);
      expect(overlappingPairs(rects), `seed ${seed}`).toEqual([]);
    }
  }, 120_000);

  it('keeps arbitrarily tall and wide boxes apart (measured sizes, thumbnails shown)', async () => {
    const design = loadTemplate('googlenet.json');
    let s = 7;
    const next = () => ((s = (s * 48271) % 2147483647) / 2147483647);
    const boxes = new Map(design.nodes.map((n) => [n.id, { width: 150 + Math.round(next() * 200), height: 60 + Math.round(next() * 260) }]));
    const rects = await elkRects(design, boxes);
    expect(overlappingPairs(rects)).toEqual([]);
    // Dagre lays every box out at one size: the same sizes overlap there, so the check above can fail.
    expect(overlappingPairs(rectsOf(dagreLayout(design), boxes)).length).toBeGreaterThan(0);
  }, 60_000);

  it.each(['resnet-18.json', 'resnet-50.json', 'mobilenet-v2.json', 'densenet-121.json', 'googlenet.json'])('routes %s flat skip connections and branches beside the boxes they pass, not through them', async (file) => {
    const design = loadTemplate(file);
    const boxes = boxesFor(design);
    const rects = await elkRects(design, boxes);
    const crossings = wireCrossings(wiresOf(design, rects), rects).map((c) => `${c.wire.source} → ${c.wire.target} through ${c.box}`);
    expect(crossings).toEqual([]);
    // The former layout (dagre) ran every identity skip through its residual branch, and GoogLeNet's fan-outs through its branches.
    const dagre = rectsOf(dagreLayout(design), boxes);
    const before = wireCrossings(wiresOf(design, dagre), dagre).length;
    console.log(`${file} flat: wires through boxes ${before} (dagre) → ${crossings.length} (ELK)`);
    expect(before).toBeGreaterThan(10);
  }, 60_000);

  it('runs no straight wire through a box on any template, folded or flattened', async () => {
    for (const { file, design } of loadTemplateDocuments()) {
      for (const [how, d] of [['folded', design], ['flat', flattenDesign(design)]] as const) {
        const rects = await elkRects(d);
        const crossings = wireCrossings(wiresOf(d, rects), rects).map((c) => `${c.wire.source} → ${c.wire.target} through ${c.box}`);
        expect(crossings, `${file} ${how}`).toEqual([]);
      }
    }
  }, 120_000);

  it('lays a block with two inputs and two outputs out beside its wires without overlaps', async () => {
    const parsed = parseDesign(twoPortDesign());
    if (!parsed.ok) throw new Error('fixture');
    const rects = await elkRects(parsed.design);
    expect(overlappingPairs(rects)).toEqual([]);
    // Both inputs arrive from above the block and its output leaves below it.
    expect(rects.get('mix')!.y).toBeGreaterThan(rects.get('c1')!.y);
    expect(rects.get('gap')!.y).toBeGreaterThan(rects.get('mix')!.y);
  });

  it('ranks a skip connection more than one row apart and leaves a cycle unranked', () => {
    const rank = longestPathRanks(['a', 'b', 'c', 'x', 'y'], [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'c' },
      { source: 'a', target: 'c' },
      { source: 'x', target: 'y' },
      { source: 'y', target: 'x' },
    ]);
    expect([rank.get('a'), rank.get('b'), rank.get('c')]).toEqual([0, 1, 2]);
    expect(rank.has('x') || rank.has('y')).toBe(false);
  });
});

describe('tidy up with unfolded blocks drawn as frames', () => {
  /** The template with the named instances unfolded in place (all of them when none is named). */
  function unfolded(file: string, ids?: readonly string[]): Design {
    let design = loadTemplateDocument(file);
    for (const id of ids ?? (design.instances ?? []).map((i) => i.id)) {
      const r = expandInPlace(design, id);
      if (!r.ok) throw new Error(`${file} ${id}: ${r.reason.code}`);
      design = r.design;
    }
    return design;
  }

  it.each([
    ['resnet-50.json', ['layer2']],
    ['resnet-18.json', undefined],
    ['resnet-50.json', undefined],
    ['googlenet.json', undefined],
    ['mobilenet-v2.json', undefined],
    ['densenet-121.json', ['denseblock1', 'transition1']],
  ] as const)('%s unfolded (%s): every frame holds exactly its layers, nothing overlaps, no wire through a box', async (file, ids) => {
    const design = unfolded(file, ids);
    const frames = blockFrames(design);
    expect(frames.length).toBeGreaterThan(0);
    const rects = await elkRects(design);
    expect(overlappingPairs(rects)).toEqual([]);
    expect(frameProblems(frames, frameRects(frames, rects), rects)).toEqual([]);
    expect(wireCrossings(wiresOf(design, rects), rects).map((c) => `${c.wire.source} → ${c.wire.target} through ${c.box}`)).toEqual([]);
    // Laid out by dagre (one column, frames unknown to it) a branch lands in a frame it is not part of: the check above can fail.
    const dagre = rectsOf(dagreLayout(design), boxesFor(design));
    if (file.startsWith('resnet') && ids === undefined) expect(frameProblems(frames, frameRects(frames, dagre), dagre).length).toBeGreaterThan(0);
  }, 120_000);
});

describe('tidy up when ELK fails', () => {
  it('falls back to dagre when the engine it was given (the browser worker) fails to start or to lay out', async () => {
    const { tidyLayout } = await import('./layout-elk.ts');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const design = loadTemplate('lenet-5.json');
      const dead = { layout: () => Promise.reject(new Error('ELK worker failed: could not start')) };
      expect(await tidyLayout(design, new Map(), async () => dead)).toEqual(dagreLayout(design));
      expect(await tidyLayout(design, new Map(), () => Promise.reject(new Error('chunk did not load')))).toEqual(dagreLayout(design));
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      warn.mockRestore();
    }
  });

  it('falls back to dagre with a console warning, and the layout still places every layer', async () => {
    vi.resetModules();
    vi.doMock('elkjs/lib/elk.bundled.js', () => ({
      default: class {
        layout(): Promise<never> {
          return Promise.reject(new Error('elk broke'));
        }
      },
    }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { tidyLayout } = await import('./layout-elk.ts');
      const design = loadTemplate('lenet-5.json');
      const positions = await tidyLayout(design);
      expect(positions).toEqual(dagreLayout(design));
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('dagre'), expect.any(Error));
    } finally {
      warn.mockRestore();
      vi.doUnmock('elkjs/lib/elk.bundled.js');
      vi.resetModules();
    }
  });
});
