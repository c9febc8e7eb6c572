/**
 * One piece of generated code for every copy of a block: pure text work shared by the PyTorch and Keras
 * block exporters.
 *
 * Why: a block definition is one class (or function), but its copies are unfolded with different argument
 * values (stride 2 in the first block of a stage) and see different inputs (PyTorch's `in_channels`). The
 * exporters print each copy's layers from the flat design with the layer files' own mappings, so a layer
 * reads the same in every copy except for its literals. `Unifier` turns those per-copy lines into one line
 * whose differing literals are expressions: a block argument when its value explains the literal in every
 * copy, a known quantity (the input's channels), or else a constructor parameter of its own. Lines that
 * differ in anything but literals cannot share code: `skeleton` tells them apart, so the exporter gives such
 * copies a class of their own instead of guessing.
 */
import type { ParamValue } from '../graph/types.ts';
import { PyNamer, pyString } from './sanitize.ts';

const NUMBER = String.raw`-?\d+(?:\.\d+)?(?:e[+-]?\d+)?`;
/**
 * A literal that may differ per copy: a number, a tuple of numbers, True/False/None or a double-quoted
 * string; never part of a name (`Conv2d`, `x1`, `F.pad`).
 */
const VALUE = new RegExp(
  String.raw`(?<![\w.])(?:\((?:\s*${NUMBER}\s*,)*\s*${NUMBER}\s*,?\s*\)|${NUMBER}(?![\w.])|(?:True|False|None)\b|"(?:[^"\\]|\\.)*")`,
  'g',
);

/** `text` cut at its literals: text parts around them (one more part than literals). */
export function splitLiterals(text: string): { parts: string[]; values: string[] } {
  const parts: string[] = [];
  const values: string[] = [];
  let at = 0;
  for (const m of text.matchAll(VALUE)) {
    parts.push(text.slice(at, m.index));
    values.push(m[0]);
    at = m.index! + m[0].length;
  }
  parts.push(text.slice(at));
  return { parts, values };
}

/** The text with every literal replaced by one mark: two lines can share code iff their skeletons are equal. */
export function skeleton(text: string): string {
  return splitLiterals(text).parts.join('\u00a7');
}

/** A block argument's value as Python prints it (lists as tuples, as the mappings print them). */
export function pyValue(value: ParamValue | null | undefined): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return value.length === 1 ? `(${pyValue(value[0])},)` : `(${value.map((v) => pyValue(v)).join(', ')})`;
  return pyString(JSON.stringify(value));
}

/** Literals compared without spacing; numbers by value, so `2.0` explains `2`. */
function sameLiteral(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, '').replace(/,\)$/, ')').replace(new RegExp(NUMBER, 'g'), (n) => String(Number(n)));
  return norm(a) === norm(b);
}

/**
 * An argument the line's layer binds, and the keywords its literal follows (`stride=` for a Conv2D's
 * `strides`): there it names the literal even where every copy agrees.
 */
export interface Preferred {
  readonly py: string;
  readonly keywords: readonly string[];
  /** Positions of keyword-less literals the argument sets (found by probing the mapping). */
  readonly positions?: readonly number[];
}

/** A value a literal may be named by: per copy, its Python text (null where it is unknown). */
export interface Quantity {
  readonly name: string;
  readonly values: readonly (string | null)[];
}

/**
 * Unifies the lines of the copies of one class. `args` are the block's arguments (Python name and each
 * copy's value); `known` are named quantities tried after them (the input's channels). Every literal that
 * neither explains becomes a new parameter named by `hint`, shared with an earlier one of the same values.
 */
export class Unifier {
  /** The class's own parameters beyond the block's arguments, in the order they were found. */
  readonly derived: { name: string; values: (string | null)[] }[] = [];

  constructor(
    private readonly copies: number,
    private readonly args: readonly { readonly py: string; readonly values: readonly (ParamValue | null)[] }[],
    private readonly known: readonly Quantity[],
    private readonly namer: PyNamer,
  ) {}

  /**
   * One line for all copies; `texts[i]` is copy i's line, null where copy i lacks it. The present lines
   * must share one skeleton.
   */
  unify(texts: readonly (string | null)[], hint: string, preferred: readonly Preferred[] = []): string {
    const present = texts.flatMap((t, i) => (t === null ? [] : [i]));
    if (present.length === 0) throw new Error('unify: no copy has this line');
    const split = texts.map((t) => (t === null ? null : splitLiterals(t)));
    const first = split[present[0]]!;
    for (const i of present) {
      if (split[i]!.parts.join('\u00a7') !== first.parts.join('\u00a7')) throw new Error(`unify: copies differ beyond literals: ${texts[i]} / ${texts[present[0]]}`);
    }
    let out = first.parts[0];
    first.values.forEach((_, j) => {
      const values = texts.map((_t, i) => split[i]?.values[j] ?? null);
      const kw = /(\w+)=\s*$/.exec(first.parts[j])?.[1];
      // A keyword decides where there is one (a probe that moves the stride also moves a 'same' padding).
      const named = preferred.filter((p) => (kw !== undefined ? p.keywords.includes(kw) : (p.positions?.includes(j) ?? false))).map((p) => p.py);
      out += this.expression(values, present, kw ? `${hint}_${kw}` : hint, named) + first.parts[j + 1];
    });
    return out;
  }

  private expression(values: readonly (string | null)[], present: readonly number[], hint: string, preferred: readonly string[]): string {
    const explains = (of: (i: number) => string | null) => present.every((i) => {
      const v = of(i);
      return v !== null && sameLiteral(v, values[i]!);
    });
    // An argument the layer binds explains its literal even where all copies agree, so the class stays
    // right for values no copy uses; only after its own keyword, since equal values can be a coincidence.
    for (const a of this.args) if (preferred.includes(a.py) && explains((i) => pyValue(a.values[i]))) return a.py;
    const v0 = values[present[0]]!;
    if (present.every((i) => values[i] === v0)) return v0;
    for (const a of this.args) if (explains((i) => pyValue(a.values[i]))) return a.py;
    for (const d of this.derived) if (explains((i) => d.values[i] ?? values[i])) {
      for (const i of present) d.values[i] ??= values[i];
      return d.name;
    }
    for (const q of this.known) if (explains((i) => q.values[i])) {
      const d = { name: this.namer.claimExact(q.name), values: [...q.values] };
      this.derived.push(d);
      return d.name;
    }
    const d = { name: this.namer.claim(hint), values: Array.from({ length: this.copies }, (_, i) => values[i]) };
    this.derived.push(d);
    return d.name;
  }
}
