import { describe, expect, it } from 'vitest';
import { lookStrings } from './look-strings.ts';

describe('look inside strings', () => {
  it('English and Spanish have the same keys, and every word differs between them', () => {
    const en = lookStrings('en');
    const es = lookStrings('es');
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const [a, b] = [en[key], es[key]];
      const call = (f: unknown) => (typeof f === 'function' ? (f as (...x: unknown[]) => string)(1, 2, 3) : f);
      expect(typeof b, key).toBe(typeof a);
      expect(call(b), key).not.toBe(call(a));
    }
  });
});
