import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DesignBuilder, inferShapes, serializeDesign, type Design } from '../graph/index.ts';
import type { DesignWeights, WeightTensor } from '../graph/weights.ts';
import { createAppStore, type AppStore } from './app-store.ts';
import {
  deleteAutosave,
  LAST_OPEN_KEY,
  lastOpenDocId,
  listAutosaves,
  loadAutosave,
  memoryStorage,
  startAutosave,
  type AutosaveStorage,
} from './autosave.ts';
import { bootDesign } from './boot.ts';
import { designToHash } from './share-link.ts';

function tiny(name = 'Tiny'): Design {
  const b = new DesignBuilder(name);
  const input = b.add('Input', { shape: [8, 8, 1] }, [], { id: 'in' });
  b.add('Conv2D', { filters: 2, kernel_size: [3, 3] }, [input], { id: 'conv' });
  return b.build();
}

function weightsFor(design: Design): DesignWeights {
  const out = new Map<string, Record<string, WeightTensor>>();
  for (const [id, node] of inferShapes(design).nodes) {
    if (node.weights.length === 0) continue;
    out.set(id, Object.fromEntries(node.weights.map((w) => [w.name, { shape: w.shape, data: new Float32Array(w.shape.reduce((a, b) => a * b, 1)).fill(0.5) }])));
  }
  return out;
}

/** A fresh page: a new store over the same storage (what a reload is, as far as autosave can tell). */
function page(templates: Record<string, Design> = { 'tiny.json': tiny() }): AppStore {
  return createAppStore({
    lang: 'en',
    catalogue: Object.keys(templates).map((file) => ({ file, name: file })),
    loaderFor: (file) => (templates[file] ? async () => JSON.parse(serializeDesign(templates[file])) : undefined),
  });
}

const docKeys = (storage: { map: Map<string, unknown> }) => [...storage.map.keys()].filter((k) => k.startsWith('doc:'));

