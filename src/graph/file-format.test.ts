import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DesignBuilder } from './builder.ts';
import { parseDesign, serializeDesign } from './file-format.ts';
import { formatIssue } from './messages.ts';
import { inferShapes } from './infer.ts';
import type { WeightTensor } from './weights.ts';
import { FORMAT_VERSION, type Design } from './types.ts';
import { loadTemplates } from './testing/templates.ts';

function lenetish() {
  const b = new DesignBuilder('Tiny', { description: { en: 'a test' } });
  const i = b.add('Input', { shape: [28, 28, 1] }, [], { id: 'in' });
  b.chain(i, [['Conv2D', { filters: 8, kernel_size: [5, 5] }, { id: 'conv1' }], ['Flatten'], ['Dense', { units: 10 }, { id: 'out' }]]);
  return b.build();
}

function messages(input: unknown): string[] {
  const r = parseDesign(input);
  if (r.ok) throw new Error('expected the file to be rejected');
  return r.errors.map((e) => formatIssue(e));
}

describe('parseDesign', () => {
  it('round-trips a design through its JSON text', () => {
    const design = lenetish();
    const r = parseDesign(serializeDesign(design));
    expect(r.ok && r.design).toEqual(design);
  });

  it('fills default parameters and accepts the kernel_size shorthand', () => {
    const r = parseDesign({
      format: 'netcanvas',
      version: 1,
      name: 'x',
      nodes: [
        { id: 'in', kind: 'Input', params: { shape: [8, 8, 1] } },
        { id: 'c', kind: 'Conv2D', params: { kernel_size: 5 } },
      ],
      edges: [{ source: 'in', target: 'c' }],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.design.nodes[1].params.kernel_size).toEqual([5, 5]);
    expect(r.design.nodes[1].params.filters).toBe(8);
    expect(r.design.nodes[0].position).toEqual({ x: 0, y: 0 });
    expect(r.design.edges[0].id).toBeTruthy();
  });

  it('explains malformed JSON, wrong formats and versions instead of throwing', () => {
    expect(messages('{"format": "netcanvas",')[0]).toMatch(/^Not valid JSON: /);
    expect(messages('[1,2]')).toEqual(['Not a NetCanvas design: the "format" field is a list (expected "netcanvas")']);
    expect(messages({ format: 'keras' })).toEqual(['Not a NetCanvas design: the "format" field is "keras" (expected "netcanvas")']);
    expect(messages({ format: 'netcanvas', version: 7, nodes: [] })).toEqual([
      `This design was saved by a newer NetCanvas (file version 7); this app reads versions up to ${FORMAT_VERSION}`,
    ]);
    expect(messages({ format: 'netcanvas', version: '1', nodes: [] })[0]).toMatch(/"version" field must be a whole number/);
    expect(messages(null)[0]).toMatch(/Not a NetCanvas design/);
  });

  it('names the node and field of a schema error', () => {
    const bad = JSON.parse(serializeDesign(lenetish()));
    bad.nodes[1].position = { x: 'left', y: 0 };
    expect(messages(bad)).toEqual([expect.stringMatching(/^nodes\[1\] \(conv1\)\.position\.x: /)]);
  });

  it('names the node and parameter of a bad value', () => {
    const bad = JSON.parse(serializeDesign(lenetish()));
    bad.nodes[1].params.kernel_size = [5, -1];
    bad.nodes[3].params.units = 0;
    bad.nodes[3].params.colour = 'red';
    expect(messages(bad)).toEqual([
      'conv1: parameter kernel_size = [5, -1] is out of range [1, 100000]',
      'out: parameter units = 0 is out of range [1, 100000]',
      'out: unknown parameter colour for Dense',
    ]);
  });

  it('rejects unknown kinds, duplicate ids, dangling edges and cycles with their names', () => {
    const base = JSON.parse(serializeDesign(lenetish()));
    expect(messages({ ...base, nodes: [...base.nodes, { id: 'z', kind: 'Conv3D' }] })).toEqual(['z: unknown layer kind "Conv3D"']);
    expect(messages({ ...base, nodes: [...base.nodes, base.nodes[0]] })).toEqual(['Two nodes share the id "in"']);
    expect(messages({ ...base, edges: [...base.edges, { source: 'out', target: 'ghost' }] })).toEqual([
      'Connection e3:out->ghost refers to a node "ghost" that does not exist',
    ]);
    const cyclic = { ...base, edges: [...base.edges, { id: 'back', source: 'out', target: 'conv1' }] };
    expect(messages(cyclic)).toEqual(['conv1 is part of a cycle (conv1 → flatten → out → conv1); a network must flow one way']);
  });

  it('refuses absurdly large files with a message', () => {
    const nodes = Array.from({ length: 20_001 }, (_, i) => ({ id: `n${i}`, kind: 'Dropout' }));
    expect(messages({ format: 'netcanvas', version: 1, nodes })).toEqual(['The design has 20001 nodes; the limit is 20000']);
  });
});

describe('weights saved with a design', () => {
  function weightsFor(design: ReturnType<typeof lenetish>) {
    const result = inferShapes(design);
    const map = new Map<string, Record<string, WeightTensor>>();
    let k = 0;
    for (const id of result.order) {
      const declared = result.nodes.get(id)!.weights;
      if (declared.length === 0) continue;
      map.set(
        id,
        Object.fromEntries(
          declared.map((w) => {
            const n = w.shape.reduce((a, b) => a * b, 1);
            return [w.name, { shape: w.shape, data: Float32Array.from({ length: n }, () => Math.fround(Math.sin(k++) * 3)) }];
          }),
        ),
      );
    }
    return map;
  }

  it('round-trips every value bit for bit', () => {
    const design = lenetish();
    const weights = weightsFor(design);
    const r = parseDesign(serializeDesign(design, weights));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.design).toEqual(design);
    expect(r.warnings).toEqual([]);
    expect([...r.weights!.keys()]).toEqual(['conv1', 'out']);
    for (const [id, named] of weights) {
      for (const [name, t] of Object.entries(named)) {
        expect(r.weights!.get(id)![name].shape).toEqual(t.shape);
        expect(Array.from(r.weights!.get(id)![name].data)).toEqual(Array.from(t.data));
      }
    }
  });

  it('keeps the weights when a weightless layer has an empty entry (flatten: {}), and still refuses a stray tensor', () => {
    const design = lenetish();
    const file = JSON.parse(serializeDesign(design, weightsFor(design)));
    file.weights.tensors.flatten = {};
    const r = parseDesign(file);
    expect(r.ok && r.warnings).toEqual([]);
    expect(r.ok && [...r.weights!.keys()]).toEqual(['conv1', 'out']);
    file.weights.tensors.flatten = { kernel: file.weights.tensors.out.bias };
    const stray = parseDesign(file);
    expect(stray.ok && stray.warnings.map((w) => formatIssue(w))).toEqual([
      'The saved weights were not loaded: flatten has a saved kernel, which it does not declare. The design itself loaded.',
    ]);
  });

  it('loads the design but drops weights that do not fit it, saying why', () => {
    const design = lenetish();
    const file = JSON.parse(serializeDesign(design, weightsFor(design)));
    file.nodes[1].params.filters = 4;
    const r = parseDesign(file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.weights).toBeUndefined();
    expect(r.warnings.map((w) => formatIssue(w))).toEqual([
      'The saved weights were not loaded: conv1.kernel was saved as [5, 5, 1, 8] but the design needs [5, 5, 1, 4]. The design itself loaded.',
    ]);
    const truncated = JSON.parse(serializeDesign(design, weightsFor(design)));
    truncated.weights.tensors.out.bias.data = truncated.weights.tensors.out.bias.data.slice(0, 8);
    const t = parseDesign(truncated);
    expect(t.ok && t.warnings.map((w) => formatIssue(w))).toEqual([
      'The saved weights were not loaded: out.bias: holds 6 bytes but shape [10] needs 40 (10 float32 values). The design itself loaded.',
    ]);
  });
});

