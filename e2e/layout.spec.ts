/**
 * Tidy up (ELK) in real Chromium, measured from the page itself: every node's box as the browser draws it
 * (getBoundingClientRect), no two overlapping; on a flat ResNet-18 no straight wire from a layer's bottom
 * handle to its target's top runs through another box (dagre ran every identity skip through its
 * branch); a layer showing an error, taller than the rest, keeps clear of its neighbours; the layout is
 * one undo step; and ELK's 1.6 MB arrive only when Tidy up is first used, never with the first page.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { flattenDesign, parseDesign, type Design } from '../src/graph/index.ts';
import { frameProblems, overlappingPairs, wireCrossings, wiresOf, type Rect } from '../src/graph/layout-box.ts';
import { blockFrames } from '../src/graph/block-frames.ts';
import { editorStrings } from '../src/ui/editor/editor-strings.ts';
import { layoutDesign as dagreLayout } from '../src/graph/layout.ts';
import { designToHash } from '../src/store/share-link.ts';
import { SHOTS, TOO_BIG_KERNEL } from './fixtures.ts';
import { loadTemplateDocument } from '../src/graph/testing/templates.ts';

/** Marks ELK's own code (an option id the bundle registers), so a script can be told to hold it. */
const ELK_MARK = 'org.eclipse.elk.layered';

interface Handle {
  store: { getState(): { design: Design | null; tidying: boolean } };
}
const designOnPage = (page: Page) => page.evaluate(() => (globalThis as unknown as { __netcanvas: Handle }).__netcanvas.store.getState().design);

/** Every rendered node's box on screen, by id. */
async function boxesOnPage(page: Page): Promise<Map<string, Rect>> {
  const list = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.react-flow__node')].map((n) => {
      const r = n.getBoundingClientRect();
      return [n.dataset.id!, { x: r.x, y: r.y, width: r.width, height: r.height }] as const;
    }),
  );
  return new Map(list);
}

/** Scripts the page fetched (its workers' too), collected as they arrive. */
function watchScripts(page: Page): { url: string; body: string }[] {
  const scripts: { url: string; body: string }[] = [];
  page.on('response', async (response) => {
    if (!/\.m?js(\?|$)/.test(new URL(response.url()).pathname)) return;
    scripts.push({ url: response.url(), body: (await response.body().catch(() => Buffer.from(''))).toString('utf8') });
  });
  return scripts;
}

async function tidyUp(page: Page, before: Design) {
  await page.getByTestId('tool-tidy').click();
  // A big design takes a moment (on a loaded machine, seconds): wait for the positions to change.
  await expect
    .poll(async () => JSON.stringify((await designOnPage(page))!.nodes.map((n) => n.position)) !== JSON.stringify(before.nodes.map((n) => n.position)), {
      timeout: 60_000,
    })
    .toBe(true);
  await expect(page.getByTestId('tool-tidy')).toBeEnabled({ timeout: 60_000 });
  await page.waitForTimeout(500);
}

test.describe('on a tall page (the whole flat ResNet-18 in view, so every box is in the DOM)', () => {
  test.use({ viewport: { width: 1400, height: 9600 } });

  test('tidy up on a flat ResNet-18: no overlaps, no skip wire through a box, one undo step, ELK loaded only then', async ({ page }) => {
    test.setTimeout(180_000);
    const flat = flattenDesign(loadTemplateDocument('resnet-18.json'));
    // Start from dagre's column, the former tidy-up, so the change is visible and measurable.
    const dagre = dagreLayout(flat);
    const start: Design = { ...flat, nodes: flat.nodes.map((n) => ({ ...n, position: dagre.get(n.id)! })) };
    const scripts = watchScripts(page);
    const warnings: string[] = [];
    page.on('console', (m) => void (m.type() === 'warning' && warnings.push(m.text())));
    await page.goto(`/${designToHash(start)}`);
    await expect(page.locator('.react-flow__node')).toHaveCount(start.nodes.length, { timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => s.body.includes(ELK_MARK)).map((s) => s.url), 'ELK in the first page').toEqual([]);

    const beforeBoxes = await boxesOnPage(page);
    const beforeCrossings = wireCrossings(wiresOf(start, beforeBoxes), beforeBoxes).length;
    await tidyUp(page, start);
    // ELK arrives now, as its Web Worker's script (the layout runs off the main thread).
    await expect.poll(() => scripts.filter((s) => s.body.includes(ELK_MARK)).map((s) => new URL(s.url).pathname.split('/').pop()!.split('-')[0])).toContain('elk');

    // ELK itself laid it out (no fallback to dagre).
    expect(warnings.filter((w) => w.includes('Tidy up'))).toEqual([]);
    const tidied = (await designOnPage(page))!;
    await expect(page.locator('.react-flow__node')).toHaveCount(tidied.nodes.length, { timeout: 30_000 });
    const boxes = await boxesOnPage(page);
    expect(boxes.size).toBe(tidied.nodes.length);
    expect(overlappingPairs(boxes)).toEqual([]);
    const crossings = wireCrossings(wiresOf(tidied, boxes), boxes).map((c) => `${c.wire.source} → ${c.wire.target} through ${c.box}`);
    console.log(`flat ResNet-18: wires through boxes ${beforeCrossings} (dagre) → ${crossings.length} (ELK), measured in the DOM`);
    expect(crossings).toEqual([]);
    expect(beforeCrossings).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'layout-resnet18-flat.png'), clip: { x: 0, y: 0, width: 1400, height: 2200 } });

    // One undo step brings back the column it started from.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await designOnPage(page))!.nodes.map((n) => n.position)).toEqual(start.nodes.map((n) => n.position));
  });
});

