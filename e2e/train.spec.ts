/**
 * Training in real Chromium against the production build: the small MNIST template learns the bundled
 * MNIST in one short epoch, a user's folder of images is loaded and counted, and editing during a run
 * asks first. Screenshots of the panel mid-run and after land in test-results/screenshots.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { SHOTS, png } from './fixtures.ts';


async function shot(page: Page, name: string) {
  const path = join(SHOTS, `${name}.png`);
  await page.getByTestId('train-panel').screenshot({ path });
  console.log(`screenshot: ${path}`);
}

async function openTemplate(page: Page, name: string) {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name }).click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  await page.getByRole('tab', { name: 'Train' }).click();
}

async function setNumber(page: Page, testId: string, value: number | '') {
  const input = page.getByTestId(testId);
  await input.fill(String(value));
}

test.describe.configure({ mode: 'serial' });

test('the MNIST CNN learns bundled MNIST to at least 85 % test accuracy in one short epoch', async ({ page }) => {
  test.setTimeout(180_000);
  await openTemplate(page, 'MNIST CNN');
  await page.getByRole('radio', { name: 'MNIST digits' }).check();
  await expect(page.getByTestId('data-summary')).toContainText('8,000 training and 2,000 test images', { timeout: 30_000 });
  await expect(page.getByTestId('fit-check')).toContainText('The network and the data fit.');

  await page.getByTestId('optimizer').selectOption('adam');
  await setNumber(page, 'learning-rate', 0.003);
  await setNumber(page, 'batch-size', 32);
  await setNumber(page, 'epochs', 1);
  await setNumber(page, 'validation-split', 0.1);
  await page.getByTestId('train-start').click();

  // Mid-run: curves drawn, speed and ETA shown, the backend Auto started on at once and why.
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-phase', 'training', { timeout: 60_000 });
  await expect(page.getByTestId('loss-chart')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('eta')).toBeVisible();
  await expect(page.getByTestId('active-backend')).toBeVisible();
  await expect(page.getByTestId('auto-why')).toHaveAttribute('data-pick', 'first-guess');
  await page.waitForTimeout(1500);
  await shot(page, 'train-mnist-mid-run');
  // The page answers while the worker trains: switching tabs is immediate.
  await page.getByRole('tab', { name: 'Layers' }).click();
  await expect(page.locator('table.layers')).toBeVisible({ timeout: 1000 });
  await page.getByRole('tab', { name: 'Train' }).click();

  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 150_000 });
  const accuracy = parseFloat((await page.getByTestId('test-accuracy').textContent())!);
  console.log(`MNIST CNN, 1 epoch: test accuracy ${accuracy} % on ${await page.getByTestId('active-backend').getAttribute('data-backend')}`);
  expect(accuracy).toBeGreaterThanOrEqual(85);

  const matrix = page.getByTestId('confusion-matrix');
  await expect(matrix.locator('tbody tr')).toHaveCount(10);
  await expect(page.getByTestId('misclassified').locator('canvas').first()).toBeVisible();

  // Top-5 for a test image, then for a digit drawn on the pad.
  await page.getByTestId('misclassified').getByRole('button').first().click();
  await expect(page.getByTestId('prediction-top5').locator('li')).toHaveCount(5);
  await drawOne(page);
  await expect(page.getByTestId('drawpad-top5').locator('li')).toHaveCount(5);
  await expect(page.getByTestId('drawpad-top5').locator('li').first()).toContainText('1');
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('drawpad-top5')).toHaveCount(0);

  // An uploaded picture (larger than the Input: it is resized) gets its top 5 as well.
  await page.getByTestId('prediction').getByRole('img').first().waitFor();
  await page.getByLabel('Upload an image…').setInputFiles({
    name: 'one.png',
    mimeType: 'image/png',
    buffer: png(56, 56, (x, y) => (Math.abs(x - 28) < 4 && y > 8 && y < 48 ? 255 : 0)),
  });
  await expect(page.getByTestId('prediction')).not.toContainText('True class');
  await expect(page.getByTestId('prediction-top5').locator('li')).toHaveCount(5);

  // The weights stay with the design; the layer table is untouched.
  expect(await page.evaluate(() => (window as unknown as { __netcanvas: { store: { getState(): { weights: unknown } } } }).__netcanvas.store.getState().weights !== null)).toBe(true);
  await shot(page, 'train-mnist-after');
});

/** A "1" on the draw pad: one vertical stroke. */
async function drawOne(page: Page) {
  const pad = page.getByTestId('drawpad');
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + 0.07 * i));
  await page.mouse.up();
}

