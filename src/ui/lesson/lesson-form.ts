/**
 * The lesson editor's form as plain strings (what the inputs hold) and the two pure conversions: a lesson
 * into the form, and the form back into a lesson or the list of what is wrong, step by step. A form that
 * does not convert is never saved, so the design keeps its lesson until the form is right.
 */
import { formatShape } from '../../graph/shape-math.ts';
import type { Lesson, LessonCheck, LessonCheckType, LessonStep } from '../../graph/types.ts';

export interface StepDraft {
  readonly textEn: string;
  readonly textEs: string;
  readonly type: LessonCheckType;
  readonly kind: string;
  readonly count: string;
  readonly after: string;
  readonly nth: string;
  readonly shape: string;
  readonly which: 'total' | 'trainable';
  readonly op: 'le' | 'eq';
  readonly value: string;
  readonly optionsEn: string;
  readonly optionsEs: string;
  /** The right option (1-based, as the form shows it) or the right number. */
  readonly answer: string;
  readonly tolerance: string;
  /** The least receptive field (pixels) or test accuracy (percent). */
  readonly min: string;
  /** The data an accuracy step wants the run on ("mnist"). */
  readonly dataset: string;
}

export interface LessonDraft {
  readonly titleEn: string;
  readonly titleEs: string;
  readonly steps: readonly StepDraft[];
}

export type FormProblemCode = 'badShape' | 'badNumber' | 'badPercent' | 'noDataset' | 'fewOptions' | 'badOption' | 'noText' | 'noTitle';
/** `step` is 1-based; 0 is the lesson's own title. */
export interface FormProblem {
  readonly step: number;
  readonly code: FormProblemCode;
}

export const EMPTY_STEP: StepDraft = {
  textEn: '',
  textEs: '',
  type: 'has-kind',
  kind: 'Conv2D',
  count: '1',
  after: '',
  nth: '1',
  shape: '',
  which: 'total',
  op: 'le',
  value: '',
  optionsEn: '',
  optionsEs: '',
  answer: '',
  tolerance: '0',
  min: '',
  dataset: 'mnist',
};

/** "28×28×6", "28x28x6" or "28, 28, 6" → [28, 28, 6]; null unless every part is a positive whole number. */
export function parseShapeText(text: string): number[] | null {
  // The whole text: a dangling separator ("28×") is a shape not finished, not a shorter one.
  if (!/^\s*\d+(?:(?:\s*[×x*,]\s*|\s+)\d+)*\s*$/i.test(text)) return null;
  const parts = text.split(/[×x*,\s]+/i).filter((p) => p !== '');
  if (parts.length > 8) return null;
  const dims = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
  return dims.every((d) => Number.isSafeInteger(d) && d > 0) ? dims : null;
}

