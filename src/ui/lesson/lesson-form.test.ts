import { describe, expect, it } from 'vitest';
import { parseDesign, serializeDesign } from '../../graph/file-format.ts';
import type { Lesson } from '../../graph/types.ts';
import { LESSONS } from '../../lesson/lessons.ts';
import { draftToLesson, EMPTY_STEP, lessonToDraft, parseAnswer, parseShapeText } from './lesson-form.ts';
import { lessonStrings } from './lesson-strings.ts';

describe('lesson editor form', () => {
  it.each(LESSONS.map((l) => [l.id, l]))('turns shipped lesson %s into the form and back unchanged, and the result is a valid file', (_, entry) => {
    const design = entry.make();
    const back = draftToLesson(lessonToDraft(design.lesson));
    expect(back.ok && back.lesson).toEqual(design.lesson);
    if (!back.ok) return;
    const r = parseDesign(serializeDesign({ ...design, lesson: back.lesson }));
    expect(r.ok).toBe(true);
  });

  it('carries receptive-field and accuracy steps through the form, and names a bad percentage or a missing data set', () => {
    const lesson: Lesson = {
      title: { en: 'T', es: 'T' },
      steps: [
        { text: { en: 'a', es: 'b' }, check: { type: 'receptive-field', node: { kind: 'Conv2D', nth: 3 }, min: 20 } },
        { text: { en: 'a', es: 'b' }, check: { type: 'accuracy', dataset: 'fashion-mnist', min: 88.5 } },
      ],
    };
    const back = draftToLesson(lessonToDraft(lesson));
    expect(back.ok && back.lesson).toEqual(lesson);
    const draft = lessonToDraft(lesson);
    const bad = draftToLesson({ ...draft, steps: [{ ...draft.steps[0], min: '0' }, { ...draft.steps[1], min: '101' }, { ...draft.steps[1], dataset: ' ' }] });
    expect(bad.ok ? [] : bad.problems).toEqual([
      { step: 1, code: 'badNumber' },
      { step: 2, code: 'badPercent' },
      { step: 3, code: 'noDataset' },
    ]);
  });

  it('reads shapes as people write them and refuses anything else', () => {
    expect(parseShapeText('28×28×6')).toEqual([28, 28, 6]);
    expect(parseShapeText(' 28x28, 6 ')).toEqual([28, 28, 6]);
    expect(parseShapeText('400')).toEqual([400]);
    for (const bad of ['', '28×0', '2.5×3', 'a×b', '-1']) expect(parseShapeText(bad), bad).toBeNull();
  });

  it('names each problem with its step, and saves nothing while there is one', () => {
    const r = draftToLesson({
      titleEn: 'T',
      titleEs: '',
      steps: [
        { ...EMPTY_STEP, textEn: 'a', textEs: 'b', type: 'output-shape', shape: '28×' },
        { ...EMPTY_STEP, textEn: 'a', textEs: '', type: 'choice', optionsEn: 'x\ny', optionsEs: 'x\ny', answer: '3' },
        { ...EMPTY_STEP, textEn: 'a', textEs: 'b', type: 'params', value: 'many' },
      ],
    });
    expect(r.ok ? [] : r.problems).toEqual([
      { step: 0, code: 'noTitle' },
      { step: 1, code: 'badShape' },
      { step: 2, code: 'noText' },
      { step: 2, code: 'badOption' },
      { step: 3, code: 'badNumber' },
    ]);
  });

  it('has every word in English and Spanish', () => {
    const en = lessonStrings('en');
    const es = lessonStrings('es');
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(es.checkTypes).sort()).toEqual(Object.keys(en.checkTypes).sort());
    for (const key of ['lesson', 'next', 'previous', 'passed', 'addStep', 'save', 'badShape'] as const) expect(es[key], key).not.toBe(en[key]);
  });
});

describe('typed answers', () => {
  it('reads thousands in either language and decimals with either mark', () => {
    expect(parseAnswer('2416')).toBe(2416);
    expect(parseAnswer('2,416')).toBe(2416);
    expect(parseAnswer('2.416')).toBe(2416);
    expect(parseAnswer('61.706')).toBe(61706);
    expect(parseAnswer('1,234,567')).toBe(1234567);
    expect(parseAnswer('0,5')).toBe(0.5);
    // A leading zero is never a thousands group: 0.111 is a ninth, rounded.
    expect(parseAnswer('0.111')).toBe(0.111);
    expect(parseAnswer('-0,125')).toBe(-0.125);
    expect(parseAnswer('-3')).toBe(-3);
    for (const bad of ['', 'abc', '1,2,3', '2 416 x']) expect(parseAnswer(bad), bad).toBeNull();
  });
});