test('a folder of my own images is loaded as a user would and counted per class', async ({ page }) => {
  await openTemplate(page, 'MNIST CNN');
  const classes = { circles: 7, squares: 5, stripes: 6 };
  const files = Object.entries(classes).flatMap(([cls, n]) =>
    Array.from({ length: n }, (_, i) => ({
      name: `${cls}-${i}.png`,
      mimeType: 'image/png',
      buffer: png(40, 32, (x, y) =>
        cls === 'circles' ? ((x - 20) ** 2 + (y - 16) ** 2 < (8 + i) ** 2 ? 255 : 0) : cls === 'squares' ? (Math.abs(x - 20) < 6 + i && Math.abs(y - 16) < 6 + i ? 255 : 0) : ((x + i) % 8 < 3 ? 255 : 0),
      ),
    })),
  );
  // The folder as a user picks it: one sub-folder per class, plus a stray file that is skipped.
  const dir = test.info().outputPath('shapes');
  for (const [cls] of Object.entries(classes)) mkdirSync(join(dir, cls), { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.name.split('-')[0], f.name), f.buffer);
  writeFileSync(join(dir, 'README.txt'), 'not an image');
  await page.getByTestId('folder-input').setInputFiles(dir);
  const summary = page.getByTestId('data-summary');
  await expect(summary).toContainText('shapes', { timeout: 30_000 });
  for (const [cls, n] of Object.entries(classes)) {
    const row = page.getByTestId('per-class').locator(`tr[data-class="${cls}"]`);
    const cells = row.locator('td');
    const train = Number(await cells.nth(0).textContent());
    const test = Number(await cells.nth(1).textContent());
    expect(train + test).toBe(n);
  }
  await expect(summary).toContainText('3 classes');
  await expect(summary).toContainText('README.txt');
  // The network's 10 outputs do not fit 3 classes: the fit check says so and fixes it in one click.
  const fit = page.getByTestId('fit-check');
  await expect(fit).toContainText('3 classes');
  await fit.getByRole('button', { name: /Fix/ }).first().click();
  await expect(fit).toContainText('The network and the data fit.');
  await shot(page, 'train-folder-loaded');
});

test('editing the design during a run asks whether to stop it, and keeps training when told to', async ({ page }) => {
  test.setTimeout(90_000);
  await openTemplate(page, 'MNIST CNN');
  await page.getByRole('radio', { name: 'Shapes (synthetic)' }).check();
  await expect(page.getByTestId('data-summary')).toBeVisible();
  // Shapes has 6 classes: fix the head first (no run yet, so no question).
  await page.getByTestId('fit-check').getByRole('button', { name: /Fix/ }).first().click();
  await expect(page.getByTestId('fit-check')).toContainText('The network and the data fit.');
  await page.getByTestId('backend-choice').selectOption('cpu');
  await setNumber(page, 'epochs', 50);
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-phase', 'training', { timeout: 30_000 });

  // Another template is another network: the page asks first.
  await page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name: 'LeNet-5' }).click();
  const dialog = page.getByTestId('stop-run-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('lenet-5.json');
  await dialog.getByRole('button', { name: 'Keep training' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 2, name: 'MNIST CNN' })).toBeVisible();
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-phase', /training|paused/);

  await page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name: 'LeNet-5' }).click();
  await dialog.getByRole('button', { name: 'Stop training and apply' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'LeNet-5' })).toBeVisible();
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
});

/** The MNIST CNN on bundled MNIST, ready to train: a few settings for a short run. */
async function mnistReady(page: Page, epochs: number, batchLimit: number | '') {
  await openTemplate(page, 'MNIST CNN');
  await page.getByRole('radio', { name: 'MNIST digits' }).check();
  await expect(page.getByTestId('data-summary')).toContainText('8,000 training', { timeout: 30_000 });
  await setNumber(page, 'learning-rate', 0.003);
  await setNumber(page, 'epochs', epochs);
  await setNumber(page, 'batch-limit', batchLimit);
  await page.getByTestId('backend-choice').selectOption('wasm');
}

