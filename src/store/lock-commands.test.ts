import { describe, expect, it } from 'vitest';
import { connectionCounts, isLayerKind, LAYER_KINDS, layerSpec, serializeDesign, setLocks, type Design, type NodeLock, type ParamValue } from '../graph/index.ts';
import { insertLibraryBlock } from '../graph/block-library.ts';
import { groupIntoBlock } from '../graph/block-edit.ts';
import { parseDesign } from '../graph/file-format.ts';
import { inferShapes } from '../graph/infer.ts';
import { resnet18WithBlocks, twoPortDesign } from '../graph/testing/block-designs.ts';
import { randomValidDesign } from '../graph/testing/random-design.ts';
import { Rng } from '../graph/testing/rng.ts';
import { createAppStore, type AppStore } from './app-store.ts';
import { designFromHash, designToHash } from './share-link.ts';

async function storeWith(design: Design): Promise<AppStore> {
  const text = serializeDesign(design);
  const store = createAppStore({ lang: 'en', catalogue: [{ file: 'd.json', name: 'd' }], loaderFor: () => async () => JSON.parse(text) });
  await store.getState().loadTemplate('d.json');
  return store;
}

/** Every Input fixed with all its parameters; about half the other layers locked with a random part of theirs. */
function randomLocks(design: Design, rng: Rng): NodeLock[] {
  const locks: NodeLock[] = [];
  for (const n of design.nodes) {
    const names = isLayerKind(n.kind) ? Object.keys(layerSpec(n.kind).params) : [];
    if (n.kind === 'Input') locks.push({ node: n.id, params: names });
    else if (rng.bool(0.5)) locks.push({ node: n.id, params: names.filter(() => rng.bool(0.5)) });
  }
  return locks;
}

/** A different value of the same type: what a student typing into the inspector could set. */
function changed(value: ParamValue | undefined, rng: Rng): ParamValue {
  if (typeof value === 'number') return value + rng.int(1, 3);
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return value.map((v) => v + 1);
  return typeof value === 'string' ? `${value}x` : rng.int(1, 9);
}

const inputOf = (d: Design) => d.nodes.find((n) => n.kind === 'Input')!.id;
/** A random design with its first Input locked (`params`, or the layer alone). */
function withLockedInput(seed: number, params?: string[]): { design: Design; input: string } {
  const d = randomValidDesign(seed);
  const input = inputOf(d);
  return { design: setLocks(d, [params ? { node: input, params } : { node: input }]), input };
}

const COMMANDS = [
  'params', 'label', 'delete', 'delete-edge', 'connect', 'add', 'duplicate', 'copy-paste', 'cut', 'paste-over',
  'group', 'ungroup', 'expand', 'repeat', 'fix', 'move', 'undo', 'redo', 'unlock', 'lesson',
] as const;
type Command = (typeof COMMANDS)[number];

