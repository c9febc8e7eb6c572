/**
 * Look inside, as a new user in real Chromium against the production build: train the MNIST CNN, open
 * the first conv layer's Filters and Feature maps (for a drawn digit) while it trains and see both change
 * as it learns (pixels compared), turn on the node thumbnails, find the 9 test images that excite one
 * channel with their receptive-field boxes, then the same panel in Spanish. Screenshots land in
 * test-results/screenshots (and docs/look-inside.png with DOC_SHOT=1).
 */
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { lookStrings } from '../src/ui/look/look-strings.ts';
import { SHOTS, startMnistCnnRun } from './fixtures.ts';

const en = lookStrings('en');
const es = lookStrings('es');

type Handle = { training: { getState(): { run: { epoch: number; batch: number; phase: string } | null } } };

async function runState(page: Page) {
  return page.evaluate(() => {
    const run = (globalThis as unknown as { __netcanvas: Handle }).__netcanvas.training.getState().run;
    return run ? { epoch: run.epoch, batch: run.batch, phase: run.phase } : null;
  });
}

/** Waits until training has moved on by a whole epoch from now. */
async function nextEpoch(page: Page) {
  const from = (await runState(page))!.epoch;
  await expect.poll(async () => (await runState(page))?.epoch ?? 0, { timeout: 60_000 }).toBeGreaterThan(from);
}

async function drawOne(pad: Locator, page: Page) {
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + 0.07 * i));
  await page.mouse.up();
}

async function openMnistCnn(page: Page) {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name: 'MNIST CNN' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'MNIST CNN' })).toBeVisible();
}

/** Sets a number parameter of the selected layer in the inspector, as a user types it. */
async function setParam(page: Page, name: string, value: number) {
  const input = page.getByRole('spinbutton', { name: new RegExp(`^${name}`) });
  await input.fill(String(value));
  await input.press('Enter');
}

