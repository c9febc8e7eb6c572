import { describe, expect, it } from 'vitest';
import { DesignBuilder } from '../graph/builder.ts';
import { evaluateCheck } from '../graph/lesson-check.ts';
import { formatIssue } from '../graph/messages.ts';
import { receptiveFields } from '../graph/receptive-field.ts';
import type { Design } from '../graph/types.ts';
import { residualLesson, residualSolution, vggStacksLesson, vggStacksSolution } from './classic-architectures.ts';
import { context, expectLessonHolds } from './testing/expect-lesson.ts';
import { findPython, runPython } from '../export/testing/python.ts';

const torchPython = findPython(['torch', 'torchvision']);

/** Each question's answer, worked out by the test from the designs' inference (what the inspector shows). */
function vggAnswers(start: Design, solved: Design): Record<number, number> {
  const s = context(start);
  const r = context(solved);
  const params = (ctx: typeof s, id: string) => ctx.inference.nodes.get(id)!.trainableParams;
  const field = [...receptiveFields(s.design, s.inference).get('conv5x5')!.values()][0];
  if (field.kind !== 'local') throw new Error('conv5x5 has no local field');
  const answers: Record<number, number> = {};
  const numbers = [params(s, 'conv5x5'), field.axes[0].size, params(r, 'conv3x3_a') + params(r, 'conv3x3_b')];
  start.lesson!.steps.forEach((step, i) => {
    if (step.check.type === 'number') answers[i] = numbers.shift()!;
    if (step.check.type === 'choice') answers[i] = step.check.options.findIndex((o) => /fewer weights/.test(o.en ?? ''));
  });
  return answers;
}

const failing = (design: Design, lesson: Design, answers: Record<number, number>) => {
  const ctx = context(design);
  return lesson.lesson!.steps.flatMap((s, i) => (evaluateCheck(s.check, ctx, answers[i]).pass ? [] : [s.check.type]));
};

describe("lesson 7, part 2: VGG's 3×3 stacks", () => {
  const lesson = vggStacksLesson();
  const solved = vggStacksSolution();
  const answers = vggAnswers(lesson, solved);

  it('passes every step on the reference (two stacked 3×3) and fails every step on its start (one 5×5)', () => {
    expectLessonHolds(lesson, solved, answers);
  });

  it('the reference is the start with the 5×5 swapped for two 3×3 of the same width, and both see the same pixels', () => {
    const convs = (d: Design) => d.nodes.filter((n) => n.kind === 'Conv2D' && n.id !== 'stem').map((n) => [n.params.kernel_size, n.params.filters]);
    expect(convs(lesson)).toEqual([[[5, 5], 32]]);
    expect(convs(solved)).toEqual([[[3, 3], 32], [[3, 3], 32]]);
    const side = (d: Design, id: string) => {
      const ctx = context(d);
      const f = [...receptiveFields(ctx.design, ctx.inference).get(id)!.values()][0];
      return f.kind === 'local' ? f.axes.map((a) => a.size) : null;
    };
    expect(side(solved, 'conv3x3_b')).toEqual(side(lesson, 'conv5x5'));
    expect(context(solved).inference.totals.totalParams).toBeLessThan(context(lesson).inference.totals.totalParams);
  });

  it('fails only the parameter step when the 5×5 stays and a 3×3 is added after it (a larger field, more weights)', () => {
    const b = new DesignBuilder('x');
    const input = b.add('Input', { shape: [32, 32, 3] }, [], { id: 'input' });
    const conv = (k: number) => ({ filters: 32, kernel_size: [k, k], padding: 'same', activation: 'relu', use_bias: true });
    const last = b.chain(input, [['Conv2D', conv(3), { id: 'stem' }], ['Conv2D', conv(5), { id: 'conv5x5' }], ['Conv2D', conv(3), { id: 'extra' }]]);
    b.add('Dense', { units: 10 }, [b.add('GlobalAvgPool2D', {}, [last])]);
    expect(failing(b.build(), lesson, answers)).toEqual(['params']);
  });
});

