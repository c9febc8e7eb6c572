import { describe, expect, it } from 'vitest';
import { labStrings } from './lab-strings.ts';

describe('kernel lab strings', () => {
  it('English and Spanish have the same keys, nested too, and the words differ', () => {
    const en = labStrings('en');
    const es = labStrings('es');
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(es.presets).sort()).toEqual(Object.keys(en.presets).sort());
    expect(Object.keys(es.samples).sort()).toEqual(Object.keys(en.samples).sort());
    for (const key of ['tabLab', 'intro', 'correlation', 'convolution', 'noOutput', 'legend'] as const) expect(es[key], key).not.toBe(en[key]);
    expect(es.notImage('a.txt')).not.toBe(en.notImage('a.txt'));
  });
});
