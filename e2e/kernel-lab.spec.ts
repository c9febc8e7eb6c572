/**
 * The Kernel lab in real Chromium, as a new user: open it by mouse, Sobel x on the digit, read a value,
 * toggle convolution and see its sign flip, move by keyboard. The expected numbers are not written here:
 * the spec loads the same digit in Node and runs the lab's own math on it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { FetchFn } from '../src/train/datasets/bundled.ts';
import { divergingColour, slide, symmetricRange, tapsAt, writeOut, type Mode, type SlideSettings } from '../src/ui/lab/kernel-math.ts';
import { presetKernel } from '../src/ui/lab/kernel-presets.ts';
import { loadBundledSample } from '../src/ui/lab/lab-images.ts';
import { labStrings } from '../src/ui/lab/lab-strings.ts';
import { inferShapes } from '../src/graph/infer.ts';
import { formatIssue } from '../src/graph/messages.ts';
import { explainLabWindow } from '../src/ui/lab/lab-window.ts';
import { convTargets } from '../src/ui/lab/filter-target.ts';
import { SHOTS, loadTemplate } from './fixtures.ts';

const DATASETS = join(import.meta.dirname, '..', 'public', 'datasets');
const diskFetch: FetchFn = async (url) => {
  const file = join(DATASETS, new URL(url).pathname.replace(/^\/datasets\//, ''));
  return existsSync(file) ? new Response(readFileSync(file)) : new Response('not found', { status: 404 });
};

const VALID: SlideSettings = { stride: 1, dilation: 1, padding: 'valid' };
const en = labStrings('en');
const es = labStrings('es');

/** The strongest Sobel-x response of the digit: where the sign flip is plain to see. */
async function expected() {
  const digit = await loadBundledSample('digit', 'http://netcanvas.test/datasets/', diskFetch);
  const sobel = presetKernel('sobelX', 3);
  const map = slide(digit, sobel, VALID, 'correlation')!;
  let best = 0;
  map.data.forEach((v, i) => {
    if (Math.abs(v) > Math.abs(map.data[best])) best = i;
  });
  const [oy, ox] = [Math.floor(best / map.w), best % map.w];
  const text = (mode: Mode, y: number, x: number) => writeOut(tapsAt(digit, sobel, VALID, mode, map.pads, y, x), y, x);
  return { map, oy, ox, value: map.data[best], text, range: symmetricRange(map.data) };
}

/** The colour the output canvas holds at one map cell (its own pixels, before CSS scaling). */
async function mapPixel(page: Page, oy: number, ox: number): Promise<number[]> {
  return page.getByTestId('lab-output').evaluate((c: HTMLCanvasElement, [y, x]) => Array.from(c.getContext('2d')!.getImageData(x, y, 1, 1).data.slice(0, 3)), [oy, ox]);
}

test('a new user sees Sobel x on a digit, then its sign flip under convolution, and steps by keyboard', async ({ page }) => {
  const want = await expected();
  await page.goto('/');
  await page.getByRole('tab', { name: en.tabLab }).click();
  const panel = page.getByRole('tabpanel', { name: en.tabLab });
  await expect(panel.getByRole('heading', { name: en.title })).toBeVisible();
  await panel.getByRole('radio', { name: en.samples.digit }).check();
  await panel.getByLabel(en.preset).selectOption({ label: en.presets.sobelX });
  await expect(page.getByTestId('lab-output')).toBeVisible();
  await expect(panel.getByTestId('output-size')).toContainText('out = ⌊(28 − 3 + 2·0) / 1⌋ + 1 = 26');

  // Point at the strongest response with the mouse: its arithmetic is written out with the real numbers.
  const box = (await page.getByTestId('lab-output').boundingBox())!;
  await page.mouse.move(box.x + ((want.ox + 0.5) / want.map.w) * box.width, box.y + ((want.oy + 0.5) / want.map.h) * box.height);
  const arithmetic = page.getByTestId('lab-arithmetic');
  await expect(arithmetic).toHaveText(want.text('correlation', want.oy, want.ox));
  expect(await mapPixel(page, want.oy, want.ox)).toEqual([...divergingColour(want.value, want.range)]);
  await page.screenshot({ path: join(SHOTS, 'kernel-lab-correlation-en.png'), fullPage: true });

  await panel.getByRole('radio', { name: en.convolution }).click();
  await expect(page.getByTestId('slid-kernel')).toHaveText(presetKernel('sobelX', 3).values.map((v) => String(-v).replace('-', '−')).join(''));
  const flipped = want.text('convolution', want.oy, want.ox);
  await expect(arithmetic).toHaveText(flipped);
  // The value is the same number with the other sign, and the map's colour there changes side of white.
  const shown = (s: string) => Number(s.slice(s.lastIndexOf('= ') + 2).replace('−', '-'));
  expect(shown(flipped)).toBe(-shown(want.text('correlation', want.oy, want.ox)));
  expect(await mapPixel(page, want.oy, want.ox)).toEqual([...divergingColour(-want.value, want.range)]);
  await page.screenshot({ path: join(SHOTS, 'kernel-lab-convolution-en.png'), fullPage: true });

  // One step by keyboard: the value to the right (or left at the edge) of the probe.
  await page.getByTestId('lab-output').focus();
  const step = want.ox + 1 < want.map.w ? 1 : -1;
  await page.keyboard.press(step === 1 ? 'ArrowRight' : 'ArrowLeft');
  await expect(arithmetic).toHaveText(want.text('convolution', want.oy, want.ox + step));
});

