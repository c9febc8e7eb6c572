/**
 * The first ten minutes (issue 15), as a new user lives them in real Chromium: an empty design, layers
 * added from the palette that start with ReLU, a layer dropped onto the selected one and wired there,
 * handles big enough to hit, text readable when zoomed out, MNIST trained with Auto, which starts at once,
 * one labelled accuracy per split, and the same page in Spanish. Expected words come from the app's own
 * string tables; expected numbers from src/graph in Node. The time from Train to the first figures is
 * measured over fresh pages and written to test-results/first-figures.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { addNode, emptyDesign, inferShapes, formatIssue, UNTITLED, type Design, type LayerKind } from '../src/graph/index.ts';
import { startingParams } from '../src/graph/linear-layers.ts';
import { editorStrings } from '../src/ui/editor/editor-strings.ts';
import { MIN_SCREEN_PX } from '../src/ui/editor/zoom-text.ts';
import { filesStrings } from '../src/ui/files/files-strings.ts';
import { trainStrings } from '../src/ui/train/train-strings.ts';
import { SHOTS } from './fixtures.ts';

const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

async function newDesign(page: Page) {
  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await page.getByRole('button', { name: filesStrings('en').file, exact: true }).click();
  await page.getByRole('menuitem', { name: filesStrings('en').newDesign }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
}

/** Clicks Train and resolves with the milliseconds until the first loss and accuracy are on screen. */
function timeToFirstFigures(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const button = document.querySelector<HTMLButtonElement>('[data-testid="train-start"]')!;
        const shown = () => document.querySelector('[data-testid="split-train"]');
        const t0 = performance.now();
        const watch = new MutationObserver(() => {
          if (!shown()) return;
          watch.disconnect();
          resolve(performance.now() - t0);
        });
        watch.observe(document.body, { childList: true, subtree: true });
        button.click();
      }),
  );
}

/** What the store does for each palette click after the selected layer, computed in Node. */
function expectedChain(kinds: readonly LayerKind[]): { design: Design; ids: string[] } {
  let design = emptyDesign();
  const ids: string[] = [];
  for (const kind of kinds) {
    const r = addNode(design, kind, { after: ids.at(-1), params: startingParams(kind) });
    design = r.design;
    ids.push(r.id);
  }
  return { design, ids };
}

test.describe.configure({ mode: 'serial' });

