/**
 * The ONNX import against the ONNX export: every template and RANDOM_DESIGNS seeded random designs (every
 * layer kind, branches, merges, odd ids) with random weights → exportOnnx → importOnnx must give back the
 * same design: the same nodes by id, kinds, parameters, inferred shapes, connections (slots included) and
 * weights bit for bit. And bad files: every one a message, none a throw.
 */
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../export/onnx.ts';
import { encodeOnnxModel, type OnnxModel } from '../export/onnx-proto.ts';
import { ModelProto } from '../export/onnx-schema.ts';
import { formatIssue, inferShapes, layerSpec, type Design, type DesignInference, type ParamValue } from '../graph/index.ts';
import { flattenDesign } from '../graph/blocks.ts';
import { windowPads } from '../graph/layers/shared/common.ts';
import { poolAxes, poolDivisor } from '../graph/layers/shared/pooling.ts';
import { randomValidDesign } from '../graph/testing/random-design.ts';
import { Rng } from '../graph/testing/rng.ts';
import { loadTemplates } from '../graph/testing/templates.ts';
import type { DesignWeights, WeightTensor } from '../graph/weights.ts';
import { importOnnx, MAX_IMPORT_MB, shortestFloat32 } from './onnx.ts';
import { readOnnxModel } from './onnx-read.ts';

const RANDOM_DESIGNS = 300;

/** Every declared weight filled with seeded values in [−1, 1) (γ and variances too: bit-exactness is the point). */
function randomWeights(inference: DesignInference, seed: number): DesignWeights {
  const rng = new Rng(seed);
  const out = new Map<string, Record<string, WeightTensor>>();
  for (const id of inference.order) {
    const named: Record<string, WeightTensor> = {};
    for (const w of inference.nodes.get(id)!.weights) {
      named[w.name] = { shape: w.shape, data: rng.values(w.shape.reduce((a, b) => a * b, 1)) };
    }
    if (Object.keys(named).length > 0) out.set(id, named);
  }
  return out;
}

/**
 * The parameters as an ONNX file can hold them. A window's padding mode is what the file cannot say
 * apart ('explicit' pads that equal 'same', 'same' that pads nothing): compared as the pads it applies.
 * Likewise a transposed conv whose kernel does not exceed its stride pads nothing either way, and an
 * Activation's alpha is only written when leaky_relu uses it.
 */
function comparable(info: ReturnType<DesignInference['nodes']['get']> & {}): Record<string, ParamValue | readonly number[] | null> {
  const params: Record<string, ParamValue | readonly number[] | null> = { ...info.params };
  const spec = layerSpec(info.kind as never);
  if (info.kind === 'MaxPool2D' || info.kind === 'AvgPool2D') return poolComparable(info);
  if (spec.window) {
    params.padding = windowPads(info.inputShapes[0]!, spec.window(info.params as never)) as readonly number[];
    delete params.pads;
  }
  // An unused slope: only leaky_relu writes its alpha into the file.
  if (info.kind === 'Activation' && info.params.activation !== 'leaky_relu') delete params.alpha;
  if (info.kind === 'Conv2DTranspose') {
    const k = info.params.kernel_size as number[];
    const s = info.params.strides as number[];
    if (k.every((v, a) => v <= s[a])) params.padding = 'none';
  }
  return params;
}

/**
 * A pooling layer as the file holds it: its windows (the pads before each axis and how far the windows
 * reach after it, which ceil mode or pads that equal 'same' also express) and, for an average, what each
 * output divides by. Two pools that agree on these compute the same numbers.
 */
function poolComparable(info: ReturnType<DesignInference['nodes']['get']> & {}): Record<string, ParamValue | readonly number[] | null> {
  const win = layerSpec(info.kind as never).window!(info.params as never);
  const axes = poolAxes(info.inputShapes[0]!, win);
  const include = info.params.padding === 'explicit' && info.params.count_include_pad === true;
  return {
    pool_size: info.params.pool_size,
    strides: info.params.strides,
    windows: axes.flatMap((a) => [a.before, a.reach, a.out]),
    ...(info.kind === 'AvgPool2D' ? { divisors: axes.flatMap((a) => Array.from({ length: a.out }, (_, o) => poolDivisor(a, o, include))) } : {}),
  };
}

function edgesOf(design: Design): string[] {
  return design.edges.map((e) => `${e.source}->${e.target}#${e.targetSlot ?? 0}`).sort();
}

