/**
 * Lessons (issue 14) as a new student lives them in real Chromium: lesson 7 opened from the File menu on an
 * empty canvas, LeNet-5 built step by step from the palette and the inspector, a tick per step, one step
 * failed on purpose and its hint read, the same panel in Spanish, and the place in the lesson kept across a
 * reload (autosave). Expected hints come from src/graph's own evaluator on the same design built in Node.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { addNode, emptyDesign, evaluateCheck, formatIssue, inferShapes, updateParams, type Design, type LayerKind, type Params } from '../src/graph/index.ts';
import { startingParams } from '../src/graph/linear-layers.ts';
import { receptiveFields } from '../src/graph/receptive-field.ts';
import { lenet5Lesson } from '../src/lesson/lessons.ts';
import { residualLesson, vggStacksLesson, vggStacksSolution } from '../src/lesson/classic-architectures.ts';
import { filesStrings } from '../src/ui/files/files-strings.ts';
import { lessonStrings } from '../src/ui/lesson/lesson-strings.ts';
import { loadTemplate, SHOTS } from './fixtures.ts';
import { editorStrings } from '../src/ui/editor/editor-strings.ts';
import { strings } from '../src/ui/i18n.ts';

const lesson = lenet5Lesson().lesson!;
const en = lessonStrings('en');
const es = lessonStrings('es');

/** The design the student's clicks make, built in Node the way the store builds it. */
class Expected {
  design: Design = emptyDesign();
  last: string | undefined;
  add(kind: LayerKind): string {
    const r = addNode(this.design, kind, { after: this.last, params: startingParams(kind) });
    this.design = r.design;
    this.last = r.id;
    return r.id;
  }
  set(params: Params) {
    this.design = updateParams(this.design, this.last!, params);
  }
  hint(step: number, lang: 'en' | 'es'): string {
    const r = evaluateCheck(lesson.steps[step].check, { design: this.design, inference: inferShapes(this.design) });
    if (r.pass) throw new Error(`step ${step + 1} passes in Node`);
    return formatIssue(r.hint!, lang);
  }
}

async function setAll(page: Page, label: RegExp, value: number, count = Infinity) {
  const entries = await page.locator('.inspector').getByLabel(label).all();
  for (const entry of entries.slice(0, count)) {
    await entry.fill(String(value));
    await entry.press('Enter');
  }
}