test('a file that is not an image gets a clear message and the image stays', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: en.tabLab }).click();
  await expect(page.getByTestId('lab-output')).toBeVisible();
  await page.getByLabel(en.yourImage, { exact: true }).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
  await expect(page.getByRole('tabpanel', { name: en.tabLab }).getByRole('alert')).toHaveText(en.notImage('notes.txt'));
  await expect(page.getByTestId('lab-output')).toBeVisible();
});

test('the lab speaks Spanish, with the window arithmetic and its problems', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Language').selectOption('es');
  await page.getByRole('tab', { name: es.tabLab }).click();
  const panel = page.getByRole('tabpanel', { name: es.tabLab });
  await expect(panel.getByRole('heading', { name: es.title })).toBeVisible();
  await panel.getByRole('radio', { name: es.samples.photo }).check();
  await panel.getByLabel(es.preset).selectOption({ label: es.presets.gaussian });
  await panel.getByLabel(es.size).fill('5');
  await panel.getByLabel(es.padding).selectOption('same');
  await panel.getByLabel(es.stride).fill('2');
  await expect(panel.getByTestId('output-size')).toContainText('out = ⌈40 / 2⌉ = 20');
  await expect(page.getByTestId('lab-arithmetic')).toContainText('y[0,0] = ');
  await page.screenshot({ path: join(SHOTS, 'kernel-lab-es.png'), fullPage: true });

  // Stride and dilation together: refused with src/graph's own message, in Spanish, and no map.
  await panel.getByLabel(es.dilation).fill('2');
  const [refusal] = explainLabWindow(40, 40, 5, { stride: 2, dilation: 2, padding: 'same' }, es.title).issues;
  await expect(panel.getByTestId('output-size').getByRole('alert')).toHaveText(formatIssue(refusal, 'es'));
  await expect(panel).toContainText(es.noOutput);
});

test('a kernel offered to a layer of the design: first its size is matched, then it waits for trained weights', async ({ page }) => {
  const design = loadTemplate('mnist-cnn.json');
  const [conv1] = convTargets(design, inferShapes(design));
  expect(conv1.kernelSize).not.toEqual([3, 3]);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 2, name: design.name })).toBeVisible();
  await page.getByRole('tab', { name: en.tabLab }).click();
  const use = page.getByRole('region', { name: en.useTitle });
  await expect(use).toContainText(en.sizeMismatch(conv1.name, conv1.kernelSize.join('×'), '3×3'));
  await use.getByRole('button', { name: en.setSize(conv1.name, '3×3') }).click();
  await expect(use).toContainText(en.noWeights(conv1.name));
  // The edit is the design's own: the canvas shows it.
  await page.getByRole('tab', { name: 'Design' }).click();
  await expect(page.locator('.react-flow__node', { hasText: conv1.name }).first()).toContainText('3×3');
});
