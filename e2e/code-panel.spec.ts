/**
 * The code panel in real Chromium against the production build. What the panel should show is not
 * written here: the spec runs the same exporters on the same template files in Node and checks that
 * the page shows (and copies, and zips) exactly that.
 */
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { exportKeras } from '../src/export/keras.ts';
import { exportOnnx } from '../src/export/onnx.ts';
import { exportPytorch } from '../src/export/pytorch.ts';
import { toClassName } from '../src/export/sanitize.ts';
import type { ExportResult } from '../src/export/types.ts';
import { formatIssue, inferShapes, parseDesign, serializeDesign, type Design } from '../src/graph/index.ts';
import { SHOTS, TOO_BIG_KERNEL, loadTemplate } from './fixtures.ts';


function text(result: ExportResult, path: string): string {
  if (!result.ok) throw new Error(`export failed: ${result.issues.map((i) => formatIssue(i)).join('; ')}`);
  const file = result.files.find((f) => f.path === path);
  if (!file || typeof file.content !== 'string') throw new Error(`no text file ${path}`);
  return file.content;
}

const MNIST = loadTemplate('mnist-cnn.json');
const LENET = loadTemplate('lenet-5.json');
const VGG = loadTemplate('vgg-16.json');

/** The lines Monaco has rendered (only those in view), with its non-breaking spaces made plain. */
const visibleCode = (page: Page) => page.locator('.code-tabpanel .monaco-editor .view-lines');
async function visibleText(page: Page): Promise<string> {
  return ((await visibleCode(page).textContent()) ?? '').replace(/\u00a0/g, ' ');
}

const codeStatus = (page: Page) => page.locator('.code-panel').getByRole('status');
/** One of the file buttons above the editor (model.py, train.py…). */
const fileButton = (page: Page, name: string) => page.locator('.code-files').getByRole('button', { name, exact: true });

/** A template's button in the gallery (its name is followed by its level: "LeNet-5 Classic"). */
const templateButton = (page: Page, design: Design) =>
  page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name: new RegExp(`^${design.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `) });

async function openCodePanel(page: Page, template = MNIST) {
  await page.goto('/');
  await templateButton(page, template).click();
  await expect(page.getByRole('heading', { level: 2, name: template.name })).toBeVisible();
  await page.getByRole('tab', { name: 'Code' }).click();
  await expect(page.getByRole('tabpanel', { name: 'Code' })).toBeVisible();
  await expect(page.locator('.code-tabpanel .monaco-editor')).toBeVisible({ timeout: 30_000 });
}

/** Clicks the panel's Copy button and returns what reached the clipboard. */
async function copyShown(page: Page, file: string): Promise<string> {
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page.getByRole('button', { name: `Copy ${file}`, exact: true }).click();
  await expect(codeStatus(page)).toHaveText(`Copied ${file} to the clipboard.`);
  return page.evaluate(() => navigator.clipboard.readText());
}

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
});

test('the first page loads no Monaco; it is fetched once the page is idle, and the Code tab then opens with it', async ({ page }) => {
  const scripts: { url: string; body: string; afterShown: boolean }[] = [];
  let shown = false;
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    const afterShown = shown;
    scripts.push({ url: response.url(), body: (await response.body()).toString('utf8'), afterShown });
  });
  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  // Everything fetched before the design is on screen is the first page.
  shown = true;
  // Responses already under way finish being read.
  await page.waitForLoadState('networkidle');
  const initial = scripts.filter((s) => !s.afterShown);
  expect(initial.length).toBeGreaterThan(0);
  for (const s of initial) {
    expect(s.url).not.toMatch(/editor\.api|monaco|CodePanel/);
    // "monaco-editor" is the editor's CSS class, written in its code: absent means Monaco is absent.
    expect(s.body, s.url).not.toContain('monaco-editor');
  }
  // Left idle, the page fetches the Code tab's modules (prefetch.ts), Monaco included, without a click.
  await expect.poll(() => scripts.filter((s) => s.afterShown && /editor\.api-.*\.js$/.test(s.url)).length, { timeout: 30_000 }).toBe(1);
  await expect(page.getByRole('tab', { name: 'Code', selected: false })).toBeVisible();
  await page.getByRole('tab', { name: 'Code' }).click();
  await expect(page.locator('.code-tabpanel .monaco-editor')).toBeVisible({ timeout: 30_000 });
  // The click fetched no second copy.
  expect(scripts.filter((s) => /editor\.api-.*\.js$/.test(s.url)).length).toBe(1);
});

