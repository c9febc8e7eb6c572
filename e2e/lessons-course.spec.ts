/**
 * The course's shipped lessons as a Spanish-speaking student meets one: lesson 4 (filters) opened from
 * Archivo → Lecciones…, its first question answered for the first tick, a layer added in a later step and
 * the step reset to how the student entered it.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { formatIssue } from '../src/graph/messages.ts';
import { classifyDigitsLesson } from '../src/lesson/digits.ts';
import { filtersLesson } from '../src/lesson/kernel-lab-lessons.ts';
import { whatCnnsSeeLesson } from '../src/lesson/look-inside-lessons.ts';
import { filesStrings } from '../src/ui/files/files-strings.ts';
import { lessonStrings } from '../src/ui/lesson/lesson-strings.ts';
import { SHOTS } from './fixtures.ts';

const lesson = filtersLesson().lesson!;
const es = lessonStrings('es');

test('a student opens lesson 4 in Spanish, answers its first question for a tick, and resets a later step', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Language').selectOption('es');
  await page.getByRole('button', { name: filesStrings('es').file, exact: true }).click();
  await page.getByRole('menuitem', { name: es.lessons }).click();
  const gallery = page.getByTestId('lesson-gallery');
  await expect(gallery.getByRole('heading', { name: lesson.title.es, exact: true })).toBeVisible({ timeout: 30_000 });
  await gallery.screenshot({ path: join(SHOTS, 'lessons-course-gallery-es.png') });
  await gallery.getByRole('button', { name: es.openLesson(lesson.title.es!) }).click();

  const panel = page.getByTestId('lesson-panel');
  await expect(panel.getByRole('heading', { name: lesson.title.es })).toBeVisible({ timeout: 30_000 });
  await expect(panel).toContainText(lesson.steps[0].text.es!);
  await expect(page.locator('.react-flow__node')).toHaveCount(1);
  await expect(panel.getByTestId('lesson-hint')).toBeVisible();

  // Step 1: the question's right option, as the lesson holds it; the tick comes at once.
  const first = lesson.steps[0].check;
  if (first.type !== 'choice') throw new Error('step 1 of lesson 4 is a question');
  await panel.getByLabel(first.options[first.answer].es!, { exact: false }).check();
  await expect(panel.getByTestId('lesson-pass')).toContainText(es.passed, { timeout: 30_000 });
  await expect(panel.getByRole('button', { name: es.goToStep(1, true) })).toBeVisible();
  await panel.screenshot({ path: join(SHOTS, 'lessons-course-tick-es.png') });

  // Step 4 (the filter in the design): a layer added, then the step reset to the design it started from.
  await panel.getByRole('button', { name: es.goToStep(4, false) }).click();
  await expect(panel).toContainText(lesson.steps[3].text.es!);
  await page.locator('.react-flow__node').first().click();
  await page.getByTestId('palette-Conv2D').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(2, { timeout: 30_000 });
  await panel.getByTestId('lesson-reset').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(1, { timeout: 30_000 });
  await expect(panel.getByTestId('lesson-hint')).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'lessons-course-es.png') });
});

test("an instructor opens lesson 8's form: its receptive-field step shows its fields, and a bad size is named with its step", async ({ page }) => {
  test.setTimeout(120_000);
  const en = lessonStrings('en');
  const seeing = whatCnnsSeeLesson().lesson!;
  const last = seeing.steps.length;
  const check = seeing.steps[last - 1].check;
  if (check.type !== 'receptive-field') throw new Error("lesson 8's last step checks a receptive field");
  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: filesStrings('en').file, exact: true }).click();
  await page.getByRole('menuitem', { name: en.lessons }).click();
  await page.getByTestId('lesson-gallery').getByRole('button', { name: en.openLesson(seeing.title.en!) }).click();
  await expect(page.getByTestId('lesson-panel').getByRole('heading', { name: seeing.title.en })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: en.editLesson }).click();
  const editor = page.getByTestId('lesson-editor');
  const step = editor.locator('fieldset.lesson-form-step').nth(last - 1);
  await expect(step.getByLabel(en.checkType)).toHaveValue('receptive-field');
  await expect(step.getByLabel(en.minField)).toHaveValue(String(check.min));
  await step.scrollIntoViewIfNeeded();
  await step.screenshot({ path: join(SHOTS, 'lessons-course-editor-field-en.png') });
  await step.getByLabel(en.minField).fill('0');
  await editor.getByRole('button', { name: en.save }).click();
  await expect(editor.getByRole('alert')).toHaveText(en.formProblem(last, en.badNumber));
  // An accuracy step's fields, picked from the same list.
  await step.getByLabel(en.checkType).selectOption('accuracy');
  await expect(step.getByLabel(en.dataset)).toHaveValue('mnist');
  await step.screenshot({ path: join(SHOTS, 'lessons-course-editor-accuracy-en.png') });
});

test("lesson 2's training step reads the run the Train tab just finished: its accuracy, against the target", async ({ page }) => {
  test.setTimeout(240_000);
  const en = lessonStrings('en');
  const digits = classifyDigitsLesson().lesson!;
  const at = digits.steps.findIndex((s) => s.check.type === 'accuracy');
  const check = digits.steps[at].check;
  if (check.type !== 'accuracy') throw new Error('lesson 2 has an accuracy step');
  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: filesStrings('en').file, exact: true }).click();
  await page.getByRole('menuitem', { name: en.lessons }).click();
  await page.getByTestId('lesson-gallery').getByRole('button', { name: en.openLesson(digits.title.en!) }).click();
  const panel = page.getByTestId('lesson-panel');
  await expect(panel.getByRole('heading', { name: digits.title.en })).toBeVisible({ timeout: 30_000 });
  await panel.getByRole('button', { name: en.goToStep(at + 1, false) }).click();
  const noRun = formatIssue({ severity: 'warning', code: 'lesson-no-run', values: { dataset: check.dataset } }, 'en');
  await expect(panel.getByTestId('lesson-hint')).toContainText(noRun);

  // A short run (one epoch of 40 batches): far from the target, and the hint says by how much.
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByRole('radio', { name: 'MNIST digits' }).check();
  await expect(page.getByTestId('data-summary')).toContainText('2,000 test images', { timeout: 30_000 });
  await page.getByTestId('epochs').fill('1');
  await page.getByTestId('batch-limit').fill('40');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 180_000 });
  const shown = (await page.getByTestId('test-accuracy').textContent())!;
  const got = parseFloat(shown);
  expect(got).toBeLessThan(check.min);
  await expect(panel.getByTestId('lesson-hint')).toContainText(`The run reached ${shown} test accuracy on ${check.dataset}`);
  await panel.screenshot({ path: join(SHOTS, 'lessons-course-accuracy-en.png') });
});
