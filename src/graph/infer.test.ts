import { describe, expect, it } from 'vitest';
import { DesignBuilder } from './builder.ts';
import { designErrors, InferenceSession, inferShapes, mappingContext, type DesignInference } from './infer.ts';
import { layerSpec } from './layers/index.ts';
import { formatIssue } from './messages.ts';
import { defaultParams } from './params.ts';
import { Rng } from './testing/rng.ts';
import { FORMAT_VERSION, type Design, type DesignEdge, type DesignNode, type LayerKind, type ParamValue } from './types.ts';


const KINDS: readonly LayerKind[] = [
  'Conv2D', 'Conv2D', 'Conv2D', 'BatchNorm', 'Activation', 'Activation', 'MaxPool2D', 'Add', 'Concatenate',
  'Dropout', 'Flatten', 'Dense', 'GlobalAvgPool2D', 'DepthwiseConv2D', 'ZeroPadding2D',
];

/** Random parameters for a kind; some combinations are deliberately invalid (kernel larger than input…). */
function randomParams(r: Rng, kind: LayerKind): Record<string, ParamValue> {
  switch (kind) {
    case 'Input':
      return { shape: r.next() < 0.8 ? [r.int(4, 20), r.int(4, 20), r.int(1, 6)] : [r.int(4, 64)] };
    case 'Conv2D': {
      const k = r.int(1, 5);
      return { filters: r.pick([2, 4, 6, 8]), kernel_size: [k, k], strides: r.pick([[1, 1], [1, 1], [2, 2]]), padding: r.pick(['valid', 'same']), activation: r.pick(['linear', 'relu']) };
    }
    case 'DepthwiseConv2D':
      return { kernel_size: r.pick([[3, 3], [1, 1]]), padding: r.pick(['valid', 'same']) };
    case 'MaxPool2D':
      return { pool_size: r.pick([[2, 2], [3, 3]]) };
    case 'Activation':
      return { activation: r.pick(['relu', 'tanh', 'sigmoid', 'gelu']) };
    case 'Dense':
      return { units: r.int(1, 16), activation: r.pick(['linear', 'relu']) };
    case 'Dropout':
      return { rate: r.pick([0.1, 0.5]) };
    default:
      return {};
  }
}

function makeNode(r: Rng, id: string, kind: LayerKind): DesignNode {
  return { id, kind, params: { ...defaultParams(layerSpec(kind).params), ...randomParams(r, kind) }, position: { x: 0, y: 0 } };
}

/** A random DAG with branches and merges; one or two Inputs. */
function randomDesign(r: Rng, size: number): Design {
  const nodes: DesignNode[] = [makeNode(r, 'in0', 'Input')];
  if (r.next() < 0.3) nodes.push(makeNode(r, 'in1', 'Input'));
  const edges: DesignEdge[] = [];
  for (let i = 0; nodes.length < size; i++) {
    const kind = r.pick(KINDS);
    const id = `n${i}`;
    nodes.push(makeNode(r, id, kind));
    const fanIn = kind === 'Add' || kind === 'Concatenate' ? r.int(2, 3) : 1;
    for (let slot = 0; slot < fanIn; slot++) {
      // Prefer recent producers so chains grow deep, with occasional long skips.
      const src = nodes[Math.max(0, nodes.length - 2 - Math.floor(r.next() ** 2 * (nodes.length - 1)))];
      edges.push({ id: `${src.id}->${id}#${slot}`, source: src.id, target: id, targetSlot: slot });
    }
  }
  return { format: 'netcanvas', version: FORMAT_VERSION, name: 'random', nodes, edges };
}

