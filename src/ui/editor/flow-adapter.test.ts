import { describe, expect, it } from 'vitest';
import { DesignBuilder } from '../../graph/builder.ts';
import { addNode, moveNodes, updateParams } from '../../graph/edit.ts';
import { InferenceSession, inferShapes } from '../../graph/infer.ts';
import { LAYER_KINDS } from '../../graph/layers/index.ts';
import type { Design } from '../../graph/types.ts';
import { CATEGORY_ORDER, paletteGroups } from './palette-model.ts';
import {
  createFlowAdapter,
  designBounds,
  initialViewport,
  reconcileEdges,
  reconcileNodes,
  type LayerFlowNode,
  type ShapeFlowEdge,
} from './flow-adapter.ts';

/** Input 28×28×1 → conv (8 × 5×5, valid) → pool → flatten → dense 10. */
function mnistish(): Design {
  const b = new DesignBuilder('mnist-ish');
  const input = b.add('Input', { shape: [28, 28, 1] }, [], { id: 'in' });
  b.chain(input, [
    ['Conv2D', { filters: 8, kernel_size: [5, 5], padding: 'valid', activation: 'relu' }, { id: 'conv', label: 'C1' }],
    ['MaxPool2D', { pool_size: [2, 2] }, { id: 'pool' }],
    ['Flatten', {}, { id: 'flat' }],
    ['Dense', { units: 10, activation: 'softmax' }, { id: 'out' }],
  ]);
  return b.build();
}

/** Two branches into an Add, the second connected into slot 1. */
function residual(): Design {
  const b = new DesignBuilder('residual');
  const input = b.add('Input', { shape: [8, 8, 4] }, [], { id: 'in' });
  const a = b.add('Conv2D', { filters: 4, kernel_size: [3, 3], padding: 'same' }, [input], { id: 'a' });
  b.add('Add', {}, [a, input], { id: 'sum' });
  return b.build();
}

const none = new Set<string>();

