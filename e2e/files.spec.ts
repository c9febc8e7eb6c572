/**
 * Files in real Chromium: the template gallery, save (download), share links, autosave across a reload,
 * drag-and-drop and pasted text, and bad input that leaves the open design untouched. The expected
 * designs come from the same src/graph code run here in Node on the template files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { formatIssue, parseDesign, type Design } from '../src/graph/index.ts';
import { bombLink } from '../src/store/testing/lz-bomb.ts';
import { filesStrings } from '../src/ui/files/files-strings.ts';
import { SHOTS, galleryCatalogue, loadTemplate } from './fixtures.ts';

const catalogue = galleryCatalogue();

interface Handle {
  store: { getState(): { design: Design | null; docId: string; source: unknown; updateNodeParams(id: string, p: Record<string, unknown>): void } };
  autosave: { flush(): Promise<void> };
}

const state = (page: Page) =>
  page.evaluate(() => {
    const s = (globalThis as unknown as { __netcanvas: Handle }).__netcanvas.store.getState();
    return { design: s.design, docId: s.docId, source: s.source };
  });

/** Waits until the page has opened a design (boot is asynchronous) and returns it. */
async function openDesign(page: Page): Promise<Design> {
  await expect.poll(async () => (await state(page)).design?.name ?? null).not.toBeNull();
  return (await state(page)).design!;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

const fileButton = (page: Page) => page.getByRole('button', { name: 'File', exact: true });

async function menuItem(page: Page, name: string | RegExp) {
  await fileButton(page).click();
  await page.getByRole('menuitem', { name }).click();
}

test('the gallery shows every template with its description and notes, and opens one', async ({ page }) => {
  const vgg = catalogue.find((e) => e.file === 'vgg-16.json');
  test.skip(!vgg, 'templates/vgg-16.json not present');
  await page.goto('/');
  await openDesign(page);

  await menuItem(page, 'Templates…');
  const gallery = page.getByRole('dialog', { name: 'Templates' });
  await expect(gallery).toBeVisible();
  for (const entry of catalogue) await expect(gallery.getByRole('heading', { name: entry.name, exact: true })).toBeVisible();
  const card = gallery.getByRole('listitem').filter({ has: page.getByRole('heading', { name: vgg!.name, exact: true }) });
  await expect(card).toContainText(vgg!.description!.en);
  await expect(card).toContainText('25 layers');
  await card.locator('summary', { hasText: 'Notes' }).click();
  await expect(card).toContainText(vgg!.notes!.en.slice(0, 60));
  await shot(page, 'files-gallery');

  await card.getByRole('button', { name: `Open ${vgg!.name}` }).click();
  await expect(gallery).toBeHidden();
  await expect.poll(async () => (await state(page)).design?.name).toBe(vgg!.name);
  expect((await state(page)).design).toEqual(loadTemplate('vgg-16.json'));
  // Focus is back where the gallery was opened from.
  await expect(fileButton(page)).toBeFocused();
});

test('the file menu works from the keyboard: arrows move, Escape closes and returns focus', async ({ page }) => {
  await page.goto('/');
  await openDesign(page);
  await fileButton(page).focus();
  await page.keyboard.press('ArrowDown');
  const menu = page.getByRole('menu');
  await expect(menu).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'New design' })).toBeFocused();
  await shot(page, 'files-menu');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Open…' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(fileButton(page)).toBeFocused();

  // Enter on an item that opens a dialog; Escape closes the dialog and focus comes back to the button.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('t');
  await expect(page.getByRole('menuitem', { name: 'Templates…' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Templates' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Templates' })).toBeHidden();
  await expect(fileButton(page)).toBeFocused();
});