test('a new student opens lesson 7, builds LeNet-5 step by step with a tick for each, reads a hint, in English and Spanish', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: filesStrings('en').file, exact: true }).click();
  await page.getByRole('menuitem', { name: en.lessons }).click();
  const gallery = page.getByTestId('lesson-gallery');
  await expect(gallery.getByRole('heading', { name: lesson.title.en })).toBeVisible();
  await gallery.screenshot({ path: join(SHOTS, 'lessons-gallery-en.png') });
  await gallery.getByRole('button', { name: en.openLesson(lesson.title.en) }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  const panel = page.getByTestId('lesson-panel');
  await expect(panel.getByRole('heading', { name: lesson.title.en })).toBeVisible();
  await expect(panel).toContainText(lesson.steps[0].text.en);
  const built = new Expected();
  await expect(panel.getByTestId('lesson-hint')).toContainText(built.hint(0, 'en'));

  // Step 1: an Input of 32×32×1.
  built.add('Input');
  await page.getByTestId('palette-Input').click();
  await expect(panel.getByTestId('lesson-hint')).toContainText(built.hint(0, 'en'));
  await setAll(page, /^shape \(/, 32, 2);
  built.set({ shape: [32, 32, 1] });
  await expect(panel.getByTestId('lesson-pass')).toContainText(en.passed);
  await expect(panel.getByRole('button', { name: en.goToStep(1, true) })).toBeVisible();
  await panel.getByRole('button', { name: en.next }).click();

  // Step 2: C1. Six filters, but the starting 3×3 kernel: the hint says what C1 gives and what the step wants.
  built.add('Conv2D');
  await page.getByTestId('palette-Conv2D').click();
  built.set({ filters: 6 });
  await setAll(page, /^filters/, 6);
  const hint = built.hint(1, 'en');
  await expect(panel.getByTestId('lesson-hint')).toHaveText(`${en.notYet} ${hint}`);
  await page.getByTestId('lesson-panel').screenshot({ path: join(SHOTS, 'lessons-hint-en.png') });
  await setAll(page, /^kernel_size \(/, 5);
  await expect(panel.getByTestId('lesson-pass')).toBeVisible();
  await panel.getByRole('button', { name: en.next }).click();

  // Step 3: S2, a 2×2 average pool, passes as it is dropped in.
  await page.getByTestId('palette-AvgPool2D').click();
  await expect(panel.getByTestId('lesson-pass')).toBeVisible();
  for (const n of [1, 2, 3]) await expect(panel.getByRole('button', { name: en.goToStep(n, true) })).toBeVisible();
  await expect(panel).toContainText(en.allDone(3, lesson.steps.length));
  await page.screenshot({ path: join(SHOTS, 'lessons-en.png') });

  // Step 4 in Spanish: its text, and the hint in Spanish.
  await panel.getByRole('button', { name: en.next }).click();
  await page.getByLabel('Language').selectOption('es');
  await expect(panel).toContainText(lesson.steps[3].text.es);
  await expect(panel.getByTestId('lesson-hint')).toContainText(es.notYet);
  await expect(panel).toContainText(es.allDone(3, lesson.steps.length));
  await page.screenshot({ path: join(SHOTS, 'lessons-es.png') });

  // A reload brings back the design and the place in the lesson (autosave); the page opens in the browser's language.
  await page.waitForTimeout(1500);
  await page.reload();
  await expect(page.getByTestId('lesson-panel')).toContainText(en.stepOf(4, lesson.steps.length), { timeout: 30_000 });
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
});

test('an instructor writes a two-step lesson with the form, shares it as a link, and a new page opens the same lesson', async ({ page, context }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: en.writeLesson }).click();
  const editor = page.getByTestId('lesson-editor');
  await editor.getByLabel(en.titleEn).fill('Count the weights');
  await editor.getByLabel(en.titleEs).fill('Cuenta los pesos');
  const steps = editor.locator('fieldset.lesson-form-step');
  await steps.nth(0).getByLabel(en.textEn).fill('Add a Dropout after the last pooling layer.');
  await steps.nth(0).getByLabel(en.textEs).fill('Añade un Dropout tras la última capa de pooling.');
  await steps.nth(0).getByLabel(en.checkType).selectOption('has-kind');
  await steps.nth(0).getByLabel(en.kind).selectOption('Dropout');
  await steps.nth(0).getByLabel(en.after).selectOption('MaxPool2D');
  await editor.getByRole('button', { name: en.addStep }).click();
  await steps.nth(1).getByLabel(en.textEn).fill('Keep the whole network under 20,000 parameters.');
  await steps.nth(1).getByLabel(en.checkType).selectOption('params');
  await steps.nth(1).getByLabel(en.value).fill('20000');
  // The Spanish text is missing: the form names the step and saves nothing.
  await editor.getByRole('button', { name: en.save }).click();
  await expect(editor.getByRole('alert')).toHaveText(en.formProblem(2, en.noText));
  await steps.nth(1).getByLabel(en.textEs).fill('Mantén la red entera por debajo de 20.000 parámetros.');
  await editor.screenshot({ path: join(SHOTS, 'lessons-editor-en.png') });
  await editor.getByRole('button', { name: en.save }).click();
  await expect(editor).toBeHidden();

  const panel = page.getByTestId('lesson-panel');
  await expect(panel.getByRole('heading', { name: 'Count the weights' })).toBeVisible();
  await expect(panel.getByTestId('lesson-hint')).toBeVisible();

  await page.getByRole('button', { name: filesStrings('en').file, exact: true }).click();
  await page.getByRole('menuitem', { name: filesStrings('en').copyLink }).click();
  const fallback = page.getByRole('dialog', { name: 'Share link' });
  await expect(page.getByRole('status').filter({ hasText: 'Link copied' }).or(fallback)).toBeVisible();
  const link = (await fallback.isVisible()) ? await fallback.getByRole('textbox').inputValue() : await page.evaluate(() => navigator.clipboard.readText());

  const other = await context.newPage();
  await other.goto(link);
  const opened = other.getByTestId('lesson-panel');
  await expect(opened.getByRole('heading', { name: 'Count the weights' })).toBeVisible({ timeout: 30_000 });
  await expect(opened).toContainText('Add a Dropout after the last pooling layer.');
  await expect(opened).toContainText(en.stepOf(1, 2));
});

