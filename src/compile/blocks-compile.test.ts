/**
 * Blocks against tfjs: a design with blocks compiles (through its unfolded layers) to a model whose every
 * layer has the shape and parameter count src/graph inferred, and grouping layers changes nothing the
 * network computes: the grouped and the plain design, given the same weights, give the same outputs.
 * That catches what shape inference cannot see, such as the order of a Concatenate's inputs.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupIntoBlock } from '../graph/block-edit.ts';
import { flattenDesign } from '../graph/blocks.ts';
import { parseDesign } from '../graph/file-format.ts';
import { buildTopology } from '../graph/topology.ts';
import { resnet18WithBlocks, twoPortDesign } from '../graph/testing/block-designs.ts';
import { randomValidDesign } from '../graph/testing/random-design.ts';
import { Rng } from '../graph/testing/rng.ts';
import type { Design } from '../graph/types.ts';
import { compileDesign, type CompiledModel } from './compile.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function load(doc: unknown): Design {
  const r = parseDesign(doc);
  if (!r.ok) throw new Error('fixture does not load');
  return r.design;
}

async function compiled(design: Design): Promise<CompiledModel> {
  const r = await compileDesign(design);
  if (!r.ok) throw new Error(`compile refused: ${r.error ?? r.issues.map((i) => i.code).join(', ')}`);
  return r;
}

function layerMismatches(built: CompiledModel, design: Design): string[] {
  const out: string[] = [];
  for (const node of flattenDesign(design).nodes) {
    const info = built.inference.nodes.get(node.id)!;
    const layers = built.chainNames.get(node.id)!.map((name) => built.model.getLayer(name));
    const shape = (layers.at(-1)!.outputShape as (number | null)[]).slice(1);
    if (JSON.stringify(shape) !== JSON.stringify(info.outputShape)) out.push(`${node.id}: ${JSON.stringify(shape)} vs ${JSON.stringify(info.outputShape)}`);
    const params = layers.reduce((a, l) => a + l.countParams(), 0);
    if (params !== info.trainableParams + info.nonTrainableParams) out.push(`${node.id}: ${params} params vs ${info.trainableParams + info.nonTrainableParams}`);
  }
  return out;
}

/** Outputs of `a` and `b` on the same random inputs, `b` given `a`'s weights node by node (`idInB` maps ids). */
function sameOutputs(a: CompiledModel, b: CompiledModel, idInB: (id: string) => string, seed: number): number {
  for (const [id, names] of a.chainNames) {
    const twin = b.chainNames.get(idInB(id))!;
    names.forEach((name, i) => b.model.getLayer(twin[i]).setWeights(a.model.getLayer(name).getWeights()));
  }
  const rng = new Rng(seed);
  const xs = a.model.inputs.map((t) => {
    const shape = [2, ...t.shape.slice(1)] as number[];
    return tf.tensor(rng.values(shape.reduce((x, y) => x * y, 1)), shape);
  });
  // Inputs are matched by node id: the same Input layers feed both models.
  const inputIds = a.model.inputs.map((t) => [...a.layerNames].find(([, name]) => name === t.sourceLayer.name)![0]);
  const xsB = b.model.inputs.map((t) => {
    const id = [...b.layerNames].find(([, name]) => name === t.sourceLayer.name)![0];
    return xs[inputIds.findIndex((x) => idInB(x) === id)];
  });
  const ya = [a.model.predict(xs.length === 1 ? xs[0] : xs)].flat();
  const yb = [b.model.predict(xsB.length === 1 ? xsB[0] : xsB)].flat();
  const outIdsA = a.model.outputs.map((t) => [...a.layerNames].find(([, name]) => t.sourceLayer.name === name)?.[0]);
  let worst = 0;
  b.model.outputs.forEach((t, j) => {
    const id = [...b.layerNames].find(([, name]) => t.sourceLayer.name === name)?.[0];
    const i = outIdsA.findIndex((x) => x !== undefined && idInB(x) === id);
    const diff = tf.max(tf.abs(tf.sub(ya[i], yb[j]))).dataSync()[0];
    worst = Math.max(worst, Number.isNaN(diff) ? Infinity : diff);
  });
  return worst;
}

describe('blocks compiled by tfjs', () => {
  it('ResNet-18 from blocks: every unfolded layer has the inferred shape and parameter count', async () => {
    const doc = resnet18WithBlocks() as { nodes: { id: string; params: Record<string, unknown> }[] };
    doc.nodes[0].params = { shape: [32, 32, 3] };
    const design = load(doc);
    const built = await compiled(design);
    expect(layerMismatches(built, design)).toEqual([]);
    expect(built.model.countParams()).toBe(built.inference.totals.totalParams);
    built.model.dispose();
  });

  it('a two-port block feeds its Concatenate in port order, exactly as the plain layers do', async () => {
    const grouped = load(twoPortDesign());
    const plain: Design = {
      ...grouped,
      blocks: undefined,
      instances: undefined,
      nodes: [...grouped.nodes, ...grouped.blocks![0].nodes],
      edges: [
        { id: 'a', source: 'in', target: 'c1' },
        { id: 'b', source: 'in', target: 'add', targetSlot: 0 },
        { id: 'c', source: 'c1', target: 'add', targetSlot: 1 },
        { id: 'd', source: 'c1', target: 'cat', targetSlot: 0 },
        { id: 'e', source: 'in', target: 'cat', targetSlot: 1 },
        { id: 'f', source: 'cat', target: 'gap' },
      ],
    };
    const a = await compiled(plain);
    const b = await compiled(grouped);
    expect(sameOutputs(a, b, (id) => (id === 'add' || id === 'cat' ? `mix.${id}` : id), 1)).toBeLessThan(1e-6);
    a.model.dispose();
    b.model.dispose();
  });

  it('30 random designs, grouped at random, compute the same outputs as before with the same weights', async () => {
    for (let seed = 0; seed < 30; seed++) {
      const plain = randomValidDesign(seed);
      const rng = new Rng(500 + seed);
      const order = [...buildTopology(plain).order];
      const at = rng.int(0, order.length - 1);
      const picked = order.slice(at, at + rng.int(1, 6));
      const g = groupIntoBlock(plain, picked);
      if (!g.ok) throw new Error(`seed ${seed}: grouping refused`);
      const inside = new Set(picked);
      const a = await compiled(plain);
      const b = await compiled(g.design);
      expect(sameOutputs(a, b, (id) => (inside.has(id) ? `${g.id}.${id}` : id), seed), `seed ${seed}`).toBeLessThan(1e-5);
      a.model.dispose();
      b.model.dispose();
    }
  });
});
