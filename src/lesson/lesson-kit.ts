/**
 * What the shipped lessons are written with: steps with their texts in English and Spanish, and the
 * gallery's small networks built layer for layer (lessons.test.ts holds each one to its template file), so
 * a lesson is plain data that opens like any design.
 */
import { DesignBuilder } from '../graph/builder.ts';
import type { Texts } from '../graph/texts.ts';
import type { Design, Lesson, LessonStep } from '../graph/types.ts';

export const step = (en: string, es: string, check: LessonStep['check']): LessonStep => ({ text: { en, es }, check });

/** A multiple-choice step: each option as [English, Spanish]; `answer` is the right one's index. */
export const choiceStep = (en: string, es: string, options: readonly (readonly [string, string])[], answer: number): LessonStep =>
  step(en, es, { type: 'choice', options: options.map(([oen, oes]) => ({ en: oen, es: oes })), answer });

/** A building step: the `nth` layer of `kind` along the flow must output `shape`. */
export const shapeStep = (en: string, es: string, kind: string, nth: number, shape: number[]): LessonStep =>
  step(en, es, { type: 'output-shape', node: { kind, nth }, shape });

/** A numeric question, right within `tolerance`. */
export const numberStep = (en: string, es: string, answer: number, tolerance = 0): LessonStep =>
  step(en, es, { type: 'number', answer, ...(tolerance > 0 ? { tolerance } : {}) });

/** The builder of a lesson's starting design, with the lesson's description. */
export function lessonBuilder(name: string, description: Texts): DesignBuilder {
  return new DesignBuilder(name, { description });
}

export function withLesson(design: Design, lesson: Lesson): Design {
  return { ...design, lesson };
}

/** The gallery's MNIST CNN (templates/mnist-cnn.json), layer for layer and with the same ids. */
export function addMnistCnn(b: DesignBuilder): { readonly pool2: string; readonly flatten: string } {
  const conv = (filters: number) => ({ filters, kernel_size: [5, 5], padding: 'valid', activation: 'relu', use_bias: true });
  const pool = { pool_size: [2, 2], strides: [2, 2], padding: 'valid' };
  const input = b.add('Input', { shape: [28, 28, 1] }, [], { id: 'input' });
  const pool2 = b.chain(input, [
    ['Conv2D', conv(8), { id: 'conv1' }],
    ['MaxPool2D', pool, { id: 'pool1' }],
    ['Conv2D', conv(16), { id: 'conv2' }],
    ['MaxPool2D', pool, { id: 'pool2' }],
  ]);
  const flatten = b.add('Flatten', {}, [pool2], { id: 'flatten' });
  b.add('Dense', { units: 10, activation: 'softmax', use_bias: true }, [flatten], { id: 'output' });
  return { pool2, flatten };
}

/** A design that holds only a 28×28 grey Input: where a kernel-lab lesson's filter goes. */
export function addDigitInput(b: DesignBuilder): string {
  return b.add('Input', { shape: [28, 28, 1] }, [], { id: 'input' });
}