/** Applies one random edit command, as the UI would dispatch it (selection first where the UI selects). */
function randomCommand(store: AppStore, rng: Rng, clipboard: { text: string | null }): Command {
  const s = store.getState();
  const design = s.design!;
  const ids = [...design.nodes.map((n) => n.id), ...(design.instances ?? []).map((i) => i.id)];
  const some = () => rng.shuffle(ids).slice(0, rng.int(1, Math.min(3, ids.length)));
  const command = rng.pick(COMMANDS);
  const node = design.nodes.length > 0 ? rng.pick(design.nodes) : null;
  switch (command) {
    case 'params': {
      if (!node) break;
      const names = isLayerKind(node.kind) ? Object.keys(layerSpec(node.kind).params) : [];
      if (names.length === 0) break;
      const name = rng.pick(names);
      s.updateNodeParams(node.id, { [name]: changed(node.params[name], rng) });
      break;
    }
    case 'label':
      if (node) s.setNodeLabel(node.id, rng.bool() ? `renamed ${rng.int(0, 99)}` : '');
      break;
    case 'delete':
      if (ids.length > 0) s.removeElements(some());
      break;
    case 'delete-edge':
      if (design.edges.length > 0) s.removeElements([], [rng.pick(design.edges).id]);
      break;
    case 'connect':
      if (ids.length > 1) s.connect(rng.pick(ids), rng.pick(ids));
      break;
    case 'add':
      s.addLayer(rng.pick(LAYER_KINDS), rng.bool() && node ? { after: node.id } : {});
      break;
    case 'duplicate':
      s.select(some());
      s.duplicateSelection();
      break;
    case 'copy-paste':
      s.select(some());
      clipboard.text = s.copySelection() ?? clipboard.text;
      if (clipboard.text) s.pasteText(clipboard.text);
      break;
    case 'cut': {
      // Cut is copy then delete, as the shortcut does: the delete is what the locks may refuse.
      const picked = some();
      s.select(picked);
      clipboard.text = s.copySelection() ?? clipboard.text;
      s.removeElements(picked);
      break;
    }
    case 'paste-over':
      // A whole design pasted in, its ids the same as the locked ones (insertFragment renames them).
      s.pasteText(serializeDesign(design));
      break;
    case 'group':
      s.select(some());
      s.groupSelection(`Block${rng.int(0, 9)}`);
      break;
    case 'ungroup':
      s.select((design.instances ?? []).map((i) => i.id));
      s.ungroupSelection();
      break;
    case 'expand':
      if (design.instances?.length) s.expandBlock(rng.pick(design.instances).id);
      break;
    case 'repeat':
      if (design.instances?.length) s.setBlockRepeat(rng.pick(design.instances).id, rng.pick([null, 2]));
      break;
    case 'fix': {
      const fixable = [...(s.inference?.nodes.values() ?? [])].flatMap((r) => r.issues).filter((i) => i.fix && i.nodeId);
      if (fixable.length > 0) {
        const issue = rng.pick(fixable);
        s.applyFix(issue.nodeId!, issue.fix!);
      }
      break;
    }
    case 'move':
      if (node) s.moveNodes(new Map([[node.id, { x: rng.int(-500, 500), y: rng.int(-500, 500) }]]));
      break;
    case 'undo':
      s.undo();
      break;
    case 'redo':
      s.redo();
      break;
    case 'unlock':
      if (design.locks?.length) s.setNodeLock(rng.pick(design.locks).node, null);
      break;
    case 'lesson':
      s.setLesson(undefined);
      break;
  }
  return command;
}

/** Runs one random command; `refusal` is whether a lock refused it (a new notice with a lock code). */
function run<C>(store: AppStore, command: () => C): { command: C; refusal: boolean } {
  const before = store.getState().notice?.seq;
  const ran = command();
  const notice = store.getState().notice;
  return { command: ran, refusal: notice !== null && notice.seq !== before && notice.issue.code.startsWith('lock-') };
}

