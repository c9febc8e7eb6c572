import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { exportKeras } from '../../export/keras.ts';
import { exportOnnx } from '../../export/onnx.ts';
import { exportPytorch } from '../../export/pytorch.ts';
import type { ExportResult } from '../../export/types.ts';
import { parseDesign, serializeDesign } from '../../graph/file-format.ts';
import { InferenceSession, inferShapes } from '../../graph/infer.ts';
import type { Design } from '../../graph/types.ts';
import type { DesignWeights, WeightTensor } from '../../graph/weights.ts';
import { ONNX_PREVIEW_MAX_PARAMS, slug, zipFileName, type TabView } from './code-tabs.ts';
import { buildCodeViews, buildDownload } from './code-views.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function template(file: string): Design {
  const parsed = parseDesign(readFileSync(join(ROOT, 'templates', file), 'utf8'));
  if (!parsed.ok) throw new Error(`${file} does not load`);
  return parsed.design;
}

/** Weights of the right shapes (values do not matter here). */
function someWeights(design: Design): DesignWeights {
  const inference = inferShapes(design);
  const out = new Map<string, Record<string, WeightTensor>>();
  for (const id of inference.order) {
    const named: Record<string, WeightTensor> = {};
    for (const w of inference.nodes.get(id)!.weights) named[w.name] = { shape: w.shape, data: new Float32Array(w.shape.reduce((a, b) => a * b, 1)).fill(0.5) };
    if (Object.keys(named).length) out.set(id, named);
  }
  return out;
}

function shown(view: TabView) {
  if (!view.ok) throw new Error('tab shows issues');
  return view;
}

/** The exporter's files split as the panel splits them: text shown, binaries listed with sizes. */
function expected(result: ExportResult) {
  if (!result.ok) throw new Error('export failed');
  return {
    text: result.files.filter((f) => typeof f.content === 'string').map((f) => [f.path, f.content]),
    binaries: result.files.filter((f) => typeof f.content !== 'string').map((f) => ({ path: f.path, bytes: (f.content as Uint8Array).length })),
  };
}

describe('buildCodeViews', () => {
  it("shows each exporter's text files unchanged, lists its binaries by size, and the design as its file", async () => {
    const design = template('mnist-cnn.json');
    const views = await buildCodeViews(design, null);
    for (const [tab, result] of [
      ['pytorch', exportPytorch(design)],
      ['keras', exportKeras(design)],
      ['onnx', exportOnnx(design)],
    ] as const) {
      const view = shown(views[tab]);
      expect(view.files.map((f) => [f.path, f.text])).toEqual(expected(result).text);
      expect(view.binaries).toEqual(expected(result).binaries);
      expect(view.note).toBeUndefined();
    }
    expect(shown(views.pytorch).files.map((f) => f.language)).toEqual(['python', 'python', 'plaintext']);
    expect(shown(views.keras).files.map((f) => f.language)).toEqual(['python', 'json', 'plaintext']);
    expect(shown(views.onnx).binaries.map((b) => b.path)).toEqual(['model.onnx']);
    expect(shown(views.design).files).toEqual([{ path: 'mnist-cnn.json', language: 'json', text: serializeDesign(design) }]);
  });

  it('with trained weights: the code that loads them, weights.npz listed, the weights left out of the JSON view', async () => {
    const design = template('mnist-cnn.json');
    const weights = someWeights(design);
    const views = await buildCodeViews(design, weights);
    expect(shown(views.pytorch).files.map((f) => [f.path, f.text])).toEqual(expected(exportPytorch(design, { weights })).text);
    expect(shown(views.pytorch).binaries.map((b) => b.path)).toEqual(['weights.npz']);
    expect(shown(views.keras).binaries.map((b) => b.path)).toEqual(['weights.npz']);
    const tensors = [...weights.values()].reduce((n, named) => n + Object.keys(named).length, 0);
    expect(shown(views.design).note).toEqual({ kind: 'weights-left-out', tensors, bytes: inferShapes(design).totals.totalParams * 4 });
    expect(shown(views.design).files[0].text).toBe(serializeDesign(design));
  });

  it('does not build the ONNX file of a design above the preview limit: VGG-16 gets a size note instead', async () => {
    const design = template('vgg-16.json');
    const params = inferShapes(design).totals.totalParams;
    expect(params).toBeGreaterThan(ONNX_PREVIEW_MAX_PARAMS);
    const started = performance.now();
    const views = await buildCodeViews(design, null);
    // Building VGG-16's ONNX draws and encodes 138 M weights (seconds, ~550 MB); the views take far less.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(shown(views.onnx)).toEqual({ ok: true, files: [], binaries: [], note: { kind: 'onnx-on-download', params, bytes: params * 4 } });
    expect(shown(views.pytorch).files.map((f) => f.path)).toEqual(['model.py', 'train.py', 'README.txt']);
  });

  it('answers a design with errors with its issues on every export tab, and still shows its JSON', async () => {
    const design = template('mnist-cnn.json');
    const broken: Design = {
      ...design,
      nodes: design.nodes.map((n) => (n.id === 'conv2' ? { ...n, params: { ...n.params, kernel_size: [30, 30] } } : n)),
    };
    const views = await buildCodeViews(broken, null);
    for (const tab of ['pytorch', 'keras', 'onnx'] as const) {
      const view = views[tab];
      expect(view.ok).toBe(false);
      if (!view.ok) expect(view.issues.map((i) => i.code)).toContain('kernel-too-large');
    }
    expect(shown(views.design).files[0].text).toBe(serializeDesign(broken));
  });
});

