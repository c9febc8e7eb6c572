/**
 * Blocks in real Chromium: select two layers, group them (Ctrl+G), stack the block ×2, undo each step,
 * redo, and find the block after a reload (autosave); in English and Spanish. Every expected shape and
 * count comes from running the same src/graph code in Node (group, repeat, unfold, infer), never a literal.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { editDefinition, flattenBlocks, blockInference, groupIntoBlock, updateParams, inferShapes, setRepeat, formatShape, type Design } from '../src/graph/index.ts';
import { formatCountShort, formatSI } from '../src/graph/number-format.ts';
import { editorStrings } from '../src/ui/editor/editor-strings.ts';
import { SHOTS, loadTemplate } from './fixtures.ts';

const CNN = loadTemplate('mnist-cnn.json');
const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

interface Handle {
  store: { getState(): { design: Design | null; source: unknown } };
}
const designOnPage = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __netcanvas: Handle }).__netcanvas.store.getState().design);

/** What the block node should say, computed in Node from the same edits the page makes. */
function expected(design: Design, id: string, lang: 'en' | 'es') {
  const unfolded = flattenBlocks(design);
  const inference = inferShapes(unfolded.design);
  const b = blockInference(unfolded, inference).find((x) => x.path === id)!;
  const t = editorStrings(lang);
  return {
    shapes: t.blockShapes(b.inputShapes.map((s) => formatShape(s)).join(', '), b.outputShapes.map((s) => formatShape(s)).join(', ')),
    params: t.params(formatCountShort(b.totalParams, lang)),
    macs: `${formatSI(b.macs!, lang)} ${t.macs}`,
    inference,
  };
}

async function openCnn(page: Page, templates: string) {
  await page.goto('/');
  await page.getByRole('navigation', { name: templates }).getByRole('button', { name: new RegExp(`^${CNN.name}`) }).click();
  await expect(node(page, 'conv1')).toBeVisible();
}

async function groupConvAndPool(page: Page) {
  await node(page, 'conv1').click();
  await node(page, 'pool1').click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+g');
}

test('group two layers with Ctrl+G, repeat the block ×2, undo each step, redo, and find it after a reload', async ({ page }) => {
  await openCnn(page, 'Templates');
  const grouped = groupIntoBlock(CNN, ['conv1', 'pool1']);
  if (!grouped.ok) throw new Error('the grouping itself is refused in Node');
  await groupConvAndPool(page);

  const block = page.getByTestId(`block-node-${grouped.id}`);
  await expect(block).toBeVisible();
  await expect(node(page, 'conv1')).toHaveCount(0);
  const once = expected(grouped.design, grouped.id, 'en');
  await expect(page.getByTestId(`block-shapes-${grouped.id}`)).toHaveText(once.shapes);
  await expect(page.getByTestId(`block-params-${grouped.id}`)).toHaveText(once.params);
  await expect(page.getByTestId(`block-macs-${grouped.id}`)).toHaveText(once.macs);
  // Grouping changes nothing the network computes: conv2 still reads what it read.
  await expect(page.getByTestId('node-shape-conv2')).toHaveText(`→ ${formatShape(inferShapes(CNN).nodes.get('conv2')!.outputShape)}`);

  // Copies: on the node at full zoom, always in the inspector (the framed view may be zoomed out).
  const repeat = page.getByTestId('block-inspector-repeat');
  await repeat.fill('2');
  await repeat.press('Enter');
  const twice = setRepeat(grouped.design, grouped.id, 2);
  if (!twice.ok) throw new Error('repeat refused in Node');
  const two = expected(twice.design, grouped.id, 'en');
  await expect(page.getByTestId(`block-shapes-${grouped.id}`)).toHaveText(two.shapes);
  await expect(block).toContainText('Block ×2');
  const conv2 = two.inference.nodes.get('conv2')!;
  await expect(page.getByTestId('node-shape-conv2')).toHaveText(`→ ${conv2.outputShape ? formatShape(conv2.outputShape) : '?'}`);
  await page.screenshot({ path: join(SHOTS, 'blocks-en.png') });

  // One undo step each: the repeat, then the group.
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId(`block-shapes-${grouped.id}`)).toHaveText(once.shapes);
  await page.keyboard.press('Control+z');
  await expect(block).toHaveCount(0);
  await expect(node(page, 'conv1')).toBeVisible();
  expect(await designOnPage(page)).toEqual(CNN);
  await page.keyboard.press('Control+Shift+z');
  await page.keyboard.press('Control+Shift+z');
  await expect(block).toContainText('Block ×2');
  expect(await designOnPage(page)).toEqual(twice.design);

  // Autosave keeps it across a reload (within about a second).
  await page.waitForTimeout(1500);
  await page.reload();
  await expect(page.getByTestId(`block-node-${grouped.id}`)).toBeVisible();
  expect(await designOnPage(page)).toEqual(twice.design);
  await expect(page.getByTestId(`block-shapes-${grouped.id}`)).toHaveText(two.shapes);

  // Ungroup with Ctrl+Shift+G puts the numbered copies back as layers.
  await page.getByTestId(`block-node-${grouped.id}`).click();
  await page.keyboard.press('Control+Shift+g');
  await expect(page.getByTestId(`block-node-${grouped.id}`)).toHaveCount(0);
  await expect(node(page, `${grouped.id}.1.conv1`)).toHaveCount(1);
});

