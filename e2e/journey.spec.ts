/**
 * A new user's first minutes, on the real page with the mouse and the keyboard: build a small CNN from an
 * empty canvas, watch shapes follow a kernel change, cause a shape error and fix it in one click, undo and
 * redo, reload and find the work, switch to Spanish; and the same network built with the keyboard only.
 * Every expected shape and message is computed by running the same src/graph edits in Node.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { wire } from './canvas.ts';
import { addNode, connect, emptyDesign, formatFixLabel, formatIssue, formatShape, inferShapes, updateParams, type Design, type LayerKind } from '../src/graph/index.ts';
import { startingParams } from '../src/graph/linear-layers.ts';
import { editorStrings } from '../src/ui/editor/editor-strings.ts';
import { filesStrings } from '../src/ui/files/files-strings.ts';
import { SHOTS } from './fixtures.ts';

const CHAIN: readonly LayerKind[] = ['Input', 'Conv2D', 'MaxPool2D', 'Flatten', 'Dense'];
const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const shapeOf = (design: Design, id: string) => `→ ${formatShape(inferShapes(design).nodes.get(id)!.outputShape)}`;

async function newDesign(page: Page) {
  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await page.getByRole('button', { name: filesStrings('en').file, exact: true }).click();
  await page.getByRole('menuitem', { name: filesStrings('en').newDesign }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
}


/** Sets the selected layer's kernel_size through the inspector, typing into both entries. */
async function setKernel(page: Page, k: number) {
  for (const entry of await page.getByLabel(/^kernel_size \(/).all()) await entry.fill(String(k));
}

test('a new user drags Input, Conv2D, MaxPool2D, Flatten and Dense onto an empty canvas, wires them, edits, breaks, fixes, undoes, reloads and reads it in Spanish', async ({ page }) => {
  await newDesign(page);
  const pane = page.locator('.react-flow__pane');

  // Drag each kind from the palette to its own spot in open space, top to bottom in two columns (a drop
  // onto or near a layer would insert after it, wired: first-ten.spec.ts); the store names them kind_1.
  let expected = emptyDesign();
  const ids: string[] = [];
  for (const [i, kind] of CHAIN.entries()) {
    await page.getByTestId(`palette-${kind}`).dragTo(pane, { targetPosition: { x: i % 2 === 0 ? 200 : 560, y: 40 + i * 125 } });
    const r = addNode(expected, kind, { position: { x: 0, y: 0 }, params: startingParams(kind) });
    expected = r.design;
    ids.push(r.id);
    await expect(node(page, r.id)).toBeVisible();
  }

  // Wire them output handle to input handle; each connection is labelled with the shape it carries.
  for (let i = 1; i < ids.length; i++) {
    await wire(page, node(page, ids[i - 1]).locator('.react-flow__handle.source'), node(page, ids[i]).locator('.react-flow__handle.target'));
    const r = connect(expected, ids[i - 1], ids[i]);
    if (!r.ok) throw new Error(r.reason.code);
    expected = r.design;
    await expect(page.getByTestId(`edge-label-${r.edgeId}`)).toHaveText(shapeOf(expected, ids[i - 1]).slice(2));
  }
  for (const id of ids) await expect(page.getByTestId(`node-shape-${id}`)).toHaveText(shapeOf(expected, id));
  await expect(page.getByTestId('status-problems')).toContainText(editorStrings('en').noProblems);

  // Select the Conv2D and change its kernel in the inspector: every shape below follows.
  const [, conv, pool, flat, dense] = ids;
  await node(page, conv).click();
  await setKernel(page, 3);
  expected = updateParams(expected, conv, { kernel_size: [3, 3] });
  for (const id of [conv, pool, flat, dense]) await expect(page.getByTestId(`node-shape-${id}`)).toHaveText(shapeOf(expected, id));

  // A 29×29 kernel on a 28×28 input is an error, said on the node with the numbers and a fix.
  await setKernel(page, 29);
  const broken = updateParams(expected, conv, { kernel_size: [29, 29] });
  const issue = inferShapes(broken).nodes.get(conv)!.issues.find((i) => i.code === 'kernel-too-large')!;
  const layer = page.getByTestId(`layer-node-${conv}`);
  await expect(layer).toContainText(formatIssue(issue, 'en'));
  await expect(page.getByTestId('status-problems')).toContainText('1 error');
  await layer.getByRole('button', { name: formatFixLabel(issue, 'en')! }).click();
  const fixed = updateParams(broken, conv, issue.fix!.params as Record<string, string>);
  await expect(page.getByTestId(`node-shape-${conv}`)).toHaveText(shapeOf(fixed, conv));
  await expect(page.getByTestId('status-problems')).toContainText(editorStrings('en').noProblems);

  // Undo brings the error back; redo the fix (keyboard shortcuts, with the focus off the text fields).
  await pane.click({ position: { x: 40, y: 40 } });
  await page.keyboard.press('Control+z');
  await expect(layer).toContainText(formatIssue(issue, 'en'));
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId(`node-shape-${conv}`)).toHaveText(shapeOf(fixed, conv));

  // The finished network, as a new user sees it.
  await page.keyboard.press('l');
  // Tidy up lays out in a worker (ELK loads on first use): the picture is of the tidied network.
  await expect(page.getByTestId('tool-tidy')).toBeEnabled({ timeout: 30_000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, 'journey-built.png') });

  // Reload: autosave brought everything back, shapes included.
  await page.waitForTimeout(1200);
  await page.reload();
  for (const id of ids) await expect(page.getByTestId(`node-shape-${id}`)).toHaveText(shapeOf(fixed, id));

  // Spanish: the switch translates the editor, and the layer messages too.
  await page.getByLabel('Language').selectOption('es');
  const es = editorStrings('es');
  await expect(page.getByRole('heading', { name: es.palette })).toBeVisible();
  await expect(page.getByTestId('status-problems')).toContainText(es.noProblems);
  await node(page, conv).click();
  await page.getByRole('combobox', { name: /^padding/ }).selectOption('valid');
  await expect(layer).toContainText(formatIssue(issue, 'es'));
  await page.screenshot({ path: join(SHOTS, 'journey-spanish.png') });
});

