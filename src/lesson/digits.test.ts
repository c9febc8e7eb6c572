import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateCheck } from '../graph/lesson-check.ts';
import { loadTemplate, REPO_ROOT } from '../graph/testing/templates.ts';
import type { Design } from '../graph/types.ts';
import { classifyDigitsLesson, DIGITS_TARGET } from './digits.ts';
import { context, expectLessonHolds, expectMnistCnn } from './testing/expect-lesson.ts';

describe('lesson 2: classify digits', () => {
  const start = classifyDigitsLesson();
  const lesson = start.lesson!;
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'public/datasets/mnist/manifest.json'), 'utf8')) as { splits: { test: { count: number } } };

  it("starts from the gallery's MNIST CNN, layer for layer", () => expectMnistCnn(start));

  it('passes every step on the design with a run of it on MNIST at the target, and fails each on its start', () => {
    const answers: Record<number, number> = {};
    lesson.steps.forEach((step, i) => {
      if (step.check.type === 'number') answers[i] = manifest.splits.test.count;
      if (step.check.type === 'choice') answers[i] = step.check.options.findIndex((o) => /never seen|took for another/.test(o.en!));
    });
    expectLessonHolds(start, start, answers, { sameDesign: true, dataset: 'mnist', testAccuracy: DIGITS_TARGET / 100 });
  });

  it('does not tick the training step for a run below the target, of an earlier design, or on Fashion-MNIST', () => {
    const i = lesson.steps.findIndex((s) => s.check.type === 'accuracy');
    const check = lesson.steps[i].check;
    const verdict = (run: Parameters<typeof context>[1]) => evaluateCheck(check, context(start, run)).pass;
    expect(verdict({ sameDesign: true, dataset: 'mnist', testAccuracy: DIGITS_TARGET / 100 - 0.001 })).toBe(false);
    expect(verdict({ sameDesign: false, dataset: 'mnist', testAccuracy: 0.99 })).toBe(false);
    expect(verdict({ sameDesign: true, dataset: 'fashion-mnist', testAccuracy: 0.99 })).toBe(false);
  });
});
