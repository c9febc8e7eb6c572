import { describe, expect, it } from 'vitest';
import { randomValidDesign } from './testing/random-design.ts';
import { DesignBuilder } from './builder.ts';
import {
  addNode,
  applyFix,
  connect,
  downstream,
  duplicateNodes,
  emptyDesign,
  extractFragment,
  insertFragment,
  moveNodes,
  removeElements,
  setLabel,
} from './edit.ts';
import { parseDesign, serializeDesign } from './file-format.ts';
import { inferShapes } from './infer.ts';
import { layoutDesign, NODE_BOX } from './layout.ts';
import type { Design } from './types.ts';

function chain(): Design {
  const b = new DesignBuilder('Chain');
  const x = b.add('Input', { shape: [28, 28, 1] }, [], { id: 'in' });
  b.chain(x, [
    ['Conv2D', { filters: 8, kernel_size: [5, 5] }, { id: 'conv' }],
    ['MaxPool2D', {}, { id: 'pool' }],
    ['Flatten', {}, { id: 'flat' }],
    ['Dense', { units: 10 }, { id: 'out' }],
  ]);
  return b.build();
}

/** Every edit must leave a design the loader accepts (ids unique, edges to existing nodes, dense slots). */
function expectLoadable(design: Design) {
  const parsed = parseDesign(serializeDesign(design));
  expect(parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.errors)).toBe(true);
}

