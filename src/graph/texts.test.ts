import { describe, expect, it } from 'vitest';
import { cleanTexts, guessLanguage, textIn, textsFromPlain, withText } from './texts.ts';
import { loadTemplates } from './testing/templates.ts';

describe('texts per language', () => {
  it("shows the reader's language, else English marked as a fallback, else any written one", () => {
    const both = { en: 'Hello', es: 'Hola' };
    expect(textIn(both, 'es')).toEqual({ text: 'Hola', lang: 'es', fallback: false });
    expect(textIn({ en: 'Hello', es: '  ' }, 'es')).toEqual({ text: 'Hello', lang: 'en', fallback: true });
    expect(textIn({ fr: 'Bonjour' }, 'en')).toEqual({ text: 'Bonjour', lang: 'fr', fallback: true });
    expect(textIn({}, 'en')).toBeNull();
    expect(textIn(undefined, 'en')).toBeNull();
  });

  it('edits one language and keeps the others; a blank text removes its entry', () => {
    expect(withText({ en: 'A' }, 'es', 'B')).toEqual({ en: 'A', es: 'B' });
    expect(withText({ en: 'A', es: 'B' }, 'es', ' ')).toEqual({ en: 'A' });
    expect(withText({ en: 'A' }, 'en', '')).toBeUndefined();
    expect(cleanTexts({ en: '', es: 'x' })).toEqual({ es: 'x' });
  });

  it("tells every template's English notes from its Spanish ones (the migration's guess)", () => {
    for (const { file, design } of loadTemplates()) {
      for (const lang of ['en', 'es'] as const) {
        expect(guessLanguage(design.notes![lang]), `${file} ${lang}`).toBe(lang);
        expect(textsFromPlain(design.notes![lang]), file).toEqual({ [lang]: design.notes![lang] });
      }
    }
  });

  it('keeps a text English when there is nothing to tell by (names, numbers, one word)', () => {
    for (const text of ['LeNet-5', '61,706', 'Conv2D → Dense', '', 'ResNet']) expect(guessLanguage(text), text).toBe('en');
  });
});
