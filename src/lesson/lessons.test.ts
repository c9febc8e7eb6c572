import { describe, expect, it } from 'vitest';
import { parseDesign, serializeDesign } from '../graph/file-format.ts';
import { inferShapes } from '../graph/infer.ts';
import { evaluateCheck, lessonIssues, resolveNodeRef, type CheckContext } from '../graph/lesson-check.ts';
import { formatIssue } from '../graph/messages.ts';
import { loadTemplate } from '../graph/testing/templates.ts';
import type { Design, Lesson } from '../graph/types.ts';
import { LESSONS, lenet5Lesson, weightSharingLesson } from './lessons.ts';
import { addNode } from '../graph/edit.ts';
import { context } from './testing/expect-lesson.ts';


/** The first `count` layers of `design` in flow order, with the connections among them. */
function prefix(design: Design, count: number): Design {
  const keep = new Set(inferShapes(design).order.slice(0, count));
  return { ...design, nodes: design.nodes.filter((n) => keep.has(n.id)), edges: design.edges.filter((e) => keep.has(e.source) && keep.has(e.target)) };
}

/**
 * The answers to a lesson's questions, worked out from the reference solution's inference (never copied
 * from the lesson): C3's parameters, and which group of layers holds the most.
 */
function lenetAnswers(lesson: Lesson, ctx: CheckContext): Record<number, number> {
  const answers: Record<number, number> = {};
  const sum = (kinds: string[]) => [...ctx.inference.nodes.values()].filter((n) => kinds.includes(n.kind)).reduce((a, n) => a + n.trainableParams, 0);
  const groups = [sum(['Conv2D']), sum(['AvgPool2D', 'MaxPool2D']), sum(['Dense'])];
  lesson.steps.forEach((step, i) => {
    if (step.check.type === 'number') {
      const c3 = resolveNodeRef(ctx, { kind: 'Conv2D', nth: 2 });
      answers[i] = 'id' in c3 ? ctx.inference.nodes.get(c3.id)!.trainableParams : Number.NaN;
    }
    if (step.check.type === 'choice') answers[i] = groups.indexOf(Math.max(...groups));
  });
  return answers;
}

describe('lesson 7: build LeNet-5', () => {
  const design = lenet5Lesson();
  const lesson = design.lesson!;
  const reference = loadTemplate('lenet-5.json');
  const solved = context(reference);
  const answers = lenetAnswers(lesson, solved);

  it('opens through the file format unchanged, and starts from an empty canvas', () => {
    const r = parseDesign(serializeDesign(design));
    expect(r.ok && r.design).toEqual(design);
    expect(design.nodes).toEqual([]);
  });

  it("passes every step on the reference solution (the LeNet-5 template, torchvision's 61,706 parameters)", () => {
    expect(solved.inference.totals.totalParams).toBe(61_706);
    lesson.steps.forEach((step, i) => {
      const r = evaluateCheck(step.check, solved, answers[i]);
      expect(r.pass, `step ${i + 1}: ${r.hint ? formatIssue(r.hint) : ''}`).toBe(true);
    });
  });

  it('fails every step on its starting design, with a hint in both languages', () => {
    const start = context(design);
    lesson.steps.forEach((step, i) => {
      const r = evaluateCheck(step.check, start);
      expect(r.pass, `step ${i + 1}`).toBe(false);
      for (const lang of ['en', 'es'] as const) expect(formatIssue(r.hint!, lang)).not.toBe('');
    });
  });

  it('fails each building step on the design the steps before it lead to (the layer it asks for is missing)', () => {
    lesson.steps.forEach((step, i) => {
      if (step.check.type !== 'output-shape') return;
      const target = resolveNodeRef(solved, step.check.node);
      if (!('id' in target)) throw new Error(`step ${i + 1} names no layer of the reference`);
      const before = prefix(reference, solved.inference.order.indexOf(target.id));
      expect(evaluateCheck(step.check, context(before)).pass, `step ${i + 1}`).toBe(false);
      expect(evaluateCheck(step.check, context(prefix(reference, before.nodes.length + 1))).pass, `step ${i + 1}`).toBe(true);
    });
  });

  it('fails the question steps on a wrong answer', () => {
    lesson.steps.forEach((step, i) => {
      if (step.check.type === 'number' || step.check.type === 'choice') expect(evaluateCheck(step.check, solved, answers[i] + 1).pass).toBe(false);
    });
  });

  it('fails the parameter step when a layer drops its bias, though every shape is right', () => {
    const noBias = { ...reference, nodes: reference.nodes.map((n) => (n.id === 'conv1' ? { ...n, params: { ...n.params, use_bias: false } } : n)) };
    const ctx = context(noBias);
    const results = lesson.steps.map((step, i) => evaluateCheck(step.check, ctx, answers[i]));
    const failing = results.flatMap((r, i) => (r.pass ? [] : [lesson.steps[i].check.type]));
    expect(failing).toEqual(['params']);
  });
});

