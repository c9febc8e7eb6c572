import { describe, expect, it } from 'vitest';
import { trainStrings } from './train-strings.ts';

describe('training panel strings', () => {
  it('English and Spanish have the same keys, and the budget check words differ between them', () => {
    const en = trainStrings('en');
    const es = trainStrings('es');
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    const call = (f: unknown, ...args: unknown[]) => (typeof f === 'function' ? (f as (...x: unknown[]) => string)(...args) : f);
    for (const key of Object.keys(en).filter((k) => k.startsWith('budget')) as (keyof typeof en)[]) {
      expect(typeof es[key], key).toBe(typeof en[key]);
      expect(call(es[key], 1, 2, 3, 4), key).not.toBe(call(en[key], 1, 2, 3, 4));
    }
    for (const source of ['device-memory', 'webgpu-binding'] as const) {
      expect(es.budgetOver(source, 'a', 'b', 'c')).not.toBe(en.budgetOver(source, 'a', 'b', 'c'));
    }
  });
});
