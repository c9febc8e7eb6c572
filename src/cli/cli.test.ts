/**
 * The CLI as users run it: the real `bin/netcanvas.mjs` in a child Node process, on design files written
 * to a temporary folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { DesignBuilder } from '../graph/builder.ts';
import { serializeDesign } from '../graph/file-format.ts';
import { inferShapes } from '../graph/infer.ts';
import { FORMAT_VERSION, type Design } from '../graph/types.ts';
import type { DesignWeights, WeightTensor } from '../graph/weights.ts';
import { loadTemplate } from '../graph/testing/templates.ts';
import { findPython } from '../export/testing/python.ts';
import { formatBytes, formatCount } from '../graph/number-format.ts';
import { summaryJson } from './summary.ts';
import { netcanvas, ROOT, type Run } from './testing/run-bin.ts';

/** No user mistake may surface as a JavaScript stack trace. */
function expectNoStackTrace(expect: ExpectStatic, r: Run) {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/Error:|node:internal/);
}

let dir: string;
const file = (name: string) => join(dir, name);
function writeDesign(name: string, design: Design | string): string {
  writeFileSync(file(name), typeof design === 'string' ? design : serializeDesign(design));
  return file(name);
}

/** Hand-checkable: conv 5×5×1→8 = 5·5·1·8 + 8 = 208 params, 24·24·8·25 = 115,200 MACs; dense 1152·10 + 10. */
function smallCnn(): Design {
  const b = new DesignBuilder('Small CNN');
  const input = b.add('Input', { shape: [28, 28, 1] }, [], { id: 'in' });
  b.chain(input, [
    ['Conv2D', { filters: 8, kernel_size: [5, 5], activation: 'relu' }, { id: 'conv1', label: 'Feature maps' }],
    ['BatchNorm', {}, { id: 'bn' }],
    ['MaxPool2D', { pool_size: [2, 2] }, { id: 'pool' }],
    ['Flatten', {}, { id: 'flat' }],
    ['Dense', { units: 10, activation: 'softmax' }, { id: 'out' }],
  ]);
  return b.build();
}

/** Two branches from one input; branch "bad" has a 13×13 kernel on a 12×12 map. */
function brokenBranch(): Design {
  const b = new DesignBuilder('Broken branch');
  const input = b.add('Input', { shape: [12, 12, 3] }, [], { id: 'in' });
  b.chain(input, [['Conv2D', { filters: 4, kernel_size: [13, 13] }, { id: 'bad' }], ['Flatten', {}, { id: 'bad_flat' }]]);
  b.chain(input, [['Conv2D', { filters: 4, kernel_size: [3, 3] }, { id: 'good' }], ['GlobalAvgPool2D', {}, { id: 'gap' }]]);
  return b.build();
}

