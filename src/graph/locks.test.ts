import { describe, expect, it } from 'vitest';
import { DesignBuilder } from './builder.ts';
import { addNode, connect, removeElements, setLabel, updateParams } from './edit.ts';
import { expandInPlace, groupIntoBlock } from './block-edit.ts';
import { flattenBlocks } from './blocks.ts';
import { bytesSource, concatBytes } from './byte-source.ts';
import { parseDesign, serializeDesign } from './file-format.ts';
import { netcanvasChunks, readNetcanvas } from './netcanvas-file.ts';
import { connectionCounts, lockViolation, setLocks, setNodeLock } from './locks.ts';
import { formatIssue } from './messages.ts';
import { loadTemplates } from './testing/templates.ts';
import { FORMAT_VERSION, type Design } from './types.ts';

function tiny(): Design {
  const b = new DesignBuilder('Tiny');
  const i = b.add('Input', { shape: [28, 28, 1] }, [], { id: 'in' });
  b.chain(i, [['Conv2D', { filters: 8, kernel_size: [5, 5] }, { id: 'conv1' }], ['MaxPool2D', {}, { id: 'pool' }], ['Flatten', {}, { id: 'flat' }], ['Dense', { units: 10 }, { id: 'out' }]]);
  return b.build();
}

const locked = () => setLocks(tiny(), [{ node: 'in', params: ['shape'] }, { node: 'conv1', params: ['filters'] }]);

function messages(input: unknown): string[] {
  const r = parseDesign(input);
  if (r.ok) throw new Error('expected the file to be rejected');
  return r.errors.map((e) => formatIssue(e));
}

describe('locks in the file (format version 4)', () => {
  it.each([3, 4])('opens every template written as a version-%i file unchanged, as the current version', (version) => {
    expect(FORMAT_VERSION).toBeGreaterThan(version);
    for (const { file, design } of loadTemplates()) {
      const doc = { ...JSON.parse(serializeDesign(design)), version };
      const r = parseDesign(JSON.stringify(doc));
      expect(r.ok, file).toBe(true);
      if (r.ok) expect(r.design, file).toEqual(design);
    }
  });

  it('round-trips locks through the file text', () => {
    const design = locked();
    const r = parseDesign(serializeDesign(design));
    expect(r.ok && r.design).toEqual(design);
    expect(r.ok && r.design.locks).toEqual([{ node: 'in', params: ['shape'] }, { node: 'conv1', params: ['filters'] }]);
  });

  it('carries locks through a .netcanvas file', async () => {
    const design = locked();
    const r = await readNetcanvas(bytesSource(concatBytes(netcanvasChunks(design))), 'lesson.netcanvas');
    expect(r.ok && r.design.locks).toEqual(design.locks);
  });

  it('refuses locks on unknown layers, unknown parameters, twice on one layer, or inside a block without naming the block, naming the lock', () => {
    const doc = (locks: unknown) => ({ ...JSON.parse(serializeDesign(tiny())), locks });
    expect(messages(doc([{ node: 'conv9' }]))).toEqual([
      'locks[0] names conv9, which is not a top-level layer or block of the design (a layer inside a block is named with "block")',
    ]);
    expect(messages(doc([{ node: 'conv1', params: ['filters', 'colour'] }]))).toEqual([
      'locks[0] locks the parameter colour of conv1, but a Conv2D has no parameter of that name',
    ]);
    expect(messages(doc([{ node: 'conv1' }, { node: 'conv1', params: ['filters'] }]))).toEqual([
      'locks[1] locks conv1 a second time: put all its parameters in one lock',
    ]);
    expect(messages(doc([{ node: 'conv1', extra: true }]))[0]).toMatch(/^locks\[0\]: /);
    expect(messages(doc({ node: 'conv1' }))[0]).toMatch(/^locks: /);
    const grouped = groupIntoBlock(tiny(), ['conv1', 'pool'], 'Stem');
    if (!grouped.ok) throw new Error('group failed');
    const inBlock = (locks: unknown) => messages({ ...JSON.parse(serializeDesign(grouped.design)), locks });
    expect(inBlock([{ node: 'conv1' }])[0]).toMatch(/^locks\[0\] names conv1/);
    // Named with its block (format version 5), the layer inside, and the instance itself, can be locked.
    const ok = parseDesign({ ...JSON.parse(serializeDesign(grouped.design)), locks: [{ node: 'conv1', block: 'Stem', params: ['filters'] }, { node: grouped.id }] });
    expect(ok.ok && ok.design.locks).toEqual([{ node: 'conv1', block: 'Stem', params: ['filters'] }, { node: grouped.id }]);
    expect(inBlock([{ node: 'conv9', block: 'Stem' }])).toEqual(['locks[0] names conv9 in the block Stem, which is not a layer of that block definition']);
    expect(inBlock([{ node: grouped.id, params: ['filters'] }])).toEqual([`locks[0] locks the parameter filters of ${grouped.id}, but a Stem has no parameter of that name`]);
  });

  it('setNodeLock adds, replaces and removes one layer\'s lock, parameters in the kind\'s order', () => {
    let d = setNodeLock(tiny(), 'conv1', ['strides', 'filters']);
    expect(d.locks).toEqual([{ node: 'conv1', params: ['filters', 'strides'] }]);
    d = setNodeLock(d, 'in', []);
    expect(d.locks).toEqual([{ node: 'in' }, { node: 'conv1', params: ['filters', 'strides'] }]);
    d = setNodeLock(setNodeLock(d, 'conv1', null), 'in', null);
    expect('locks' in d).toBe(false);
  });
});

