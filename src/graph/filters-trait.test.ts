/**
 * The `filters` trait (what the Filters view draws) against each kind's declared weights, on seeded random
 * designs: the named weight exists, is a 4-D kernel [kh, kw, a, b], and its axes give as many output
 * channels as the node's output has.
 */
import { describe, expect, it } from 'vitest';
import { inferShapes } from './index.ts';
import { isLayerKind, LAYER_KINDS, layerSpec } from './layers/index.ts';
import { randomValidDesign } from './testing/random-design.ts';

describe('filters trait', () => {
  it('is set for exactly the kinds that slide learned kernels', () => {
    expect(LAYER_KINDS.filter((k) => layerSpec(k).filters).sort()).toEqual(['Conv2D', 'Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D']);
  });

  it('names a 4-D declared weight whose axes give the output channels, on 150 random designs', () => {
    let checked = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const design = randomValidDesign(seed);
      const inference = inferShapes(design);
      for (const node of design.nodes) {
        if (!isLayerKind(node.kind)) continue;
        const trait = layerSpec(node.kind).filters;
        const inf = inference.nodes.get(node.id)!;
        if (!trait || !inf.outputShape) continue;
        const weight = inf.weights.find((w) => w.name === trait.weight);
        expect(weight, `${node.kind} ${node.id} (seed ${seed})`).toBeDefined();
        const [kh, kw, a, b] = weight!.shape;
        expect(weight!.shape).toHaveLength(4);
        const cout = trait.axes === 'in-out' ? b : trait.axes === 'out-in' ? a : a * b;
        const outChannels = inf.outputShape[2];
        // SeparableConv2D's depthwise part feeds its pointwise part: its own outputs are in·multiplier.
        if (node.kind !== 'SeparableConv2D') expect(cout, `${node.kind} ${node.id} (seed ${seed})`).toBe(outChannels);
        expect(kh * kw).toBeGreaterThan(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