describe('lesson locks on the store', () => {
  it('hold against random sequences of every edit command, undo and redo included: locked layers stay, keep their locked values and connections (seeded)', async () => {
    const seen = new Set<Command>();
    let refused = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const rng = new Rng(seed * 7919);
      const start = randomValidDesign(seed);
      const locks = randomLocks(start, rng);
      const locked = setLocks(start, locks);
      const store = await storeWith(locked);
      expect(store.getState().lessonRole, `seed ${seed}`).toBe('student');
      // As the file reader normalised it (defaults filled in), which is what the locks hold.
      const opened = store.getState().design!;
      const original = new Map(opened.nodes.map((n) => [n.id, n] as const));
      const given = connectionCounts(store.getState().flat!);
      const clipboard = { text: null as string | null };
      for (let step = 0; step < 40; step++) {
        const { command, refusal } = run(store, () => randomCommand(store, rng, clipboard));
        seen.add(command);
        if (refusal) refused++;
        const design = store.getState().design!;
        const where = `seed ${seed}, step ${step} (${command})`;
        expect(design.locks, where).toEqual(opened.locks);
        for (const lock of locks) {
          const was = original.get(lock.node)!;
          const now = design.nodes.find((n) => n.id === lock.node);
          expect(now, `${where}: ${lock.node} exists`).toBeDefined();
          expect(now!.kind, where).toBe(was.kind);
          expect(now!.label, where).toBe(was.label);
          for (const p of lock.params ?? []) expect(now!.params[p], `${where}: ${lock.node}.${p}`).toEqual(was.params[p]);
          // Still wired as the lesson gave it: no fewer connections in or out (on the unfolded graph).
          const wired = connectionCounts(store.getState().flat!).get(lock.node) ?? { into: 0, out: 0 };
          const floor = given.get(lock.node) ?? { into: 0, out: 0 };
          expect(wired.into >= floor.into && wired.out >= floor.out, `${where}: ${lock.node} connected`).toBe(true);
          // Every Input is locked with all its parameters: the input is fixed.
          if (was.kind === 'Input') expect(now!.params, where).toEqual(was.params);
        }
      }
    }
    expect([...seen].sort()).toEqual([...COMMANDS].sort());
    // The sequences did try to break locks, and each refusal said so.
    expect(refused).toBeGreaterThan(100);
  });

  it('refuses deleting a locked layer with a notice, and leaves the design and the undo history as they were', async () => {
    const { design: locked, input } = withLockedInput(3, ['shape']);
    const store = await storeWith(locked);
    const design = store.getState().design!;
    const steps = store.temporal.getState().pastStates.length;
    store.getState().removeElements([input]);
    expect(store.getState().design).toBe(design);
    expect(store.temporal.getState().pastStates.length).toBe(steps);
    expect(store.getState().notice?.issue.code).toBe('lock-node');
  });

  it('lets a student undo or delete a connection they added to a locked layer, but not one the lesson gave', async () => {
    const { design, input } = withLockedInput(7, ['shape']);
    const store = await storeWith(design);
    const s = () => store.getState();
    const given = s().design!.edges.filter((e) => e.source === input);
    const added = s().addLayer('Dense')!;
    expect(s().connect(input, added)).toBe(true);
    s().undo();
    expect(s().design!.edges.some((e) => e.target === added)).toBe(false);
    expect(s().notice).toBeNull();
    s().redo();
    const extra = s().design!.edges.find((e) => e.target === added)!;
    s().removeElements([], [extra.id]);
    expect(s().design!.edges.some((e) => e.id === extra.id)).toBe(false);
    s().removeElements([], [given[0].id]);
    expect(s().design!.edges.some((e) => e.id === given[0].id)).toBe(true);
    expect(s().notice?.issue.code).toBe('lock-wire');
  });

  it('stops undo at the start of a lesson a student opened, and refuses a student changing locks or the lesson', async () => {
    const store = createAppStore({ lang: 'en', catalogue: [], loaderFor: () => undefined });
    store.getState().newDesign();
    store.getState().addLayer('Input');
    const { design: lesson, input } = withLockedInput(4);
    store.getState().openDesign(lesson, { type: 'link' });
    store.getState().undo();
    expect(store.getState().design).toBe(lesson);
    expect(store.getState().notice?.issue.code).toBe('lock-undo');
    expect(store.getState().setNodeLock(input, null)).toBe(false);
    expect(store.getState().notice?.issue.code).toBe('lock-locks');
    store.getState().setLessonRole('author');
    expect(store.getState().lessonRole).toBe('student');
  });

  it('lets the author lock and unlock (one undo step each), holds the author to the locks too, and previews them as a student', async () => {
    const store = await storeWith(randomValidDesign(5));
    const s = () => store.getState();
    expect(s().lessonRole).toBe('author');
    const conv = s().design!.nodes.find((n) => n.kind !== 'Input')!;
    const steps = store.temporal.getState().pastStates.length;
    expect(s().setNodeLock(conv.id, [])).toBe(true);
    expect(store.temporal.getState().pastStates.length).toBe(steps + 1);
    s().removeElements([conv.id]);
    expect(s().design!.nodes.some((n) => n.id === conv.id)).toBe(true);
    expect(s().notice?.issue.code).toBe('lock-node');
    s().setLessonRole('preview');
    expect(s().setNodeLock(conv.id, null)).toBe(false);
    s().setLessonRole('author');
    expect(s().setNodeLock(conv.id, null)).toBe(true);
    s().removeElements([conv.id]);
    expect(s().design!.nodes.some((n) => n.id === conv.id)).toBe(false);
  });

  it('carries locks through a share link, and the link opens as a student\'s lesson', async () => {
    const { design } = withLockedInput(6, ['shape']);
    const back = designFromHash(designToHash(design));
    expect(back.ok && back.design.locks).toEqual(design.locks);
    const store = createAppStore({ lang: 'en', catalogue: [], loaderFor: () => undefined });
    if (back.ok) store.getState().openDesign(back.design, { type: 'link' });
    expect(store.getState().lessonRole).toBe('student');
  });
});

