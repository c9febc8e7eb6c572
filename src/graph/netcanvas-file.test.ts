import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { findPython, runPython } from '../export/testing/python.ts';
import { flattenDesign } from './blocks.ts';
import { bytesSource, concatBytes } from './byte-source.ts';
import { parseDesign, serializeDesign } from './file-format.ts';
import { inferShapes } from './infer.ts';
import { formatIssue, type Issue } from './messages.ts';
import { netcanvasChunks, readNetcanvas, readSafetensorsFor } from './netcanvas-file.ts';
import { safetensorsChunks, tensorName } from './safetensors.ts';
import { randomValidDesign } from './testing/random-design.ts';
import { randomDesignWeights } from './testing/random-weights.ts';
import { loadTemplate } from './testing/templates.ts';
import type { Design } from './types.ts';
import type { DesignWeights } from './weights.ts';

const concat = concatBytes;

/** The weights the design declares, random; nodes without weights left out, as the readers leave them. */
function weightsFor(design: Design, seed: number): DesignWeights {
  const all = randomDesignWeights(inferShapes(flattenDesign(design)), seed);
  return new Map([...all].filter(([, named]) => Object.keys(named).length > 0));
}

/**
 * Every tensor's shape and the SHA-256 of its little-endian bytes, so that -0, NaN payloads and denormals
 * count: "the same" means bit-identical (and Python can compute the same digest of what it reads).
 */
function digests(weights: DesignWeights): Record<string, { shape: readonly number[]; sha256: string }> {
  const out: Record<string, { shape: readonly number[]; sha256: string }> = {};
  for (const [id, named] of weights) {
    for (const [name, t] of Object.entries(named)) {
      const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      out[tensorName(id, name)] = { shape: [...t.shape], sha256: createHash('sha256').update(bytes).digest('hex') };
    }
  }
  return out;
}

async function reread(bytes: Uint8Array) {
  return readNetcanvas(bytesSource(bytes), 'model.netcanvas');
}

async function refusal(bytes: Uint8Array): Promise<Issue> {
  const r = await reread(bytes);
  if (r.ok) throw new Error('expected the file to be refused');
  expect(r.errors).toHaveLength(1);
  return r.errors[0];
}

const lenet = () => loadTemplate('lenet-5.json');

/** A .netcanvas whose weights.safetensors is `weights` as given (the zip itself well formed). */
function containerWith(design: Design, weights: Uint8Array, level: 0 | 6 = 0): Uint8Array {
  return zipSync({
    'design.json': [new TextEncoder().encode(serializeDesign(design)), { level: 0 }],
    'weights.safetensors': [weights, { level }],
  });
}

/** A hand-made safetensors file: `header` as written, then `dataBytes` zero bytes. */
function safetensorsBytes(header: Record<string, unknown>, dataBytes: number, lengthField?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setUint32(0, lengthField ?? json.length, true);
  out.set(json, 8);
  return out;
}

/** LeNet-5's declared tensors, as a header the readers accept, for tests to break one entry of. */
function lenetHeader(): { header: Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>; size: number } {
  const inference = inferShapes(flattenDesign(lenet()));
  const header: Record<string, { dtype: string; shape: number[]; data_offsets: number[] }> = {};
  let at = 0;
  for (const id of inference.order) {
    for (const w of inference.nodes.get(id)!.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1) * 4;
      header[tensorName(id, w.name)] = { dtype: 'F32', shape: [...w.shape], data_offsets: [at, at + n] };
      at += n;
    }
  }
  return { header, size: at };
}

