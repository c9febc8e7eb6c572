import { describe, expect, it } from 'vitest';
import { DesignBuilder } from '../graph/builder.ts';
import { Rng } from '../graph/testing/rng.ts';
import type { Design, LessonStep } from '../graph/types.ts';
import { flipKernel, outputGeometry, slide, type GreyImage, type SlideSettings } from '../ui/lab/kernel-math.ts';
import { PRESETS, presetKernel } from '../ui/lab/kernel-presets.ts';
import { labStrings } from '../ui/lab/lab-strings.ts';
import { correlationLesson, filtersLesson } from './kernel-lab-lessons.ts';
import { expectLessonHolds } from './testing/expect-lesson.ts';

const VALID: SlideSettings = { stride: 1, dilation: 1, padding: 'valid' };
const sobelX = presetKernel('sobelX', 3);

/** A 28×28 image from a function of (row, column). */
const image = (f: (r: number, c: number) => number): GreyImage => ({ h: 28, w: 28, data: Array.from({ length: 28 * 28 }, (_, i) => f(Math.floor(i / 28), i % 28)) });

/** The starting design (an Input) with one Conv2D after it: the lesson's reference solution. */
function withConv(start: Design, params: Record<string, unknown>): Design {
  const b = new DesignBuilder(start.name);
  const input = b.add('Input', { shape: [28, 28, 1] }, [], { id: 'input' });
  b.add('Conv2D', params as never, [input]);
  return { ...b.build(), lesson: start.lesson };
}

const option = (step: LessonStep, pattern: RegExp) => (step.check.type === 'choice' ? step.check.options.findIndex((o) => pattern.test(o.en!)) : -1);

describe('lesson 4: filters', () => {
  const start = filtersLesson();
  const steps = start.lesson!.steps;

  it("passes every step on an Input with a 3×3 Conv2D and the answers the lab's own arithmetic gives, and fails each on its start", () => {
    // Sobel x answers a left-to-right brightening and ignores a top-to-bottom one.
    const across = slide(image((_, c) => (c < 14 ? 0 : 255)), sobelX, VALID, 'correlation')!;
    const down = slide(image((r) => (r < 14 ? 0 : 255)), sobelX, VALID, 'correlation')!;
    expect(Math.max(...across.data)).toBeGreaterThan(0);
    expect(Math.max(...down.data.map(Math.abs))).toBe(0);
    const answers = {
      0: option(steps[0], /left to right/),
      1: outputGeometry({ h: 28, w: 28 }, sobelX, VALID)!.w,
      2: presetKernel('box', 3).values[0],
    };
    expectLessonHolds(start, withConv(start, { filters: 1, kernel_size: [3, 3], padding: 'valid' }), answers);
  });
});

describe('lesson 5: cross-correlation vs convolution', () => {
  const start = correlationLesson();
  const steps = start.lesson!.steps;

  it("passes every step on an Input with a 'same' Conv2D and the answers the lab's arithmetic gives, and fails each on its start", () => {
    const rng = new Rng(5);
    const img = image(() => rng.int(0, 255));
    // Cross-correlation by its definition: y[i, j] = Σ k[u, v] · x[i + u, j + v], the kernel unflipped.
    const corr = slide(img, sobelX, VALID, 'correlation')!;
    const byDefinition = Array.from({ length: 26 * 26 }, (_, o) => {
      const [i, j] = [Math.floor(o / 26), o % 26];
      let sum = 0;
      for (let u = 0; u < 3; u++) for (let v = 0; v < 3; v++) sum += sobelX.values[u * 3 + v] * img.data[(i + u) * 28 + j + v];
      return sum;
    });
    expect([...corr.data]).toEqual(byDefinition);
    const conv = slide(img, sobelX, VALID, 'convolution')!;
    expect([...conv.data]).toEqual([...corr.data].map((v) => -v + 0));
    // The options name presets as the lab does; the one a 180° flip leaves as it is.
    const names = labStrings('en').presets;
    const symmetric = PRESETS.filter((p) => {
      const k = presetKernel(p, 3);
      return flipKernel(k).values.every((v, i) => v === k.values[i]);
    }).map((p) => names[p]);
    const choice = steps[3].check;
    const answers = {
      0: option(steps[0], /as it is written/i),
      1: flipKernel(sobelX).values[0],
      2: option(steps[2], /changes sign/),
      3: choice.type === 'choice' ? choice.options.findIndex((o) => symmetric.includes(o.en!)) : -1,
    };
    expect(choice.type === 'choice' && choice.options.filter((o) => symmetric.includes(o.en!))).toHaveLength(1);
    expectLessonHolds(start, withConv(start, { filters: 4, kernel_size: [3, 3], padding: 'same' }), answers);
  });
});
