/**
 * The block templates as a new user meets them, in real Chromium: ResNet-50 from the gallery opens folded
 * (stem, four stages and head, every node on one screen, none cut off, all text at least 11 px on screen:
 * computed font size × zoom), an edit of the block definition reaches every stage built of it, a stage
 * expands in place, and the page says the same in Spanish. What the
 * page should hold comes from the template file itself (src/graph), never a literal.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { blockInference, editDefinition, flattenBlocks, inferShapes, updateParams, type Design, type Lang } from '../src/graph/index.ts';
import { formatCount } from '../src/graph/number-format.ts';
import { loadTemplateDocument } from '../src/graph/testing/templates.ts';
import { MIN_SCREEN_PX } from '../src/ui/editor/zoom-text.ts';
import { SHOTS } from './fixtures.ts';

const RESNET50 = loadTemplateDocument('resnet-50.json');

interface Handle {
  store: { getState(): { design: Design | null } };
}
const designOnPage = (page: Page) => page.evaluate(() => (globalThis as unknown as { __netcanvas: Handle }).__netcanvas.store.getState().design);

async function openFromGallery(page: Page, templates: string, design: Design) {
  await page.goto('/');
  await page.getByRole('navigation', { name: templates }).getByRole('button', { name: new RegExp(`^${design.name}`) }).click();
  await expect(page.getByTestId(`block-node-${design.instances![0].id}`)).toBeVisible({ timeout: 30_000 });
}

/** The opening view of a folded template: every box of its top level on screen, no text under 11 px or clipped. */
async function expectReadableOnOneScreen(page: Page, design: Design, label: string) {
  const shown = [...design.nodes, ...(design.instances ?? [])].map((x) => x.id);
  // The opening view settles after the canvas measures itself: wait for every node of the top level.
  await expect(page.locator('.react-flow__node')).toHaveCount(shown.length, { timeout: 30_000 });
  expect(shown.length).toBeLessThanOrEqual(15);
  await page.waitForTimeout(500);
  const view = await measure(page);
  expect(view.nodes.map((n) => n.id).sort()).toEqual([...shown].sort());
  expect(view.nodes.filter((n) => !n.inside).map((n) => n.id), 'nodes off screen or under the minimap').toEqual([]);
  expect(view.texts.length).toBeGreaterThan(shown.length);
  expect(view.texts.filter((t) => t.px < MIN_SCREEN_PX - 0.01), `text under ${MIN_SCREEN_PX} px at zoom ${view.zoom}`).toEqual([]);
  expect(view.texts.filter((t) => t.clipped).map((t) => t.text), 'text cut off').toEqual([]);
  console.log(`${label}: ${shown.length} nodes, zoom ${view.zoom.toFixed(3)}, smallest text ${Math.min(...view.texts.map((t) => t.px)).toFixed(1)} px on screen`);
}

/** Every node's box against the canvas's, and every visible piece of node text: its size on screen and whether it is clipped. */
async function measure(page: Page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
    const viewport = document.querySelector<HTMLElement>('.react-flow__viewport')!;
    const zoom = new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a;
    // The minimap sits over the canvas's corner: a node under it is as hidden as one off screen.
    const minimap = document.querySelector('.react-flow__minimap')?.getBoundingClientRect();
    const nodes = [...document.querySelectorAll<HTMLElement>('.react-flow__node')].map((n) => {
      const r = n.getBoundingClientRect();
      const covered = !!minimap && r.left < minimap.right && r.right > minimap.left && r.top < minimap.bottom && r.bottom > minimap.top;
      const inside = !covered && r.left >= canvas.left - 0.5 && r.top >= canvas.top - 0.5 && r.right <= canvas.right + 0.5 && r.bottom <= canvas.bottom + 0.5;
      return { id: n.dataset.id!, inside };
    });
    const texts: { text: string; px: number; clipped: boolean }[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node *')) {
      const own = [...el.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent!.trim() !== '') || el instanceof HTMLInputElement;
      const style = getComputedStyle(el);
      if (!own || el.offsetWidth === 0 || style.visibility === 'hidden') continue;
      texts.push({
        text: (el instanceof HTMLInputElement ? el.value : el.textContent!).trim(),
        px: parseFloat(style.fontSize) * zoom,
        clipped: el.scrollWidth > el.clientWidth + 1 && style.overflow !== 'visible',
      });
    }
    return { zoom, nodes, texts };
  });
}