const appWeights = (page: Page) =>
  page.evaluate(() => {
    const w = (window as unknown as { __netcanvas: { store: { getState(): { weights: Map<string, Record<string, { data: Float32Array }>> | null } } } }).__netcanvas.store.getState().weights;
    return w ? [...w.values()].flatMap((t) => Object.values(t).map((x) => Array.from(x.data.slice(0, 4)))) : null;
  });

test('Stop says where it stopped and keeps those results; choosing Fashion-MNIST marks them as the previous run, never relabelled', async ({ page }) => {
  test.setTimeout(180_000);
  await mnistReady(page, 2, '');
  await page.getByTestId('train-start').click();
  // Stop part-way through the first epoch.
  await expect(page.getByTestId('live-metrics')).toBeVisible({ timeout: 60_000 });
  await expect.poll(async () => Number(/batch (\d+)/.exec((await page.getByTestId('run-progress').textContent()) ?? '')?.[1] ?? 0), { timeout: 60_000 }).toBeGreaterThan(10);
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('run-phase')).toHaveText(/^Stopped in epoch 1 at batch \d+ of 225$/);
  await expect(page.getByTestId('run-summary')).toContainText(/Stopped in epoch 1 at batch \d+ of 225/);
  const bar = Number(await page.getByTestId('run-progress').locator('progress').getAttribute('value'));
  expect(bar).toBeGreaterThan(0);
  expect(bar).toBeLessThan(0.5);
  await expect(page.getByTestId('results-for')).toContainText('mnist (10 classes)');
  await expect(page.getByTestId('drawpad')).toBeVisible();
  await shot(page, 'train-stopped-mnist');

  const accuracy = await page.getByTestId('test-accuracy').textContent();
  await page.getByRole('radio', { name: 'Fashion-MNIST' }).check();
  await expect(page.getByTestId('data-summary')).toContainText('fashion-mnist', { timeout: 30_000 });
  const results = page.getByTestId('results');
  await expect(results).toHaveAttribute('data-state', 'previous');
  await expect(page.getByTestId('previous-run')).toContainText('From the previous run, on mnist');
  await expect(page.getByTestId('previous-run')).toContainText('the data changed');
  await expect(page.getByTestId('test-accuracy')).toHaveText(accuracy!);
  // The digits' confusion matrix keeps the digits' labels.
  const header = page.getByTestId('confusion-matrix').locator('thead th');
  await expect(header.nth(1)).toHaveText('0');
  await expect(header.nth(10)).toHaveText('9');
  await expect(page.getByTestId('confusion-matrix')).not.toContainText('Ankle');
  await expect(page.getByTestId('misclassified')).not.toContainText('boot');
  // Nothing runs the digits' model on the new data.
  await expect(page.getByTestId('drawpad')).toHaveCount(0);
  await expect(page.getByLabel('Upload an image…')).toHaveCount(0);
  await expect(page.locator('section.curves')).toHaveAttribute('data-state', 'previous');
  await shot(page, 'train-previous-run-en');
  await page.getByRole('combobox', { name: /Language/ }).selectOption('es');
  await expect(page.getByTestId('previous-run')).toContainText('Del entrenamiento anterior, con mnist');
  await shot(page, 'train-previous-run-es');
});

/** A zip of PNGs: each path → an image. */
function zipOf(files: Record<string, Buffer>): Buffer {
  return Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, new Uint8Array(v)]))));
}

