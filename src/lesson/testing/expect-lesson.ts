/**
 * Test support for the shipped lessons (imported by tests only): a design's check context as the app builds
 * it, and the one promise every lesson keeps, each step passing on the reference solution and failing on
 * the starting design.
 */
import { expect } from 'vitest';
import { flattenDesign } from '../../graph/blocks.ts';
import { inferShapes } from '../../graph/infer.ts';
import { evaluateCheck, type CheckContext, type LessonRun } from '../../graph/lesson-check.ts';
import { formatIssue } from '../../graph/messages.ts';
import { loadTemplate } from '../../graph/testing/templates.ts';
import type { Design, LessonCheck } from '../../graph/types.ts';

/** The lesson's starting design is the gallery's MNIST CNN, layer for layer (ids, kinds, parameters, wiring). */
export function expectMnistCnn(start: Design): void {
  const strip = (d: Design) => [d.nodes.map((n) => [n.id, n.kind, n.params]), d.edges.map((e) => [e.source, e.target])];
  expect(strip(start)).toEqual(strip(loadTemplate('mnist-cnn.json')));
}

export function context(design: Design, run: LessonRun | null = null): CheckContext {
  const flat = flattenDesign(design);
  return { design: flat, inference: inferShapes(flat), run };
}

/** An answer that must not pass: the next option, or a number just past the tolerance. */
function wrongAnswer(check: LessonCheck, answer: number): number {
  if (check.type === 'choice') return (answer + 1) % check.options.length;
  return answer + (check.type === 'number' ? (check.tolerance ?? 0) * 2 + 1 : 1);
}

/**
 * Every step passes on `solution` with `answers` (worked out by the test, never read from the lesson) and
 * the run's results, fails on the lesson's own starting design with no answers and no run, and every
 * question fails on a wrong answer.
 */
export function expectLessonHolds(start: Design, solution: Design, answers: Readonly<Record<number, number>>, run: LessonRun | null = null): void {
  const lesson = start.lesson!;
  const solved = context(solution, run);
  const fresh = context(start);
  lesson.steps.forEach((step, i) => {
    const passed = evaluateCheck(step.check, solved, answers[i]);
    expect(passed.pass, `step ${i + 1} on the solution: ${passed.hint ? formatIssue(passed.hint) : ''}`).toBe(true);
    const failed = evaluateCheck(step.check, fresh);
    expect(failed.pass, `step ${i + 1} on the start`).toBe(false);
    for (const lang of ['en', 'es'] as const) expect(formatIssue(failed.hint!, lang)).not.toBe('');
    if (step.check.type === 'choice' || step.check.type === 'number') {
      expect(evaluateCheck(step.check, solved, wrongAnswer(step.check, answers[i])).pass, `step ${i + 1}, a wrong answer`).toBe(false);
    }
  });
}