test('look inside the MNIST CNN while it trains: filters and feature maps change, the top 9 of a channel, in English and Spanish', async ({ page }) => {
  test.setTimeout(240_000);
  await openMnistCnn(page);

  // Before any training the panel says what to do.
  await page.getByTestId('layer-node-conv1').click();
  await expect(page.getByTestId('look-needs-model')).toHaveText(en.needsModel);

  // Many short epochs: the checks below wait for epochs to pass, then the run is stopped.
  await startMnistCnnRun(page, { epochs: 50, batchLimit: 30 });
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-phase', 'training', { timeout: 60_000 });
  await expect(page.getByTestId('look-entry-hint')).toHaveText(en.entryHint);

  await page.getByRole('tab', { name: 'Design' }).click();
  await page.getByTestId('layer-node-conv1').click();
  const panel = page.getByTestId('look-panel');
  await expect(panel.getByRole('heading', { name: en.title })).toBeVisible();
  await expect(panel).toContainText(en.live);

  // Filters: 8 rows of one 5×5 tile, the legend with its numbers; they change as the network learns.
  await panel.getByTestId('look-tab-filters').click();
  const rows = panel.locator('.look-filter-row');
  await expect(rows).toHaveCount(8);
  await expect(panel.getByTestId('look-legend')).toBeVisible();
  await expect(panel.getByTestId('look-filters')).toContainText(en.filtersIntro('5×5', 1, 8));
  const filtersBefore = await panel.locator('.look-filter-rows').screenshot();
  await nextEpoch(page);
  await page.waitForTimeout(1500);
  const filtersAfter = await panel.locator('.look-filter-rows').screenshot();
  expect(filtersAfter.equals(filtersBefore), 'filters unchanged after an epoch').toBe(false);
  // Pointing at a tile reads its 5×5 numbers.
  await rows.first().locator('canvas').hover({ position: { x: 4, y: 4 } });
  const readout = panel.getByTestId('look-tile-readout');
  await expect(readout).toContainText('Filter 0, input channel 0');
  expect((await readout.locator('.look-tile-numbers').textContent())!.trim().split('\n')).toHaveLength(5);
  await page.locator('aside.side-panel').screenshot({ path: join(SHOTS, 'look-filters-en.png') });

  // Feature maps for a drawn digit: 8 maps of 24×24, the value range, 10 class scores; live as well.
  await panel.getByTestId('look-tab-maps').click();
  await panel.getByTestId('look-mode-draw').check();
  await drawOne(panel.getByTestId('look-drawpad'), page);
  const grid = panel.getByTestId('look-map-grid');
  await expect(grid.locator('canvas')).toHaveCount(8);
  await expect(panel.getByRole('heading', { name: en.mapsOf('24×24×8') })).toBeVisible();
  await expect(panel.getByTestId('look-scores').locator('.look-bar-row')).toHaveCount(10);
  await expect(panel.getByTestId('look-range')).toContainText('values from');
  const mapsBefore = await grid.screenshot();
  await nextEpoch(page);
  await page.waitForTimeout(1500);
  expect((await grid.screenshot()).equals(mapsBefore), 'feature maps unchanged after an epoch').toBe(false);

  // Thumbnails on the canvas nodes.
  await panel.getByTestId('look-thumbnails').check();
  await expect(page.getByTestId('layer-thumb-conv1')).toBeVisible();
  await expect(page.getByTestId('layer-thumb-pool2')).toBeVisible();
  await page.locator('aside.side-panel').screenshot({ path: join(SHOTS, 'look-maps-en.png') });
  await page.screenshot({ path: join(SHOTS, 'look-inside-en.png') });
  if (process.env.DOC_SHOT) await page.screenshot({ path: join(import.meta.dirname, '..', 'docs', 'look-inside.png') });

  // The run is stopped (its weights kept); the top 9 test images of channel 3, each with its receptive-field box.
  await page.evaluate(() => (globalThis as unknown as { __netcanvas: { training: { getState(): { stop(): Promise<void> } } } }).__netcanvas.training.getState().stop());
  await expect.poll(async () => (await runState(page))?.phase, { timeout: 120_000 }).toBe('done');
  await panel.getByTestId('look-tab-top').click();
  await panel.getByTestId('look-top-channel').fill('3');
  await panel.getByTestId('look-top-find').click();
  const top = panel.getByTestId('look-top-grid').locator('li');
  await expect(top).toHaveCount(9, { timeout: 30_000 });
  await expect(panel.locator('.look-field-box')).toHaveCount(9);
  await expect(panel).toContainText(en.searched(2000));
  await page.locator('aside.side-panel').screenshot({ path: join(SHOTS, 'look-top-en.png') });

  // The same panel in Spanish.
  await page.getByLabel('Language').selectOption('es');
  await expect(panel.getByRole('heading', { name: es.title })).toBeVisible();
  await expect(panel.getByTestId('look-tab-top')).toHaveText(es.tabTop);
  await expect(panel).toContainText(es.topIntro);
  await page.locator('aside.side-panel').screenshot({ path: join(SHOTS, 'look-top-es.png') });
  await panel.getByTestId('look-tab-filters').click();
  await expect(panel.getByTestId('look-filters')).toContainText(es.filtersIntro('5×5', 1, 8));
  await page.locator('aside.side-panel').screenshot({ path: join(SHOTS, 'look-filters-es.png') });
});

