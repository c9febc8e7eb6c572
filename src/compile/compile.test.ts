/**
 * The tfjs differential oracle: every template and hundreds of seeded random designs are built as tfjs
 * models, and each layer's output shape, weight shapes and parameter counts must equal what src/graph
 * inferred. Seeded random invalid designs must be reported, never thrown on.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DesignBuilder, FORMAT_VERSION, inferShapes, LAYER_KINDS, parseDesign, type Design, type DesignInference } from '../graph/index.ts';
import { loadTemplate, templateFileNames } from '../graph/testing/templates.ts';
import { compileDesign, tfjsTopology, type CompiledModel } from './compile.ts';
import { DilatedDepthwiseConv2D } from './layers/dilated-depthwise-conv2d.ts';
import { GroupedConv2D } from './layers/grouped-conv2d.ts';
import { randomValidDesign } from '../graph/testing/random-design.ts';
import { MUTATION_NAMES, randomInvalidCase } from '../graph/testing/random-invalid-case.ts';

const VALID_DESIGNS = 500;
const INVALID_DESIGNS = 500;
/** Every PREDICT_EVERY-th random design also runs a forward pass. */
const PREDICT_EVERY = 2;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const FEATURES = [
  'image input',
  'vector input',
  'several inputs',
  'several outputs',
  'merge edges stored out of slot order',
  'same tensor twice into a merge',
  'grouped conv',
  'depth multiplier',
  'dilated Conv2D',
  'dilated DepthwiseConv2D',
  'explicit pads on Conv2D',
  'explicit pads on DepthwiseConv2D',
  "strided 'same' Conv2D",
  "strided 'same' MaxPool2D",
  'transposed conv stride > kernel',
  'Reshape with -1',
  'Flatten of a vector',
  'Dense on a rank > 1 tensor',
  'bilinear upsampling',
  'BatchNorm without center or scale',
  'id that is not a valid layer name',
];

const size = (shape: readonly (number | null)[]) => shape.reduce((a: number, b) => a * (b ?? 0), 1);

/** Everything that differs between the built model and the inference, as readable lines. */
function mismatches(design: Design, built: CompiledModel): string[] {
  const out: string[] = [];
  const { model, inference, chainNames } = built;
  for (const node of design.nodes) {
    const info = inference.nodes.get(node.id)!;
    const layers = chainNames.get(node.id)!.map((name) => model.getLayer(name));
    const last = layers[layers.length - 1];
    const shape = (last.outputShape as (number | null)[]).slice(1);
    if (JSON.stringify(shape) !== JSON.stringify(info.outputShape)) {
      out.push(`${node.id} (${node.kind}): tfjs shape ${JSON.stringify(shape)} vs inferred ${JSON.stringify(info.outputShape)}`);
    }
    const params = layers.reduce((a, l) => a + l.countParams(), 0);
    const trainable = layers.reduce((a, l) => a + l.trainableWeights.reduce((b, w) => b + size(w.shape), 0), 0);
    if (params !== info.trainableParams + info.nonTrainableParams || trainable !== info.trainableParams) {
      out.push(
        `${node.id} (${node.kind}): tfjs params ${params} (${trainable} trainable) vs inferred ` +
          `${info.trainableParams + info.nonTrainableParams} (${info.trainableParams} trainable)`,
      );
    }
    // Keras weight layouts (a transposed kernel is [kh, kw, out, in]) must match the declared ones.
    const tfWeights = layers.flatMap((l) => l.weights.map((w) => `${JSON.stringify(w.shape)}${w.trainable ? '' : '*'}`));
    const ours = info.weights.map((w) => `${JSON.stringify(w.shape)}${w.trainable ? '' : '*'}`);
    if (tfWeights.join() !== ours.join()) out.push(`${node.id} (${node.kind}): tfjs weights ${tfWeights} vs declared ${ours}`);
  }
  const { totals } = inference;
  if (model.countParams() !== totals.totalParams) out.push(`countParams ${model.countParams()} vs ${totals.totalParams}`);
  const trainable = model.trainableWeights.reduce((a, w) => a + size(w.shape), 0);
  if (trainable !== totals.trainableParams) out.push(`trainable ${trainable} vs ${totals.trainableParams}`);
  return out;
}

