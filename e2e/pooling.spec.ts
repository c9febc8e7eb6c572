/**
 * Exact pooling in the inspector, in real Chromium: a max pool gets explicit pads and ceil mode from its
 * form (English and Spanish), and the canvas shows the shape src/graph infers for the same edit in Node.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { formatShape, inferShapes, type Design, type ParamValue } from '../src/graph/index.ts';
import { layerSpec } from '../src/graph/layers/index.ts';
import { SHOTS, loadTemplate } from './fixtures.ts';

const CNN = loadTemplate('mnist-cnn.json');
const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

/** The shape Node infers for `id` once its parameters take `params`. */
function shapeAfter(design: Design, id: string, params: Record<string, ParamValue>): string {
  const edited = { ...design, nodes: design.nodes.map((n) => (n.id === id ? { ...n, params: { ...n.params, ...params } } : n)) };
  return formatShape(inferShapes(edited).nodes.get(id)!.outputShape);
}

for (const lang of ['en', 'es'] as const) {
  test(`a max pool takes explicit pads and ceil mode from the inspector (${lang})`, async ({ page }) => {
    await page.goto('/');
    if (lang === 'es') await page.getByLabel('Language').selectOption('es');
    const templates = lang === 'es' ? 'Plantillas' : 'Templates';
    await page.getByRole('navigation', { name: templates }).getByRole('button', { name: new RegExp(`^${CNN.name}`) }).click();
    await expect(node(page, 'pool2')).toBeVisible({ timeout: 30_000 });
    await node(page, 'pool2').click();

    const spec = layerSpec('MaxPool2D');
    // The new controls, with their documentation in the page's language.
    await expect(page.getByText(spec.params.ceil_mode.doc[lang])).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText(spec.params.pads.doc[lang])).toBeVisible({ timeout: 15_000 });

    await page.locator('.inspector select').first().selectOption('explicit');
    const top = page.getByLabel(/^pads \((top|arriba)\)$/);
    await top.fill('1');
    await top.press('Enter');
    const bottom = page.getByLabel(/^pads \((bottom|abajo)\)$/);
    await bottom.fill('1');
    await bottom.press('Enter');
    await page.locator('.inspector input.param-check').first().check(); // ceil_mode, MaxPool2D's one switch
    const expected = shapeAfter(CNN, 'pool2', { padding: 'explicit', pads: [1, 1, 0, 0], ceil_mode: true });
    await expect(page.getByTestId('node-shape-pool2')).toHaveText(`→ ${expected}`, { timeout: 15_000 });
    await page.screenshot({ path: join(SHOTS, `pooling-inspector-${lang}.png`) });
  });
}
