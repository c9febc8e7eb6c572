/**
 * `npx tsx scripts/bench-lesson-digits.ts [epochs] [seed…]`: can a student reach lesson 2's target? Trains the
 * lesson's own starting design (the MNIST CNN) on the bundled MNIST subset with the app's own compile,
 * training loop and test evaluation (the worker's path, tfjs CPU backend in Node) at the app's default
 * settings with the lesson's epochs, and prints the test accuracy per seed and, last, one JSON line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { compileDesign } from '../src/compile/compile.ts';
import { flattenDesign } from '../src/graph/blocks.ts';
import { classifyDigitsLesson, DIGITS_TARGET } from '../src/lesson/digits.ts';
import { loadBundledDataset } from '../src/train/datasets/bundled.ts';
import { toDatasetArrays } from '../src/train/datasets/split.ts';
import { evaluateSet } from '../src/train/evaluate.ts';
import { trainLoop } from '../src/train/loop.ts';
import { DEFAULT_CONFIG } from '../src/train/protocol.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const epochs = Number(process.argv[2] ?? 5);
const seeds = process.argv.slice(3).map(Number);

/** Serves public/datasets/ from disk, as the page's host would. */
const diskFetch = async (url: string) => new Response(readFileSync(path.join(ROOT, 'public', new URL(url).pathname)));

async function main() {
  await tf.setBackend('cpu');
  const data = toDatasetArrays(await loadBundledDataset('mnist', diskFetch, { baseUrl: 'http://netcanvas.test/datasets/' }));
  const design = flattenDesign(classifyDigitsLesson());
  const results: { seed: number; testAccuracy: number; seconds: number }[] = [];
  for (const seed of seeds.length > 0 ? seeds : [1, 2, 3]) {
    const compiled = await compileDesign(design);
    if (!compiled.ok) throw new Error('the lesson design does not compile');
    const t0 = performance.now();
    await trainLoop({ model: compiled.model, train: data.train, config: { ...DEFAULT_CONFIG, epochs, seed } }, { testCount: data.test.count, yieldToEvents: async () => {} });
    const test = await evaluateSet(compiled.model, data.test, null, DEFAULT_CONFIG.loss, data.classes.length);
    compiled.model.dispose();
    const row = { seed, testAccuracy: test.accuracy, seconds: Math.round((performance.now() - t0) / 1000) };
    console.log(`seed ${seed}: ${(100 * row.testAccuracy).toFixed(2)} % on ${data.test.count} test images after ${epochs} epochs (${row.seconds} s)`);
    results.push(row);
  }
  console.log(JSON.stringify({ epochs, target: DIGITS_TARGET, results, reached: results.filter((r) => 100 * r.testAccuracy >= DIGITS_TARGET).length }));
}

void main();