function parseNumber(text: string): number | null {
  const trimmed = text.trim().replace(/[_\s]/g, '');
  if (trimmed === '') return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');

export function stepToDraft(step: LessonStep): StepDraft {
  const c = step.check;
  const base: StepDraft = { ...EMPTY_STEP, textEn: step.text.en ?? '', textEs: step.text.es ?? '', type: c.type };
  switch (c.type) {
    case 'has-kind':
      return { ...base, kind: c.kind, count: String(c.count ?? 1), after: c.after ?? '' };
    case 'output-shape':
      return 'kind' in c.node ? { ...base, kind: c.node.kind, nth: String(c.node.nth), shape: formatShape(c.shape) } : { ...base, shape: formatShape(c.shape) };
    case 'params':
      return { ...base, which: c.which, op: c.op, value: String(c.value) };
    case 'macs':
      return { ...base, op: c.op, value: String(c.value) };
    case 'no-errors':
      return base;
    case 'choice':
      return {
        ...base,
        optionsEn: c.options.map((o) => o.en ?? '').join('\n'),
        optionsEs: c.options.map((o) => o.es ?? '').join('\n'),
        answer: String(c.answer + 1),
      };
    case 'number':
      return { ...base, answer: String(c.answer), tolerance: String(c.tolerance ?? 0) };
    case 'receptive-field':
      return 'kind' in c.node ? { ...base, kind: c.node.kind, nth: String(c.node.nth), min: String(c.min) } : { ...base, min: String(c.min) };
    case 'skip':
      return { ...base, count: String(c.count ?? 1) };
    case 'accuracy':
      return { ...base, dataset: c.dataset, min: String(c.min) };
  }
}

export function lessonToDraft(lesson: Lesson | undefined): LessonDraft {
  if (!lesson) return { titleEn: '', titleEs: '', steps: [EMPTY_STEP] };
  return { titleEn: lesson.title.en ?? '', titleEs: lesson.title.es ?? '', steps: lesson.steps.map(stepToDraft) };
}

function draftToCheck(d: StepDraft): LessonCheck | FormProblemCode {
  const count = (text: string) => {
    const n = parseNumber(text);
    return n !== null && Number.isInteger(n) && n >= 1 ? n : null;
  };
  switch (d.type) {
    case 'has-kind': {
      const n = count(d.count);
      if (n === null) return 'badNumber';
      return { type: 'has-kind', kind: d.kind, ...(n !== 1 ? { count: n } : {}), ...(d.after ? { after: d.after } : {}) };
    }
    case 'output-shape': {
      const shape = parseShapeText(d.shape);
      const nth = count(d.nth);
      if (!shape) return 'badShape';
      if (nth === null) return 'badNumber';
      return { type: 'output-shape', node: { kind: d.kind, nth }, shape };
    }
    case 'params':
    case 'macs': {
      const value = parseNumber(d.value);
      if (value === null || value < 0) return 'badNumber';
      return d.type === 'params' ? { type: 'params', which: d.which, op: d.op, value } : { type: 'macs', op: d.op, value };
    }
    case 'no-errors':
      return { type: 'no-errors' };
    case 'choice': {
      const en = lines(d.optionsEn);
      const es = lines(d.optionsEs);
      if (en.length < 2 || en.length > 10 || es.length !== en.length) return 'fewOptions';
      const right = count(d.answer);
      if (right === null || right > en.length) return 'badOption';
      return { type: 'choice', options: en.map((text, i) => ({ en: text, es: es[i] })), answer: right - 1 };
    }
    case 'number': {
      const answer = parseNumber(d.answer);
      const tolerance = parseNumber(d.tolerance || '0');
      if (answer === null || tolerance === null || tolerance < 0) return 'badNumber';
      return { type: 'number', answer, ...(tolerance > 0 ? { tolerance } : {}) };
    }
    case 'receptive-field': {
      const nth = count(d.nth);
      const min = count(d.min);
      if (nth === null || min === null) return 'badNumber';
      return { type: 'receptive-field', node: { kind: d.kind, nth }, min };
    }
    case 'skip': {
      const n = count(d.count);
      if (n === null) return 'badNumber';
      return { type: 'skip', ...(n !== 1 ? { count: n } : {}) };
    }
    case 'accuracy': {
      const min = parseNumber(d.min);
      if (min === null || min < 0 || min > 100) return 'badPercent';
      if (!d.dataset.trim()) return 'noDataset';
      return { type: 'accuracy', dataset: d.dataset.trim(), min };
    }
  }
}

/** The lesson the form describes, or every problem (each with its step) that stops it. */
export function draftToLesson(draft: LessonDraft): { ok: true; lesson: Lesson } | { ok: false; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  if (!draft.titleEn.trim() || !draft.titleEs.trim()) problems.push({ step: 0, code: 'noTitle' });
  const steps: LessonStep[] = [];
  draft.steps.forEach((d, i) => {
    if (!d.textEn.trim() || !d.textEs.trim()) problems.push({ step: i + 1, code: 'noText' });
    const check = draftToCheck(d);
    if (typeof check === 'string') problems.push({ step: i + 1, code: check });
    else steps.push({ text: { en: d.textEn.trim(), es: d.textEs.trim() }, check });
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, lesson: { title: { en: draft.titleEn.trim(), es: draft.titleEs.trim() }, steps } };
}

/**
 * A student's typed number: "2416", "2,416" (en) or "2.416" (es) as thousands, "0,5", "0.5" or "0.111" (a
 * leading zero starts no thousands group) as a decimal; null for anything else.
 */
export function parseAnswer(text: string): number | null {
  const t = text.trim().replace(/[\s_]/g, '');
  if (/^-?[1-9]\d{0,2}([.,])\d{3}(\1\d{3})*$/.test(t)) return Number(t.replace(/[.,]/g, ''));
  if (!/^-?\d+([.,]\d+)?$/.test(t)) return null;
  return Number(t.replace(',', '.'));
}
