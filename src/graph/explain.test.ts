import { describe, expect, it } from 'vitest';
import { randomValidDesign } from './testing/random-design.ts';
import { planPytorch, torchStateDict } from '../export/pytorch.ts';
import { DesignBuilder } from './builder.ts';
import { denseEquivalent, explainOutputSize, weightLayouts, type SizeExplanation, type SizeStep } from './explain.ts';
import { inferShapes, type DesignInference } from './infer.ts';
import { formatIssue } from './messages.ts';
import { samePadding } from './shape-math.ts';
import type { Design, DesignNode, LayerKind, ParamValue } from './types.ts';
import type { DesignWeights, WeightTensor } from './weights.ts';
import { loadTemplate, loadTemplates } from './testing/templates.ts';

const RANDOM_DESIGNS = 300;
/** Kinds whose output size is arithmetic the inspector must show. */
const EXPLAINED: ReadonlySet<string> = new Set([
  'Conv2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'MaxPool2D',
  'AvgPool2D',
  'Conv2DTranspose',
  'ZeroPadding2D',
  'UpSampling2D',
]);

/**
 * Evaluates the formula notation of explain.ts (integers, + − · /, parentheses, ⌊⌋, ⌈⌉, max(a, b)) by
 * recursive descent, so the tests check what the page prints, not a number stored beside it.
 */
function evaluate(expression: string): number {
  const tokens = expression.match(/\d+|max|[-+−·/(),⌊⌋⌈⌉]|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const t = tokens[i++];
    if (expected !== undefined && t !== expected) throw new Error(`expected ${expected}, got ${t} in "${expression}"`);
    return t;
  };
  const sum = (): number => {
    let v = product();
    while (peek() === '+' || peek() === '−') v = take() === '+' ? v + product() : v - product();
    return v;
  };
  const product = (): number => {
    let v = factor();
    while (peek() === '·' || peek() === '/') v = take() === '·' ? v * factor() : v / factor();
    return v;
  };
  const factor = (): number => {
    const t = take();
    if (t === '−') return -factor();
    if (t === '(') return closing(sum(), ')');
    if (t === '⌊') return Math.floor(closing(sum(), '⌋'));
    if (t === '⌈') return Math.ceil(closing(sum(), '⌉'));
    if (t === 'max') {
      take('(');
      const a = sum();
      take(',');
      return Math.max(a, closing(sum(), ')'));
    }
    if (t !== undefined && /^\d+$/.test(t)) return Number(t);
    throw new Error(`unexpected ${t} in "${expression}"`);
  };
  const closing = (v: number, close: string) => (take(close), v);
  const value = sum();
  if (i !== tokens.length) throw new Error(`trailing ${tokens.slice(i).join(' ')} in "${expression}"`);
  return value;
}

/** "name = expression = value": the expression evaluates to the printed value, which is `result`. */
function checkStep(step: SizeStep, name: string): number {
  const parts = step.formula.split(' = ');
  expect(parts).toHaveLength(3);
  expect(parts[0]).toBe(name);
  const printed = evaluate(parts[2]);
  expect(evaluate(parts[1]), step.formula).toBe(printed);
  expect(printed).toBe(step.result);
  expect(step.rule.startsWith(`${name} = `)).toBe(true);
  return printed;
}

function checkExplanation(e: SizeExplanation, label: string): void {
  checkStep(e, 'out');
  if (e.effectiveKernel) checkStep(e.effectiveKernel, 'k′');
  if (e.samePadding) {
    const total = checkStep(e.samePadding, 'pad');
    expect(e.samePadding.before + e.samePadding.after, label).toBe(total);
    expect(e.samePadding.after - e.samePadding.before, label).toBeGreaterThanOrEqual(0);
    expect(e.samePadding.after - e.samePadding.before, label).toBeLessThanOrEqual(1);
  }
}

function build(kind: LayerKind, params: Record<string, ParamValue>, input: number[]): { node: DesignNode; inference: DesignInference } {
  const b = new DesignBuilder('one layer');
  const x = b.add('Input', { shape: input });
  const id = b.add(kind, params, [x]);
  const design = b.build();
  return { node: design.nodes.find((n) => n.id === id)!, inference: inferShapes(design) };
}

function explain(kind: LayerKind, params: Record<string, ParamValue>, input: number[]) {
  const { node, inference } = build(kind, params, input);
  const inf = inference.nodes.get(node.id)!;
  return { inf, node, size: explainOutputSize(node, inf) };
}