/** A stage's exact parameter count as its node's tooltip writes it, for a design computed in Node. */
function stageParams(design: Design, stage: string, lang: Lang): string {
  const unfolded = flattenBlocks(design);
  const b = blockInference(unfolded, inferShapes(unfolded.design)).find((x) => x.path === stage)!;
  return formatCount(b.totalParams, lang);
}

async function journey(page: Page, lang: 'en' | 'es', templates: string) {
  await openFromGallery(page, templates, RESNET50);
  await expectReadableOnOneScreen(page, RESNET50, `ResNet-50 folded (${lang})`);
  await page.screenshot({ path: join(SHOTS, `block-templates-resnet50-${lang}.png`) });

  // Edit the block definition through one stage: every stage built of it follows (layer1 as well as layer2).
  await page.getByTestId('block-node-layer2').click();
  const inspector = page.getByTestId('block-inspector');
  await inspector.getByTestId('block-layer-pick').selectOption('conv1');
  await inspector.getByRole('checkbox', { name: /^use_bias/ }).check();
  const edited = editDefinition(RESNET50, 'Bottleneck', (body) => updateParams(body, 'conv1', { use_bias: true }));
  if (!edited.ok) throw new Error('the definition edit is refused in Node');
  expect(stageParams(edited.design, 'layer1', lang)).not.toBe(stageParams(RESNET50, 'layer1', lang));
  await expect(page.getByTestId('block-params-layer1')).toHaveAttribute('title', stageParams(edited.design, 'layer1', lang));
  await expect(page.getByTestId('block-params-layer2')).toHaveAttribute('title', stageParams(edited.design, 'layer2', lang));
  await page.screenshot({ path: join(SHOTS, `block-templates-resnet50-edit-${lang}.png`) });

  // Expand a stage in place: its six bottlenecks' layers come onto the canvas under their paths.
  await page.getByTestId('block-node-layer3').dblclick();
  await expect.poll(async () => (await designOnPage(page))?.nodes.some((n) => n.id === 'layer3.5.relu_out'), { timeout: 30_000 }).toBe(true);
  const expanded = (await designOnPage(page))!;
  expect(expanded.instances?.map((i) => i.id).sort()).toEqual(['layer1', 'layer2', 'layer4']);
  await expect(page.locator('.react-flow__node[data-id="layer3.0.conv1"]')).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: join(SHOTS, `block-templates-resnet50-layer3-${lang}.png`) });
}

test('ResNet-50 opens folded to stem, four stages and head on one screen, readable, and a stage expands in place', async ({ page }) => {
  await journey(page, 'en', 'Templates');
});

for (const file of ['resnet-18.json', 'mobilenet-v2.json', 'googlenet.json', 'densenet-121.json']) {
  test(`${file} opens folded, every box on one screen and readable`, async ({ page }) => {
    const design = loadTemplateDocument(file);
    await openFromGallery(page, 'Templates', design);
    await expectReadableOnOneScreen(page, design, `${design.name} folded`);
    await page.screenshot({ path: join(SHOTS, `block-templates-${file.replace('.json', '')}-en.png`) });
  });
}

test.describe('with a Spanish browser', () => {
  test.use({ locale: 'es-ES' });
  test('ResNet-50 plegada cabe en una pantalla, legible, y una etapa se despliega', async ({ page }) => {
    await journey(page, 'es', 'Plantillas');
  });
});
