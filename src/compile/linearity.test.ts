/**
 * The tfjs oracle for each kind's `flow.linear` trait (what the linear-stack warning relies on): a layer
 * said to be linear must compute an affine map, f(2x − y) = 2·f(x) − f(y) for random x and y, in the
 * built tfjs model; a layer said to be non-linear must not. A warned stack, built whole, must be affine,
 * and no longer so once its one-click fix is applied.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyFix, DesignBuilder, inferShapes, LAYER_KINDS, layerSpec, type Design, type LayerKind, type ParamValue } from '../graph/index.ts';
import { compileDesign } from './compile.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The largest departure from affinity over a few random pairs, relative to the outputs' size. */
async function nonAffinity(design: Design): Promise<number> {
  const built = await compileDesign(design);
  if (!built.ok) throw new Error(`${design.name}: ${JSON.stringify(built.issues)}`);
  const { model } = built;
  let worst = 0;
  for (let trial = 0; trial < 3; trial++) {
    const worstHere = tf.tidy(() => {
      const xs = model.inputs.map((i) => tf.randomNormal([2, ...(i.shape.slice(1) as number[])], 0, 1, 'float32', 7 + trial));
      const ys = model.inputs.map((i) => tf.randomNormal([2, ...(i.shape.slice(1) as number[])], 0, 1, 'float32', 99 + trial));
      const f = (inputs: tf.Tensor[]) => model.predict(inputs.length === 1 ? inputs[0] : inputs) as tf.Tensor;
      const lhs = f(xs.map((x, k) => x.mul(2).sub(ys[k])));
      const rhs = f(xs).mul(2).sub(f(ys));
      const scale = lhs.abs().max().dataSync()[0] + rhs.abs().max().dataSync()[0] + 1e-6;
      return lhs.sub(rhs).abs().max().dataSync()[0] / scale;
    });
    worst = Math.max(worst, worstHere);
  }
  model.dispose();
  return worst;
}

/** Input(s) → one layer of `kind`, on an image or a vector, whichever the kind takes with default parameters. */
function single(kind: LayerKind, params: Record<string, ParamValue>): Design {
  for (const shape of [[6, 6, 4], [12]]) {
    const b = new DesignBuilder(`${kind} ${JSON.stringify(params)}`);
    const count = Math.max(1, layerSpec(kind).inputs.min);
    const inputs = Array.from({ length: count }, (_, i) => b.add('Input', { shape }, [], { id: `in${i}` }));
    b.add(kind, params, inputs, { id: 'layer' });
    const design = b.build();
    const inference = inferShapes(design);
    if ([...inference.nodes.values()].every((n) => n.issues.every((i) => i.severity !== 'error'))) return design;
  }
  throw new Error(`no test input suits ${kind}`);
}

const LINEAR = 1e-4;
const NONLINEAR = 1e-2;

describe('each kind is as linear as its flow.linear says (tfjs)', () => {
  for (const kind of LAYER_KINDS.filter((k) => k !== 'Input')) {
    const rule = layerSpec(kind).flow.linear;
    const cases: [Record<string, ParamValue>, boolean][] =
      rule === 'by-activation'
        ? [
            [{ activation: 'linear' }, true],
            [{ activation: 'relu' }, false],
          ]
        : [[{}, rule === 'always']];
    for (const [params, linear] of cases) {
      it(`${kind} ${JSON.stringify(params)} is ${linear ? '' : 'not '}affine`, async () => {
        const departure = await nonAffinity(single(kind, params));
        if (linear) expect(departure).toBeLessThan(LINEAR);
        else expect(departure).toBeGreaterThan(NONLINEAR);
      });
    }
  }
});

describe('a warned linear stack', () => {
  it('is one affine map as built, and stops being one after its fix', async () => {
    const b = new DesignBuilder('stack');
    b.chain(b.add('Input', { shape: [10, 10, 2] }), [
      ['Conv2D', { filters: 4, kernel_size: [3, 3] }, { id: 'c1' }],
      ['BatchNorm', {}],
      ['Conv2D', { filters: 6, kernel_size: [3, 3] }, { id: 'c2' }],
      ['Flatten', {}],
      ['Dense', { units: 5 }, { id: 'head' }],
    ]);
    const design = b.build();
    const issue = inferShapes(design).nodes.get('c1')!.issues.find((i) => i.code === 'linear-stack')!;
    expect(issue.values.count).toBe(3);
    expect(await nonAffinity(design)).toBeLessThan(LINEAR);
    expect(await nonAffinity(applyFix(design, 'c1', issue.fix!))).toBeGreaterThan(NONLINEAR);
  });
});
