import { describe, expect, it } from 'vitest';
import { lockStrings } from './lock-strings.ts';

describe('lock strings', () => {
  it('English and Spanish have the same keys, and every word differs between them', () => {
    const en = lockStrings('en');
    const es = lockStrings('es');
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const call = (f: unknown) => (typeof f === 'function' ? (f as (...x: unknown[]) => string)('x') : f);
      expect(typeof es[key], key).toBe(typeof en[key]);
      expect(call(es[key]), key).not.toBe(call(en[key]));
    }
  });
});
