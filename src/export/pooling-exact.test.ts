/**
 * Exact pooling (explicit pads, ceil mode, count_include_pad) against outside judges, on seeded random
 * pooling layers over signed inputs (where zero padding and −∞ padding differ): the app's tfjs model
 * against PyTorch's own F.max_pool2d / F.avg_pool2d wherever PyTorch can state the layer (even pads up to
 * half the window), against the exported model.py under torch, the exported model.onnx under
 * onnxruntime-web and the Keras export (model.py and model_config.json) under the real Keras 3.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDesign } from '../compile/compile.ts';
import { DesignBuilder, inferShapes, type Design } from '../graph/index.ts';
import { Rng } from '../graph/testing/rng.ts';
import { randomPoolParams } from '../graph/testing/random-design.ts';
import { REPO_ROOT } from '../graph/testing/templates.ts';
import { exportKeras } from './keras.ts';
import { npz, type NdArray } from './npz.ts';
import { exportOnnx } from './onnx.ts';
import { exportPytorch } from './pytorch.ts';
import { findKerasPython, findPython, runPython } from './testing/python.ts';
import type { ExportFile } from './types.ts';

const LAYERS = 120;
const TOLERANCE = 1e-5;

const torchPython = findPython(['torch', 'numpy']);
const kerasPython = findKerasPython(REPO_ROOT);
let work = '';

interface PoolCase {
  readonly name: string;
  readonly dir: string;
  readonly kind: 'MaxPool2D' | 'AvgPool2D';
  readonly params: Readonly<Record<string, unknown>>;
  readonly design: Design;
  readonly input: NdArray;
  /** The tfjs model's output, channels-last. */
  readonly expected: NdArray;
}

/** Seeded pooling layers over inputs of 3–13 pixels a side, keeping those inference accepts; a third are PyTorch-stateable by construction. */
async function poolCases(): Promise<PoolCase[]> {
  const rng = new Rng(2024);
  const cases: PoolCase[] = [];
  for (let i = 0; cases.length < LAYERS; i++) {
    const kind = rng.bool() ? 'MaxPool2D' : 'AvgPool2D';
    const params = randomPoolParams(rng, kind);
    if (i % 3 === 0 && params.padding !== 'same') {
      // PyTorch's own form: even pads, each at most half the window.
      const [kh, kw] = params.pool_size as number[];
      const [t, l] = [rng.int(0, Math.floor(kh / 2)), rng.int(0, Math.floor(kw / 2))];
      Object.assign(params, { padding: 'explicit', pads: [t, t, l, l] });
    }
    const shape = [rng.int(3, 13), rng.int(3, 13), rng.int(1, 3)];
    const b = new DesignBuilder(`pool-${i}`);
    b.add(kind, params, [b.add('Input', { shape }, [], { id: 'input' })], { id: 'pool' });
    const design = b.build();
    const inference = inferShapes(design);
    if ([...inference.nodes.values()].some((n) => n.issues.some((issue) => issue.severity === 'error'))) continue;
    const built = await compileDesign(design);
    if (!built.ok) throw new Error(`pool-${i}: ${JSON.stringify(built.issues)}`);
    // Signed values, so a zero that stands in for −∞ would win a max and show.
    const x = tf.randomNormal([2, ...shape], -0.5, 1, 'float32', i + 1);
    const y = built.model.predict(x) as tf.Tensor;
    const toNd = (t: tf.Tensor): NdArray => ({ shape: t.shape, data: t.dataSync() as Float32Array });
    cases.push({ name: `pool-${i}`, dir: path.join(work, `pool-${i}`), kind, params: { ...built.inference.nodes.get('pool')!.params }, design, input: toNd(x), expected: toNd(y) });
    tf.dispose([x, y]);
    built.model.dispose();
  }
  return cases;
}

function writeFiles(dir: string, files: readonly ExportFile[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(path.join(dir, f.path), f.content);
}

function ok<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result as Extract<T, { ok: true }>;
}

