/**
 * The code panel's vocabulary, light enough for the page: tabs, what a tab shows, file names. The
 * generation itself (./code-views.ts, with every exporter) runs only inside the code worker.
 */
import type { ExportTarget } from '../../export/types.ts';
import type { Issue } from '../../graph/messages.ts';
import type { Design } from '../../graph/types.ts';

export type CodeTab = ExportTarget | 'design';
export const CODE_TABS = ['pytorch', 'keras', 'onnx', 'design'] as const satisfies readonly CodeTab[];

/** 4 M float32 parameters ≈ 16 MB of ONNX: built in well under a second; above, only on download. */
export const ONNX_PREVIEW_MAX_PARAMS = 4_000_000;

export type CodeLanguage = 'python' | 'json' | 'plaintext';

export interface TextFile {
  readonly path: string;
  readonly language: CodeLanguage;
  readonly text: string;
}

/** A file the download has but the panel does not show (binary), with its size. */
export interface ListedFile {
  readonly path: string;
  readonly bytes: number;
}

/** Why a tab shows a note instead of (or beside) its files; the panel words it in the user's language. */
export type TabNote =
  | { readonly kind: 'onnx-on-download'; readonly params: number; readonly bytes: number }
  | { readonly kind: 'weights-left-out'; readonly tensors: number; readonly bytes: number };

export type TabView =
  | { readonly ok: true; readonly files: readonly TextFile[]; readonly binaries: readonly ListedFile[]; readonly note?: TabNote }
  | { readonly ok: false; readonly issues: readonly Issue[] };

export type CodeViews = Readonly<Record<CodeTab, TabView>>;

export function languageOf(path: string): CodeLanguage {
  if (path.endsWith('.py')) return 'python';
  if (path.endsWith('.json')) return 'json';
  return 'plaintext';
}

/** A file name made of the design's name: "VGG-16" → "vgg-16". */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return s || 'design';
}

export const designFileName = (design: Design) => `${slug(design.name)}.json`;
export const zipFileName = (design: Design) => `${slug(design.name)}-netcanvas.zip`;

export type DownloadResult = { readonly ok: true; readonly zip: Uint8Array; readonly paths: readonly string[] } | { readonly ok: false; readonly issues: readonly Issue[] };
