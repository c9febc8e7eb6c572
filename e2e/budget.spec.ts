/**
 * The budget check beside Train (issue 15), in real Chromium on the production build: VGG-16 at 224×224
 * does not fit an 8 GiB device, the warning says by how much and offers settings that fit, one click
 * applies them and the warning goes; LeNet-5 shows its figures and no warning. English and Spanish.
 *
 * `navigator.deviceMemory` is stubbed to 8 (GiB) with an init script so the ceiling is the same on
 * every machine: 8 is also the most Chromium ever reports. Expected batches come from src/graph's own
 * functions over the templates as the app loads them; what this checks is the page's wiring.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { formatBytes } from '../src/graph/number-format.ts';
import { inferShapes } from '../src/graph/infer.ts';
import { largestBatchWithin, largestBufferBytes, predictTrainingMemory } from '../src/graph/training-memory.ts';
import { LEARNED_CEILINGS_KEY } from '../src/train/device-ceiling.ts';
import { loadTemplate, SHOTS, startMnistCnnRun } from './fixtures.ts';

const DEVICE_GIB = 8;
const CEILING = DEVICE_GIB * 2 ** 30;
const vgg = inferShapes(loadTemplate('vgg-16.json'));
const lenet = inferShapes(loadTemplate('lenet-5.json'));

async function shot(page: Page, name: string) {
  const path = join(SHOTS, `${name}.png`);
  await page.getByTestId('train-panel').screenshot({ path });
  console.log(`screenshot: ${path}`);
}

async function open(page: Page, nav: string, tab: string, name: string) {
  await page.addInitScript((gib) => Object.defineProperty(Navigator.prototype, 'deviceMemory', { configurable: true, get: () => gib }), DEVICE_GIB);
  await page.goto('/');
  await page.getByRole('navigation', { name: nav }).getByRole('button', { name }).click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('tab', { name: tab }).click();
}

async function openTemplate(page: Page, nav: string, name: string) {
  await page.getByRole('navigation', { name: nav }).getByRole('button', { name }).click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible({ timeout: 30_000 });
}

test('VGG-16 at 224×224 warns on an 8 GiB device; one click applies settings that fit; LeNet-5 shows figures and no warning', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page, 'Templates', 'Train', 'VGG-16');
  await expect(page.getByTestId('batch-size')).toHaveValue('32');
  await expect(page.getByTestId('optimizer')).toHaveValue('adam');

  // With Adam not even one image fits in 8 GiB, so the advice is SGD with momentum and a batch.
  const sgdBatch = largestBatchWithin(vgg, 32, 'sgd', CEILING)!;
  expect(largestBatchWithin(vgg, 32, 'adam', CEILING)).toBeNull();
  const warning = page.getByTestId('budget-warning');
  await expect(warning).toBeVisible({ timeout: 30_000 });
  const peak = predictTrainingMemory(vgg, 32, 'adam').peak;
  await expect(warning).toContainText(`${formatBytes(peak, 'en')} predicted, ${formatBytes(peak - CEILING, 'en')} over the ${formatBytes(CEILING, 'en')} (${DEVICE_GIB} GiB)`);
  await expect(page.getByTestId('budget-fix')).toHaveText(`Use SGD with momentum and batch ${sgdBatch}`);
  await expect(page.getByTestId('train-start')).toBeVisible();
  await shot(page, 'budget-vgg16-warning');

  await page.getByTestId('budget-fix').click();
  await expect(page.getByTestId('batch-size')).toHaveValue(String(sgdBatch));
  await expect(page.getByTestId('optimizer')).toHaveValue('sgd');
  await expect(warning).toHaveCount(0);
  await expect(page.getByTestId('budget-peak')).toHaveText(formatBytes(predictTrainingMemory(vgg, sgdBatch, 'sgd').peak, 'en'));

  // Back to a batch that is too large with SGD: the advice is a batch alone.
  await page.getByTestId('batch-size').fill('64');
  await expect(page.getByTestId('budget-fix')).toHaveText(`Use batch ${largestBatchWithin(vgg, 64, 'sgd', CEILING)}`);
  await shot(page, 'budget-vgg16-use-batch');
  await page.getByTestId('budget-fix').click();
  await expect(page.getByTestId('batch-size')).toHaveValue(String(largestBatchWithin(vgg, 64, 'sgd', CEILING)));
  await expect(warning).toHaveCount(0);

  await openTemplate(page, 'Templates', 'LeNet-5');
  await page.getByRole('tab', { name: 'Train' }).click();
  const config = { batch: Number(await page.getByTestId('batch-size').inputValue()), optimizer: (await page.getByTestId('optimizer').inputValue()) as 'sgd' | 'adam' };
  await expect(page.getByTestId('budget-peak')).toHaveText(formatBytes(predictTrainingMemory(lenet, config.batch, config.optimizer).peak, 'en'));
  await expect(warning).toHaveCount(0);
  await page.getByRole('radio', { name: 'MNIST digits' }).check();
  await expect(page.getByTestId('budget-epoch')).toContainText('estimate', { timeout: 30_000 });
  await page.getByTestId('budget-check').locator('summary').click();
  await expect(page.getByTestId('budget-weights')).toContainText(formatBytes(lenet.totals.totalParams * 4, 'en'));
  await shot(page, 'budget-lenet5');
});

test("with WebGPU chosen, the largest tensor is held to the adapter's binding limit (adapter stubbed)", async ({ page }) => {
  test.setTimeout(120_000);
  // Headless Chromium here has no WebGPU adapter, so the page is given one with WebGPU's default
  // limits (128 MiB per binding, 256 MiB per buffer): what is checked is that the page asks for them.
  const binding = 128 * 2 ** 20;
  await page.addInitScript((limits) => {
    Object.defineProperty(Navigator.prototype, 'gpu', { configurable: true, get: () => ({ requestAdapter: async () => ({ limits }) }) });
  }, { maxStorageBufferBindingSize: binding, maxBufferSize: 2 * binding });
  await open(page, 'Templates', 'Train', 'ResNet-18');
  const resnet = inferShapes(loadTemplate('resnet-18.json'));
  // The largest batch the 8 GiB of device memory holds; its largest tensor is over the binding limit.
  const batch = largestBatchWithin(resnet, 256, 'adam', CEILING)!;
  expect(largestBufferBytes(resnet, batch)).toBeGreaterThan(binding);
  await page.getByTestId('batch-size').fill(String(batch));
  await expect(page.getByTestId('budget-peak')).toHaveText(formatBytes(predictTrainingMemory(resnet, batch, 'adam').peak, 'en'));
  await expect(page.getByTestId('budget-warning')).toHaveCount(0);
  await page.getByTestId('backend-choice').selectOption('webgpu');
  const warning = page.getByTestId('budget-warning');
  await expect(warning).toContainText(`the largest tensor needs ${formatBytes(largestBufferBytes(resnet, batch), 'en')}`, { timeout: 30_000 });
  const n = largestBatchWithin(resnet, batch, 'adam', binding, 'webgpu-binding')!;
  await expect(page.getByTestId('budget-fix')).toHaveText(`Use batch ${n}`);
  await shot(page, 'budget-resnet18-webgpu');
  await page.getByTestId('budget-fix').click();
  await expect(page.getByTestId('batch-size')).toHaveValue(String(n));
  await expect(warning).toHaveCount(0);
});

test('after a run, the time per epoch comes from the measured speed on its backend, not the estimate', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page, 'Templates', 'Train', 'MNIST CNN');
  await page.getByRole('radio', { name: 'MNIST digits' }).check();
  await expect(page.getByTestId('budget-epoch')).toContainText('estimate', { timeout: 30_000 });
  await expect(page.getByTestId('budget-epoch')).toHaveAttribute('data-measured', '');
  await startMnistCnnRun(page, { epochs: 1, batchLimit: 20 });
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-phase', 'done', { timeout: 150_000 });
  await expect(page.getByTestId('budget-epoch')).toHaveAttribute('data-measured', 'wasm');
  await expect(page.getByTestId('budget-epoch')).toContainText('at the speed measured on WASM');
  await shot(page, 'budget-mnist-cnn-measured');
});

/** A step of LeNet-5 at batch `failedBatch` ran out of memory on WASM earlier (stored as the app stores it). */
async function rememberFailure(page: Page, failedBatch: number, optimizer: 'sgd' | 'adam') {
  const failed = { wasm: { bytes: predictTrainingMemory(lenet, failedBatch, optimizer).peak, batchSize: failedBatch } };
  await page.addInitScript(([key, value]) => localStorage.setItem(key, value), [LEARNED_CEILINGS_KEY, JSON.stringify(failed)] as const);
  return failed.wasm.bytes;
}