test('the Spanish page shows Spanish template notes, and English-only notes marked as not translated yet', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible({ timeout: 30_000 });
  const mnist = loadTemplate('mnist-cnn.json');
  await page.getByLabel('Language').selectOption('es');
  const notes = page.getByRole('region', { name: strings('es').notes });
  await expect(notes).toContainText(mnist.notes!.es.slice(0, 60));
  await expect(page.locator('.design-info .description')).toHaveText(mnist.description!.es);
  await page.locator('.design-info').screenshot({ path: join(SHOTS, 'lessons-notes-es.png') });

  // Notes written on the English page only, on a new design: the Spanish page shows them, marked.
  await page.getByLabel('Idioma').selectOption('en');
  await page.getByRole('button', { name: filesStrings('en').file, exact: true }).click();
  await page.getByRole('menuitem', { name: filesStrings('en').newDesign }).click();
  const e = editorStrings('en');
  await page.getByRole('button', { name: e.editDetails }).click();
  await page.getByLabel(`${e.notes} (English)`).fill('Only in English for now.');
  await page.getByRole('button', { name: e.save, exact: true }).click();
  await page.getByLabel('Language').selectOption('es');
  await expect(notes).toContainText('Only in English for now.');
  await expect(notes).toContainText(strings('es').writtenIn('en'));
});

/** Opens a shipped lesson from the File menu's lesson gallery. */
async function openLesson(page: Page, title: string) {
  await page.getByRole('button', { name: filesStrings('en').file, exact: true }).click();
  await page.getByRole('menuitem', { name: en.lessons }).click();
  await page.getByTestId('lesson-gallery').getByRole('button', { name: en.openLesson(title) }).click();
  await expect(page.getByTestId('lesson-panel').getByRole('heading', { name: title })).toBeVisible();
}

