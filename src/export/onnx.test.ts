/**
 * The ONNX export against two outside judges: Python's onnx package (checker and strict shape inference,
 * whose inferred shape for every node's tensor must equal ours) and onnxruntime-web (wasm, in Node),
 * whose outputs must equal the tfjs model's within 1e-4 on random inputs with random weights moved across.
 * Every template and RANDOM_DESIGNS seeded random designs.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDesign } from '../compile/compile.ts';
import { randomValidDesign } from '../graph/testing/random-design.ts';
import { DesignBuilder, inferShapes, type Design, type OnnxLayout } from '../graph/index.ts';
import { transpose } from './npz.ts';
import { buildOnnx, exportOnnx, initialWeights, type OnnxBuild, type OnnxNodeInfo } from './onnx.ts';
import { encodeOnnxModel, type OnnxModel } from './onnx-proto.ts';
import { loadTemplates } from '../graph/testing/templates.ts';
import { randomInputs, randomizeWeights, weightsFromModel } from '../compile/testing/model-weights.ts';
import { findPython, runPython } from './testing/python.ts';

const RANDOM_DESIGNS = 150;
const TOLERANCE = 1e-4;
const BATCH = 2;

const templates = loadTemplates();
let workDir: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  ort.env.wasm.numThreads = 1;
  workDir = mkdtempSync(path.join(tmpdir(), 'netcanvas-onnx-'));
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A model written for the Python check, with the ONNX dims we expect for every node's tensor. */
interface Exported {
  readonly label: string;
  readonly file: string;
  readonly expected: Record<string, (number | string)[]>;
}

interface Comparison {
  readonly exported: Exported;
  /** Max |onnxruntime − tfjs| over the model's outputs. */
  readonly maxDiff: number;
  readonly problems: string[];
}

/**
 * Compiles the design in tfjs, gives it random weights, exports those to ONNX and runs both on the same
 * random inputs. The outputs must agree within 1e-4; with `probe`, so must every node's own output
 * (relative to its magnitude), so a wrong layout anywhere is caught where it happens, not only where it
 * survives to the output.
 */
async function roundTrip(
  label: string,
  design: Design,
  seed: number,
  opts: { batch: number; probe: boolean; backend?: 'cpu' | 'wasm' },
): Promise<Comparison> {
  await tf.setBackend(opts.backend ?? 'cpu');
  const built = await compileDesign(design, { zeroInit: true });
  if (!built.ok) throw new Error(`${label} does not compile: ${built.error ?? built.issues.map((i) => i.code).join()}`);
  const xs = randomInputs(built, opts.batch, seed + 1);
  try {
    randomizeWeights(built, seed);
    const weights = weightsFromModel(built);
    const result = exportOnnx(design, { weights });
    if (!result.ok) throw new Error(`${label}: export failed: ${result.issues.map((i) => i.code).join()}`);
    const bytes = result.files.find((f) => f.path === 'model.onnx')!.content as Uint8Array;
    const file = path.join(workDir, `${label}.onnx`);
    writeFileSync(file, bytes);
    const build = buildOnnx(design, built.inference, weights, true);
    const exported = { label, file, expected: expectedDims(design, build) };
    const problems: string[] = [];
    // One tfjs pass gives the outputs and, when probing, every inner node's output after them.
    const inner = opts.probe ? build.nodes.filter((n) => n.kind !== 'Input' && !build.outputs.includes(n.tensor)) : [];
    const symbolic = inner.map((n) => built.model.getLayer(built.layerNames.get(n.nodeId)!).output as tf.SymbolicTensor);
    const expected = predictAll(built.model, [...built.model.outputs, ...symbolic], xs);
    const got = await runOrt(bytes, build.inputs, build.outputs, xs);
    let maxDiff = 0;
    build.outputs.forEach((name, i) => {
      const d = difference(got[i], expected[i], 'channels-last');
      if (typeof d === 'string') problems.push(`output ${name}: ${d}`);
      else maxDiff = Math.max(maxDiff, d.abs);
    });
    if (inner.length > 0) problems.push(...(await probeNodes(design, build, inner, expected.slice(build.outputs.length), xs)));
    return { exported, maxDiff, problems };
  } finally {
    tf.dispose(xs);
    built.model.dispose();
  }
}