test('a group across a gap is refused with the reason, and the design stays as it was', async ({ page }) => {
  await openCnn(page, 'Templates');
  await node(page, 'conv1').click();
  await node(page, 'conv2').click({ modifiers: ['Shift'] });
  await page.getByTestId('tool-group').click();
  await expect(page.getByText('Cannot group: pool1 lies between selected layers')).toBeVisible();
  expect(await designOnPage(page)).toEqual(CNN);
});

test('the inspector edits a layer of the definition, and the block and what follows it change', async ({ page }) => {
  await openCnn(page, 'Templates');
  const grouped = groupIntoBlock(CNN, ['conv1', 'pool1']);
  if (!grouped.ok) throw new Error('the grouping itself is refused in Node');
  await groupConvAndPool(page);
  const inspector = page.getByTestId('block-inspector');
  await expect(inspector).toBeVisible();
  await inspector.getByTestId('block-layer-pick').selectOption('conv1');
  const filters = inspector.getByRole('spinbutton', { name: /^filters/ });
  await filters.fill('12');
  await filters.press('Enter');
  const edited = editDefinition(grouped.design, 'Block', (body) => updateParams(body, 'conv1', { filters: 12 }));
  if (!edited.ok) throw new Error('edit refused in Node');
  const after = expected(edited.design, grouped.id, 'en');
  await expect(page.getByTestId(`block-shapes-${grouped.id}`)).toHaveText(after.shapes);
  await expect(page.getByTestId(`block-params-${grouped.id}`)).toHaveText(after.params);
  await expect(page.getByTestId('node-shape-conv2')).toHaveText(`→ ${formatShape(after.inference.nodes.get('conv2')!.outputShape)}`);
  expect(after.inference.nodes.get('conv2')!.trainableParams).not.toBe(inferShapes(CNN).nodes.get('conv2')!.trainableParams);
  await page.screenshot({ path: join(SHOTS, 'blocks-inspector-en.png') });
});

test.describe('with a Spanish browser', () => {
  test.use({ locale: 'es-ES' });
  test('the block speaks Spanish: toolbar, copies, layers and parameters', async ({ page }) => {
    await openCnn(page, 'Plantillas');
    const grouped = groupIntoBlock(CNN, ['conv1', 'pool1']);
    if (!grouped.ok) throw new Error('the grouping itself is refused in Node');
    await node(page, 'conv1').click();
    await node(page, 'pool1').click({ modifiers: ['Shift'] });
    await page.getByRole('toolbar').getByRole('button', { name: 'Agrupar', exact: true }).click();
    const es = expected(grouped.design, grouped.id, 'es');
    await expect(page.getByTestId(`block-params-${grouped.id}`)).toHaveText(es.params);
    await expect(page.getByTestId(`block-node-${grouped.id}`)).toContainText(editorStrings('es').blockLayers(2));
    await expect(page.getByTestId('block-inspector-repeat')).toHaveValue('1');
    await expect(page.getByTestId('block-inspector')).toContainText('bloque de la definición «Block»');
    await page.screenshot({ path: join(SHOTS, 'blocks-es.png') });
  });
});
