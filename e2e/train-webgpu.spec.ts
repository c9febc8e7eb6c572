/**
 * WebGPU on SwiftShader (the `webgpu` project launches Chromium with --enable-unsafe-webgpu
 * --use-webgpu-adapter=swiftshader --enable-features=Vulkan): a few training steps run on WebGPU itself,
 * not a fallback, and the loss falls.
 */
import { expect, test } from '@playwright/test';

interface Handle {
  training: {
    getState(): {
      run: { backend: string | null; train: { x: number; loss: number }[] } | null;
      chooseData(choice: unknown, source: unknown): Promise<void>;
    };
  };
}

test('a few training steps on WebGPU (SwiftShader) make the loss fall', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name: 'MNIST CNN' }).click();
  await page.getByRole('tab', { name: 'Train' }).click();
  // The synthetic set with a small test split: SwiftShader runs about a dozen samples a second, and
  // testing 600 images would take longer than the steps themselves.
  await page.evaluate(() =>
    (window as unknown as { __netcanvas: Handle }).__netcanvas.training
      .getState()
      .chooseData({ kind: 'synthetic' }, { kind: 'synthetic', size: 28, channels: 1, train: 600, test: 48 }),
  );
  await expect(page.getByTestId('data-summary')).toContainText('600 training and 48 test images');
  await page.getByTestId('fit-check').getByRole('button', { name: /Fix/ }).first().click();
  await expect(page.getByTestId('fit-check')).toContainText('The network and the data fit.');

  await page.getByTestId('backend-choice').selectOption('webgpu');
  await page.getByTestId('learning-rate').fill('0.02');
  await page.getByTestId('batch-size').fill('16');
  await page.getByTestId('epochs').fill('1');
  await page.getByTestId('validation-split').fill('0');
  await page.getByTestId('batch-limit').fill('12');
  await page.getByTestId('train-start').click();

  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-phase', 'done', { timeout: 140_000 });
  await expect(page.getByTestId('active-backend')).toHaveAttribute('data-backend', 'webgpu');
  const losses = await page.evaluate(() => (window as unknown as { __netcanvas: Handle }).__netcanvas.training.getState().run!.train.map((p) => p.loss));
  console.log(`WebGPU losses: ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  expect(losses.length).toBeGreaterThanOrEqual(4);
  const head = (losses[0] + losses[1]) / 2;
  const tail = (losses.at(-1)! + losses.at(-2)!) / 2;
  expect(tail).toBeLessThan(head * 0.9);
});