describe('parseDesign on hostile input', () => {
  const nested = (depth: number) => `{"format":"netcanvas","version":${'['.repeat(depth)}${']'.repeat(depth)}}`;

  it('refuses 8,000-deep nesting with a message naming where, as text and as a value', () => {
    const text = nested(8_000);
    for (const input of [text, JSON.parse(text)]) {
      expect(messages(input)).toEqual([
        'The file nests lists or objects more than 64 levels deep (at version[0][0][0]…); a design never does',
      ]);
    }
    const es = parseDesign(text);
    expect(!es.ok && formatIssue(es.errors[0], 'es')).toBe(
      'El archivo anida listas u objetos a más de 64 niveles (en version[0][0][0]…); un diseño nunca lo hace',
    );
  });

  it('judges a shallow file by what is wrong in it, not by its depth', () => {
    expect(parseDesign(nested(3)).ok).toBe(false); // refused for its version, not its depth
    expect(messages(nested(3))[0]).toMatch(/"version" field must be a whole number/);
  });

  it('accepts a file that starts with a UTF-8 byte-order mark (Windows Notepad writes one)', () => {
    const design = lenetish();
    const r = parseDesign(`\uFEFF${serializeDesign(design)}`);
    expect(r.ok && r.design).toEqual(design);
  });

  it('shows at most 40 characters of a wrong value', () => {
    const [message] = messages({ format: 'x'.repeat(1_000_000) });
    expect(message).toBe(`Not a NetCanvas design: the "format" field is "${'x'.repeat(36)}... (expected "netcanvas")`);
  });
});

