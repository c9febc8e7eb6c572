import { describe, expect, it } from 'vitest';
import { positionTerms, sumTerms } from '../graph/conv-gradient.ts';
import { receptiveFields } from '../graph/receptive-field.ts';
import { Rng } from '../graph/testing/rng.ts';
import { evaluateCheck } from '../graph/lesson-check.ts';
import type { Design, LessonStep } from '../graph/types.ts';
import { slide, type Kernel } from '../ui/lab/kernel-math.ts';
import { addNode } from '../graph/edit.ts';
import { context, expectLessonHolds, expectMnistCnn } from './testing/expect-lesson.ts';
import { sharedGradientsLesson, whatCnnsSeeLesson } from './look-inside-lessons.ts';

const option = (step: LessonStep, pattern: RegExp) => (step.check.type === 'choice' ? step.check.options.findIndex((o) => pattern.test(o.en!)) : -1);

describe('lesson 6: backprop with shared weights', () => {
  const start = sharedGradientsLesson();
  const steps = start.lesson!.steps;
  const ctx = context(start);

  /** What the kernel view counts: the positions conv-gradient.ts makes one term for, on one image. */
  function positions(id: string): number {
    const [h, w, cin] = ctx.inference.nodes.get(id)!.inputShapes[0] as number[];
    const [ho, wo, cout] = ctx.inference.nodes.get(id)!.outputShape as number[];
    const geometry = { kernel: [5, 5], strides: [1, 1], dilation: [1, 1], padTop: 0, padLeft: 0 } as const;
    const terms = positionTerms({ input: new Float32Array(h * w * cin), inputShape: [1, h, w, cin], delta: new Float32Array(ho * wo * cout), deltaShape: [1, ho, wo, cout], geometry, ci: 0, o: 0 });
    return terms.length / 25;
  }

  it('starts from the MNIST CNN', () => expectMnistCnn(start));

  it('passes every question with the answers conv-gradient.ts and the inference give, and fails each unanswered', () => {
    // The gradient of Σ δ·(x ⋆ k) with respect to k is exact by differences (it is linear in k), and it is
    // the sum of the per-position terms, not the centre's term alone.
    const rng = new Rng(6);
    const x = Array.from({ length: 12 * 12 }, () => rng.int(0, 9));
    const delta = Array.from({ length: 8 * 8 }, () => rng.int(-3, 3));
    const k: Kernel = { size: 5, values: Array.from({ length: 25 }, () => rng.int(-2, 2)) };
    const loss = (kernel: Kernel) => slide({ h: 12, w: 12, data: x }, kernel, { stride: 1, dilation: 1, padding: 'valid' }, 'correlation')!.data.reduce((a, v, i) => a + v * delta[i], 0);
    const byDifference = k.values.map((_, i) => loss({ size: 5, values: k.values.map((v, j) => v + (i === j ? 1 : 0)) }) - loss(k));
    const geometry = { kernel: [5, 5], strides: [1, 1], dilation: [1, 1], padTop: 0, padLeft: 0 } as const;
    const terms = positionTerms({ input: Float32Array.from(x), inputShape: [1, 12, 12, 1], delta: Float32Array.from(delta), deltaShape: [1, 8, 8, 1], geometry, ci: 0, o: 0 });
    expect([...sumTerms(terms, 25)]).toEqual(byDifference);
    const centre = terms.slice(((4 * 8 + 4) * 25), (4 * 8 + 4) * 25 + 25);
    expect([...centre]).not.toEqual(byDifference);
    const answers = {
      0: positions('conv1'),
      1: option(steps[1], /sum of one term per position/),
      2: ctx.inference.nodes.get('conv1')!.trainableParams,
      3: positions('conv2'),
    };
    expectLessonHolds(start, start, answers);
  });
});

describe('lesson 8: what CNNs see', () => {
  const start = whatCnnsSeeLesson();
  const steps = start.lesson!.steps;

  it('starts from the MNIST CNN', () => expectMnistCnn(start));

  it("passes every step on the MNIST CNN with a third 3×3 Conv2D after pool2, with the receptive fields src/graph computes, and fails each on its start", () => {
    const solution = addNode(start, 'Conv2D', { after: 'pool2', params: { filters: 16, kernel_size: [3, 3], padding: 'same' } }).design;
    const ctx = context(solution);
    const fields = receptiveFields(ctx.design, ctx.inference);
    const width = (id: string) => {
      const f = [...fields.get(id)!.values()][0];
      return f.kind === 'local' ? f.axes[1].size : Number.NaN;
    };
    const answers = { 0: option(steps[0], /strokes or edges/), 1: width('conv1'), 2: width('conv2') };
    expectLessonHolds(start, solution, answers);
  });

  it('fails the last step when the third convolution is 1×1: its field stays that of pool2', () => {
    const small: Design = addNode(start, 'Conv2D', { after: 'pool2', params: { filters: 16, kernel_size: [1, 1] } }).design;
    expect(evaluateCheck(steps.at(-1)!.check, context(small)).hint?.code).toBe('lesson-field-small');
  });
});