/** Runs the model on zeros (batch 2) and checks each output's shape against the inferred sink shape. */
function forwardMismatches(built: CompiledModel): string[] {
  const { model, inference, topology } = built;
  const nodeOf = new Map([...built.layerNames].map(([id, name]) => [name, id] as const));
  const expected = topology.config.output_layers.map(([name]) => [2, ...inference.nodes.get(nodeOf.get(name)!)!.outputShape!]);
  const xs = model.inputs.map((t) => tf.zeros([2, ...t.shape.slice(1)] as number[]));
  const y = model.predict(xs.length === 1 ? xs[0] : xs);
  const ys = Array.isArray(y) ? y : [y];
  const out: string[] = [];
  ys.forEach((t, i) => {
    if (JSON.stringify(t.shape) !== JSON.stringify(expected[i])) {
      out.push(`output ${i}: ${JSON.stringify(t.shape)} vs ${JSON.stringify(expected[i])}`);
    }
    else if (!t.isFinite().all().dataSync()[0]) out.push(`output ${i} holds NaN or Infinity`);
  });
  tf.dispose([...xs, ...ys]);
  return out;
}

/** The corner cases a random design exercises, so the test can show they are not left to luck. */
function features(design: Design, inference: DesignInference): Set<string> {
  const out = new Set<string>();
  const sources = new Map<string, string[]>();
  for (const e of design.edges) sources.set(e.target, [...(sources.get(e.target) ?? []), e.source]);
  design.edges.forEach((e, i) => {
    const next = design.edges[i + 1];
    if (next && next.target === e.target && (next.targetSlot ?? 0) < (e.targetSlot ?? 0)) out.add('merge edges stored out of slot order');
  });
  for (const n of design.nodes) {
    const p = n.params as Record<string, unknown>;
    const input = inference.nodes.get(n.id)!.inputShapes[0];
    const has = (key: string, test: (v: unknown) => boolean) => key in p && test(p[key]);
    const above1 = (v: unknown) => (v as number[]).some((d) => d > 1);
    if (n.kind === 'Conv2D' && has('groups', (g) => (g as number) > 1)) out.add('grouped conv');
    if (has('dilation_rate', above1)) out.add(`dilated ${n.kind}`);
    if (p.padding === 'explicit') out.add(`explicit pads on ${n.kind}`);
    if (p.padding === 'same' && has('strides', above1)) out.add(`strided 'same' ${n.kind}`);
    if (has('depth_multiplier', (m) => (m as number) > 1)) out.add('depth multiplier');
    if (n.kind === 'Reshape' && has('target_shape', (t) => (t as number[]).includes(-1))) out.add('Reshape with -1');
    if (n.kind === 'Input') out.add(p.shape && (p.shape as number[]).length === 1 ? 'vector input' : 'image input');
    if (n.kind === 'Flatten' && input?.length === 1) out.add('Flatten of a vector');
    if (n.kind === 'Dense' && input && input.length > 1) out.add('Dense on a rank > 1 tensor');
    if (n.kind === 'Conv2DTranspose' && (p.strides as number[])[0] > (p.kernel_size as number[])[0]) out.add('transposed conv stride > kernel');
    if (n.kind === 'UpSampling2D' && p.interpolation === 'bilinear') out.add('bilinear upsampling');
    if (n.kind === 'BatchNorm' && (p.center === false || p.scale === false)) out.add('BatchNorm without center or scale');
    if (new Set(sources.get(n.id)).size < (sources.get(n.id)?.length ?? 0)) out.add('same tensor twice into a merge');
    if (!/^[A-Za-z0-9_]+$/.test(n.id)) out.add('id that is not a valid layer name');
  }
  if (design.nodes.filter((n) => n.kind === 'Input').length > 1) out.add('several inputs');
  if (design.nodes.filter((n) => !design.edges.some((e) => e.source === n.id)).length > 1) out.add('several outputs');
  return out;
}

