/**
 * The canvas editor, smoke-tested in real Chromium against the production build: a template's layers and
 * connections appear with the shapes src/graph infers, a layer dragged from the palette lands on the
 * canvas and can be wired, refusals and problems are shown. Expected values come from running the same
 * src/graph code in Node, never from literals.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { wire } from './canvas.ts';
import { addNode, connect, formatIssue, formatShape, inferShapes, toChannelsFirst } from '../src/graph/index.ts';
import { startingParams } from '../src/graph/linear-layers.ts';
import { layerSpec } from '../src/graph/layers/index.ts';
import { formatCount } from '../src/graph/number-format.ts';
import { SHOTS, loadTemplate } from './fixtures.ts';
import { explainReceptiveField, receptiveFields } from '../src/graph/receptive-field.ts';
import { formatNumber, inspectorStrings } from '../src/ui/editor/inspector-strings.ts';


const LENET = loadTemplate('lenet-5.json');
const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

async function openLeNet(page: Page) {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name: /^LeNet-5/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: LENET.name })).toBeVisible();
}


test('a template is drawn with every layer, its shape, and every connection labelled with the tensor it carries', async ({ page }) => {
  const inference = inferShapes(LENET);
  await openLeNet(page);
  for (const n of LENET.nodes) {
    const shape = formatShape(inference.nodes.get(n.id)!.outputShape);
    await expect(node(page, n.id)).toBeVisible();
    await expect(node(page, n.id)).toHaveAttribute('aria-label', n.label ? `${n.label} (${n.id}, ${n.kind})` : `${n.id} (${n.kind})`);
    await expect(page.getByTestId(`node-shape-${n.id}`)).toHaveText(`→ ${shape}`);
  }
  for (const e of LENET.edges) {
    await expect(page.getByTestId(`edge-label-${e.id}`)).toHaveText(formatShape(inference.nodes.get(e.source)!.outputShape));
  }
  const { totals } = inference;
  await expect(page.getByTestId('status-trainable')).toHaveText(formatCount(totals.trainableParams, 'en'));
  await expect(page.getByTestId('status-non-trainable')).toHaveText(formatCount(totals.nonTrainableParams, 'en'));
  await page.screenshot({ path: join(SHOTS, 'editor-lenet.png') });

  // The PyTorch layout rewrites every label channels-first.
  await page.getByRole('toolbar').getByRole('button', { name: 'C×H×W' }).click();
  const first = LENET.edges[0];
  await expect(page.getByTestId(`edge-label-${first.id}`)).toHaveText(formatShape(toChannelsFirst(inference.nodes.get(first.source)!.outputShape!)));
});

test('a Conv2D dragged from the palette lands on the canvas, reports its missing input, and can be wired', async ({ page }) => {
  await openLeNet(page);
  const pane = page.locator('.react-flow__pane');
  await page.getByTestId('palette-Conv2D').dragTo(pane, { targetPosition: { x: 140, y: 160 } });

  // What the store does with that drop (in open space), computed in Node: a fresh id, a beginner's parameters.
  const { design: added, id } = addNode(LENET, 'Conv2D', { position: { x: 0, y: 0 }, params: startingParams('Conv2D') });
  await expect(node(page, id)).toBeVisible();
  const missing = inferShapes(added).nodes.get(id)!.issues;
  expect(missing.length).toBeGreaterThan(0);
  await expect(page.getByTestId(`layer-node-${id}`)).toContainText(formatIssue(missing[0], 'en'));
  await expect(page.getByTestId('status-problems')).toContainText('1 error');

  // The problem list takes us to the layer (selected, so the inspector shows it).
  await page.getByTestId('status-problems').click();
  await page.getByTestId('problems-list').getByRole('button').first().click();
  await expect(node(page, id)).toHaveClass(/selected/);

  // Wire S2's output into it: the edge carries S2's shape and the new layer gets its own.
  await wire(page, node(page, 'pool1').locator('.react-flow__handle.source'), node(page, id).locator('.react-flow__handle.target'));
  const wired = connect(added, 'pool1', id);
  if (!wired.ok) throw new Error('the same connection is refused in Node');
  const inference = inferShapes(wired.design);
  await expect(page.getByTestId(`edge-label-${wired.edgeId}`)).toHaveText(formatShape(inference.nodes.get('pool1')!.outputShape));
  await expect(page.getByTestId(`node-shape-${id}`)).toHaveText(`→ ${formatShape(inference.nodes.get(id)!.outputShape)}`);
  await expect(page.getByTestId('status-problems')).toContainText('No problems');

  // A second input into a single-input layer is refused, and the notice says why.
  await wire(page, node(page, id).locator('.react-flow__handle.source'), node(page, 'conv1').locator('.react-flow__handle.target'));
  const refused = connect(wired.design, id, 'conv1');
  expect(refused.ok).toBe(false);
  if (!refused.ok) await expect(page.getByRole('alert').filter({ hasText: formatIssue(refused.reason, 'en') })).toBeVisible();

  // Undo takes the connection back, in one step.
  await page.getByRole('toolbar').getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId(`edge-label-${wired.edgeId}`)).toHaveCount(0);
  await expect(node(page, id)).toBeVisible();
});

test("the inspector shows LeNet-5's C3 receptive field and its arithmetic as src/graph computes them, in English and Spanish", async ({ page }) => {
  await openLeNet(page);
  const inference = inferShapes(LENET);
  const [e] = explainReceptiveField(LENET, inference, receptiveFields(LENET, inference), 'conv2');
  if (e.field.kind !== 'local' || !e.axes) throw new Error('C3 has a local field');
  const [h, w] = e.field.axes;
  await node(page, 'conv2').click();
  for (const lang of ['en', 'es'] as const) {
    if (lang === 'es') await page.getByLabel('Language').selectOption('es');
    const t = inspectorStrings(lang);
    const section = page.locator('.inspector-field');
    await expect(section.getByRole('heading', { name: t.receptiveField })).toBeVisible();
    const pair = (a: number, b: number, sep = '×') => `${formatNumber(a, lang)}${sep}${formatNumber(b, lang)}`;
    await expect(section).toContainText(t.fieldSummary(e.inputName, pair(h.size, w.size), pair(h.jump, w.jump), `(${pair(h.start, w.start, ', ')})`));
    for (const step of [e.axes[0].size, e.axes[0].jump, e.axes[0].start]) await expect(section).toContainText(step.formula);
    await page.locator('.inspector').screenshot({ path: join(SHOTS, `inspector-receptive-field-${lang}.png`) });
  }
});

test("the palette's hint follows the language, also for a layer hovered before the switch", async ({ page }) => {
  await openLeNet(page);
  const spec = layerSpec('Conv2D');
  const hint = page.locator('.palette-hint');
  await page.getByTestId('palette-Conv2D').hover();
  await expect(hint).toContainText(spec.doc.en);
  await page.getByLabel('Language').selectOption('es');
  await expect(hint).toContainText(spec.doc.es);
  await expect(hint).toContainText(spec.title.es);
});