test('a new user builds a CNN that starts with ReLU, drops a layer onto the selected one, trains MNIST with Auto at once and reads one accuracy per split, in English and Spanish', async ({ page }) => {
  test.setTimeout(300_000);
  const favicon = await page.request.get('/favicon.ico');
  expect(favicon.status()).toBe(200);
  await newDesign(page);
  await expect(page.getByRole('heading', { level: 2, name: UNTITLED.en })).toBeVisible();

  // Input, then Conv2D after it (clicks); MaxPool2D dragged onto the selected Conv2D; Flatten and Dense clicked.
  const { design, ids } = expectedChain(['Input', 'Conv2D', 'MaxPool2D', 'Flatten', 'Dense']);
  const [input, conv, pool, flat, dense] = ids;
  await page.getByTestId('palette-Input').click();
  await page.getByTestId('palette-Conv2D').click();
  await expect(page.getByTestId(`layer-node-${conv}`)).toContainText('relu');
  await page.getByTestId('palette-MaxPool2D').dragTo(node(page, conv));
  await expect(node(page, pool)).toBeVisible();
  await expect(page.getByTestId(`edge-label-${conv}->${pool}`)).toBeVisible();
  await page.getByTestId('palette-Flatten').click();
  await page.getByTestId('palette-Dense').click();
  await expect(page.getByTestId(`layer-node-${dense}`)).toContainText('relu');
  const inference = inferShapes(design);
  for (const id of ids) await expect(page.getByTestId(`node-shape-${id}`)).toHaveText(`→ ${inference.nodes.get(id)!.outputShape!.join('×')}`);
  await expect(page.getByTestId('status-problems')).toContainText(editorStrings('en').noProblems);

  // Handles a finger can find: at least 14 px drawn, with a wider invisible ring.
  const handle = await node(page, flat).locator('.react-flow__handle.target').boundingBox();
  expect(handle!.width).toBeGreaterThanOrEqual(14);

  // Zoomed out, the name and shape stay at least 11 px on screen (the rest of the face steps aside).
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Zoom Out' }).click();
  const onScreen = await page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="layer-node-${id}"] .layer-name`)!;
    const zoom = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a;
    return { px: parseFloat(getComputedStyle(el).fontSize) * zoom, zoom };
  }, input);
  expect(onScreen.zoom).toBeLessThan(0.92);
  expect(onScreen.px).toBeGreaterThanOrEqual(MIN_SCREEN_PX - 0.1);
  await page.locator('.react-flow__controls-fitview').click();

  // Train: MNIST, one epoch; the head's ReLU is flagged before training, and fixed in one click.
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByRole('radio', { name: 'MNIST digits' }).check();
  await expect(page.getByTestId('data-summary')).toContainText('8,000 training', { timeout: 30_000 });
  const fit = page.getByTestId('fit-check');
  await expect(fit).toContainText('relu');
  await fit.getByRole('button', { name: /Fix/ }).first().click();
  await expect(fit).toContainText(trainStrings('en').fitOk);
  await page.getByTestId('epochs').fill('1');
  await expect(page.getByTestId('backend-choice')).toHaveValue('auto');

  const firstFigures = await timeToFirstFigures(page);
  console.log(`first-ten journey: Train → first figures ${Math.round(firstFigures)} ms`);
  await expect(page.getByTestId('auto-why')).toHaveAttribute('data-pick', 'first-guess');
  await expect(page.getByTestId('active-backend')).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('split-train')).toContainText(trainStrings('en').splitTrain);

  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 180_000 });
  const accuracy = parseFloat((await page.getByTestId('test-accuracy').textContent())!);
  console.log(`first-ten journey: test accuracy ${accuracy} % after one epoch`);
  expect(accuracy).toBeGreaterThan(80);
  await expect(page.getByTestId('split-validation')).toContainText(trainStrings('en').splitValidation(1));
  // After the results, Auto measures the other backends for the next run and shows them.
  await expect(page.getByTestId('measurements')).toBeVisible({ timeout: 90_000 });
  mkdirSync(SHOTS, { recursive: true });
  await page.getByTestId('train-panel').screenshot({ path: join(SHOTS, 'first-ten-en-train.png') });
  await page.locator('.train-card.backend').screenshot({ path: join(SHOTS, 'first-ten-en-backend.png') });

  // The same page in Spanish: the panel, the backends' reasons, the layer badges.
  await page.getByLabel('Language').selectOption('es');
  const es = trainStrings('es');
  await expect(page.getByTestId('split-train')).toContainText(es.splitTrain);
  await expect(page.getByTestId('auto-why')).toContainText('Automático');
  const webgpu = page.getByTestId('measurements').locator('tr[data-backend="webgpu"]');
  await expect(webgpu).toContainText(/navegador/);
  await page.getByTestId('train-panel').screenshot({ path: join(SHOTS, 'first-ten-es-train.png') });
  await page.locator('.train-card.backend').screenshot({ path: join(SHOTS, 'first-ten-es-backend.png') });
  await page.getByRole('tab', { name: editorStrings('es').tabDesign }).click();
  await expect(page.getByTestId(`layer-node-${input}`)).toContainText('Entrada');
  await page.screenshot({ path: join(SHOTS, 'first-ten-es-design.png') });
});

test('a linear stack is named on the canvas and fixed in one click', async ({ page }) => {
  await newDesign(page);
  const { design, ids } = expectedChain(['Input', 'Flatten', 'Dense', 'Dense']);
  for (const kind of ['Input', 'Flatten', 'Dense', 'Dense'] as const) await page.getByTestId(`palette-${kind}`).click();
  const [, , hidden, head] = ids;
  // Both Dense start with ReLU; the user sets the hidden one to linear, as the old default had it.
  await node(page, hidden).click();
  await page.getByRole('combobox', { name: /^activation/ }).selectOption('linear');
  await node(page, head).click();
  await page.getByRole('combobox', { name: /^activation/ }).selectOption('linear');
  const linear = { ...design, nodes: design.nodes.map((n) => (n.id === hidden || n.id === head ? { ...n, params: { ...n.params, activation: 'linear' } } : n)) };
  const issue = inferShapes(linear).nodes.get(hidden)!.issues.find((i) => i.code === 'linear-stack')!;
  const face = page.getByTestId(`layer-node-${hidden}`);
  await expect(face).toContainText(formatIssue(issue, 'en'));
  // The warned layer comes to the front when selected (its message makes it taller than a row).
  await node(page, hidden).click();
  await face.getByRole('button', { name: /ReLU/ }).click();
  await expect(face).not.toContainText(formatIssue(issue, 'en'));
  await expect(page.getByTestId(`layer-node-${hidden}`)).toContainText('relu');
});

test('an edit during a run asks once, when the value is committed, with the whole number', async ({ page }) => {
  test.setTimeout(120_000);
  await newDesign(page);
  const { ids } = expectedChain(['Input', 'Flatten', 'Dense']);
  for (const kind of ['Input', 'Flatten', 'Dense'] as const) await page.getByTestId(`palette-${kind}`).click();
  const dense = ids[2];
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByRole('radio', { name: 'MNIST digits' }).check();
  await expect(page.getByTestId('data-summary')).toContainText('8,000 training', { timeout: 30_000 });
  await page.getByTestId('fit-check').getByRole('button', { name: /Fix/ }).first().click();
  // A run that outlasts the test: many epochs on the slowest backend.
  await page.getByTestId('epochs').fill('100');
  await page.getByTestId('backend-choice').selectOption('cpu');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('split-train')).toBeVisible({ timeout: 60_000 });

  await page.getByRole('tab', { name: 'Design' }).click();
  await node(page, dense).click();
  const units = page.getByRole('spinbutton', { name: /^units/ });
  await units.click();
  await units.press('Control+a');
  await units.pressSequentially('90', { delay: 80 });
  const dialog = page.getByTestId('stop-run-dialog');
  await expect(dialog).toBeHidden();
  // Nothing reached the design while typing: no "units = 9" on the way to 90.
  await expect(page.getByTestId(`layer-node-${dense}`)).toContainText('10 · softmax');
  await units.press('Enter');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('units = 90');
  await dialog.getByRole('button', { name: trainStrings('en').confirmKeep }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 60_000 });
});

test('Train → first figures with Auto on a fresh page, median of 5 (MNIST CNN, bundled MNIST)', async ({ page }) => {
  test.setTimeout(300_000);
  const runs: { ms: number; backend: string | null; pick: string | null }[] = [];
  for (let i = 0; i < 5; i++) {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name: 'MNIST CNN' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'MNIST CNN' })).toBeVisible();
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('radio', { name: 'MNIST digits' }).check();
    await expect(page.getByTestId('data-summary')).toContainText('8,000 training', { timeout: 30_000 });
    await expect(page.getByTestId('backend-choice')).toHaveValue('auto');
    const ms = await timeToFirstFigures(page);
    runs.push({
      ms: Math.round(ms),
      backend: await page.getByTestId('active-backend').getAttribute('data-backend'),
      pick: await page.getByTestId('auto-why').getAttribute('data-pick'),
    });
    await page.getByTestId('train-stop').click();
    await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 60_000 });
  }
  const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
  const median = sorted[2];
  // The issue's goal on a 2-core machine without a GPU is 2 s; the figure depends on the machine's load,
  // so it is recorded (and said) rather than asserted. What is asserted is that Auto no longer measures
  // first: that took 10–25 s before the first figure (issue 15).
  const report = {
    what: 'Train click → first loss/accuracy on screen, Auto, fresh page each run',
    runs,
    median,
    min: sorted[0],
    max: sorted[4],
    goalMs: 2000,
    metGoal: median <= 2000,
  };
  mkdirSync(join(SHOTS, '..'), { recursive: true });
  writeFileSync(join(SHOTS, '..', 'first-figures.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`first figures: ${JSON.stringify(report)}`);
  for (const r of runs) expect(r.pick).toBe('first-guess');
  expect(median).toBeLessThan(10_000);
});
