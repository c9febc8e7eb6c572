/**
 * Pointer helpers for the canvas specs. The view animates when it frames or centres a layer (fit view, a
 * click on a problem, a new layer brought into view), so positions are read only once they stop moving.
 */
import { expect, type Locator, type Page } from '@playwright/test';

/** Resolves with the element's box once it has stayed put for a few frames. */
export async function settledBox(locator: Locator) {
  let last = '';
  let box = await locator.boundingBox();
  await expect
    .poll(
      async () => {
        box = await locator.boundingBox();
        const now = JSON.stringify(box);
        const same = now === last;
        last = now;
        return same && box !== null;
      },
      { intervals: [50, 100, 100, 100, 200], timeout: 10_000 },
    )
    .toBe(true);
  return box!;
}

/** Drags from one connection handle to another with real pointer moves, as a hand would. */
export async function wire(page: Page, from: Locator, to: Locator) {
  const a = await settledBox(from);
  const b = await settledBox(to);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}