/** Every explanation of every node agrees with inference; returns how many windowed nodes were seen. */
function checkDesign(design: Design, label: string): number {
  const inference = inferShapes(design);
  let windowed = 0;
  for (const node of design.nodes) {
    const inf = inference.nodes.get(node.id)!;
    const size = explainOutputSize(node, inf);
    for (const e of size) checkExplanation(e, `${label} ${node.id}`);
    if (!inf.outputShape) continue;
    for (const e of size) expect(e.result, `${label} ${node.id} ${e.axis}: ${e.formula}`).toBe(inf.outputShape[e.dim]);
    if (EXPLAINED.has(node.kind)) {
      windowed++;
      expect(size.map((e) => e.axis), `${label} ${node.id}`).toEqual(['height', 'width']);
    }
  }
  return windowed;
}

describe('explainOutputSize', () => {
  it("writes out the issue's example with the node's own numbers: 28 − 5 → 24", () => {
    const { size } = explain('Conv2D', { filters: 8, kernel_size: [5, 5] }, [28, 28, 1]);
    expect(size.map((e) => e.formula)).toEqual(['out = ⌊(28 − 5 + 2·0) / 1⌋ + 1 = 24', 'out = ⌊(28 − 5 + 2·0) / 1⌋ + 1 = 24']);
    expect(size[0].rule).toBe('out = ⌊(in − k + 2·p) / s⌋ + 1');
  });

  it("explains LeNet-5's conv1 (32×32×1 → 28×28×6, 5×5) from the template", () => {
    const design = loadTemplate('lenet-5.json');
    const node = design.nodes.find((n) => n.id === 'conv1')!;
    const inf = inferShapes(design).nodes.get('conv1')!;
    expect(inf.outputShape).toEqual([28, 28, 6]);
    expect(explainOutputSize(node, inf).map((e) => [e.axis, e.formula])).toEqual([
      ['height', 'out = ⌊(32 − 5 + 2·0) / 1⌋ + 1 = 28'],
      ['width', 'out = ⌊(32 − 5 + 2·0) / 1⌋ + 1 = 28'],
    ]);
  });

  it("shows TensorFlow's 'same' rule and the uneven padding it implies", () => {
    const { size } = explain('Conv2D', { kernel_size: [3, 3], strides: [2, 2], padding: 'same' }, [28, 28, 1]);
    expect(size[0].formula).toBe('out = ⌈28 / 2⌉ = 14');
    expect(size[0].samePadding).toMatchObject({ formula: 'pad = max((14 − 1)·2 + 3 − 28, 0) = 1', before: 0, after: 1 });
    const [before, after] = samePadding(28, 3, 2);
    expect([size[0].samePadding!.before, size[0].samePadding!.after]).toEqual([before, after]);
  });

  it('uses the effective extent of a dilated kernel, d·(k − 1) + 1', () => {
    const { size, inf } = explain('Conv2D', { kernel_size: [3, 3], dilation_rate: [2, 2] }, [28, 28, 1]);
    expect(size[0].effectiveKernel?.formula).toBe('k′ = 2·(3 − 1) + 1 = 5');
    expect(size[0].formula).toBe('out = ⌊(28 − 5 + 2·0) / 1⌋ + 1 = 24');
    expect(size[0].rule).toBe('out = ⌊(in − k′ + 2·p) / s⌋ + 1');
    expect(inf.outputShape).toEqual([24, 24, 8]);
  });

  it('adds explicit pads as top + bottom and left + right when they differ', () => {
    const { size } = explain('Conv2D', { kernel_size: [3, 3], strides: [2, 2], padding: 'explicit', pads: [0, 1, 2, 2] }, [9, 9, 1]);
    expect(size[0].formula).toBe('out = ⌊(9 − 3 + 0 + 1) / 2⌋ + 1 = 4');
    expect(size[0].rule).toBe('out = ⌊(in − k + p_top + p_bottom) / s⌋ + 1');
    expect(size[1].formula).toBe('out = ⌊(9 − 3 + 2·2) / 2⌋ + 1 = 6');
  });

  it('explains pooling and each axis with its own numbers', () => {
    const { size } = explain('MaxPool2D', { pool_size: [2, 3], strides: [2, 3] }, [28, 30, 4]);
    expect(size.map((e) => e.formula)).toEqual(['out = ⌊(28 − 2 + 2·0) / 2⌋ + 1 = 14', 'out = ⌊(30 − 3 + 2·0) / 3⌋ + 1 = 10']);
  });

  it("gives Conv2DTranspose its own rule (Keras's deconv length)", () => {
    expect(explain('Conv2DTranspose', { kernel_size: [3, 3], strides: [2, 2], padding: 'valid' }, [7, 7, 4]).size[0].formula).toBe(
      'out = 7·2 + max(3 − 2, 0) = 15',
    );
    expect(explain('Conv2DTranspose', { kernel_size: [3, 3], strides: [2, 2], padding: 'same' }, [7, 7, 4]).size[0].formula).toBe(
      'out = 7·2 = 14',
    );
  });

  it('explains ZeroPadding2D, UpSampling2D and Flatten simply', () => {
    expect(explain('ZeroPadding2D', { padding: [1, 2, 0, 0] }, [28, 28, 1]).size.map((e) => e.formula)).toEqual([
      'out = 28 + 1 + 2 = 31',
      'out = 28 + 0 + 0 = 28',
    ]);
    expect(explain('UpSampling2D', { size: [2, 2] }, [7, 7, 3]).size[0].formula).toBe('out = 7·2 = 14');
    const flat = explain('Flatten', {}, [5, 5, 16]).size;
    expect(flat).toMatchObject([{ axis: 'features', dim: 0, rule: 'out = H·W·C', formula: 'out = 5·5·16 = 400', result: 400 }]);
  });

  it('has nothing to explain for kinds without size arithmetic', () => {
    expect(explain('Dense', { units: 10 }, [784]).size).toEqual([]);
    expect(explain('Activation', {}, [28, 28, 1]).size).toEqual([]);
    expect(explain('Flatten', {}, [784]).size).toEqual([]);
  });

  it('still explains a kernel larger than its input: the arithmetic shows why there is no output', () => {
    const { size, inf } = explain('Conv2D', { kernel_size: [5, 5] }, [3, 3, 1]);
    expect(inf.outputShape).toBeNull();
    expect(size[0].formula).toBe('out = ⌊(3 − 5 + 2·0) / 1⌋ + 1 = −1');
    checkExplanation(size[0], 'too large');
  });

  it('explains nothing while a parameter is invalid', () => {
    const { size } = explain('Conv2D', { kernel_size: [0, 5] }, [28, 28, 1]);
    expect(size).toEqual([]);
  });

  it('agrees with inference for every windowed node of every template', () => {
    let windowed = 0;
    for (const { file, design } of loadTemplates()) windowed += checkDesign(design, file);
    expect(windowed).toBeGreaterThan(20);
  });

  it(`agrees with inference on ${RANDOM_DESIGNS} random designs (explicit pads, dilation, 'same', transposed…)`, () => {
    let windowed = 0;
    const seen = { same: 0, dilated: 0, asymmetric: 0 };
    for (let seed = 1; seed <= RANDOM_DESIGNS; seed++) {
      const design = randomValidDesign(seed);
      windowed += checkDesign(design, `random-${seed}`);
      const inference = inferShapes(design);
      for (const node of design.nodes) {
        for (const e of explainOutputSize(node, inference.nodes.get(node.id)!)) {
          if (e.samePadding) seen.same++;
          if (e.effectiveKernel) seen.dilated++;
          if (/\d \+ \d+\) \//.test(e.formula)) seen.asymmetric++;
        }
      }
    }
    expect(windowed).toBeGreaterThan(RANDOM_DESIGNS);
    // The generator must keep exercising the cases with their own arithmetic.
    expect(seen.same).toBeGreaterThan(0);
    expect(seen.dilated).toBeGreaterThan(0);
    expect(seen.asymmetric).toBeGreaterThan(0);
  });
});

