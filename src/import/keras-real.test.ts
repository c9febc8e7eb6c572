/**
 * Real Keras 3 → NetCanvas (../shared/keras: Keras 3.16, numpy backend). NetCanvas's model_config.json
 * of each case is loaded by Keras (`keras.models.model_from_json`), given seeded random variables, and
 * written back by Keras itself: `model.to_json()` and `model.save('NAME.keras')`
 * (src/import/testing/keras_models.py). Both import: Keras's parameter counts, the same layers as the
 * design, and the `.keras` weights, compiled by tfjs, give Keras's `model.predict` on a fixed input within
 * TOLERANCE (max |difference| / max |output|) — every template, VGG-16 (553 MB of weights) and AlexNet included. Without the real Keras the test skips with a warning,
 * except under CI, where it fails.
 */
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import * as hdf5 from 'jsfive';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDesign } from '../compile/compile.ts';
import { flattenDesign } from '../graph/blocks.ts';
import { formatIssue, inferShapes, type Design } from '../graph/index.ts';
import { randomValidDesign } from '../graph/testing/random-design.ts';
import { loadTemplates, REPO_ROOT } from '../graph/testing/templates.ts';
import { planKeras } from '../export/keras.ts';
import { findKerasPython } from '../export/testing/python.ts';
import { applyDesignWeights } from '../train/weights-io.ts';
import { importKerasConfig, importKerasFile } from './keras.ts';
import { contiguousFloat32 } from './keras-weights.ts';

const TOLERANCE = 1e-4;
const RANDOM = 120;
const SCRIPT = path.join(REPO_ROOT, 'src/import/testing/keras_models.py');

const kerasPython = findKerasPython(REPO_ROOT);
let dir = '';
const counts = new Map<string, { trainable: number; nonTrainable: number }>();

/** One Input and one output (the script feeds one array and reads one), and no bilinear up-sampling (Keras 3 resizes with half-pixel centres; issue 9). */
const comparable = (d: Design) =>
  d.nodes.filter((n) => n.kind === 'Input').length === 1 && !d.nodes.some((n) => n.kind === 'UpSampling2D' && n.params.interpolation === 'bilinear');

const cases: { name: string; design: Design; weights: boolean }[] = [
  ...loadTemplates().map(({ file, design }) => ({ name: file.replace(/\.json$/, ''), design: flattenDesign(design), weights: true })),
  ...Array.from({ length: RANDOM }, (_, i) => randomValidDesign(1000 + i))
    .filter((d) => comparable(d) && inferShapes(d).order.filter((id) => !d.edges.some((e) => e.source === id)).length === 1)
    .map((design) => ({ name: design.name, design, weights: true })),
];

const f32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));