test('shows the exported PyTorch, Keras, ONNX summary and design JSON, copies each file exactly', async ({ page }) => {
  const pytorch = exportPytorch(MNIST);
  const className = toClassName(MNIST.name);
  await openCodePanel(page);

  const tab = (name: string) => page.getByRole('tab', { name, exact: true });
  await expect(tab('PyTorch')).toHaveAttribute('aria-selected', 'true');
  await expect(fileButton(page, 'model.py')).toHaveAttribute('aria-pressed', 'true');
  // Monaco highlights Python: keywords and strings get token classes of their own.
  await expect(visibleCode(page)).toContainText(`${MNIST.name}: a PyTorch model`);
  expect(await visibleCode(page).locator('span[class^="mtk"]').evaluateAll((spans) => new Set(spans.map((s) => s.className)).size)).toBeGreaterThan(2);

  // Find (Monaco's own) brings the first convolution into view.
  await page.locator('.code-tabpanel .monaco-editor').click();
  await page.keyboard.press('Control+F');
  await page.keyboard.type('nn.Conv2d(1, 8');
  await page.keyboard.press('Enter');
  await expect.poll(() => visibleText(page)).toContain('self.conv1 = nn.Conv2d(1, 8, kernel_size=(5, 5)');
  await page.keyboard.press('Escape');
  await page.screenshot({ path: join(SHOTS, 'code-panel-pytorch.png'), fullPage: true });

  const model = await copyShown(page, 'model.py');
  expect(model).toBe(text(pytorch, 'model.py'));
  expect(model).toContain(`class ${className}(nn.Module):`);
  expect(model).toContain('nn.Conv2d(1, 8');

  await fileButton(page, 'train.py').click();
  expect(await copyShown(page, 'train.py')).toBe(text(pytorch, 'train.py'));

  await tab('Keras').click();
  await expect(fileButton(page, 'model_config.json')).toBeVisible();
  expect(await copyShown(page, 'model.py')).toBe(text(exportKeras(MNIST), 'model.py'));
  await fileButton(page, 'model_config.json').click();
  expect(await copyShown(page, 'model_config.json')).toBe(text(exportKeras(MNIST), 'model_config.json'));

  await tab('ONNX summary').click();
  await expect(visibleCode(page)).toContainText('opset 13');
  expect(await copyShown(page, 'onnx-summary.txt')).toBe(text(exportOnnx(MNIST), 'onnx-summary.txt'));
  await expect(page.getByText('Also in the download:')).toContainText('model.onnx');

  await tab('Design JSON').click();
  const json = await copyShown(page, 'mnist-cnn.json');
  expect(json).toBe(serializeDesign(MNIST));
  await page.screenshot({ path: join(SHOTS, 'code-panel-json.png'), fullPage: true });

  // Arrow keys move between the panel's tabs, as between the page's.
  await tab('Design JSON').press('ArrowRight');
  await expect(tab('PyTorch')).toBeFocused();
  await expect(tab('PyTorch')).toHaveAttribute('aria-selected', 'true');
});