interface Values {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

function predictAll(model: tf.LayersModel, outputs: tf.SymbolicTensor[], xs: tf.Tensor[]): Values[] {
  const probe = outputs.length === model.outputs.length ? model : tf.model({ inputs: model.inputs, outputs });
  const y = probe.predict(xs.length === 1 ? xs[0] : xs);
  const ys = Array.isArray(y) ? y : [y];
  const out = ys.map((t) => ({ dims: t.shape, data: t.dataSync() as Float32Array }));
  tf.dispose(ys);
  return out;
}

async function runOrt(bytes: Uint8Array, inputs: readonly string[], outputs: readonly string[], xs: tf.Tensor[]): Promise<Values[]> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = Object.fromEntries(inputs.map((name, i) => [name, new ort.Tensor('float32', xs[i].dataSync() as Float32Array, xs[i].shape)]));
    const results = await session.run(feeds, [...outputs]);
    return outputs.map((name) => ({ dims: results[name].dims, data: results[name].data as Float32Array }));
  } finally {
    await session.release();
  }
}

/** Max abs difference (and the reference's max magnitude) after bringing `got` to channels-last, or what is wrong. */
function difference(got: Values, want: Values, layout: OnnxLayout): { abs: number; scale: number } | string {
  let data = got.data;
  let dims = got.dims;
  if (layout === 'channels-first' && dims.length > 2) {
    ({ data, shape: dims } = transpose({ data, shape: dims }, [0, ...dims.slice(2).map((_, i) => i + 2), 1]));
  }
  if (dims.join() !== want.dims.join()) return `onnxruntime ${dims.join('×')} vs tfjs ${want.dims.join('×')}`;
  let abs = 0;
  let scale = 0;
  for (let j = 0; j < data.length; j++) {
    const d = Math.abs(data[j] - want.data[j]);
    if (!(d <= abs)) abs = Number.isNaN(d) ? Infinity : d;
    scale = Math.max(scale, Math.abs(want.data[j]));
  }
  return { abs, scale };
}

/**
 * Inner nodes' tensors as extra graph outputs, compared with their tfjs layers' outputs (`want`, same
 * order) relative to their magnitude: a wrong layout is caught where it happens.
 */
async function probeNodes(design: Design, build: OnnxBuild, inner: readonly OnnxNodeInfo[], want: Values[], xs: tf.Tensor[]): Promise<string[]> {
  const dims = expectedDims(design, build);
  const model = {
    ...build.model,
    graph: { ...build.model.graph, outputs: [...build.model.graph.outputs, ...inner.map((n) => ({ name: n.tensor, dims: dims[n.tensor] }))] },
  };
  const got = await runOrt(encodeOnnxModel(model), build.inputs, inner.map((n) => n.tensor), xs);
  const problems: string[] = [];
  inner.forEach((n, i) => {
    const d = difference(got[i], want[i], n.layout);
    if (typeof d === 'string') problems.push(`${n.nodeId} (${n.kind}): ${d}`);
    else if (!(d.abs <= TOLERANCE * Math.max(1, d.scale))) problems.push(`${n.nodeId} (${n.kind}): max diff ${d.abs} at scale ${d.scale}`);
  });
  return problems;
}

/** Expected ONNX dims of every design node's tensor: NHWC as inferred, or NCHW where the graph keeps it so. */
function expectedDims(design: Design, build: OnnxBuild): Record<string, (number | string)[]> {
  const inference = inferShapes(design);
  const out: Record<string, (number | string)[]> = {};
  for (const n of build.nodes) {
    const shape = inference.nodes.get(n.nodeId)!.outputShape as number[];
    out[n.tensor] = n.layout === 'channels-first' && shape.length > 1 ? ['N', shape.at(-1)!, ...shape.slice(0, -1)] : ['N', ...shape];
  }
  return out;
}