test("lesson 7's VGG part in Spanish: a wrong answer's hint, the 5×5 swapped for two 3×3, same field and fewer parameters ticked", async ({ page }) => {
  test.setTimeout(180_000);
  const vgg = vggStacksLesson();
  const steps = vgg.lesson!.steps;
  // The answers, from the app's inference on the start and the reference solution (as the inspector shows them).
  const startInf = inferShapes(vgg);
  const solvedInf = inferShapes(vggStacksSolution());
  const conv5 = startInf.nodes.get('conv5x5')!.trainableParams;
  const stack = solvedInf.nodes.get('conv3x3_a')!.trainableParams + solvedInf.nodes.get('conv3x3_b')!.trainableParams;
  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible({ timeout: 30_000 });
  await openLesson(page, vgg.lesson!.title.en!);
  await page.getByLabel('Language').selectOption('es');
  const panel = page.getByTestId('lesson-panel');
  await expect(panel).toContainText(steps[0].text.es!);

  // Step 1: a wrong number first; the Spanish hint says so; then the inspector's figure.
  await panel.getByLabel(es.answer).fill(String(conv5 + 1));
  await panel.getByRole('button', { name: es.check }).click();
  await expect(panel.getByTestId('lesson-hint')).toHaveText(`${es.notYet} ${formatIssue({ severity: 'warning', code: 'lesson-wrong-answer', values: { got: conv5 + 1 } }, 'es')}`);
  await page.locator('.react-flow__node[data-id="conv5x5"]').click();
  await panel.getByLabel(es.answer).fill(String(conv5));
  await panel.getByRole('button', { name: es.check }).click();
  await expect(panel.getByTestId('lesson-pass')).toBeVisible();
  await panel.getByRole('button', { name: es.next }).click();
  const field = [...receptiveFields(vgg, startInf).get('conv5x5')!.values()][0];
  await panel.getByLabel(es.answer).fill(String(field.kind === 'local' ? field.axes[0].size : NaN));
  await panel.getByRole('button', { name: es.check }).click();
  await expect(panel.getByTestId('lesson-pass')).toBeVisible();
  await panel.getByRole('button', { name: es.next }).click();

  // Step 3: conv5x5 becomes a 3×3, and a second 3×3 of 32 filters, 'same', goes in after it.
  await expect(panel.getByTestId('lesson-hint')).toBeVisible();
  await setAll(page, /^kernel_size \(/, 3);
  await page.getByTestId('palette-Conv2D').click();
  await setAll(page, /^filters/, 32);
  await setAll(page, /^kernel_size \(/, 3);
  await page.locator('.inspector').getByLabel('padding', { exact: true }).selectOption('same');
  await expect(panel.getByTestId('lesson-pass')).toBeVisible();
  // Steps 4 and 5 tick on the same design: the field is still 7×7, and the total is down.
  for (const n of [4, 5]) await expect(panel.getByRole('button', { name: es.goToStep(n, true) })).toBeVisible();
  await panel.getByRole('button', { name: es.goToStep(6, false) }).click();
  await panel.getByLabel(es.answer).fill(String(stack));
  await panel.getByRole('button', { name: es.check }).click();
  await expect(panel.getByTestId('lesson-pass')).toBeVisible();
  await expect(panel).toContainText(es.allDone(steps.length - 1, steps.length));
  await page.screenshot({ path: join(SHOTS, 'lessons-vgg-es.png') });
});

test("lesson 7's residual part: the palette's ResNet basic block after the stem ticks the skip and the Add's shape", async ({ page }) => {
  test.setTimeout(120_000);
  const residual = residualLesson();
  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible({ timeout: 30_000 });
  await openLesson(page, residual.lesson!.title.en!);
  const panel = page.getByTestId('lesson-panel');
  const start = evaluateCheck(residual.lesson!.steps[0].check, { design: residual, inference: inferShapes(residual) });
  await expect(panel.getByTestId('lesson-hint')).toContainText(formatIssue(start.hint!, 'en'));
  await page.locator('.react-flow__node[data-id="stem"]').click();
  await page.getByTestId('palette-block-BasicBlock').click();
  await expect(panel.getByTestId('lesson-pass')).toBeVisible();
  await expect(panel.getByRole('button', { name: en.goToStep(2, true) })).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'lessons-residual-en.png') });
  // The block's definition takes a note of its own, shared by every instance.
  const blockNotes = page.getByTestId('block-notes');
  await blockNotes.getByRole('textbox').fill('torchvision’s BasicBlock: two 3×3 and a skip.');
  await blockNotes.getByRole('textbox').blur();
  await page.getByLabel('Language').selectOption('es');
  await expect(blockNotes).toContainText(strings('es').writtenIn('en'));
  await page.getByTestId('block-inspector').screenshot({ path: join(SHOTS, 'block-notes-es.png') });
});

test("a layer's note is written per language in the inspector: the Spanish page shows the English one marked until it is translated", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible({ timeout: 30_000 });
  const node = page.locator('.react-flow__node').nth(1);
  await node.click();
  const notes = page.getByTestId('node-notes');
  await notes.getByLabel('Notes (English)').fill('Try 3×3 here.');
  await notes.getByLabel('Notes (English)').blur();
  await page.getByLabel('Language').selectOption('es');
  await expect(notes).toContainText('Try 3×3 here.');
  await expect(notes).toContainText(strings('es').writtenIn('en'));
  await expect(notes.getByLabel('Notas (Español)')).toHaveValue('');
  await notes.screenshot({ path: join(SHOTS, 'node-notes-es-fallback.png') });
  await notes.getByLabel('Notas (Español)').fill('Prueba aquí 3×3.');
  await notes.getByLabel('Notas (Español)').blur();
  await expect(notes).not.toContainText(strings('es').writtenIn('en'));
  await page.getByLabel('Idioma').selectOption('en');
  await expect(notes.getByLabel('Notes (English)')).toHaveValue('Try 3×3 here.');
});
