/**
 * The template catalogue as a pure function of the files present and templates/index.json, which
 * supplies display names, descriptions, levels and the order; files it does not list still appear.
 * Kept apart from the Vite glob (templates.ts) so Node tests and the e2e spec can use it too.
 */
import { cleanTexts, type Texts } from '../graph/texts.ts';

export interface TemplateEntry {
  /** File name inside templates/, e.g. "vgg-16.json"; the entry's identity. */
  readonly file: string;
  readonly name: string;
  readonly description?: Texts;
  readonly level?: string;
  /** The design's notes, for the gallery (index.json repeats them so the gallery loads no design). */
  readonly notes?: Texts;
  /** Node count, total parameters, MACs per sample and input shape, as `npm run templates` inferred them. */
  readonly layers?: number;
  readonly params?: number;
  readonly macs?: number;
  readonly input?: readonly number[];
}

/** Resolves to the template's parsed JSON. */
export type TemplateLoader = () => Promise<unknown>;

const INDEX_FILE = 'index.json';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Texts per language as index.json holds them (a plain string, as older indexes had, is English). */
function readTexts(v: unknown): Texts | undefined {
  if (typeof v === 'string') return cleanTexts({ en: v });
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  return cleanTexts(Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')));
}

const count = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function readIndex(index: unknown): TemplateEntry[] {
  if (!Array.isArray(index)) return [];
  return index.flatMap((e): TemplateEntry[] => {
    if (typeof e !== 'object' || e === null) return [];
    const { file, name, level, layers, params, macs, input } = e as Record<string, unknown>;
    const description = readTexts((e as Record<string, unknown>).description);
    const notes = readTexts((e as Record<string, unknown>).notes);
    if (typeof file !== 'string' || typeof name !== 'string') return [];
    return [
      {
        file,
        name,
        ...(description ? { description } : {}),
        ...(typeof level === 'string' ? { level } : {}),
        ...(notes ? { notes } : {}),
        ...(count(layers) ? { layers } : {}),
        ...(count(params) ? { params } : {}),
        ...(count(macs) ? { macs } : {}),
        ...(Array.isArray(input) && input.length > 0 && input.every(count) ? { input: input as number[] } : {}),
      },
    ];
  });
}

/** Entries for the files that exist: index.json's order first, then any unlisted file by name. */
export function buildCatalogue(files: readonly string[], index: unknown): TemplateEntry[] {
  const present = new Set(files.map(baseName).filter((f) => f !== INDEX_FILE));
  const listed = readIndex(index).filter((e) => present.has(e.file));
  const seen = new Set(listed.map((e) => e.file));
  const unlisted = [...present]
    .filter((f) => !seen.has(f))
    .sort()
    .map((file): TemplateEntry => ({ file, name: file.replace(/\.json$/, '') }));
  return [...listed, ...unlisted];
}

/** The beginner's first stop: the MNIST CNN, else LeNet-5, else whatever comes first. */
export function defaultTemplate(catalogue: readonly TemplateEntry[]): TemplateEntry | undefined {
  for (const file of ['mnist-cnn.json', 'lenet-5.json']) {
    const hit = catalogue.find((e) => e.file === file);
    if (hit) return hit;
  }
  return catalogue[0];
}