let fresh = 0;
/** One editor-like edit: a new immutable design that reuses every object the edit does not touch. */
function randomEdit(r: Rng, d: Design): { design: Design; what: string } {
  const roll = r.next();
  const replaceNode = (i: number, node: DesignNode) => {
    const nodes = d.nodes.slice();
    nodes[i] = node;
    return { ...d, nodes };
  };
  if (roll < 0.45 && d.nodes.length > 0) {
    const i = r.int(0, d.nodes.length - 1);
    const n = d.nodes[i];
    return { design: replaceNode(i, { ...n, params: { ...n.params, ...randomParams(r, n.kind) } }), what: `params of ${n.id}` };
  }
  if (roll < 0.5 && d.nodes.length > 0) {
    const i = r.int(0, d.nodes.length - 1);
    const n = d.nodes[i];
    return { design: replaceNode(i, { ...n, label: `L${fresh++}` }), what: `label of ${n.id}` };
  }
  if (roll < 0.55 && d.nodes.length > 0) {
    const i = r.int(0, d.nodes.length - 1);
    const n = d.nodes[i];
    return { design: replaceNode(i, { ...n, position: { x: n.position.x + 10, y: n.position.y } }), what: `move ${n.id}` };
  }
  if (roll < 0.68 && d.nodes.length > 0) {
    const id = `x${fresh++}`;
    const kind = r.pick<LayerKind>([...KINDS, 'Input']);
    const src = r.pick(d.nodes).id;
    const edges = kind === 'Input' ? d.edges : [...d.edges, { id: `${src}->${id}`, source: src, target: id }];
    return { design: { ...d, nodes: [...d.nodes, makeNode(r, id, kind)], edges }, what: `add ${kind} ${id} after ${src}` };
  }
  if (roll < 0.78 && d.nodes.length > 1) {
    const victim = r.pick(d.nodes).id;
    return {
      design: {
        ...d,
        nodes: d.nodes.filter((n) => n.id !== victim),
        edges: d.edges.filter((e) => e.source !== victim && e.target !== victim),
      },
      what: `remove ${victim}`,
    };
  }
  if (roll < 0.9 && d.nodes.length > 1) {
    // Any two nodes: this can close a cycle, overfill an input, or feed an Input; all must be values.
    const source = r.pick(d.nodes).id;
    const target = r.pick(d.nodes).id;
    const edge = { id: `e${fresh++}`, source, target, targetSlot: r.int(0, 3) };
    return { design: { ...d, edges: [...d.edges, edge] }, what: `connect ${source} → ${target}` };
  }
  if (d.edges.length > 0) {
    const victim = r.int(0, d.edges.length - 1);
    return { design: { ...d, edges: d.edges.filter((_, i) => i !== victim) }, what: `disconnect ${d.edges[victim].id}` };
  }
  return { design: { ...d }, what: 'no-op copy' };
}

/** Everything a caller can observe, in a form `toEqual` compares strictly (Maps as ordered entries). */
function observable(inf: DesignInference) {
  return { nodes: [...inf.nodes.entries()], order: inf.order, designIssues: inf.designIssues, totals: inf.totals };
}

function downstreamOf(design: Design, id: string): Set<string> {
  const out = new Set([id]);
  const queue = [id];
  while (queue.length) {
    const cur = queue.shift()!;
    for (const e of design.edges) if (e.source === cur && !out.has(e.target)) (out.add(e.target), queue.push(e.target));
  }
  return out;
}

function withParams(design: Design, id: string, params: Record<string, ParamValue>): Design {
  return { ...design, nodes: design.nodes.map((n) => (n.id === id ? { ...n, params: { ...n.params, ...params } } : n)) };
}