describe('buildDownload', () => {
  it('zips every target in its folder and the design with its weights, so the zip reopens as it was', async () => {
    const design = template('mnist-cnn.json');
    const weights = someWeights(design);
    const download = await buildDownload(design, weights);
    if (!download.ok) throw new Error('download failed');
    const files = unzipSync(download.zip);
    expect(Object.keys(files).sort()).toEqual([...download.paths].sort());
    expect(download.paths).toEqual([
      'mnist-cnn.json',
      'pytorch/model.py',
      'pytorch/train.py',
      'pytorch/README.txt',
      'pytorch/weights.npz',
      'keras/model.py',
      'keras/model_config.json',
      'keras/README.txt',
      'keras/weights.npz',
      'onnx/model.onnx',
      'onnx/onnx-summary.txt',
    ]);
    const reopened = parseDesign(new TextDecoder().decode(files['mnist-cnn.json']));
    expect(reopened.ok && reopened.design).toEqual(design);
    expect(reopened.ok && reopened.weights).toEqual(weights);
  });

  it('refuses a design with errors', async () => {
    const design = template('mnist-cnn.json');
    const download = await buildDownload({ ...design, nodes: design.nodes.filter((n) => n.kind !== 'Input') }, null);
    expect(download.ok).toBe(false);
  });
});

describe('inference runs once per job, however many exporters read it', () => {
  /** Every inference, one-shot or incremental, goes through InferenceSession.update. */
  async function inferencesDuring(job: () => Promise<unknown>): Promise<number> {
    const update = vi.spyOn(InferenceSession.prototype, 'update');
    try {
      await job();
      return update.mock.calls.length;
    } finally {
      update.mockRestore();
    }
  }

  it('the code views: one inference for the PyTorch, Keras and ONNX tabs together, with or without weights', async () => {
    const design = template('mnist-cnn.json');
    const weights = someWeights(design);
    expect(await inferencesDuring(() => buildCodeViews(design, null))).toBe(1);
    expect(await inferencesDuring(() => buildCodeViews(design, weights))).toBe(1);
    // Above the ONNX preview limit the size note reads the same inference.
    expect(await inferencesDuring(() => buildCodeViews(template('vgg-16.json'), null))).toBe(1);
  });

  it('"Download all": one inference for the three targets', async () => {
    const design = template('mnist-cnn.json');
    const weights = someWeights(design);
    expect(await inferencesDuring(() => buildDownload(design, weights))).toBe(1);
  });
});

describe('file names', () => {
  it('are made of the design name, ASCII, lower case, never empty', () => {
    expect(slug('VGG-16')).toBe('vgg-16');
    expect(slug('MLP (no convolutions)')).toBe('mlp-no-convolutions');
    expect(slug('Red neuronal pequeña')).toBe('red-neuronal-pequena');
    expect(slug('../../etc/passwd')).toBe('etc-passwd');
    expect(slug('✓✓✓')).toBe('design');
    expect(zipFileName(template('mnist-cnn.json'))).toBe('mnist-cnn-netcanvas.zip');
  });
});
