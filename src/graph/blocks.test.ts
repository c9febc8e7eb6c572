import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockInference, checkBlocks, flattenBlocks, flattenDesign, MAX_FLAT_LAYERS } from './blocks.ts';
import { parseDesign, serializeDesign } from './file-format.ts';
import { inferShapes } from './infer.ts';
import { formatIssue } from './messages.ts';
import { BASIC_BLOCK, resnet18WithBlocks, twoPortDesign } from './testing/block-designs.ts';
import { loadTemplate, REPO_ROOT, templateFileNames, TEMPLATE_DIR } from './testing/templates.ts';
import { FORMAT_VERSION, type Design } from './types.ts';

function load(doc: unknown): Design {
  const r = parseDesign(doc);
  if (!r.ok) throw new Error(r.errors.map((e) => formatIssue(e)).join('\n'));
  return r.design;
}

function messages(doc: unknown, lang: 'en' | 'es' = 'en'): string[] {
  const r = parseDesign(doc);
  if (r.ok) throw new Error('expected the file to be refused');
  return r.errors.map((e) => formatIssue(e, lang));
}

const REFERENCE_FILE = path.resolve(REPO_ROOT, '../shared/reference/torchvision-summaries.json');

describe('file format version 2', () => {
  it('opens every template saved as version 1 into the same design as its current file (texts in English)', () => {
    for (const file of templateFileNames()) {
      // A version-1 file had no blocks: the block templates' v1 form is their unfolded network.
      const current = JSON.parse(serializeDesign(loadTemplate(file)));
      // Version 1 had one plain text per field (format version 3 made them per language).
      const v1 = { ...current, version: 1, description: current.description.en, notes: current.notes.en };
      const { description, notes } = loadTemplate(file);
      expect({ ...load(v1), description, notes }, file).toEqual(loadTemplate(file));
      expect(load(v1).notes).toEqual({ en: notes!.en });
      expect(load(v1).version).toBe(FORMAT_VERSION);
    }
  });

  it('saves the new version and reads its blocks back unchanged', () => {
    const design = load(resnet18WithBlocks());
    const text = serializeDesign(design);
    expect(JSON.parse(text).version).toBe(FORMAT_VERSION);
    expect(load(text)).toEqual(design);
    expect(design.blocks?.[0].nodes.find((n) => n.id === 'downsample.0')?.when).toBe('downsample');
  });

  it('loads weights saved under the unfolded layer names', () => {
    const design = load(twoPortDesign());
    const flat = flattenDesign(design);
    const inference = inferShapes(flat);
    const kernel = inference.nodes.get('c1')!.weights;
    const tensors = { c1: Object.fromEntries(kernel.map((w) => [w.name, { shape: w.shape, data: Float32Array.from({ length: w.shape.reduce((a, b) => a * b, 1) }, (_, i) => i) }])) };
    const r = parseDesign(serializeDesign(design, new Map(Object.entries(tensors))));
    expect(r.ok && r.warnings).toEqual([]);
    expect(r.ok && r.weights?.get('c1')?.kernel.data[5]).toBe(5);
  });
});