test('Ctrl+S downloads the design as a file that opens as the same design', async ({ page }) => {
  await page.goto('/');
  const design = await openDesign(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Control+s')]);
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  const text = readFileSync((await download.path())!, 'utf8');
  const parsed = parseDesign(text);
  expect(parsed.ok && parsed.design).toEqual(design);
  await expect(page.getByRole('status').filter({ hasText: 'Downloaded' })).toContainText(download.suggestedFilename());
});

test('a copied share link opens the same design in a new page, and leaves the address bar', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  const design = await openDesign(page);
  await menuItem(page, 'Copy share link');
  // Copied, or (clipboard refused) shown in a field to copy by hand.
  const fallback = page.getByRole('dialog', { name: 'Share link' });
  const status = page.getByRole('status').filter({ hasText: 'Link copied' });
  await expect(status.or(fallback)).toBeVisible();
  const link = (await fallback.isVisible())
    ? await fallback.getByRole('textbox').inputValue()
    : await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#design=[A-Za-z0-9+\-$]+$/);

  const other = await context.newPage();
  await other.goto(link);
  await expect.poll(async () => (await state(other)).design?.name).toBe(design.name);
  const opened = await state(other);
  expect(opened.design).toEqual(design);
  expect(opened.source).toEqual({ type: 'link' });
  await expect(other).toHaveURL(/\/$/);
});

test('when the browser refuses the clipboard, the link is shown selected in a field to copy by hand', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } });
  });
  await page.goto('/');
  const design = await openDesign(page);
  await menuItem(page, 'Copy share link');
  const dialog = page.getByRole('dialog', { name: 'Share link' });
  const field = dialog.getByRole('textbox', { name: 'Link to this design' });
  await expect(field).toBeFocused();
  await expect(dialog).toContainText('Trained weights are not included');
  const link = await field.inputValue();
  expect(await field.evaluate((el: HTMLInputElement) => el.selectionEnd! - el.selectionStart!)).toBe(link.length);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(fileButton(page)).toBeFocused();

  await page.goto(link);
  await expect.poll(async () => (await state(page)).source).toEqual({ type: 'link' });
  expect((await state(page)).design).toEqual(design);
});

test('a broken link says what is wrong and the page still opens a design', async ({ page }) => {
  await page.goto('/#design=N4Igtg9gJgrgN');
  await expect(page.getByRole('alert')).toContainText('Could not open the shared link');
  await expect(page.getByRole('alert')).toContainText('This link does not carry a readable design');
  await openDesign(page);
});

test('a bomb link (0.3 MB that would decompress to gigabytes) is refused at once, and the last autosave opens', async ({ page }) => {
  await page.goto('/');
  const opened = await openDesign(page);
  // An edit makes the design one the autosave keeps.
  const node = opened.nodes.find((n) => n.kind === 'Dense')!;
  await page.evaluate(async ([id, units]) => {
    const handle = (globalThis as unknown as { __netcanvas: Handle }).__netcanvas;
    handle.store.getState().updateNodeParams(id, { units });
    await handle.autosave.flush();
  }, [node.id, Number(node.params.units) + 1] as const);
  const design = (await state(page)).design;
  // A fresh load (not a fragment change within the page): the link is read at start-up.
  await page.goto('about:blank');
  await page.goto(`/#design=${bombLink(300_000)}`);
  await expect(page.getByRole('alert')).toContainText('the design it holds is larger than 20 MB');
  await expect.poll(async () => (await state(page)).source).toEqual({ type: 'autosave' });
  expect((await state(page)).design).toEqual(design);
});

test('a reload restores the design as it was a second ago, edits included', async ({ page }) => {
  await page.goto('/');
  const design = await openDesign(page);
  const node = design.nodes.find((n) => n.kind === 'Conv2D' || n.kind === 'Dense')!;
  const param = node.kind === 'Conv2D' ? 'filters' : 'units';
  const value = Number(node.params[param]) + 3;
  await page.evaluate(
    ([id, p, v]) => (globalThis as unknown as { __netcanvas: Handle }).__netcanvas.store.getState().updateNodeParams(id, { [p]: v }),
    [node.id, param, value] as const,
  );
  const before = await state(page);
  // No explicit flush: the autosave promise is "at most about a second".
  await page.waitForTimeout(1200);
  await page.reload();
  await expect.poll(async () => (await state(page)).source).toEqual({ type: 'autosave' });
  const after = await state(page);
  expect(after.docId).toBe(before.docId);
  expect(after.design).toEqual(before.design);
  expect(after.design!.nodes.find((n) => n.id === node.id)!.params[param]).toBe(value);

  // The recent list shows it, marked as the open one.
  await menuItem(page, 'Recent designs…');
  const recent = page.getByRole('dialog', { name: 'Recent designs' });
  await expect(recent.getByRole('button', { name: `Open ${design.name}` })).toHaveAttribute('aria-current', 'true');
  await shot(page, 'files-recent');
});