/** PyTorch's own pooling where it can state the layer, and the exported model.py, each against tfjs. */
const TORCH_SCRIPT = String.raw`
import importlib.util, json, sys
import numpy as np, torch
import torch.nn.functional as F
out = []
for case in json.loads(sys.stdin.read()):
    arrays = np.load(case["dir"] + "/arrays.npz")
    x = torch.from_numpy(np.moveaxis(arrays["input"], -1, 1).copy())
    want = arrays["expected"].astype(np.float64)
    p = case["params"]
    diff = lambda y: float(np.max(np.abs(np.moveaxis(y.double().numpy(), 1, -1) - want))) if tuple(y.shape) == tuple(np.moveaxis(want, -1, 1).shape) else float("inf")
    result = {"name": case["name"]}
    t, b, l, r = p.get("pads", [0, 0, 0, 0]) if p["padding"] == "explicit" else [0, 0, 0, 0]
    kh, kw = p["pool_size"]
    if p["padding"] != "same" and t == b and l == r and 2 * t <= kh and 2 * l <= kw:
        args = dict(kernel_size=tuple(p["pool_size"]), stride=tuple(p["strides"]), padding=(t, l), ceil_mode=p["ceil_mode"])
        if case["kind"] == "MaxPool2D":
            y = F.max_pool2d(x, **args)
        else:
            y = F.avg_pool2d(x, count_include_pad=p["padding"] == "explicit" and p["count_include_pad"], **args)
        result["torch"] = diff(y)
    spec = importlib.util.spec_from_file_location("m_" + case["name"].replace("-", "_"), case["dir"] + "/model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = getattr(module, case["className"])().eval()
    with torch.no_grad():
        result["export"] = diff(model(x))
    out.append(result)
print(json.dumps(out))
`;

/** The Keras export: model_config.json through model_from_json, and model.py's build_model, each against tfjs. */
const KERAS_SCRIPT = String.raw`
import importlib.util, json, sys
import numpy as np, keras
out = []
for case in json.loads(sys.stdin.read()):
    arrays = np.load(case["dir"] + "/arrays.npz")
    want = arrays["expected"].astype(np.float64)
    x = arrays["input"]
    case["dir"] += "/keras"
    result = {"name": case["name"]}
    with open(case["dir"] + "/model_config.json") as f:
        from_json = keras.models.model_from_json(f.read())
    spec = importlib.util.spec_from_file_location("k_" + case["name"].replace("-", "_"), case["dir"] + "/model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for key, model in (("json", from_json), ("py", module.build_model())):
        y = np.asarray(model(x)).astype(np.float64)
        result[key] = float(np.max(np.abs(y - want))) if y.shape == want.shape else float("inf")
    out.append(result)
print(json.dumps(out))
`;

