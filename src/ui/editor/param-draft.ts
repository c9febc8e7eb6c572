/**
 * What the inspector's fields do with text as it is typed: parse it against the parameter's schema
 * (src/graph/params.ts) and say what is wrong in terms a field can show. Pure, so the form stays a thin
 * renderer. A value is only ever offered to the store after `checkParam`, the check inference applies,
 * has accepted it too.
 */
import { checkParam, type FloatParam, type IntParam, type IntsParam, type ParamSpec } from '../../graph/params.ts';
import type { ParamValue } from '../../graph/types.ts';

export type DraftProblem =
  | { readonly kind: 'empty' }
  | { readonly kind: 'not-number' }
  | { readonly kind: 'not-integer' }
  | { readonly kind: 'range'; readonly min: number; readonly max: number; readonly maxExclusive?: boolean; readonly minusOne?: boolean }
  | { readonly kind: 'length'; readonly min: number; readonly max: number }
  | { readonly kind: 'choice'; readonly options: readonly string[] };

export type Draft<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: DraftProblem };

/** The text a field starts from for a stored value (whatever its type: a file may hold anything). */
export function valueText(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

/** "0,5" is how Spanish writes 0.5; a number field may pass it through as typed. */
function toNumber(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(/^[+-]?\d*,\d+$/.test(t) ? t.replace(',', '.') : t);
  return Number.isFinite(n) ? n : Number.NaN;
}

function bounded(spec: IntParam | FloatParam | IntsParam, n: number): DraftProblem | null {
  const maxExclusive = spec.type === 'float' && spec.maxExclusive === true;
  if (spec.type === 'ints' && spec.allowMinusOne && n === -1) return null;
  if (n < spec.min || n > spec.max || (maxExclusive && n === spec.max)) {
    return {
      kind: 'range',
      min: spec.min,
      max: spec.max,
      ...(maxExclusive ? { maxExclusive } : {}),
      ...(spec.type === 'ints' && spec.allowMinusOne ? { minusOne: true } : {}),
    };
  }
  return null;
}

/** One number: an int or float parameter, or one entry of an integer list. */
export function parseNumberDraft(spec: IntParam | FloatParam | IntsParam, text: string): Draft<number> {
  const n = toNumber(text);
  if (n === null) return { ok: false, problem: { kind: 'empty' } };
  if (Number.isNaN(n)) return { ok: false, problem: { kind: 'not-number' } };
  if (spec.type !== 'float' && !Number.isInteger(n)) return { ok: false, problem: { kind: 'not-integer' } };
  const problem = bounded(spec, n);
  return problem ? { ok: false, problem } : { ok: true, value: n };
}

export interface ListDraft {
  /** The list, when every entry is valid and the length is allowed. */
  readonly value: number[] | null;
  /** Each entry's problem, or null. */
  readonly entries: readonly (DraftProblem | null)[];
  /** A problem with the list as a whole (its length). */
  readonly list: DraftProblem | null;
}

export function parseListDraft(spec: IntsParam, texts: readonly string[]): ListDraft {
  const parsed = texts.map((t) => parseNumberDraft(spec, t));
  const entries = parsed.map((p) => (p.ok ? null : p.problem));
  const list: DraftProblem | null =
    texts.length < spec.minLength || texts.length > spec.maxLength ? { kind: 'length', min: spec.minLength, max: spec.maxLength } : null;
  const ok = list === null && parsed.every((p) => p.ok);
  return { value: ok ? parsed.map((p) => (p as { value: number }).value) : null, entries, list };
}

/** The entries a list field shows for a stored value (a scalar where a list belongs shows as one entry). */
export function listTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => valueText(v));
  return value === undefined ? [] : [valueText(value)];
}

/** A stored choice or flag that its schema would refuse (a file may hold anything). */
export function storedProblem(spec: ParamSpec, value: unknown): DraftProblem | null {
  if (spec.type === 'choice') return typeof value === 'string' && spec.options.includes(value) ? null : { kind: 'choice', options: spec.options };
  if (spec.type === 'bool') return typeof value === 'boolean' ? null : { kind: 'not-number' };
  return null;
}

/** The value is one inference would accept for this parameter (the last gate before the store). */
export function acceptable(name: string, spec: ParamSpec, value: ParamValue): boolean {
  return checkParam(name, '', name, spec, value) === null;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

export function isDefault(spec: ParamSpec, value: unknown): boolean {
  return sameValue(spec.default, value);
}
