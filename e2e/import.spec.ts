/**
 * Importing ONNX in real Chromium: File → Import ONNX… with a ResNet-18 written by the ONNX exporter
 * (the same bytes a torch.onnx.export file goes through: src/import/torch-import.test.ts checks those
 * against PyTorch), a model dropped on the page, and a bad file that is explained and leaves the open
 * design untouched — in English and in Spanish. The expected designs come from src/graph run here in Node.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { exportOnnx } from '../src/export/onnx.ts';
import { flattenDesign } from '../src/graph/blocks.ts';
import { inferShapes, type Design } from '../src/graph/index.ts';
import { SHOTS, loadTemplate } from './fixtures.ts';
import { dropFile, importState, importVia, openDesign } from './import-fixtures.ts';

function onnxOf(file: string): Buffer {
  const exported = exportOnnx(loadTemplate(file));
  if (!exported.ok) throw new Error(`${file} does not export`);
  return Buffer.from(exported.files[0].content as Uint8Array);
}

test('File → Import ONNX… opens ResNet-18 with its layers, parameters and weights, laid out', async ({ page }) => {
  test.setTimeout(180_000);
  const resnet = loadTemplate('resnet-18.json');
  await page.goto('/');
  await openDesign(page);
  // By path: 47 MB as bytes would cross the DevTools protocol in base64 (see importVia).
  const file = test.info().outputPath('resnet18.onnx');
  writeFileSync(file, onnxOf('resnet-18.json'));
  await importVia(page, 'File', 'Import ONNX…', 'resnet18.onnx', { path: file });
  await expect.poll(async () => (await importState(page)).source, { timeout: 120_000 }).toEqual({ type: 'file', name: 'resnet18.onnx' });
  const { design, weightNodes } = await importState(page);
  // The import folds layers into blocks by module path; the template is loaded unfolded: compared unfolded.
  const imported = flattenDesign(design!);
  const kinds = (d: Design) => d.nodes.map((n) => `${n.id}:${n.kind}`).sort();
  expect(kinds(imported)).toEqual(kinds(resnet));
  expect(inferShapes(imported).totals.totalParams).toBe(inferShapes(resnet).totals.totalParams);
  expect(weightNodes).toBe(resnet.nodes.filter((n) => inferShapes(resnet).nodes.get(n.id)!.weights.length > 0).length);
  const spots = new Set(design!.nodes.map((n) => `${n.position.x},${n.position.y}`));
  expect(spots.size).toBe(design!.nodes.length);
  await expect(page.getByTestId('status-bar')).toContainText('11,');
  await page.screenshot({ path: join(SHOTS, 'import-onnx-resnet18.png') });
});

test('an .onnx dropped on the page opens; a file that is not ONNX is explained and changes nothing', async ({ page }) => {
  await page.goto('/');
  const before = await openDesign(page);
  const bytes = new Uint8Array(onnxOf('mnist-cnn.json'));
  await dropFile(page, 'dropped.onnx', bytes);
  await expect.poll(async () => (await importState(page)).source).toEqual({ type: 'file', name: 'dropped.onnx' });
  expect((await importState(page)).design!.nodes.length).toBe(loadTemplate('mnist-cnn.json').nodes.length);
  expect(before.name).toBeTruthy();

  const open = (await importState(page)).design;
  await importVia(page, 'File', 'Import ONNX…', 'broken.onnx', Buffer.from('this is not a protobuf'));
  await expect(page.getByRole('alert')).toContainText('broken.onnx is not a readable ONNX model');
  expect((await importState(page)).design).toEqual(open);
  await page.screenshot({ path: join(SHOTS, 'import-onnx-refused.png') });
});

test.describe('with a Spanish browser', () => {
  test.use({ locale: 'es-ES' });
  test('Importar ONNX… speaks Spanish, refusals included', async ({ page }) => {
    await page.goto('/');
    const open = await openDesign(page);
    await importVia(page, 'Archivo', 'Importar ONNX…', 'roto.onnx', Buffer.from('esto no es protobuf'));
    await expect(page.getByRole('alert')).toContainText('roto.onnx no es un modelo ONNX legible');
    expect((await importState(page)).design).toEqual(open);
    await importVia(page, 'Archivo', 'Importar ONNX…', 'mnist.onnx', onnxOf('mnist-cnn.json'));
    await expect.poll(async () => (await importState(page)).source).toEqual({ type: 'file', name: 'mnist.onnx' });
    await page.screenshot({ path: join(SHOTS, 'import-onnx-es.png') });
  });
});