/** Random designs with blocks: ResNet-18 and the two-port block as files hold them, and random designs with a group and a library block. */
function blockDesign(seed: number): Design {
  if (seed % 5 === 0) return parsed(resnet18WithBlocks());
  if (seed % 5 === 1) return parsed(twoPortDesign());
  const rng = new Rng(seed);
  let design = randomValidDesign(seed);
  const order = inferShapes(design).order.filter((id) => design.nodes.find((n) => n.id === id)?.kind !== 'Input');
  for (let tries = 0; tries < 10 && order.length > 1; tries++) {
    const from = rng.int(0, order.length - 2);
    const grouped = groupIntoBlock(design, order.slice(from, from + rng.int(1, 3)), 'Group');
    if (grouped.ok) {
      design = grouped.design;
      break;
    }
  }
  const after = rng.pick(design.nodes).id;
  return insertLibraryBlock(design, rng.pick(['BasicBlock', 'Bottleneck']), { after })?.design ?? design;
}

function parsed(doc: Record<string, unknown>): Design {
  const r = parseDesign(doc);
  if (!r.ok) throw new Error('fixture does not load');
  return r.design;
}

/** Locks on top-level layers as randomLocks, plus one block instance and up to two layers inside definitions. */
function randomBlockLocks(design: Design, rng: Rng): NodeLock[] {
  const locks = randomLocks(design, rng);
  if (design.instances?.length) locks.push({ node: rng.pick(design.instances).id });
  for (const block of rng.shuffle([...(design.blocks ?? [])]).slice(0, 2)) {
    const node = rng.pick(block.nodes);
    const names = isLayerKind(node.kind) ? Object.keys(layerSpec(node.kind).params) : [];
    // Bound parameters first: those take their values from the block's uses, the case that needs most holding.
    const bound = names.filter((p) => node.bind?.[p] !== undefined);
    locks.push({ node: node.id, block: block.id, params: [...bound, ...names.filter((p) => !bound.includes(p) && rng.bool(0.5))] });
  }
  return locks;
}

const BLOCK_COMMANDS = ['block-param', 'block-arg', 'make-unique', 'library', 'ungroup-one', 'expand-one', 'repeat-one', 'delete-block'] as const;
type BlockCommand = (typeof BLOCK_COMMANDS)[number];

/** One random block command, aimed at the locked blocks half the time; otherwise any command of the first test. */
function randomBlockCommand(store: AppStore, rng: Rng, clipboard: { text: string | null }, locks: readonly NodeLock[]): Command | BlockCommand {
  if (rng.bool(0.4)) return randomCommand(store, rng, clipboard);
  const s = store.getState();
  const design = s.design!;
  const instances = design.instances ?? [];
  const aimed = instances.filter((i) => locks.some((l) => l.node === i.id || l.block === i.block));
  const inst = instances.length > 0 ? rng.pick(aimed.length > 0 && rng.bool(0.7) ? aimed : instances) : null;
  const command = rng.pick(BLOCK_COMMANDS);
  switch (command) {
    case 'block-param': {
      const inner = locks.filter((l) => l.block !== undefined && design.blocks?.some((b) => b.id === l.block));
      const lock = inner.length > 0 && rng.bool(0.7) ? rng.pick(inner) : null;
      const block = lock ? design.blocks!.find((b) => b.id === lock.block)! : design.blocks?.length ? rng.pick(design.blocks) : null;
      const node = block && (lock ? block.nodes.find((n) => n.id === lock.node) : rng.pick(block.nodes));
      const names = node && isLayerKind(node.kind) ? Object.keys(layerSpec(node.kind).params) : [];
      if (block && node && names.length > 0) {
        const name = rng.pick(lock?.params?.length && rng.bool(0.7) ? [...lock.params] : names);
        s.updateBlockLayerParams(block.id, node.id, { [name]: changed(node.params[name], rng) });
      }
      break;
    }
    case 'block-arg': {
      const args = inst ? (design.blocks?.find((b) => b.id === inst.block)?.args ?? []) : [];
      if (inst && args.length > 0) {
        const arg = rng.pick(args);
        s.setBlockArg(inst.id, arg.name, changed(arg.default, rng), rng.bool(0.3) ? 0 : undefined);
      }
      break;
    }
    case 'make-unique':
      if (inst) s.makeBlockUnique(inst.id);
      break;
    case 'library':
      s.addLibraryBlock(rng.pick(['BasicBlock', 'Bottleneck', 'InvertedResidual']), inst && rng.bool() ? { after: inst.id } : {});
      break;
    case 'ungroup-one':
      if (inst) {
        s.select([inst.id]);
        s.ungroupSelection();
      }
      break;
    case 'expand-one':
      if (inst) s.expandBlock(inst.id);
      break;
    case 'repeat-one':
      if (inst) s.setBlockRepeat(inst.id, rng.pick([null, 2, 3]));
      break;
    case 'delete-block':
      if (inst) s.removeElements([inst.id]);
      break;
  }
  return command;
}

