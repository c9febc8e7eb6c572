import { describe, expect, it } from 'vitest';
import { DesignBuilder } from './builder.ts';
import { parseDesign, serializeDesign } from './format.ts';
import { formatIssue } from './messages.ts';

function lenetish() {
  const b = new DesignBuilder('Tiny', { description: 'a test' });
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
      'This design was saved by a newer NetCanvas (file version 7); this app reads versions up to 1',
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