test('a broken zip after a good one keeps the good data and says so; a one-class zip says one class', async ({ page }) => {
  await openTemplate(page, 'MNIST CNN');
  const good: Record<string, Buffer> = {};
  for (let i = 0; i < 6; i++) {
    good[`toys/bars/${i}.png`] = png(28, 28, (x) => ((x + i) % 7 < 3 ? 255 : 0));
    good[`toys/dots/${i}.png`] = png(28, 28, (x, y) => ((x - 14) ** 2 + (y - 14) ** 2 < (4 + i) ** 2 ? 255 : 0));
  }
  await page.getByTestId('zip-input').setInputFiles({ name: 'toys.zip', mimeType: 'application/zip', buffer: zipOf(good) });
  await expect(page.getByTestId('data-summary')).toContainText('toys');
  await expect(page.getByTestId('data-summary')).toContainText('2 classes');

  await page.getByTestId('zip-input').setInputFiles({ name: 'broken.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\x03\x04 this is not a zip') });
  await expect(page.getByTestId('data-error')).toContainText('could not be read');
  await expect(page.getByTestId('data-error')).toContainText('Still using toys.');
  await expect(page.getByTestId('data-summary')).toContainText('toys');
  await expect(page.getByTestId('data-summary')).toContainText('2 classes');

  const oneClass: Record<string, Buffer> = {};
  for (let i = 0; i < 5; i++) oneClass[`shapes/stripes/${i}.png`] = png(28, 28, (x) => (x % 4 < 2 ? 255 : 0));
  await page.getByTestId('zip-input').setInputFiles({ name: 'shapes.zip', mimeType: 'application/zip', buffer: zipOf(oneClass) });
  await expect(page.getByTestId('data-error')).toContainText('Only one class folder was found ("stripes")');
  await expect(page.getByTestId('data-summary')).toContainText('toys');
  await shot(page, 'train-broken-zip-kept');
});

test('saved weights come back alive after a reload: evaluate, the same answer on the draw pad, and Train asks before replacing them', async ({ page }) => {
  test.setTimeout(180_000);
  await mnistReady(page, 1, 40);
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 120_000 });
  const accuracy = await page.getByTestId('test-accuracy').textContent();
  await drawOne(page);
  await expect(page.getByTestId('drawpad-top5').locator('li')).toHaveCount(5);
  const answer = await page.getByTestId('drawpad-top5').locator('li').first().textContent();
  const weights = await appWeights(page);
  // Autosave writes within a second; then the page goes away.
  await page.waitForTimeout(1500);
  await page.reload();
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('saved-weights')).toBeVisible();
  expect(await appWeights(page)).toEqual(weights);
  await page.getByRole('radio', { name: 'MNIST digits' }).check();
  await page.getByTestId('evaluate-weights').click();
  await expect(page.getByTestId('test-accuracy')).toHaveText(accuracy!, { timeout: 60_000 });
  await expect(page.getByTestId('run-summary')).toContainText('Measured without training');
  await drawOne(page);
  await expect(page.getByTestId('drawpad-top5').locator('li').first()).toHaveText(answer!);
  await shot(page, 'train-weights-reloaded');

  // Train does not silently replace them: it asks, and Cancel leaves them as they were.
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-choice')).toContainText('This design already has trained weights.');
  await page.getByRole('combobox', { name: /Language/ }).selectOption('es');
  await expect(page.getByTestId('train-choice')).toContainText('Este diseño ya tiene pesos entrenados.');
  await expect(page.getByTestId('run-summary')).toContainText('Medido sin entrenar');
  await page.getByTestId('train-panel').evaluate((el) => el.scrollTo(0, 0));
  await shot(page, 'train-choice-es');
  await page.getByRole('combobox', { name: /Idioma/ }).selectOption('en');
  await page.getByTestId('train-choice').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('train-choice')).toHaveCount(0);
  await expect(page.getByTestId('run-progress')).toHaveCount(0);
  expect(await appWeights(page)).toEqual(weights);
});

test('leaving the page mid-run asks first; after the reload the settings are back and the lost run is said', async ({ page }) => {
  test.setTimeout(120_000);
  await mnistReady(page, 3, '');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('live-metrics')).toBeVisible({ timeout: 60_000 });
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.type();
    void dialog.accept();
  });
  await page.reload();
  expect(asked).toBe('beforeunload');
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('lost-run')).toContainText('A training run on mnist (3 epochs) was lost');
  await expect(page.getByTestId('epochs')).toHaveValue('3');
  await expect(page.getByTestId('learning-rate')).toHaveValue('0.003');
  await expect(page.getByTestId('backend-choice')).toHaveValue('wasm');
  await page.getByTestId('lost-run').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('lost-run')).toHaveCount(0);
});