const CHECK_SCRIPT = String.raw`
import json, sys
import onnx
from onnx import shape_inference
out = []
for line in sys.stdin:
    item = json.loads(line)
    try:
        model = onnx.load(item["path"])
        onnx.checker.check_model(model)
        inferred = shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        dims = {}
        for v in list(inferred.graph.value_info) + list(inferred.graph.output) + list(inferred.graph.input):
            # Any symbolic dim stands for the batch: onnx 1.12 renames it behind Resize ("unk__0").
            dims[v.name] = [d.dim_value if d.HasField("dim_value") else "N" for d in v.type.tensor_type.shape.dim]
        bad = [f"{k}: inferred {dims.get(k)} vs ours {want}" for k, want in item["expected"].items() if dims.get(k) != want]
        out.append({"label": item["label"], "errors": bad, "ir": model.ir_version, "opset": model.opset_import[0].version})
    except Exception as e:
        out.append({"label": item["label"], "errors": [f"{type(e).__name__}: {e}"[:1500]]})
print(json.dumps(out))
`;

/** Runs onnx.checker and strict shape inference on many models in one Python process. */
function pythonCheck(python: string, models: readonly Exported[]): { label: string; errors: string[]; ir?: number; opset?: number }[] {
  const lines = models.map((m) => JSON.stringify({ label: m.label, path: m.file, expected: m.expected }));
  return JSON.parse(runPython(python, CHECK_SCRIPT, `${lines.join('\n')}\n`));
}

/**
 * Templates whose forward pass takes tens of seconds in tfjs's plain-JS CPU backend (VGG-16: ≈ 50 s):
 * batch 1, outputs only, on tfjs's WASM backend (≈ 5× faster; its kernels cover these plain CNNs).
 * ResNet-50, GoogLeNet and DenseNet-121 (176–428 nodes, 1.5–4.1 G multiply-accumulates) go the same way:
 * a node-by-node probe of 428 outputs is what makes a pass slow.
 */
const BIG = new Set(['vgg-16.json', 'alexnet.json', 'resnet-50.json', 'googlenet.json', 'densenet-121.json']);