describe('InferenceSession (incremental inference)', () => {
  it('equals full inference after every step of random edit sequences on random graphs', () => {
    let steps = 0;
    let withErrors = 0;
    let withCycles = 0;
    for (let seed = 1; seed <= 60; seed++) {
      // Seeded, so a failing sequence can be replayed from its seed.
      const r = new Rng(seed);
      let design = randomDesign(r, r.int(5, 40));
      const session = new InferenceSession();
      const log: string[] = [];
      for (let step = 0; step < 40; step++) {
        const incremental = session.update(design);
        const full = inferShapes(design);
        // On failure the message replays the edit history of this seed.
        expect(observable(incremental), `seed ${seed}, after: ${log.join('; ')}`).toEqual(observable(full));
        steps++;
        if (full.totals.errors > 0) withErrors++;
        if ([...full.nodes.values()].some((n) => n.issues.some((i) => i.code === 'cycle'))) withCycles++;
        const next = randomEdit(r, design);
        log.push(next.what);
        design = next.design;
      }
    }
    // The sequences must actually exercise broken designs and cycles, not only the happy path.
    expect(steps).toBe(2400);
    expect(withErrors).toBeGreaterThan(200);
    expect(withCycles).toBeGreaterThan(20);
  });

  it('recomputes only the edited node and its downstream when one branch changes', () => {
    const b = new DesignBuilder('two branches');
    const input = b.add('Input', { shape: [16, 16, 3] }, [], { id: 'in' });
    const a1 = b.add('Conv2D', { filters: 8, kernel_size: [3, 3], padding: 'same' }, [input], { id: 'a1' });
    const a2 = b.add('Activation', { activation: 'relu' }, [a1], { id: 'a2' });
    const b1 = b.add('Conv2D', { filters: 4, kernel_size: [3, 3], padding: 'same' }, [input], { id: 'b1' });
    const b2 = b.add('Activation', { activation: 'relu' }, [b1], { id: 'b2' });
    const cat = b.add('Concatenate', {}, [a2, b2], { id: 'cat' });
    b.chain(cat, [['Flatten', {}, { id: 'flat' }], ['Dense', { units: 10 }, { id: 'out' }]]);
    const design = b.build();
    const session = new InferenceSession();
    session.update(design);
    expect(session.lastRecomputed).toHaveLength(design.nodes.length);

    const edited = withParams(design, 'a1', { filters: 16 });
    const result = session.update(edited);
    // Dense's output stays 10 wide, so the ripple stops there; branch b is never touched.
    expect(session.lastRecomputed).toEqual(['a1', 'a2', 'cat', 'flat', 'out']);
    for (const id of session.lastRecomputed) expect(downstreamOf(design, 'a1').has(id)).toBe(true);
    expect(result.nodes.get('cat')!.outputShape).toEqual([16, 16, 20]);
    expect(result.nodes.get('b1')).toBe(session.update(design) && result.nodes.get('b1'));
    expect(observable(session.update(edited))).toEqual(observable(inferShapes(edited)));
  });

  it('stops the ripple at the first node whose output shape is unchanged', () => {
    const b = new DesignBuilder('chain');
    const input = b.add('Input', { shape: [16, 16, 3] }, [], { id: 'in' });
    b.chain(input, [
      ['Conv2D', { filters: 8 }, { id: 'c1' }],
      ['BatchNorm', {}, { id: 'bn' }],
      ['Conv2D', { filters: 8 }, { id: 'c2' }],
      ['Activation', {}, { id: 'act' }],
    ]);
    const design = b.build();
    const session = new InferenceSession();
    session.update(design);
    session.update(withParams(design, 'c1', { filters: 12 }));
    // c2 gets new input channels (its params change) but keeps its output shape: act is not recomputed.
    expect(session.lastRecomputed).toEqual(['c1', 'bn', 'c2']);
  });

  it('recomputes only the edited node when its output shape does not change (activation edit)', () => {
    const b = new DesignBuilder('chain');
    const input = b.add('Input', { shape: [28, 28, 1] }, [], { id: 'in' });
    b.chain(input, [
      ['Conv2D', { filters: 8, kernel_size: [5, 5], activation: 'relu' }, { id: 'conv' }],
      ['MaxPool2D', {}, { id: 'pool' }],
      ['Flatten', {}, { id: 'flat' }],
      ['Dense', { units: 10 }, { id: 'out' }],
    ]);
    const design = b.build();
    const session = new InferenceSession();
    const before = session.update(design);
    const after = session.update(withParams(design, 'conv', { activation: 'tanh' }));
    expect(session.lastRecomputed).toEqual(['conv']);
    expect(after.nodes.get('pool')).toBe(before.nodes.get('pool'));
    expect(after.totals).toEqual(before.totals);
  });

  it('recomputes nothing when the same design is passed again', () => {
    const b = new DesignBuilder('tiny');
    b.chain(b.add('Input', { shape: [8] }), [['Dense', { units: 4 }]]);
    const design = b.build();
    const session = new InferenceSession();
    session.update(design);
    session.update(design);
    expect(session.lastRecomputed).toEqual([]);
  });
});

