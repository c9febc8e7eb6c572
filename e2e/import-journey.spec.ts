/**
 * Issue 13's "done means", as one user in real Chromium: a torchvision ResNet-18 written by real
 * `torch.onnx.export` (src/import/testing/torchvision_onnx.py) is opened through File → Import ONNX… and
 * shows torchvision's parameter counts and its shapes; the user gives it a smaller Input (32×32: no weight
 * depends on the image size, so the imported ones stay), loads a folder of their own images (4 classes),
 * lets the fit check set the head to 4 units, trains one step, and exports with Download all. Real torch
 * then loads the exported model.py with its weights.npz and must give the logits that the browser's
 * trained model gives for a fixed input, so the weights exported are the ones the step moved.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { flattenDesign } from '../src/graph/blocks.ts';
import { formatCount, formatShape, inferShapes } from '../src/graph/index.ts';
import { mulberry32 } from '../src/graph/random.ts';
import { REPO_ROOT } from '../src/graph/testing/templates.ts';
import { SHOTS, png } from './fixtures.ts';
import { importState, importVia, openDesign } from './import-fixtures.ts';

const PYTHON = '/usr/bin/python3';
const SIDE = 32;
const CLASSES = 4;
const PER_CLASS = 10;
const TOLERANCE = 1e-4;

interface Handle {
  store: { getState(): { weights: Map<string, Record<string, { data: Float32Array }>> | null } };
  trainingClient: { look(q: unknown): Promise<{ scores: Float32Array }> };
}

/** A sum over every weight value of the open design (null without weights): changes when any weight moves. */
const weightSum = (page: Page) =>
  page.evaluate(() => {
    const weights = (globalThis as unknown as { __netcanvas: Handle }).__netcanvas.store.getState().weights;
    if (!weights) return null;
    let sum = 0;
    for (const named of weights.values()) for (const t of Object.values(named)) for (let i = 0; i < t.data.length; i++) sum += Math.abs(t.data[i]);
    return sum;
  });

/** What real torch makes of the exported files: parameter count and logits for `pixels` (H×W×C, as the browser takes them). */
const TORCH_RUN = `
import importlib, json, sys
import numpy as np
import torch
sys.path.insert(0, sys.argv[1])
module = importlib.import_module("model")
Model = next(v for v in vars(module).values() if isinstance(v, type) and hasattr(v, "INPUT_SHAPES"))
model = Model(weights=module.WEIGHTS_FILE).eval()
pixels = np.array(json.load(sys.stdin), dtype=np.float32).reshape(${SIDE}, ${SIDE}, 3)
x = torch.from_numpy(pixels.transpose(2, 0, 1).copy()).unsqueeze(0)
with torch.no_grad():
    logits = model(x)
print(json.dumps({"params": sum(p.numel() for p in model.parameters()), "logits": logits[0].tolist()}))
`;