test('a malformed file from the picker shows the problem and leaves the design as it was', async ({ page }) => {
  await page.goto('/');
  const design = await openDesign(page);
  const bad = JSON.stringify({ format: 'netcanvas', version: 1, nodes: [{ id: 'x', kind: 'Conv9D' }], edges: [] });
  const parsed = parseDesign(bad);
  await page.getByTestId('file-menu-input').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not open broken.json');
  if (!parsed.ok) await expect(alert).toContainText(formatIssue(parsed.errors[0], 'en'));
  expect((await state(page)).design).toEqual(design);
});

test('dropping a design file on the page shows the overlay, then opens it', async ({ page }) => {
  const lenet = loadTemplate('lenet-5.json');
  await page.goto('/');
  await openDesign(page);
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    return dt;
  }, JSON.stringify({ ...lenet, name: 'Dropped LeNet' }));
  // A drag resting over the page: the browser enters once and repeats dragover.
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  const hovering = await page.evaluateHandle((dt) => {
    const over = () => document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    over();
    return setInterval(over, 100);
  }, dataTransfer);
  await expect(page.getByText(filesStrings('en').dropHere)).toBeVisible();
  await shot(page, 'files-drop-overlay');
  await page.evaluate((timer) => clearInterval(timer), hovering);
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await expect(page.getByTestId('file-drop-overlay')).toBeHidden();
  await expect.poll(async () => (await state(page)).design?.name).toBe('Dropped LeNet');
  expect((await state(page)).source).toEqual({ type: 'file', name: 'dropped.json' });

  // A drag that carries no file (the palette's layer drag) shows nothing.
  const layerDrag = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.setData('application/x-netcanvas-layer', 'Conv2D');
    return dt;
  });
  await page.dispatchEvent('body', 'dragenter', { dataTransfer: layerDrag });
  await page.dispatchEvent('body', 'dragover', { dataTransfer: layerDrag });
  await expect(page.getByTestId('file-drop-overlay')).toBeHidden();

  // A file dragged in and back out of the window: the overlay goes with it.
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  await page.dispatchEvent('body', 'dragover', { dataTransfer });
  await expect(page.getByTestId('file-drop-overlay')).toBeVisible();
  await page.dispatchEvent('body', 'dragleave', { dataTransfer });
  // Sooner than the safety timeout would hide it.
  await expect(page.getByTestId('file-drop-overlay')).toBeHidden({ timeout: 500 });
});

test('pasted text opens as a design; a bad paste is explained in the dialog and opens nothing', async ({ page }) => {
  await page.goto('/');
  const design = await openDesign(page);
  await menuItem(page, 'Open from pasted text…');
  const dialog = page.getByRole('dialog', { name: 'Open a design from text' });
  const field = dialog.getByRole('textbox', { name: 'Design JSON' });
  await expect(field).toBeFocused();
  await field.fill('{"format": "netcanvas", "version": 1, "nodes": [');
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('Not valid JSON');
  expect((await state(page)).design).toEqual(design);

  const mlp = loadTemplate('mlp.json');
  await field.fill(JSON.stringify({ ...mlp, name: 'Pasted MLP' }));
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(async () => (await state(page)).design?.name).toBe('Pasted MLP');
  expect((await state(page)).source).toEqual({ type: 'paste' });
});

test.describe('with a Spanish browser', () => {
  test.use({ locale: 'es-ES' });
  test('the file menu and the gallery speak Spanish', async ({ page }) => {
    await page.goto('/');
    await openDesign(page);
    await page.getByRole('button', { name: 'Archivo', exact: true }).click();
    await expect(page.getByRole('menuitem', { name: 'Diseño nuevo' })).toBeVisible();
    await page.getByRole('menuitem', { name: 'Plantillas…' }).click();
    await expect(page.getByRole('dialog', { name: 'Plantillas' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Abrir / }).first()).toBeVisible();
  });
});
