/**
 * What several browser specs share: the templates as src/graph loads them (the unit tests' own loader),
 * the gallery as the app orders it, and where screenshots go.
 */
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { readTemplateIndex, templateFileNames } from '../src/graph/testing/templates.ts';
import { buildCatalogue, type TemplateEntry } from '../src/store/template-catalogue.ts';

export { loadTemplate } from '../src/graph/testing/templates.ts';
export const SHOTS = join(import.meta.dirname, '..', 'test-results', 'screenshots');

/** The template gallery in the order the app shows it (index.json first, then any unlisted file). */
export function galleryCatalogue(): TemplateEntry[] {
  return buildCatalogue(templateFileNames(), readTemplateIndex());
}

/** A file that loads but holds a mistake: a 5×5 kernel on a 3×3 input. */
export const TOO_BIG_KERNEL = {
  format: 'netcanvas',
  version: 1,
  name: 'Too-big kernel',
  nodes: [
    { id: 'in', kind: 'Input', params: { shape: [3, 3, 1] }, position: { x: 0, y: 0 } },
    { id: 'conv', kind: 'Conv2D', params: { filters: 4, kernel_size: [5, 5] }, position: { x: 0, y: 100 } },
  ],
  edges: [{ source: 'in', target: 'conv' }],
} as const;

/**
 * Opens the MNIST CNN, loads the bundled digits and starts a run of many short epochs on WASM (named, not
 * Auto: measuring every backend takes minutes on a loaded machine), waiting until it trains.
 */
export async function startMnistCnnRun(page: Page, { epochs, batchLimit }: { readonly epochs: number; readonly batchLimit: number }) {
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByRole('radio', { name: 'MNIST digits' }).check();
  await expect(page.getByTestId('data-summary')).toContainText('2,000 test images', { timeout: 30_000 });
  await page.getByTestId('epochs').fill(String(epochs));
  await page.getByTestId('batch-limit').fill(String(batchLimit));
  await page.getByTestId('backend-choice').selectOption('wasm');
  await page.getByTestId('train-start').click();
}
