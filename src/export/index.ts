/**
 * The one door to the exporters, for the CLI and the app: pick a target, get its files; zip any set of
 * files. Each exporter validates the design itself and answers with issues instead of files when it
 * cannot export, so callers only show `issues` and never catch.
 */
import { zipSync, type Zippable } from 'fflate';
import { flattenDesign } from '../graph/blocks.ts';
import type { Design } from '../graph/types.ts';
import { exportKeras } from './keras.ts';
import { exportOnnx } from './onnx.ts';
import { exportPytorch } from './pytorch.ts';
import { wholeContent, type ExportFile, type ExportOptions, type ExportResult, type ExportTarget, type Exporter } from './types.ts';

export { wholeContent } from './types.ts';
export type { ChunkedContent, ExportFile, ExportOptions, ExportResult, ExportTarget } from './types.ts';

const EXPORTERS = {
  pytorch: exportPytorch,
  keras: exportKeras,
  onnx: exportOnnx,
} as const satisfies Record<ExportTarget, Exporter>;

export const EXPORT_TARGETS = Object.keys(EXPORTERS) as readonly ExportTarget[];

export function isExportTarget(value: unknown): value is ExportTarget {
  return typeof value === 'string' && Object.hasOwn(EXPORTERS, value);
}

/**
 * The files of one target. Async because an exporter may be (the type allows it); today all three are sync.
 * PyTorch and Keras unfold blocks themselves (a design without blocks passes through as the same object);
 * `options.inference` must be the unfolded design's.
 */
export async function exportDesign(design: Design, target: ExportTarget, options: ExportOptions = {}): Promise<ExportResult> {
  // PyTorch and Keras print blocks as classes and functions (they unfold the design themselves); ONNX stays flat.
  return EXPORTERS[target](target === 'onnx' ? flattenDesign(design) : design, options);
}

/**
 * A zip of `files` (paths may contain folders: "pytorch/model.py"). Already-compressed or incompressible
 * payloads (weights, .onnx, .npz — float32 noise) are stored, not deflated: deflating hundreds of MB of
 * floats costs seconds for a few percent. Duplicate paths are an error in the caller, so they throw.
 */
export function bundleZip(files: readonly ExportFile[]): Uint8Array {
  const entries: Zippable = {};
  const encoder = new TextEncoder();
  for (const file of files) {
    const path = file.path;
    if (path.includes('\\') || path.split('/').some((part) => part === '..' || part === '.' || part === '')) {
      throw new Error(`bundleZip: "${file.path}" is not a relative file path`);
    }
    if (Object.hasOwn(entries, path)) throw new Error(`bundleZip: "${path}" appears twice`);
    const content = wholeContent(file.content);
    entries[path] = typeof content === 'string' ? [encoder.encode(content), { level: 6 }] : [content, { level: 0 }];
  }
  return zipSync(entries);
}