describe('parameters named like inherited members', () => {
  const INHERITED = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', '__proto__'];

  it('reports each as an unknown parameter, from text and from a value, leaving Object.prototype alone', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    for (const name of INHERITED) {
      const text = `{"format":"netcanvas","version":1,"nodes":[{"id":"in","kind":"Input","params":{"shape":[4],"${name}":1}}]}`;
      for (const input of [text, JSON.parse(text)]) {
        expect(messages(input)).toEqual([`in: unknown parameter ${name} for Input`]);
      }
    }
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).shape).toBeUndefined();
  });

  it('still fills defaults for parameters the node leaves out', () => {
    const r = parseDesign({ format: 'netcanvas', version: 1, nodes: [{ id: 'c', kind: 'Dense', params: {} }] });
    expect(r.ok && r.design.nodes[0].params.units).toBeGreaterThan(0);
  });
});

describe('messages stay bounded whatever the file holds', () => {
  it('gives a 1,000,000-character parameter name a short line that still says what and where', () => {
    const name = 'x'.repeat(1_000_000);
    for (const lang of ['en', 'es'] as const) {
      const r = parseDesign({ format: 'netcanvas', version: 1, nodes: [{ id: 'in', kind: 'Input', params: { shape: [4], [name]: 1 } }] });
      const [line] = !r.ok ? r.errors.map((e) => formatIssue(e, lang)) : [];
      expect(line.length).toBeLessThan(400);
      expect(line).toMatch(lang === 'en' ? /^in: unknown parameter x+… for Input$/ : /^in: parámetro desconocido x+… para Input$/);
    }
  });

  it('never splits a surrogate pair when it cuts', () => {
    const r = parseDesign({ format: 'netcanvas', version: 1, nodes: [{ id: 'in', kind: 'Input', params: { shape: [4], ['😀'.repeat(400)]: 1 } }] });
    const line = !r.ok ? formatIssue(r.errors[0]) : '';
    expect(line).toMatch(/^in: unknown parameter (😀)+… for Input$/u);
  });
});