describe('inference errors are values', () => {
  function cyclic(): Design {
    const b = new DesignBuilder('loop');
    const input = b.add('Input', { shape: [8, 8, 3] }, [], { id: 'in' });
    const a = b.add('Conv2D', { filters: 3, padding: 'same' }, [input], { id: 'a', label: 'Loop conv' });
    const act = b.add('Activation', {}, [a], { id: 'b' });
    const tail = b.add('Flatten', {}, [act], { id: 'tail' });
    b.add('Dense', { units: 2 }, [tail], { id: 'after' });
    const d = b.build();
    // Close the loop b → a (an editor can draw this edge; inference must report it, not hang or throw).
    return { ...d, edges: [...d.edges, { id: 'back', source: act, target: a, targetSlot: 1 }] };
  }

  it('reports a cycle on every node of it, naming the nodes in the message', () => {
    const result = inferShapes(cyclic());
    for (const id of ['a', 'b']) {
      const node = result.nodes.get(id)!;
      expect(node.outputShape).toBeNull();
      expect(node.issues.map((i) => i.code)).toEqual(['cycle']);
    }
    const message = formatIssue(result.nodes.get('a')!.issues[0]);
    expect(message).toContain('Loop conv');
    expect(message).toMatch(/Loop conv → b → Loop conv/);
    expect(formatIssue(result.nodes.get('b')!.issues[0])).toMatch(/b → Loop conv → b/);
    // The input before the loop keeps its shape; what follows the loop waits without issues of its own.
    expect(result.nodes.get('in')!.outputShape).toEqual([8, 8, 3]);
    expect(result.nodes.get('tail')!.outputShape).toBeNull();
    expect(result.nodes.get('tail')!.issues).toEqual([]);
    expect(result.order).toEqual(['in', 'a', 'b', 'tail', 'after']);
    expect(result.totals.errors).toBe(2);
  });

  it('clears the cycle issue of every node once the loop is broken, even where shapes stay unknown', () => {
    const session = new InferenceSession();
    const d = cyclic();
    session.update(d);
    // Remove in → a: a's only input is now b, so the loop remains.
    const stillLoop = { ...d, edges: d.edges.filter((e) => e.source !== 'in') };
    expect(session.update(stillLoop).nodes.get('b')!.issues[0].code).toBe('cycle');
    // Remove b → a: a has no input (an error), and b behind it has an unknown shape but no cycle any more.
    const broken = { ...stillLoop, edges: stillLoop.edges.filter((e) => e.id !== 'back') };
    const result = session.update(broken);
    expect(result.nodes.get('a')!.issues.map((i) => i.code)).toEqual(['no-input']);
    expect(result.nodes.get('b')!.issues).toEqual([]);
    expect(observable(result)).toEqual(observable(inferShapes(broken)));
  });

  it('keeps the shapes of a healthy branch when another branch is broken', () => {
    const b = new DesignBuilder('two heads');
    const input = b.add('Input', { shape: [6, 6, 1] }, [], { id: 'in' });
    b.chain(input, [
      ['Conv2D', { filters: 4, kernel_size: [7, 7] }, { id: 'bad' }], // 7×7 kernel on a 6×6 input
      ['Activation', {}, { id: 'bad_act' }],
      ['Flatten', {}, { id: 'bad_flat' }],
    ]);
    b.chain(input, [
      ['Conv2D', { filters: 4, kernel_size: [3, 3] }, { id: 'good' }],
      ['Flatten', {}, { id: 'good_flat' }],
      ['Dense', { units: 3 }, { id: 'good_out' }],
    ]);
    const result = inferShapes(b.build());
    const bad = result.nodes.get('bad')!;
    expect(bad.outputShape).toBeNull();
    expect(bad.issues.map((i) => i.code)).toContain('kernel-too-large');
    expect(formatIssue(bad.issues.find((i) => i.code === 'kernel-too-large')!)).toMatch(/bad: kernel 7×7 is larger than its 6×6 input/);
    for (const id of ['bad_act', 'bad_flat']) {
      expect(result.nodes.get(id)!.outputShape).toBeNull();
      expect(result.nodes.get(id)!.issues).toEqual([]);
      expect(result.nodes.get(id)!.macs).toBeNull();
    }
    expect(result.nodes.get('good')!.outputShape).toEqual([4, 4, 4]);
    expect(result.nodes.get('good_flat')!.outputShape).toEqual([64]);
    expect(result.nodes.get('good_out')!.outputShape).toEqual([3]);
    expect(result.nodes.get('good_out')!.trainableParams).toBe(64 * 3 + 3);
    expect(result.totals.errors).toBe(1);
  });

  it('never throws on structurally odd designs', () => {
    const d: Design = {
      format: 'netcanvas',
      version: FORMAT_VERSION,
      name: 'odd',
      nodes: [
        { id: 'self', kind: 'Activation', params: {}, position: { x: 0, y: 0 } },
        { id: 'orphan', kind: 'Dense', params: {}, position: { x: 0, y: 0 } },
        { id: 'fed', kind: 'Input', params: {}, position: { x: 0, y: 0 } },
      ],
      edges: [
        { id: 'loop', source: 'self', target: 'self' },
        { id: 'into-input', source: 'orphan', target: 'fed' },
        { id: 'dangling', source: 'ghost', target: 'orphan' },
      ],
    };
    const result = inferShapes(d);
    expect(result.nodes.get('self')!.issues.map((i) => i.code)).toEqual(['cycle']);
    expect(formatIssue(result.nodes.get('self')!.issues[0])).toContain('self → self');
    expect(result.nodes.get('orphan')!.issues.map((i) => i.code)).toEqual(['no-input']);
    expect(result.nodes.get('fed')!.issues.map((i) => i.code)).toEqual(['input-has-inputs']);
    expect(inferShapes({ ...d, nodes: [], edges: [] }).totals.errors).toBe(0);
  });
});

