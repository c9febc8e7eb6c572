/**
 * The receptive-field oracle: for every node of every template and of seeded random designs, the pixels
 * src/graph says an output position reads (`fieldBox`) are exactly the non-zero region of the gradient
 * tfjs computes for it, on the model src/compile builds; and the textbook field (`receptiveFields`) holds
 * that region, and equals it wherever it lies inside the image and no padding intervenes.
 *
 * Gradients hide pixels when values cancel or a layer routes them to one place, so the model gets weights
 * that cannot cancel: positive kernels normalised by their fan-in (activations stay near the small
 * positive input, away from saturation), zero biases, unit γ and variances; the read-out is a random
 * positive mix of the node's channels. Max pooling passes its gradient to one pixel per window, so the
 * measured model pools by averaging instead: the same window, hence the same field (the one substitution
 * this test makes, see SMOOTH).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { inferShapes, type Design, type KerasLayerJson, type LayerKind } from '../graph/index.ts';
import { fieldBox, fieldBoxAt, fieldSteps, receptiveFields, type FieldBox } from '../graph/receptive-field.ts';
import { buildTopology } from '../graph/topology.ts';
import { randomValidDesign } from '../graph/testing/random-design.ts';
import { Rng } from '../graph/testing/rng.ts';
import { loadTemplate, templateFileNames } from '../graph/testing/templates.ts';
import { compileDesign, type CompiledModel } from './compile.ts';

const RANDOM_DESIGNS = 200;
/** Kinds whose gradient reaches one pixel per window, and the kind with the same window that reaches all. */
const SMOOTH: Partial<Record<LayerKind, LayerKind>> = { MaxPool2D: 'AvgPool2D', GlobalMaxPool2D: 'GlobalAvgPool2D' };
/**
 * Templates are measured at the smallest of these inputs they are valid at (the field's arithmetic does
 * not depend on the size): at 224×224 VGG-16's 138 M weights and AlexNet's gradients take minutes each on
 * the cpu backend.
 */
const SMALL_INPUTS = [32, 48, 64, 96, 128];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function smooth(design: Design): Design {
  return { ...design, nodes: design.nodes.map((n) => (SMOOTH[n.kind] ? { ...n, kind: SMOOTH[n.kind]! } : n)) };
}

function withInputSize(design: Design, size: number): Design {
  const nodes = design.nodes.map((n) => {
    const shape = n.params.shape as readonly number[] | undefined;
    return n.kind === 'Input' && shape?.length === 3 && shape[0] > size ? { ...n, params: { ...n.params, shape: [size, size, shape[2]] } } : n;
  });
  return { ...design, nodes };
}

function smallInput(design: Design): Design {
  return SMALL_INPUTS.map((size) => withInputSize(design, size)).find((d) => inferShapes(d).totals.errors === 0) ?? design;
}

