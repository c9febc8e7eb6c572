/**
 * Real PyTorch → ONNX → NetCanvas: Debian's torch/torchvision export torchvision architectures (random
 * weights, nothing downloaded; testing/torchvision_onnx.py), the import must give torchvision's parameter
 * counts (parameters as trainable, BatchNorm buffers as non-trainable), and the imported design, compiled
 * by tfjs with the imported weights, must give torchvision's logits on a fixed input within 1e-4
 * (max |difference| / max |logit|). MODELS can be changed with NETCANVAS_TORCH_MODELS=a,b,… (resnet50 and
 * densenet121 pass too; left out of the default run for time), the opset with NETCANVAS_TORCH_OPSET.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDesign } from '../compile/compile.ts';
import { flattenDesign, formatIssue, inferShapes } from '../graph/index.ts';
import { applyDesignWeights } from '../train/weights-io.ts';
import { findPython } from '../export/testing/python.ts';
import { importOnnx } from './onnx.ts';

const MODELS = (process.env.NETCANVAS_TORCH_MODELS ?? 'squeezenet1_0,mobilenet_v2,resnet18,googlenet,vgg11,upsample_bilinear').split(',');
const OPSET = Number(process.env.NETCANVAS_TORCH_OPSET ?? 13);
const TOLERANCE = 1e-4;
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing', 'torchvision_onnx.py');

const python = findPython(['torch', 'torchvision', 'onnx']);
let dir: string;
const counts = new Map<string, { params: number; buffers: number }>();

const f32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));

beforeAll(async () => {
  await tf.setBackend('cpu');
  if (!python) return;
  dir = mkdtempSync(path.join(tmpdir(), 'netcanvas-torch-import-'));
  const run = spawnSync(python, [SCRIPT, dir, String(OPSET), ...MODELS], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`torchvision export failed: ${run.stderr}`);
  for (const line of run.stdout.trim().split('\n')) {
    const r = JSON.parse(line) as { name: string; params: number; buffers: number };
    counts.set(r.name, r);
  }
}, 1_200_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!python)(`torchvision → torch.onnx.export (opset ${OPSET}) → import`, () => {
  MODELS.forEach((name, k) => {
    // Half of them handed over as the app and the CLI do (weights reordered inside the file's buffer).
    const consume = k % 2 === 0;
    it(`${name}${consume ? ' (file handed over)' : ''}: torchvision's parameter counts and logits`, async () => {
      const result = importOnnx(new Uint8Array(readFileSync(path.join(dir, `${name}.onnx`))), `${name}.onnx`, { consume });
      if (!result.ok) throw new Error(formatIssue(result.issue));
      // The import arrives grouped into blocks by module path; ResNets fold to their stages.
      if (name.startsWith('resnet')) {
        expect(result.design.instances?.length ?? 0, `${name}: grouped into blocks`).toBeGreaterThan(0);
        expect(result.design.nodes.length + (result.design.instances ?? []).length, `${name}: top-level nodes`).toBeLessThanOrEqual(15);
      }
      const totals = inferShapes(flattenDesign(result.design)).totals;
      expect(totals.trainableParams).toBe(counts.get(name)!.params);
      expect(totals.nonTrainableParams).toBe(counts.get(name)!.buffers);

      const compiled = await compileDesign(result.design, { zeroInit: true });
      if (!compiled.ok) throw new Error(compiled.error ?? formatIssue(compiled.issues[0]));
      expect(applyDesignWeights(compiled, result.weights)).toBe(result.weights.size);
      const x = f32(readFileSync(path.join(dir, `${name}.input.bin`)));
      const expected = f32(readFileSync(path.join(dir, `${name}.logits.bin`)));
      const got = tf.tidy(() => (compiled.model.predict(tf.tensor(x, [1, 3, 224, 224]).transpose([0, 2, 3, 1])) as tf.Tensor).dataSync());
      compiled.model.dispose();
      let maxDiff = 0;
      let scale = 0;
      for (let i = 0; i < expected.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
        scale = Math.max(scale, Math.abs(expected[i]));
      }
      expect(got.length).toBe(expected.length);
      expect(maxDiff / scale, `${name}: max |tfjs − torch| ${maxDiff} over max |logit| ${scale}`).toBeLessThan(TOLERANCE);
    }, 600_000);
  });
});
