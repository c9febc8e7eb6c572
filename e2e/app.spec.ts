/**
 * The first page in real Chromium, against the production build served by `vite preview`. Expected
 * numbers are not literals: the spec runs the same src/graph code on the same template files in Node
 * and checks the page shows what that inference says (a differential check of the wiring).
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { formatIssue, formatShape, inferShapes, parseDesign, type Design } from '../src/graph/index.ts';
import { formatCount } from '../src/graph/number-format.ts';
import { defaultTemplate } from '../src/store/template-catalogue.ts';
import { SHOTS, TOO_BIG_KERNEL, galleryCatalogue, loadTemplate } from './fixtures.ts';

const catalogue = galleryCatalogue();
const first = defaultTemplate(catalogue);

async function shot(page: Page, name: string) {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

/** The layer table (totals and one row per layer) is the Layers view, beside the canvas. */
async function showLayers(page: Page, name = 'Layers') {
  await page.getByRole('tab', { name, exact: true }).click();
  await expect(page.locator('table.layers')).toBeVisible();
}

/** The canvas has drawn the design (the first page's main view). */
async function canvasShown(page: Page) {
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
}

/** Every row of the layer table shows the shape src/graph infers for that node. */
async function expectRowsMatch(page: Page, design: Design) {
  const inference = inferShapes(design);
  const rows = page.locator('table.layers tbody tr');
  await expect(rows).toHaveCount(design.nodes.length);
  for (const id of inference.order) {
    const shape = inference.nodes.get(id)!.outputShape;
    await expect(page.locator(`tr[data-node-id="${id}"] td.shape`)).toHaveText(formatShape(shape));
  }
}

test('the page lists every template and shows the default one with inferred shapes and totals', async ({ page }) => {
  test.skip(!first, 'no templates in templates/');
  const design = loadTemplate(first!.file);
  const { totals } = inferShapes(design);
  await page.goto('/');

  const nav = page.getByRole('navigation', { name: 'Templates' });
  for (const entry of catalogue) await expect(nav.getByRole('button', { name: entry.name })).toBeVisible();
  await expect(nav.getByRole('button', { name: first!.name })).toHaveAttribute('aria-current', 'true');

  await expect(page.getByRole('heading', { level: 2, name: design.name })).toBeVisible();
  await expect(page.getByTestId('status-trainable')).toHaveText(formatCount(totals.trainableParams, 'en'));
  await showLayers(page);
  await expect(page.getByTestId('total-params')).toHaveText(formatCount(totals.totalParams, 'en'));
  await expect(page.getByTestId('trainable-params')).toHaveText(formatCount(totals.trainableParams, 'en'));
  expect(totals.totalParams).toBeGreaterThan(0);
  await expectRowsMatch(page, design);
  if (design.notes?.en) await expect(page.getByRole('region', { name: 'Notes' })).toContainText(design.notes.en.slice(0, 40));
  await shot(page, 'app-default');
});