describe('flow adapter: nodes', () => {
  it('derives one layer node per design node, at its position, with kind, label, summary, shape and params from inference', () => {
    const design = mnistish();
    const inference = inferShapes(design);
    const nodes = createFlowAdapter().nodes(design, inference, false, none);
    expect(nodes.map((n) => n.id)).toEqual(design.nodes.map((n) => n.id));
    const conv = nodes.find((n) => n.id === 'conv')!;
    const designConv = design.nodes.find((n) => n.id === 'conv')!;
    expect(conv.type).toBe('layer');
    expect(conv.position).toEqual(designConv.position);
    expect(conv.data.kind).toBe('Conv2D');
    expect(conv.data.label).toBe('C1');
    expect(conv.data.category).toBe('convolution');
    expect(conv.data.summary).toBe('8 × 5×5 · s1 · valid · relu');
    // 28 − 5 + 1 = 24; 8 filters of 5·5·1 weights plus a bias each = 208.
    expect(conv.data.shape).toBe('24×24×8');
    expect(conv.data.params).toEqual({ trainable: inference.nodes.get('conv')!.trainableParams, nonTrainable: 0 });
    expect(conv.data.params!.trainable).toBe(208);
    expect(conv.ariaLabel).toBe('C1 (conv, Conv2D)');
    expect(nodes.find((n) => n.id === 'pool')!.ariaLabel).toBe('pool (MaxPool2D)');
  });

  it('writes shapes channels-first when asked (PyTorch order), vectors unchanged', () => {
    const design = mnistish();
    const nodes = createFlowAdapter().nodes(design, inferShapes(design), true, none);
    expect(nodes.find((n) => n.id === 'in')!.data.shape).toBe('1×28×28');
    expect(nodes.find((n) => n.id === 'conv')!.data.shape).toBe('8×24×24');
    expect(nodes.find((n) => n.id === 'flat')!.data.shape).toBe(String(12 * 12 * 8));
  });

  it('marks Input as taking no input and merges as taking several', () => {
    const design = residual();
    const nodes = createFlowAdapter().nodes(design, inferShapes(design), false, none);
    const byId = new Map(nodes.map((n) => [n.id, n.data]));
    expect(byId.get('in')).toMatchObject({ takesInput: false, merge: false });
    expect(byId.get('a')).toMatchObject({ takesInput: true, merge: false });
    expect(byId.get('sum')).toMatchObject({ takesInput: true, merge: true });
  });

  it('carries the issues of a layer that does not fit, with the worst severity and no shape or params', () => {
    const b = new DesignBuilder('too big');
    const input = b.add('Input', { shape: [3, 3, 1] }, [], { id: 'in' });
    b.add('Conv2D', { filters: 4, kernel_size: [5, 5], padding: 'valid' }, [input], { id: 'conv' });
    const design = b.build();
    const inference = inferShapes(design);
    const conv = createFlowAdapter().nodes(design, inference, false, none).find((n) => n.id === 'conv')!;
    expect(conv.data.issues).toBe(inference.nodes.get('conv')!.issues);
    expect(conv.data.issues.length).toBeGreaterThan(0);
    expect(conv.data.severity).toBe('error');
    expect(conv.data.shape).toBeNull();
    expect(conv.data.params).toBeNull();
  });

  it('selects the nodes in the selection, and only those', () => {
    const design = mnistish();
    const nodes = createFlowAdapter().nodes(design, inferShapes(design), false, new Set(['conv', 'out']));
    expect(nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['conv', 'out']);
  });

  it('keeps the node object of every layer an edit did not touch, and renews only the touched ones', () => {
    const session = new InferenceSession();
    const adapter = createFlowAdapter();
    const before = mnistish();
    const first = adapter.nodes(before, session.update(before), false, none);
    const after = updateParams(before, 'conv', { filters: 16 });
    const second = adapter.nodes(after, session.update(after), false, none);
    const changed = second.filter((n, i) => n !== first[i]).map((n) => n.id);
    // conv's face changed and everything downstream carries its new channel count; the Input did not change.
    expect(changed).toEqual(['conv', 'pool', 'flat', 'out']);
    expect(second.find((n) => n.id === 'conv')!.data.shape).toBe('24×24×16');
  });

  it('a move renews only the moved node, and a selection change keeps the face data', () => {
    const session = new InferenceSession();
    const adapter = createFlowAdapter();
    const design = mnistish();
    const first = adapter.nodes(design, session.update(design), false, none);
    const moved = moveNodes(design, new Map([['pool', { x: 300, y: 220 }]]));
    const second = adapter.nodes(moved, session.update(moved), false, none);
    expect(second.filter((n, i) => n !== first[i]).map((n) => n.id)).toEqual(['pool']);
    expect(second.find((n) => n.id === 'pool')!.position).toEqual({ x: 300, y: 220 });

    const third = adapter.nodes(moved, session.update(moved), false, new Set(['flat']));
    const flat = third.find((n) => n.id === 'flat')!;
    expect(flat).not.toBe(second.find((n) => n.id === 'flat'));
    expect(flat.selected).toBe(true);
    expect(flat.data).toBe(second.find((n) => n.id === 'flat')!.data);
  });

  it('gives an added layer its own node and leaves the others alone', () => {
    const session = new InferenceSession();
    const adapter = createFlowAdapter();
    const design = mnistish();
    const first = adapter.nodes(design, session.update(design), false, none);
    const { design: next, id } = addNode(design, 'Dropout', { position: { x: 400, y: 0 } });
    const second = adapter.nodes(next, session.update(next), false, new Set([id]));
    expect(second.slice(0, first.length)).toEqual(first);
    expect(second.slice(0, first.length).every((n, i) => n === first[i])).toBe(true);
    expect(second.at(-1)).toMatchObject({ id, selected: true, data: { kind: 'Dropout', shape: null, severity: 'error' } });
  });
});