function bits(t: WeightTensor): Uint32Array {
  return new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length);
}

/**
 * How the import is handed the file's bytes: as they are; at an odd offset in a larger buffer (as a Node
 * Buffer from a pool can be), so that no tensor is 4-byte aligned; and the same with `consume`, which moves
 * the tensors onto boundaries in place instead of copying them.
 */
const READINGS = ['as written', 'at offset 1', 'at offset 3, consumed'] as const;
type Reading = (typeof READINGS)[number];

function read(bytes: Uint8Array, reading: Reading, label: string) {
  if (reading === 'as written') return importOnnx(bytes, label);
  const offset = reading === 'at offset 1' ? 1 : 3;
  const larger = new Uint8Array(bytes.length + offset);
  larger.set(bytes, offset);
  const consume = reading !== 'at offset 1';
  const result = importOnnx(larger.subarray(offset), label, { consume });
  if (result.ok && consume) {
    // Handed over, the file's buffer is where the weights live: none copied, none held twice (a tensor
    // under 128 bytes may be, when its field header is too short to move it onto a 4-byte boundary).
    for (const [id, named] of result.weights) {
      for (const [name, t] of Object.entries(named)) {
        if (t.data.length >= 32) expect(t.data.buffer === larger.buffer, `${label}: ${id}.${name} is a view of the file, not a copy`).toBe(true);
      }
    }
  }
  return result;
}

function expectRoundTrip(label: string, design: Design, seed: number, reading: Reading = 'as written'): void {
  const inference = inferShapes(design);
  const weights = randomWeights(inference, seed);
  const exported = exportOnnx(design, { inference, weights });
  if (!exported.ok) throw new Error(`${label}: export failed: ${exported.issues.map((i) => formatIssue(i)).join('; ')}`);
  const bytes = exported.files.find((f) => f.path === 'model.onnx')!.content as Uint8Array;
  label = `${label} (${reading})`;
  const result = read(bytes, reading, label);
  if (!result.ok) throw new Error(`${label}: import failed: ${formatIssue(result.issue)}`);
  // A design whose ids are module paths (the block templates unfolded) comes back grouped into blocks
  // (auto-blocks.ts); unfolded, it must be the very network that was written.
  const imported = flattenDesign(result.design);
  const back = inferShapes(imported);
  expect(imported.nodes.map((n) => n.id).sort(), `${label}: node ids`).toEqual(design.nodes.map((n) => n.id).sort());
  for (const node of design.nodes) {
    const a = inference.nodes.get(node.id)!;
    const b = back.nodes.get(node.id)!;
    expect(b.kind, `${label}: kind of ${node.id}`).toBe(a.kind);
    expect(comparable(b), `${label}: params of ${node.id}`).toEqual(comparable(a));
    expect(b.outputShape, `${label}: shape of ${node.id}`).toEqual(a.outputShape);
  }
  expect(edgesOf(imported), `${label}: connections`).toEqual(edgesOf(design));
  expect([...result.weights.keys()].sort(), `${label}: nodes with weights`).toEqual([...weights.keys()].sort());
  for (const [id, named] of weights) {
    const got = result.weights.get(id)!;
    expect(Object.keys(got).sort(), `${label}: weights of ${id}`).toEqual(Object.keys(named).sort());
    for (const [name, t] of Object.entries(named)) {
      expect(got[name].shape, `${label}: ${id}.${name} shape`).toEqual(t.shape);
      const [a, b] = [bits(got[name]), bits(t)];
      let differing = a.length === b.length ? 0 : -1;
      for (let i = 0; i < b.length && differing === 0; i++) if (a[i] !== b[i]) differing = i + 1;
      expect(differing, `${label}: ${id}.${name}: first value whose bits differ (1-based)`).toBe(0);
    }
  }
}

