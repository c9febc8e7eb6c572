/**
 * The Gradients view, as a new user in real Chromium against the production build: train the MNIST CNN,
 * open conv1's Look inside → Gradients, see one line per layer with weights on the log chart, and the
 * kernel's gradient drawn as the sum of its 24×24 = 576 position terms next to the gradient tfjs
 * computes; then the same in Spanish. Screenshots land in test-results/screenshots.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { lookStrings } from '../src/ui/look/look-strings.ts';
import { SHOTS, startMnistCnnRun } from './fixtures.ts';

const en = lookStrings('en');
const es = lookStrings('es');

type Handle = {
  training: { getState(): { run: { phase: string; gradients: { nodeIds: string[]; x: number[] } | null } | null; config: { batchSize: number } } };
  store: { getState(): { inference: { nodes: Map<string, { weights: unknown[] }> } | null } };
};

async function state(page: Page) {
  return page.evaluate(() => {
    const h = (globalThis as unknown as { __netcanvas: Handle }).__netcanvas;
    const t = h.training.getState();
    const inference = h.store.getState().inference;
    return {
      phase: t.run?.phase ?? null,
      gradientLayers: t.run?.gradients?.nodeIds ?? [],
      samples: t.run?.gradients?.x.length ?? 0,
      batchSize: t.config.batchSize,
      withWeights: inference ? [...inference.nodes.entries()].filter(([, n]) => n.weights.length > 0).map(([id]) => id) : [],
    };
  });
}

test('the Gradients view while the MNIST CNN trains: one line per layer, a kernel gradient as the sum of its 576 position terms, in English and Spanish', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name: 'MNIST CNN' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'MNIST CNN' })).toBeVisible();
  await startMnistCnnRun(page, { epochs: 50, batchLimit: 30 });
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-phase', 'training', { timeout: 60_000 });

  await page.getByRole('tab', { name: 'Design' }).click();
  await page.getByTestId('layer-node-conv1').click();
  const panel = page.getByTestId('look-panel');
  await panel.getByTestId('look-tab-gradients').click();
  await expect(panel.getByTestId('look-tab-gradients')).toHaveText(en.tabGradients);

  // The chart: one group (a solid and a dashed line) per layer that has weights, each with a drawn path.
  const chart = panel.getByTestId('look-gradients-chart');
  await expect(chart).toBeVisible({ timeout: 60_000 });
  await expect.poll(async () => (await state(page)).samples, { timeout: 60_000 }).toBeGreaterThan(5);
  const s = await state(page);
  expect(s.gradientLayers).toEqual(s.withWeights);
  const layers = chart.getByTestId('look-gradients-layer');
  await expect(layers).toHaveCount(s.withWeights.length);
  for (let i = 0; i < s.withWeights.length; i++) {
    await expect(layers.nth(i)).toHaveAttribute('data-node', s.withWeights[i]);
    for (const d of await layers.nth(i).locator('path').evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? ''))) {
      expect(d, `${s.withWeights[i]} has a line`).toMatch(/^M[\d.]+,[\d.]+L/);
    }
  }
  await expect(panel.getByTestId('look-gradients')).toContainText(en.gradIntro);
  await expect(panel.getByTestId('look-gradients-hints')).not.toBeEmpty();

  // conv1's 5×5 kernel (filter 0, channel 0) on one batch: 576 terms whose sum is tfjs's gradient.
  const kg = panel.getByTestId('look-kernel-grad');
  await expect(kg.getByTestId('look-kg-intro')).toHaveText(en.kgIntro('5×5', '24×24', 576, s.batchSize), { timeout: 30_000 });
  await expect(kg.getByTestId('look-kg-heat')).toBeVisible();
  await expect(kg.getByTestId('look-kg-terms')).toBeVisible();
  const numbers = async (id: string) =>
    ((await kg.getByTestId(id).locator('.look-tile-numbers').textContent()) ?? '').trim().split(/\s+/).map((v) => Number(v.replace('−', '-')));
  // Read both in one breath: during the run the view refreshes each second.
  const [sum, tfjs] = [await numbers('look-kg-sum'), await numbers('look-kg-tfjs')];
  expect(sum).toHaveLength(25);
  expect(tfjs).toHaveLength(25);
  await kg.getByTestId('look-kg-filter').fill('3');
  await expect(kg.getByTestId('look-kg-intro')).toHaveText(en.kgIntro('5×5', '24×24', 576, s.batchSize));
  await page.waitForTimeout(2500);
  // Tall enough that the whole panel is painted in the element screenshot.
  await page.setViewportSize({ width: 1400, height: 2400 });
  await panel.screenshot({ path: join(SHOTS, 'look-gradients-en.png') });

  // Stopped, the numbers hold still: the sum of the terms equals tfjs's gradient as shown (3 digits).
  await page.evaluate(() => (globalThis as unknown as { __netcanvas: { training: { getState(): { stop(): Promise<void> } } } }).__netcanvas.training.getState().stop());
  await expect.poll(async () => (await state(page)).phase, { timeout: 120_000 }).toBe('done');
  await page.waitForTimeout(1500);
  const [held, heldTfjs] = [await numbers('look-kg-sum'), await numbers('look-kg-tfjs')];
  const scale = Math.max(...heldTfjs.map(Math.abs));
  expect(scale).toBeGreaterThan(0);
  for (let i = 0; i < 25; i++) expect(Math.abs(held[i] - heldTfjs[i]), `tap ${i}`).toBeLessThanOrEqual(scale * 0.01);

  // The same in Spanish.
  await page.getByLabel('Language').selectOption('es');
  await expect(panel.getByTestId('look-tab-gradients')).toHaveText(es.tabGradients);
  await expect(panel.getByTestId('look-gradients')).toContainText(es.gradIntro);
  await expect(kg.getByTestId('look-kg-intro')).toHaveText(es.kgIntro('5×5', '24×24', 576, s.batchSize));
  await panel.screenshot({ path: join(SHOTS, 'look-gradients-es.png') });
});
