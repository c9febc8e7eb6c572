import { describe, expect, it } from 'vitest';
import { connectionCounts, isLayerKind, LAYER_KINDS, layerSpec, serializeDesign, setLocks, type Design, type NodeLock, type ParamValue } from '../graph/index.ts';
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
        const before = store.getState().notice?.seq;
        const command = randomCommand(store, rng, clipboard);
        seen.add(command);
        const notice = store.getState().notice;
        if (notice && notice.seq !== before && notice.issue.code.startsWith('lock-')) refused++;
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