describe('.netcanvas round trip', () => {
  it('gives back the same design and bit-identical weights for random designs and the block templates', async () => {
    const cases: Design[] = [...Array.from({ length: 24 }, (_, i) => randomValidDesign(9000 + i)), loadTemplate('resnet-18.json')];
    for (const [i, design] of cases.entries()) {
      const weights = weightsFor(design, i + 1);
      const r = await reread(concat(netcanvasChunks(design, weights)));
      expect(r.ok, JSON.stringify(!r.ok && r.errors)).toBe(true);
      if (!r.ok) continue;
      expect(r.design).toEqual((parseDesign(serializeDesign(design)) as { design: Design }).design);
      expect(digests(r.weights ?? new Map())).toEqual(digests(weights));
    }
  });

  it('keeps a design without weights as design.json alone', async () => {
    const design = lenet();
    const bytes = concat(netcanvasChunks(design));
    const r = await reread(bytes);
    expect(r.ok && r.design).toEqual(design);
    expect(r.ok && r.weights).toBeUndefined();
  });

  it('writes the tensors as views of the weights, not copies (the file is assembled from their memory)', () => {
    const design = lenet();
    const weights = weightsFor(design, 3);
    const chunks = netcanvasChunks(design, weights);
    const buffers = new Set(chunks.map((c) => c.buffer));
    for (const named of weights.values()) for (const t of Object.values(named)) expect(buffers.has(t.data.buffer)).toBe(true);
  });
});

describe('.netcanvas hostile input: one message naming what is wrong, nothing loaded', () => {
  const design = lenet();
  const good = concat(netcanvasChunks(design, weightsFor(design, 5)));

  it('refuses a truncated file wherever it is cut', async () => {
    for (const keep of [0, 10, 100, Math.floor(good.length / 3), Math.floor(good.length / 2), good.length - 30, good.length - 1]) {
      const issue = await refusal(good.subarray(0, keep));
      expect(issue.code).toBe('container-unreadable');
      expect(formatIssue(issue)).toContain('model.netcanvas');
    }
  });

  it('refuses a header length past the end of the file', async () => {
    const { header, size } = lenetHeader();
    const issue = await refusal(containerWith(design, safetensorsBytes(header, size, 0x7fff_ffff)));
    expect(issue.code).toBe('safetensors-header');
    expect(formatIssue(issue)).toMatch(/length field says 2147483647 bytes/);
  });

  it('refuses data offsets outside the data and sizes that do not match the shape', async () => {
    const { header, size } = lenetHeader();
    header['conv1.bias'].data_offsets = [size - 8, size + 16];
    let issue = await refusal(containerWith(design, safetensorsBytes(header, size)));
    expect(issue).toMatchObject({ code: 'safetensors-offsets', values: { tensor: 'conv1.bias', why: 'range' } });
    const again = lenetHeader();
    again.header['conv1.bias'].data_offsets[1] -= 4;
    issue = await refusal(containerWith(design, safetensorsBytes(again.header, again.size)));
    expect(formatIssue(issue, 'es')).toMatch(/el tensor conv1\.bias tiene data_offsets .* necesita \d+ bytes/);
  });

  it('refuses a dtype other than F32, naming the tensor', async () => {
    const { header, size } = lenetHeader();
    const [start] = header['conv1.kernel'].data_offsets;
    header['conv1.kernel'] = { ...header['conv1.kernel'], dtype: 'F16', data_offsets: [start, start + (header['conv1.kernel'].data_offsets[1] - start) / 2] };
    const issue = await refusal(containerWith(design, safetensorsBytes(header, size)));
    expect(formatIssue(issue)).toBe('model.netcanvas › weights.safetensors: tensor conv1.kernel is F16; NetCanvas weights are F32 (float32)');
  });

  it('refuses shapes that do not fit the design, and missing or stray tensors', async () => {
    const shaped = lenetHeader();
    const kernel = shaped.header['conv1.kernel'];
    kernel.shape = [...kernel.shape].reverse();
    let issue = await refusal(containerWith(design, safetensorsBytes(shaped.header, shaped.size)));
    expect(issue).toMatchObject({ code: 'safetensors-shape', values: { tensor: 'conv1.kernel' } });

    const missing = lenetHeader();
    delete missing.header['conv1.bias'];
    issue = await refusal(containerWith(design, safetensorsBytes(missing.header, missing.size)));
    expect(issue).toMatchObject({ code: 'safetensors-missing', values: { tensor: 'conv1.bias', node: 'conv1' } });

    const stray = lenetHeader();
    stray.header['conv9.kernel'] = { dtype: 'F32', shape: [1], data_offsets: [stray.size, stray.size + 4] };
    issue = await refusal(containerWith(design, safetensorsBytes(stray.header, stray.size + 4)));
    expect(issue).toMatchObject({ code: 'safetensors-extra', values: { tensor: 'conv9.kernel' } });
  });

  it('refuses bad header JSON, overlapping tensors and a compressed weights entry', async () => {
    const notJson = safetensorsBytes({}, 0);
    notJson.set(new TextEncoder().encode('{x'), 8);
    expect((await refusal(containerWith(design, notJson))).values.why).toBe('json');

    const { header, size } = lenetHeader();
    header['conv1.bias'].data_offsets = [0, header['conv1.bias'].data_offsets[1] - header['conv1.bias'].data_offsets[0]];
    expect((await refusal(containerWith(design, safetensorsBytes(header, size)))).values.why).toBe('overlap');

    const compressed = concat(safetensorsChunks(weightsFor(design, 1)));
    expect((await refusal(containerWith(design, compressed, 6))).code).toBe('container-entry-compressed');
  });

  it('refuses a zip without design.json, and says so in Spanish too', async () => {
    const issue = await refusal(zipSync({ 'other.txt': new Uint8Array(3) }));
    expect(formatIssue(issue, 'es')).toContain('no contiene design.json');
  });
});