async function check(design: Design, opts: { zeroInit?: boolean; predict: boolean }): Promise<string[]> {
  const built = await compileDesign(design, { zeroInit: opts.zeroInit });
  if (!built.ok) {
    return [built.error ? `tfjs refused it: ${built.error}` : `not compiled: ${built.issues.map((i) => i.code).join(', ')}`];
  }
  try {
    return [...mismatches(design, built), ...(opts.predict ? tf.tidy(() => forwardMismatches(built)) : [])];
  } catch (e) {
    return [`tfjs threw: ${e instanceof Error ? e.message : String(e)}`];
  } finally {
    built.model.dispose();
  }
}

const templateFiles = templateFileNames();

describe('tfjs agrees with inference on every template', () => {
  it('finds the templates folder', () => {
    expect(templateFiles.length).toBeGreaterThan(0);
  });

  it.each(templateFiles)('%s: per-layer shapes, weights and parameter counts equal tfjs', async (file) => {
    const design = loadTemplate(file);
    const inference = inferShapes(design);
    // Big models (VGG-16: 138 M parameters) are built with zero weights, which costs nothing to draw;
    // only the small ones run a forward pass on the CPU backend.
    const small = inference.totals.macs < 50e6;
    expect(await check(design, { zeroInit: !small, predict: small })).toEqual([]);
  });
});

