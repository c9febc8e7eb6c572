/**
 * The template catalogue as a pure function of the files present and templates/index.json, which
 * supplies display names, descriptions, levels and the order; files it does not list still appear.
 * Kept apart from the Vite glob (templates.ts) so Node tests and the e2e spec can use it too.
 */

export interface TemplateEntry {
  /** File name inside templates/, e.g. "vgg-16.json"; the entry's identity. */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly level?: string;
}

/** Resolves to the template's parsed JSON. */
export type TemplateLoader = () => Promise<unknown>;

const INDEX_FILE = 'index.json';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

interface IndexEntry {
  file: string;
  name: string;
  description?: string;
  level?: string;
}

function readIndex(index: unknown): IndexEntry[] {
  if (!Array.isArray(index)) return [];
  return index.flatMap((e): IndexEntry[] => {
    if (typeof e !== 'object' || e === null) return [];
    const { file, name, description, level } = e as Record<string, unknown>;
    if (typeof file !== 'string' || typeof name !== 'string') return [];
    return [
      {
        file,
        name,
        ...(typeof description === 'string' ? { description } : {}),
        ...(typeof level === 'string' ? { level } : {}),
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