let cases: PoolCase[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  ort.env.wasm.numThreads = 1;
  work = mkdtempSync(path.join(tmpdir(), 'netcanvas-pooling-'));
  cases = await poolCases();
  for (const c of cases) {
    writeFiles(c.dir, ok(exportPytorch(c.design)).files);
    writeFiles(path.join(c.dir, 'keras'), ok(exportKeras(c.design)).files);
    writeFileSync(path.join(c.dir, 'arrays.npz'), npz(new Map([['input', c.input], ['expected', c.expected]])));
  }
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const worst = (values: number[]) => Math.max(0, ...values);

describe('exact pooling: every target computes the tfjs model on signed inputs', () => {
  it('the random layers cover pads, uneven pads, pads above half the window, ceil mode and both divisors', () => {
    const explicit = cases.filter((c) => c.params.padding === 'explicit');
    const pads = (c: PoolCase) => c.params.pads as number[];
    const halves = (c: PoolCase) => [0, 1, 2, 3].some((i) => 2 * pads(c)[i] > (c.params.pool_size as number[])[i < 2 ? 0 : 1]);
    const seen = {
      explicit: explicit.length,
      uneven: explicit.filter((c) => pads(c)[0] !== pads(c)[1] || pads(c)[2] !== pads(c)[3]).length,
      aboveHalf: explicit.filter(halves).length,
      ceil: cases.filter((c) => c.params.ceil_mode && c.params.padding !== 'same').length,
      includePad: explicit.filter((c) => c.params.count_include_pad === true).length,
      excludePad: explicit.filter((c) => c.kind === 'AvgPool2D' && c.params.count_include_pad === false).length,
    };
    console.log(`pooling cases: ${cases.length}, ${JSON.stringify(seen)}`);
    for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(3);
  });

  it.skipIf(!torchPython)(`PyTorch's own F.max_pool2d / F.avg_pool2d and the exported model.py equal tfjs within ${TOLERANCE}`, () => {
    const manifest = cases.map((c) => ({ name: c.name, dir: c.dir, kind: c.kind, params: c.params, className: classNameOf(c) }));
    const results = JSON.parse(runPython(torchPython!, TORCH_SCRIPT, JSON.stringify(manifest))) as { name: string; torch?: number; export: number }[];
    const native = results.filter((r) => r.torch !== undefined);
    console.log(
      `pooling vs torch: ${native.length} layers PyTorch states itself, max |F.*pool2d − tfjs| = ${worst(native.map((r) => r.torch!)).toExponential(2)}; ` +
        `${results.length} exported, max |model.py − tfjs| = ${worst(results.map((r) => r.export)).toExponential(2)}`,
    );
    expect(native.length).toBeGreaterThan(20);
    expect(results.filter((r) => !(r.export <= TOLERANCE) || !((r.torch ?? 0) <= TOLERANCE))).toEqual([]);
  }, 120_000);

  it(`the exported model.onnx under onnxruntime-web equals tfjs within ${TOLERANCE}`, async () => {
    const bad: string[] = [];
    let max = 0;
    for (const c of cases) {
      const bytes = ok(exportOnnx(c.design)).files.find((f) => f.path === 'model.onnx')!.content as Uint8Array;
      const session = await ort.InferenceSession.create(bytes);
      try {
        const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', c.input.data as Float32Array, c.input.shape) };
        const got = (await session.run(feeds))[session.outputNames[0]];
        // The model's outputs stay channels-last, as the tfjs model's.
        const data = got.data as Float32Array;
        if (got.dims.join() !== c.expected.shape.join()) {
          bad.push(`${c.name}: onnxruntime ${got.dims.join('×')} vs tfjs ${c.expected.shape.join('×')}`);
          continue;
        }
        let d = 0;
        for (let j = 0; j < data.length; j++) d = Math.max(d, Math.abs(data[j] - c.expected.data[j]));
        max = Math.max(max, d);
        if (!(d <= TOLERANCE)) bad.push(`${c.name} ${JSON.stringify(c.params)}: max diff ${d}`);
      } finally {
        await session.release();
      }
    }
    console.log(`pooling vs onnxruntime-web: ${cases.length} layers, max |onnx − tfjs| = ${max.toExponential(2)}`);
    expect(bad).toEqual([]);
  }, 120_000);

  it.skipIf(!kerasPython)(`the Keras export (model_config.json and model.py) under the real Keras 3 equals tfjs within ${TOLERANCE}`, () => {
    const manifest = cases.map((c) => ({ name: c.name, dir: c.dir }));
    const results = JSON.parse(runPython(kerasPython!, KERAS_SCRIPT, JSON.stringify(manifest))) as { name: string; json: number; py: number }[];
    console.log(`pooling vs Keras 3: ${results.length} layers, max |keras − tfjs| = ${worst(results.flatMap((r) => [r.json, r.py])).toExponential(2)}`);
    expect(results.filter((r) => !(r.json <= TOLERANCE) || !(r.py <= TOLERANCE))).toEqual([]);
  }, 300_000);
});

/** The class model.py defines, as the exporter named it. */
function classNameOf(c: PoolCase): string {
  const code = ok(exportPytorch(c.design)).files.find((f) => f.path === 'model.py')!.content as string;
  return /^class (\w+)\(nn\.Module\)/m.exec(code)![1];
}