describe('tfjs agrees with inference on random valid designs', () => {
  it(`builds ${VALID_DESIGNS} seeded random designs with the shapes and parameter counts inference predicts`, async () => {
    const tensorsBefore = tf.memory().numTensors;
    const kinds = new Map<string, number>();
    const seen = new Map<string, number>();
    const failures: string[] = [];
    let predicted = 0;
    for (let seed = 1; seed <= VALID_DESIGNS; seed++) {
      const design = randomValidDesign(seed);
      const inference = inferShapes(design);
      expect(inference.totals.errors, `random design ${seed} should be valid`).toBe(0);
      for (const n of design.nodes) kinds.set(n.kind, (kinds.get(n.kind) ?? 0) + 1);
      for (const f of features(design, inference)) seen.set(f, (seen.get(f) ?? 0) + 1);
      const predict = seed % PREDICT_EVERY === 0;
      if (predict) predicted++;
      const problems = await check(design, { predict });
      if (problems.length > 0) failures.push(`seed ${seed}:\n  ${problems.join('\n  ')}\n  ${JSON.stringify(design)}`);
    }
    console.log(
      `tfjs oracle: ${VALID_DESIGNS} random valid designs checked against tfjs (${predicted} with a forward pass)\n` +
        `  layers per kind: ${JSON.stringify(Object.fromEntries([...kinds].sort()))}\n` +
        `  designs per feature: ${JSON.stringify(Object.fromEntries([...seen].sort()))}`,
    );
    expect(failures.slice(0, 3)).toEqual([]);
    // Every kind and every corner case is exercised, not left to luck.
    for (const kind of LAYER_KINDS) expect(kinds.get(kind) ?? 0, kind).toBeGreaterThanOrEqual(10);
    for (const f of FEATURES) expect(seen.get(f) ?? 0, f).toBeGreaterThanOrEqual(5);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});

describe('random invalid designs are reported, never thrown on', () => {
  it(`rejects ${INVALID_DESIGNS} seeded invalid designs with at least one error each`, async () => {
    const seen = new Map<string, number>();
    const failures: string[] = [];
    for (let seed = 1; seed <= INVALID_DESIGNS; seed++) {
      const c = randomInvalidCase(seed);
      seen.set(c.mutation, (seen.get(c.mutation) ?? 0) + 1);
      const where = `seed ${seed} (${c.mutation})`;
      const parsed = parseDesign(c.doc);
      if (c.stage === 'parse') {
        if (parsed.ok || parsed.errors.length === 0) failures.push(`${where}: parseDesign accepted it`);
      } else if (!parsed.ok) {
        failures.push(`${where}: parseDesign should accept it, got ${JSON.stringify(parsed.errors)}`);
      } else {
        if (inferShapes(parsed.design).totals.errors === 0) failures.push(`${where}: inference found no error`);
        const built = await compileDesign(parsed.design);
        if (built.ok || built.issues.length === 0) failures.push(`${where}: compileDesign did not report the error`);
      }
      if (c.inferable) {
        // The raw document, unvalidated: inference must still answer with values.
        const raw = inferShapes(c.doc as Design);
        if (c.inferReports && raw.totals.errors === 0) failures.push(`${where}: inference on the raw document found no error`);
      }
    }
    console.log(`invalid designs: ${INVALID_DESIGNS} checked; per mutation: ${JSON.stringify(Object.fromEntries([...seen].sort()))}`);
    expect(failures.slice(0, 5)).toEqual([]);
    for (const name of MUTATION_NAMES) expect(seen.get(name) ?? 0, name).toBeGreaterThan(0);
  });
});

describe('compile details', () => {
  it('feeds merge layers in slot order, not in the order the connections are stored', async () => {
    const design: Design = {
      format: 'netcanvas',
      version: FORMAT_VERSION,
      name: 'slots',
      nodes: [
        { id: 'a', kind: 'Input', params: { shape: [1, 1, 1] }, position: { x: 0, y: 0 } },
        { id: 'b', kind: 'Input', params: { shape: [1, 1, 2] }, position: { x: 0, y: 0 } },
        { id: 'cat', kind: 'Concatenate', params: {}, position: { x: 0, y: 0 } },
      ],
      edges: [
        { id: 'a->cat', source: 'a', target: 'cat', targetSlot: 1 },
        { id: 'b->cat', source: 'b', target: 'cat', targetSlot: 0 },
      ],
    };
    const built = await compileDesign(design);
    if (!built.ok) throw new Error(JSON.stringify(built));
    const y = built.model.predict([tf.tensor4d([1], [1, 1, 1, 1]), tf.tensor4d([2, 3], [1, 1, 1, 2])]) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([2, 3, 1]);
    built.model.dispose();
  });

  it('computes a grouped convolution as separate convolutions over channel groups (block-diagonal kernel)', async () => {
    const b = new DesignBuilder('grouped');
    const x = b.add('Input', { shape: [5, 6, 4] });
    b.add('Conv2D', { filters: 6, kernel_size: [3, 2], groups: 2, padding: 'same', strides: [2, 1], activation: 'relu' }, [x], { id: 'g' });
    const built = await compileDesign(b.build());
    if (!built.ok) throw new Error(JSON.stringify(built));
    const layer = built.model.getLayer('g');
    expect(layer).toBeInstanceOf(GroupedConv2D);
    const [kernel, bias] = [tf.randomNormal([3, 2, 2, 6], 0, 1, 'float32', 1), tf.randomNormal([6], 0, 1, 'float32', 2)];
    layer.setWeights([kernel, bias]);
    const input = tf.randomNormal([2, 5, 6, 4], 0, 1, 'float32', 3);
    // The equivalent ungrouped kernel: group g's filters see only group g's input channels.
    const mask = tf.tensor4d([1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1], [1, 1, 4, 6]);
    const full = tf.mul(tf.concat([kernel, kernel], 2), mask) as tf.Tensor4D;
    const expected = tf.relu(tf.add(tf.conv2d(input as tf.Tensor4D, full, [2, 1], 'same'), bias));
    const got = built.model.predict(input) as tf.Tensor;
    expect(got.shape).toEqual([2, 3, 6, 6]);
    expect(tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0]).toBeLessThan(1e-4);
    tf.dispose([kernel, bias, input, mask, full, expected, got]);
    built.model.dispose();
  });

  it('applies dilation in DepthwiseConv2D, which tfjs-layers ignores: a 2×2 kernel dilated by 2 is a 3×3 kernel with holes', async () => {
    const b = new DesignBuilder('dilated');
    const x = b.add('Input', { shape: [6, 7, 2] });
    const params = { kernel_size: [2, 2], dilation_rate: [2, 2], depth_multiplier: 2, padding: 'explicit', pads: [1, 0, 2, 1] };
    b.add('DepthwiseConv2D', params, [x], { id: 'dw' });
    const built = await compileDesign(b.build());
    if (!built.ok) throw new Error(JSON.stringify(built));
    const layer = built.model.getLayer('dw');
    expect(layer).toBeInstanceOf(DilatedDepthwiseConv2D);
    const kernel = tf.randomNormal([2, 2, 2, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
    const bias = tf.randomNormal([4], 0, 1, 'float32', 5);
    layer.setWeights([kernel, bias]);
    const input = tf.randomNormal([1, 6, 7, 2], 0, 1, 'float32', 6) as tf.Tensor4D;
    // Spread the 2×2 taps to the corners of a 3×3 kernel: rows/columns 0 and 2.
    const holes = tf.pad(kernel.reshape([2, 1, 2, 1, 2, 2]), [[0, 0], [0, 1], [0, 0], [0, 1], [0, 0], [0, 0]]).reshape([4, 4, 2, 2]);
    const spread = holes.slice([0, 0, 0, 0], [3, 3, 2, 2]) as tf.Tensor4D;
    const padded = tf.pad(input, [[0, 0], [1, 0], [2, 1], [0, 0]]) as tf.Tensor4D;
    const expected = tf.add(tf.depthwiseConv2d(padded, spread, 1, 'valid'), bias);
    const got = built.model.predict(input) as tf.Tensor;
    expect(got.shape).toEqual([1, ...built.inference.nodes.get('dw')!.outputShape!]);
    expect(got.shape).toEqual(expected.shape);
    expect(tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0]).toBeLessThan(1e-4);
    tf.dispose([kernel, bias, input, holes, spread, padded, expected, got]);
    built.model.dispose();
  });

  it('writes the registered grouped layer for tfjs where Keras has Conv2D with groups (keras.test.ts)', () => {
    const b = new DesignBuilder('grouped');
    b.add('Conv2D', { filters: 4, groups: 2, padding: 'explicit', pads: [1, 0, 0, 1] }, [b.add('Input', { shape: [8, 8, 2] })], { id: 'c' });
    const design = b.build();
    const tfjs = tfjsTopology(design, inferShapes(design)).config.layers;
    expect(tfjs.map((l) => [l.class_name, l.name])).toEqual([
      ['InputLayer', 'input'],
      ['ZeroPadding2D', 'c__pad'],
      [GroupedConv2D.className, 'c'],
    ]);
    expect(tfjs[2].config.groups).toBe(2);
    expect(tfjs[2].inbound_nodes).toEqual([[['c__pad', 0, 0, {}]]]);
  });

  it('gives a repeated input its own identity layer for tfjs (Add(x, x) read by another layer too)', () => {
    const b = new DesignBuilder('twice');
    const x = b.add('Input', { shape: [4] }, [], { id: 'x' });
    b.add('Add', {}, [x, x, x], { id: 'sum' });
    b.add('Dense', { units: 2 }, [x], { id: 'd' });
    const design = b.build();
    const layers = tfjsTopology(design, inferShapes(design)).config.layers;
    const sum = layers.find((l) => l.name === 'sum')!;
    expect(sum.inbound_nodes).toEqual([[['x', 0, 0, {}], ['sum__same1', 0, 0, {}], ['sum__same2', 0, 0, {}]]]);
    for (const name of ['sum__same1', 'sum__same2']) {
      const identity = layers.find((l) => l.name === name)!;
      expect(identity.class_name).toBe('Activation');
      expect(identity.config).toEqual({ name, trainable: true, activation: 'linear' });
      expect(identity.inbound_nodes).toEqual([[['x', 0, 0, {}]]]);
    }
  });

  it('returns the errors of an invalid design instead of throwing', async () => {
    const b = new DesignBuilder('bad');
    b.add('Conv2D', { kernel_size: [5, 5] }, [b.add('Input', { shape: [3, 3, 1] })]);
    const built = await compileDesign(b.build());
    expect(built.ok).toBe(false);
    expect(!built.ok && built.issues.map((i) => i.code)).toEqual(['kernel-too-large']);
    const empty = await compileDesign({ format: 'netcanvas', version: FORMAT_VERSION, name: 'empty', nodes: [], edges: [] });
    expect(!empty.ok && empty.issues.map((i) => i.code)).toEqual(['no-input-node']);
  });
});
