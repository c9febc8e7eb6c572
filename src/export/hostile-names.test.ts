/**
 * Hostile names through every exporter, judged by the real runtimes: seeded random designs (every layer
 * kind over the seeds) whose ids, labels, name, description and notes are drawn from what breaks code
 * generators — Python keywords and builtins, dunder names, the generators' own names, unicode and bidi
 * controls, quotes, backslashes, newlines, 200-character names, names that collide once sanitised, and
 * injection payloads that call `PWN()`.
 *
 * - PyTorch: model.py is imported and run forward under Debian's torch (/usr/bin/python3);
 * - Keras: model.py's build_model() is built and called under the shared real Keras 3 (../shared/keras);
 * - ONNX: model.onnx passes onnx.checker with full shape inference.
 * In both Python runtimes `PWN` is a builtin that records its calls, so a payload that became code is
 * caught when it runs; and Python's own tokenizer must find every identifier in the generated files ASCII
 * and none of them `PWN`: no name reached the code except through the sanitiser (src/export/sanitize.ts).
 * Without the Pythons the checks skip with a warning, except under CI, where they fail.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inferShapes, toChannelsFirst, type Design } from '../graph/index.ts';
import { randomValidDesign } from '../graph/testing/random-design.ts';
import { Rng } from '../graph/testing/rng.ts';
import { REPO_ROOT } from '../graph/testing/templates.ts';
import { exportKeras } from './keras.ts';
import { exportOnnx } from './onnx.ts';
import { exportPytorch, planPytorch } from './pytorch.ts';
import { findKerasPython, findPython, runPython } from './testing/python.ts';
import { wholeContent, type ExportFile, type ExportResult } from './types.ts';

const DESIGNS = 16;

const HOSTILE: readonly string[] = [
  // Keywords, builtins and the names the generators write themselves.
  'class', 'def', 'lambda', 'None', 'True', 'import', 'return', 'yield', 'await', 'self', 'super', 'type', 'print',
  'torch', 'nn', 'F', 'keras', 'np', 'model', 'build_model', 'forward', 'x', 'inputs', 'load_weights', 'layers',
  // Dunder names.
  '__init__', '__class__', '__import__', '__builtins__', '__dict__', '__name__', '__main__', '__call__',
  // Unicode: letters, emoji, bidi override, zero-width space, full-width letters, a lone surrogate.
  'ñandú', '漢字', 'ünïcödé 名前', '🙂', '\u202eevil', 'zero\u200bwidth', 'ｆｕｌｌ', 'half\ud800',
  // Quotes, backslashes, newlines, comments, format strings.
  'a"b', "c'd", '"""', "'''", '\\', 'line\nbreak', 'cr\r\nlf', '#comment', '{x}', '%s', 'tab\there',
  // Payloads: each one calls PWN() if it ever becomes code.
  '"); PWN("', "'); PWN('", '"""; PWN(); """', "'''; PWN(); '''", '\nPWN()\n', '\\\nPWN()', 'x = PWN()',
  "__import__('builtins').PWN()", '{PWN()}', '\u2028PWN()', ') or PWN() or (',
  // Very long names.
  'w'.repeat(200), `${'PWN() '.repeat(33)}xx`,
  // Collisions once sanitised.
  'a-b', 'a b', 'a.b', 'a_b', 'A B', 'a__b', '', '   ', '0', '7up', '_', 'conv2d', 'conv2d_1',
];

/** A seeded random valid design with every name it has replaced by hostile ones (ids stay unique). */
function hostileDesign(seed: number): Design {
  const r = new Rng(seed * 7919);
  const design = randomValidDesign(seed);
  const used = new Set<string>();
  const ids = new Map<string, string>();
  for (const node of design.nodes) {
    let id = r.pick(HOSTILE).slice(0, 190) || 'id';
    for (let k = 2; used.has(id); k++) id = `${r.pick(HOSTILE).slice(0, 180)}${k}`;
    used.add(id);
    ids.set(node.id, id);
  }
  return {
    ...design,
    name: `Net ${r.pick(HOSTILE)} ${r.pick(HOSTILE)}`.slice(0, 200),
    description: { en: `${r.pick(HOSTILE)}\n"""\n${r.pick(HOSTILE)}` },
    notes: { en: `${r.pick(HOSTILE)} ''' ${r.pick(HOSTILE)}` },
    nodes: design.nodes.map((n) => {
      const { label: _label, ...rest } = n;
      const label = r.bool(0.8) ? r.pick(HOSTILE) : undefined;
      return { ...rest, id: ids.get(n.id)!, ...(label !== undefined ? { label } : {}), ...(r.bool(0.2) ? { notes: { en: r.pick(HOSTILE) } } : {}) };
    }),
    edges: design.edges.map((e) => ({ ...e, id: `${r.pick(HOSTILE).slice(0, 100)}${e.id}`, source: ids.get(e.source)!, target: ids.get(e.target)! })),
  };
}