describe('a node is resolved once: its parameters and mapping context come with its inference', () => {
  function conv(params: Record<string, ParamValue>) {
    const b = new DesignBuilder('one conv');
    b.add('Conv2D', params, [b.add('Input', { shape: [8, 8, 3] }, [], { id: 'in' })], { id: 'c', label: 'My conv' });
    return b.build();
  }

  it('carries the parameters in effect: shorthand normalised, defaults filled in', () => {
    const info = inferShapes(conv({ filters: 4, kernel_size: 5 })).nodes.get('c')!;
    expect(info.name).toBe('My conv');
    expect(info.paramsValid).toBe(true);
    expect(info.params).toEqual({ ...defaultParams(layerSpec('Conv2D').params), filters: 4, kernel_size: [5, 5] });
  });

  it('keeps the values given when one is invalid, and says they are not valid', () => {
    const info = inferShapes(conv({ filters: -1 })).nodes.get('c')!;
    expect(info.paramsValid).toBe(false);
    expect(info.params.filters).toBe(-1);
    expect(info.issues.map((i) => i.code)).toEqual(['param-range']);
  });

  it('resolves the parameters of a node on a cycle too (the inspector shows them)', () => {
    const d = conv({ filters: 2, padding: 'same' });
    const looped = { ...d, edges: [...d.edges, { id: 'back', source: 'c', target: 'c', targetSlot: 1 }] };
    const info = inferShapes(looped).nodes.get('c')!;
    expect(info.issues.map((i) => i.code)).toEqual(['cycle']);
    expect(info.params.padding).toBe('same');
  });

  it('mappingContext is what the layer file was inferred with, and refuses a node without a shape', () => {
    const inference = inferShapes(conv({ filters: 4 }));
    const info = inference.nodes.get('c')!;
    const ctx = mappingContext(info);
    expect(ctx).toEqual({ name: 'My conv', nodeId: 'c', params: info.params, inputs: [[8, 8, 3]], output: info.outputShape });
    expect(layerSpec('Conv2D').weights(ctx as never)).toEqual(info.weights);
    const broken = inferShapes(conv({ kernel_size: [9, 9] })).nodes.get('c')!;
    expect(() => mappingContext(broken)).toThrow(/no output shape/);
  });
});

