/**
 * Importing Keras in real Chromium: File → Import Keras… with NetCanvas's own model_config.json of
 * ResNet-18, a `.keras` file written by the real Keras 3 (../shared/keras; src/import/testing/keras_models.py)
 * dropped on the page with its weights, and a JSON that is neither a design nor a Keras config, explained
 * with the open design untouched — in English and in Spanish.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { planKeras } from '../src/export/keras.ts';
import { findKerasPython } from '../src/export/testing/python.ts';
import { inferShapes, type Design } from '../src/graph/index.ts';
import { REPO_ROOT } from '../src/graph/testing/templates.ts';
import { SHOTS, loadTemplate } from './fixtures.ts';
import { dropFile, importState, importVia, openDesign } from './import-fixtures.ts';

const configOf = (file: string) => {
  const design = loadTemplate(file);
  return Buffer.from(JSON.stringify(planKeras(design, inferShapes(design)).config));
};

// Ids aside: the export names layers as Python variables (input → input_).
const kinds = (d: Design) => d.nodes.map((n) => n.kind).sort();

test('File → Import Keras… opens ResNet-18 from its model_config.json, laid out', async ({ page }) => {
  test.setTimeout(180_000);
  const resnet = loadTemplate('resnet-18.json');
  await page.goto('/');
  await openDesign(page);
  await importVia(page, 'File', 'Import Keras…', 'model_config.json', configOf('resnet-18.json'));
  await expect.poll(async () => (await importState(page)).source, { timeout: 120_000 }).toEqual({ type: 'file', name: 'model_config.json' });
  const { design } = await importState(page);
  expect(kinds(design!)).toEqual(kinds(resnet));
  expect(inferShapes(design!).totals.totalParams).toBe(inferShapes(resnet).totals.totalParams);
  const spots = new Set(design!.nodes.map((n) => `${n.position.x},${n.position.y}`));
  expect(spots.size).toBe(design!.nodes.length);
  await page.screenshot({ path: join(SHOTS, 'import-keras-resnet18.png') });
});

test('a .keras written by Keras, dropped on the page, opens with its weights; a JSON that is neither changes nothing', async ({ page }) => {
  test.setTimeout(240_000);
  const python = findKerasPython(REPO_ROOT);
  test.skip(!python, 'no real Keras');
  const dir = mkdtempSync(join(tmpdir(), 'netcanvas-e2e-keras-'));
  try {
    writeFileSync(join(dir, 'mnist.config.json'), configOf('mnist-cnn.json'));
    const run = spawnSync(python!, [join(REPO_ROOT, 'src/import/testing/keras_models.py'), dir, 'mnist'], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    const bytes = new Uint8Array(readFileSync(join(dir, 'mnist.keras')));
    await page.goto('/');
    await openDesign(page);
    await dropFile(page, 'mnist.keras', bytes);
    await expect.poll(async () => (await importState(page)).source, { timeout: 120_000 }).toEqual({ type: 'file', name: 'mnist.keras' });
    const mnist = loadTemplate('mnist-cnn.json');
    const { design, weightNodes } = await importState(page);
    expect(kinds(design!)).toEqual(kinds(mnist));
    expect(weightNodes).toBe(mnist.nodes.filter((n) => inferShapes(mnist).nodes.get(n.id)!.weights.length > 0).length);

    const open = (await importState(page)).design;
    await importVia(page, 'File', 'Import Keras…', 'other.json', Buffer.from('{"class_name": 3, "hello": []}'));
    await expect(page.getByRole('alert')).toBeVisible({ timeout: 30_000 });
    expect((await importState(page)).design).toEqual(open);
    await importVia(page, 'File', 'Import Keras…', 'broken.keras', Buffer.from('PK\u0003\u0004 not really a zip'));
    await expect(page.getByRole('alert')).toContainText('broken.keras is not a .keras file', { timeout: 30_000 });
    expect((await importState(page)).design).toEqual(open);
    await page.screenshot({ path: join(SHOTS, 'import-keras-refused.png') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.describe('with a Spanish browser', () => {
  test.use({ locale: 'es-ES' });
  test('Importar Keras… speaks Spanish, refusals included', async ({ page }) => {
    await page.goto('/');
    const open = await openDesign(page);
    await importVia(page, 'Archivo', 'Importar Keras…', 'roto.keras', Buffer.from('esto no es un zip'));
    await expect(page.getByRole('alert')).toContainText('roto.keras no es un archivo .keras', { timeout: 30_000 });
    expect((await importState(page)).design).toEqual(open);
    await importVia(page, 'Archivo', 'Importar Keras…', 'model_config.json', configOf('mnist-cnn.json'));
    await expect.poll(async () => (await importState(page)).source, { timeout: 60_000 }).toEqual({ type: 'file', name: 'model_config.json' });
    await page.screenshot({ path: join(SHOTS, 'import-keras-es.png') });
  });
});