describe('autosave', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-01-01T12:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('writes once, delayMs after the last change of a burst', async () => {
    const storage = memoryStorage();
    const store = page();
    const saver = startAutosave(store, storage, 500);
    await store.getState().loadTemplate('tiny.json');
    store.getState().updateNodeParams('conv', { filters: 3 });
    await vi.advanceTimersByTimeAsync(300);
    store.getState().updateNodeParams('conv', { filters: 4 });
    await vi.advanceTimersByTimeAsync(300);
    expect(docKeys(storage)).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    const [summary] = await listAutosaves(storage);
    expect(summary).toMatchObject({ docId: store.getState().docId, name: 'Tiny', nodeCount: 2, hasWeights: false });
    const loaded = await loadAutosave(storage, summary.docId);
    expect(loaded.ok && loaded.design.nodes.find((n) => n.id === 'conv')?.params.filters).toBe(4);
    saver.stop();
  });

  it('continuous editing still saves at least once a second', async () => {
    const storage = memoryStorage();
    const store = page();
    const set = vi.spyOn(storage, 'set');
    startAutosave(store, storage, 500, { maxWaitMs: 1000 });
    await store.getState().loadTemplate('tiny.json');
    for (let i = 0; i < 25; i++) {
      store.getState().updateNodeParams('conv', { filters: 2 + (i % 7) });
      await vi.advanceTimersByTimeAsync(100);
    }
    const writes = set.mock.calls.filter(([key]) => key.startsWith('doc:')).length;
    // 2.5 s of edits every 100 ms: a plain debounce would not have written at all.
    expect(writes).toBeGreaterThanOrEqual(2);
    expect(writes).toBeLessThanOrEqual(3);
  });

  it('a reload restores exactly the design that was open, under the same docId, with its weights', async () => {
    const storage = memoryStorage();
    const before = page();
    startAutosave(before, storage, 500);
    await before.getState().loadTemplate('tiny.json');
    before.getState().setDesignInfo({ name: 'My edited net' });
    before.getState().setWeights(weightsFor(before.getState().design!));
    await vi.advanceTimersByTimeAsync(600);

    const after = page();
    const saver = startAutosave(after, storage, 500);
    const outcome = await bootDesign(after, { hash: '', autosaver: saver, defaultTemplate: 'tiny.json', clearHash: () => {} });
    expect(outcome).toBe('autosave');
    const s = after.getState();
    expect(s.source).toEqual({ type: 'autosave' });
    expect(s.docId).toBe(before.getState().docId);
    expect(s.design).toEqual(before.getState().design);
    expect(s.weights?.get('conv')?.kernel.data).toEqual(before.getState().weights!.get('conv')!.kernel.data);

    // Restoring is not an edit: the entry keeps its time until the next change, which updates it in place.
    const savedAt = (await listAutosaves(storage))[0].savedAt;
    await vi.advanceTimersByTimeAsync(5000);
    expect((await listAutosaves(storage))[0].savedAt).toBe(savedAt);
    after.getState().updateNodeParams('conv', { filters: 5 });
    await saver.flush();
    const list = await listAutosaves(storage);
    expect(list).toHaveLength(1);
    expect(list[0].savedAt).toBeGreaterThan(savedAt);
  });

  it("a reload gives an author back their locked lesson, and keeps a student's lesson a student's", async () => {
    const reload = async (storage: AutosaveStorage) => {
      const after = page();
      const saver = startAutosave(after, storage, 500);
      await bootDesign(after, { hash: '', autosaver: saver, defaultTemplate: 'tiny.json', clearHash: () => {} });
      return after.getState();
    };
    const authored = memoryStorage();
    const author = page();
    startAutosave(author, authored, 500);
    await author.getState().loadTemplate('tiny.json');
    author.getState().setNodeLock('conv', ['filters']);
    author.getState().setLessonRole('preview');
    await vi.advanceTimersByTimeAsync(600);
    const back = await reload(authored);
    expect(back.design!.locks).toEqual([{ node: 'conv', params: ['filters'] }]);
    expect(back.lessonRole).toBe('author');

    const received = memoryStorage();
    const student = page();
    startAutosave(student, received, 500);
    student.getState().openDesign(author.getState().design!, { type: 'link' });
    await vi.advanceTimersByTimeAsync(600);
    const again = await reload(received);
    expect(again.design!.locks).toEqual([{ node: 'conv', params: ['filters'] }]);
    expect(again.lessonRole).toBe('student');
  });

  it('opening another design writes the previous one at once, and remembers the newer as last open', async () => {
    const storage = memoryStorage();
    const store = page({ 'a.json': tiny('A'), 'b.json': tiny('B') });
    startAutosave(store, storage, 500);
    await store.getState().loadTemplate('a.json');
    const a = store.getState().docId;
    store.getState().updateNodeParams('conv', { filters: 7 });
    await store.getState().loadTemplate('b.json');
    await vi.advanceTimersByTimeAsync(0);
    const savedA = await loadAutosave(storage, a);
    expect(savedA.ok && savedA.design.nodes[1].params.filters).toBe(7);
    await vi.advanceTimersByTimeAsync(500);
    expect(await lastOpenDocId(storage)).toBe(store.getState().docId);
    expect((await listAutosaves(storage)).map((e) => e.name)).toEqual(['B', 'A']);
  });

  it('an empty, untouched new design is not saved', async () => {
    const storage = memoryStorage();
    const store = page();
    const saver = startAutosave(store, storage, 500);
    store.getState().newDesign();
    await vi.advanceTimersByTimeAsync(2000);
    await saver.flush();
    expect(docKeys(storage)).toEqual([]);
    store.getState().addLayer('Input');
    await saver.flush();
    expect(docKeys(storage)).toHaveLength(1);
  });

  it('pagehide and a hidden page write the pending change at once', async () => {
    const storage = memoryStorage();
    const store = page();
    const events = new EventTarget();
    let hidden = false;
    startAutosave(store, storage, 500, { events: events as unknown as Window, isHidden: () => hidden });
    await store.getState().loadTemplate('tiny.json');
    await vi.advanceTimersByTimeAsync(600);
    store.getState().updateNodeParams('conv', { filters: 9 });
    events.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(0);
    let loaded = await loadAutosave(storage, store.getState().docId);
    expect(loaded.ok && loaded.design.nodes[1].params.filters).toBe(2);
    hidden = true;
    events.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(0);
    loaded = await loadAutosave(storage, store.getState().docId);
    expect(loaded.ok && loaded.design.nodes[1].params.filters).toBe(9);

    store.getState().updateNodeParams('conv', { filters: 11 });
    events.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(0);
    loaded = await loadAutosave(storage, store.getState().docId);
    expect(loaded.ok && loaded.design.nodes[1].params.filters).toBe(11);
  });

  it('keeps at most maxEntries, dropping the oldest and never the open one', async () => {
    const storage = memoryStorage();
    const store = page();
    const saver = startAutosave(store, storage, 500, { maxEntries: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      await store.getState().loadTemplate('tiny.json');
      store.getState().setDesignInfo({ name: `Design ${i}` });
      ids.push(store.getState().docId);
      await vi.advanceTimersByTimeAsync(1000);
    }
    await saver.flush();
    const list = await listAutosaves(storage);
    expect(list.map((e) => e.name)).toEqual(['Design 4', 'Design 3', 'Design 2']);
    expect(list.map((e) => e.docId)).toContain(store.getState().docId);
    expect(docKeys(storage)).toHaveLength(3);
  });

  it('a damaged entry is skipped by the list, reported by the loader and never thrown', async () => {
    const good = tiny('Good');
    const storage = memoryStorage([
      ['doc:good', { docId: 'good', name: 'Good', savedAt: 2, nodeCount: 2, hasWeights: true, json: serializeDesign(good) }],
      ['weights:good', 'not a map'],
      ['doc:not-json', { docId: 'not-json', name: 'Broken', savedAt: 3, nodeCount: 1, hasWeights: false, json: '{"format": "netc' }],
      ['doc:no-fields', { hello: 'world' }],
      ['doc:null', null],
      [LAST_OPEN_KEY, 'not-json'],
    ]);
    const list = await listAutosaves(storage);
    expect(list.map((e) => e.docId)).toEqual(['not-json', 'good']);
    const broken = await loadAutosave(storage, 'not-json');
    expect(broken).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await loadAutosave(storage, 'no-fields')).toEqual({ ok: false, reason: 'missing' });
    expect(await loadAutosave(storage, 'nowhere')).toEqual({ ok: false, reason: 'missing' });
    // Weights that are not what was saved are dropped; the design still opens.
    const loaded = await loadAutosave(storage, 'good');
    expect(loaded.ok && loaded.weights).toBeNull();

    // The page falls back to the default template and says why the autosave did not open.
    const store = page();
    const outcome = await bootDesign(store, { hash: '', autosaver: startAutosave(store, storage), defaultTemplate: 'tiny.json', clearHash: () => {} });
    expect(outcome).toBe('template');
    expect(store.getState().design?.name).toBe('Tiny');
    expect(store.getState().problem).toMatchObject({ kind: 'invalid', source: 'the autosaved design' });
  });

  it('storage that fails to write reports the error and the next change tries again', async () => {
    const storage = memoryStorage();
    let fail = true;
    const failing: AutosaveStorage = { ...storage, set: async (k, v) => (fail ? Promise.reject(new Error('QuotaExceededError')) : storage.set(k, v)) };
    const errors: unknown[] = [];
    const store = page();
    const saver = startAutosave(store, failing, 500, { onError: (e) => errors.push(e) });
    await store.getState().loadTemplate('tiny.json');
    await saver.flush();
    expect(errors).toHaveLength(1);
    fail = false;
    store.getState().updateNodeParams('conv', { filters: 3 });
    await saver.flush();
    expect(await listAutosaves(storage)).toHaveLength(1);
  });

  it('deleting an entry removes its weights and forgets it as last open', async () => {
    const storage = memoryStorage();
    const store = page();
    const saver = startAutosave(store, storage, 500);
    await store.getState().loadTemplate('tiny.json');
    store.getState().setWeights(weightsFor(store.getState().design!));
    await saver.flush();
    const id = store.getState().docId;
    expect([...storage.map.keys()].sort()).toEqual([`doc:${id}`, LAST_OPEN_KEY, `weights:${id}`].sort());
    saver.stop();
    await deleteAutosave(storage, id);
    expect([...storage.map.keys()]).toEqual([]);
  });
});

