import { describe, expect, it } from 'vitest';
import { applyFix } from './edit.ts';
import { DesignBuilder } from './builder.ts';
import { inferShapes } from './infer.ts';
import { LAYER_KINDS, layerSpec } from './layers/index.ts';
import { fusesActivation, linearStacks, startingParams } from './linear-layers.ts';
import { formatFixLabel, formatIssue, type Issue } from './messages.ts';
import type { Design } from './types.ts';

const stackIssues = (design: Design): Issue[] =>
  [...inferShapes(design).nodes.values()].flatMap((n) => n.issues.filter((i) => i.code === 'linear-stack'));

function mlp(first: string, second: string): Design {
  const b = new DesignBuilder('mlp');
  const x = b.add('Input', { shape: [28, 28, 1] }, [], { id: 'in' });
  b.chain(x, [
    ['Flatten', {}, { id: 'flat' }],
    ['Dense', { units: 64, activation: first }, { id: 'hidden' }],
    ['Dropout', {}, { id: 'drop' }],
    ['Dense', { units: 10, activation: second }, { id: 'out' }],
  ]);
  return b.build();
}

describe('linear stacks', () => {
  it('warns once, on the first layer, when two Dense layers with no activation meet through a Dropout', () => {
    const issues = stackIssues(mlp('linear', 'linear'));
    expect(issues).toHaveLength(1);
    expect(issues[0].nodeId).toBe('hidden');
    expect(issues[0].severity).toBe('warning');
    expect(formatIssue(issues[0], 'en')).toContain('hidden → out: these 2 layers compute one linear map');
    expect(formatIssue(issues[0], 'es')).toContain('estas 2 capas calculan una sola transformación lineal');
    expect(formatFixLabel(issues[0], 'en')).toBe('use ReLU in hidden');
  });

  it('says nothing when a non-linearity stands between them (an activation, a MaxPool, a ReLU)', () => {
    expect(stackIssues(mlp('relu', 'linear'))).toEqual([]);
    expect(stackIssues(mlp('linear', 'softmax'))).toEqual([]);
    const b = new DesignBuilder('pool between');
    b.chain(b.add('Input', { shape: [12, 12, 1] }), [
      ['Conv2D', { filters: 4, kernel_size: [3, 3] }],
      ['MaxPool2D', {}],
      ['Conv2D', { filters: 4, kernel_size: [3, 3] }],
      ['Activation', { activation: 'relu' }],
      ['Flatten', {}],
      ['Dense', { units: 3 }],
    ]);
    expect(stackIssues(b.build())).toEqual([]);
  });

  it('finds a stack of three through BatchNorm, average pooling and Flatten; the fix leaves only the last linear', () => {
    const b = new DesignBuilder('three');
    b.chain(b.add('Input', { shape: [12, 12, 1] }), [
      ['Conv2D', { filters: 4, kernel_size: [3, 3] }, { id: 'c1' }],
      ['BatchNorm', {}],
      ['AvgPool2D', {}],
      ['Conv2D', { filters: 4, kernel_size: [3, 3] }, { id: 'c2' }],
      ['Flatten', {}],
      ['Dense', { units: 3 }, { id: 'head' }],
    ]);
    const design = b.build();
    const [issue] = stackIssues(design);
    expect(issue.values).toMatchObject({ count: 3, nodes: 'c1 → c2 → head' });
    expect(formatFixLabel(issue, 'en')).toBe('use ReLU in all but the last');
    const fixed = applyFix(design, issue.nodeId!, issue.fix!);
    const act = (id: string) => fixed.nodes.find((n) => n.id === id)!.params.activation;
    expect([act('c1'), act('c2'), act('head')]).toEqual(['relu', 'relu', 'linear']);
    expect(stackIssues(fixed)).toEqual([]);
  });

  it('ends a stack at a fork or a merge, and never loops on a cycle', () => {
    const b = new DesignBuilder('fork');
    const x = b.add('Input', { shape: [8] });
    const d = b.add('Dense', { units: 8 }, [x], { id: 'd' });
    const l = b.add('Dense', { units: 8 }, [d], { id: 'l' });
    const r = b.add('Dense', { units: 8 }, [d], { id: 'r' });
    b.add('Add', {}, [l, r]);
    const info = () => ({ params: { activation: 'linear' }, inWidth: 8, outWidth: 8 });
    expect(linearStacks(b.build(), info)).toEqual([]);
    const cyclic: Design = { ...b.build(), edges: [...b.build().edges, { id: 'back', source: 'l', target: 'd' }] };
    expect(() => linearStacks(cyclic, info)).not.toThrow();
  });

  it('leaves a deliberate bottleneck alone (narrower than both its input and the next layer, as in MobileNetV2)', () => {
    const b = new DesignBuilder('bottleneck');
    b.chain(b.add('Input', { shape: [8, 8, 32] }), [
      ['Conv2D', { filters: 16, kernel_size: [1, 1] }, { id: 'project' }],
      ['BatchNorm', {}],
      ['Conv2D', { filters: 96, kernel_size: [1, 1] }, { id: 'expand' }],
      ['Activation', { activation: 'relu6' }],
    ]);
    expect(stackIssues(b.build())).toEqual([]);
  });

  it('starts hand-placed layers with ReLU exactly where the kind fuses an activation', () => {
    for (const kind of LAYER_KINDS) {
      const fused = fusesActivation(kind);
      expect(fused, kind).toBe(layerSpec(kind).flow.linear === 'by-activation');
      expect(startingParams(kind)).toEqual(fused ? { activation: 'relu' } : {});
    }
    expect(fusesActivation('Conv2D') && fusesActivation('Dense')).toBe(true);
  });
});
