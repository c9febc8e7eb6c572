import { describe, expect, it } from 'vitest';
import { flattenDesign } from '../graph/blocks.ts';
import { inferShapes } from '../graph/infer.ts';
import { loadTemplate, templateFileNames } from '../graph/testing/templates.ts';
import type { Design } from '../graph/types.ts';
import { context, expectLessonHolds, expectMnistCnn } from './testing/expect-lesson.ts';
import { galleryTourLesson } from './tour.ts';

/** Every gallery template by its name, with its inference. */
const gallery = templateFileNames().map((file) => {
  const design = flattenDesign(loadTemplate(file));
  return { name: design.name, design, inference: inferShapes(design) };
});
const lastShape = (g: (typeof gallery)[number]) => g.inference.nodes.get(g.inference.order.at(-1)!)!.outputShape;
const params = (name: string) => gallery.find((g) => g.name === name)!.inference.totals.totalParams;

describe('lesson 1: what CNNs are used for', () => {
  const start = galleryTourLesson();
  const lesson = start.lesson!;

  it("starts from the gallery's MNIST CNN, layer for layer", () => expectMnistCnn(start));

  it('passes every step on the MNIST CNN re-aimed at 32×32 colour photos with the answers the gallery gives, and fails each on its start', () => {
    const template = loadTemplate('mnist-cnn.json');
    const solution = { ...template, nodes: template.nodes.map((n) => (n.kind === 'Input' ? { ...n, params: { shape: [32, 32, 3] } } : n)) };
    const ours = context(start);
    const answers: Record<number, number> = {};
    lesson.steps.forEach((step, i) => {
      const c = step.check;
      if (c.type === 'number' && i === 1) answers[i] = ours.inference.nodes.get(ours.inference.order.at(-1)!)!.outputShape![0]!;
      if (c.type === 'number' && i === 2) answers[i] = lastShape(gallery.find((g) => g.name === 'AlexNet')!)![0]!;
      if (c.type !== 'choice') return;
      const names = c.options.map((o) => o.en!);
      if (i === 0) {
        // Every gallery network ends in one vector of class scores: a classifier.
        expect(gallery.every((g) => lastShape(g)?.length === 1)).toBe(true);
        answers[i] = names.findIndex((n) => /classification/.test(n));
      }
      if (i === 3) answers[i] = names.indexOf(names.reduce((a, n) => (params(n) > params(a) ? n : a)));
      if (i === 4) answers[i] = names.indexOf(names.reduce((a, n) => (params(n) < params(a) ? n : a)));
    });
    expect(Object.keys(answers)).toHaveLength(lesson.steps.length - 1);
    expectLessonHolds(start, solution, answers);
  });
});