test('a torchvision ResNet-18 from torch.onnx.export: opened, given a 4-class head, trained a step, exported to PyTorch with its weights, which real torch runs to the browser\'s logits', async ({ page }, info) => {
  test.setTimeout(240_000);
  const dir = info.outputPath('journey');
  mkdirSync(dir, { recursive: true });
  const made = spawnSync(PYTHON, [join(REPO_ROOT, 'src/import/testing/torchvision_onnx.py'), dir, '17', 'resnet18'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`torch.onnx.export failed: ${made.stderr}`);
  // torchvision's parameters are the design's trainable ones; its BatchNorm buffers the non-trainable ones.
  const torchvision = JSON.parse(made.stdout.trim().split('\n').at(-1)!) as { params: number; buffers: number };
  const t0 = Date.now();
  const mark = (what: string) => console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);

  // Open: torchvision's parameter count in the status bar, each layer's shape on the canvas.
  await page.goto('/');
  await openDesign(page);
  await importVia(page, 'File', 'Import ONNX…', 'resnet18.onnx', { path: join(dir, 'resnet18.onnx') });
  await expect.poll(async () => (await importState(page)).source, { timeout: 60_000 }).toEqual({ type: 'file', name: 'resnet18.onnx' });
  const imported = (await importState(page)).design!;
  mark('imported');
  const totals = inferShapes(flattenDesign(imported)).totals;
  expect([totals.trainableParams, totals.nonTrainableParams]).toEqual([torchvision.params, torchvision.buffers]);
  await expect(page.getByTestId('status-bar')).toContainText(formatCount(torchvision.params, 'en'));
  await expect(page.getByTestId('status-bar')).toContainText(formatCount(torchvision.buffers, 'en'));
  // The layers on screen at first (the canvas draws only those in view): their shapes as src/graph infers them.
  const inference = inferShapes(flattenDesign(imported));
  const input = imported.nodes.find((n) => n.kind === 'Input')!;
  const stem = imported.nodes.filter((n) => n.kind !== 'Input').slice(0, 4);
  expect(stem.map((n) => n.kind)).toEqual(['Conv2D', 'BatchNorm', 'Activation', 'MaxPool2D']);
  for (const node of [input, ...stem]) await expect(page.getByTestId(`node-shape-${node.id}`)).toHaveText(`→ ${formatShape(inference.nodes.get(node.id)!.outputShape)}`);
  await page.screenshot({ path: join(SHOTS, 'import-journey-opened.png') });

  // A smaller Input, as a user with small images sets it: the parameters and the imported weights stay.
  const before = await weightSum(page);
  expect(before).not.toBeNull();
  await page.locator(`.react-flow__node[data-id="${input.id}"]`).click();
  const entries = page.getByLabel(/^shape \(/);
  await entries.nth(0).fill(String(SIDE));
  await entries.nth(1).fill(String(SIDE));
  await expect(page.getByTestId(`node-shape-${input.id}`)).toHaveText(`→ ${formatShape([SIDE, SIDE, 3])}`);
  await expect(page.getByTestId('status-bar')).toContainText(formatCount(torchvision.params, 'en'));
  expect(await weightSum(page)).toBe(before);

  // A folder of the user's own images, one sub-folder per class, loaded as a user picks it.
  const images = join(dir, 'images');
  for (let c = 0; c < CLASSES; c++) {
    const cls = join(images, `class-${c}`);
    mkdirSync(cls, { recursive: true });
    for (let i = 0; i < PER_CLASS; i++) writeFileSync(join(cls, `${i}.png`), png(SIDE, SIDE, (x, y) => ((x * (c + 1) + y * (i + 3)) % 17) * 15, true));
  }
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('folder-input').setInputFiles(images);
  await expect(page.getByTestId('data-summary')).toContainText(`${CLASSES} classes`, { timeout: 60_000 });
  mark('images loaded');
  // ImageNet's 1,000 outputs do not fit 4 classes: the fit check's one-click fix sets the fc's units.
  const fit = page.getByTestId('fit-check');
  await expect(fit).toContainText(`${CLASSES} classes`);
  await fit.getByRole('button', { name: /Fix/ }).first().click();
  await expect(fit).toContainText('The network and the data fit.');
  // The app keeps trained weights only while every one of them fits the design (src/store/weights-fit.ts),
  // so a new head sends the whole network back to fresh weights; should the layers that still fit keep
  // theirs one day, the run continues from them.
  const fixed = await weightSum(page);

  // One step (one batch of 8), on the CPU-friendly WASM backend.
  await page.getByTestId('optimizer').selectOption('sgd');
  await page.getByTestId('learning-rate').fill('0.05');
  await page.getByTestId('batch-size').fill('8');
  await page.getByTestId('epochs').fill('1');
  await page.getByTestId('batch-limit').fill('1');
  await page.getByTestId('validation-split').fill('0');
  await page.getByTestId('backend-choice').selectOption('wasm');
  await page.getByTestId('train-start').click();
  if (fixed !== null) await page.getByTestId('train-continue').click();
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-phase', 'done', { timeout: 120_000 });
  mark('trained');
  const after = await weightSum(page);
  expect(after).not.toBeNull();
  expect(after).not.toBe(fixed);

  // The browser's trained model on a fixed input: its logits (the fc has no activation).
  const random = mulberry32(13);
  const pixels = Array.from({ length: SIDE * SIDE * 3 }, () => random());
  const browser = await page.evaluate(async (values) => {
    const { trainingClient } = (globalThis as unknown as { __netcanvas: Handle }).__netcanvas;
    const look = await trainingClient.look({ kind: 'activations', nodeIds: [], input: { pixels: new Float32Array(values) } });
    return Array.from(look.scores);
  }, pixels);
  expect(browser.length).toBe(CLASSES);

  // Export: Download all, whose pytorch/ folder holds model.py and the trained weights.
  await page.getByRole('tab', { name: 'Code' }).click();
  const downloading = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Download all (.zip)' }).click();
  const files = unzipSync(readFileSync((await (await downloading).path())!), { filter: (f) => f.name.startsWith('pytorch/') });
  mark('downloaded');
  const exported = join(dir, 'pytorch');
  mkdirSync(exported, { recursive: true });
  for (const name of ['model.py', 'weights.npz']) writeFileSync(join(exported, name), files[`pytorch/${name}`]);

  const run = spawnSync(PYTHON, ['-c', TORCH_RUN, exported], { input: JSON.stringify(pixels), encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`the exported model did not run under torch: ${run.stderr}`);
  mark('run by torch');
  const torch = JSON.parse(run.stdout) as { params: number; logits: number[] };
  expect(torch.params).toBe(inferShapes(flattenDesign((await importState(page)).design!)).totals.trainableParams);
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < CLASSES; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(torch.logits[i] - browser[i]));
    scale = Math.max(scale, Math.abs(browser[i]));
  }
  console.log(`ResNet-18 after one step: max |torch − browser| ${maxDiff} over max |logit| ${scale}`);
  expect(maxDiff / scale).toBeLessThan(TOLERANCE);
});
