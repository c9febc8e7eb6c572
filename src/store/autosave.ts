/**
 * Autosave: every open design is written to the browser (IndexedDB through idb-keyval) at most `delayMs`
 * after each change, and at least once a second while edits keep coming, so a reload or a crash loses at
 * most about a second of work. The page also writes at once when it is hidden or unloaded.
 *
 * Layout of the key-value store:
 * - `doc:<docId>`     → AutosaveEntry (the design file as JSON, without weights, and what the list shows)
 * - `weights:<docId>` → the trained weights as a structured-cloned Map of Float32Arrays, when they take
 *                       at most MAX_WEIGHT_BYTES (kept apart so listing the entries never reads them)
 * - `last-open`       → the docId open last, which the next page load restores
 *
 * Everything read back is validated (parseDesign, weightsFit): a damaged entry is skipped, never thrown.
 */
import { createStore as createIdbStore, del as idbDel, entries as idbEntries, get as idbGet, keys as idbKeys, set as idbSet } from 'idb-keyval';
import { inferShapes, isUntitled, parseDesign, serializeDesign, type Design, type Issue } from '../graph/index.ts';
import type { DesignWeights } from '../graph/weights.ts';
import type { AppState, AppStore } from './app-store.ts';
import { clampProgress, NO_PROGRESS, readProgress, type LessonProgress } from './lesson-progress.ts';
import { weightsFit } from './weights-fit.ts';

/** What autosave needs of a key-value store; tests pass `memoryStorage()`. */
export interface AutosaveStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
  entries(): Promise<[string, unknown][]>;
}

export const LAST_OPEN_KEY = 'last-open';
const DOC_PREFIX = 'doc:';
const WEIGHTS_PREFIX = 'weights:';
export const MAX_ENTRIES = 30;
/** Larger weights are not autosaved (they stay in the session; "Save with trained weights" keeps them). */
export const MAX_WEIGHT_BYTES = 5_000_000;

export interface AutosaveSummary {
  readonly docId: string;
  readonly name: string;
  /** Milliseconds since the epoch. */
  readonly savedAt: number;
  readonly nodeCount: number;
  readonly hasWeights: boolean;
}

export interface AutosaveEntry extends AutosaveSummary {
  /** The design file (serializeDesign, without weights). */
  readonly json: string;
  /** Where the student is in the design's lesson, when it has one and they have started. */
  readonly lessonProgress?: LessonProgress;
  /**
   * The design's lesson locks were set in this browser by their author: a reload gives the author back their
   * lesson, where a design that arrived with locks (a link, a file) stays a student's.
   */
  readonly authored?: true;
}

export function idbStorage(dbName = 'netcanvas', storeName = 'autosave'): AutosaveStorage {
  const store = createIdbStore(dbName, storeName);
  return {
    get: (key) => idbGet(key, store),
    set: (key, value) => idbSet(key, value, store),
    del: (key) => idbDel(key, store),
    keys: async () => (await idbKeys(store)).filter((k): k is string => typeof k === 'string'),
    entries: async () => (await idbEntries(store)).filter((e): e is [string, unknown] => typeof e[0] === 'string'),
  };
}

/** An in-memory stand-in (tests; a browser without IndexedDB still gets autosave for the session). */
export function memoryStorage(initial?: Iterable<[string, unknown]>): AutosaveStorage & { readonly map: Map<string, unknown> } {
  const map = new Map<string, unknown>(initial);
  return {
    map,
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, value),
    del: async (key) => void map.delete(key),
    keys: async () => [...map.keys()],
    entries: async () => [...map.entries()],
  };
}

function asEntry(value: unknown): AutosaveEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const e = value as Record<string, unknown>;
  if (typeof e.docId !== 'string' || typeof e.json !== 'string' || typeof e.savedAt !== 'number' || !Number.isFinite(e.savedAt)) return null;
  return {
    docId: e.docId,
    name: typeof e.name === 'string' ? e.name : 'Untitled',
    savedAt: e.savedAt,
    nodeCount: typeof e.nodeCount === 'number' ? e.nodeCount : 0,
    hasWeights: e.hasWeights === true,
    json: e.json,
    ...(readProgress(e.lessonProgress) ? { lessonProgress: readProgress(e.lessonProgress)! } : {}),
    ...(e.authored === true ? { authored: true as const } : {}),
  };
}

