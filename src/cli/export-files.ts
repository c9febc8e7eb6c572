/**
 * `netcanvas export`: writing an exporter's files into a folder, and the report printed about it.
 * The report is a pure function (testable without a file system); the writer turns every file-system
 * failure into one WriteError sentence naming the path.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Design, Lang } from '../graph/types.ts';
import type { ExportFile, ExportResult, ExportTarget } from '../export/types.ts';
import { formatBytes } from '../graph/number-format.ts';
import { writeChunks } from './node-files.ts';
import { formatIssueLines } from './summary.ts';

export const TARGET_NAMES: Readonly<Record<ExportTarget, string>> = { pytorch: 'PyTorch', keras: 'Keras', onnx: 'ONNX' };

const TEXT = {
  en: {
    wrote: (name: string, target: string, count: number, out: string, weights: boolean) =>
      `Exported "${name}" to ${target}${weights ? ' with its trained weights' : ''}: ${count} file${count === 1 ? '' : 's'} in ${out}`,
    refused: (errors: number, out: string) =>
      `Not exported: ${errors} error${errors === 1 ? '' : 's'}; nothing was written to ${out}`,
  },
  es: {
    wrote: (name: string, target: string, count: number, out: string, weights: boolean) =>
      `"${name}" exportado a ${target}${weights ? ' con sus pesos entrenados' : ''}: ${count} archivo${count === 1 ? '' : 's'} en ${out}`,
    refused: (errors: number, out: string) =>
      `No exportado: ${errors} error${errors === 1 ? '' : 'es'}; no se escribió nada en ${out}`,
  },
} as const;

/** A file's size; a chunked one is counted by making its pieces, so the writer's own counts are passed in when known. */
function byteLength(content: ExportFile['content']): number {
  if (typeof content === 'string') return Buffer.byteLength(content, 'utf8');
  if (content instanceof Uint8Array) return content.byteLength;
  let n = 0;
  for (const chunk of content.chunks()) n += chunk.byteLength;
  return n;
}

export interface ExportReportInput {
  readonly design: Design;
  readonly target: ExportTarget;
  readonly out: string;
  readonly lang: Lang;
  readonly withWeights: boolean;
  readonly result: ExportResult;
  /** Bytes written per file (writeExportFiles's answer), in the order of `result.files`. */
  readonly sizes?: readonly number[];
}

/**
 * What the CLI prints: on success a headline and one line per file (its path as the user will type it,
 * and its size); on refusal the issues, errors first, and a last line saying nothing was written.
 */
export function exportReport({ design, target, out, lang, withWeights, result, sizes }: ExportReportInput): string[] {
  const t = TEXT[lang];
  if (!result.ok) {
    const errors = result.issues.filter((i) => i.severity === 'error').length;
    return [...formatIssueLines(result.issues, lang), t.refused(errors, out)];
  }
  const paths = result.files.map((f) => join(out, f.path));
  const width = Math.max(...paths.map((p) => p.length));
  return [
    t.wrote(design.name, TARGET_NAMES[target], result.files.length, out, withWeights),
    ...result.files.map((f, i) => `  ${paths[i].padEnd(width)}  ${formatBytes(sizes?.[i] ?? byteLength(f.content), lang)}`),
  ];
}

/** A file-system failure while exporting, already phrased for the user. */
export class WriteError extends Error {}

function describeWriteError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'permission denied';
    case 'EEXIST':
    case 'ENOTDIR':
      return 'is a file, not a folder';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return `cannot write${code ? ` (${code})` : ''}: ${String((e as Error)?.message ?? e).replace(/\s+/g, ' ')}`;
  }
}

/**
 * Writes `files` under `out`, creating folders as needed, and answers the bytes written per file. A
 * chunked file is written piece by piece as it is made, so it is never whole in memory. Paths come from
 * our exporters, but a path that would land outside `out` is refused all the same: the folder is the
 * whole promise to the user.
 */
export async function writeExportFiles(out: string, files: readonly ExportFile[]): Promise<number[]> {
  const root = resolve(out);
  const targets = files.map((f) => {
    const path = resolve(root, f.path);
    const rel = relative(root, path);
    if (!rel || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
      throw new WriteError(`${f.path}: refusing to write outside ${out}`);
    }
    return { path, file: f };
  });
  try {
    await mkdir(root, { recursive: true });
  } catch (e) {
    throw new WriteError(`${out}: ${describeWriteError(e)}`);
  }
  const sizes: number[] = [];
  for (const { path, file } of targets) {
    const shown = join(out, file.path);
    try {
      await mkdir(dirname(path), { recursive: true });
      const { content } = file;
      if (typeof content === 'string' || content instanceof Uint8Array) {
        await writeFile(path, content);
        sizes.push(byteLength(content));
      } else {
        sizes.push(await writeChunks(path, content.chunks()));
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException)?.code;
      // mkdir on a path whose parent is a file says ENOTDIR/EEXIST about the folder, not the file.
      throw new WriteError(`${code === 'ENOTDIR' || code === 'EEXIST' ? out : shown}: ${describeWriteError(e)}`);
    }
  }
  return sizes;
}
