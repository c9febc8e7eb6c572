/**
 * Lesson locks (issue 14) as an instructor makes them and a student meets them, in real Chromium: lock a
 * layer and a parameter from the inspector, fix the input, write a two-step lesson, preview it as a student,
 * share it as a link, open the link in a new page, try to delete the locked layer and read the refusal in
 * English and in Spanish. Expected messages come from src/graph's own catalogue.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { formatIssue, groupIntoBlock } from '../src/graph/index.ts';
import { filesStrings } from '../src/ui/files/files-strings.ts';
import { lessonStrings } from '../src/ui/lesson/lesson-strings.ts';
import { lockStrings } from '../src/ui/lesson/lock-strings.ts';
import { loadTemplate, SHOTS } from './fixtures.ts';

const CNN = loadTemplate('mnist-cnn.json');
const en = lessonStrings('en');
const lk = lockStrings('en');
const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const refusal = (lang: 'en' | 'es') => formatIssue({ severity: 'error', code: 'lock-node', values: { node: 'conv1' } }, lang);

test('an instructor locks a layer, writes a two-step lesson, shares it; the student\'s page refuses deleting the locked layer, in English and Spanish', async ({ page, context }) => {
  test.setTimeout(180_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name: new RegExp(`^${CNN.name}`) }).click();
  await expect(node(page, 'conv1')).toBeVisible({ timeout: 30_000 });

  // Lock conv1 and its filters from the inspector; fix the input by locking all of its parameters.
  await node(page, 'conv1').click();
  const lockSection = page.getByTestId('lock-section');
  await lockSection.getByText(lk.lockHeading).click();
  await lockSection.getByLabel(lk.lockLayer).check();
  await lockSection.getByLabel(lk.lockParam('filters')).check();
  await expect(page.getByTestId('lock-badge-conv1')).toBeVisible();
  await expect(page.getByTestId('param-locked-filters')).toBeVisible();
  await lockSection.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'locks-author-en.png') });
  await node(page, 'input').click();
  await lockSection.getByText(lk.lockHeading).click();
  await lockSection.getByLabel(lk.lockLayer).check();
  await lockSection.getByRole('button', { name: lk.lockAllParams }).click();
  await expect(page.getByTestId('param-locked-shape')).toBeVisible();

  // A two-step lesson on it; the editor lists the locks.
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.getByRole('button', { name: en.writeLesson }).click();
  const editor = page.getByTestId('lesson-editor');
  await editor.getByLabel(en.titleEn).fill('Keep the stem');
  await editor.getByLabel(en.titleEs).fill('Conserva la entrada');
  const steps = editor.locator('fieldset.lesson-form-step');
  await steps.nth(0).getByLabel(en.textEn).fill('Add a Dropout after the last pooling layer.');
  await steps.nth(0).getByLabel(en.textEs).fill('Añade un Dropout tras la última capa de pooling.');
  await steps.nth(0).getByLabel(en.checkType).selectOption('has-kind');
  await steps.nth(0).getByLabel(en.kind).selectOption('Dropout');
  await editor.getByRole('button', { name: en.addStep }).click();
  await steps.nth(1).getByLabel(en.textEn).fill('Keep the whole network under 20,000 parameters.');
  await steps.nth(1).getByLabel(en.textEs).fill('Mantén la red entera por debajo de 20.000 parámetros.');
  await steps.nth(1).getByLabel(en.checkType).selectOption('params');
  await steps.nth(1).getByLabel(en.value).fill('20000');
  const listed = editor.getByTestId('editor-locks');
  await expect(listed).toContainText('conv1');
  await expect(listed).toContainText(lk.lockedParams('filters'));
  await listed.scrollIntoViewIfNeeded();
  await editor.screenshot({ path: join(SHOTS, 'locks-editor-en.png') });
  await editor.getByRole('button', { name: en.save }).click();
  await expect(editor).toBeHidden();

  // Preview as a student: the locks hold (Delete is refused with the reason), then back to editing.
  const panel = page.getByTestId('lesson-panel');
  await panel.getByRole('button', { name: lk.preview }).click();
  await expect(panel).toContainText(lk.previewing);
  await node(page, 'conv1').click();
  await expect(page.getByTestId('lock-section')).toHaveCount(0);
  await expect(page.getByTestId('lock-note')).toBeVisible();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('notice').locator('p')).toHaveText(refusal('en'), { timeout: 15_000 });
  await expect(node(page, 'conv1')).toBeVisible();
  await panel.getByRole('button', { name: lk.backToEditing }).click();

  // Share the lesson as a link and open it in a new page: a student's lesson, locks and all.
  await page.getByRole('button', { name: filesStrings('en').file, exact: true }).click();
  await page.getByRole('menuitem', { name: filesStrings('en').copyLink }).click();
  const fallback = page.getByRole('dialog', { name: 'Share link' });
  await expect(page.getByRole('status').filter({ hasText: 'Link copied' }).or(fallback)).toBeVisible({ timeout: 15_000 });
  const link = (await fallback.isVisible()) ? await fallback.getByRole('textbox').inputValue() : await page.evaluate(() => navigator.clipboard.readText());

  const student = await context.newPage();
  await student.goto(link);
  const opened = student.getByTestId('lesson-panel');
  await expect(opened.getByRole('heading', { name: 'Keep the stem' })).toBeVisible({ timeout: 30_000 });
  await expect(opened).toContainText(lk.lockedCount(2));
  await expect(opened.getByRole('button', { name: lk.preview })).toHaveCount(0);
  await expect(student.getByTestId('lock-badge-conv1')).toBeVisible();
  await expect(student.getByTestId('lock-badge-input')).toBeVisible();
  await node(student, 'conv1').click();
  const filters = student.getByTestId('param-locked-filters');
  await expect(filters).toHaveAttribute('title', lk.lockedParam('filters'));
  await expect(filters.getByRole('spinbutton')).toBeDisabled();
  await expect(student.getByTestId('lock-section')).toHaveCount(0);
  await student.keyboard.press('Delete');
  await expect(student.getByTestId('notice').locator('p')).toHaveText(refusal('en'), { timeout: 15_000 });
  await expect(node(student, 'conv1')).toBeVisible();
  await student.screenshot({ path: join(SHOTS, 'locks-student-en.png') });

  // The same refusal in Spanish; Ctrl+Z cannot take the student out of the lesson either.
  await student.getByLabel('Language').selectOption('es');
  await node(student, 'conv1').click();
  await student.keyboard.press('Delete');
  await expect(student.getByTestId('notice').locator('p')).toHaveText(refusal('es'), { timeout: 15_000 });
  await expect(student.getByTestId('param-locked-filters')).toHaveAttribute('title', lockStrings('es').lockedParam('filters'));
  await student.screenshot({ path: join(SHOTS, 'locks-student-es.png') });
  await student.keyboard.press('Control+z');
  await expect(student.getByTestId('notice').locator('p')).toHaveText(formatIssue({ severity: 'error', code: 'lock-undo', values: {} }, 'es'), { timeout: 15_000 });
  await expect(node(student, 'conv1')).toBeVisible();
});

test('an instructor locks a layer inside a block from the definition editor: its locked field is greyed out, and unfolding the block is refused with the reason', async ({ page }) => {
  test.setTimeout(120_000);
  const grouped = groupIntoBlock(CNN, ['conv1', 'pool1']);
  if (!grouped.ok) throw new Error('the grouping itself is refused in Node');
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name: new RegExp(`^${CNN.name}`) }).click();
  await node(page, 'conv1').click();
  await node(page, 'pool1').click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+g');
  const inspector = page.getByTestId('block-inspector');
  await inspector.getByTestId('block-layer-pick').selectOption('conv1');
  const definition = inspector.locator('.block-definition');
  await definition.getByText(lk.lockHeading).click();
  await definition.getByLabel(lk.lockLayer).check();
  await definition.getByLabel(lk.lockParam('kernel_size')).check();
  await expect(definition.getByTestId('param-locked-kernel_size')).toBeVisible();
  await inspector.screenshot({ path: join(SHOTS, 'locks-in-block-en.png') });
  // Locks hold for the author too: unfolding would leave the locked layer behind.
  await page.getByTestId(`block-node-${grouped.id}`).dblclick();
  const why = formatIssue({ severity: 'error', code: 'lock-block-use', values: { node: `${grouped.design.blocks![0].id}/conv1`, block: grouped.design.blocks![0].id, instance: grouped.id } }, 'en');
  await expect(page.getByTestId('notice').locator('p')).toHaveText(why, { timeout: 15_000 });
  await expect(page.getByTestId(`block-node-${grouped.id}`)).toBeVisible();
});
