/**
 * Seeded fuzzing of the file reader with what an attacker or a careless user hands it. Every case must
 * come back as a value (never a throw), with messages of bounded length, the input object untouched and
 * Object.prototype unchanged. Cycles are covered in file-format.test.ts and infer.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DEPTH, parseDesign, serializeDesign, textTooDeep, tooDeepAt } from './file-format.ts';
import { formatIssue, MAX_MESSAGE_CHARS } from './messages.ts';
import { inferShapes } from './infer.ts';
import { mulberry32 } from './random.ts';
import { loadTemplate } from './testing/templates.ts';

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
const INHERITED = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', '__proto__', 'isPrototypeOf'];
const EXTREMES: unknown[] = [NaN, Infinity, -Infinity, -0, 1e308, -1e308, 0.5, -1, 2 ** 53, '\uD800', [], {}, null, true, 'x'.repeat(100_000)];

/** Reads `input` the way every reader does and checks the promises; returns whether it loaded. */
function read(input: unknown): boolean {
  const before = typeof input === 'string' ? input : JSON.stringify(input);
  let thrown: unknown = null;
  let result: ReturnType<typeof parseDesign> = { ok: false, errors: [] };
  try {
    result = parseDesign(input);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeNull();
  expect(typeof input === 'string' ? input : JSON.stringify(input)).toBe(before);
  const issues = result.ok ? result.warnings : result.errors;
  if (!result.ok) expect(issues.length).toBeGreaterThan(0);
  for (const issue of issues) {
    for (const lang of ['en', 'es'] as const) expect(formatIssue(issue, lang).length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  }
  if (result.ok) {
    const design = result.design;
    expect(() => inferShapes(design)).not.toThrow();
  }
  return result.ok;
}

describe('the file reader under hostile input', () => {
  const text = serializeDesign(loadTemplate('lenet-5.json'));
  const random = mulberry32(2026);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

  afterAll(() => expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES));

  it('refuses the file cut at every structural point', () => {
    let cuts = 0;
    for (let i = 0; i < text.length - 2; i++) {
      if (!'{}[],:"'.includes(text[i])) continue;
      expect(read(text.slice(0, i))).toBe(false);
      cuts++;
    }
    expect(cuts).toBeGreaterThan(500);
  });

  it('judges inherited member names wherever a key or a name goes', () => {
    for (const name of INHERITED) {
      const doc = JSON.parse(text);
      const node = pick(doc.nodes as { id: string; params: Record<string, unknown> }[]);
      node.params = JSON.parse(`{"${name}": 1}`);
      expect(read(doc)).toBe(false);
      expect(read(JSON.stringify(doc))).toBe(false);
      for (const where of ['id', 'kind', 'label'] as const) {
        const other = JSON.parse(text);
        other.nodes[0][where] = name;
        read(other);
      }
      const edge = JSON.parse(text);
      edge.edges[0].source = name;
      expect(read(edge)).toBe(false);
      read(JSON.parse(`{"format":"netcanvas","version":1,"nodes":[],"${name}":{}}`));
      read(JSON.parse(`{"format":"netcanvas","version":1,"nodes":[],"weights":{"encoding":"float32-le-base64","tensors":{"${name}":{}}}}`));
    }
  });

  it('answers numeric extremes, odd types, lone surrogates and huge values in every parameter and field', () => {
    for (let i = 0; i < 2_000; i++) {
      const doc = JSON.parse(text);
      const node = pick(doc.nodes as Record<string, unknown>[]);
      const field = pick(['params', 'params', 'params', 'position', 'id', 'kind', 'label', 'notes']);
      const value = pick(EXTREMES);
      if (field === 'params') {
        const params = node.params as Record<string, unknown>;
        const keys = Object.keys(params);
        params[keys.length > 0 && random() < 0.8 ? pick(keys) : `p${i}`] = value;
      } else if (field === 'position') node.position = { x: value, y: 0 };
      else node[field] = value;
      read(doc);
    }
  });

  it('answers huge lists and strings with bounded messages', () => {
    const doc = JSON.parse(text);
    doc.nodes[0].params.shape = Array.from({ length: 100_000 }, () => 1);
    doc.nodes[1].id = 'y'.repeat(1_000_000);
    doc.edges = Array.from({ length: 60_001 }, () => ({ source: 'a', target: 'b' }));
    expect(read(doc)).toBe(false);
    doc.edges = [];
    expect(read(doc)).toBe(false);
  });
});

describe('the nesting check on file text', () => {
  /**
   * JSON around the depth limit, with strings full of brackets, quotes and backslashes to mislead a scan;
   * one branch goes deep, its siblings stay shallow (a full tree 64 levels deep would never end).
   */
  function nested(random: () => number, depth: number): unknown {
    const strings = ['[', '{', ']]]', '\\', '\\"[', '"{"', 'a\\', '\u005b', ''];
    const leaf = () => (random() < 0.5 ? strings[Math.floor(random() * strings.length)] : 1);
    if (depth === 0) return leaf();
    const children = [nested(random, depth - 1), ...(random() < 0.3 ? [leaf(), [leaf()]] : [])];
    if (random() < 0.5) return random() < 0.5 ? children : children.reverse();
    return Object.fromEntries(children.map((c, i) => [`${strings[Math.floor(random() * strings.length)]}k${i}`, c]));
  }

  it('gives the verdict of the walk over the parsed value, whatever the strings hold', () => {
    const random = mulberry32(64);
    const verdicts = new Set<boolean>();
    for (let i = 0; i < 300; i++) {
      const text = JSON.stringify(nested(random, MAX_DEPTH - 3 + Math.floor(random() * 6)), null, random() < 0.5 ? 1 : 0);
      const deep = tooDeepAt(JSON.parse(text), MAX_DEPTH) !== null;
      expect(textTooDeep(text, MAX_DEPTH)).toBe(deep);
      verdicts.add(deep);
    }
    expect([...verdicts].sort()).toEqual([false, true]);
  });
});

