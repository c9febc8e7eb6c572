import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../graph/layers/index.ts';
import type { FloatParam, IntParam, IntsParam, ParamSpec } from '../../graph/params.ts';
import { acceptable, isDefault, listTexts, parseListDraft, parseNumberDraft, storedProblem } from './param-draft.ts';

const filters = LAYERS.Conv2D.params.filters as IntParam;
const rate = LAYERS.Dropout.params.rate as FloatParam;
const kernel = LAYERS.Conv2D.params.kernel_size as IntsParam;
const shape = LAYERS.Input.params.shape as IntsParam;
const target = LAYERS.Reshape.params.target_shape as IntsParam;

describe('parseNumberDraft', () => {
  it('accepts integers within bounds and says what is wrong with anything else', () => {
    expect(parseNumberDraft(filters, ' 16 ')).toEqual({ ok: true, value: 16 });
    expect(parseNumberDraft(filters, '')).toEqual({ ok: false, problem: { kind: 'empty' } });
    expect(parseNumberDraft(filters, 'abc')).toEqual({ ok: false, problem: { kind: 'not-number' } });
    expect(parseNumberDraft(filters, '2.5')).toEqual({ ok: false, problem: { kind: 'not-integer' } });
    expect(parseNumberDraft(filters, '0')).toEqual({ ok: false, problem: { kind: 'range', min: 1, max: filters.max } });
  });

  it('reads floats, a Spanish decimal comma, and an exclusive upper bound', () => {
    expect(parseNumberDraft(rate, '0.25')).toEqual({ ok: true, value: 0.25 });
    expect(parseNumberDraft(rate, '0,5')).toEqual({ ok: true, value: 0.5 });
    expect(rate.maxExclusive).toBe(true);
    expect(parseNumberDraft(rate, '1')).toMatchObject({ ok: false, problem: { kind: 'range', maxExclusive: true } });
  });
});

describe('parseListDraft', () => {
  it('gives the list only when every entry is valid', () => {
    expect(parseListDraft(kernel, ['5', '3']).value).toEqual([5, 3]);
    const bad = parseListDraft(kernel, ['5', '0']);
    expect(bad.value).toBeNull();
    expect(bad.entries).toEqual([null, { kind: 'range', min: 1, max: kernel.max }]);
  });

  it('checks the length of variable-length lists and allows Reshape its -1', () => {
    expect(parseListDraft(shape, ['784']).value).toEqual([784]);
    expect(parseListDraft(shape, []).list).toEqual({ kind: 'length', min: 1, max: 3 });
    expect(parseListDraft(target, ['-1', '4']).value).toEqual([-1, 4]);
    expect(parseListDraft(target, ['-2']).entries[0]).toMatchObject({ kind: 'range', minusOne: true });
  });

  it('shows a scalar stored where a list belongs as one entry', () => {
    expect(listTexts(5)).toEqual(['5']);
    expect(listTexts([3, 3])).toEqual(['3', '3']);
  });
});

describe('the form agrees with the schema inference checks', () => {
  const specs: [string, ParamSpec][] = Object.values(LAYERS).flatMap((l) => Object.entries(l.params));
  const samples = ['-1', '0', '1', '2', '0.5', '0.999', '1.5', '7', '100000', '100001', '1e3', 'x', ''];

  it('every number the form would dispatch passes checkParam, and every one it refuses fails it', () => {
    for (const [name, spec] of specs) {
      if (spec.type === 'int' || spec.type === 'float') {
        for (const text of samples) {
          const draft = parseNumberDraft(spec, text);
          if (draft.ok) expect(acceptable(name, spec, draft.value), `${name} ${text}`).toBe(true);
          else if (draft.problem.kind !== 'empty' && draft.problem.kind !== 'not-number') {
            expect(acceptable(name, spec, Number(text)), `${name} ${text}`).toBe(false);
          }
        }
      } else if (spec.type === 'ints') {
        for (const text of samples) {
          const texts = Array.from({ length: spec.minLength }, () => text);
          const draft = parseListDraft(spec, texts);
          if (draft.value) expect(acceptable(name, spec, draft.value), `${name} ${text}`).toBe(true);
        }
      }
    }
  });

  it('every default is acceptable and marked as the default', () => {
    for (const [name, spec] of specs) {
      expect(acceptable(name, spec, spec.default as never), name).toBe(true);
      expect(isDefault(spec, spec.type === 'ints' ? [...spec.default] : spec.default), name).toBe(true);
      expect(storedProblem(spec, spec.default), name).toBeNull();
    }
  });
});