describe('designErrors', () => {
  it("is the inference's errors, warnings left out", () => {
    const b = new DesignBuilder('bad');
    b.add('Conv2D', { kernel_size: [5, 5] }, [b.add('Input', { shape: [3, 3, 1] })]);
    const design = b.build();
    expect(designErrors(design, inferShapes(design)).map((i) => i.code)).toEqual(['kernel-too-large']);
  });

  it('is no-input-node for an empty design, and nothing for a valid one', () => {
    const empty: Design = { format: 'netcanvas', version: FORMAT_VERSION, name: 'empty', nodes: [], edges: [] };
    expect(designErrors(empty, inferShapes(empty)).map((i) => i.code)).toEqual(['no-input-node']);
    const b = new DesignBuilder('ok');
    b.add('Dense', { units: 2 }, [b.add('Input', { shape: [4] })]);
    const ok = b.build();
    expect(designErrors(ok, inferShapes(ok))).toEqual([]);
  });

  it('reports a missing Input once, as inference does for a design with layers but no Input', () => {
    const d: Design = { format: 'netcanvas', version: FORMAT_VERSION, name: 'no input', nodes: [{ id: 'd', kind: 'Dense', params: {}, position: { x: 0, y: 0 } }], edges: [] };
    expect(designErrors(d, inferShapes(d)).filter((i) => i.code === 'no-input-node')).toHaveLength(1);
  });
});

describe('inference on a long cycle', () => {
  /** A ring of `n` Add nodes fed by one Input. */
  function ring(n: number): Design {
    const at = { x: 0, y: 0 };
    return {
      format: 'netcanvas',
      version: FORMAT_VERSION,
      name: 'ring',
      nodes: [
        { id: 'in', kind: 'Input', params: { shape: [4] }, position: at },
        ...Array.from({ length: n }, (_, i) => ({ id: `add_${i + 1}`, kind: 'Add' as const, params: {}, position: at })),
      ],
      edges: [
        { id: 'e_in', source: 'in', target: 'add_1' },
        ...Array.from({ length: n }, (_, i) => ({ id: `e${i}`, source: `add_${i + 1}`, target: `add_${((i + 1) % n) + 1}`, targetSlot: 1 })),
      ],
    };
  }

  it('pins a one-line cycle issue on each of 4,000 Add nodes, naming a few nodes and the count', () => {
    const result = inferShapes(ring(4_000));
    expect(result.totals.errors).toBe(4_000);
    expect(formatIssue(result.nodes.get('add_1')!.issues[0])).toBe(
      'add_1 is part of a cycle through 4,000 layers (add_1 → add_2 → add_3 → … → add_4000 → add_1); a network must flow one way',
    );
    expect(formatIssue(result.nodes.get('add_2500')!.issues[0])).toBe(
      'add_2500 is part of a cycle through 4,000 layers (add_1 → add_2 → add_3 → … → add_4000 → add_1); a network must flow one way',
    );
    expect(result.nodes.get('in')!.outputShape).toEqual([4]);
  });
});