function files(result: ExportResult, what: string): readonly ExportFile[] {
  if (!result.ok) throw new Error(`${what}: ${result.issues.map((i) => i.code).join(', ')}`);
  return result.files;
}

function writeAll(dir: string, list: readonly ExportFile[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of list) writeFileSync(path.join(dir, f.path), wholeContent(f.content));
}

/**
 * The negative control run beside the real cases: a copy of a generated model.py with a payload that did
 * escape (a call to PWN) and an identifier that skipped the sanitiser. The checks must flag both, or
 * their silence on the real cases would prove nothing.
 */
function tamperedCopy(model: string): string {
  const file = model.replace(/model\.py$/, 'tampered.py');
  writeFileSync(file, `${readFileSync(model, 'utf8')}\nPWN("control")\nnombre_ñ = 1\n`);
  return file;
}

function expectControlCaught(control: Outcome | undefined): void {
  expect(control?.pwned).toEqual(["('control',)"]);
  expect(control?.bad).toEqual(['PWN', 'nombre_ñ']);
}

/** Shared by both Python runtimes: PWN records its calls; the tokenizer lists identifiers that are not plain ASCII, or PWN. */
const PRELUDE = `
import builtins, importlib.util, io, json, re, sys, tokenize, traceback
calls = []
builtins.PWN = lambda *a, **k: calls.append(repr(a)[:80])
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\\Z")

def bad_names(file):
    with open(file, "rb") as f:
        tokens = list(tokenize.tokenize(f.readline))
    return sorted({t.string for t in tokens if t.type == tokenize.NAME and (not IDENT.match(t.string) or t.string == "PWN")})

def load(index, file):
    spec = importlib.util.spec_from_file_location(f"hostile_{index}", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

def run_all(cases, run_one):
    out = []
    for i, case in enumerate(cases):
        del calls[:]
        result = {"case": case["name"]}
        try:
            result["bad"] = sorted({n for f in case["files"] for n in bad_names(f)})
            result.update(run_one(i, case))
        except Exception:
            result["error"] = traceback.format_exc()[-1500:]
        result["pwned"] = list(calls)
        out.append(result)
    print(json.dumps(out))
`;

const TORCH_SCRIPT = `${PRELUDE}
import torch
def run_one(i, case):
    model = getattr(load(i, case["model"]), case["className"])()
    model.eval()
    with torch.no_grad():
        y = model(*[torch.zeros(1, *s) for s in case["inputs"]])
    ys = y if isinstance(y, tuple) else (y,)
    # BatchNorm's running statistics are buffers in torch, weights in our count; its step counter is neither.
    buffers = sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
    return {"params": sum(p.numel() for p in model.parameters()) + buffers, "shapes": [list(t.shape[1:]) for t in ys]}
run_all(json.load(sys.stdin), run_one)
`;

const KERAS_SCRIPT = `${PRELUDE}
import numpy as np
def run_one(i, case):
    model = load(i, case["model"]).build_model()
    xs = [np.zeros((1,) + tuple(t.shape[1:]), dtype="float32") for t in model.inputs]
    y = model(xs if len(xs) > 1 else xs[0])
    ys = y if isinstance(y, (list, tuple)) else [y]
    return {"params": int(model.count_params()), "shapes": [list(t.shape[1:]) for t in ys]}
run_all(json.load(sys.stdin), run_one)
`;

const ONNX_SCRIPT = `
import json, sys, traceback, onnx
out = []
for case in json.load(sys.stdin):
    result = {"case": case["name"]}
    try:
        model = onnx.load(case["model"])
        onnx.checker.check_model(model, full_check=True)
        names = [n.name for n in model.graph.node]
        result["duplicates"] = sorted({n for n in names if names.count(n) > 1})
    except Exception:
        result["error"] = traceback.format_exc()[-1500:]
    out.append(result)
print(json.dumps(out))
`;

const torchPython = findPython(['torch', 'numpy']);
const onnxPython = findPython(['onnx']);
const keras = findKerasPython(REPO_ROOT);

interface Outcome {
  case: string;
  error?: string;
  bad?: string[];
  pwned?: string[];
  params?: number;
  shapes?: number[][];
  duplicates?: string[];
}

