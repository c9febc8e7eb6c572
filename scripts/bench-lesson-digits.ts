/**
 * `npx tsx scripts/bench-lesson-digits.ts [epochs] [seed…]` (default: the lesson's epochs, seeds 1 2 3):
 * can a student reach lesson 2's target? Trains the
 * lesson's own starting design (the MNIST CNN) on the bundled MNIST subset with the app's own compile,
 * training loop and test evaluation (the worker's path) on tfjs's wasm backend with the app's training
 * kernels (src/train/wasm-kernels.ts; Node loads the .wasm files from node_modules), at the app's default
 * settings with the lesson's epochs, and prints the test accuracy per seed and, last, one JSON line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { compileDesign } from '../src/compile/compile.ts';
import { flattenDesign } from '../src/graph/blocks.ts';
import { classifyDigitsLesson, DIGITS_EPOCHS, DIGITS_TARGET } from '../src/lesson/digits.ts';
import { loadBundledDataset } from '../src/train/datasets/bundled.ts';
import { toDatasetArrays } from '../src/train/datasets/split.ts';
import { evaluateSet } from '../src/train/evaluate.ts';
import { trainLoop } from '../src/train/loop.ts';
import { DEFAULT_CONFIG } from '../src/train/protocol.ts';
import { registerWasmTrainingKernels } from '../src/train/wasm-kernels.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const epochs = Number(process.argv[2] ?? DIGITS_EPOCHS);
const seeds = process.argv.slice(3).map(Number);
console.log(`backend: wasm, config: ${JSON.stringify({ ...DEFAULT_CONFIG, epochs })}`);

/** Serves public/datasets/ from disk, as the page's host would. */
const diskFetch = async (url: string) => new Response(readFileSync(path.join(ROOT, 'public', new URL(url).pathname)));

async function main() {
  registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend does not start');
  const data = toDatasetArrays(await loadBundledDataset('mnist', diskFetch, { baseUrl: 'http://netcanvas.test/datasets/' }));
  const design = flattenDesign(classifyDigitsLesson());
  const results: { seed: number; testAccuracy: number; seconds: number }[] = [];
  for (const seed of seeds.length > 0 ? seeds : [1, 2, 3]) {
    const compiled = await compileDesign(design);
    if (!compiled.ok) throw new Error('the lesson design does not compile');
    const t0 = performance.now();
    await trainLoop({ model: compiled.model, train: data.train, config: { ...DEFAULT_CONFIG, epochs, seed } }, {
      testCount: data.test.count,
      yieldToEvents: async () => {},
      onEpoch: (e) => console.log(`  seed ${seed}, epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, validation accuracy ${e.valAcc === null ? '–' : (100 * e.valAcc).toFixed(2)} %`),
    });
    const test = await evaluateSet(compiled.model, data.test, null, DEFAULT_CONFIG.loss, data.classes.length);
    compiled.model.dispose();
    const row = { seed, testAccuracy: test.accuracy, seconds: Math.round((performance.now() - t0) / 1000) };
    console.log(`seed ${seed}: ${(100 * row.testAccuracy).toFixed(2)} % on ${data.test.count} test images after ${epochs} epochs (${row.seconds} s)`);
    results.push(row);
  }
  console.log(JSON.stringify({ epochs, target: DIGITS_TARGET, results, reached: results.filter((r) => 100 * r.testAccuracy >= DIGITS_TARGET).length }));
}

void main();