test('the same network built with the keyboard only: "/" to search the palette, Enter adds after the selected layer, wired in', async ({ page }) => {
  await newDesign(page);
  await page.locator('body').press('/');
  const search = page.getByTestId('palette-search');
  await expect(search).toBeFocused();
  let expected = emptyDesign();
  let last: string | undefined;
  for (const kind of CHAIN) {
    await search.fill(kind);
    await search.press('Enter');
    const r = addNode(expected, kind, { after: last, params: startingParams(kind) });
    expected = r.design;
    last = r.id;
    await expect(node(page, r.id)).toBeVisible();
  }
  // The canvas draws only what is in view; a busy machine may leave the view scrolled down the chain.
  await page.getByRole('toolbar').getByRole('button', { name: 'Fit view' }).click();
  for (const e of expected.edges) await expect(page.getByTestId(`edge-label-${e.id}`)).toHaveText(shapeOf(expected, e.source).slice(2));
  for (const n of expected.nodes) await expect(page.getByTestId(`node-shape-${n.id}`)).toHaveText(shapeOf(expected, n.id));

  // Escape twice hands the keyboard back to the editor: Ctrl+Z removes the Dense, Ctrl+Shift+Z restores it.
  await search.press('Escape');
  await search.press('Escape');
  await expect(search).not.toBeFocused();
  await page.keyboard.press('Control+z');
  await expect(node(page, last!)).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(node(page, last!)).toBeVisible();

  // Delete by keyboard: the selected Dense goes, and so does its connection.
  await node(page, last!).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Delete');
  await expect(node(page, last!)).toHaveCount(0);
  await expect(page.getByTestId(`edge-label-${expected.edges.at(-1)!.id}`)).toHaveCount(0);
});
