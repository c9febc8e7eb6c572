/** What the import journeys (ONNX, Keras) share: reading the store, opening a file through the File menu, dropping one on the page. */
import { expect, type Page } from '@playwright/test';
import type { Design } from '../src/graph/index.ts';

interface Handle {
  store: { getState(): { design: Design | null; weights: Map<string, unknown> | null; source: unknown } };
}

export const importState = (page: Page) =>
  page.evaluate(() => {
    const s = (globalThis as unknown as { __netcanvas: Handle }).__netcanvas.store.getState();
    return { design: s.design, weightNodes: s.weights ? s.weights.size : 0, source: s.source };
  });

export async function openDesign(page: Page): Promise<Design> {
  await expect.poll(async () => (await importState(page)).design?.name ?? null).not.toBeNull();
  return (await importState(page)).design!;
}

/**
 * Picks a file through File → `item`: bytes, or a path on disk. A path is handed to Chromium as it is;
 * bytes travel through the DevTools protocol in base64, which took 74 s for a 47 MB ResNet-18 on this
 * loaded machine (a path: 6 s), so big files are passed by path.
 */
export async function importVia(page: Page, menu: string, item: string, name: string, file: Buffer | { readonly path: string }) {
  await page.getByRole('button', { name: menu, exact: true }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('menuitem', { name: item }).click();
  await (await chooser).setFiles(Buffer.isBuffer(file) ? { name, mimeType: 'application/octet-stream', buffer: file } : file.path);
}

/** Drops a file on the page the way a browser does: dragenter, dragover, drop with the file in the DataTransfer. */
export async function dropFile(page: Page, name: string, bytes: Uint8Array) {
  const dataTransfer = await page.evaluateHandle(
    ({ data, fileName }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], fileName));
      return dt;
    },
    { data: [...bytes], fileName: name },
  );
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  await page.dispatchEvent('body', 'dragover', { dataTransfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
}
