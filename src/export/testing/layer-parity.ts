/**
 * Test support (imported by tests only): one-layer designs judged against outside implementations. Each
 * case is written out once (the PyTorch and Keras exports, and arrays.npz with the input and the tfjs
 * model's output, channels-last) and then run by the exported model.py under torch (with the test's own
 * call of PyTorch's function beside it), by model.onnx under onnxruntime-web and by both Keras files
 * under the real Keras 3. Every judge answers the max |difference| from the tfjs output per case.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-web';
import type { Design } from '../../graph/index.ts';
import { exportKeras } from '../keras.ts';
import { npz, type NdArray } from '../npz.ts';
import { exportOnnx } from '../onnx.ts';
import { exportPytorch } from '../pytorch.ts';
import { wholeContent, type ExportFile } from '../types.ts';
import { runPython } from './python.ts';

export interface LayerCase {
  readonly name: string;
  readonly dir: string;
  readonly design: Design;
  /** The layer's parameters as inference resolved them, and anything else the PyTorch snippet reads as `p`. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly input: NdArray;
  /** The tfjs model's output, channels-last. */
  readonly expected: NdArray;
  /** More arrays for the PyTorch snippet (arrays.npz). */
  readonly extra?: ReadonlyMap<string, NdArray>;
}

export function ok<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result as Extract<T, { ok: true }>;
}

function writeFiles(dir: string, files: readonly ExportFile[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(path.join(dir, f.path), wholeContent(f.content));
}

/** Writes the case's PyTorch export, its Keras export (under keras/) and arrays.npz into its folder. */
export function writeCase(c: LayerCase): void {
  writeFiles(c.dir, ok(exportPytorch(c.design)).files);
  writeFiles(path.join(c.dir, 'keras'), ok(exportKeras(c.design)).files);
  writeFileSync(path.join(c.dir, 'arrays.npz'), npz(new Map([['input', c.input], ['expected', c.expected], ...(c.extra ?? [])])));
}

/** The class model.py defines, as the exporter named it. */
function classNameOf(design: Design): string {
  const code = ok(exportPytorch(design)).files.find((f) => f.path === 'model.py')!.content as string;
  return /^class (\w+)\(nn\.Module\)/m.exec(code)![1];
}

/**
 * The exported model.py under torch, against tfjs; `native` is Python run first for each case with `x`
 * (NCHW torch tensor), `arrays`, `p` (the params), `case`, `diff(y)` (NCHW result against tfjs) and
 * `result` (a dict it may add figures to, e.g. result["torch"] = diff(F.something(x))).
 */
const torchScript = (native: string) => String.raw`
import importlib.util, json, sys
import numpy as np, torch
import torch.nn.functional as F
out = []
for case in json.loads(sys.stdin.read()):
    arrays = np.load(case["dir"] + "/arrays.npz")
    x = torch.from_numpy(np.moveaxis(arrays["input"], -1, 1).copy())
    want = arrays["expected"].astype(np.float64)
    p = case["params"]
    diff = lambda y: float(np.max(np.abs(np.moveaxis(y.detach().double().numpy(), 1, -1) - want))) if tuple(y.shape) == tuple(np.moveaxis(want, -1, 1).shape) else float("inf")
    result = {"name": case["name"]}
${native.replace(/^/gm, '    ')}
    spec = importlib.util.spec_from_file_location("m_" + case["name"].replace("-", "_"), case["dir"] + "/model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = getattr(module, case["className"])().eval()
    with torch.no_grad():
        result["export"] = diff(model(x))
    out.append(result)
print(json.dumps(out))
`;

export type TorchResult = { name: string; export: number } & Record<string, number | string>;

export function torchDiffs(python: string, cases: readonly LayerCase[], native: string): TorchResult[] {
  const manifest = cases.map((c) => ({ name: c.name, dir: c.dir, params: c.params, className: classNameOf(c.design) }));
  return JSON.parse(runPython(python, torchScript(native), JSON.stringify(manifest))) as TorchResult[];
}

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

export function kerasDiffs(python: string, cases: readonly LayerCase[]): { name: string; json: number; py: number }[] {
  const manifest = cases.map((c) => ({ name: c.name, dir: c.dir }));
  return JSON.parse(runPython(python, KERAS_SCRIPT, JSON.stringify(manifest))) as { name: string; json: number; py: number }[];
}

/** The exported model.onnx under onnxruntime-web, against tfjs (Infinity when the output shape differs). */
export async function onnxDiffs(cases: readonly LayerCase[]): Promise<{ name: string; diff: number }[]> {
  const out: { name: string; diff: number }[] = [];
  for (const c of cases) {
    const bytes = ok(exportOnnx(c.design)).files.find((f) => f.path === 'model.onnx')!.content as Uint8Array;
    const session = await ort.InferenceSession.create(bytes);
    try {
      const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', c.input.data as Float32Array, c.input.shape) };
      const got = (await session.run(feeds))[session.outputNames[0]];
      // The model's outputs stay channels-last, as the tfjs model's.
      const data = got.data as Float32Array;
      let d = got.dims.join() === c.expected.shape.join() ? 0 : Infinity;
      for (let j = 0; d < Infinity && j < data.length; j++) d = Math.max(d, Math.abs(data[j] - c.expected.data[j]));
      out.push({ name: c.name, diff: d });
    } finally {
      await session.release();
    }
  }
  return out;
}

export const worst = (values: readonly number[]) => Math.max(0, ...values);
