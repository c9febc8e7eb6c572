/**
 * Auto-grouping is structure only: whatever paths it is given, the grouped design must unfold to the flat
 * design's layers (under their path ids) with the same inference per layer (kind, params, output shape,
 * parameter counts) and the same connections, and weights must follow the ids.
 */
import { describe, expect, it } from 'vitest';
import { autoBlocks } from './auto-blocks.ts';
import { flattenBlocks, flattenDesign } from './blocks.ts';
import { inferShapes } from './infer.ts';
import { parseDesign } from './file-format.ts';
import type { Design } from './types.ts';
import { resnet18WithBlocks } from './testing/block-designs.ts';
import { randomValidDesign } from './testing/random-design.ts';
import { randomDesignWeights } from './testing/random-weights.ts';
import { Rng } from './testing/rng.ts';

function expectSameNetwork(flat: Design, grouped: ReturnType<typeof autoBlocks>, label: string): void {
  const unfolded = flattenBlocks(grouped.design);
  expect(unfolded.issues, `${label}: block issues`).toEqual([]);
  const a = inferShapes(flat);
  const b = inferShapes(unfolded.design);
  expect(unfolded.design.nodes.length, `${label}: layer count`).toBe(flat.nodes.length);
  const inputsOf = (d: Design, rename: (id: string) => string) => {
    const m = new Map<string, string[]>();
    for (const e of [...d.edges].sort((x, y) => (x.targetSlot ?? 0) - (y.targetSlot ?? 0))) {
      const t = rename(e.target);
      m.set(t, [...(m.get(t) ?? []), rename(e.source)]);
    }
    return m;
  };
  const was = inputsOf(flat, (id) => grouped.ids.get(id)!);
  const now = inputsOf(unfolded.design, (id) => id);
  for (const n of flat.nodes) {
    const id = grouped.ids.get(n.id)!;
    const x = a.nodes.get(n.id)!;
    const y = b.nodes.get(id);
    expect(y, `${label}: ${n.id} → ${id} exists`).toBeDefined();
    expect([y!.kind, y!.params, y!.outputShape, y!.trainableParams, y!.nonTrainableParams], `${label}: ${id}`).toEqual([
      x.kind,
      x.params,
      x.outputShape,
      x.trainableParams,
      x.nonTrainableParams,
    ]);
    expect(now.get(id) ?? [], `${label}: inputs of ${id}`).toEqual(was.get(id) ?? []);
  }
}

describe('autoBlocks groups a flat design by module paths', () => {
  const parsed = parseDesign(JSON.stringify(resnet18WithBlocks()));
  if (!parsed.ok) throw new Error('fixture');
  const flat = flattenDesign(parsed.design);
  const paths = new Map(flat.nodes.map((n) => [n.id, n.id.split('.')]));

  it('a flat ResNet-18 named by module paths comes back as ≤ 15 top-level nodes, stages sharing definitions, layer1 a repeat', () => {
    const weights = randomDesignWeights(inferShapes(flat), 3);
    const r = autoBlocks(flat, paths, weights);
    expect(r.grouped).toBe(true);
    expect(r.design.nodes.length + (r.design.instances ?? []).length).toBeLessThanOrEqual(15);
    const layer1 = r.design.instances!.find((i) => i.id === 'layer1')!;
    expect(layer1.repeat).toBe(2);
    // layer2.1 … layer4.1 have no downsample: each stage's second block is its own definition, used once;
    // the definitions are fewer than the groups.
    const groups = flattenBlocks(r.design).instances.length;
    expect(r.design.blocks!.length).toBeLessThan(groups);
    expectSameNetwork(flat, r, 'resnet-18');
    // Weights follow their layers: same tensors under the ids the flattened design has.
    for (const [id, w] of weights) expect(r.weights.get(r.ids.get(id)!)).toBe(w);
  });

  it('without paths, or with paths of one level, leaves the design flat', () => {
    expect(autoBlocks(flat, new Map()).grouped).toBe(false);
    expect(autoBlocks(flat, new Map(flat.nodes.map((n) => [n.id, [n.id.replace(/\./g, '_')]]))).grouped).toBe(false);
  });

  it('a module that a branch leaves and re-enters is dissolved (cycle between groups), the rest still grouped', () => {
    // a.p → b.q → a.r: groups a and b would read each other.
    const d = { ok: true, design: ({
        format: 'netcanvas',
        version: 4,
        name: 't',
        nodes: [
          { id: 'in', kind: 'Input', params: { shape: [8, 8, 3] }, position: { x: 0, y: 0 } },
          { id: 'p', kind: 'Conv2D', params: { filters: 4, kernel_size: [3, 3], padding: 'same' }, position: { x: 0, y: 0 } },
          { id: 'q', kind: 'BatchNormalization', params: {}, position: { x: 0, y: 0 } },
          { id: 'r', kind: 'Conv2D', params: { filters: 4, kernel_size: [3, 3], padding: 'same' }, position: { x: 0, y: 0 } },
          { id: 's', kind: 'BatchNormalization', params: {}, position: { x: 0, y: 0 } },
          { id: 't', kind: 'BatchNormalization', params: {}, position: { x: 0, y: 0 } },
        ],
        edges: [
          { id: '1', source: 'in', target: 'p' },
          { id: '2', source: 'p', target: 'q' },
          { id: '3', source: 'q', target: 'r' },
          { id: '4', source: 'r', target: 's' },
          { id: '5', source: 's', target: 't' },
        ],
      } as unknown as Design) };
    const r = autoBlocks(d.design, new Map([['p', ['a', 'p']], ['q', ['b', 'q']], ['r', ['a', 'r']], ['s', ['c', 's']], ['t', ['c', 't']]]));
    expect(r.grouped).toBe(true);
    expect(r.design.instances!.map((i) => i.id)).toEqual(['c']);
    expect(r.design.nodes.map((n) => n.id).sort()).toEqual(['a.p', 'a.r', 'b.q', 'in']);
    expectSameNetwork(d.design, r, 'cycle');
  });

  it('120 seeded random designs with random module paths unfold to the same network, never a throw', () => {
    let grouped = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const design = randomValidDesign(seed);
      const rng = new Rng(seed * 7919);
      const names = ['0', '1', '2', 'a', 'b'];
      const paths = new Map(
        design.nodes.map((n) => [n.id, [...Array.from({ length: rng.int(0, 3) }, () => names[rng.int(0, names.length - 1)]), n.id]] as const),
      );
      const r = autoBlocks(design, paths);
      if (r.grouped) grouped++;
      expectSameNetwork(design, r, `random design ${seed}`);
    }
    // The property is only worth something if most designs were actually grouped.
    expect(grouped).toBeGreaterThan(60);
  }, 120_000);
});