/** Every block frame's box on screen, by its id. */
async function framesOnPage(page: Page): Promise<Map<string, Rect>> {
  const list = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid^="block-frame-"]:not([data-testid^="block-frame-fold-"])')].map((n) => {
      const r = n.getBoundingClientRect();
      return [n.dataset.testid!.slice('block-frame-'.length), { x: r.x, y: r.y, width: r.width, height: r.height }] as const;
    }),
  );
  return new Map(list);
}

test.describe('on a tall page, a folded template with one stage expanded', () => {
  test.use({ viewport: { width: 1400, height: 9600 } });

  for (const lang of ['en', 'es'] as const) {
    test(`ResNet-50 with layer2 unfolded (${lang}): framed as Bottleneck ×4, tidy up keeps every frame around exactly its layers, fold brings the block back`, async ({ page }) => {
      test.setTimeout(180_000);
      const t = editorStrings(lang);
      const doc = loadTemplateDocument('resnet-50.json');
      await page.goto(`/${designToHash(doc)}`);
      await expect(page.getByTestId('block-node-layer2')).toBeVisible({ timeout: 60_000 });
      if (lang === 'es') await page.getByLabel('Language').selectOption('es');
      await page.getByTestId('block-node-layer2').dblclick();
      await expect(page.getByTestId('block-node-layer2')).toHaveCount(0, { timeout: 30_000 });
      // The stage and each of its four copies get a frame; the stage's names its definition and copies.
      await expect(page.getByTestId('block-frame-layer2').locator('.block-frame-name')).toHaveText(t.frameOf('layer2', 'Bottleneck', 4));
      await expect(page.locator('.block-frame.copy')).toHaveCount(4);
      await expect(page.getByTestId('block-frame-fold-layer2')).toHaveText(t.foldFrame);

      const expanded = (await designOnPage(page))!;
      await tidyUp(page, expanded);
      const tidied = (await designOnPage(page))!;
      const count = tidied.nodes.length + (tidied.instances?.length ?? 0);
      await expect(page.locator('.react-flow__node')).toHaveCount(count, { timeout: 30_000 });
      const boxes = await boxesOnPage(page);
      expect(boxes.size).toBe(count);
      expect(overlappingPairs(boxes)).toEqual([]);
      const crossings = wireCrossings(wiresOf(tidied, boxes), boxes).map((c) => `${c.wire.source} → ${c.wire.target} through ${c.box}`);
      console.log(`ResNet-50, layer2 unfolded (${count} boxes): ${crossings.length} wires through boxes`);
      expect(crossings).toEqual([]);
      // Measured in the DOM: each frame holds its members and nothing else, frames overlap only their own.
      const frames = blockFrames(tidied);
      const onPage = await framesOnPage(page);
      expect([...onPage.keys()].sort()).toEqual(frames.map((f) => f.id).sort());
      expect(frameProblems(frames, onPage, boxes)).toEqual([]);
      const stage = onPage.get('layer2')!;
      const inside = [...boxes].filter(([, r]) => r.x >= stage.x && r.y >= stage.y && r.x + r.width <= stage.x + stage.width && r.y + r.height <= stage.y + stage.height);
      expect(inside.map(([id]) => id).sort()).toEqual(tidied.nodes.filter((n) => n.id.startsWith('layer2.')).map((n) => n.id).sort());
      // The stage's top: the block before it, the stage frame and its first copy (downsample branch and all).
      await page.screenshot({ path: join(SHOTS, `layout-resnet50-layer2-${lang}.png`), clip: { x: 0, y: Math.max(0, stage.y - 300), width: 1400, height: 1800 } });

      // Fold: the stage is one block again, the network unchanged.
      await page.getByTestId('block-frame-fold-layer2').click();
      await expect(page.getByTestId('block-node-layer2')).toBeVisible({ timeout: 30_000 });
      await expect(page.locator('.block-frame')).toHaveCount(0);
      const folded = (await designOnPage(page))!;
      expect(flattenDesign(folded).nodes.map((n) => [n.id, n.params])).toEqual(expect.arrayContaining(flattenDesign(doc).nodes.map((n) => [n.id, n.params])));
      expect(flattenDesign(folded).nodes.length).toBe(flattenDesign(doc).nodes.length);
    });
  }

  test('GoogLeNet with inception3 unfolded: frames nest (stage → Inception module), tidy up keeps each around exactly its layers', async ({ page }) => {
    test.setTimeout(180_000);
    const doc = loadTemplateDocument('googlenet.json');
    await page.goto(`/${designToHash(doc)}`);
    await expect(page.getByTestId('block-node-inception3')).toBeVisible({ timeout: 60_000 });
    await page.getByTestId('block-node-inception3').dblclick();
    await expect(page.getByTestId('block-frame-inception3.inception3a')).toBeVisible({ timeout: 30_000 });
    const expanded = (await designOnPage(page))!;
    await tidyUp(page, expanded);
    const tidied = (await designOnPage(page))!;
    const count = tidied.nodes.length + (tidied.instances?.length ?? 0);
    await expect(page.locator('.react-flow__node')).toHaveCount(count, { timeout: 30_000 });
    const boxes = await boxesOnPage(page);
    expect(overlappingPairs(boxes)).toEqual([]);
    expect(wireCrossings(wiresOf(tidied, boxes), boxes).map((c) => `${c.wire.source} → ${c.wire.target} through ${c.box}`)).toEqual([]);
    const frames = blockFrames(tidied);
    expect(frames.map((f) => [f.id, f.parent])).toEqual([['inception3', null], ['inception3.inception3a', 'inception3'], ['inception3.inception3b', 'inception3']]);
    expect(frameProblems(frames, await framesOnPage(page), boxes)).toEqual([]);
    const stage = (await framesOnPage(page)).get('inception3')!;
    await page.screenshot({ path: join(SHOTS, 'layout-googlenet-inception3.png'), clip: { x: 0, y: Math.max(0, stage.y - 200), width: 1400, height: 1900 } });
  });

  test('GoogLeNet flat after tidy up: no wire through a box, measured in the DOM', async ({ page }) => {
    test.setTimeout(180_000);
    const flat = flattenDesign(loadTemplateDocument('googlenet.json'));
    await page.goto(`/${designToHash(flat)}`);
    await expect(page.locator('.react-flow__node').first()).toBeVisible({ timeout: 60_000 });
    await tidyUp(page, flat);
    const tidied = (await designOnPage(page))!;
    // The boxes a tall page shows at the opening zoom (the DOM holds only those on screen): the stem and
    // the first Inception stage's modules, fan-outs and merges.
    const boxes = await boxesOnPage(page);
    expect(boxes.size).toBeGreaterThan(60);
    expect(overlappingPairs(boxes)).toEqual([]);
    const crossings = wireCrossings(wiresOf(tidied, boxes), boxes).map((c) => `${c.wire.source} → ${c.wire.target} through ${c.box}`);
    console.log(`flat GoogLeNet (${boxes.size} of ${tidied.nodes.length} boxes on screen): ${crossings.length} wires through boxes, measured in the DOM`);
    expect(crossings).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'layout-googlenet-flat.png'), clip: { x: 0, y: 0, width: 1400, height: 2400 } });
  });
});