describe('ONNX import gives back what the ONNX export wrote', () => {
  // One reading each, in turn (VGG-16's 138 M weights make every extra reading cost seconds).
  loadTemplates().forEach(({ file, design }, i) => {
    it(`template ${file}`, () => expectRoundTrip(file, design, 7, READINGS[i % READINGS.length]));
  });
  it('every reading of a small template', () => {
    const lenet = loadTemplates().find((t) => t.file === 'lenet-5.json')!;
    for (const reading of READINGS) expectRoundTrip(lenet.file, lenet.design, 7, reading);
  });
  it('reads a Node Buffer at an odd offset (whose slice() is a view, not a copy)', () => {
    const lenet = loadTemplates().find((t) => t.file === 'lenet-5.json')!.design;
    const inference = inferShapes(lenet);
    const exported = exportOnnx(lenet, { inference, weights: randomWeights(inference, 3) });
    const bytes = exported.ok ? (exported.files.find((f) => f.path === 'model.onnx')!.content as Uint8Array) : new Uint8Array();
    const larger = new Uint8Array(bytes.length + 1);
    larger.set(bytes, 1);
    const plain = importOnnx(bytes);
    const fromBuffer = importOnnx(Buffer.from(larger.buffer, 1, bytes.length));
    expect(fromBuffer.ok && plain.ok && [...fromBuffer.weights].map(([id, w]) => [id, Object.values(w).map((t) => [...t.data])])).toEqual(
      plain.ok && [...plain.weights].map(([id, w]) => [id, Object.values(w).map((t) => [...t.data])]),
    );
  });
  it("hands the importer each tensor's bytes as a view of the file, not a copy (a Uint8Array and a Node Buffer alike)", () => {
    const lenet = loadTemplates().find((t) => t.file === 'lenet-5.json')!.design;
    const inference = inferShapes(lenet);
    const exported = exportOnnx(lenet, { inference, weights: randomWeights(inference, 3) });
    const bytes = exported.ok ? (exported.files.find((f) => f.path === 'model.onnx')!.content as Uint8Array) : new Uint8Array();
    for (const file of [bytes, Buffer.from(bytes)]) {
      const tensors = readOnnxModel(file).graph!.initializers;
      expect(tensors.length).toBeGreaterThan(0);
      for (const { raw, rawRoom } of tensors) {
        expect(raw!.buffer).toBe(file.buffer);
        // rawRoom reaches back to raw_data's own tag (field 9, length-delimited: 0x4a), which consume overwrites.
        expect(new Uint8Array(file.buffer)[raw!.byteOffset - rawRoom]).toBe(0x4a);
      }
    }
  });
  it(`${RANDOM_DESIGNS} seeded random designs`, () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= RANDOM_DESIGNS; seed++) {
      try {
        expectRoundTrip(`random design ${seed}`, randomValidDesign(seed), seed, READINGS[seed % READINGS.length]);
      } catch (e) {
        failures.push(String(e instanceof Error ? e.message : e).split('\n')[0]);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
  it('places imported nodes with the auto-layout, not on top of each other', () => {
    const { design } = loadTemplates().find((t) => t.file === 'resnet-18.json')!;
    const exported = exportOnnx(design);
    if (!exported.ok) throw new Error('export failed');
    const result = importOnnx(exported.files[0].content as Uint8Array);
    if (!result.ok) throw new Error(formatIssue(result.issue));
    const spots = new Set(result.design.nodes.map((n) => `${n.position.x},${n.position.y}`));
    expect(spots.size).toBe(result.design.nodes.length);
  });
});

/** A one-op model written with the exporter's own encoder: input [N, 3, 8, 8] → op → output. */
function oneOp(op: string, attributes: OnnxModel['graph']['nodes'][number]['attributes'], extraInputs: string[] = [], opset = 13): Uint8Array {
  return encodeOnnxModel({
    irVersion: 7,
    opsetVersion: opset,
    producerName: 'pytorch',
    producerVersion: '1.13',
    graph: {
      name: 'g',
      nodes: [{ name: `/up/${op}`, opType: op, inputs: ['x', ...extraInputs], outputs: ['y'], ...(attributes ? { attributes } : {}) }],
      initializers: [{ name: 'scales', dims: [4], type: 'float', data: Float32Array.from([1, 1, 2, 2]) }],
      inputs: [{ name: 'x', dims: ['N', 3, 8, 8] }],
      outputs: [{ name: 'y', dims: ['N', 3, 16, 16] }],
    },
  });
}

describe('ONNX import refuses what it cannot take, with a message and no throw', () => {
  const lenet = loadTemplates().find((t) => t.file === 'lenet-5.json')!.design;
  const exported = exportOnnx(lenet);
  if (!exported.ok) throw new Error('export failed');
  const good = exported.files[0].content as Uint8Array;

  it('names the op, the node and the attribute it cannot take', () => {
    const result = importOnnx(oneOp('Resize', { mode: { string: 'cubic' } }, ['', 'scales']));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatIssue(result.issue)).toBe('Resize with mode cubic at node /up/Resize is not supported');
    expect(formatIssue(result.issue, 'es')).toBe('Resize con mode cubic en el nodo /up/Resize no está soportado');
  });

  it("refuses a bilinear Resize without half-pixel centres (TensorFlow's asymmetric), which the app does not compute", () => {
    const result = importOnnx(oneOp('Resize', { mode: { string: 'linear' }, coordinate_transformation_mode: { string: 'asymmetric' } }, ['', 'scales']));
    expect(result.ok || formatIssue(result.issue)).toBe('Resize with coordinate_transformation_mode asymmetric at node /up/Resize is not supported');
  });

  it('names an op NetCanvas has no layer for', () => {
    const result = importOnnx(oneOp('Einsum', { equation: { string: 'ij->ji' } }));
    expect(result.ok || formatIssue(result.issue)).toBe('Einsum at node /up/Einsum is not supported: NetCanvas has no layer that computes it');
  });

  it('refuses an opset it does not know', () => {
    const result = importOnnx(oneOp('Relu', undefined, [], 99));
    expect(result.ok || result.issue.code).toBe('import-opset');
  });

  it('refuses weights kept in an external file', () => {
    // What onnx.save_model(..., save_as_external_data=True) writes: a location entry and DataLocation EXTERNAL.
    const tensor = { dims: [4], dataType: 1, name: 'w', externalData: [{ key: 'location', value: 'w.bin' }], dataLocation: 1 };
    const node = { input: ['x', 'w'], output: ['y'], name: 'add', opType: 'Add' };
    const graph = { node: [node], name: 'g', initializer: [tensor] };
    const bytes = ModelProto.encode({ irVersion: 7, graph, opsetImport: [{ domain: '', version: 13 }] }).finish();
    const result = importOnnx(bytes);
    expect(result.ok || formatIssue(result.issue)).toContain('Tensor w keeps its data in an external file');
  });

  it('refuses a file over the size limit before reading it', () => {
    // A length is all the check reads; allocating the gigabyte would only slow the suite down.
    const huge = { length: MAX_IMPORT_MB * 2 ** 20 + 1 } as Uint8Array;
    const result = importOnnx(huge, 'big.onnx');
    expect(result.ok || formatIssue(result.issue)).toBe(`big.onnx is ${MAX_IMPORT_MB} MB; NetCanvas imports models up to ${MAX_IMPORT_MB} MB`);
  });

  it('every truncation of a real model is a message or the same model, never a throw', () => {
    const step = Math.max(1, Math.floor(good.length / 400));
    for (let cut = 0; cut < good.length; cut += step) {
      const result = importOnnx(good.subarray(0, cut));
      if (result.ok) expect(result.design.nodes.length, `cut at ${cut}`).toBe(lenet.nodes.length);
      else expect(formatIssue(result.issue).length).toBeGreaterThan(0);
    }
  });

  it('a file cut inside a weight says at which byte it ran out', () => {
    const raw = readOnnxModel(good).graph!.initializers.find((t) => (t.raw?.length ?? 0) > 1000)!.raw!;
    const cut = raw.byteOffset - good.byteOffset + 10;
    const result = importOnnx(good.subarray(0, cut), 'cut.onnx');
    expect(result.ok || formatIssue(result.issue)).toMatch(new RegExp(`^cut\\.onnx is not a readable ONNX model: .*\\(.*, at byte \\d+ of ${cut}\\)$`));
  });

  it('corrupt bytes give a message, never a throw', () => {
    const rng = new Rng(5);
    let refused = 0;
    for (let k = 0; k < 100; k++) {
      const bytes = good.slice();
      for (let f = 0; f < 4; f++) bytes[rng.int(0, bytes.length - 1)] = rng.int(0, 255);
      const result = importOnnx(bytes);
      if (!result.ok) refused++;
    }
    expect(refused).toBeGreaterThan(0);
    expect(importOnnx(new TextEncoder().encode('{"format": "netcanvas"}')).ok).toBe(false);
  });

  it('stores float attributes as the shortest decimal of the float32', () => {
    expect(shortestFloat32(Math.fround(0.001))).toBe(0.001);
    expect(shortestFloat32(Math.fround(1e-5))).toBe(1e-5);
    expect(shortestFloat32(Math.fround(0.99))).toBe(0.99);
  });
});