describe('every shipped lesson', () => {
  it.each(LESSONS.map((l) => [l.id, l]))('%s opens through the file format unchanged, with no lesson problem', (_, entry) => {
    const design = entry.make();
    const r = parseDesign(serializeDesign(design));
    expect(r.ok && r.design).toEqual(design);
    expect(lessonIssues(design.lesson!)).toEqual([]);
  });

  it('covers the nine topics of the course in order, each with a lesson (the classic architectures in three parts)', () => {
    expect([...new Set(LESSONS.map((l) => l.topic))]).toEqual(Array.from({ length: 9 }, (_, i) => i + 1));
    expect(LESSONS.map((l) => l.topic)).toEqual([...LESSONS.map((l) => l.topic)].sort((a, b) => a - b));
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
  });

  it.each(LESSONS.map((l) => [l.id, l]))('%s has its title and every text and option in English and Spanish', (_, entry) => {
    const lesson = entry.make().lesson!;
    const texts = [lesson.title, ...lesson.steps.flatMap((s) => [s.text, ...(s.check.type === 'choice' ? s.check.options : [])])];
    for (const t of texts) for (const lang of ['en', 'es']) expect(t[lang]?.trim(), JSON.stringify(t)).toBeTruthy();
  });
});

describe('lesson 3: share the weights', () => {
  const design = weightSharingLesson();
  const lesson = design.lesson!;
  const start = context(design);
  const reference = loadTemplate('mnist-cnn.json');
  const solved = context(reference);

  it("starts from the gallery's MLP, layer for layer", () => {
    const mlp = loadTemplate('mlp.json');
    const strip = (d: Design) => d.nodes.map((n) => ({ id: n.id, kind: n.kind, params: n.params }));
    expect(strip(design)).toEqual(strip(mlp));
    expect(design.edges.map((e) => [e.source, e.target])).toEqual(mlp.edges.map((e) => [e.source, e.target]));
  });

  /** The answers worked out from inference: the hidden layer's parameters; the option that names sharing. */
  const answers: Record<number, number> = {};
  lesson.steps.forEach((step, i) => {
    if (step.check.type === 'number') answers[i] = start.inference.nodes.get('hidden')!.trainableParams;
    if (step.check.type === 'choice') answers[i] = step.check.options.findIndex((o) => /same small filter/.test(o.en));
  });

  it('passes every step on the reference solution (the MNIST CNN template) and fails every step on its start', () => {
    lesson.steps.forEach((step, i) => {
      const passed = evaluateCheck(step.check, solved, answers[i]);
      expect(passed.pass, `step ${i + 1}: ${passed.hint ? formatIssue(passed.hint) : ''}`).toBe(true);
      expect(evaluateCheck(step.check, start).pass, `step ${i + 1}`).toBe(false);
    });
  });

  it('fails the parameter step on the MLP with a convolution added in front of its hidden Dense layer', () => {
    // A Conv2D after the Input, but the big Dense layer kept: the sharing step passes, the budget does not.
    const withConv = { ...design, nodes: [...design.nodes], edges: [...design.edges] };
    const added = addNode(withConv, 'Conv2D', { after: 'input', params: { filters: 1, kernel_size: [1, 1] } });
    const ctx = context(added.design);
    const failing = lesson.steps.flatMap((s, i) => (evaluateCheck(s.check, ctx, answers[i]).pass ? [] : [s.check.type]));
    expect(failing).toEqual(['params']);
  });
});