function positiveWeights(built: CompiledModel, rng: Rng): void {
  for (const layer of built.model.layers) {
    const weights = layer.weights;
    if (weights.length === 0) continue;
    const values = weights.map((w) => {
      const shape = w.shape as number[];
      const n = shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n);
      if (w.name.includes('kernel')) {
        const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
        for (let i = 0; i < n; i++) data[i] = (0.5 + rng.next()) / fanIn;
      } else if (/gamma|variance/.test(w.name)) data.fill(1);
      return tf.tensor(data, shape);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

/** Bounding box of the non-zero pixels of a gradient [1, H, W, C]; null when it is zero everywhere. */
function nonZeroBox(grad: tf.Tensor): FieldBox | null {
  const [, h, w, c] = grad.shape;
  const data = grad.dataSync();
  let [r0, r1, c0, c1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        if (data[(y * w + x) * c + ch] === 0) continue;
        [r0, r1, c0, c1] = [Math.min(r0, y), Math.max(r1, y), Math.min(c0, x), Math.max(c1, x)];
      }
  return r0 === Infinity ? null : { rows: [r0, r1], cols: [c0, c1] };
}

const clip = (b: FieldBox, h: number, w: number): FieldBox => ({
  rows: [Math.max(b.rows[0], 0), Math.min(b.rows[1], h - 1)],
  cols: [Math.max(b.cols[0], 0), Math.min(b.cols[1], w - 1)],
});
const contains = (outer: FieldBox, inner: FieldBox) =>
  outer.rows[0] <= inner.rows[0] && outer.rows[1] >= inner.rows[1] && outer.cols[0] <= inner.cols[0] && outer.cols[1] >= inner.cols[1];

/**
 * What tfjs cannot differentiate (and a failed backward pass leaves its engine unusable): a convolution
 * dilated above 1, and a normalisation without γ or β (its kernel saves the missing tensor for the gradient).
 */
function noGradient(layer: KerasLayerJson): boolean {
  const config = layer.config as { dilation_rate?: number[]; scale?: boolean; center?: boolean };
  return (config.dilation_rate ?? [1, 1]).some((d) => d > 1) || config.scale === false || config.center === false;
}

interface Tally {
  zeroGradients: number;
  /** Local fields behind a spread (up-sampling, transposed conv), where the textbook field is an average. */
  afterSpread: number;
  nodes: number;
  textbookExact: number;
}

/**
 * Every disagreement between src/graph and the gradients of one design, as readable lines. One backward
 * pass per node, batch 1: a single pass over all nodes (node k's read-out on batch element k) made tfjs
 * throw on a third of the random designs and read extra pixels on others (seed 42), where the same node
 * measured alone agreed.
 */
async function disagreements(design: Design, seed: number, tally: Tally): Promise<string[] | 'unmeasurable'> {
  const measured = smooth(design);
  // Without an image input there is no receptive field to measure.
  if (![...inferShapes(measured).nodes.values()].some((n) => n.inputShapes.length === 0 && n.outputShape?.length === 3)) return 'unmeasurable';
  const built = await compileDesign(measured, { zeroInit: true });
  if (!built.ok) return [`compile failed: ${built.error ?? built.issues.map((i) => i.code).join(', ')}`];
  if (built.topology.config.layers.some(noGradient)) {
    built.model.dispose();
    return 'unmeasurable';
  }
  const rng = new Rng(seed);
  positiveWeights(built, rng);
  const { inference, model } = built;
  const fields = receptiveFields(measured, inference);
  const inputIds = model.inputNames.map((name) => [...built.layerNames].find(([, l]) => l === name)![0]);
  const nodes = inference.order.filter((id) => !inputIds.includes(id));
  const centres = nodes.map((id): [number, number] | null => {
    const shape = inference.nodes.get(id)!.outputShape!;
    return shape.length === 3 ? [Math.floor((shape[0] as number) / 2), Math.floor((shape[1] as number) / 2)] : null;
  });
  const xs = model.inputs.map((input) => {
    const shape = [1, ...(input.shape.slice(1) as number[])];
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(Float32Array.from({ length: n }, () => 0.01 * (0.5 + rng.next())), shape);
  });
  // Behind a spread an output position's reads step with its position modulo the stride, so the textbook
  // field (linear in the position) is their average, not a bound: compared only where no spread lies upstream.
  const { inputsOf } = buildTopology(measured);
  const spreadBehind = new Map<string, boolean>();
  for (const id of inference.order) {
    const steps = fieldSteps(inference.nodes.get(id)!);
    const own = Array.isArray(steps) && steps.some((step) => step.op === 'spread');
    spreadBehind.set(id, own || (inputsOf.get(id) ?? []).some((src) => spreadBehind.get(src)));
  }
  const out: string[] = [];
  nodes.forEach((id, k) => {
    const c = centres[k];
    const mix = tf.tensor(Float32Array.from({ length: inference.nodes.get(id)!.outputShape!.at(-1) as number }, () => 0.5 + rng.next()));
    const one = tf.model({ inputs: model.inputs, outputs: model.getLayer(built.layerNames.get(id)!).output as tf.SymbolicTensor });
    const grads = tf.tidy(() =>
      tf.grads((...inputs: tf.Tensor[]) => {
        const y = one.apply(inputs, { training: false }) as tf.Tensor;
        const readOut = c ? y.slice([0, c[0], c[1], 0], [1, 1, 1, -1]) : y;
        // An input that does not reach this node still needs a (zero) gradient.
        return tf.addN([readOut.mul(mix).sum(), ...inputs.map((x) => x.sum().mul(0))]) as tf.Scalar;
      })(xs),
    );
    mix.dispose();
    const expected = fieldBox(measured, inference, id, c ?? [0, 0]);
    inputIds.forEach((inputId, i) => {
      const g = grads[i];
      if (g.shape.length !== 4) return;
      const got = nonZeroBox(g);
      const [, h, w] = g.shape;
      const want = expected.get(inputId) ?? null;
      const field = fields.get(id)?.get(inputId);
      // Past a Reshape or Flatten ('whole') an image position may read only some pixels of the input,
      // in an order no per-axis rule follows: there fieldBox is a bound, exact for local fields.
      const agrees = field?.kind === 'whole' ? !got || (!!want && contains(want, got)) : JSON.stringify(got) === JSON.stringify(want);
      // An all-zero gradient is a cancellation the weights could not avoid (LayerNormalization without γ
      // and β over one channel is constant), not a field: counted in the log, not compared.
      if (!got && want) {
        tally.zeroGradients++;
        return;
      }
      if (!agrees) out.push(`${id} ← ${inputId}: gradient ${JSON.stringify(got)}, fieldBox ${JSON.stringify(want)}`);
      // The textbook field of a spread (fractional jump) is the widest position's, centred on average: no box to compare.
      if (!got || field?.kind !== 'local' || !c) return;
      if (spreadBehind.get(id)) {
        tally.afterSpread++;
        return;
      }
      tally.nodes++;
      const textbook = clip(fieldBoxAt(field.axes, c), h, w);
      if (!contains(textbook, got)) out.push(`${id} ← ${inputId}: textbook ${JSON.stringify(textbook)} misses ${JSON.stringify(got)}`);
      if (JSON.stringify(textbook) === JSON.stringify(got)) tally.textbookExact++;
    });
    tf.dispose(grads);
  });
  tf.dispose(xs);
  model.dispose();
  return out;
}

describe('receptive fields equal the non-zero region of tfjs gradients', () => {
  // Too slow for the suite on the cpu backend (measured with one batched pass; now a pass per node): VGG-16 passes at 32×32 but takes 49 s; AlexNet, ResNet-18
  // and MobileNetV2 did not finish in 200 s with one batched pass over all their nodes (open: a pass per
  // few nodes, or the WASM backend). src/graph/receptive-field.test.ts still covers them without tfjs.
  // ResNet-50, GoogLeNet and DenseNet-121 are larger than ResNet-18 in nodes and MACs: left out likewise.
  const SLOW = new Set([
    'alexnet.json',
    'vgg-16.json',
    'resnet-18.json',
    'mobilenet-v2.json',
    'resnet-50.json',
    'googlenet.json',
    'densenet-121.json',
  ]);
  it.each(templateFileNames().filter((f) => !SLOW.has(f)))('on template %s (every node, centre position)', async (file) => {
    const tally = { zeroGradients: 0, afterSpread: 0, nodes: 0, textbookExact: 0 };
    expect(await disagreements(smallInput(loadTemplate(file)), 1, tally)).toEqual([]);
    expect(tally.textbookExact).toBe(tally.nodes);
  });

  // Measured one node per pass (see disagreements): the earlier single batched pass over all nodes threw
  // inside tfjs on a third of these designs and, on seed 42 (a grouped 1×1 stride-(2,1) conv), gave image k
  // a gradient on pixels only other batch elements' read-outs touch.
  it(`on ${RANDOM_DESIGNS} seeded random designs (every node, centre position)`, async () => {
    const tally = { zeroGradients: 0, afterSpread: 0, nodes: 0, textbookExact: 0 };
    const failures: string[] = [];
    let measured = 0;
    let unmeasurable = 0;
    const tfjsFailures: string[] = [];
    for (let seed = 1; measured < RANDOM_DESIGNS; seed++) {
      let lines: Awaited<ReturnType<typeof disagreements>>;
      try {
        lines = await disagreements(randomValidDesign(seed), seed, tally);
      } catch (e) {
        // A backward pass tfjs cannot run (see tfjsFailures in the log) leaves its engine unusable: start it afresh.
        tfjsFailures.push(`seed ${seed}: ${String(e).slice(0, 80)}`);
        tf.engine().reset();
        await tf.setBackend('cpu');
        continue;
      }
      if (lines === 'unmeasurable') {
        unmeasurable++;
        continue;
      }
      for (const line of lines) failures.push(`seed ${seed}: ${line}`);
      measured++;
    }
    console.log(`receptive fields: ${measured} designs (${unmeasurable} skipped: no image input, or a layer tfjs cannot differentiate), ${tally.zeroGradients} all-zero gradients, ${tally.nodes} local fields (${tally.afterSpread} more behind a spread, textbook not compared), textbook box exact on ${tally.textbookExact}`);
    console.log(`tfjs failed to differentiate ${tfjsFailures.length} designs:\n${tfjsFailures.join('\n')}`);
    expect(failures.slice(0, 20)).toEqual([]);
  });
});
