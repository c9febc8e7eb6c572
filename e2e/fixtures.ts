/**
 * What several browser specs share: the templates as src/graph loads them (the unit tests' own loader),
 * the gallery as the app orders it, and where screenshots go.
 */
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
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

/** A w×h gray PNG (no library: zlib for the IDAT, a CRC table for the chunks). */
export function png(w: number, h: number, pixel: (x: number, y: number) => number, rgb = false): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = rgb ? 2 : 0; // colour type: RGB or gray
  const c = rgb ? 3 : 1;
  const raw = Buffer.alloc((w * c + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.fill(pixel(x, y), y * (w * c + 1) + 1 + x * c, y * (w * c + 1) + 1 + (x + 1) * c);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
