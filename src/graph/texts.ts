/**
 * Texts per language in the design document (format version 3): a design's description and notes, and a
 * lesson's texts, are `{en: "…", es: "…"}`. Keys are language codes, so a file may carry languages the app
 * does not speak yet; the app shows the reader's language and, when a text lacks it, another one marked as
 * such (never nothing).
 */
import type { Lang } from './types.ts';

/** Text per language code (`en`, `es`, `pt-BR`, …). A missing or blank entry means "not written". */
export type Texts = Readonly<Record<string, string>>;

/** Language codes as BCP 47 writes the common ones: `en`, `es`, `pt-BR`. */
export const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

/** The order a missing language falls back through: English first, as the app's own strings do. */
const FALLBACK: readonly string[] = ['en', 'es'];

export interface ShownText {
  readonly text: string;
  /** The language the text is in. */
  readonly lang: string;
  /** True when that is not the language asked for (the UI says so beside the text). */
  readonly fallback: boolean;
}

/** The text to show a reader of `lang`: theirs, else English, else Spanish, else any; null when none is written. */
export function textIn(texts: Texts | undefined, lang: Lang | string): ShownText | null {
  if (!texts) return null;
  const written = (code: string) => Object.hasOwn(texts, code) && typeof texts[code] === 'string' && texts[code].trim() !== '';
  if (written(lang)) return { text: texts[lang], lang, fallback: false };
  const other = [...FALLBACK, ...Object.keys(texts).sort()].find(written);
  return other === undefined ? null : { text: texts[other], lang: other, fallback: true };
}

/** Just the string (empty when nothing is written): for exports and other places that show no marker. */
export function plainText(texts: Texts | undefined, lang: Lang | string = 'en'): string {
  return textIn(texts, lang)?.text ?? '';
}

/** `texts` with `lang`'s entry replaced; a blank text removes the entry, and an empty result is undefined. */
export function withText(texts: Texts | undefined, lang: string, text: string): Texts | undefined {
  const next: Record<string, string> = { ...(texts ?? {}) };
  if (text.trim() === '') delete next[lang];
  else next[lang] = text;
  return Object.keys(next).length > 0 ? next : undefined;
}

/** Whether any language has text. */
export function hasText(texts: Texts | undefined): boolean {
  return textIn(texts, 'en') !== null;
}

// Short words frequent in one language and rare in the other; a text is Spanish when it has clearly more of
// the Spanish ones. Written notes are long enough for this to be reliable, and when it is unsure (a name, a
// number, a one-word note) the text stays English, which is what every file before version 3 was written in.
const EN_WORDS = new Set(['the', 'and', 'of', 'is', 'to', 'with', 'in', 'it', 'this', 'that', 'are', 'for', 'on', 'each', 'by', 'an']);
const ES_WORDS = new Set(['el', 'la', 'los', 'las', 'de', 'del', 'y', 'que', 'es', 'con', 'en', 'una', 'un', 'por', 'para', 'cada', 'se', 'su']);

/** The language a plain (pre-version-3) text is written in: 'es' or 'en'. */
export function guessLanguage(text: string): 'en' | 'es' {
  let en = 0;
  let es = 0;
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    if (EN_WORDS.has(word)) en++;
    if (ES_WORDS.has(word)) es++;
  }
  if (/[¿¡ñ]/.test(text)) es += 2;
  return es > en + 1 ? 'es' : 'en';
}

/** A plain text of an older file as version-3 texts, in the language it is written in. */
export function textsFromPlain(text: string): Texts {
  return { [guessLanguage(text)]: text };
}

/** A text made only of names and numbers, which reads the same in every language the app speaks. */
export function sameInEveryLanguage(text: string): Texts {
  return { en: text, es: text };
}

/** `texts` without its blank entries; undefined when nothing is left. */
export function cleanTexts(texts: Texts | undefined): Texts | undefined {
  const kept = Object.entries(texts ?? {}).filter(([, text]) => text.trim() !== '');
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}