async function readEntries(storage: AutosaveStorage): Promise<AutosaveEntry[]> {
  const keys = (await storage.keys()).filter((k) => k.startsWith(DOC_PREFIX));
  const values = await Promise.all(keys.map((k) => storage.get(k).catch(() => undefined)));
  return values.map(asEntry).filter((e): e is AutosaveEntry => e !== null);
}

/** Every readable entry, newest first (damaged ones are left out). */
export async function listAutosaves(storage: AutosaveStorage): Promise<AutosaveSummary[]> {
  const entries = await readEntries(storage);
  return entries
    .sort((a, b) => b.savedAt - a.savedAt)
    .map(({ docId, name, savedAt, nodeCount, hasWeights }) => ({ docId, name, savedAt, nodeCount, hasWeights }));
}

export type LoadedAutosave =
  | {
      readonly ok: true;
      readonly entry: AutosaveSummary;
      readonly design: Design;
      readonly weights: DesignWeights | null;
      readonly lessonProgress: LessonProgress;
      readonly authored: boolean;
    }
  | { readonly ok: false; readonly reason: 'missing' }
  | { readonly ok: false; readonly reason: 'invalid'; readonly issues: readonly Issue[] };

function isWeightsMap(value: unknown): value is DesignWeights {
  if (!(value instanceof Map)) return false;
  for (const [id, named] of value) {
    if (typeof id !== 'string' || typeof named !== 'object' || named === null) return false;
    for (const t of Object.values(named as Record<string, unknown>)) {
      const w = t as { shape?: unknown; data?: unknown } | null;
      if (!w || !Array.isArray(w.shape) || !(w.data instanceof Float32Array)) return false;
      if (w.data.length !== w.shape.reduce((a: number, b: number) => a * b, 1)) return false;
    }
  }
  return true;
}

/** One entry, parsed and checked; weights only if they still fit the design. Never throws. */
export async function loadAutosave(storage: AutosaveStorage, docId: string): Promise<LoadedAutosave> {
  let raw: unknown;
  try {
    raw = await storage.get(DOC_PREFIX + docId);
  } catch {
    return { ok: false, reason: 'missing' };
  }
  const entry = asEntry(raw);
  if (!entry) return { ok: false, reason: 'missing' };
  const parsed = parseDesign(entry.json);
  if (!parsed.ok) return { ok: false, reason: 'invalid', issues: parsed.errors };
  let weights: DesignWeights | null = null;
  if (entry.hasWeights) {
    const stored = await storage.get(WEIGHTS_PREFIX + docId).catch(() => undefined);
    if (isWeightsMap(stored) && weightsFit(inferShapes(parsed.design), stored)) weights = stored;
  }
  const { json: _json, lessonProgress = NO_PROGRESS, authored = false, ...summary } = entry;
  return { ok: true, entry: summary, design: parsed.design, weights, lessonProgress: clampProgress(lessonProgress, parsed.design.lesson), authored };
}

export async function deleteAutosave(storage: AutosaveStorage, docId: string): Promise<void> {
  await storage.del(DOC_PREFIX + docId);
  await storage.del(WEIGHTS_PREFIX + docId);
  if ((await storage.get(LAST_OPEN_KEY)) === docId) await storage.del(LAST_OPEN_KEY);
}