test('a ceiling learned from a run that ran out of memory warns at that batch and offers the largest below it', async ({ page }) => {
  test.setTimeout(120_000);
  const failedPeak = await rememberFailure(page, 40, 'adam');
  await open(page, 'Templates', 'Train', 'LeNet-5');
  await page.getByTestId('optimizer').selectOption('adam');
  await page.getByTestId('batch-size').fill('64');
  const warning = page.getByTestId('budget-warning');
  await expect(warning).toContainText(`Learned from a failed run: training on this device ran out of memory at ${formatBytes(failedPeak, 'en')} predicted (batch 40)`, { timeout: 30_000 });
  await expect(page.getByTestId('budget-check')).toHaveAttribute('data-ceiling-source', 'failed-run');
  await expect(page.getByTestId('budget-fix')).toHaveText(`Use batch ${largestBatchWithin(lenet, 64, 'adam', failedPeak - 1)}`);
  await shot(page, 'budget-learned-ceiling');
  await page.getByTestId('budget-fix').click();
  await expect(page.getByTestId('batch-size')).toHaveValue('39');
  await expect(warning).toHaveCount(0);
});

test.describe('with a Spanish browser', () => {
  test('the learned ceiling reads in Spanish', async ({ page }) => {
    test.setTimeout(120_000);
    await rememberFailure(page, 40, 'adam');
    await open(page, 'Plantillas', 'Entrenar', 'LeNet-5');
    await page.getByTestId('optimizer').selectOption('adam');
    await page.getByTestId('batch-size').fill('64');
    await expect(page.getByTestId('budget-warning')).toContainText('Aprendido de un entrenamiento fallido', { timeout: 30_000 });
    await expect(page.getByTestId('budget-fix')).toHaveText('Usar lote de 39');
    await shot(page, 'budget-learned-ceiling-es');
  });

  test.use({ locale: 'es-ES' });
  test('the VGG-16 warning and its fix read in Spanish', async ({ page }) => {
    test.setTimeout(120_000);
    await open(page, 'Plantillas', 'Entrenar', 'VGG-16');
    const sgdBatch = largestBatchWithin(vgg, 32, 'sgd', CEILING)!;
    const warning = page.getByTestId('budget-warning');
    await expect(warning).toContainText('Demasiado grande para este dispositivo', { timeout: 30_000 });
    await expect(page.getByTestId('budget-fix')).toHaveText(`Usar SGD con momento y lote de ${sgdBatch}`);
    await shot(page, 'budget-vgg16-warning-es');
    await page.getByTestId('budget-fix').click();
    await expect(page.getByTestId('batch-size')).toHaveValue(String(sgdBatch));
    await expect(warning).toHaveCount(0);
  });
});