describe('totals while part of the design has no shape', () => {
  it('sum the valid part and count the layers left out, so they read as lower bounds', () => {
    const b = new DesignBuilder('broken tail');
    const x = b.add('Input', { shape: [28, 28, 1] });
    const conv = b.add('Conv2D', { filters: 8, kernel_size: [5, 5] }, [x]);
    const bad = b.add('Conv2D', { filters: 4, kernel_size: [30, 30] }, [conv]);
    b.chain(bad, [['Flatten', {}], ['Dense', { units: 10 }]]);
    const broken = inferShapes(b.build());
    expect(broken.totals.unknownLayers).toBe(3);
    expect(broken.totals.trainableParams).toBe(5 * 5 * 8 + 8);
    const whole = inferShapes({ ...b.build(), nodes: b.build().nodes.map((n) => (n.id === bad ? { ...n, params: { ...n.params, kernel_size: [3, 3] } } : n)) });
    expect(whole.totals.unknownLayers).toBe(0);
    expect(whole.totals.trainableParams).toBeGreaterThan(broken.totals.trainableParams);
  });
});

describe('stride-unused counts only real pixels', () => {
  /** Input → ZeroPadding2D → MaxPool2D; the pool's stride-unused warnings, as [axis, unused]. */
  function unusedAfterPadding(size: number, padding: number[], pool: Record<string, ParamValue>): [string, number][] {
    const b = new DesignBuilder('padded pool');
    const x = b.add('Input', { shape: [size, size, 2] }, [], { id: 'input' });
    const pad = b.add('ZeroPadding2D', { padding }, [x], { id: 'pad' });
    b.add('MaxPool2D', pool, [pad], { id: 'pool' });
    const issues = inferShapes(b.build()).nodes.get('pool')!.issues.filter((i) => i.code === 'stride-unused');
    return issues.map((i) => [String(i.values.axis), Number(i.values.unused)]);
  }

  it('says nothing when a ZeroPadding2D row or column is all a stride leaves unread (ZeroPadding2D(1) + MaxPool2D(3, 2) on 112×112)', () => {
    expect(unusedAfterPadding(112, [1, 1, 1, 1], { pool_size: [3, 3], strides: [2, 2] })).toEqual([]);
  });

  it('still counts the real rows and columns left unread behind the padding', () => {
    // 10 + 1 = 11 rows, windows of 3 every 3: 2 left over, one of them padding.
    expect(unusedAfterPadding(10, [0, 1, 0, 1], { pool_size: [3, 3], strides: [3, 3] })).toEqual([
      ['h', 1],
      ['w', 1],
    ]);
  });

  it("says nothing for a pool's own explicit pads, nor in ceil mode, which reads the tail", () => {
    const b = new DesignBuilder('pools');
    const x = b.add('Input', { shape: [112, 112, 2] }, [], { id: 'input' });
    b.add('MaxPool2D', { pool_size: [3, 3], strides: [2, 2], padding: 'explicit', pads: [1, 1, 1, 1] }, [x], { id: 'padded' });
    b.add('MaxPool2D', { pool_size: [3, 3], strides: [2, 2], ceil_mode: true }, [x], { id: 'ceil' });
    const inference = inferShapes(b.build());
    for (const id of ['padded', 'ceil']) expect(inference.nodes.get(id)!.issues, id).toEqual([]);
    expect(inference.nodes.get('ceil')!.outputShape).toEqual([56, 56, 2]);
  });
});

describe('pooling pads', () => {
  it('refuses a pad as large as the window (a window of padding alone), naming the node, the pads and the window', () => {
    const b = new DesignBuilder('pad too large');
    const x = b.add('Input', { shape: [8, 8, 1] }, [], { id: 'input' });
    b.add('AvgPool2D', { pool_size: [2, 3], strides: [2, 2], padding: 'explicit', pads: [0, 2, 1, 1] }, [x], { id: 'pool' });
    const r = inferShapes(b.build()).nodes.get('pool')!;
    expect(r.outputShape).toBeNull();
    expect(r.issues.map((i) => [i.code, i.param])).toEqual([['pool-pad-too-large', 'pads']]);
    expect(formatIssue(r.issues[0], 'en')).toBe('pool: pads [0, 2, 1, 1] must each be smaller than the 2×3 window, or a window would hold only padding');
  });
});