describe('cycles of any length', () => {
  /** A ring of `n` Add nodes fed by one Input, as a file would hold it. */
  function ring(n: number) {
    return {
      format: 'netcanvas',
      version: 1,
      nodes: [
        { id: 'in', kind: 'Input', params: { shape: [4] } },
        ...Array.from({ length: n }, (_, i) => ({ id: `add_${i + 1}`, kind: 'Add' })),
      ],
      edges: [
        { source: 'in', target: 'add_1' },
        ...Array.from({ length: n }, (_, i) => ({ source: `add_${i + 1}`, target: `add_${((i + 1) % n) + 1}`, targetSlot: 1 })),
      ],
    };
  }

  it('reports a cycle of 4,000 Add nodes in one short message naming a few of them and the count', () => {
    expect(messages(ring(4_000))).toEqual([
      'add_1 is part of a cycle through 4,000 layers (add_1 → add_2 → add_3 → … → add_4000 → add_1); a network must flow one way',
    ]);
    const r = parseDesign(ring(4_000));
    expect(!r.ok && formatIssue(r.errors[0], 'es')).toBe(
      'add_1 forma parte de un ciclo de 4.000 capas (add_1 → add_2 → add_3 → … → add_4000 → add_1); una red debe fluir en un solo sentido',
    );
  });

  it('reports the longest cycle the format allows (20,000 nodes) the same way', () => {
    const [message] = messages(ring(19_999));
    expect(message).toMatch(/^add_1 is part of a cycle through 19,999 layers \(add_1 → add_2 → add_3 → … → add_19999 → add_1\)/);
  });

  it('still names a short cycle whole, and each separate cycle once', () => {
    const two = ring(3);
    two.nodes.push({ id: 'p', kind: 'Add' }, { id: 'q', kind: 'Add' });
    two.edges.push({ source: 'p', target: 'q' }, { source: 'q', target: 'p', targetSlot: 1 });
    expect(messages(two)).toEqual([
      'add_1 is part of a cycle (add_1 → add_2 → add_3 → add_1); a network must flow one way',
      'p is part of a cycle (p → q → p); a network must flow one way',
    ]);
  });
});

describe('format version 3: texts per language', () => {
  /** A version-3 design written down as an older version wrote it: one plain (English) text per field. */
  function asOlder(design: Design, version: 1 | 2): Record<string, unknown> {
    const doc: Record<string, unknown> = JSON.parse(serializeDesign(design));
    doc.version = version;
    if (design.description) doc.description = design.description.en;
    if (design.notes) doc.notes = design.notes.en;
    return doc;
  }

  it.each([1, 2] as const)('opens every template written as a version-%i file, its texts becoming the English ones', (version) => {
    for (const { file, design } of loadTemplates()) {
      const r = parseDesign(JSON.stringify(asOlder(design, version)));
      expect(r.ok, file).toBe(true);
      if (!r.ok) continue;
      expect(r.design.version).toBe(FORMAT_VERSION);
      expect(r.design.description, file).toEqual({ en: design.description!.en });
      expect(r.design.notes, file).toEqual({ en: design.notes!.en });
      expect({ ...r.design, description: design.description, notes: design.notes }, file).toEqual(design);
    }
  });

  it('migrates a plain Spanish text to the Spanish entry, and drops a blank one', () => {
    const old = { format: 'netcanvas', version: 2, name: 'x', description: 'Una red para los dígitos de la clase', notes: '  ', nodes: [] };
    const r = parseDesign(old);
    expect(r.ok && r.design.description).toEqual({ es: old.description });
    expect(r.ok && 'notes' in r.design).toBe(false);
  });

  it('refuses a text that is not per language, or a bad language code, naming where', () => {
    const base = { format: 'netcanvas', version: 3, name: 'x', nodes: [] };
    expect(messages({ ...base, notes: 'plain' })[0]).toMatch(/^notes: /);
    expect(messages({ ...base, description: { 'not a language': 'x' } })[0]).toMatch(/^description\.not a language: Invalid key/);
    expect(messages({ ...base, notes: { en: 5 } })[0]).toMatch(/notes\.en/);
  });

  it('round-trips texts in several languages and a lesson', () => {
    const design: Design = {
      ...lenetish(),
      description: { en: 'A net', es: 'Una red', 'pt-BR': 'Uma rede' },
      lesson: {
        title: { en: 'Lesson', es: 'Lección' },
        steps: [
          { text: { en: 'Add a conv' }, check: { type: 'has-kind', kind: 'Conv2D', after: 'Input' } },
          { text: { en: 'How many?' }, check: { type: 'choice', options: [{ en: 'one' }, { en: 'two' }], answer: 1 } },
        ],
      },
    };
    const r = parseDesign(serializeDesign(design));
    expect(r.ok && r.design).toEqual(design);
  });

  it('refuses a lesson that checks an unknown kind or has an answer past its options, by step', () => {
    const lesson = (check: unknown) => ({ format: 'netcanvas', version: 3, name: 'x', nodes: [], lesson: { title: { en: 'L' }, steps: [{ text: { en: 's' }, check }] } });
    expect(messages(lesson({ type: 'has-kind', kind: 'Conv9D' }))).toEqual(['Lesson step 1 checks for "Conv9D", which is not a layer kind']);
    expect(messages(lesson({ type: 'choice', options: [{ en: 'a' }, { en: 'b' }], answer: 2 }))).toEqual([
      'Lesson step 1: the right answer is option 3, but the question has 2 options',
    ]);
    expect(messages(lesson({ type: 'params', which: 'all', op: 'le', value: 3 }))[0]).toMatch(/^lesson\.steps\[0\]\.check/);
  });
});

