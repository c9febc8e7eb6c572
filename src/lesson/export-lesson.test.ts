import { describe, expect, it } from 'vitest';
import { exportPytorch } from '../export/pytorch.ts';
import { findPython, runPython } from '../export/testing/python.ts';
import { weightLayouts } from '../graph/explain.ts';
import type { LessonStep } from '../graph/types.ts';
import { exportLesson } from './export-lesson.ts';
import { context, expectLessonHolds, expectMnistCnn } from './testing/expect-lesson.ts';

const torchPython = findPython(['torch']);
const option = (step: LessonStep, pattern: RegExp) => (step.check.type === 'choice' ? step.check.options.findIndex((o) => pattern.test(o.en!)) : -1);
/** "8 × 1 × 5 × 5 (…)" for [8, 1, 5, 5]: how the options write a shape. */
const shapeOption = (step: LessonStep, shape: readonly number[]) => option(step, new RegExp(`^${shape.join(' × ')}(\\s|$)`));

describe('lesson 9: from design to PyTorch and Keras', () => {
  const start = exportLesson();
  const steps = start.lesson!.steps;

  it('starts from the MNIST CNN', () => expectMnistCnn(start));

  it.skipIf(!torchPython)('passes every question with the answers real PyTorch gives for the exported model.py, and fails each unanswered', () => {
    const model = exportPytorch(start);
    if (!model.ok) throw new Error('the lesson design does not export');
    const source = model.files.find((f) => f.path === 'model.py')!.content as string;
    // Run the exported file as a student would, and read the facts back from torch itself.
    const script = [
      'import sys, torch',
      'src = sys.stdin.read()',
      'scope = {"__name__": "lesson", "__file__": "model.py"}',
      'exec(compile(src, "model.py", "exec"), scope)',
      'model = next(v for v in scope.values() if isinstance(v, type) and issubclass(v, torch.nn.Module) and hasattr(v, "INPUT_SHAPES"))()',
      'conv = next(m for m in model.modules() if isinstance(m, torch.nn.Conv2d))',
      'linear = [m for m in model.modules() if isinstance(m, torch.nn.Linear)][-1]',
      'print(" ".join(map(str, conv.weight.shape)))',
      'print(linear.in_features)',
      'print(sum(p.numel() for p in model.parameters()))',
    ].join('\n');
    const [convShape, inFeatures, total] = runPython(torchPython!, script, source).trim().split('\n');
    const ctx = context(start);
    const conv1 = weightLayouts(start.nodes.find((n) => n.id === 'conv1')!, ctx.inference.nodes.get('conv1')!).find((w) => w.name === 'kernel')!;
    expect(conv1.torch).toEqual(convShape.split(' ').map(Number));
    const answers = {
      0: shapeOption(steps[0], convShape.split(' ').map(Number)),
      1: shapeOption(steps[1], conv1.keras),
      2: Number(inFeatures),
      3: option(steps[3], /Reorders the rows/),
      4: Number(total),
    };
    expectLessonHolds(start, start, answers);
  });
});