describe('flow adapter: edges', () => {
  it('labels each edge with the shape its source produces, in either layout', () => {
    const design = mnistish();
    const inference = inferShapes(design);
    const adapter = createFlowAdapter();
    const edges = adapter.edges(design, inference, false);
    expect(edges.map((e) => e.id)).toEqual(design.edges.map((e) => e.id));
    const convToPool = edges.find((e) => e.source === 'conv' && e.target === 'pool')!;
    expect(convToPool).toMatchObject({ type: 'shape', data: { shape: '24×24×8', slot: null } });
    expect(convToPool.ariaLabel).toBe('conv → pool: 24×24×8');
    expect(adapter.edges(design, inference, true).find((e) => e.id === convToPool.id)!.data!.shape).toBe('8×24×24');
  });

  it('numbers the inputs of a merge layer by slot, from 1', () => {
    const design = residual();
    const edges = createFlowAdapter().edges(design, inferShapes(design), false);
    const into = edges.filter((e) => e.target === 'sum').map((e) => [e.source, e.data!.slot]);
    expect(into).toEqual([
      ['a', 1],
      ['in', 2],
    ]);
    expect(edges.find((e) => e.target === 'a')!.data!.slot).toBeNull();
  });

  it('has no shape to show behind a layer that failed', () => {
    const b = new DesignBuilder('too big');
    const input = b.add('Input', { shape: [3, 3, 1] }, [], { id: 'in' });
    const conv = b.add('Conv2D', { filters: 4, kernel_size: [5, 5], padding: 'valid' }, [input], { id: 'conv' });
    b.add('Flatten', {}, [conv], { id: 'flat' });
    const design = b.build();
    const edges = createFlowAdapter().edges(design, inferShapes(design), false);
    expect(edges.find((e) => e.source === 'in')!.data!.shape).toBe('3×3×1');
    expect(edges.find((e) => e.source === 'conv')!.data!.shape).toBeNull();
  });

  it('keeps the edge objects whose source shape did not change', () => {
    const session = new InferenceSession();
    const adapter = createFlowAdapter();
    const before = mnistish();
    const first = adapter.edges(before, session.update(before), false);
    const after = updateParams(before, 'out', { units: 5 });
    const second = adapter.edges(after, session.update(after), false);
    expect(second.every((e, i) => e === first[i])).toBe(true);
    const wider = updateParams(before, 'conv', { filters: 16 });
    const third = adapter.edges(wider, session.update(wider), false);
    expect(third.filter((e, i) => e !== first[i]).map((e) => e.id)).toEqual(['conv->pool', 'pool->flat', 'flat->out']);
  });
});

describe('reconciling derived nodes with the canvas copy', () => {
  const design = mnistish();
  const derived = createFlowAdapter().nodes(design, inferShapes(design), false, none);
  const measured = (n: LayerFlowNode): LayerFlowNode => ({ ...n, measured: { width: 200, height: 70 } });

  it('keeps a local node that already shows the derived face, position and selection (what React Flow measured)', () => {
    const local = derived.map(measured);
    const out = reconcileNodes(derived, local);
    expect(out.every((n, i) => n === local[i])).toBe(true);
  });

  it('takes the derived node where it changed, keeping the measured size', () => {
    const local = derived.map(measured);
    const next = derived.map((n) => (n.id === 'pool' ? { ...n, position: { x: 50, y: 50 } } : n));
    const out = reconcileNodes(next, local);
    const pool = out.find((n) => n.id === 'pool')!;
    expect(pool.position).toEqual({ x: 50, y: 50 });
    expect(pool.measured).toEqual({ width: 200, height: 70 });
    expect(out.filter((n, i) => n !== local[i]).map((n) => n.id)).toEqual(['pool']);
  });

  it('leaves a node that is being dragged where the pointer has it', () => {
    const local = derived.map((n) => (n.id === 'conv' ? { ...measured(n), position: { x: 99, y: 99 }, dragging: true } : measured(n)));
    const selected = derived.map((n) => (n.id === 'conv' ? { ...n, selected: true } : n));
    const conv = reconcileNodes(selected, local).find((n) => n.id === 'conv')!;
    expect(conv.position).toEqual({ x: 99, y: 99 });
    expect(conv.selected).toBe(true);
    expect(conv.dragging).toBe(true);
  });

  it('drops nodes the design no longer has and adds new ones', () => {
    const local = derived.map(measured);
    const out = reconcileNodes(derived.filter((n) => n.id !== 'flat'), local);
    expect(out.map((n) => n.id)).toEqual(['in', 'conv', 'pool', 'out']);
  });

  it('keeps the selection of edges, which only the canvas knows', () => {
    const edges = createFlowAdapter().edges(design, inferShapes(design), false);
    const local: ShapeFlowEdge[] = edges.map((e) => (e.id === 'conv->pool' ? { ...e, selected: true } : e));
    const wider = updateParams(design, 'conv', { filters: 16 });
    const next = createFlowAdapter().edges(wider, inferShapes(wider), false);
    const out = reconcileEdges(next, local);
    expect(out.find((e) => e.id === 'conv->pool')).toMatchObject({ selected: true, data: { shape: '24×24×16' } });
    expect(out.find((e) => e.id === 'in->conv')!.selected).toBeFalsy();
  });
});