describe('design edits', () => {
  it('builds LeNet-like chains from an empty design with add-after, wiring each layer to the last', () => {
    let d = emptyDesign();
    let last: string | undefined;
    for (const kind of ['Input', 'Conv2D', 'MaxPool2D', 'Flatten', 'Dense'] as const) {
      const r = addNode(d, kind, { after: last });
      d = r.design;
      last = r.id;
    }
    expect(d.nodes.map((n) => n.id)).toEqual(['input_1', 'conv2d_1', 'maxpool2d_1', 'flatten_1', 'dense_1']);
    expect(d.edges.map((e) => `${e.source}>${e.target}`)).toEqual([
      'input_1>conv2d_1',
      'conv2d_1>maxpool2d_1',
      'maxpool2d_1>flatten_1',
      'flatten_1>dense_1',
    ]);
    expect(inferShapes(d).totals.errors).toBe(0);
    expectLoadable(d);
  });

  it('add-after on a chain inserts between the node and its one consumer and moves what is below down', () => {
    const d = chain();
    const { design, id } = addNode(d, 'BatchNorm', { after: 'conv' });
    expect(design.edges.some((e) => e.source === 'conv' && e.target === id)).toBe(true);
    expect(design.edges.some((e) => e.source === id && e.target === 'pool')).toBe(true);
    expect(design.edges.some((e) => e.source === 'conv' && e.target === 'pool')).toBe(false);
    const y = (x: Design, nodeId: string) => x.nodes.find((n) => n.id === nodeId)!.position.y;
    expect(y(design, 'pool')).toBeGreaterThan(y(design, id));
    expect(y(design, 'in')).toBe(y(d, 'in'));
    expectLoadable(design);
  });

  it('refuses cycles, inputs into an Input and a second input into a single-input layer, with reasons', () => {
    const d = chain();
    expect(connect(d, 'out', 'conv')).toMatchObject({ ok: false, reason: { code: 'connect-cycle' } });
    expect(connect(d, 'conv', 'conv')).toMatchObject({ ok: false, reason: { code: 'connect-self' } });
    expect(connect(d, 'conv', 'in')).toMatchObject({ ok: false, reason: { code: 'connect-into-input' } });
    expect(connect(d, 'in', 'pool')).toMatchObject({ ok: false, reason: { code: 'connect-occupied', values: { current: 'conv' } } });
    expect(connect(d, 'nope', 'pool')).toMatchObject({ ok: false, reason: { code: 'connect-missing' } });
  });

  it('gives merge inputs consecutive slots in connection order, and renumbers them when one goes', () => {
    const b = new DesignBuilder('Merge');
    const x = b.add('Input', { shape: [8, 8, 4] }, [], { id: 'in' });
    const a = b.add('Conv2D', { filters: 4, padding: 'same' }, [x], { id: 'a' });
    const c = b.add('Conv2D', { filters: 4, padding: 'same' }, [x], { id: 'c' });
    b.add('Concatenate', {}, [], { id: 'cat' });
    let d = b.build();
    for (const src of [c, a, x]) {
      const r = connect(d, src, 'cat');
      if (!r.ok) throw new Error(r.reason.code);
      d = r.design;
    }
    const slots = () => d.edges.filter((e) => e.target === 'cat').map((e) => [e.source, e.targetSlot]);
    expect(slots()).toEqual([
      ['c', 0],
      ['a', 1],
      ['in', 2],
    ]);
    expect(inferShapes(d).nodes.get('cat')!.outputShape).toEqual([8, 8, 12]);
    d = removeElements(d, ['c']);
    expect(slots()).toEqual([
      ['a', 0],
      ['in', 1],
    ]);
    expectLoadable(d);
  });

  it('removing a node removes its edges; removing nothing returns the same object', () => {
    const d = chain();
    const r = removeElements(d, ['pool']);
    expect(r.nodes.map((n) => n.id)).not.toContain('pool');
    expect(r.edges.some((e) => e.source === 'pool' || e.target === 'pool')).toBe(false);
    expect(removeElements(d, [])).toBe(d);
  });

  it('a move keeps every other node object, so incremental inference recomputes nothing', () => {
    const d = chain();
    const moved = moveNodes(d, new Map([['pool', { x: 300, y: 10 }]]));
    expect(moved.nodes.filter((n, i) => n !== d.nodes[i]).map((n) => n.id)).toEqual(['pool']);
    expect(moveNodes(d, new Map([['pool', d.nodes[2].position]]))).toBe(d);
  });

  it('copy/paste and duplicate give fresh ids, keep internal edges and labels, and drop edges to the outside', () => {
    const d = setLabel(chain(), 'conv', 'C1');
    const fragment = extractFragment(d, ['conv', 'pool']);
    expect(fragment.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['conv>pool']);
    const text = serializeDesign(fragment);
    const parsed = parseDesign(text);
    if (!parsed.ok) throw new Error('fragment does not load');
    const { design, ids } = insertFragment(d, parsed.design, { x: 40, y: 40 });
    expect(ids).toHaveLength(2);
    expect(ids.some((id) => d.nodes.some((n) => n.id === id))).toBe(false);
    expect(design.nodes.find((n) => n.id === ids[0])!.label).toBe('C1');
    expect(design.edges.filter((e) => ids.includes(e.target))).toHaveLength(1);
    expectLoadable(design);
    const dup = duplicateNodes(d, ['flat', 'out']);
    expect(dup.design.nodes).toHaveLength(d.nodes.length + 2);
    expectLoadable(dup.design);
  });

  it('the insert-Flatten fix turns a Dense on an image into a valid classifier head', () => {
    const b = new DesignBuilder('Head');
    const x = b.add('Input', { shape: [28, 28, 1] }, [], { id: 'in' });
    b.chain(x, [
      ['Conv2D', { filters: 4 }, { id: 'conv' }],
      ['Dense', { units: 10, activation: 'softmax' }, { id: 'out' }],
    ]);
    const d = b.build();
    const issue = inferShapes(d).nodes.get('out')!.issues.find((i) => i.code === 'dense-on-image')!;
    expect(issue.fix).toMatchObject({ insertBefore: 'Flatten' });
    const fixed = applyFix(d, 'out', issue.fix!);
    const inf = inferShapes(fixed);
    expect(inf.nodes.get('out')!.outputShape).toEqual([10]);
    expect(inf.nodes.get('out')!.issues).toEqual([]);
    expect(inf.totals.errors + inf.totals.warnings).toBe(0);
    expectLoadable(fixed);
  });

  it('parameter fixes resolve their own issue (kernel larger than input → padding same; groups → 1)', () => {
    const b = new DesignBuilder('Fixes');
    const x = b.add('Input', { shape: [4, 4, 3] }, [], { id: 'in' });
    b.add('Conv2D', { filters: 4, kernel_size: [5, 5] }, [x], { id: 'big' });
    b.add('Conv2D', { filters: 4, kernel_size: [1, 1], groups: 2 }, [x], { id: 'grouped' });
    let d = b.build();
    for (const id of ['big', 'grouped']) {
      const issue = inferShapes(d).nodes.get(id)!.issues[0];
      expect(issue.fix, id).toBeDefined();
      d = applyFix(d, id, issue.fix!);
      expect(inferShapes(d).nodes.get(id)!.issues.filter((i) => i.severity === 'error')).toEqual([]);
    }
  });

  it('random edit sequences on random designs never produce a file the loader rejects', () => {
    for (let seed = 1; seed <= 60; seed++) {
      let d = randomValidDesign(seed);
      const ids = () => d.nodes.map((n) => n.id);
      for (let step = 0; step < 12; step++) {
        const pick = ids()[(seed * 31 + step * 7) % Math.max(1, ids().length)];
        const other = ids()[(seed * 17 + step * 13) % Math.max(1, ids().length)];
        switch (step % 4) {
          case 0:
            d = addNode(d, (['Conv2D', 'Dense', 'Add', 'Flatten'] as const)[step % 3], { after: pick }).design;
            break;
          case 1: {
            const r = pick && other ? connect(d, pick, other) : null;
            if (r?.ok) {
              d = r.design;
              expect(downstream(d, other).has(pick) && pick !== other ? 'cycle' : 'ok').toBe('ok');
            }
            break;
          }
          case 2:
            d = duplicateNodes(d, [pick, other].filter(Boolean)).design;
            break;
          default:
            d = removeElements(d, [pick].filter(Boolean));
        }
        expectLoadable(d);
        expect(inferShapes(d).order).toHaveLength(d.nodes.length);
      }
    }
  });
});

describe('auto-layout', () => {
  it('places every node, top to bottom along the data flow, with no two boxes overlapping', () => {
    for (const design of [chain(), randomValidDesign(7), randomValidDesign(42)]) {
      const at = layoutDesign(design);
      expect(at.size).toBe(design.nodes.length);
      for (const e of design.edges) expect(at.get(e.target)!.y).toBeGreaterThan(at.get(e.source)!.y);
      const boxes = [...at.values()];
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const apart = Math.abs(boxes[i].x - boxes[j].x) >= NODE_BOX.width || Math.abs(boxes[i].y - boxes[j].y) >= NODE_BOX.height;
          expect(apart).toBe(true);
        }
      }
    }
  });
});