describe('lesson 7, part 3: a residual block', () => {
  const lesson = residualLesson();
  const solved = residualSolution();
  const answers: Record<number, number> = {};
  lesson.lesson!.steps.forEach((step, i) => {
    if (step.check.type === 'number') answers[i] = context(solved).inference.totals.totalParams - context(lesson).inference.totals.totalParams;
    if (step.check.type === 'choice') answers[i] = step.check.options.findIndex((o) => /unchanged/.test(o.en ?? ''));
  });

  it("passes every step on the reference (the palette's ResNet basic block after the stem) and fails every step on its start", () => {
    expect(solved.instances?.map((i) => i.block)).toEqual(['BasicBlock']);
    expectLessonHolds(lesson, solved, answers);
  });

  /** The start with an Add after the stem fed by the stem's output and by `branch` layers computed from it. */
  function handWired(skip: boolean): Design {
    const b = new DesignBuilder('x');
    const input = b.add('Input', { shape: [32, 32, 3] }, [], { id: 'input' });
    const conv = { filters: 64, kernel_size: [3, 3], padding: 'same', activation: 'relu', use_bias: true };
    const stem = b.add('Conv2D', conv, [input], { id: 'stem' });
    const a = b.add('Conv2D', conv, [stem], { id: 'a' });
    const other = skip ? stem : b.add('Conv2D', conv, [stem], { id: 'b' });
    const add = b.add('Add', {}, [a, other], { id: 'add' });
    b.add('Dense', { units: 10 }, [b.add('GlobalAvgPool2D', {}, [add])]);
    return b.build();
  }

  it('counts a skip wired by hand, and not an Add of two branches that only share their input (with a hint saying so)', () => {
    const skipStep = lesson.lesson!.steps.findIndex((s) => s.check.type === 'skip');
    const check = lesson.lesson!.steps[skipStep].check;
    expect(evaluateCheck(check, context(handWired(true))).pass).toBe(true);
    const branches = evaluateCheck(check, context(handWired(false)));
    expect(branches.pass).toBe(false);
    expect(formatIssue(branches.hint!, 'en')).toMatch(/1 Add layer/);
    expect(formatIssue(branches.hint!, 'es')).toMatch(/1 capa\(s\) Add/);
  });

  it('fails the shape step when the skip meets a tensor of another shape (the Add has an error)', () => {
    const wide = { ...solved, instances: solved.instances!.map((i) => ({ ...i, args: { planes: 128 } })) };
    expect(failing(wide, lesson, answers)).toContain('output-shape');
  });
});

describe("lesson 7's numbers against real torch", () => {
  it.skipIf(!torchPython)("the 5×5's and the 3×3 stack's parameters, both networks' totals, and the basic block's parameters with BatchNorm's running statistics are PyTorch's", () => {
    const script = [
      'import json, torch, torchvision',
      'from torch import nn',
      'n = lambda m: sum(p.numel() for p in m.parameters())',
      'net = lambda mid: nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), *mid, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))',
      'five = [nn.Conv2d(32, 32, 5, padding=2), nn.ReLU()]',
      'three = [nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU()]',
      'block = torchvision.models.resnet.BasicBlock(64, 64)',
      'stats = sum(b.numel() for name, b in block.named_buffers() if name.endswith(("running_mean", "running_var")))',
      'print(json.dumps({"five": n(nn.Sequential(*five)), "three": n(nn.Sequential(*three)), "start": n(net(five)), "solved": n(net(three)), "block": n(block) + stats}))',
    ].join('\n');
    const torch = JSON.parse(runPython(torchPython!, script)) as Record<string, number>;
    const vgg = vggStacksLesson().lesson!.steps;
    const numbers = vgg.flatMap((s) => (s.check.type === 'number' ? [s.check.answer] : []));
    expect([numbers[0], numbers[2]]).toEqual([torch.five, torch.three]);
    expect(context(vggStacksLesson()).inference.totals.totalParams).toBe(torch.start);
    expect(vgg.find((s) => s.check.type === 'params')!.check).toMatchObject({ value: torch.solved });
    expect(residualLesson().lesson!.steps.find((s) => s.check.type === 'number')!.check).toMatchObject({ answer: torch.block });
  });
});