describe('lockViolation', () => {
  const codeOf = (before: Design, after: Design) => lockViolation(before, after)?.code ?? null;

  it('refuses deleting, renaming or changing a locked parameter of a locked layer, naming it', () => {
    const d = locked();
    expect(codeOf(d, removeElements(d, ['conv1']))).toBe('lock-node');
    expect(codeOf(d, setLabel(d, 'conv1', 'C1'))).toBe('lock-label');
    const param = lockViolation(d, updateParams(d, 'conv1', { filters: 6 }));
    expect(param && formatIssue(param)).toBe("conv1's filters is locked by the lesson: it stays 8");
    expect(param && formatIssue(param, 'es')).toBe('El parámetro filters de conv1 está bloqueado por la lección: se queda en 8');
    expect(codeOf(d, updateParams(d, 'in', { shape: [32, 32, 1] }))).toBe('lock-param');
  });

  it('allows what the locks leave free: other parameters, other layers, moving', () => {
    const d = locked();
    expect(codeOf(d, updateParams(d, 'conv1', { kernel_size: [3, 3] }))).toBeNull();
    expect(codeOf(d, updateParams(d, 'out', { units: 5 }))).toBeNull();
    expect(codeOf(d, removeElements(d, ['out']))).toBeNull();
    expect(codeOf(d, { ...d, nodes: d.nodes.map((n) => ({ ...n, position: { x: 9, y: 9 } })) })).toBeNull();
  });

  it('refuses disconnecting a locked layer: removing its edge, or deleting the layer it feeds', () => {
    const d = locked();
    const edge = d.edges.find((e) => e.source === 'conv1')!;
    expect(codeOf(d, removeElements(d, [], [edge.id]))).toBe('lock-wire');
    expect(codeOf(d, removeElements(d, ['pool']))).toBe('lock-wire');
  });

  it('with the lesson\'s connection counts as the floor, lets a student take back a connection they added, never one the lesson gave', () => {
    const d = locked();
    const floor = connectionCounts(d);
    const added = addNode(d, 'Dense', {});
    const wired = connect(added.design, 'in', added.id);
    if (!wired.ok) throw new Error('connect failed');
    const extra = wired.design.edges.find((e) => e.target === added.id)!;
    expect(lockViolation(wired.design, removeElements(wired.design, [], [extra.id]), { floor })).toBeNull();
    expect(lockViolation(wired.design, removeElements(wired.design, [added.id]), { floor })).toBeNull();
    const original = wired.design.edges.find((e) => e.source === 'in' && e.target === 'conv1')!;
    // The Input keeps two readers, one above its floor, but conv1 (locked too) would lose its only input.
    expect(lockViolation(wired.design, removeElements(wired.design, [], [original.id]), { floor })?.code).toBe('lock-wire');
    expect(lockViolation(d, removeElements(d, [], [original.id]), { floor })?.code).toBe('lock-wire');
  });

  it('refuses moving a locked layer into a block, and allows unfolding a block beside one', () => {
    const d = locked();
    const grouped = groupIntoBlock(d, ['conv1', 'pool'], 'Stem');
    expect(grouped.ok && codeOf(d, grouped.design)).toBe('lock-node');
    const free = setLocks(d, [{ node: 'in', params: ['shape'] }]);
    const beside = groupIntoBlock(free, ['conv1', 'pool'], 'Stem');
    if (!beside.ok) throw new Error('group failed');
    const expanded = expandInPlace(beside.design, beside.id);
    if (!expanded.ok) throw new Error('expand failed');
    const opts = { beforeFlat: flattenBlocks(beside.design).design, afterFlat: flattenBlocks(expanded.design).design };
    expect(lockViolation(beside.design, expanded.design, opts)).toBeNull();
  });

  it('counts connections on the unfolded graph: grouping two readers of a locked input is no disconnection', () => {
    const b = new DesignBuilder('Two readers');
    const i = b.add('Input', { shape: [8, 8, 1] }, [], { id: 'in' });
    const l = b.add('Conv2D', { filters: 2, kernel_size: [3, 3] }, [i], { id: 'left' });
    const r = b.add('Conv2D', { filters: 2, kernel_size: [3, 3] }, [i], { id: 'right' });
    b.add('Add', {}, [l, r], { id: 'sum' });
    const d = setLocks(b.build(), [{ node: 'in', params: ['shape'] }]);
    const grouped = groupIntoBlock(d, ['left', 'right', 'sum'], 'Pair');
    if (!grouped.ok) throw new Error('group failed');
    // One port edge now reads the input where two edges did: on the top level it looks like a lost connection.
    expect(lockViolation(d, grouped.design)?.code).toBe('lock-wire');
    expect(lockViolation(d, grouped.design, { beforeFlat: d, afterFlat: flattenBlocks(grouped.design).design })).toBeNull();
  });

  it('refuses changing the locks themselves unless the command says it may', () => {
    const d = locked();
    const fewer = setNodeLock(d, 'conv1', null);
    expect(codeOf(d, fewer)).toBe('lock-locks');
    expect(lockViolation(d, fewer, { locksMayChange: true })).toBeNull();
    expect(codeOf(tiny(), setNodeLock(tiny(), 'out', []))).toBe('lock-locks');
  });
});
