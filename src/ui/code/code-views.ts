/**
 * What the code panel shows and what "Download all" zips, as pure functions of a design and its
 * trained weights. They run in a Web Worker (./code-worker.ts), never during a React render: the
 * PyTorch and Keras text is cheap, but ONNX builds every weight tensor and encodes it — about 550 MB and
 * seconds of work for VGG-16 — and weights.npz converts every trained tensor.
 *
 * The ONNX tab therefore shows the exporter's summary only for designs up to ONNX_PREVIEW_MAX_PARAMS;
 * above that it says how big model.onnx will be, and the file (with its summary) is made only when the
 * user downloads. Binary files (model.onnx, weights.npz) are never shown, only listed with their sizes.
 */
import { bundleZip, EXPORT_TARGETS, exportDesign, wholeContent, type ExportFile, type ExportOptions } from '../../export/index.ts';
import { serializeDesign } from '../../graph/file-format.ts';
import { inferShapes, type DesignInference } from '../../graph/infer.ts';
import { flattenDesign } from '../../graph/blocks.ts';
import type { Design, Lang } from '../../graph/types.ts';
import type { DesignWeights } from '../../graph/weights.ts';
import {
  designFileName,
  languageOf,
  ONNX_PREVIEW_MAX_PARAMS,
  type CodeTab,
  type CodeViews,
  type DownloadResult,
  type ListedFile,
  type TabView,
  type TextFile,
} from './code-tabs.ts';

function weightBytes(weights: DesignWeights): { tensors: number; bytes: number } {
  let tensors = 0;
  let bytes = 0;
  for (const named of weights.values()) {
    for (const t of Object.values(named)) {
      tensors++;
      bytes += t.data.byteLength;
    }
  }
  return { tensors, bytes };
}

function split(files: readonly ExportFile[]): { files: TextFile[]; binaries: ListedFile[] } {
  const text: TextFile[] = [];
  const binaries: ListedFile[] = [];
  for (const f of files) {
    const content = wholeContent(f.content);
    if (typeof content === 'string') text.push({ path: f.path, language: languageOf(f.path), text: content });
    else binaries.push({ path: f.path, bytes: content.byteLength });
  }
  return { files: text, binaries };
}

/** The design file as the panel shows it: without its weights, which would be megabytes of base64. */
function designView(design: Design, weights: DesignWeights | null): TabView {
  const file: TextFile = { path: designFileName(design), language: 'json', text: serializeDesign(design) };
  if (!weights) return { ok: true, files: [file], binaries: [] };
  return { ok: true, files: [file], binaries: [], note: { kind: 'weights-left-out', ...weightBytes(weights) } };
}

/** What every exporter is handed: the weights, and the design's inference, run once for all of them. */
function exportOptions(inference: DesignInference, weights: DesignWeights | null, lang: Lang): ExportOptions {
  return weights ? { weights, inference, lang } : { inference, lang };
}

/** Every tab's content. A design with errors gives the same issues on every export tab. */
export async function buildCodeViews(document: Design, weights: DesignWeights | null, lang: Lang = 'en'): Promise<CodeViews> {
  // Exporters run on the layers as they run (blocks unfolded); the JSON tab shows the document itself.
  const design = flattenDesign(document);
  const inference = inferShapes(design);
  const options = exportOptions(inference, weights, lang);
  const views: Partial<Record<CodeTab, TabView>> = {};
  for (const target of ['pytorch', 'keras'] as const) {
    const result = await exportDesign(design, target, options);
    views[target] = result.ok ? { ok: true, ...split(result.files) } : { ok: false, issues: result.issues };
  }
  const params = inference.totals.totalParams;
  if (params > ONNX_PREVIEW_MAX_PARAMS && views.pytorch?.ok) {
    // Rough size: float32 weights plus a few kB of graph; the summary says the exact figure on download.
    views.onnx = { ok: true, files: [], binaries: [], note: { kind: 'onnx-on-download', params, bytes: params * 4 } };
  } else {
    const result = await exportDesign(design, 'onnx', options);
    views.onnx = result.ok ? { ok: true, ...split(result.files) } : { ok: false, issues: result.issues };
  }
  views.design = designView(document, weights);
  return views as CodeViews;
}

/**
 * "Download all": every target's files in a folder of its own (pytorch/, keras/, onnx/) and the design
 * file itself, weights included, so the zip reopens in NetCanvas exactly as it was.
 */
export async function buildDownload(design: Design, weights: DesignWeights | null, lang: Lang = 'en'): Promise<DownloadResult> {
  const files: ExportFile[] = [{ path: designFileName(design), content: serializeDesign(design, weights ?? undefined) }];
  const options = exportOptions(inferShapes(flattenDesign(design)), weights, lang);
  for (const target of EXPORT_TARGETS) {
    const result = await exportDesign(design, target, options);
    if (!result.ok) return { ok: false, issues: result.issues };
    files.push(...result.files.map((f) => ({ ...f, path: `${target}/${f.path}` })));
  }
  return { ok: true, zip: bundleZip(files), paths: files.map((f) => f.path) };
}