test('before Train the split sizes and steps are shown; a small set of own images gets a hint; the test share is settable', async ({ page }) => {
  await openTemplate(page, 'MNIST CNN');
  await page.getByRole('radio', { name: 'MNIST digits' }).check();
  await setNumber(page, 'epochs', 2);
  await expect(page.getByTestId('split-sizes')).toContainText('7,200 to train · 800 to validate · 2,000 to test', { timeout: 30_000 });
  await expect(page.getByTestId('split-sizes')).toContainText('225 steps per epoch, 450 in all');
  await expect(page.getByTestId('few-steps')).toHaveCount(0);

  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 20; i++) {
    files[`toys/bars/${i}.png`] = png(28, 28, (x) => ((x + i) % 7 < 3 ? 255 : 0));
    files[`toys/dots/${i}.png`] = png(28, 28, (x, y) => ((x - 14) ** 2 + (y - 14) ** 2 < (3 + (i % 8)) ** 2 ? 255 : 0));
  }
  await page.getByTestId('zip-input').setInputFiles({ name: 'toys.zip', mimeType: 'application/zip', buffer: zipOf(files) });
  await expect(page.getByTestId('split-sizes')).toContainText('29 to train · 3 to validate · 8 to test');
  await expect(page.getByTestId('few-steps')).toContainText('Only 2 training steps');
  await setNumber(page, 'test-share', 0.5);
  await expect(page.getByTestId('split-sizes')).toContainText('18 to train · 2 to validate · 20 to test');
  await page.getByTestId('split-sizes').scrollIntoViewIfNeeded();
  await page.locator('fieldset.settings').screenshot({ path: join(SHOTS, 'train-small-data-en.png') });
});

test('image sizes are reported and checked against the Input: a mixed folder, then same-size files on LeNet-5 fixed in one click', async ({ page }) => {
  await openTemplate(page, 'MNIST CNN');
  const mixed: Record<string, Buffer> = {};
  for (let i = 0; i < 4; i++) {
    mixed[`mixed/bars/${i}.png`] = png(20, 20, (x) => (x % 5 < 2 ? 255 : 0));
    mixed[`mixed/dots/${i}.png`] = png(64, 48, (x, y) => ((x - 32) ** 2 + (y - 24) ** 2 < 100 ? 255 : 0), true);
  }
  await page.getByTestId('zip-input').setInputFiles({ name: 'mixed.zip', mimeType: 'application/zip', buffer: zipOf(mixed) });
  await expect(page.getByTestId('found-images')).toHaveText("Found 2 sizes, 20×20 to 48×64, 4 in colour and 4 gray; loaded at 28×28×1 for the network's Input.");
  await expect(page.getByTestId('fit-check')).toContainText('The mixed images are 2 sizes from 20×20 to 48×64, 4 in colour and 4 gray; they are stretched to 28×28×1');

  await openTemplate(page, 'LeNet-5');
  const same: Record<string, Buffer> = {};
  for (let i = 0; i < 4; i++) {
    same[`same/bars/${i}.png`] = png(28, 28, (x) => ((x + i) % 5 < 2 ? 255 : 0));
    same[`same/dots/${i}.png`] = png(28, 28, (x, y) => ((x - 14) ** 2 + (y - 14) ** 2 < 30 + i ? 255 : 0));
  }
  await page.getByTestId('zip-input').setInputFiles({ name: 'same.zip', mimeType: 'application/zip', buffer: zipOf(same) });
  await expect(page.getByTestId('data-summary')).toContainText('32×32×1');
  await expect(page.getByTestId('found-images')).toContainText('Found 28×28, gray; loaded at 32×32×1');
  const fit = page.getByTestId('fit-check');
  await expect(fit).toContainText('The same images are 28×28; they are stretched to 32×32×1');
  await fit.getByRole('button', { name: /to 28×28×1/ }).click();
  // The Input takes the images' own shape and the same files load again at it.
  await expect(page.getByTestId('found-images')).toContainText('loaded at 28×28×1');
  await expect(page.getByTestId('data-summary')).toContainText('28×28×1');
  await expect(fit).not.toContainText('stretched');
  await shot(page, 'train-images-checked');
});