const python = findPython(['numpy', 'torch']);
describe.skipIf(!python)('safetensors written and read by real Python (numpy, torch)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netcanvas-st-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The layout by hand (Debian has no `safetensors` package): tensors in reverse order in the data, a
  // __metadata__ entry and the header padded with spaces to 8 bytes, as the Python library writes it.
  const WRITE = `
import hashlib, json, struct, sys, torch
spec = json.load(sys.stdin)
torch.manual_seed(7)
tensors = {name: torch.randn(*shape).numpy().astype('<f4') for name, shape in spec['tensors']}
header, blobs, at = {'__metadata__': {'format': 'pt'}}, [], 0
for name in reversed(list(tensors)):
    raw = tensors[name].tobytes()
    header[name] = {'dtype': 'F32', 'shape': list(tensors[name].shape), 'data_offsets': [at, at + len(raw)]}
    blobs.append(raw)
    at += len(raw)
text = json.dumps(header).encode()
text += b' ' * ((8 - (len(text) + 8) % 8) % 8)
with open(spec['path'], 'wb') as f:
    f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))
print(json.dumps({name: {'shape': list(t.shape), 'sha256': hashlib.sha256(t.tobytes()).hexdigest()} for name, t in tensors.items()}))
`;
  // Reads NetCanvas's own .netcanvas with zipfile and numpy only: what any other tool would have to do.
  const READ = `
import hashlib, json, struct, sys, zipfile, numpy as np
raw = zipfile.ZipFile(sys.argv[1] if len(sys.argv) > 1 else sys.stdin.readline().strip()).read('weights.safetensors')
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
out = {}
for name, e in header.items():
    if name == '__metadata__': continue
    a, b = e['data_offsets']
    assert e['dtype'] == 'F32' and b - a == 4 * int(np.prod(e['shape']))
    out[name] = {'shape': e['shape'], 'sha256': hashlib.sha256(np.frombuffer(data[a:b], dtype='<f4').tobytes()).hexdigest()}
print(json.dumps(out))
`;

  it('reads a safetensors file that Python wrote for the design', async () => {
    const design = lenet();
    const inference = inferShapes(flattenDesign(design));
    const tensors = inference.order.flatMap((id) => inference.nodes.get(id)!.weights.map((w) => [tensorName(id, w.name), w.shape]));
    const path = join(dir, 'lenet.safetensors');
    const expected = JSON.parse(runPython(python!, WRITE, JSON.stringify({ tensors, path })));
    const file = readFileSync(path);
    const r = await readSafetensorsFor(design, bytesSource(new Uint8Array(file)), 0, file.byteLength, 'lenet.safetensors');
    expect(r.ok, JSON.stringify(!r.ok && r.errors)).toBe(true);
    if (!r.ok) return;
    expect(digests(r.weights!)).toEqual(expected);
  });

  it('writes a .netcanvas whose weights Python reads back bit for bit', () => {
    const design = loadTemplate('resnet-18.json');
    const weights = weightsFor(design, 11);
    const path = join(dir, 'resnet.netcanvas');
    writeFileSync(path, concat(netcanvasChunks(design, weights)));
    const read = JSON.parse(runPython(python!, READ, `${path}\n`));
    expect(read).toEqual(digests(weights));
  });
});