beforeAll(async () => {
  await tf.setBackend('cpu');
  if (!kerasPython) return;
  dir = mkdtempSync(path.join(tmpdir(), 'netcanvas-keras-import-'));
  for (const c of cases) writeFileSync(path.join(dir, `${c.name}.config.json`), JSON.stringify(planKeras(c.design, inferShapes(c.design)).config));
  const run = spawnSync(kerasPython, [SCRIPT, dir, ...cases.map((c) => (c.weights ? c.name : `${c.name}:config`))], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`Keras failed: ${run.stderr}`);
  for (const line of run.stdout.trim().split('\n')) {
    const r = JSON.parse(line) as { name: string; trainable: number; nonTrainable: number };
    counts.set(r.name, r);
  }
}, 1_200_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const kinds = (d: Design) => {
  const inference = inferShapes(d);
  return inference.order.map((id) => {
    const n = inference.nodes.get(id)!;
    return [n.kind, n.outputShape, n.trainableParams, n.nonTrainableParams];
  });
};

describe.skipIf(!kerasPython)('real Keras 3 → import', () => {
  it('cases', () => {
    expect(cases.length).toBeGreaterThan(20);
  });
  it("Keras's float32 variables are read as views of the file, equal to jsfive's own reading", () => {
    // A small model: jsfive's own reading (a plain Array, element by element) is the slow path being avoided.
    const name = 'mnist-cnn';
    const h5 = unzipSync(new Uint8Array(readFileSync(path.join(dir, `${name}.keras`))))['model.weights.h5'];
    const buffer = h5.slice().buffer;
    const root = new hdf5.File(buffer);
    let seen = 0;
    const walk = (group: hdf5.Group, at: string) => {
      for (const key of group.keys) {
        const item = group.get(key)!;
        if (!('shape' in item)) {
          walk(item, `${at}/${key}`);
          continue;
        }
        const fast = contiguousFloat32(item, buffer);
        expect(fast, `${at}/${key}`).not.toBeNull();
        expect(fast!.buffer).toBe(buffer);
        const slow = item.value;
        expect(fast!.length).toBe(slow.length);
        expect(fast!.every((v, i) => Object.is(v, Math.fround(slow[i]))), `${at}/${key}`).toBe(true);
        seen++;
      }
    };
    walk(root, '');
    // Every variable of the design's layers was found and checked.
    const design = cases.find((c) => c.name === name)!.design;
    expect(seen).toBe([...inferShapes(design).nodes.values()].reduce((n, info) => n + info.weights.length, 0));
  });
  for (const c of cases) {
    it(`${c.name}: Keras's to_json()${c.weights ? ' and .keras (logits)' : ''}`, async () => {
      const fromJson = importKerasConfig(readFileSync(path.join(dir, `${c.name}.keras.json`), 'utf8'), `${c.name}.json`);
      if (!fromJson.ok) throw new Error(formatIssue(fromJson.issue));
      const totals = inferShapes(fromJson.design).totals;
      expect(totals.trainableParams).toBe(counts.get(c.name)!.trainable);
      expect(totals.nonTrainableParams).toBe(counts.get(c.name)!.nonTrainable);
      // Keras lists parallel branches in its own order (GoogLeNet's inception branches): the same layers, maybe in another flow order.
      const sorted = (d: Design) => kinds(d).map((k) => JSON.stringify(k)).sort();
      expect(sorted(fromJson.design)).toEqual(sorted(c.design));
      expect(fromJson.design.edges.length).toBe(c.design.edges.length);
      if (!c.weights) return;

      const fromFile = await importKerasFile(new Uint8Array(readFileSync(path.join(dir, `${c.name}.keras`))), `${c.name}.keras`);
      if (!fromFile.ok) throw new Error(formatIssue(fromFile.issue));
      expect(sorted(fromFile.design)).toEqual(sorted(c.design));
      const compiled = await compileDesign(fromFile.design, { zeroInit: true });
      if (!compiled.ok) throw new Error(compiled.error ?? formatIssue(compiled.issues[0]));
      expect(applyDesignWeights(compiled, fromFile.weights)).toBe(fromFile.weights.size);
      const input = fromFile.design.nodes.find((n) => n.kind === 'Input')!;
      const shape = inferShapes(fromFile.design).nodes.get(input.id)!.outputShape as number[];
      const x = f32(readFileSync(path.join(dir, `${c.name}.input.bin`)));
      const expected = f32(readFileSync(path.join(dir, `${c.name}.logits.bin`)));
      const got = tf.tidy(() => (compiled.model.predict(tf.tensor(x, [1, ...shape])) as tf.Tensor).dataSync());
      compiled.model.dispose();
      let maxDiff = 0;
      let scale = 0;
      for (let i = 0; i < expected.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
        scale = Math.max(scale, Math.abs(expected[i]));
      }
      expect(got.length).toBe(expected.length);
      expect(maxDiff / Math.max(scale, 1e-6), `${c.name}: max |tfjs − Keras| ${maxDiff} over max |output| ${scale}`).toBeLessThan(TOLERANCE);
    }, 600_000);
  }
});