describe('ONNX export runs in onnxruntime and passes the onnx checker', () => {
  const exported: Exported[] = [];
  let python: string | null = null;

  beforeAll(() => {
    python = findPython(['onnx']);
  });

  it.each(templates.map((t) => [t.file, t.design] as const))(
    '%s: onnxruntime-web output equals tfjs within 1e-4',
    async (file, design) => {
      const started = performance.now();
      const big = BIG.has(file);
      const r = await roundTrip(file, design, 7, { batch: big ? 1 : BATCH, probe: !big, backend: big ? 'wasm' : 'cpu' });
      const mib = (statSync(r.exported.file).size / 2 ** 20).toFixed(1);
      console.log(`${file}: ${mib} MiB, max |onnx − tfjs| = ${r.maxDiff.toExponential(2)}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
      expect(r.problems).toEqual([]);
      expect(r.maxDiff).toBeLessThanOrEqual(TOLERANCE);
      exported.push(r.exported);
    },
    300_000,
  );

  it(`${RANDOM_DESIGNS} random designs: onnxruntime-web equals tfjs within 1e-4, node by node`, async () => {
    const failures: string[] = [];
    let worst = 0;
    for (let seed = 1; seed <= RANDOM_DESIGNS; seed++) {
      const r = await roundTrip(`random-${seed}`, randomValidDesign(seed), seed, { batch: BATCH, probe: true }).catch((e: Error) => e);
      if (r instanceof Error) {
        failures.push(`seed ${seed}: ${r.message}`);
        continue;
      }
      worst = Math.max(worst, r.maxDiff);
      if (r.problems.length > 0 || !(r.maxDiff <= TOLERANCE)) failures.push(`seed ${seed}: max diff ${r.maxDiff}; ${r.problems.join('; ')}`);
      exported.push(r.exported);
    }
    console.log(`${RANDOM_DESIGNS} random designs: worst max |onnx − tfjs| over outputs = ${worst.toExponential(2)}`);
    expect(failures).toEqual([]);
  });

  it('ids that are not names (quotes, line breaks, lone surrogates, "/kernel" lookalikes) give valid, distinct tensor names', async () => {
    const b = new DesignBuilder('hostile');
    const x = b.add('Input', { shape: [5, 5, 2] }, [], { id: 'in"put\n' });
    const c = b.add('Conv2D', { filters: 3, padding: 'same' }, [x], { id: '\ud800a' });
    const d = b.add('Conv2D', { filters: 3, padding: 'same' }, [c], { id: '\udfffa' });
    const k = b.add('BatchNorm', {}, [d], { id: '\ufffda/kernel' });
    b.add('Add', {}, [k, c], { id: "__import__('os')" });
    const r = await roundTrip('hostile-ids', b.build(), 5, { batch: BATCH, probe: true });
    expect(r.problems).toEqual([]);
    expect(r.maxDiff).toBeLessThanOrEqual(TOLERANCE);
    exported.push(r.exported);
  });

  it("onnxruntime's pitfalls: pads as large as the kernel, and zero Pads it would fuse into MaxPool or Conv", async () => {
    const b = new DesignBuilder('pitfalls');
    const x = b.add('Input', { shape: [7, 7, 2] });
    const z = b.add('ZeroPadding2D', { padding: [1, 0, 2, 1] }, [x]);
    // Fused, the zeros would vanish into MaxPool's own (ignored) padding: wrong maxima on negative inputs.
    b.add('MaxPool2D', { pool_size: [3, 3], strides: [2, 2], padding: 'same' }, [z]);
    const z3 = b.add('ZeroPadding2D', { padding: [3, 3, 3, 3] }, [x]);
    // Fused, 3 + 1 would exceed the 3×3 kernel.
    b.add('Conv2D', { filters: 2, kernel_size: [3, 3], padding: 'same' }, [z3]);
    b.add('Conv2D', { filters: 2, kernel_size: [1, 1], padding: 'explicit', pads: [1, 2, 0, 1] }, [x]);
    b.add('DepthwiseConv2D', { kernel_size: [3, 3], dilation_rate: [3, 2], padding: 'same' }, [x]);
    const r = await roundTrip('pitfalls', b.build(), 11, { batch: BATCH, probe: true });
    expect(r.problems).toEqual([]);
    expect(r.maxDiff).toBeLessThanOrEqual(TOLERANCE);
    exported.push(r.exported);
  });

  it('every exported model passes onnx.checker and strict shape inference, with our shapes', (ctx) => {
    if (!python) return ctx.skip();
    expect(exported.length).toBe(templates.length + RANDOM_DESIGNS + 2);
    const results = pythonCheck(python, exported);
    expect(results.filter((r) => r.errors.length > 0)).toEqual([]);
    expect(results.every((r) => r.ir === 7 && r.opset === 13)).toBe(true);
  });
});

describe('ONNX graph layout', () => {
  it('a plain CNN pays one Transpose after its input and one before its Flatten', () => {
    const b = new DesignBuilder('cnn');
    const x = b.add('Input', { shape: [12, 12, 3] });
    const c = b.add('Conv2D', { filters: 4, activation: 'relu' }, [x]);
    const p = b.add('MaxPool2D', {}, [c]);
    const f = b.add('Flatten', {}, [p]);
    b.add('Dense', { units: 5, activation: 'softmax' }, [f]);
    const design = b.build();
    const inference = inferShapes(design);
    const build = buildOnnx(design, inference, initialWeights(inference), false);
    expect(build.model.graph.nodes.map((n) => n.opType)).toEqual(['Transpose', 'Conv', 'Relu', 'MaxPool', 'Transpose', 'Flatten', 'Gemm', 'Softmax']);
    expect(build.model.graph.inputs[0].dims).toEqual(['N', 12, 12, 3]);
    expect(build.model.graph.outputs[0].dims).toEqual(['N', 5]);
  });

  it('an image output leaves the graph channels-last under its node name', () => {
    const b = new DesignBuilder('seg');
    const x = b.add('Input', { shape: [8, 8, 2] });
    b.add('Conv2D', { filters: 3, padding: 'same' }, [x], { id: 'logits' });
    const design = b.build();
    const inference = inferShapes(design);
    const build = buildOnnx(design, inference, initialWeights(inference), false);
    expect(build.outputs).toEqual(['logits']);
    const last = build.model.graph.nodes.at(-1)!;
    expect([last.opType, last.outputs[0], last.attributes?.perm]).toEqual(['Transpose', 'logits', { ints: [0, 2, 3, 1] }]);
    expect(build.model.graph.outputs[0].dims).toEqual(['N', 8, 8, 3]);
  });

  it('Keras-layout kernels become OIHW, depthwise kernels [in·m, 1, kh, kw] with channel c·m + j', () => {
    const b = new DesignBuilder('k');
    const x = b.add('Input', { shape: [5, 5, 2] });
    const c = b.add('Conv2D', { filters: 3, kernel_size: [1, 2] }, [x], { id: 'conv' });
    b.add('DepthwiseConv2D', { kernel_size: [1, 2], depth_multiplier: 2, use_bias: false }, [c], { id: 'dw' });
    const design = b.build();
    const inference = inferShapes(design);
    // Kernel value = 100·kw + 10·in + out (kh is 1), so each initializer's order can be read off.
    const coded = (shape: number[]) =>
      Float32Array.from({ length: shape.reduce((a, v) => a * v, 1) }, (_, i) => {
        const [kw, cin, cout] = [Math.floor(i / (shape[2] * shape[3])), Math.floor(i / shape[3]) % shape[2], i % shape[3]];
        return 100 * kw + 10 * cin + cout;
      });
    const weights = new Map<string, Record<string, { shape: number[]; data: Float32Array }>>([
      ['conv', { kernel: { shape: [1, 2, 2, 3], data: coded([1, 2, 2, 3]) }, bias: { shape: [3], data: new Float32Array(3) } }],
      ['dw', { depthwise_kernel: { shape: [1, 2, 3, 2], data: coded([1, 2, 3, 2]) } }],
    ]);
    const { initializers } = buildOnnx(design, inference, weights, true).model.graph;
    const conv = initializers.find((t) => t.name === 'conv/kernel')!;
    expect(conv.dims).toEqual([3, 2, 1, 2]);
    // OIHW[o][i][0][w] = 100·w + 10·i + o
    expect([...conv.data]).toEqual([0, 100, 10, 110, 1, 101, 11, 111, 2, 102, 12, 112]);
    const dw = initializers.find((t) => t.name === 'dw/depthwise_kernel')!;
    expect(dw.dims).toEqual([6, 1, 1, 2]);
    // Output channel c·m + j holds Keras's [·, ·, c, j]: rows (c, j) = (0,0) (0,1) (1,0) (1,1) (2,0) (2,1).
    expect([...dw.data]).toEqual([0, 100, 1, 101, 10, 110, 11, 111, 20, 120, 21, 121]);
  });
});

describe('ONNX export results', () => {
  it('an invalid design gives its issues, not a file', () => {
    const b = new DesignBuilder('bad');
    const x = b.add('Input', { shape: [3, 3, 1] });
    b.add('Conv2D', { kernel_size: [5, 5] }, [x]);
    const result = exportOnnx(b.build());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.code)).toEqual(['kernel-too-large']);
  });

  it('weights that do not fit the design are refused with the node and shapes named', () => {
    const b = new DesignBuilder('w');
    const x = b.add('Input', { shape: [4] });
    b.add('Dense', { units: 2 }, [x], { id: 'fc' });
    const weights = new Map([['fc', { kernel: { shape: [3, 2], data: new Float32Array(6) }, bias: { shape: [2], data: new Float32Array(2) } }]]);
    const result = exportOnnx(b.build(), { weights });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]).toMatchObject({ code: 'export-weights-mismatch', values: { detail: 'fc.kernel is 3×2, the design needs 4×2' } });
  });

  it('without weights the file carries seeded initial weights and the summary says so', () => {
    const design = templates.find((t) => t.file === 'lenet-5.json')!.design;
    const a = exportOnnx(design);
    const b = exportOnnx(design);
    const c = exportOnnx(design, { seed: 1 });
    if (!a.ok || !b.ok || !c.ok) throw new Error('LeNet-5 must export');
    const bytes = (r: typeof a) => r.files.find((f) => f.path === 'model.onnx')!.content as Uint8Array;
    expect(Buffer.from(bytes(a)).equals(Buffer.from(bytes(b)))).toBe(true);
    expect(Buffer.from(bytes(a)).equals(Buffer.from(bytes(c)))).toBe(false);
    const summary = a.files.find((f) => f.path === 'onnx-summary.txt')!.content as string;
    expect(summary).toContain('Weights: not trained; freshly initialised (Glorot-uniform kernels, seed 0).');
    expect(summary).toContain('Parameters: 61,706 (61,706 trainable, 0 non-trainable)');
    expect(summary).toMatch(/Inputs:\n {2}\S+ {2}float32 \[N, 32, 32, 1\]/);
  });

  it('the summary speaks Spanish when asked, with the same lines, names, shapes and ops', () => {
    const design = templates.find((t) => t.file === 'lenet-5.json')!.design;
    const read = (lang?: 'es') => {
      const r = exportOnnx(design, lang ? { lang } : {});
      if (!r.ok) throw new Error('LeNet-5 must export');
      return r.files.find((f) => f.path === 'onnx-summary.txt')!.content as string;
    };
    const [en, es] = [read(), read('es')];
    expect(es).toContain('Pesos: sin entrenar; recién inicializados (kernels Glorot uniforme, semilla 0).');
    expect(es).toContain('Parámetros: 61.706 (61.706 entrenables, 0 no entrenables)');
    expect(es).toMatch(/Entradas:\n {2}\S+ {2}float32 \[N, 32, 32, 1\]/);
    expect(es.split('\n')).toHaveLength(en.split('\n').length);
    // What ONNX names (tensors, op types, shapes) is the same text in both.
    const onnxWords = (text: string) => text.match(/\[[^\]]*\]|\b[A-Z][a-zA-Z]+ ×\d+/g);
    expect(onnxWords(es)).toEqual(onnxWords(en));
    expect(es).not.toMatch(/\b(Weights|Inputs|Outputs|Parameters|trainable)\b/);
  });

  it("encodes as onnx's own protobuf does: every field it writes reads back there, and re-serialises to the same bytes", (ctx) => {
    const python = findPython(['onnx']);
    if (!python) return ctx.skip();
    // Each kind of field the writer has: negative and 64-bit integers (ten-byte varints), floats, UTF-8
    // strings, symbolic and fixed dimensions, float and int64 tensors, doc strings and metadata.
    const model: OnnxModel = {
      irVersion: 7,
      opsetVersion: 13,
      producerName: 'NetCanvas',
      producerVersion: '0.1.0',
      docString: 'año · 模型',
      metadata: { 'netcanvas:design': '{"a": 1}', clé: 'ü' },
      graph: {
        name: 'g',
        docString: 'graph doc',
        nodes: [
          { name: 'pad', opType: 'Pad', inputs: ['x', 'pads', ''], outputs: ['p'], attributes: { mode: { string: 'réflexion' } } },
          { name: 'lrelu', opType: 'LeakyRelu', inputs: ['p'], outputs: ['y'], attributes: { alpha: { float: 0.1 }, axes: { ints: [-1, 0, 2 ** 40, -(2 ** 40)] }, scales: { floats: [0.5, -3] }, axis: { int: -2 } } },
        ],
        initializers: [
          { name: 'pads', dims: [8], type: 'int64', data: BigInt64Array.from([0n, -1n, 2n, 3n, 0n, 0n, 1n, -(2n ** 40n)]) },
          { name: 'w', dims: [2, 3], type: 'float', data: Float32Array.from([1.5, -2, 0, 3e-8, 1e30, -0]) },
        ],
        inputs: [{ name: 'x', dims: ['N', 3, 300] }],
        outputs: [{ name: 'y', dims: ['N', 3, 2 ** 31] }],
      },
    };
    const bytes = encodeOnnxModel(model);
    const script = [
      'import base64, sys, json, onnx',
      'from google.protobuf.json_format import MessageToDict',
      'data = base64.b64decode(sys.stdin.read())',
      'm = onnx.load_from_string(data)',
      'print(json.dumps({"same": m.SerializeToString() == data, "model": MessageToDict(m)}))',
    ].join('\n');
    const read = JSON.parse(runPython(python, script, Buffer.from(bytes).toString('base64')));
    expect(read.same).toBe(true);
    const m = read.model;
    expect([m.irVersion, m.producerName, m.producerVersion, m.docString]).toEqual(['7', 'NetCanvas', '0.1.0', 'año · 模型']);
    expect(m.opsetImport).toEqual([{ domain: '', version: '13' }]);
    expect(m.metadataProps).toEqual(Object.entries(model.metadata!).map(([key, value]) => ({ key, value })));
    const g = m.graph;
    expect([g.name, g.docString]).toEqual(['g', 'graph doc']);
    expect(g.node.map((n: { name: string; opType: string; input: string[]; output: string[] }) => [n.name, n.opType, n.input, n.output])).toEqual(
      model.graph.nodes.map((n) => [n.name, n.opType, n.inputs, n.outputs]),
    );
    const attrs = g.node[1].attribute as { name: string; type: string; f?: number; i?: string; ints?: string[]; floats?: number[] }[];
    expect(attrs.map((a) => [a.name, a.type])).toEqual([['alpha', 'FLOAT'], ['axes', 'INTS'], ['scales', 'FLOATS'], ['axis', 'INT']]);
    // MessageToDict prints a float32 as its shortest decimal.
    expect(Math.fround(attrs[0].f!)).toBe(Math.fround(0.1));
    expect(attrs[1].ints).toEqual(['-1', '0', String(2 ** 40), String(-(2 ** 40))]);
    expect(attrs[2].floats).toEqual([0.5, -3]);
    expect(attrs[3].i).toBe('-2');
    expect(Buffer.from(g.node[0].attribute[0].s, 'base64').toString('utf8')).toBe('réflexion');
    const raw = (t: { rawData: string }) => new Uint8Array(Buffer.from(t.rawData, 'base64'));
    expect([g.initializer[0].name, g.initializer[0].dims, g.initializer[0].dataType]).toEqual(['pads', ['8'], 7]);
    expect([...new BigInt64Array(raw(g.initializer[0]).buffer)]).toEqual([...(model.graph.initializers[0].data as BigInt64Array)]);
    expect([g.initializer[1].dims, g.initializer[1].dataType]).toEqual([['2', '3'], 1]);
    expect([...new Float32Array(raw(g.initializer[1]).buffer)]).toEqual([...model.graph.initializers[1].data]);
    const dims = (v: { type: { tensorType: { elemType: number; shape: { dim: { dimValue?: string; dimParam?: string }[] } } } }) => [
      v.type.tensorType.elemType,
      v.type.tensorType.shape.dim.map((d) => d.dimParam ?? Number(d.dimValue)),
    ];
    expect([g.input.map(dims), g.output.map(dims)]).toEqual([[[1, ['N', 3, 300]]], [[1, ['N', 3, 2 ** 31]]]]);
  });
});
