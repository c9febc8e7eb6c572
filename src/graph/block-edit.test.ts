import { describe, expect, it } from 'vitest';
import { connectElements, editDefinition, expandInPlace, groupIntoBlock, makeUnique, setBlockArg, setRepeat, ungroupBlock, type BlockEditResult } from './block-edit.ts';
import { flattenDesign } from './blocks.ts';
import { NODE_BOX, updateParams } from './edit.ts';
import { FRAME_HEAD, FRAME_PAD } from './layout-box.ts';
import { parseDesign, serializeDesign } from './file-format.ts';
import { inferShapes, type DesignInference } from './infer.ts';
import { formatIssue } from './messages.ts';
import { buildTopology } from './topology.ts';
import { resnet18WithBlocks, twoPortDesign } from './testing/block-designs.ts';
import { randomValidDesign } from './testing/random-design.ts';
import { loadTemplate, loadTemplateDocument, loadTemplateDocuments } from './testing/templates.ts';
import { Rng } from './testing/rng.ts';
import type { Design } from './types.ts';

function ok(r: BlockEditResult): { design: Design; id: string } {
  if (!r.ok) throw new Error(formatIssue(r.reason));
  return r;
}

function load(doc: unknown): Design {
  const r = parseDesign(doc);
  if (!r.ok) throw new Error(r.errors.map((e) => formatIssue(e)).join('\n'));
  return r.design;
}

/** What inference says about one node, in a form two designs can be compared by. */
function facts(inference: DesignInference, id: string) {
  const n = inference.nodes.get(id);
  if (!n) return `missing ${id}`;
  return { shape: n.outputShape, params: n.trainableParams + n.nonTrainableParams, macs: n.macs, issues: n.issues.map((i) => i.code) };
}

/** Top-level elements (layers and instances) in a topological order. */
function topOrder(design: Design): string[] {
  const fake = (design.instances ?? []).map((i) => ({ id: i.id, kind: 'Dropout' as const, params: {}, position: i.position }));
  return [...buildTopology({ nodes: [...design.nodes, ...fake], edges: design.edges }).order];
}

/** A random interval of a topological order: convex, so grouping it can never make a loop. */
function interval(rng: Rng, order: readonly string[]): string[] {
  const a = rng.int(0, order.length - 1);
  const b = rng.int(a, Math.min(order.length - 1, a + rng.int(0, 8)));
  return order.slice(a, b + 1);
}

describe('grouping keeps inference identical', () => {
  it('200 random designs, grouped, grouped again around that block, unfolded, ungrouped and expanded', () => {
    let nested = 0;
    for (let seed = 0; seed < 200; seed++) {
      const rng = new Rng(1000 + seed);
      const plain = randomValidDesign(seed);
      const before = inferShapes(plain);
      const first = interval(rng, topOrder(plain));
      const g1 = ok(groupIntoBlock(plain, first));
      const inner = new Set(first);
      const flatId = (id: string) => (inner.has(id) ? `${g1.id}.${id}` : id);
      // Through the file format too: what is saved is what unfolds.
      const saved = load(serializeDesign(g1.design));
      const after1 = inferShapes(flattenDesign(saved));
      for (const n of plain.nodes) expect(facts(after1, flatId(n.id)), `seed ${seed}: ${n.id}`).toEqual(facts(before, n.id));
      expect(after1.totals, `seed ${seed}`).toEqual(before.totals);

      // A second group around an interval of the new top level (it may hold the first block: nesting).
      const second = interval(rng, topOrder(g1.design));
      const g2 = ok(groupIntoBlock(g1.design, second, 'Stage'));
      const outer = new Set(second);
      if (outer.has(g1.id)) nested++;
      const flatId2 = (id: string) => {
        const once = flatId(id);
        const head = inner.has(id) ? g1.id : id;
        return outer.has(head) ? `${g2.id}.${once}` : once;
      };
      const after2 = inferShapes(flattenDesign(g2.design));
      for (const n of plain.nodes) expect(facts(after2, flatId2(n.id)), `seed ${seed} nested: ${n.id}`).toEqual(facts(before, n.id));

      // Ungroup gives the layers their names back; expand in place gives them their paths.
      const back = inferShapes(flattenDesign(ok(ungroupBlock(ok(ungroupBlock(g2.design, g2.id)).design, g1.id)).design));
      for (const n of plain.nodes) expect(facts(back, n.id), `seed ${seed} ungrouped: ${n.id}`).toEqual(facts(before, n.id));
      const expanded = ok(expandInPlace(g2.design, g2.id)).design;
      // The other instances stay (moved down when below the unfolded block, see the gap test).
      expect((expanded.instances ?? []).map((i) => i.id)).toEqual((g2.design.instances ?? []).filter((i) => i.id !== g2.id).map((i) => i.id));
      const unfolded = inferShapes(flattenDesign(expanded));
      for (const n of plain.nodes) expect(facts(unfolded, flatId2(n.id)), `seed ${seed} expanded: ${n.id}`).toEqual(facts(before, n.id));
    }
    expect(nested).toBeGreaterThan(20);
  });
});