describe('the first view of a design', () => {
  it('frames a small design whole, centred, at no more than 100 %', () => {
    const bounds = designBounds(mnistish().nodes)!;
    const view = initialViewport(bounds, { width: 800, height: 700 });
    expect(view.zoom).toBeGreaterThan(0.6);
    expect(view.zoom).toBeLessThanOrEqual(1);
    // Both ends of the column are on screen.
    expect(bounds.y * view.zoom + view.y).toBeGreaterThanOrEqual(0);
    expect((bounds.y + bounds.height) * view.zoom + view.y).toBeLessThanOrEqual(700);
    expect((bounds.x + bounds.width / 2) * view.zoom + view.x).toBeCloseTo(400);
  });

  it('shows the top of a tall design at a readable zoom rather than shrinking it to a line', () => {
    const nodes = Array.from({ length: 150 }, (_, i) => ({ position: { x: 0, y: i * 110 } }));
    const bounds = designBounds(nodes)!;
    const view = initialViewport(bounds, { width: 800, height: 700 });
    expect(view.zoom).toBe(0.6);
    expect(view.y).toBe(24);
  });

  it('has no bounds for an empty design', () => {
    expect(designBounds([])).toBeNull();
  });
});

describe('palette', () => {
  it('lists every layer kind once, grouped in the teaching order of the categories', () => {
    const groups = paletteGroups('en', '');
    const kinds = groups.flatMap((g) => g.items.map((i) => i.kind));
    expect([...kinds].sort()).toEqual([...LAYER_KINDS].sort());
    expect(groups.map((g) => g.category)).toEqual(CATEGORY_ORDER.filter((c) => groups.some((g) => g.category === c)));
    expect(groups[0]).toMatchObject({ category: 'input', items: [{ kind: 'Input' }] });
  });

  it('filters by kind name, case-insensitively', () => {
    expect(paletteGroups('en', 'conv2dtranspose').flatMap((g) => g.items.map((i) => i.kind))).toEqual(['Conv2DTranspose']);
    expect(paletteGroups('en', 'MAXPOOL').flatMap((g) => g.items.map((i) => i.kind))).toEqual(['MaxPool2D', 'GlobalMaxPool2D']);
  });

  it('filters by the translated description, ignoring accents', () => {
    const en = paletteGroups('en', 'filters slides').flatMap((g) => g.items.map((i) => i.kind));
    expect(en).toContain('Conv2D');
    const es = paletteGroups('es', 'filtros aprendidos').flatMap((g) => g.items.map((i) => i.kind));
    expect(es).toContain('Conv2D');
    expect(paletteGroups('es', 'filtros aprendidos')).toEqual(paletteGroups('es', 'FILTROS aprendídos'));
  });

  it('finds a category by its translated name and returns nothing for nonsense', () => {
    const names = { input: 'Entrada', convolution: 'Convolución', pooling: 'Agrupación', dense: 'Densas', normalization: 'Normalización', activation: 'Activación', merge: 'Unión de ramas', reshape: 'Cambio de forma' } as const;
    const merge = paletteGroups('es', 'unión de ramas', names);
    expect(merge.map((g) => g.category)).toEqual(['merge']);
    expect(paletteGroups('en', 'zzzz-no-such-layer')).toEqual([]);
  });
});