describe('flattenDesign', () => {
  it('leaves a design without blocks as the very same object', () => {
    const design = loadTemplate('lenet-5.json');
    expect(flattenDesign(design)).toBe(design);
  });

  it('unfolds ResNet-18 from blocks into torchvision\'s module names, shapes and parameter counts', () => {
    if (!existsSync(REFERENCE_FILE)) throw new Error(`The torchvision reference is missing: ${REFERENCE_FILE}`);
    const ref = JSON.parse(readFileSync(REFERENCE_FILE, 'utf8')).resnet18 as {
      trainable: number;
      layers: { module: string; type: string; out: number[]; params: number }[];
    };
    const flat = flattenDesign(load(resnet18WithBlocks()));
    const inference = inferShapes(flat);
    expect(inference.totals.errors).toBe(0);
    let matched = 0;
    for (const row of ref.layers) {
      if (row.params === 0) continue;
      const node = inference.nodes.get(row.module);
      expect(node, row.module).toBeDefined();
      expect(node!.trainableParams, row.module).toBe(row.params);
      const [, c, h, w] = row.out.length === 4 ? row.out : [0, row.out[1], null, null];
      expect(node!.outputShape, row.module).toEqual(h === null ? [c] : [h, w, c]);
      matched++;
    }
    expect(matched).toBe(ref.layers.filter((r) => r.params > 0).length);
    expect(inference.totals.trainableParams).toBe(ref.trainable);
    // Only the first copy of stages 2–4 has a downsample branch; copy 1 bypasses it.
    const ids = new Set(flat.nodes.map((n) => n.id));
    expect(['layer1.0.downsample.0', 'layer2.1.downsample.0', 'layer2.0.downsample.0'].map((id) => ids.has(id))).toEqual([false, false, true]);
    expect(flat.edges.find((e) => e.target === 'layer2.1.add' && e.targetSlot === 1)?.source).toBe('layer2.0.relu_out');
  });

  it('sums each instance and each copy from the flat inference', () => {
    const unfolded = flattenBlocks(load(resnet18WithBlocks()));
    const inference = inferShapes(unfolded.design);
    const summary = blockInference(unfolded, inference);
    expect(summary.map((s) => s.path).slice(0, 4)).toEqual(['layer1', 'layer1.0', 'layer1.1', 'layer2']);
    const layer2 = summary.find((s) => s.path === 'layer2')!;
    expect(layer2).toMatchObject({ block: 'BasicBlock', repeat: 2, depth: 0, inputShapes: [[56, 56, 64]], outputShapes: [[28, 28, 128]] });
    const direct = [...inference.nodes.values()].filter((n) => n.id.startsWith('layer2.')).reduce((a, n) => a + n.trainableParams, 0);
    expect(layer2.trainableParams).toBe(direct);
    const copies = summary.filter((s) => s.path.startsWith('layer2.'));
    expect(copies.map((c) => c.trainableParams).reduce((a, b) => a + b)).toBe(layer2.trainableParams);
    expect(copies.map((c) => c.depth)).toEqual([1, 1]);
  });

  it('wires block inputs and outputs by port name', () => {
    const flat = flattenDesign(load(twoPortDesign()));
    const inference = inferShapes(flat);
    expect(inference.totals.errors).toBe(0);
    expect(inference.nodes.get('mix.cat')!.inputShapes).toEqual([[8, 8, 3], [8, 8, 3]]);
    const into = (id: string) => flat.edges.filter((e) => e.target === id).sort((a, b) => a.targetSlot! - b.targetSlot!).map((e) => e.source);
    expect(into('mix.cat')).toEqual(['c1', 'in']);
    expect(into('mix.add')).toEqual(['in', 'c1']);
    expect(into('gap')).toEqual(['mix.cat']);
  });

  it('infers a repeat exactly as the same copies chained by hand', () => {
    const repeated = load({ ...resnet18WithBlocks(), name: 'r' });
    const unrolled: Design = {
      ...repeated,
      instances: repeated.instances!.flatMap((inst) =>
        [0, 1].map((k) => ({ id: `${inst.id}_${k}`, block: inst.block, args: { ...inst.args, ...inst.overrides?.[String(k)] }, position: inst.position })),
      ),
      edges: repeated.edges.flatMap((e) => {
        const out = (id: string) => (/^layer\d$/.test(id) ? `${id}_1` : id);
        const inn = (id: string) => (/^layer\d$/.test(id) ? `${id}_0` : id);
        const chain = /^layer\d$/.test(e.target) ? [{ id: `${e.target}-chain`, source: `${e.target}_0`, target: `${e.target}_1` }] : [];
        return [{ ...e, source: out(e.source), target: inn(e.target) }, ...chain];
      }),
    };
    const a = inferShapes(flattenDesign(repeated));
    const b = inferShapes(flattenDesign(unrolled));
    expect(a.nodes.size).toBe(b.nodes.size);
    for (const [id, n] of a.nodes) {
      const twin = b.nodes.get(id.replace(/^(layer\d)\.(\d)\./, '$1_$2.'))!;
      expect({ shape: twin.outputShape, params: twin.trainableParams, macs: twin.macs }, id).toEqual({ shape: n.outputShape, params: n.trainableParams, macs: n.macs });
    }
  });
});