describe('unfolding a template block in place', () => {
  it('gives every instance of every template the very network flattening gives (a bypassed layer hands on its first input)', () => {
    for (const { file, design } of loadTemplateDocuments()) {
      const before = inferShapes(flattenDesign(design));
      const wires = (d: Design) => flattenDesign(d).edges.map((e) => `${e.source} → ${e.target} #${e.targetSlot ?? 0}`).sort();
      for (const inst of design.instances ?? []) {
        const open = ok(expandInPlace(design, inst.id)).design;
        const after = inferShapes(flattenDesign(open));
        expect(after.totals, `${file} ${inst.id}`).toEqual(before.totals);
        // MobileNetV2's first block (no residual) once unfolded with its output read from its input.
        expect(wires(open), `${file} ${inst.id}`).toEqual(wires(design));
      }
    }
  }, 60_000);
});

describe('block edits', () => {
  it('closes the gap a group leaves in a column, and expanding opens it again', () => {
    const d = loadTemplate('mnist-cnn.json');
    const y = (design: Design, id: string) => [...design.nodes, ...(design.instances ?? [])].find((x) => x.id === id)!.position.y;
    const order = [...d.nodes].sort((a, b) => a.position.y - b.position.y).map((n) => n.id);
    const [above, first, second, below] = order;
    const grouped = ok(groupIntoBlock(d, [first, second]));
    const span = y(d, second) - y(d, first);
    expect(span).toBeGreaterThan(0);
    expect(y(grouped.design, grouped.id)).toBe(y(d, first));
    expect(y(grouped.design, above)).toBe(y(d, above));
    // Everything after the group keeps its distance from the block that the group's last layer had.
    for (const id of order.slice(3)) expect(y(grouped.design, id), id).toBe(y(d, id) - span);
    expect(y(grouped.design, below) - y(grouped.design, grouped.id)).toBe(y(d, below) - y(d, second));
    const expanded = ok(expandInPlace(grouped.design, grouped.id)).design;
    // The gap opens again, wider by the frame the unfolded layers are drawn in (its title and padding).
    expect(y(expanded, above)).toBe(y(d, above));
    for (const id of order.slice(3)) expect(y(expanded, id), id).toBe(y(d, id) + FRAME_HEAD + 2 * FRAME_PAD);
    // Ungrouping draws no frame: there the gap is exactly what it was.
    const ungrouped = ok(ungroupBlock(grouped.design, grouped.id)).design;
    for (const id of [above, ...order.slice(3)]) expect(y(ungrouped, id), id).toBe(y(d, id));
  });

  it.each(['resnet-18.json', 'mobilenet-v2.json', 'resnet-50.json', 'googlenet.json', 'densenet-121.json'])(
    'expanding any stage of %s gives its layers room: no two boxes on the canvas overlap',
    (file) => {
      const document = loadTemplateDocument(file);
      const boxes = (design: Design) => [...design.nodes, ...(design.instances ?? [])].map((x) => ({ id: x.id, ...x.position }));
      const overlaps = (design: Design) => {
        const all = boxes(design);
        const found: string[] = [];
        for (let i = 0; i < all.length; i++) {
          for (let j = i + 1; j < all.length; j++) {
            const [a, b] = [all[i], all[j]];
            if (Math.abs(a.x - b.x) < NODE_BOX.width && Math.abs(a.y - b.y) < NODE_BOX.height) found.push(`${a.id} / ${b.id}`);
          }
        }
        return found;
      };
      expect(overlaps(document)).toEqual([]);
      for (const inst of document.instances ?? []) {
        const expanded = ok(expandInPlace(document, inst.id)).design;
        expect(expanded.nodes.length, inst.id).toBeGreaterThan(document.nodes.length);
        expect(overlaps(expanded), `${file}: ${inst.id} expanded`).toEqual([]);
      }
    },
  );

  it('refuses to group a selection with an unselected layer between its parts, naming it', () => {
    const d = load(resnet18WithBlocks());
    const r = groupIntoBlock(d, ['conv1', 'relu']);
    expect(!r.ok && formatIssue(r.reason)).toBe(
      'Cannot group: bn1 lies between selected layers but is not selected; select it too or leave out the layers after it',
    );
    expect(!r.ok && formatIssue(r.reason, 'es')).toMatch(/^No se puede agrupar: bn1 está entre capas seleccionadas/);
    const empty = groupIntoBlock(d, []);
    expect(!empty.ok && formatIssue(empty.reason)).toBe('Select the layers to group first');
  });

  it('gives a group read from two places two outputs, and wires each consumer to its port', () => {
    const d = load(twoPortDesign());
    const g = ok(groupIntoBlock(d, ['in', 'c1']));
    const def = g.design.blocks!.find((b) => b.id === 'Block')!;
    expect(def.inputs).toEqual([]);
    expect(def.outputs.map((o) => o.source)).toEqual(['in', 'c1']);
    expect(g.design.edges.filter((e) => e.target === 'mix').map((e) => [e.sourcePort, e.targetPort])).toEqual([
      ['out', 'a'],
      ['out_2', 'b'],
    ]);
    expect(inferShapes(flattenDesign(g.design)).totals).toEqual(inferShapes(flattenDesign(d)).totals);
  });

  it('repeats a block, and refuses to repeat one with two inputs', () => {
    const d = load(resnet18WithBlocks());
    const more = ok(setRepeat(d, 'layer3', 6)).design;
    const per = (design: Design) => inferShapes(flattenDesign(design));
    const grow = per(more).totals.trainableParams - per(d).totals.trainableParams;
    // Four more copies of a stride-1, 256-channel BasicBlock: 2 × (3·3·256·256) + 2 × 2·256 each.
    const copy = per(d).nodes;
    const one = ['conv1', 'bn1', 'conv2', 'bn2'].reduce((a, id) => a + copy.get(`layer3.1.${id}`)!.trainableParams, 0);
    expect(grow).toBe(4 * one);
    expect(per(more).nodes.get('layer3.5.relu_out')!.outputShape).toEqual([14, 14, 256]);
    const twoIn = setRepeat(load(twoPortDesign()), 'mix', 2);
    expect(!twoIn.ok && formatIssue(twoIn.reason)).toBe('mix: only a block with one input and one output can repeat; Mix has 2 input(s) and 2 output(s)');
  });

  it('editing a definition changes every instance; make unique detaches one', () => {
    const d = load(resnet18WithBlocks());
    const unique = ok(makeUnique(d, 'layer4')).design;
    expect(unique.instances!.find((i) => i.id === 'layer4')!.block).toBe('BasicBlock_2');
    const edited = ok(editDefinition(unique, 'BasicBlock', (body) => updateParams(body, 'bn1', { epsilon: 0.001 }))).design;
    const flat = flattenDesign(edited);
    const eps = (id: string) => flat.nodes.find((n) => n.id === id)!.params.epsilon;
    expect([eps('layer1.0.bn1'), eps('layer3.1.bn1'), eps('layer4.0.bn1'), eps('layer4.1.bn2')]).toEqual([0.001, 0.001, 1e-5, 1e-5]);
  });

  it('sets an argument for every copy or for one', () => {
    const d = load(resnet18WithBlocks());
    // Wider than its input, the first copy needs the downsample branch to match the skip's channels.
    const wide = ok(setBlockArg(ok(setBlockArg(d, 'layer1', 'planes', 96)).design, 'layer1', 'downsample', true, 0)).design;
    const first = ok(setBlockArg(d, 'layer1', 'downsample', true, 1)).design;
    const ids = (design: Design) => new Set(flattenDesign(design).nodes.map((n) => n.id));
    expect(inferShapes(flattenDesign(wide)).nodes.get('layer1.1.bn2')!.outputShape).toEqual([56, 56, 96]);
    expect([ids(first).has('layer1.1.downsample.0'), ids(first).has('layer1.0.downsample.0')]).toEqual([true, false]);
  });

  it('ungroups a repeat into its numbered copies with arguments applied', () => {
    const d = load(resnet18WithBlocks());
    const u = ok(ungroupBlock(d, 'layer2')).design;
    expect(u.instances!.map((i) => i.id)).toEqual(['layer1', 'layer3', 'layer4']);
    const ids = u.nodes.map((n) => n.id).filter((id) => id.startsWith('layer2.'));
    expect(ids).toContain('layer2.0.downsample.0');
    expect(ids).not.toContain('layer2.1.downsample.0');
    expect(u.nodes.find((n) => n.id === 'layer2.0.conv1')!.params).toMatchObject({ filters: 128, strides: [2, 2] });
    const a = inferShapes(flattenDesign(d));
    const b = inferShapes(flattenDesign(u));
    expect(b.totals).toEqual(a.totals);
    for (const id of a.order) expect(facts(b, id), id).toEqual(facts(a, id));
  });

  it('connects layers to block ports and refuses a second feed, a cycle and an unknown port', () => {
    const d = load(twoPortDesign());
    const fresh = { ...d, nodes: [...d.nodes, { id: 'extra', kind: 'Conv2D' as const, params: d.nodes[1].params, position: { x: 0, y: 0 } }] };
    const fed = ok(connectElements(fresh, 'mix', 'extra', { sourcePort: 'sum' })).design;
    expect(inferShapes(flattenDesign(fed)).nodes.get('extra')!.inputShapes).toEqual([[8, 8, 3]]);
    expect(fed.edges.at(-1)).toMatchObject({ source: 'mix', sourcePort: 'sum', target: 'extra' });
    const twice = connectElements(fresh, 'extra', 'mix', { targetPort: 'b' });
    expect(!twice.ok && formatIssue(twice.reason)).toBe('mix takes 1 input(s) and already reads from c1; delete that connection first, or use Add or Concatenate to merge');
    const loop = connectElements(fed, 'extra', 'mix');
    expect(!loop.ok && formatIssue(loop.reason)).toBe('Connecting extra to mix would make a cycle: mix already feeds extra');
    const port = connectElements(fresh, 'mix', 'extra', { sourcePort: 'diff' });
    expect(!port.ok && formatIssue(port.reason)).toBe('design: mix has no output port named "diff"');
  });
});