describe('boot', () => {
  it('a design link wins over the autosave, is cleared from the address bar, and is saved for the next reload', async () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    const first = page();
    startAutosave(first, storage, 500);
    await first.getState().loadTemplate('tiny.json');
    await vi.advanceTimersByTimeAsync(600);

    const shared = tiny('Shared by a colleague');
    const store = page();
    const saver = startAutosave(store, storage, 500);
    let cleared = 0;
    const outcome = await bootDesign(store, { hash: designToHash(shared), autosaver: saver, defaultTemplate: 'tiny.json', clearHash: () => cleared++ });
    expect(outcome).toBe('link');
    expect(cleared).toBe(1);
    expect(store.getState().source).toEqual({ type: 'link' });
    expect(store.getState().design).toEqual(shared);
    await vi.advanceTimersByTimeAsync(600);
    expect(await lastOpenDocId(storage)).toBe(store.getState().docId);
    vi.useRealTimers();
  });

  it('a bad link shows the problem and the page opens the autosave instead', async () => {
    const storage = memoryStorage();
    const first = page();
    const saver1 = startAutosave(first, storage, 500);
    await first.getState().loadTemplate('tiny.json');
    first.getState().setDesignInfo({ name: 'Work in progress' });
    await saver1.flush();

    const store = page();
    let cleared = 0;
    const outcome = await bootDesign(store, { hash: '#design=garbage!!', autosaver: startAutosave(store, storage), defaultTemplate: 'tiny.json', clearHash: () => cleared++ });
    expect(outcome).toBe('autosave');
    expect(cleared).toBe(1);
    expect(store.getState().design?.name).toBe('Work in progress');
    const problem = store.getState().problem;
    expect(problem).toMatchObject({ kind: 'invalid', source: 'the shared link' });
    expect(problem?.kind === 'invalid' && problem.issues[0].code).toBe('link-bad');
  });

  it('with nothing saved and no link, the default template opens', async () => {
    const store = page();
    const outcome = await bootDesign(store, { hash: '#notes', autosaver: startAutosave(store, memoryStorage()), defaultTemplate: 'tiny.json', clearHash: () => {} });
    expect(outcome).toBe('template');
    expect(store.getState().source).toEqual({ type: 'template', file: 'tiny.json' });
  });
});