test('the code follows the design: another template replaces it', async ({ page }) => {
  await openCodePanel(page);
  await expect(visibleCode(page)).toContainText(`${MNIST.name}: a PyTorch model`);
  await templateButton(page, LENET).click();
  await expect(page.getByRole('heading', { level: 2, name: LENET.name })).toBeVisible();
  await expect(visibleCode(page)).toContainText(`${LENET.name}: a PyTorch model`);
  expect(await copyShown(page, 'model.py')).toBe(text(exportPytorch(LENET), 'model.py'));
  // The panel stayed open and kept its tab while the page reloaded the design.
  await expect(page.getByRole('tab', { name: 'Code' })).toHaveAttribute('aria-selected', 'true');

  // VGG-16's ONNX (~553 MB of weights) is not built to be previewed: the tab says so and what it would weigh.
  await templateButton(page, VGG).click();
  await expect(visibleCode(page)).toContainText(`${VGG.name}: a PyTorch model`);
  await page.getByRole('tab', { name: 'ONNX summary', exact: true }).click();
  const params = inferShapes(VGG).totals.totalParams;
  await expect(page.locator('.code-tabpanel')).toContainText(
    `This design has ${params.toLocaleString('en-US')} parameters, so model.onnx will be about 553 MB.`,
  );
  await expect(page.locator('.code-tabpanel .monaco-editor')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Download all (.zip)' })).toBeEnabled();
  await page.screenshot({ path: join(SHOTS, 'code-panel-onnx-vgg16.png'), fullPage: true });
});

test('"Download all" gives a zip of every target and the design file', async ({ page }) => {
  await openCodePanel(page);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download all (.zip)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('mnist-cnn-netcanvas.zip');
  const files = unzipSync(readFileSync((await download.path())!));
  const expected = [
    'mnist-cnn.json',
    ...(['pytorch', 'keras', 'onnx'] as const).flatMap((target) => {
      const result = { pytorch: exportPytorch, keras: exportKeras, onnx: exportOnnx }[target](MNIST);
      if (!result.ok) throw new Error(`${target} did not export`);
      return result.files.map((f) => `${target}/${f.path}`);
    }),
  ];
  expect(Object.keys(files).sort()).toEqual(expected.sort());
  expect(Object.keys(files)).toEqual(expect.arrayContaining(['pytorch/model.py', 'pytorch/train.py', 'keras/model.py', 'onnx/model.onnx']));
  const decode = (path: string) => new TextDecoder().decode(files[path]);
  expect(decode('pytorch/model.py')).toBe(text(exportPytorch(MNIST), 'model.py'));
  expect(decode('mnist-cnn.json')).toBe(serializeDesign(MNIST));
  const onnx = exportOnnx(MNIST);
  if (!onnx.ok) throw new Error('onnx did not export');
  expect(files['onnx/model.onnx']).toEqual(onnx.files.find((f) => f.path === 'model.onnx')!.content);
  await expect(codeStatus(page)).toHaveText('Downloaded mnist-cnn-netcanvas.zip.');
});

test('a design with errors shows its messages instead of code, in Spanish too', async ({ page }) => {
  const doc = TOO_BIG_KERNEL;
  const parsed = parseDesign(doc);
  if (!parsed.ok) throw new Error('fixture does not load');
  const issues = inferShapes(parsed.design).nodes.get('conv')!.issues.filter((i) => i.severity === 'error');
  expect(issues.length).toBeGreaterThan(0);

  await openCodePanel(page);
  await page.getByRole('banner').getByTestId('file-menu-input').setInputFiles({ name: 'too-big.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(page.getByRole('heading', { level: 2, name: 'Too-big kernel' })).toBeVisible();
  const panel = page.locator('.code-tabpanel');
  await expect(panel).toContainText('This design has errors, so it cannot be exported yet.');
  for (const issue of issues) await expect(panel).toContainText(formatIssue(issue, 'en'));
  await expect(panel.locator('.monaco-editor')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Download all (.zip)' })).toBeDisabled();
  await page.screenshot({ path: join(SHOTS, 'code-panel-errors.png'), fullPage: true });

  await page.getByLabel('Language').selectOption('es');
  await expect(page.getByRole('tab', { name: 'Código' })).toHaveAttribute('aria-selected', 'true');
  await expect(panel).toContainText('Este diseño tiene errores');
  for (const issue of issues) await expect(panel).toContainText(formatIssue(issue, 'es'));
  await expect(page.getByRole('tab', { name: 'Resumen ONNX' })).toBeVisible();
});