/** AlexNet's first layer on 224×224: valid, with a warning (stride 4 leaves a column unused). */
function warnsOnly(): Design {
  const b = new DesignBuilder('AlexNet stem');
  const input = b.add('Input', { shape: [224, 224, 3] }, [], { id: 'in' });
  b.chain(input, [['Conv2D', { filters: 64, kernel_size: [11, 11], strides: [4, 4] }, { id: 'conv1' }]]);
  return b.build();
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netcanvas-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.concurrent('netcanvas summary', () => {
  it('prints a table with each node, its kind, output shape, params and MACs, then the totals', async ({ expect }) => {
    const r = await netcanvas(['summary', writeDesign('small.json', smallCnn())]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const row = (id: string) => lines.find((l) => l.startsWith(`${id} `)) ?? '';
    expect(r.stdout).toMatch(/Node\s+Kind\s+Output shape\s+Params\s+MACs/);
    expect(row('conv1')).toMatch(/^conv1 \(Feature maps\)\s+Conv2D\s+24×24×8\s+208\s+115,200$/);
    expect(row('bn')).toMatch(/BatchNorm\s+24×24×8\s+32\s/);
    expect(row('pool')).toMatch(/MaxPool2D\s+12×12×8\s+0\s/);
    expect(row('flat')).toMatch(/Flatten\s+1152\s/);
    expect(row('out')).toMatch(/Dense\s+10\s+11,530\s+11,520$/);
    // Rows come in topological order.
    expect(['in ', 'conv1', 'bn', 'pool', 'flat', 'out'].map((id) => lines.findIndex((l) => l.startsWith(id)))).toEqual(
      [...Array(6).keys()].map((i) => lines.findIndex((l) => l.startsWith('in ')) + i),
    );
    expect(r.stdout).toMatch(/Total params:\s+11,770$/m);
    expect(r.stdout).toMatch(/Trainable params:\s+11,754$/m);
    expect(r.stdout).toMatch(/Non-trainable params:\s+16$/m);
    expect(r.stdout).toMatch(/MACs \(multiply-accumulates\):\s+126,720 /m);
    // Outputs of in, conv1 (relu fused), bn, pool, flat, out: 784 + 2 × 4608 + 1152 + 1152 + 10 values, 4 bytes each.
    const values = 784 + 2 * 4608 + 1152 + 1152 + 10;
    expect(r.stdout).toContain(`(${formatCount(values * 4, 'en')} bytes)`);
    expect(r.stdout).toMatch(/Errors:\s+0$/m);
    expect(r.stdout).toMatch(/Warnings:\s+0$/m);
    expect(r.stderr).toBe('');
  });

  it('--json prints one JSON object with the totals, every node and the issues', async ({ expect }) => {
    const design = smallCnn();
    const r = await netcanvas(['summary', writeDesign('small-json.json', design), '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      totalParams: 11770,
      trainableParams: 11754,
      nonTrainableParams: 16,
      macs: 126720,
      activationBytes: (784 + 2 * 4608 + 1152 + 1152 + 10) * 4,
      errors: [],
      warnings: [],
    });
    expect(json.nodes.map((n: { id: string }) => n.id)).toEqual(['in', 'conv1', 'bn', 'pool', 'flat', 'out']);
    expect(json.nodes[1]).toMatchObject({
      id: 'conv1',
      kind: 'Conv2D',
      label: 'Feature maps',
      outputShape: [24, 24, 8],
      params: 208,
      trainableParams: 208,
      nonTrainableParams: 0,
      macs: 115200,
      issues: [],
    });
    expect(json.nodes[2]).toMatchObject({ kind: 'BatchNorm', params: 32, trainableParams: 16, nonTrainableParams: 16 });
    expect(json.nodes[0]).not.toHaveProperty('label');
    // The CLI prints what the library infers, nothing of its own.
    expect(json).toEqual(JSON.parse(JSON.stringify(summaryJson(design, inferShapes(design)))));
  });

  it('still prints the table for a design with shape errors, showing "?" for broken nodes, and exits 0', async ({ expect }) => {
    const path = writeDesign('broken.json', brokenBranch());
    const r = await netcanvas(['summary', path]);
    expect(r.code).toBe(0);
    const row = (id: string) => r.stdout.split('\n').find((l) => l.startsWith(`${id} `)) ?? '';
    expect(row('bad')).toMatch(/Conv2D\s+\?\s+\?\s+\?\s+1 error$/);
    expect(row('bad_flat')).toMatch(/Flatten\s+\?\s+\?\s+\?$/);
    expect(row('good')).toMatch(/Conv2D\s+10×10×4\s+112\s/);
    expect(row('gap')).toMatch(/GlobalAvgPool2D\s+4\s/);
    expect(r.stdout).toMatch(/Errors:\s+1$/m);
    expect(r.stdout).toContain('✖ error [kernel-too-large] bad: kernel 13×13 is larger than its 12×12 input');

    const json = JSON.parse((await netcanvas(['summary', '--json', path])).stdout);
    expect(json.errors).toEqual([
      { severity: 'error', code: 'kernel-too-large', nodeId: 'bad', param: 'kernel_size', message: 'bad: kernel 13×13 is larger than its 12×12 input' },
    ]);
    const bad = json.nodes.find((n: { id: string }) => n.id === 'bad');
    expect(bad.outputShape).toBeNull();
    expect(bad.issues).toEqual([{ severity: 'error', code: 'kernel-too-large', nodeId: 'bad', param: 'kernel_size', message: expect.stringContaining('13×13') }]);
    expect(json.nodes.find((n: { id: string }) => n.id === 'gap').outputShape).toEqual([4]);
  });

  it('speaks Spanish with --lang es, messages included', async ({ expect }) => {
    const r = await netcanvas(['summary', '--lang', 'es', writeDesign('broken-es.json', brokenBranch())]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Nodo\s+Tipo\s+Forma de salida\s+Parámetros\s+MACs/);
    expect(r.stdout).toMatch(/Parámetros totales:\s+112$/m);
    expect(r.stdout).toContain('el kernel 13×13 es mayor que su entrada de 12×12');
  });

  it('reads the design from standard input when FILE is "-"', async ({ expect }) => {
    const r = await netcanvas(['summary', '-', '--json'], serializeDesign(smallCnn()));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).totalParams).toBe(11770);
  });

  // templates/ is written by the templates work; CI builds it before the suite runs.
  it('reproduces torchvision VGG-16: 138,357,544 parameters from templates/vgg-16.json', async ({ expect }) => {
    const r = await netcanvas(['summary', '--json', 'templates/vgg-16.json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.totalParams).toBe(138357544);
    expect(json.errors).toEqual([]);
    expect((await netcanvas(['summary', 'templates/vgg-16.json'])).stdout).toMatch(/Total params:\s+138,357,544$/m);
  });
});

describe.concurrent('netcanvas validate', () => {
  it('exits 0 with an OK line for a valid design', async ({ expect }) => {
    const r = await netcanvas(['validate', writeDesign('valid.json', smallCnn())]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('OK: 6 layers, 11,770 params');
    expect(r.stderr).toBe('');
  });

  it('exits 0 for a design with warnings only, printing the warnings', async ({ expect }) => {
    const r = await netcanvas(['validate', writeDesign('warns.json', warnsOnly())]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK: 2 layers, 23,296 params, 2 warnings$/m);
    expect(r.stderr).toContain('⚠ warning [stride-unused] conv1: stride 4 leaves 1 column of the 224-wide input unused');
  });

  it('exits 1 with every inference error for a design that loads but does not infer', async ({ expect }) => {
    const r = await netcanvas(['validate', writeDesign('invalid.json', brokenBranch())]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('✖ error [kernel-too-large] bad: kernel 13×13 is larger than its 12×12 input');
    expect(r.stderr).toMatch(/Invalid: 1 error$/m);
  });

  it('exits 1 naming the nodes of a cycle', async ({ expect }) => {
    const path = writeDesign(
      'cycle.json',
      JSON.stringify({
        format: 'netcanvas',
        version: 1,
        name: 'loop',
        nodes: [
          { id: 'in', kind: 'Input', params: { shape: [8, 8, 3] } },
          { id: 'merge', kind: 'Add' },
          { id: 'act', kind: 'Activation' },
        ],
        edges: [
          { source: 'in', target: 'merge' },
          { source: 'act', target: 'merge', targetSlot: 1 },
          { source: 'merge', target: 'act' },
        ],
      }),
    );
    for (const command of ['validate', 'summary']) {
      const r = await netcanvas([command, path]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`netcanvas: ${path}: merge is part of a cycle (merge → act → merge); a network must flow one way`);
      expectNoStackTrace(expect, r);
    }
  });

  it('answers hostile files with one short line each, never an internal error', async ({ expect }) => {
    const ring = (n: number) => ({
      format: 'netcanvas',
      version: 1,
      nodes: [{ id: 'in', kind: 'Input', params: { shape: [4] } }, ...Array.from({ length: n }, (_, i) => ({ id: `add_${i + 1}`, kind: 'Add' }))],
      edges: [
        { source: 'in', target: 'add_1' },
        ...Array.from({ length: n }, (_, i) => ({ source: `add_${i + 1}`, target: `add_${((i + 1) % n) + 1}`, targetSlot: 1 })),
      ],
    });
    const cases: [string, string, RegExp][] = [
      ['deep.json', `{"format":"netcanvas","version":${'['.repeat(8_000)}${']'.repeat(8_000)}}`, /more than 64 levels deep/],
      [
        'long-name.json',
        JSON.stringify({ format: 'netcanvas', version: 1, nodes: [{ id: 'in', kind: 'Input', params: { shape: [4], ['x'.repeat(1_000_000)]: 1 } }] }),
        /in: unknown parameter x+… for Input$/,
      ],
      ['ring.json', JSON.stringify(ring(4_000)), /cycle through 4,000 layers \(add_1 → add_2 → add_3 → … → add_4000 → add_1\)/],
    ];
    await Promise.all(
      cases.map(async ([name, text, message]) => {
        const r = await netcanvas(['validate', writeDesign(name, text)]);
        expect(r.code).toBe(1);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr.length).toBeLessThan(1_000);
        expect(r.stderr.trim()).toMatch(message);
        expectNoStackTrace(expect, r);
      }),
    );
  });

  it('reads a design file that starts with a UTF-8 byte-order mark', async ({ expect }) => {
    const r = await netcanvas(['validate', writeDesign('bom.json', `\uFEFF${serializeDesign(smallCnn())}`)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('explains a file saved by a newer version instead of guessing at it', async ({ expect }) => {
    const r = await netcanvas(['validate', writeDesign('future.json', JSON.stringify({ format: 'netcanvas', version: 7, nodes: [] }))]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `netcanvas: ${file('future.json')}: This design was saved by a newer NetCanvas (file version 7); this app reads versions up to ${FORMAT_VERSION}`,
    );
  });
});

describe.concurrent('netcanvas on bad input', () => {
  it('reports malformed JSON in one line, without a stack trace', async ({ expect }) => {
    for (const command of ['summary', 'validate']) {
      const r = await netcanvas([command, writeDesign('malformed.json', '{"format": "netcanvas", "nodes": [')]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^netcanvas: .*malformed\\.json: Not valid JSON: \\S`));
      expectNoStackTrace(expect, r);
    }
  });

  it('reports a file that is not a NetCanvas design', async ({ expect }) => {
    const r = await netcanvas(['summary', writeDesign('other.json', '{"hello": "world"}')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Not a NetCanvas design: the "format" field is missing');
  });

  it('reports a missing file, a directory and an unreadable file in one line each, exit 1', async ({ expect }) => {
    const missing = await netcanvas(['summary', file('nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`netcanvas: ${file('nope.json')}: no such file\n`);

    mkdirSync(file('folder.json'), { recursive: true });
    const folder = await netcanvas(['validate', file('folder.json')]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toBe(`netcanvas: ${file('folder.json')}: is a directory, not a design file\n`);

    for (const x of [missing, folder]) expectNoStackTrace(expect, x);

    // root reads anything, so only other users can see the permission message.
    if (process.getuid?.() === 0) return;
    const locked = writeDesign('locked.json', smallCnn());
    chmodSync(locked, 0o000);
    const r = await netcanvas(['summary', locked]);
    chmodSync(locked, 0o644);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`netcanvas: ${locked}: permission denied\n`);
  });

  it('prints usage for --help (exit 0) and for no arguments (exit 2, on stderr)', async ({ expect }) => {
    const help = await netcanvas(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('netcanvas summary FILE [--json] [--lang en|es]');
    expect(help.stdout).toContain('netcanvas validate FILE');
    expect(help.stdout).toMatch(/use `validate` as the gate/);
    const none = await netcanvas([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(help.stdout);
    expect((await netcanvas(['help', 'validate'])).stdout).toMatch(/^usage:\n {2}netcanvas validate FILE/);
    expect((await netcanvas(['summary', '--help'])).code).toBe(0);
  });

  it('exits 2 with a one-line reason and the usage line for usage errors', async ({ expect }) => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /^netcanvas: unknown command "frobnicate"\n/],
      [['summary'], /^netcanvas: summary: missing FILE\nusage: netcanvas summary FILE/],
      [['summary', 'a.json', 'b.json'], /^netcanvas: summary: unexpected argument "b.json"\n/],
      [['summary', 'a.json', '--colour'], /^netcanvas: summary: Unknown option '--colour'\nusage:/],
      [['validate', 'a.json', '--lang', 'fr'], /^netcanvas: validate: --lang must be en or es, got "fr"\n/],
    ];
    for (const [args, message] of cases) {
      const r = await netcanvas(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expectNoStackTrace(expect, r);
    }
  });
});

/** The file names listed under the headline of `netcanvas export`'s report, relative to the out folder. */
function listedFiles(stdout: string, out: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('  '))
    .map((l) => l.trim().split(/\s{2,}/)[0])
    .map((p) => {
      if (!p.startsWith(`${out}/`)) throw new Error(`"${p}" is not under ${out}`);
      return p.slice(out.length + 1);
    });
}

/** Deterministic, distinct values for every weight the design declares (Keras layout), for round trips. */
function patternWeights(design: Design): DesignWeights {
  const inference = inferShapes(design);
  const out = new Map<string, Record<string, WeightTensor>>();
  let k = 0;
  for (const id of inference.order) {
    const named: Record<string, WeightTensor> = {};
    for (const w of inference.nodes.get(id)!.weights) {
      const data = new Float32Array(w.shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) data[i] = ((k++ * 7919) % 1000) / 1000 - 0.5;
      if (w.name === 'moving_variance') data.fill(1);
      named[w.name] = { shape: w.shape, data };
    }
    if (Object.keys(named).length) out.set(id, named);
  }
  return out;
}

const MNIST = 'templates/mnist-cnn.json';
const EXPECTED_FILES = {
  pytorch: ['model.py', 'train.py', 'README.txt'],
  keras: ['model.py', 'model_config.json', 'README.txt'],
  onnx: ['model.onnx', 'onnx-summary.txt'],
} as const;

describe.concurrent('netcanvas export', () => {
  for (const [target, files] of Object.entries(EXPECTED_FILES)) {
    it(`--to ${target} writes ${files.join(', ')} into a new folder and lists them with their sizes`, async ({ expect }) => {
      const out = file(`mnist-${target}/nested`);
      const r = await netcanvas(['export', MNIST, '--to', target, '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const name = { pytorch: 'PyTorch', keras: 'Keras', onnx: 'ONNX' }[target];
      expect(r.stdout.split('\n')[0]).toBe(`Exported "MNIST CNN" to ${name}: ${files.length} files in ${out}`);
      expect(listedFiles(r.stdout, out)).toEqual(files);
      expect(readdirSync(out).sort()).toEqual([...files].sort());
      for (const f of files) {
        const bytes = readFileSync(join(out, f)).length;
        expect(bytes).toBeGreaterThan(0);
        expect(r.stdout).toMatch(new RegExp(`${join(out, f).replace(/[.]/g, '\\.')}\\s+${formatBytes(bytes, 'en').replace('.', '\\.')}$`, 'm'));
      }
    });
  }

  it('writes PyTorch code that runs under real torch with the output shape and parameter count of our summary', async ({ expect }) => {
    const python = findPython(['torch']);
    if (!python) return;
    const out = file('mnist-torch-run');
    expect((await netcanvas(['export', MNIST, '--to', 'pytorch', '--out', out])).code).toBe(0);
    const run = spawnSync(python, ['model.py'], { cwd: out, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = JSON.parse((await netcanvas(['summary', '--json', MNIST])).stdout);
    expect(run.stdout).toContain(`${formatCount(summary.totalParams, 'en')} parameters`);
    expect(run.stdout).toMatch(/^output \(1, 10\)$/m);
    expect(summary.nodes.at(-1).outputShape).toEqual([10]);
  });

  it('includes the weights a design file carries, and the exported model loads them in PyTorch layout', async ({ expect }) => {
    const design = loadTemplate('mnist-cnn.json');
    const weights = patternWeights(design);
    const path = writeDesign('mnist-trained.json', serializeDesign(design, weights));
    const targets = ['pytorch', 'keras'] as const;
    const [untrained, ...runs] = await Promise.all([
      netcanvas(['export', MNIST, '--to', 'pytorch', '--out', file('untrained')]),
      ...targets.map((target) => netcanvas(['export', path, '--to', target, '--out', file(`trained-${target}`)])),
    ]);
    targets.forEach((target, i) => {
      const out = file(`trained-${target}`);
      expect(runs[i].code).toBe(0);
      expect(runs[i].stdout).toMatch(/with its trained weights/);
      expect(listedFiles(runs[i].stdout, out)).toEqual([...EXPECTED_FILES[target], 'weights.npz']);
      expect(existsSync(join(out, 'weights.npz'))).toBe(true);
    });
    expect(untrained.stdout).not.toMatch(/weights/);

    const python = findPython(['torch', 'numpy']);
    if (!python) return;
    // Keras stores a conv kernel HWIO and a dense kernel [in, out]; PyTorch wants OIHW and [out, in].
    const conv = weights.get('conv1')!.kernel;
    const script = [
      'import json, sys, torch',
      'from model import MNISTCNN',
      "m = MNISTCNN('weights.npz')",
      'print(json.dumps({"conv1": m.conv1.weight.permute(2, 3, 1, 0).flatten().tolist(), "bias": m.output.bias.tolist()}))',
    ].join('\n');
    const run = spawnSync(python, ['-c', script], { cwd: file('trained-pytorch'), encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    const loaded = JSON.parse(run.stdout);
    expect(loaded.conv1).toHaveLength(conv.data.length);
    loaded.conv1.forEach((v: number, i: number) => expect(v).toBeCloseTo(conv.data[i], 6));
    expect(loaded.bias).toEqual([...weights.get('output')!.bias.data]);
  });

  it('refuses a design with errors: prints the messages, writes nothing, exits 1', async ({ expect }) => {
    const out = file('broken-out');
    const r = await netcanvas(['export', writeDesign('broken-export.json', brokenBranch()), '--to', 'pytorch', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('✖ error [kernel-too-large] bad: kernel 13×13 is larger than its 12×12 input');
    expect(r.stderr).toMatch(new RegExp(`^Not exported: 1 error; nothing was written to ${out}$`, 'm'));
    expect(existsSync(out)).toBe(false);
    expectNoStackTrace(expect, r);

    const es = await netcanvas(['export', file('broken-export.json'), '--to', 'onnx', '--out', out, '--lang', 'es']);
    expect(es.code).toBe(1);
    expect(es.stderr).toContain('el kernel 13×13 es mayor que su entrada de 12×12');
    expect(es.stderr).toContain(`No exportado: 1 error; no se escribió nada en ${out}`);
  });

  it('refuses an unreadable design with the load messages, exit 1', async ({ expect }) => {
    const r = await netcanvas(['export', file('missing.json'), '--to', 'keras', '--out', file('never')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`netcanvas: ${file('missing.json')}: no such file\n`);
    expect(existsSync(file('never'))).toBe(false);
  });

  it('says so, exit 1, when --out is a file rather than a folder', async ({ expect }) => {
    writeFileSync(file('plain-file'), 'not a folder');
    const r = await netcanvas(['export', MNIST, '--to', 'keras', '--out', file('plain-file')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`netcanvas: ${file('plain-file')}: is a file, not a folder\n`);
    expectNoStackTrace(expect, r);
  });

  it('exits 2 with the usage line for a missing or unknown --to, a missing --out, or an unknown option', async ({ expect }) => {
    const usageLine = 'usage: netcanvas export FILE --to pytorch|keras|onnx --out DIR [--weights FILE.safetensors] [--lang en|es]';
    const cases: [string[], string][] = [
      [['export', MNIST, '--out', 'x'], 'netcanvas: export: missing --to pytorch|keras|onnx'],
      [['export', MNIST, '--to', 'tensorflow', '--out', 'x'], 'netcanvas: export: --to must be one of pytorch, keras, onnx, got "tensorflow"'],
      [['export', MNIST, '--to', 'onnx'], 'netcanvas: export: missing --out DIR'],
      [['export', MNIST, '--to', 'onnx', '--out', 'x', '--zip'], "netcanvas: export: Unknown option '--zip'"],
      [['export', '--to', 'onnx', '--out', 'x'], 'netcanvas: export: missing FILE'],
      [['export', MNIST, '--to'], "netcanvas: export: Option '--to <value>' argument missing"],
    ];
    const runs = await Promise.all(cases.map(([args]) => netcanvas(args)));
    cases.forEach(([args, message], i) => {
      expect(runs[i].code, args.join(' ')).toBe(2);
      expect(runs[i].stderr).toBe(`${message}\n${usageLine}\n`);
      expect(runs[i].stdout).toBe('');
    });
    expect(existsSync(join(ROOT, 'x'))).toBe(false);
    const help = await netcanvas(['help', 'export']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('netcanvas export FILE --to pytorch|keras|onnx --out DIR');
  });
});