describe('format version 5: notes of layers and blocks per language', () => {
  const fixture = (): Record<string, unknown> => JSON.parse(readFileSync(new URL('./testing/fixtures/v4-notes.json', import.meta.url), 'utf8'));

  it('opens a version-4 file with plain notes, each note becoming the text of the language it is written in, and nothing else changed', () => {
    const doc = fixture();
    const r = parseDesign(JSON.stringify(doc));
    if (!r.ok) throw new Error(r.errors.map((e) => formatIssue(e)).join('\n'));
    const d = r.design;
    expect(d.version).toBe(FORMAT_VERSION);
    expect(d.nodes.map((n) => n.notes)).toEqual([{ en: 'The input is fixed by the lesson.' }, { es: 'Una convolución de 1×1 que mezcla los canales de la imagen' }, undefined]);
    expect(d.instances![0].notes).toEqual({ es: 'El bloque que junta las dos ramas de la red' });
    expect(d.blocks![0].notes).toEqual({ en: 'Adds and concatenates its two inputs.' });
    expect(d.blocks![0].nodes.map((n) => n.notes)).toEqual([{ en: 'The sum of the two paths.' }, undefined]);
    // Everything but the notes reads as version 4 wrote it: the same file without any notes gives the same design.
    const noNotes = (x: unknown): unknown =>
      Array.isArray(x) ? x.map(noNotes) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'notes').map(([k, v]) => [k, noNotes(v)])) : x;
    const bare = parseDesign(noNotes(doc));
    expect(bare.ok && bare.design).toEqual(noNotes(d));
    const again = parseDesign(serializeDesign(d));
    expect(again.ok && again.design).toEqual(d);
  });

  it('migrates plain node notes from a version-1 file through every version in between', () => {
    const r = parseDesign({ format: 'netcanvas', version: 1, nodes: [{ id: 'in', kind: 'Input', params: { shape: [4] }, notes: 'An input of four numbers' }] });
    expect(r.ok && r.design.nodes[0].notes).toEqual({ en: 'An input of four numbers' });
  });

  it('refuses, naming where, a plain note in a version-5 file and a bad language code in one', () => {
    const base = { format: 'netcanvas', version: FORMAT_VERSION, name: 'x' };
    expect(messages({ ...base, nodes: [{ id: 'in', kind: 'Input', params: { shape: [4] }, notes: 'plain' }] })[0]).toMatch(/^nodes\[0\] \(in\)\.notes: /);
    expect(messages({ ...base, nodes: [{ id: 'in', kind: 'Input', params: { shape: [4] }, notes: { 'no such': 'x' } }] })[0]).toMatch(/notes\.no such: Invalid key/);
  });

  it('round-trips notes in several languages on layers, instances and definitions', () => {
    const r = parseDesign(fixture());
    if (!r.ok) throw new Error('fixture');
    const notes = { en: 'Two paths', es: 'Dos caminos', 'pt-BR': 'Dois caminhos' };
    const d: Design = { ...r.design, nodes: r.design.nodes.map((n) => ({ ...n, notes })), instances: r.design.instances!.map((i) => ({ ...i, notes })), blocks: r.design.blocks!.map((b) => ({ ...b, notes })) };
    const back = parseDesign(serializeDesign(d));
    expect(back.ok && back.design).toEqual(d);
  });
});