describe('block rules', () => {
  const base = () => resnet18WithBlocks() as Record<string, unknown> & { blocks: (typeof BASIC_BLOCK)[]; instances: Record<string, unknown>[] };

  it('refuses a block that contains itself, naming the loop', () => {
    const doc = base();
    const inner = { id: 'Outer', inputs: ['x'], outputs: [{ name: 'y', source: 'b' }], nodes: [], instances: [{ id: 'b', block: 'Inner' }], edges: [{ source: 'x', target: 'b' }] };
    const innermost = { ...inner, id: 'Inner', instances: [{ id: 'b', block: 'Outer' }] };
    expect(messages({ ...doc, blocks: [...doc.blocks, inner, innermost] })).toEqual([
      'Block Outer contains itself (Outer → Inner → Outer); a block cannot hold a copy of itself',
    ]);
  });

  it('refuses nesting deeper than 8 levels, naming the path', () => {
    const doc = base();
    const chain = Array.from({ length: 9 }, (_, i) => ({
      id: `L${i}`,
      inputs: ['x'],
      outputs: [{ name: 'y', source: 'c' }],
      nodes: [{ id: 'd', kind: 'Dropout', params: {} }],
      instances: i < 8 ? [{ id: 'c', block: `L${i + 1}` }] : [],
      edges: i < 8 ? [{ source: 'x', target: 'c' }] : [{ source: 'x', target: 'd' }],
    }));
    chain[8].outputs = [{ name: 'y', source: 'd' }];
    expect(messages({ ...doc, blocks: [...doc.blocks, ...chain] })).toEqual([
      'Blocks nest 9 levels deep at L0 → L1 → L2 → L3 → L4 → L5 → L6 → L7 → L8; the limit is 8',
    ]);
  });

  it('refuses a design that unfolds past the layer limit before unfolding it, naming the biggest part', () => {
    const doc = base();
    const big = (id: string, inner: string | null) => ({
      id,
      inputs: ['x'],
      outputs: [{ name: 'y', source: 'c' }],
      nodes: inner ? [] : [{ id: 'c', kind: 'Dropout', params: {} }],
      instances: inner ? [{ id: 'c', block: inner, repeat: 1000 }] : [],
      edges: [{ source: 'x', target: 'c' }],
    });
    // 1000 × 1000 × 1000 layers (a billion): counted, never built.
    const huge = { ...doc, blocks: [...doc.blocks, big('A', 'B'), big('B', 'C'), big('C', null)], instances: [...doc.instances, { id: 'boom', block: 'A', repeat: 1000 }] };
    const started = performance.now();
    expect(messages(huge)).toEqual([`Unfolded, the design has 1000000079 layers (boom (A ×1000) alone has 1000000000); the limit is ${MAX_FLAT_LAYERS}`]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(messages(huge, 'es')[0]).toMatch(/^Desplegado, el diseño tiene 1000000079 capas/);
  });

  it('names what is wrong in a block: unknown blocks, ports, arguments, repeats of multi-port blocks', () => {
    const doc = twoPortDesign() as Record<string, unknown> & { instances: Record<string, unknown>[]; edges: Record<string, unknown>[] };
    expect(messages({ ...doc, instances: [{ ...doc.instances[0], block: 'Nope' }] })).toEqual(['mix: uses block "Nope", which is not defined']);
    expect(messages({ ...doc, edges: [...doc.edges.slice(0, 3), { source: 'mix', sourcePort: 'diff', target: 'gap' }] })).toEqual([
      'design, e3:mix->gap: mix has no output port named "diff"',
    ]);
    expect(messages({ ...doc, instances: [{ ...doc.instances[0], args: { width: 3 } }] })).toEqual(['mix: block Mix has no argument "width"']);
    expect(messages({ ...doc, instances: [{ ...doc.instances[0], repeat: 3 }] })).toEqual([
      'mix: only a block with one input and one output can repeat; Mix has 2 input(s) and 2 output(s)',
    ]);
    const fedTwice = { ...doc, edges: [...doc.edges, { source: 'c1', target: 'mix', targetPort: 'a' }] };
    expect(messages(fedTwice)).toEqual(['design: input "a" of mix is fed twice; a block input reads one layer']);
    const outside = load(twoPortDesign());
    expect(checkBlocks({ ...outside, nodes: outside.nodes.map((n) => (n.id === 'c1' ? { ...n, when: 'flag' } : n)) }).map((i) => formatIssue(i, 'es'))).toEqual([
      'c1: "when" solo tiene sentido dentro de la definición de un bloque',
    ]);
  });

  it('refuses a flattened id that clashes with a top-level layer', () => {
    const doc = twoPortDesign() as Record<string, unknown> & { nodes: Record<string, unknown>[] };
    expect(messages({ ...doc, nodes: [...doc.nodes, { id: 'mix.add', kind: 'Dropout', params: {} }] })).toEqual([
      'Unfolding the blocks makes two layers named "mix.add"; rename the layer or the block',
    ]);
  });

  it('reports a cycle through blocks on the unfolded layers', () => {
    const doc = twoPortDesign() as Record<string, unknown> & { edges: Record<string, unknown>[] };
    const looped = { ...doc, edges: [...doc.edges.filter((e) => e.target !== 'c1'), { source: 'mix', sourcePort: 'sum', target: 'c1' }] };
    expect(messages(looped)[0]).toMatch(/is part of a cycle \(.*mix\.add.*\)/);
  });
});
