import { describe, expect, it } from 'vitest';
import { flattenDesign } from './blocks.ts';
import { inferShapes } from './infer.ts';
import { LAYER_KINDS } from './layers/index.ts';
import { evaluateCheck, type CheckContext } from './lesson-check.ts';
import { formatIssue } from './messages.ts';
import { formatShape } from './shape-math.ts';
import { receptiveFields } from './receptive-field.ts';
import { randomInvalidCase } from './testing/random-invalid-case.ts';
import { randomValidDesign } from './testing/random-design.ts';
import { Rng } from './testing/rng.ts';
import { loadTemplate } from './testing/templates.ts';
import { FORMAT_VERSION, type Design, type LessonCheck, type Params } from './types.ts';

function context(design: Design): CheckContext {
  const flat = flattenDesign(design);
  return { design: flat, inference: inferShapes(flat) };
}

/** LeNet-5 with one parameter of one layer changed. */
function lenetWith(id: string, params: Params): Design {
  const design = loadTemplate('lenet-5.json');
  return { ...design, nodes: design.nodes.map((n) => (n.id === id ? { ...n, params: { ...n.params, ...params } } : n)) };
}

describe('lesson checks', () => {
  it("says what a node's output is and what the step wants, with the shapes inference gives, in en and es", () => {
    const wrong = lenetWith('conv1', { kernel_size: [3, 3] });
    const ctx = context(wrong);
    const want = inferShapes(loadTemplate('lenet-5.json')).nodes.get('conv1')!.outputShape!;
    const got = ctx.inference.nodes.get('conv1')!.outputShape!;
    const r = evaluateCheck({ type: 'output-shape', node: { name: 'C1' }, shape: want as number[] }, ctx);
    expect(r.pass).toBe(false);
    expect(formatIssue(r.hint!, 'en')).toBe(`C1's output is ${formatShape(got)}, the step wants ${formatShape(want)}`);
    expect(formatIssue(r.hint!, 'es')).toBe(`La salida de C1 es ${formatShape(got)}, el paso pide ${formatShape(want)}`);
    expect(evaluateCheck({ type: 'output-shape', node: { kind: 'Conv2D', nth: 1 }, shape: got as number[] }, ctx).pass).toBe(true);
  });

  it('reads parameter and MAC totals from the inference, and will not pass them while a shape is unknown', () => {
    const design = loadTemplate('lenet-5.json');
    const ctx = context(design);
    const { totalParams, trainableParams, macs } = ctx.inference.totals;
    const pass = (check: LessonCheck) => evaluateCheck(check, ctx).pass;
    expect(pass({ type: 'params', which: 'total', op: 'eq', value: totalParams })).toBe(true);
    expect(pass({ type: 'params', which: 'total', op: 'eq', value: totalParams + 1 })).toBe(false);
    expect(pass({ type: 'params', which: 'trainable', op: 'le', value: trainableParams })).toBe(true);
    expect(pass({ type: 'params', which: 'trainable', op: 'le', value: trainableParams - 1 })).toBe(false);
    expect(pass({ type: 'macs', op: 'le', value: macs })).toBe(true);
    expect(pass({ type: 'macs', op: 'le', value: macs - 1 })).toBe(false);
    // A 15×15 kernel on S2's 14×14 map is an error: the totals below it are unknown.
    const broken = context(lenetWith('conv2', { kernel_size: [15, 15] }));
    expect(broken.inference.totals.totalParams).toBeLessThan(10 ** 9);
    const r = evaluateCheck({ type: 'params', which: 'total', op: 'le', value: 10 ** 9 }, broken);
    expect(r.pass).toBe(false);
    expect(r.hint?.code).toBe('lesson-totals-unknown');
    expect(evaluateCheck({ type: 'no-errors' }, broken).hint?.code).toBe('lesson-has-errors');
    expect(evaluateCheck({ type: 'no-errors' }, ctx).pass).toBe(true);
  });

  it('counts kinds along the flow and checks what feeds them', () => {
    const ctx = context(loadTemplate('lenet-5.json'));
    const convs = [...ctx.inference.nodes.values()].filter((n) => n.kind === 'Conv2D').length;
    const pass = (check: LessonCheck) => evaluateCheck(check, ctx).pass;
    expect(pass({ type: 'has-kind', kind: 'Conv2D', count: convs })).toBe(true);
    expect(pass({ type: 'has-kind', kind: 'Conv2D', count: convs + 1 })).toBe(false);
    expect(pass({ type: 'has-kind', kind: 'AvgPool2D', count: 2, after: 'Conv2D' })).toBe(true);
    expect(pass({ type: 'has-kind', kind: 'Dense', after: 'Conv2D' })).toBe(false);
    expect(evaluateCheck({ type: 'output-shape', node: { kind: 'Conv2D', nth: convs + 1 }, shape: [1] }, ctx).hint?.code).toBe('lesson-no-kind-nth');
  });

  it('checks answers: none yet, a wrong one, the right one (numbers within the tolerance)', () => {
    const ctx = context(loadTemplate('lenet-5.json'));
    const choice: LessonCheck = { type: 'choice', options: [{ en: 'a' }, { en: 'b' }], answer: 1 };
    expect(evaluateCheck(choice, ctx).hint?.code).toBe('lesson-no-answer');
    expect(formatIssue(evaluateCheck(choice, ctx, 0).hint!, 'en')).toMatch(/^A is not the answer/);
    expect(evaluateCheck(choice, ctx, 1).pass).toBe(true);
    const number: LessonCheck = { type: 'number', answer: 2416, tolerance: 1 };
    expect(evaluateCheck(number, ctx, 2417).pass).toBe(true);
    expect(evaluateCheck(number, ctx, 2418).pass).toBe(false);
    expect(evaluateCheck(number, ctx, Number.NaN).pass).toBe(false);
  });

  it('is total: every kind of check gives a verdict, and a failing one a hint in en and es, on any design', () => {
    const rng = new Rng(14);
    const kinds = [...LAYER_KINDS, 'NotAKind'];
    let checked = 0;
    const designs: Design[] = [];
    for (let seed = 0; seed < 150; seed++) designs.push(randomValidDesign(seed));
    for (let seed = 0; seed < 150; seed++) {
      const c = randomInvalidCase(seed);
      // Documents still shaped like a design (even one the loader refuses): inference runs on them as the store would.
      if (c.inferable) designs.push(c.doc as Design);
    }
    designs.push({ format: 'netcanvas', version: FORMAT_VERSION, name: 'empty', nodes: [], edges: [] });
    for (const design of designs) {
      const ctx = context(design);
      const shape = Array.from({ length: rng.int(1, 3) }, () => rng.int(1, 64));
      const checks: LessonCheck[] = [
        { type: 'has-kind', kind: rng.pick(kinds), count: rng.int(1, 3), ...(rng.bool() ? { after: rng.pick(kinds) } : {}) },
        { type: 'output-shape', node: { kind: rng.pick(kinds), nth: rng.int(1, 4) }, shape },
        { type: 'output-shape', node: { name: rng.pick([...design.nodes.map((n) => n.id), 'missing']) }, shape },
        { type: 'params', which: rng.pick(['total', 'trainable'] as const), op: rng.pick(['le', 'eq'] as const), value: rng.int(0, 10 ** 6) },
        { type: 'macs', op: rng.pick(['le', 'eq'] as const), value: rng.int(0, 10 ** 8) },
        { type: 'no-errors' },
        { type: 'choice', options: [{ en: 'a' }, { en: 'b' }, { en: 'c' }], answer: rng.int(0, 2) },
        { type: 'number', answer: rng.int(-5, 5), tolerance: rng.int(0, 2) },
        { type: 'receptive-field', node: { kind: rng.pick(kinds), nth: rng.int(1, 4) }, min: rng.int(1, 64) },
        { type: 'accuracy', dataset: rng.pick(['mnist', 'fashion-mnist']), min: rng.int(0, 100) },
        { type: 'skip', ...(rng.bool() ? { count: rng.int(1, 3) } : {}) },
      ];
      const run = rng.bool(0.3) ? null : { sameDesign: rng.bool(), dataset: rng.pick(['mnist', 'fashion-mnist']), testAccuracy: rng.pick([rng.next(), Number.NaN]) };
      for (const check of checks) {
        const answer = rng.bool(0.3) ? undefined : rng.int(-5, 5);
        const r = evaluateCheck(check, { ...ctx, run }, answer);
        expect(typeof r.pass).toBe('boolean');
        if (!r.pass) for (const lang of ['en', 'es'] as const) expect(formatIssue(r.hint!, lang)).not.toBe('');
        checked++;
      }
      // The verdicts agree with the design's own facts.
      expect(evaluateCheck({ type: 'no-errors' }, ctx).pass).toBe(ctx.inference.totals.errors === 0 && ctx.design.nodes.some((n) => n.kind === 'Input'));
    }
    expect(checked).toBeGreaterThan(1500);
  });

  it("reads a node's receptive field from src/graph's own computation, and passes once the field is as large as asked", () => {
    const ctx = context(loadTemplate('mnist-cnn.json'));
    const fields = receptiveFields(ctx.design, ctx.inference);
    for (const nth of [1, 2]) {
      const id = ctx.inference.order.filter((n) => ctx.inference.nodes.get(n)?.kind === 'Conv2D')[nth - 1];
      const field = [...fields.get(id)!.values()][0];
      if (field.kind !== 'local') throw new Error('a plain conv stack has a local field');
      const size = Math.min(...field.axes.map((a) => a.size));
      const check = (min: number): LessonCheck => ({ type: 'receptive-field', node: { kind: 'Conv2D', nth }, min });
      expect(evaluateCheck(check(size), ctx).pass).toBe(true);
      const r = evaluateCheck(check(size + 1), ctx);
      expect(r.hint?.code).toBe('lesson-field-small');
      expect(formatIssue(r.hint!, 'en')).toContain(`${field.axes[0].size}×${field.axes[1].size}`);
    }
    // After Flatten every output sees the whole image.
    expect(evaluateCheck({ type: 'receptive-field', node: { kind: 'Dense', nth: 1 }, min: 28 }, ctx).pass).toBe(true);
    // No image input reaches a layer whose input is broken.
    const broken = context(lenetWith('conv2', { kernel_size: [15, 15] }));
    expect(evaluateCheck({ type: 'receptive-field', node: { kind: 'Dense', nth: 1 }, min: 1 }, broken).pass).toBe(false);
  });

  it('counts a test accuracy only from a run of this very design on the named data', () => {
    const ctx = context(loadTemplate('mnist-cnn.json'));
    const check: LessonCheck = { type: 'accuracy', dataset: 'mnist', min: 97 };
    const at = (run: CheckContext['run']) => evaluateCheck(check, { ...ctx, run });
    expect(at(undefined).hint?.code).toBe('lesson-no-run');
    expect(at({ sameDesign: true, dataset: 'mnist', testAccuracy: 0.97 }).pass).toBe(true);
    expect(at({ sameDesign: false, dataset: 'mnist', testAccuracy: 0.99 }).hint?.code).toBe('lesson-run-stale');
    expect(at({ sameDesign: true, dataset: 'fashion-mnist', testAccuracy: 0.99 }).hint?.code).toBe('lesson-run-dataset');
    const low = at({ sameDesign: true, dataset: 'mnist', testAccuracy: 0.9612 });
    expect(formatIssue(low.hint!, 'en')).toContain('96.1 %');
    expect(formatIssue(low.hint!, 'es')).toContain('96,1 %');
    expect(at({ sameDesign: true, dataset: 'mnist', testAccuracy: Number.NaN }).pass).toBe(false);
  });
});