test('an upload that is not an image is refused in words and the maps stay; after a reload the saved weights show their filters', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name: 'MNIST CNN' }).click();
  await startMnistCnnRun(page, { epochs: 1, batchLimit: 5 });
  await expect.poll(async () => (await runState(page))?.phase, { timeout: 120_000 }).toBe('done');
  await page.getByRole('tab', { name: 'Design' }).click();
  await page.getByTestId('layer-node-conv2').click();
  const panel = page.getByTestId('look-panel');
  // A deeper layer's filters: 16 rows of 8 tiles (one per input channel); pointing at the 6th tile of row 0 reads it.
  await expect(panel.locator('.look-filter-row')).toHaveCount(16);
  await expect(panel.getByTestId('look-filters')).toContainText(en.filtersIntro('5×5', 8, 16));
  const row0 = panel.locator('.look-filter-row').first().locator('canvas');
  const box = (await row0.boundingBox())!;
  // Tiles are 5 weights and 1 gap pixel apart: the 6th tile's centre is at image column 5·6 + 2.5.
  await row0.hover({ position: { x: ((5 * 6 + 2.5) / (8 * 6 - 1)) * box.width, y: box.height / 2 } });
  await expect(panel.getByTestId('look-tile-readout')).toContainText('Filter 0, input channel 5');
  await page.locator('aside.side-panel').screenshot({ path: join(SHOTS, 'look-filters-conv2-en.png') });
  await panel.getByTestId('look-tab-maps').click();
  await expect(panel.getByTestId('look-map-grid').locator('canvas')).toHaveCount(16);
  await panel.getByTestId('look-upload').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
  await expect(panel.getByRole('alert')).toHaveText(en.badImage('notes.txt'));
  await expect(panel.getByTestId('look-map-grid').locator('canvas')).toHaveCount(16);

  // After a reload the design's saved weights come back (autosave): the filters show without training.
  await page.waitForTimeout(1500);
  await page.reload();
  await page.getByTestId('layer-node-conv1').click();
  await expect(page.getByTestId('look-panel').locator('.look-filter-row')).toHaveCount(8, { timeout: 30_000 });
  await expect(page.getByTestId('look-panel').getByTestId('look-legend')).toBeVisible();
});

test('a wide layer\'s feature maps come a page at a time, every channel reachable; a grouped conv\'s gradient by position is refused in words; en and es', async ({ page }) => {
  test.setTimeout(240_000);
  await openMnistCnn(page);
  // conv1 made 100 filters wide: 100 maps of 24×24, more than one page holds.
  await page.getByTestId('layer-node-conv1').click();
  await setParam(page, 'filters', 100);
  // conv2 in two groups: its gradient is no single sum over positions, and the Gradients view says so.
  await page.getByTestId('layer-node-conv2').click();
  await setParam(page, 'groups', 2);
  await startMnistCnnRun(page, { epochs: 1, batchLimit: 3 });
  await expect.poll(async () => (await runState(page))?.phase, { timeout: 180_000 }).toBe('done');
  await page.getByRole('tab', { name: 'Design' }).click();
  await page.getByTestId('layer-node-conv1').click();
  const panel = page.getByTestId('look-panel');
  await panel.getByTestId('look-tab-maps').click();
  const grid = panel.getByTestId('look-map-grid');
  await expect(panel.getByRole('heading', { name: en.mapsOf('24×24×100') })).toBeVisible({ timeout: 30_000 });
  await expect(grid.locator('canvas')).toHaveCount(64);
  await expect(panel.getByTestId('look-maps-page')).toHaveText(en.mapsPage(0, 63, 100));
  const range = await panel.getByTestId('look-range').textContent();
  await panel.getByTestId('look-maps-page-next').click();
  await expect(panel.getByTestId('look-maps-page')).toHaveText(en.mapsPage(64, 99, 100), { timeout: 30_000 });
  await expect(grid.locator('canvas')).toHaveCount(36);
  await expect(grid.locator('figcaption').first()).toHaveText('64');
  await expect(grid.locator('figcaption').last()).toHaveText('99');
  // One colour scale for the whole layer, whichever page shows.
  await expect(panel.getByTestId('look-range')).toHaveText(range!);
  await page.locator('aside.side-panel').screenshot({ path: join(SHOTS, 'look-maps-paged-en.png') });
  await page.getByLabel('Language').selectOption('es');
  await expect(panel.getByTestId('look-maps-page')).toHaveText(es.mapsPage(64, 99, 100));
  await page.locator('aside.side-panel').screenshot({ path: join(SHOTS, 'look-maps-paged-es.png') });
  await page.getByTestId('layer-node-conv2').click();
  await panel.getByTestId('look-tab-gradients').click();
  await expect(panel.getByTestId('look-kg-refused')).toHaveText(es.kgOnlyConv2D('Conv2D (groups = 2)'));
  await page.getByLabel('Idioma').selectOption('en');
  await expect(panel.getByTestId('look-kg-refused')).toHaveText(en.kgOnlyConv2D('Conv2D (groups = 2)'));
  await panel.getByTestId('look-kg-refused').scrollIntoViewIfNeeded();
  await page.locator('aside.side-panel').screenshot({ path: join(SHOTS, 'look-kg-refused-en.png') });
});
