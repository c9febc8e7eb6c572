import { describe, expect, it } from 'vitest';
import { designFileName, filesStrings, relativeTime } from './files-strings.ts';

describe('files strings', () => {
  it('English and Spanish have the same keys, and every Spanish string differs where words are involved', () => {
    const en = filesStrings('en');
    const es = filesStrings('es');
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    for (const key of ['newDesign', 'open', 'save', 'copyLink', 'dropHere', 'galleryTitle', 'recentTitle'] as const) {
      expect(es[key], key).not.toBe(en[key]);
    }
  });

  it('design names become safe download names, in any script', () => {
    expect(designFileName('MLP (no convolutions)')).toBe('MLP-no-convolutions.json');
    expect(designFileName('LeNet-5')).toBe('LeNet-5.json');
    expect(designFileName('Red de clasificación: versión 2/3')).toBe('Red-de-clasificación-versión-2-3.json');
    expect(designFileName('../../etc/passwd')).toBe('etc-passwd.json');
    expect(designFileName('  ')).toBe('design.json');
    expect(designFileName('x'.repeat(200))).toHaveLength(80 + '.json'.length);
  });

  it('relative times pick the largest fitting unit, in the page language', () => {
    const now = Date.UTC(2025, 0, 10, 12);
    expect(relativeTime(now - 3_000, now, 'en')).toBe('now');
    expect(relativeTime(now - 90_000, now, 'en')).toBe('2 minutes ago');
    expect(relativeTime(now - 3 * 3600_000, now, 'es')).toBe('hace 3 horas');
    expect(relativeTime(now - 24 * 3600_000, now, 'en')).toBe('yesterday');
  });
});