/** Every use of a definition, as "container/instance". */
const usesOf = (d: Design, block: string) => [
  ...(d.instances ?? []).filter((i) => i.block === block).map((i) => `/${i.id}`),
  ...(d.blocks ?? []).flatMap((b) => (b.instances ?? []).filter((i) => i.block === block).map((i) => `${b.id}/${i.id}`)),
];

describe('lesson locks inside blocks', () => {
  it('hold against random sequences of every command, block commands included: a locked block instance stays as it was, a locked layer in a definition keeps its values, wiring and every use (seeded)', async () => {
    const seen = new Set<string>();
    let refused = 0;
    let instanceLocks = 0;
    let innerLocks = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rng = new Rng(seed * 104_729);
      const start = blockDesign(seed);
      const locks = randomBlockLocks(start, rng);
      instanceLocks += locks.filter((l) => l.block === undefined && start.instances?.some((i) => i.id === l.node)).length;
      innerLocks += locks.filter((l) => l.block !== undefined).length;
      const store = await storeWith(setLocks(start, locks));
      expect(store.getState().lessonRole, `seed ${seed}`).toBe('student');
      const opened = store.getState().design!;
      expect(opened.locks, `seed ${seed}: the file keeps the locks`).toEqual(setLocks(start, locks).locks);
      const clipboard = { text: null as string | null };
      for (let step = 0; step < 30; step++) {
        const { command, refusal } = run(store, () => randomBlockCommand(store, rng, clipboard, locks));
        seen.add(command);
        if (refusal) refused++;
        const design = store.getState().design!;
        const where = `seed ${seed}, step ${step} (${command})`;
        expect(design.locks, where).toEqual(opened.locks);
        for (const lock of opened.locks ?? []) {
          const instance = lock.block === undefined ? opened.instances?.find((i) => i.id === lock.node) : undefined;
          if (instance) {
            const now = design.instances?.find((i) => i.id === lock.node);
            expect(now && { ...now, position: null }, `${where}: instance ${lock.node}`).toEqual({ ...instance, position: null });
            const def = (d: Design) => d.blocks?.find((b) => b.id === instance.block);
            expect(def(design), `${where}: definition of ${lock.node}`).toEqual(def(opened));
            continue;
          }
          if (lock.block === undefined) continue; // the first test's subject
          const def = (d: Design) => d.blocks?.find((b) => b.id === lock.block);
          const was = def(opened)!.nodes.find((n) => n.id === lock.node)!;
          const now = def(design)?.nodes.find((n) => n.id === lock.node);
          expect(now, `${where}: ${lock.block}/${lock.node} exists`).toBeDefined();
          expect([now!.kind, now!.label], where).toEqual([was.kind, was.label]);
          for (const p of lock.params ?? []) expect(now!.params[p], `${where}: ${lock.block}/${lock.node}.${p}`).toEqual(was.params[p]);
          const wires = (d: Design) => def(d)!.edges.filter((e) => e.source === lock.node || e.target === lock.node).length;
          expect(wires(design), `${where}: wired`).toBeGreaterThanOrEqual(wires(opened));
          expect(usesOf(design, lock.block), `${where}: every use of ${lock.block} kept`).toEqual(expect.arrayContaining(usesOf(opened, lock.block)));
          // A locked parameter bound to an argument: each use still gives that argument what it gave.
          for (const p of lock.params ?? []) {
            const arg = was.bind?.[p];
            if (arg === undefined) continue;
            for (const inst of (opened.instances ?? []).filter((i) => i.block === lock.block)) {
              const now = design.instances!.find((i) => i.id === inst.id)!;
              expect([now.args?.[arg], now.overrides], `${where}: ${inst.id}'s ${arg}`).toEqual([inst.args?.[arg], inst.overrides]);
            }
          }
        }
      }
    }
    expect([...BLOCK_COMMANDS].filter((c) => !seen.has(c))).toEqual([]);
    expect(instanceLocks).toBeGreaterThan(10);
    expect(innerLocks).toBeGreaterThan(15);
    expect(refused).toBeGreaterThan(50);
  });

  it('refuses, with a notice naming the lock, each block command that would break a lock inside ResNet-18\'s BasicBlock', async () => {
    const resnet = parsed(resnet18WithBlocks());
    const store = await storeWith(setLocks(resnet, [{ node: 'conv1', block: 'BasicBlock', params: ['filters', 'kernel_size'] }]));
    const s = () => store.getState();
    const design = s().design!;
    const attempts: [string, () => void, string][] = [
      ['kernel of the locked layer', () => s().updateBlockLayerParams('BasicBlock', 'conv1', { kernel_size: [5, 5] }), 'lock-param'],
      ['planes, which its filters are bound to', () => s().setBlockArg('layer1', 'planes', 32), 'lock-param'],
      ['make unique', () => s().makeBlockUnique('layer2'), 'lock-block-use'],
      ['expand', () => s().expandBlock('layer3'), 'lock-block-use'],
      ['delete', () => s().removeElements(['layer1']), 'lock-block-use'],
      ['ungroup', () => (s().select(['layer4']), s().ungroupSelection()), 'lock-block-use'],
    ];
    for (const [what, attempt, code] of attempts) {
      attempt();
      expect(s().design, what).toBe(design);
      expect(s().notice?.issue.code, what).toBe(code);
    }
    // What the locks leave free still works: another layer of the block, a repeat.
    s().updateBlockLayerParams('BasicBlock', 'conv2', { use_bias: true });
    s().setBlockRepeat('layer4', 3);
    expect(s().design!.instances!.find((i) => i.id === 'layer4')!.repeat).toBe(3);
  });

  it('holds a locked block instance whole: its repeat, arguments and definition, and its connections', async () => {
    const store = await storeWith(setLocks(parsed(twoPortDesign()), [{ node: 'mix' }]));
    const s = () => store.getState();
    const design = s().design!;
    const attempts: [string, () => void][] = [
      ['edit its definition', () => s().updateBlockLayerParams('Mix', 'cat', { axis: -1 })],
      ['make unique', () => s().makeBlockUnique('mix')],
      ['expand', () => s().expandBlock('mix')],
      ['delete', () => s().removeElements(['mix'])],
      ['disconnect', () => s().removeElements([], [design.edges.find((e) => e.target === 'mix')!.id])],
    ];
    for (const [what, attempt] of attempts) {
      attempt();
      expect(s().design, what).toBe(design);
      expect(s().notice?.issue.code, what).toBe('lock-instance');
    }
    // Where it sits and what is written about it are not the block: moving it and its notes stay free.
    s().moveNodes(new Map([['mix', { x: 40, y: 40 }]]));
    expect(s().design!.instances![0].position).toEqual({ x: 40, y: 40 });
    s().setNodeNotes('mix', 'Two paths meet here');
    s().setBlockNotes('Mix', 'Sum and concatenation');
    expect([s().design!.instances![0].notes, s().design!.blocks![0].notes]).toEqual([{ en: 'Two paths meet here' }, { en: 'Sum and concatenation' }]);
    const resnet = await storeWith(setLocks(parsed(resnet18WithBlocks()), [{ node: 'layer4' }]));
    resnet.getState().setBlockRepeat('layer4', 3);
    expect(resnet.getState().notice?.issue.code).toBe('lock-instance');
    resnet.getState().setBlockRepeat('layer3', 3);
    expect(resnet.getState().design!.instances!.find((i) => i.id === 'layer3')!.repeat).toBe(3);
  });
});
