/**
 * Shareable links that carry a whole design in the URL fragment: `#design=<lz-string data>`. The fragment
 * never reaches a server, so a link shares the design without uploading it anywhere.
 *
 * The payload is the design file (the same object `serializeDesign` writes) as compact JSON, compressed
 * with lz-string's URI-safe alphabet. Trained weights are left out unless asked for: they would turn a
 * link of a few kilobytes into megabytes. Decoding never throws; every failure is one 'link-bad' issue
 * whose detail says what is wrong (not compressed data, not JSON, or the design's first problem).
 */
import LZString from 'lz-string';
import { formatIssue, parseDesign, serializeDesign, type Design, type Issue, type Lang } from '../graph/index.ts';
import type { DesignWeights } from '../graph/weights.ts';
import { lzTextLength } from './lz-size.ts';

export const LINK_KEY = 'design';

/** Chromium's URL limit is 2 MB; anything longer was not made by us. */
export const MAX_LINK_CHARS = 2_000_000;
/**
 * The same ceiling as an opened file (MAX_FILE_MB), measured before decompressing (`lzTextLength`): LZ
 * decoding can expand its input quadratically, so a link of 0.3 MB could otherwise ask for gigabytes.
 */
export const MAX_LINK_JSON_CHARS = 20_000_000;

export type LinkResult =
  | { readonly ok: true; readonly design: Design; readonly weights?: DesignWeights; readonly warnings: readonly Issue[] }
  | { readonly ok: false; readonly issue: Issue };

/** The fragment (with its '#') that carries `design`; weights only when passed. */
export function designToHash(design: Design, weights?: DesignWeights): string {
  // Compact JSON: the file's indentation costs about a quarter of the link even after compression.
  const compact = JSON.stringify(JSON.parse(serializeDesign(design, weights)));
  return `#${LINK_KEY}=${LZString.compressToEncodedURIComponent(compact)}`;
}

/** The compressed payload of a `#design=…` fragment (also found among other `&`-separated keys), else null. */
export function linkPayload(hash: string): string | null {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of body.split('&')) {
    if (part.startsWith(`${LINK_KEY}=`)) return part.slice(LINK_KEY.length + 1);
  }
  return null;
}

/** Whether a fragment is meant to carry a design (it may still be a broken one). */
export function hasDesignLink(hash: string): boolean {
  return linkPayload(hash) !== null;
}

const DETAILS = {
  missing: {
    en: 'it has no "#design=" part',
    es: 'no tiene la parte "#design="',
  },
  empty: {
    en: 'the part after "#design=" is empty',
    es: 'la parte tras "#design=" está vacía',
  },
  tooLong: {
    en: (n: number) => `it is ${n.toLocaleString('en-US')} characters long, more than any browser keeps`,
    es: (n: number) => `tiene ${n.toLocaleString('es-ES')} caracteres, más de los que guarda cualquier navegador`,
  },
  notCompressed: {
    en: 'the part after "#design=" is not NetCanvas compressed data (was the link cut short or changed?)',
    es: 'la parte tras "#design=" no son datos comprimidos de NetCanvas (¿se cortó o se modificó el enlace?)',
  },
  tooLarge: {
    en: (mb: number) => `the design it holds is larger than ${mb} MB`,
    es: (mb: number) => `el diseño que contiene ocupa más de ${mb} MB`,
  },
  notJson: {
    en: (detail: string) => `its data is damaged or incomplete (${detail}); was the link cut short?`,
    es: (detail: string) => `sus datos están dañados o incompletos (${detail}); ¿se cortó el enlace?`,
  },
  moreProblems: {
    en: (n: number) => ` (and ${n} more problem${n === 1 ? '' : 's'})`,
    es: (n: number) => ` (y ${n} problema${n === 1 ? '' : 's'} más)`,
  },
} as const;

const bad = (detail: string): LinkResult => ({ ok: false, issue: { severity: 'error', code: 'link-bad', values: { detail } } });

/** Some apps percent-encode characters of a link they pass on; lz-string's alphabet never contains '%'. */
function unescapePayload(payload: string): string | null {
  try {
    return payload.includes('%') ? decodeURIComponent(payload) : payload;
  } catch {
    return null; // a broken escape
  }
}

/** The text of a payload already measured to fit; null where lz-string gives up (or throws, however it might). */
function decompress(raw: string): string | null {
  try {
    return LZString.decompressFromEncodedURIComponent(raw);
  } catch {
    return null;
  }
}

/** Reads the design out of a fragment (`location.hash`). Never throws. */
export function designFromHash(hash: string, lang: Lang = 'en'): LinkResult {
  const payload = linkPayload(hash);
  if (payload === null) return bad(DETAILS.missing[lang]);
  if (payload.length === 0) return bad(DETAILS.empty[lang]);
  if (payload.length > MAX_LINK_CHARS) return bad(DETAILS.tooLong[lang](payload.length));
  const raw = unescapePayload(payload);
  const size = raw === null ? null : lzTextLength(raw, MAX_LINK_JSON_CHARS);
  if (raw === null || size === null) return bad(DETAILS.notCompressed[lang]);
  if (size > MAX_LINK_JSON_CHARS) return bad(DETAILS.tooLarge[lang](MAX_LINK_JSON_CHARS / 1_000_000));
  const text = decompress(raw);
  if (!text) return bad(DETAILS.notCompressed[lang]);
  const parsed = parseDesign(text);
  if (parsed.ok) {
    return { ok: true, design: parsed.design, ...(parsed.weights ? { weights: parsed.weights } : {}), warnings: parsed.warnings };
  }
  const [first] = parsed.errors;
  if (first.code === 'file-json') return bad(DETAILS.notJson[lang](String(first.values.detail)));
  const more = parsed.errors.length > 1 ? DETAILS.moreProblems[lang](parsed.errors.length - 1) : '';
  return bad(formatIssue(first, lang) + more);
}