describe('weightLayouts', () => {
  it('gives the Conv2D kernel in PyTorch (OIHW) and Keras (HWIO) order', () => {
    const { node, inf } = explain('Conv2D', { filters: 8, kernel_size: [5, 5] }, [28, 28, 1]);
    expect(weightLayouts(node, inf)).toEqual([
      { name: 'kernel', trainable: true, keras: [5, 5, 1, 8], torchName: 'weight', torch: [8, 1, 5, 5] },
      { name: 'bias', trainable: true, keras: [8], torchName: 'bias', torch: [8] },
    ]);
  });

  it('transposes Dense, reshapes depthwise, swaps Conv2DTranspose and keeps BatchNorm vectors', () => {
    const dense = explain('Dense', { units: 10 }, [784]);
    expect(weightLayouts(dense.node, dense.inf)[0]).toMatchObject({ keras: [784, 10], torch: [10, 784], torchName: 'weight' });
    const dw = explain('DepthwiseConv2D', { kernel_size: [3, 3], depth_multiplier: 2 }, [8, 8, 4]);
    expect(weightLayouts(dw.node, dw.inf)[0]).toMatchObject({ name: 'depthwise_kernel', keras: [3, 3, 4, 2], torch: [8, 1, 3, 3] });
    const tr = explain('Conv2DTranspose', { filters: 6, kernel_size: [3, 3] }, [7, 7, 4]);
    expect(weightLayouts(tr.node, tr.inf)[0]).toMatchObject({ keras: [3, 3, 6, 4], torch: [4, 6, 3, 3] });
    const bn = explain('BatchNorm', {}, [8, 8, 16]);
    expect(weightLayouts(bn.node, bn.inf)).toEqual([
      { name: 'gamma', trainable: true, keras: [16], torchName: 'weight', torch: [16] },
      { name: 'beta', trainable: true, keras: [16], torchName: 'bias', torch: [16] },
      { name: 'moving_mean', trainable: false, keras: [16], torchName: 'running_mean', torch: [16] },
      { name: 'moving_variance', trainable: false, keras: [16], torchName: 'running_var', torch: [16] },
    ]);
  });

  it('is empty for layers without weights or without an output', () => {
    const pool = explain('MaxPool2D', {}, [28, 28, 1]);
    expect(weightLayouts(pool.node, pool.inf)).toEqual([]);
    const bad = explain('Conv2D', { kernel_size: [5, 5] }, [3, 3, 1]);
    expect(weightLayouts(bad.node, bad.inf)).toEqual([]);
  });

  it("matches the shapes and names the PyTorch exporter's state_dict gives, on random designs", () => {
    let compared = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const design = randomValidDesign(seed);
      const inference = inferShapes(design);
      const weights = new Map<string, Record<string, WeightTensor>>();
      for (const [id, inf] of inference.nodes) {
        if (inf.weights.length === 0) continue;
        weights.set(id, Object.fromEntries(inf.weights.map((w) => [w.name, { shape: w.shape, data: new Float32Array(w.shape.reduce((a, b) => a * b, 1)) }])));
      }
      const planned = planPytorch(design);
      if (!planned.ok) throw new Error(`random-${seed} does not plan`);
      const state = torchStateDict(planned.plan, weights as DesignWeights);
      if (!state.ok) throw new Error(`random-${seed}: ${state.issues.map((i) => formatIssue(i)).join('; ')}`);
      for (const p of planned.plan.nodes) {
        const node = design.nodes.find((n) => n.id === p.node.id)!;
        for (const layout of weightLayouts(node, inference.nodes.get(node.id)!)) {
          const key = [...state.arrays.keys()].find((k) => k === `${p.name}.${layout.torchName}` || k === `${p.name}_${layout.torchName}`);
          expect(key, `random-${seed} ${node.id}.${layout.name}`).toBeDefined();
          expect(layout.torch, `random-${seed} ${node.id}.${layout.name}`).toEqual(state.arrays.get(key!)!.shape);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe('denseEquivalent', () => {
  it("prices the issue's Conv2D as a Dense layer: 784·4608 + 4608 parameters against 208", () => {
    const { inf } = explain('Conv2D', { filters: 8, kernel_size: [5, 5] }, [28, 28, 1]);
    const eq = denseEquivalent(inf)!;
    expect(eq).toMatchObject({ inputs: 784, outputs: 4608, denseParams: 784 * 4608 + 4608, convParams: 208 });
    expect(eq.ratio).toBeCloseTo((784 * 4608 + 4608) / 208);
  });

  it('covers DepthwiseConv2D and nothing but convolutions', () => {
    const dw = explain('DepthwiseConv2D', { kernel_size: [3, 3] }, [8, 8, 4]).inf;
    expect(denseEquivalent(dw)).toMatchObject({ inputs: 256, outputs: 144, convParams: 3 * 3 * 4 + 4 });
    expect(denseEquivalent(explain('Dense', { units: 10 }, [784]).inf)).toBeNull();
    expect(denseEquivalent(explain('Conv2D', { kernel_size: [5, 5] }, [3, 3, 1]).inf)).toBeNull();
  });
});
