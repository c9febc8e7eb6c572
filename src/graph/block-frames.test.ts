import { describe, expect, it } from 'vitest';
import { flattenDesign } from './blocks.ts';
import { expandInPlace } from './block-edit.ts';
import { blockFrames, refoldFrame } from './block-frames.ts';
import { inferShapes } from './infer.ts';
import { estimateBoxes, frameProblems, frameRects, type Rect } from './layout-box.ts';
import { loadTemplateDocument, loadTemplateDocuments } from './testing/templates.ts';
import type { Design } from './types.ts';

function expanded(design: Design, id: string): Design {
  const r = expandInPlace(design, id);
  if (!r.ok) throw new Error(`${id} does not unfold: ${r.reason.code}`);
  return r.design;
}

/** What inference sees, positions aside: the same layers, parameters and wires. */
const network = (d: Design) => {
  const flat = flattenDesign(d);
  return {
    nodes: flat.nodes.map((n) => [n.id, n.kind, n.params]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    edges: flat.edges.map((e) => [e.source, e.target, e.targetSlot ?? 0]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
};

describe('frames around unfolded blocks', () => {
  it('frames an unfolded ResNet-50 stage as Bottleneck ×4 with a frame per copy, each holding exactly its layers', () => {
    const design = expanded(loadTemplateDocument('resnet-50.json'), 'layer2');
    const frames = blockFrames(design);
    expect(frames.map((f) => [f.id, f.block, f.repeat, f.parent, f.copy])).toEqual([
      ['layer2', 'Bottleneck', 4, null, false],
      ['layer2.0', 'Bottleneck', null, 'layer2', true],
      ['layer2.1', 'Bottleneck', null, 'layer2', true],
      ['layer2.2', 'Bottleneck', null, 'layer2', true],
      ['layer2.3', 'Bottleneck', null, 'layer2', true],
    ]);
    const stage = design.nodes.filter((n) => n.id.startsWith('layer2.')).map((n) => n.id);
    expect([...frames[0].members].sort()).toEqual(stage.sort());
    // The first copy has the downsample branch (12 layers), the others not (10).
    expect(frames.slice(1).map((f) => f.members.length)).toEqual([12, 10, 10, 10]);
  });

  it('nests frames as the blocks nest: GoogLeNet stage → Inception module, DenseNet block → dense layer', () => {
    const g = blockFrames(expanded(loadTemplateDocument('googlenet.json'), 'inception4'));
    expect(g.filter((f) => f.parent === null).map((f) => [f.id, f.block])).toEqual([['inception4', 'InceptionStage4']]);
    expect(g.filter((f) => f.parent === 'inception4').map((f) => f.block)).toEqual(Array(5).fill('Inception'));
    const d = blockFrames(expanded(loadTemplateDocument('densenet-121.json'), 'denseblock1'));
    expect(d[0]).toMatchObject({ id: 'denseblock1', block: 'DenseBlock6', parent: null });
    expect(d.filter((f) => f.parent === 'denseblock1')).toHaveLength(6);
  });

  it('leaves room for the frames where it unfolds: no frame runs into a box or a sibling frame, on every template', () => {
    const problems: string[] = [];
    for (const { file, design } of loadTemplateDocuments()) {
      for (const inst of design.instances ?? []) {
        const open = expanded(design, inst.id);
        const inference = inferShapes(flattenDesign(open));
        const boxes = estimateBoxes(open, (id) => inference.nodes.get(id)?.issues ?? []);
        const rects = new Map<string, Rect>([...open.nodes, ...(open.instances ?? [])].map((x) => [x.id, { ...x.position, ...boxes.get(x.id)! }]));
        const frames = blockFrames(open);
        problems.push(...frameProblems(frames, frameRects(frames, rects), rects).map((p) => `${file} ${inst.id}: ${p}`));
      }
    }
    expect(problems).toEqual([]);
  });

  it('draws no frame on a design without unfolded blocks, nor for dotted names no definition accounts for', () => {
    for (const { file, design } of loadTemplateDocuments()) expect(blockFrames(design), file).toEqual([]);
    const resnet = expanded(loadTemplateDocument('resnet-18.json'), 'layer1');
    const renamed: Design = { ...resnet, nodes: resnet.nodes.map((n) => (n.id === 'layer1.0.conv1' ? { ...n, id: 'layer1.0.extra' } : n)) };
    expect(blockFrames(renamed).map((f) => f.id)).not.toContain('layer1');
    expect(blockFrames(flattenDesign(loadTemplateDocument('resnet-18.json')))).toEqual([]);
  });

  it('folds every unfolded instance of every template back into an instance that unfolds to the same network', () => {
    let folded = 0;
    for (const { file, design } of loadTemplateDocuments()) {
      for (const inst of design.instances ?? []) {
        const open = expanded(design, inst.id);
        const back = refoldFrame(open, inst.id);
        expect(back.ok, `${file} ${inst.id}: ${back.ok ? '' : back.reason.code}`).toBe(true);
        if (!back.ok) continue;
        expect(network(back.design), `${file} ${inst.id}`).toEqual(network(design));
        // The same inference: totals and every layer's shape.
        expect(inferShapes(flattenDesign(back.design)).totals).toEqual(inferShapes(flattenDesign(design)).totals);
        expect(back.design.instances?.find((i) => i.id === inst.id)).toMatchObject({ block: inst.block, ...(inst.repeat ? { repeat: inst.repeat } : {}) });
        folded++;
      }
    }
    expect(folded).toBeGreaterThan(30);
  }, 120_000);

  it('refuses to fold back layers edited since they were unfolded, and leaves the design as it was', () => {
    const open = expanded(loadTemplateDocument('resnet-50.json'), 'layer2');
    const edited: Design = { ...open, nodes: open.nodes.map((n) => (n.id === 'layer2.2.conv2' ? { ...n, params: { ...n.params, kernel_size: [5, 5] } } : n)) };
    const r = refoldFrame(edited, 'layer2');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatchObject({ code: 'refold-edited', values: { node: 'layer2', block: 'Bottleneck' } });
    const rewired: Design = { ...open, edges: open.edges.filter((e) => !(e.source === 'layer2.1.relu_out' && e.target === 'layer2.2.add')) };
    expect(refoldFrame(rewired, 'layer2').ok).toBe(false);
    // A copy is not folded on its own: only the frame the user unfolded.
    expect(refoldFrame(open, 'layer2.1').ok).toBe(false);
  });
});