test('the page is served cross-origin isolated and its first page loads neither tfjs nor Monaco', async ({ page }) => {
  let scriptBytes = 0;
  const scriptBodies: string[] = [];
  // The first page is what is fetched until the design is on screen; after that, an idle page fetches
  // the Code tab ahead of its first click (code/prefetch.ts, checked in code-panel.spec.ts).
  let shown = false;
  page.on('response', async (response) => {
    if (shown || response.request().resourceType() !== 'script') return;
    const body = await response.body();
    scriptBytes += body.length;
    scriptBodies.push(body.toString('utf8'));
  });
  const response = await page.goto('/');
  const headers = response!.headers();
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await canvasShown(page);
  shown = true;
  // Responses already under way finish being read.
  await page.waitForLoadState('networkidle');
  // tfjs alone is over 1 MB minified and Monaco several; the first page (React, React Flow and the
  // canvas editor, zod, the layer catalogue, the block library, lessons and locks: about 0.9 MB) must stay
  // well below either...
  expect(scriptBytes).toBeGreaterThan(0);
  expect(scriptBytes).toBeLessThan(1_000_000);
  // ...and hold neither: their code, not just their size.
  for (const body of scriptBodies) {
    expect(body).not.toContain('monaco-editor');
    expect(body).not.toMatch(/registerKernel\(|Conv2DBackpropFilter/);
  }
});

test('choosing VGG-16 shows its 138,357,544 parameters, in either shape layout', async ({ page }) => {
  const vgg = catalogue.find((e) => e.file === 'vgg-16.json');
  test.skip(!vgg, 'templates/vgg-16.json not present');
  const design = loadTemplate('vgg-16.json');
  const { totals } = inferShapes(design);
  await page.goto('/');
  await canvasShown(page);

  await page.getByRole('button', { name: vgg!.name }).click();
  await expect(page.getByRole('heading', { level: 2, name: design.name })).toBeVisible();
  await showLayers(page);
  await expect(page.getByTestId('total-params')).toHaveText(formatCount(totals.totalParams, 'en'));
  await expect(page.getByTestId('total-params')).toHaveText('138,357,544');
  await expectRowsMatch(page, design);

  const input = design.nodes.find((n) => n.kind === 'Input')!;
  const cell = page.locator(`tr[data-node-id="${input.id}"] td.shape`);
  await expect(cell).toHaveText('224×224×3');
  await page.getByRole('radio', { name: /PyTorch/ }).check();
  await expect(cell).toHaveText('[3, 224, 224]');
  await shot(page, 'app-vgg16-channels-first');
});

test('Spanish translates the page and the issue messages', async ({ page }) => {
  test.skip(!first, 'no templates in templates/');
  const { totals } = inferShapes(loadTemplate(first!.file));
  await page.goto('/');
  await page.getByLabel('Language').selectOption('es');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('navigation', { name: 'Plantillas' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Diseño' })).toHaveAttribute('aria-selected', 'true');
  await showLayers(page, 'Capas');
  await expect(page.getByText('Parámetros totales')).toBeVisible();
  await expect(page.getByTestId('total-params')).toHaveText(formatCount(totals.totalParams, 'es'));
  await expect(page.getByRole('button', { name: 'Archivo' })).toBeVisible();
});

test.describe('with a Spanish browser', () => {
  test.use({ locale: 'es-ES' });
  test('the page starts in Spanish', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('navigation', { name: 'Plantillas' })).toBeVisible();
    await expect(page.getByLabel('Idioma')).toHaveValue('es');
  });
});

test('a malformed file shows what is wrong and leaves the current design shown', async ({ page }) => {
  test.skip(!first, 'no templates in templates/');
  const design = loadTemplate(first!.file);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 2, name: design.name })).toBeVisible();
  await showLayers(page);
  const fileInput = page.getByTestId('file-menu-input');

  const bad = JSON.stringify({ format: 'netcanvas', version: 1, nodes: [{ id: 'x', kind: 'Conv9D' }], edges: [] });
  const parsed = parseDesign(bad);
  expect(parsed.ok).toBe(false);
  await fileInput.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not open broken.json');
  if (!parsed.ok) for (const issue of parsed.errors) await expect(alert).toContainText(formatIssue(issue, 'en'));
  await expect(page.getByRole('heading', { level: 2, name: design.name })).toBeVisible();
  await expectRowsMatch(page, design);

  // Not JSON at all, and in Spanish: the message comes from the same catalogue.
  await page.getByLabel('Language').selectOption('es');
  await fileInput.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('{"format": "netcanvas",') });
  await expect(alert).toContainText('No se pudo abrir notes.txt');
  await expect(alert).toContainText('No es JSON válido');
  await expect(page.getByRole('heading', { level: 2, name: design.name })).toBeVisible();
  await shot(page, 'app-malformed-file-es');
});

test('a valid file with a mistake opens and the row explains it, without hiding other shapes', async ({ page }) => {
  const doc = TOO_BIG_KERNEL;
  const parsed = parseDesign(doc);
  expect(parsed.ok).toBe(true);
  const inference = inferShapes((parsed as { design: Design }).design);
  const issues = inference.nodes.get('conv')!.issues;
  expect(issues.length).toBeGreaterThan(0);

  await page.goto('/');
  await canvasShown(page);
  await showLayers(page);
  await page.getByTestId('file-menu-input').setInputFiles({
    name: 'too-big.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(doc)),
  });
  await expect(page.getByRole('heading', { level: 2, name: 'Too-big kernel' })).toBeVisible();
  await expect(page.getByText('Opened from too-big.json')).toBeVisible();
  await expect(page.getByRole('alert')).toBeEmpty();
  const row = page.locator('tr[data-node-id="conv"]');
  for (const issue of issues) await expect(row).toContainText(formatIssue(issue, 'en'));
  await expect(page.locator('tr[data-node-id="in"] td.shape')).toHaveText('3×3×1');
  await shot(page, 'app-file-with-error');
});