export async function lastOpenDocId(storage: AutosaveStorage): Promise<string | null> {
  try {
    const id = await storage.get(LAST_OPEN_KEY);
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/** Drops the oldest entries beyond `max` (never `keep`), and weights whose entry is gone. */
export async function pruneAutosaves(storage: AutosaveStorage, max = MAX_ENTRIES, keep?: string): Promise<void> {
  const keys = await storage.keys();
  const docKeys = keys.filter((k) => k.startsWith(DOC_PREFIX));
  const entries = new Map((await readEntries(storage)).map((e) => [e.docId, e]));
  // Unreadable entries cannot be listed or restored: they go first.
  const doomed = docKeys.filter((k) => !entries.has(k.slice(DOC_PREFIX.length))).map((k) => k.slice(DOC_PREFIX.length));
  const readable = [...entries.values()].filter((e) => e.docId !== keep).sort((a, b) => b.savedAt - a.savedAt);
  const room = Math.max(0, max - (keep && entries.has(keep) ? 1 : 0));
  doomed.push(...readable.slice(room).map((e) => e.docId));
  for (const id of doomed) {
    await storage.del(DOC_PREFIX + id);
    await storage.del(WEIGHTS_PREFIX + id);
  }
  const gone = new Set(doomed);
  for (const k of keys) {
    if (!k.startsWith(WEIGHTS_PREFIX)) continue;
    const id = k.slice(WEIGHTS_PREFIX.length);
    if (gone.has(id) || !entries.has(id)) await storage.del(k);
  }
}

export function weightBytes(weights: DesignWeights): number {
  let n = 0;
  for (const named of weights.values()) for (const t of Object.values(named)) n += t.data.byteLength;
  return n;
}

/** A new design nobody has touched yet: nothing worth a place in the list. */
function isBlank(design: Design): boolean {
  return design.nodes.length === 0 && isUntitled(design.name) && !design.description && !design.notes && !design.lesson;
}

interface Snapshot {
  readonly docId: string;
  readonly design: Design;
  readonly weights: DesignWeights | null;
  readonly lessonProgress: LessonProgress;
  readonly authored: boolean;
}

const same = (a: Snapshot | null, b: Snapshot | null) =>
  a === b ||
  (!!a && !!b && a.docId === b.docId && a.design === b.design && a.weights === b.weights && a.lessonProgress === b.lessonProgress && a.authored === b.authored);

export interface AutosaveOptions {
  /** Continuous editing still saves at least this often. */
  readonly maxWaitMs?: number;
  readonly maxEntries?: number;
  /** Where `pagehide` and `visibilitychange` come from (the window); none in tests unless given. */
  readonly events?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  readonly isHidden?: () => boolean;
  /** A write failed (storage full, IndexedDB blocked); autosave keeps trying on the next change. */
  readonly onError?: (error: unknown) => void;
}

export type RestoreResult = LoadedAutosave;

export interface Autosaver {
  readonly storage: AutosaveStorage;
  /** Writes the pending change now; resolves when every write so far is done. */
  flush(): Promise<void>;
  /** Opens an autosaved design under its own docId, so later edits update the same entry. */
  restore(docId: string): Promise<RestoreResult>;
  stop(): void;
}

/**
 * Saves the store's open design after changes: a trailing debounce of `delayMs` with a maximum wait, so
 * a burst of edits is one write and continuous editing still writes every `maxWaitMs`.
 */
export function startAutosave(
  appStore: AppStore,
  storage: AutosaveStorage = idbStorage(),
  delayMs = 500,
  options: AutosaveOptions = {},
): Autosaver {
  const { maxWaitMs = 1000, maxEntries = MAX_ENTRIES, events, onError = (e) => console.warn('autosave failed', e) } = options;
  const isHidden = options.isHidden ?? (() => typeof document !== 'undefined' && document.visibilityState === 'hidden');

  /** What storage holds (or is being written) for the open document. */
  let saved: Snapshot | null = null;
  let lastOpenWritten: string | null = null;
  const weightsWritten = new Map<string, DesignWeights | null>();
  /** Docs written in this session: a new one may push the list past `maxEntries`. */
  const known = new Set<string>();
  let pending: Snapshot | null = null;
  let firstPendingAt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Writes run one after another, in order, so an older snapshot never lands after a newer one.
  let queue: Promise<void> = Promise.resolve();

  const snapshotOf = (s: AppState): Snapshot | null =>
    s.design
      ? { docId: s.docId, design: s.design, weights: s.weights, lessonProgress: s.lessonProgress, authored: !!s.design.locks && s.lessonRole !== 'student' }
      : null;

  const write = (snap: Snapshot) => {
    saved = snap;
    queue = queue.then(async () => {
      try {
        const weights = snap.weights && weightBytes(snap.weights) <= MAX_WEIGHT_BYTES ? snap.weights : null;
        const entry: AutosaveEntry = {
          docId: snap.docId,
          name: snap.design.name,
          savedAt: Date.now(),
          nodeCount: snap.design.nodes.length,
          hasWeights: weights !== null,
          json: serializeDesign(snap.design),
          ...(snap.lessonProgress !== NO_PROGRESS ? { lessonProgress: snap.lessonProgress } : {}),
          ...(snap.authored ? { authored: true as const } : {}),
        };
        if (weightsWritten.get(snap.docId) !== weights) {
          if (weights) await storage.set(WEIGHTS_PREFIX + snap.docId, weights);
          else await storage.del(WEIGHTS_PREFIX + snap.docId);
          weightsWritten.set(snap.docId, weights);
        }
        await storage.set(DOC_PREFIX + snap.docId, entry);
        if (lastOpenWritten !== snap.docId) {
          await storage.set(LAST_OPEN_KEY, snap.docId);
          lastOpenWritten = snap.docId;
        }
        if (!known.has(snap.docId)) {
          known.add(snap.docId);
          await pruneAutosaves(storage, maxEntries, snap.docId);
        }
      } catch (e) {
        // Written again on the next change.
        if (same(saved, snap)) saved = null;
        weightsWritten.delete(snap.docId);
        onError(e);
      }
    });
  };

  const cancelTimer = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };

  const flushPending = () => {
    cancelTimer();
    const snap = pending;
    pending = null;
    if (snap && !same(saved, snap)) write(snap);
  };

  const onChange = (state: AppState) => {
    const snap = snapshotOf(state);
    if (!snap || same(snap, pending ?? saved)) return;
    // Another document: its predecessor's last change is written now, not lost with the timer.
    if (pending && pending.docId !== snap.docId) flushPending();
    // Back to what is stored (an undo, the second half of a restore), or a blank new design: nothing to write.
    if (same(snap, saved) || isBlank(snap.design)) {
      pending = null;
      cancelTimer();
      return;
    }
    const now = Date.now();
    if (!pending) firstPendingAt = now;
    pending = snap;
    cancelTimer();
    const due = Math.min(now + delayMs, firstPendingAt + maxWaitMs);
    timer = setTimeout(flushPending, Math.max(0, due - now));
  };

  const unsubscribe = appStore.subscribe(onChange);
  const onHide = () => flushPending();
  const onVisibility = () => {
    if (isHidden()) flushPending();
  };
  events?.addEventListener('pagehide', onHide);
  events?.addEventListener('visibilitychange', onVisibility);

  return {
    storage,
    async flush() {
      flushPending();
      await queue;
    },
    async restore(docId) {
      const loaded = await loadAutosave(storage, docId);
      if (!loaded.ok) return loaded;
      const { design, weights, lessonProgress, authored } = loaded;
      // Counts as stored already: restoring writes nothing, and the entry keeps its time.
      flushPending();
      saved = { docId, design, weights, lessonProgress: NO_PROGRESS, authored };
      known.add(docId);
      weightsWritten.set(docId, weights);
      appStore.getState().openDesign(design, { type: 'autosave' }, docId, weights, authored);
      if (appStore.getState().docId === docId && lessonProgress !== NO_PROGRESS) {
        saved = { ...saved, lessonProgress };
        appStore.getState().setLessonProgress(lessonProgress);
        // setLessonProgress may clamp (a new object); what is stored is what the store now holds.
        saved = { ...saved, lessonProgress: appStore.getState().lessonProgress };
      }
      // openDesign waits for confirmation while a training run is active: only an opened design is last-open.
      if (appStore.getState().docId === docId) {
        queue = queue.then(async () => {
          try {
            await storage.set(LAST_OPEN_KEY, docId);
            lastOpenWritten = docId;
          } catch (e) {
            onError(e);
          }
        });
      }
      return loaded;
    },
    stop() {
      flushPending();
      unsubscribe();
      events?.removeEventListener('pagehide', onHide);
      events?.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