/** Three layers with errors (a 5×5 kernel on 3×3, and what reads it) piled on one spot, and a healthy branch. */
function erroredPile(): Design {
  const at = { x: 0, y: 0 };
  const doc = {
    ...TOO_BIG_KERNEL,
    name: 'Errors piled up',
    nodes: [
      ...TOO_BIG_KERNEL.nodes.map((n) => ({ ...n, position: at })),
      { id: 'conv2', kind: 'Conv2D', params: { filters: 4, kernel_size: [7, 7] }, position: at },
      { id: 'pool', kind: 'MaxPool2D', params: { pool_size: [4, 4] }, position: at },
      { id: 'flat', kind: 'Flatten', params: {}, position: at },
      { id: 'dense', kind: 'Dense', params: { units: 10 }, position: at },
    ],
    edges: [...TOO_BIG_KERNEL.edges, { source: 'conv', target: 'conv2' }, { source: 'in', target: 'pool' }, { source: 'pool', target: 'flat' }, { source: 'flat', target: 'dense' }],
  };
  const parsed = parseDesign(doc);
  if (!parsed.ok) throw new Error('the fixture does not load');
  return parsed.design;
}

test('tidy up on a design with errors: the taller layers that show them overlap nothing', async ({ page }) => {
  test.setTimeout(120_000);
  const start = erroredPile();
  await page.goto(`/${designToHash(start)}`);
  await expect(page.locator('.react-flow__node')).toHaveCount(start.nodes.length, { timeout: 60_000 });
  await expect(page.getByTestId('layer-node-conv').locator('.layer-issue')).toBeVisible();
  await tidyUp(page, start);
  const boxes = await boxesOnPage(page);
  expect(boxes.size).toBe(start.nodes.length);
  // The errored layers really are taller than a healthy one, so the check below is about them.
  expect(boxes.get('conv')!.height).toBeGreaterThan(boxes.get('in')!.height + 20);
  expect(overlappingPairs(boxes)).toEqual([]);
  await page.screenshot({ path: join(SHOTS, 'layout-errors.png') });
});