describe('hostile names in every exporter, under the real runtimes', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'netcanvas-hostile-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const designs = Array.from({ length: DESIGNS }, (_, i) => hostileDesign(i + 1));
  const expected = designs.map((d) => {
    const inference = inferShapes(d);
    return { params: inference.totals.totalParams, inference };
  });

  it('draws every kind of hostile name, including collisions once sanitised', () => {
    const labels = designs.flatMap((d) => d.nodes.flatMap((n) => [n.id, n.label ?? '']));
    for (const probe of ['class', '__init__', '"); PWN("', '\nPWN()\n', 'a-b', 'a b', 'w'.repeat(190)]) {
      expect(labels.some((l) => l.startsWith(probe)), JSON.stringify(probe)).toBe(true);
    }
    expect(new Set(designs.flatMap((d) => d.nodes.map((n) => n.kind))).size).toBeGreaterThan(15);
  });

  it.skipIf(!torchPython)('PyTorch: model.py imports and runs forward, nothing injected, every identifier sanitised', () => {
    const cases = designs.map((design, i) => {
      const dir = path.join(work, `torch-${i}`);
      writeAll(dir, files(exportPytorch(design), `pytorch ${i}`));
      const ok = planPytorch(design);
      if (!ok.ok) throw new Error(`plan ${i}`);
      return {
        name: `design ${i + 1}`,
        model: path.join(dir, 'model.py'),
        files: [path.join(dir, 'model.py'), path.join(dir, 'train.py')],
        className: ok.plan.className,
        inputs: ok.plan.inputs.map((p) => toChannelsFirst(p.shape)),
        outputs: ok.plan.outputs.map((p) => toChannelsFirst(p.shape)),
      };
    });
    const control = { ...cases[0], name: 'control', model: tamperedCopy(cases[0].model), files: [] as string[] };
    control.files = [control.model];
    const results = JSON.parse(runPython(torchPython!, TORCH_SCRIPT, JSON.stringify([...cases, control]))) as Outcome[];
    expectControlCaught(results.pop());
    const problems = results.flatMap((r, i) => {
      const wrong: string[] = [];
      if (r.error) wrong.push(r.error);
      if (r.bad?.length) wrong.push(`identifiers not sanitised: ${JSON.stringify(r.bad)}`);
      if (r.pwned?.length) wrong.push(`payload ran: ${JSON.stringify(r.pwned)}`);
      if (!r.error && r.params !== expected[i].params) wrong.push(`${r.params} parameters, expected ${expected[i].params}`);
      if (!r.error && JSON.stringify(r.shapes) !== JSON.stringify(cases[i].outputs)) wrong.push(`shapes ${JSON.stringify(r.shapes)}`);
      return wrong.map((w) => `${r.case}: ${w}`);
    });
    expect(problems).toEqual([]);
  }, 120_000);

  it.skipIf(!keras)('Keras: build_model() builds and runs under real Keras 3, nothing injected, every identifier sanitised', () => {
    const cases = designs.map((design, i) => {
      const dir = path.join(work, `keras-${i}`);
      writeAll(dir, files(exportKeras(design), `keras ${i}`));
      return { name: `design ${i + 1}`, model: path.join(dir, 'model.py'), files: [path.join(dir, 'model.py')] };
    });
    const tampered = tamperedCopy(cases[0].model);
    const control = { name: 'control', model: tampered, files: [tampered] };
    const results = JSON.parse(runPython(keras!, KERAS_SCRIPT, JSON.stringify([...cases, control]))) as Outcome[];
    expectControlCaught(results.pop());
    const problems = results.flatMap((r, i) => {
      const wrong: string[] = [];
      if (r.error) wrong.push(r.error);
      if (r.bad?.length) wrong.push(`identifiers not sanitised: ${JSON.stringify(r.bad)}`);
      if (r.pwned?.length) wrong.push(`payload ran: ${JSON.stringify(r.pwned)}`);
      if (!r.error && r.params !== expected[i].params) wrong.push(`${r.params} parameters, expected ${expected[i].params}`);
      return wrong.map((w) => `${r.case}: ${w}`);
    });
    expect(problems).toEqual([]);
  }, 180_000);

  it.skipIf(!onnxPython)('ONNX: every model passes onnx.checker with full shape inference, node names distinct', () => {
    const cases = designs.map((design, i) => {
      const dir = path.join(work, `onnx-${i}`);
      writeAll(dir, files(exportOnnx(design), `onnx ${i}`));
      return { name: `design ${i + 1}`, model: path.join(dir, 'model.onnx') };
    });
    const results = JSON.parse(runPython(onnxPython!, ONNX_SCRIPT, JSON.stringify(cases))) as Outcome[];
    const problems = results.flatMap((r) => [
      ...(r.error ? [`${r.case}: ${r.error}`] : []),
      ...(r.duplicates?.length ? [`${r.case}: duplicate node names ${JSON.stringify(r.duplicates)}`] : []),
    ]);
    expect(problems).toEqual([]);
  }, 120_000);
});
