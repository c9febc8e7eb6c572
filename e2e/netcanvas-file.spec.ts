/**
 * Designs with weights as .netcanvas files in real Chromium: File → Save with trained weights downloads a
 * .netcanvas, which opens again (picker) as the same design with bit-identical weights and the same
 * predictions; a cut file is refused with its message and the open design stays.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { serializeDesign } from '../src/graph/file-format.ts';
import { flattenDesign } from '../src/graph/blocks.ts';
import { inferShapes } from '../src/graph/infer.ts';
import { readNetcanvas } from '../src/graph/netcanvas-file.ts';
import { bytesSource } from '../src/graph/byte-source.ts';
import { randomDesignWeights } from '../src/graph/testing/random-weights.ts';
import { loadTemplate, SHOTS } from './fixtures.ts';

const design = loadTemplate('mnist-cnn.json');
// Layers without weights left out: a .json with an empty entry for them would have its weights dropped.
const weights = new Map([...randomDesignWeights(inferShapes(flattenDesign(design)), 17)].filter(([, named]) => Object.keys(named).length > 0));

/** Every weight value in the page's store, as bits (hex of the float32 bytes), by tensor. */
const pageWeights = (page: Page) =>
  page.evaluate(() => {
    const w = (window as unknown as { __netcanvas: { store: { getState(): { weights: Map<string, Record<string, { data: Float32Array }>> | null } } } }).__netcanvas.store.getState().weights;
    if (!w) return null;
    const out: Record<string, string> = {};
    for (const [id, named] of w) {
      for (const [name, t] of Object.entries(named)) {
        const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
        let hash = 0;
        for (let i = 0; i < bytes.length; i++) hash = (Math.imul(hash, 31) + bytes[i]) | 0;
        out[`${id}.${name}`] = `${bytes.length}:${hash}`;
      }
    }
    return out;
  });

/** Test accuracy and the top 5 for test image 7, measured from the design's weights without training. */
async function predictions(page: Page): Promise<{ accuracy: string; top5: string[] }> {
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByRole('radio', { name: 'MNIST digits' }).check();
  await expect(page.getByTestId('data-summary')).toContainText('8,000 training', { timeout: 60_000 });
  await page.getByTestId('backend-choice').selectOption('wasm');
  await page.getByTestId('evaluate-weights').click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 120_000 });
  const accuracy = (await page.getByTestId('test-accuracy').textContent())!;
  await page.getByLabel('Test image number').fill('7');
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  const items = page.getByTestId('prediction-top5').locator('li');
  await expect(items).toHaveCount(5, { timeout: 60_000 });
  return { accuracy, top5: await items.allTextContents() };
}

test('a design with weights saved as .netcanvas reopens with the same weights and the same predictions', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  const picker = page.getByTestId('file-menu-input');
  await picker.setInputFiles({ name: 'mnist-trained.json', mimeType: 'application/json', buffer: Buffer.from(serializeDesign(design, weights)) });
  await expect(page.getByRole('heading', { level: 2, name: design.name })).toBeVisible();
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('saved-weights')).toBeVisible();
  const before = await predictions(page);
  const bits = await pageWeights(page);
  expect(Object.keys(bits ?? {}).length).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'File', exact: true }).click();
  const item = page.getByRole('menuitem', { name: /Save with trained weights \(\.netcanvas, / });
  await expect(item).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'netcanvas-save-menu.png') });
  const [download] = await Promise.all([page.waitForEvent('download'), item.click()]);
  expect(download.suggestedFilename()).toBe('MNIST-CNN.netcanvas');
  const bytes = new Uint8Array(readFileSync((await download.path())!));
  // The file itself holds the design and the weights (read here by the same reader, outside the page).
  const read = await readNetcanvas(bytesSource(bytes), 'MNIST-CNN.netcanvas');
  expect(read.ok && read.design).toEqual(design);

  // Another design in between, so the reopened one comes from the file alone.
  await page.getByRole('button', { name: 'File', exact: true }).click();
  await page.getByRole('menuitem', { name: 'New design' }).click();
  await expect(page.getByRole('heading', { level: 2, name: design.name })).toHaveCount(0);
  await picker.setInputFiles({ name: 'MNIST-CNN.netcanvas', mimeType: 'application/zip', buffer: Buffer.from(bytes) });
  await expect(page.getByRole('heading', { level: 2, name: design.name })).toBeVisible({ timeout: 30_000 });
  expect(await pageWeights(page)).toEqual(bits);
  const after = await predictions(page);
  expect(after).toEqual(before);
  await page.getByTestId('train-panel').screenshot({ path: join(SHOTS, 'netcanvas-reopened.png') });

  // A cut file: one message naming it, and the design stays as it was.
  await picker.setInputFiles({ name: 'cut.netcanvas', mimeType: 'application/zip', buffer: Buffer.from(bytes.subarray(0, bytes.length >> 1)) });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('cut.netcanvas is not a readable .netcanvas file: it is truncated or not a zip');
  await expect(page.getByRole('heading', { level: 2, name: design.name })).toBeVisible();
  expect(await pageWeights(page)).toEqual(bits);
  await page.screenshot({ path: join(SHOTS, 'netcanvas-cut-file.png') });
});
