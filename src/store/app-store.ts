/**
 * The single store of the editor: the open design and its inference (computed exactly once per design
 * change, incrementally), selection, view settings, load problems and notices, and every edit as a named
 * command. Undo/redo (zundo) records {design, inference, weights} snapshots whenever the design object
 * changes, so a command is one undo step, a drag is one step (positions are committed when it ends) and a
 * selection is none. Edits that change the model wait for confirmation while a training run is active.
 */
import { insertLibraryBlock } from '../graph/block-library.ts';
import { blobSource, isNetcanvasName, startsLikeZip } from '../graph/byte-source.ts';
import { temporal, type TemporalState } from 'zundo';
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  addNode,
  applyFix as applyIssueFix,
  connect as connectNodes,
  duplicateNodes,
  emptyDesign,
  extractFragment,
  insertFragment,
  moveNodes as moveDesignNodes,
  removeElements,
  setDesignInfo as setInfo,
  setLesson as setDesignLesson,
  setLabel,
  setNodeNotes as setDesignNodeNotes,
  setBlockNotes as setDesignBlockNotes,
  UNTITLED,
  updateParams,
  type Point,
} from '../graph/edit.ts';
import {
  connectElements,
  editDefinition,
  expandInPlace,
  groupIntoBlock,
  makeUnique,
  setBlockArg as setInstanceArg,
  setRepeat,
  ungroupBlock,
  type BlockEditResult,
} from '../graph/block-edit.ts';
import { blockInference, flattenBlocks, type BlockSummary } from '../graph/blocks.ts';
import {
  formatIssue,
  InferenceSession,
  parseDesign,
  serializeDesign,
  type Design,
  type DesignInference,
  type Issue,
  type LayerKind,
  type Lang,
  type ParamValue,
  type Lesson,
} from '../graph/index.ts';
import { connectionCounts, lockViolation, setNodeLock as setDesignNodeLock, type ConnectionCounts } from '../graph/locks.ts';
import { startingParams } from '../graph/linear-layers.ts';
import type { KerasImportResult } from '../import/keras.ts';
import type { DesignWeights } from '../graph/weights.ts';
import type { TemplateEntry, TemplateLoader } from './template-catalogue.ts';
import { weightsFit } from './weights-fit.ts';
import { estimateBoxes, type Box } from '../graph/layout-box.ts';
import { refoldFrame } from '../graph/block-frames.ts';
import { clampProgress, enterStep, NO_PROGRESS, stepStartDesign, type LessonProgress } from './lesson-progress.ts';

/** Far above any real design (MAX_NODES nodes take a few MB); stops a wrong pick from freezing the tab. */
export const MAX_FILE_MB = 20;

export type DesignSource =
  | { readonly type: 'template'; readonly file: string }
  | { readonly type: 'file'; readonly name: string }
  | { readonly type: 'new' }
  | { readonly type: 'link' }
  | { readonly type: 'paste' }
  | { readonly type: 'autosave' };

/** Undo/redo keeps this much; each entry shares every unchanged node and result with its neighbours. */
export const UNDO_LIMIT = 200;

/** A short-lived message (a refused connection, a bad paste), shown once and replaced by the next. */
export interface Notice {
  readonly issue: Issue;
  /** Increases with each notice, so the same message twice is shown twice. */
  readonly seq: number;
}

/** The canvas centres this node when `seq` changes (a click on a problem in the status bar). */
export interface FocusRequest {
  readonly nodeId: string;
  readonly seq: number;
}

/**
 * Who is at the keyboard, as far as a lesson's locks go. Locks hold for everyone on every edit; only the
 * author may change them (an instructor unlocks a layer before editing it). A design that arrives with
 * locks (a link, a file, a template, an autosave) is opened as a student's; an author who previews the
 * lesson as a student ('preview') is held to it the same way and may come back.
 */
export type LessonRole = 'author' | 'preview' | 'student';

/** What undo/redo records. */
export interface Snapshot {
  readonly design: Design | null;
  readonly flat: Design | null;
  readonly inference: DesignInference | null;
  readonly blockSummaries: readonly BlockSummary[];
  readonly weights: DesignWeights | null;
  readonly source: DesignSource | null;
  readonly docId: string;
}

/** Why the last load failed; the design on screen is left as it was. */
export type LoadProblem =
  | { readonly source: string; readonly kind: 'invalid'; readonly issues: readonly Issue[] }
  | { readonly source: string; readonly kind: 'too-large'; readonly limitMb: number }
  | { readonly source: string; readonly kind: 'unreadable'; readonly detail: string };

/** What `openFile` needs of a File (a Blob with a name), so tests can pass plain objects. */
export interface NamedText {
  readonly name: string;
  readonly size: number;
  text(): Promise<string>;
  /** The bytes, for binary models (an .onnx is imported, not parsed as text). */
  arrayBuffer?(): Promise<ArrayBuffer>;
  /** A range of the bytes (a File is a Blob): a .netcanvas is read a tensor at a time through it. */
  slice?(start: number, end: number): Blob;
}

/** A zip's first bytes, whatever the file is called: a renamed .netcanvas still opens as one. */
async function startsWithZip(file: Blob): Promise<boolean> {
  try {
    return startsLikeZip(new Uint8Array(await file.slice(0, 4).arrayBuffer()));
  } catch {
    return false;
  }
}

/** A file the importers read rather than the design parser: by its name, as the picker and the drop see it. */
export const isOnnxFile = (name: string) => name.toLowerCase().endsWith('.onnx');
export const isKerasFile = (name: string) => name.toLowerCase().endsWith('.keras');
/** Whether a text is JSON that is not a NetCanvas design but has a Keras class_name: the Keras reader decides the rest. */
export function mayBeKerasConfig(text: string): boolean {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const o = json as Record<string, unknown>;
  return o.format !== 'netcanvas' && (typeof o.class_name === 'string' || typeof o.model_config === 'object');
}

/**
 * An edit held back because a training run is active: the page asks whether to stop the run first.
 * `confirmPendingEdit` stops the run and applies it; `cancelPendingEdit` drops it.
 */
export interface PendingEdit {
  /** What the edit does, for the question ("Set conv1's filters to 16"). */
  readonly description: string;
  readonly apply: () => void | Promise<void>;
}

export interface AppState {
  readonly lang: Lang;
  readonly channelsFirst: boolean;
  readonly catalogue: readonly TemplateEntry[];
  readonly source: DesignSource | null;
  readonly design: Design | null;
  /**
   * The design with its blocks unfolded into layers (the very same object when it has none): what
   * inference, training, the layer table and the exporters run on. Derived, never edited.
   */
  readonly flat: Design | null;
  /** Inference of `flat`; ids inside blocks are paths (`layer1.0.conv1`). */
  readonly inference: DesignInference | null;
  /** Per block instance, and per copy of a repeat: shapes in and out, params and MACs, from `inference`. */
  readonly blockSummaries: readonly BlockSummary[];
  /**
   * Identifies the open document for autosave: a new one for each design opened or created, kept
   * across edits (and restored by undo) so its autosave entry is updated in place.
   */
  readonly docId: string;
  /** Selected node ids (selection is not an edit: undo skips it). */
  readonly selection: readonly string[];
  readonly notice: Notice | null;
  readonly focus: FocusRequest | null;
  /** The template file or file name being loaded, for a busy indicator. */
  readonly loading: string | null;
  /** True while Tidy up computes its layout (a big design takes a moment), for a busy indicator. */
  readonly tidying: boolean;
  readonly problem: LoadProblem | null;
  /**
   * Trained weights of the open design (Keras layout), kept beside it for the session, saved with it on
   * request, handed to exporters. Cleared when an edit changes any weight's shape.
   */
  readonly weights: DesignWeights | null;
  /** True while a training run is active; edits then wait for `pendingEdit` to be confirmed. */
  readonly runActive: boolean;
  readonly pendingEdit: PendingEdit | null;
  /** Where the student is in the open design's lesson; autosaved with it, reset when another design opens. */
  readonly lessonProgress: LessonProgress;
  readonly lessonRole: LessonRole;
  /**
   * Each layer's connections as the lesson gave them (when the design was opened or its locks last set):
   * edits may not take a locked layer below them, but may undo connections a student added.
   */
  readonly lockFloor: ConnectionCounts | null;
  setLang(lang: Lang): void;
  setChannelsFirst(on: boolean): void;
  loadTemplate(file: string): Promise<void>;
  openFile(file: NamedText): Promise<void>;
  /** Opens design JSON from anywhere (a paste, a link, an autosave entry); a bad one sets `problem`. */
  openText(text: string, source: DesignSource, sourceName: string): void;
  /** Opens an already-validated design (a link, an autosave entry) with its trained weights, if any. */
  /** `authored`: its locks were set by this browser's user (an autosave says so), who stays their author. */
  openDesign(design: Design, source: DesignSource, docId?: string, weights?: DesignWeights | null, authored?: boolean): void;
  /** Shows why something found outside the store (a link, an autosave entry) could not be opened. */
  reportProblem(problem: LoadProblem): void;
  newDesign(): void;
  dismissProblem(): void;
  dismissNotice(): void;
  /** Merges `params` into one node's parameters; the design is re-inferred once. */
  updateNodeParams(nodeId: string, params: Readonly<Record<string, ParamValue>>): void;
  setNodeLabel(nodeId: string, label: string): void;
  /** The note of a layer or block instance in the page's language (the other languages' notes stay). */
  setNodeNotes(nodeId: string, text: string): void;
  /** The note of a block definition in the page's language (every instance shows it). */
  setBlockNotes(blockId: string, text: string): void;
  /** Applies an issue's one-click fix (parameter values and/or an inserted layer). */
  applyFix(nodeId: string, fix: NonNullable<Issue['fix']>): void;
  /** The name, and the description and notes in the page's language (the other languages' texts stay). */
  setDesignInfo(info: { name?: string; description?: string; notes?: string }): void;
  /** Replaces the design's lesson (the instructor's form); one undo step. Progress past the last step is clamped. */
  setLesson(lesson: Lesson | undefined): void;
  /** Moves to a step of the lesson, or records an answer to one (neither is an edit: undo skips them). */
  setLessonProgress(progress: LessonProgress): void;
  /** Puts the design back as it was when the student entered the current step (one undoable edit). */
  resetLessonStep(): void;
  /**
   * Adds a layer (at `position`, or below `after` and wired to it) with a beginner's starting parameters
   * (ReLU where the kind fuses an activation: graph/linear-layers.ts); selects it and returns its id.
   */
  addLayer(kind: LayerKind, opts?: { position?: Point; after?: string }): string | null;
  /** Adds a block of the library (graph/block-library.ts) as addLayer adds a layer; returns its instance id. */
  addLibraryBlock(blockId: string, opts?: { position?: Point; after?: string }): string | null;
  /**
   * Connects two nodes (layers or block instances, through the named ports of a block); a refused
   * connection becomes a notice with the reason. True when connected.
   */
  connect(source: string, target: string, ports?: { sourcePort?: string; targetPort?: string }): boolean;
  removeElements(nodeIds: readonly string[], edgeIds?: readonly string[]): void;
  /** Commits the end of a drag: one undo step however far the nodes travelled. */
  moveNodes(positions: ReadonlyMap<string, Point>): void;
  duplicateSelection(): void;
  /** The selected layers (and the connections among them) as design JSON, for the clipboard. */
  copySelection(): string | null;
  /** Pastes design JSON as new layers (selected afterwards); anything else becomes a notice. */
  pasteText(text: string, offset?: Point): boolean;
  /** Groups the selected layers and blocks into a new block (one undo step); a refusal becomes a notice. */
  groupSelection(name?: string): boolean;
  /** Replaces the selected block instances by their contents, one level (one undo step). */
  ungroupSelection(): boolean;
  /** Unfolds an instance completely in place, layers named by their paths. */
  expandBlock(instanceId: string): void;
  /** Folds an unfolded block (its frame on the canvas) back into one instance; refused if its layers were edited since. */
  foldFrame(frameId: string): void;
  setBlockRepeat(instanceId: string, repeat: number | null): void;
  /** Sets a block argument on an instance, or on one copy of it. */
  setBlockArg(instanceId: string, arg: string, value: ParamValue, copy?: number): void;
  /** Gives the instance its own copy of its definition. */
  makeBlockUnique(instanceId: string): void;
  /** Merges `params` into a layer of a block definition: every instance of it changes (one undo step). */
  updateBlockLayerParams(blockId: string, nodeId: string, params: Readonly<Record<string, ParamValue>>): void;
  /**
   * Tidy up: lays the design out by ELK (loaded on first use, so it stays out of the first page), each box
   * at its drawn size (`measured`, from the canvas; else estimated from its content); one undo step. If
   * ELK fails it falls back to dagre with a console warning; an edit made meanwhile wins over the layout.
   */
  autoLayout(measured?: ReadonlyMap<string, Box>): Promise<void>;
  select(nodeIds: readonly string[]): void;
  /** Selects a node and asks the canvas to bring it into view. */
  focusNode(nodeId: string): void;
  undo(): void;
  redo(): void;
  /**
   * The author locks a layer (`params`: the parameters that cannot change, maybe none) or unlocks it (null);
   * one undo step. `nodeId` may name a top-level block instance (locked whole: no `params`), or with `block`
   * a layer inside that block definition. Refused with a notice for a student, or while previewing.
   */
  setNodeLock(nodeId: string, params: readonly string[] | null, block?: string): boolean;
  /** An author previews the lesson as a student, and comes back; a student stays one. */
  setLessonRole(role: 'author' | 'preview'): void;
  setWeights(weights: DesignWeights | null): void;
  /** The training panel reports its run, and how to stop it (called when an edit is confirmed). */
  setRunActive(active: boolean, stop?: () => void | Promise<void>): void;
  confirmPendingEdit(): Promise<void>;
  cancelPendingEdit(): void;
}

export interface AppStoreDeps {
  readonly lang: Lang;
  readonly catalogue: readonly TemplateEntry[];
  readonly loaderFor: (file: string) => TemplateLoader | undefined;
}

export type AppStore = StoreApi<AppState> & { temporal: StoreApi<TemporalState<Snapshot>> };

let docCounter = 0;
/** A document id unique in this browser (time + counter + randomness; no need for crypto here). */
export function newDocId(): string {
  return `doc-${Date.now().toString(36)}-${(docCounter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export function createAppStore({ lang, catalogue, loaderFor }: AppStoreDeps): AppStore {
  // Loads can overlap (two quick clicks); only the latest one may replace the design.
  let latest = 0;
  // The one place inference runs: once per new design object, incrementally against the previous one.
  const session = new InferenceSession();
  let noticeSeq = 0;
  let focusSeq = 0;
  let lastPaste = '';
  let pasteRepeat = 0;

  const store = createStore<AppState>()(
    temporal(
      (set, get) => {
        let stopRun: (() => void | Promise<void>) | null = null;
        /** Runs `edit` now, or holds it for confirmation while a run is active. True when it ran. */
        const guarded = (description: string, edit: () => void | Promise<void>): boolean => {
          if (get().runActive) {
            set({ pendingEdit: { description, apply: edit } });
            return false;
          }
          void edit();
          return true;
        };
        /** Replaces the design (one undo step), re-infers once, keeps trained weights only if they still fit. */
        /** Everything derived from a design: its unfolded layers, their inference and the block subtotals. */
        const derive = (design: Design, unfolded = flattenBlocks(design)) => {
          const inference = session.update(unfolded.design);
          return { flat: unfolded.design, inference, blockSummaries: unfolded.instances.length > 0 ? blockInference(unfolded, inference) : [] };
        };
        /**
         * Replaces the design (one undo step) unless that would break a lesson lock: then the notice says
         * which and nothing changes. Every edit goes through here, so every edit respects the locks.
         */
        const commit = (next: Design, extra: Partial<AppState> = {}, locksMayChange = false): boolean => {
          const before = get().design;
          if (next === before) return false;
          // The unfolded design is computed once: the lock check counts connections on it, inference runs on it.
          const unfolded = flattenBlocks(next);
          if (before && (before.locks || next.locks)) {
            const floor = get().lockFloor ?? undefined;
            const violation = lockViolation(before, next, { beforeFlat: get().flat ?? before, afterFlat: unfolded.design, locksMayChange, floor });
            if (violation) return notify(violation), false;
          }
          const derived = derive(next, unfolded);
          const weights = get().weights;
          set({ design: next, ...derived, weights: weights && weightsFit(derived.inference, weights) ? weights : null, ...extra });
          return true;
        };
        /** Commits a block edit, or shows why it was refused; true when it was committed. */
        const commitBlock = (result: BlockEditResult, extra: Partial<AppState> = {}): boolean => {
          if (!result.ok) {
            notify(result.reason);
            return false;
          }
          return commit(result.design, extra);
        };
        const instanceName = (id: string) => {
          const i = get().design?.instances?.find((x) => x.id === id);
          return i ? i.label || i.id : id;
        };
        const notify = (issue: Issue) => set({ notice: { issue, seq: ++noticeSeq } });
        const nodeName = (id: string) => {
          const n = get().design?.nodes.find((x) => x.id === id);
          return n ? n.label || n.id : id;
        };
        const open = (design: Design, source: DesignSource, weights: DesignWeights | null, docId = newDocId(), authored = false) => {
          const derived = derive(design);
          const { inference } = derived;
          set({
            ...derived,
            loading: null,
            problem: null,
            source,
            docId,
            design,
            inference,
            // A lesson's first step starts from the design as it opens.
            lessonProgress: design.lesson ? { ...NO_PROGRESS, start: design } : NO_PROGRESS,
            lessonRole: design.locks && !authored ? 'student' : 'author',
            lockFloor: design.locks ? connectionCounts(derived.flat) : null,
            // Weights that do not fit the design (a stale autosave) are dropped, never half-applied.
            weights: weights && weightsFit(inference, weights) ? weights : null,
            selection: [],
          });
        };
        const accept = (ticket: number, source: DesignSource, sourceName: string, content: unknown) => {
          if (ticket !== latest) return;
          const parsed = parseDesign(content);
          if (!parsed.ok) {
            set({ loading: null, problem: { source: sourceName, kind: 'invalid', issues: parsed.errors } });
            return;
          }
          open(parsed.design, source, parsed.weights ?? null);
        };
        const reject = (ticket: number, problem: LoadProblem) => {
          if (ticket === latest) set({ loading: null, problem });
        };
        /**
         * An ONNX model becomes a design with its weights, laid out (src/import/onnx.ts, loaded only when a
         * model is opened); anything it cannot hold is one message and the open design stays as it was.
         */
        const importOnnxFile = async (ticket: number, name: string, size: number, read: () => Promise<ArrayBuffer>) => {
          const file = { name, size };
          set({ loading: name });
          try {
            const { importOnnx, MAX_IMPORT_MB } = await import('../import/onnx.ts');
            if (file.size > MAX_IMPORT_MB * 2 ** 20) return reject(ticket, { source: file.name, kind: 'too-large', limitMb: MAX_IMPORT_MB });
            // The bytes were read for this import alone: it may rearrange them rather than copy the weights.
            const result = importOnnx(new Uint8Array(await read()), file.name, { consume: true });
            if (ticket !== latest) return;
            if (!result.ok) return reject(ticket, { source: file.name, kind: 'invalid', issues: [result.issue] });
            open(result.design, { type: 'file', name: file.name }, result.weights);
          } catch (e) {
            reject(ticket, { source: file.name, kind: 'unreadable', detail: e instanceof Error ? e.message : String(e) });
          }
        };

        /**
         * A Keras model (src/import/keras.ts, loaded only then): a `.keras` file (config and weights) or a
         * JSON config; as for ONNX, a refusal is one message and the open design stays as it was. What was
         * dropped on the way (a regulariser) is the notice after the design opens.
         */
        const importKeras = async (ticket: number, name: string, run: (keras: typeof import('../import/keras.ts')) => Promise<KerasImportResult> | KerasImportResult) => {
          set({ loading: name });
          try {
            const result = await run(await import('../import/keras.ts'));
            if (ticket !== latest) return;
            if (!result.ok) return reject(ticket, { source: name, kind: 'invalid', issues: [result.issue] });
            open(result.design, { type: 'file', name }, result.weights.size > 0 ? result.weights : null);
            if (result.warnings.length > 0) notify(result.warnings[0]);
          } catch (e) {
            reject(ticket, { source: name, kind: 'unreadable', detail: e instanceof Error ? e.message : String(e) });
          }
        };

        /**
         * A .netcanvas (a zip of design.json and weights.safetensors) is read through Blob slices, a tensor at
         * a time, never as one string (src/graph/netcanvas-file.ts, loaded only when one is opened); a bad
         * file is one message naming the tensor, and the open design stays as it was.
         */
        const openNetcanvasFile = async (ticket: number, file: NamedText & Blob) => {
          set({ loading: file.name });
          try {
            const { readNetcanvas, MAX_CONTAINER_MB } = await import('../graph/netcanvas-file.ts');
            if (file.size > MAX_CONTAINER_MB * 2 ** 20) return reject(ticket, { source: file.name, kind: 'too-large', limitMb: MAX_CONTAINER_MB });
            const parsed = await readNetcanvas(blobSource(file), file.name);
            if (ticket !== latest) return;
            if (!parsed.ok) return reject(ticket, { source: file.name, kind: 'invalid', issues: parsed.errors });
            open(parsed.design, { type: 'file', name: file.name }, parsed.weights ?? null);
          } catch (e) {
            reject(ticket, { source: file.name, kind: 'unreadable', detail: e instanceof Error ? e.message : String(e) });
          }
        };

        return {
          lang,
          channelsFirst: false,
          catalogue,
          source: null,
          design: null,
          flat: null,
          inference: null,
          blockSummaries: [],
          docId: newDocId(),
          selection: [],
          notice: null,
          focus: null,
          loading: null,
          tidying: false,
          problem: null,
          weights: null,
          runActive: false,
          pendingEdit: null,
          lessonProgress: NO_PROGRESS,
          lessonRole: 'author',
          lockFloor: null,
          setLang: (next) => set({ lang: next }),
          setLessonProgress: (progress) =>
            set({ lessonProgress: clampProgress(enterStep(get().lessonProgress, progress, get().design), get().design?.lesson) }),
          resetLessonStep() {
            const start = stepStartDesign(get().lessonProgress, get().design);
            if (start) commit(start, { selection: [] });
          },
          setChannelsFirst: (on) => set({ channelsFirst: on }),
          dismissProblem: () => set({ problem: null }),
          dismissNotice: () => set({ notice: null }),

          async loadTemplate(file) {
            if (get().runActive) {
              guarded(`Open the template ${file}`, () => get().loadTemplate(file));
              return;
            }
            const ticket = ++latest;
            const load = loaderFor(file);
            if (!load) return reject(ticket, { source: file, kind: 'unreadable', detail: 'not in templates/' });
            set({ loading: file });
            try {
              accept(ticket, { type: 'template', file }, file, await load());
            } catch (e) {
              reject(ticket, { source: file, kind: 'unreadable', detail: e instanceof Error ? e.message : String(e) });
            }
          },

          async openFile(file) {
            if (get().runActive) {
              guarded(`Open ${file.name}`, () => get().openFile(file));
              return;
            }
            const ticket = ++latest;
            if (isOnnxFile(file.name) && file.arrayBuffer) return importOnnxFile(ticket, file.name, file.size, () => file.arrayBuffer!());
            if (isKerasFile(file.name) && file.arrayBuffer) {
              return importKeras(ticket, file.name, async (k) =>
                // Refused before it is read, as an ONNX model is.
                file.size > k.MAX_IMPORT_MB * 2 ** 20 ? k.importKerasFile(new Uint8Array(0), file.name, file.size) : k.importKerasFile(new Uint8Array(await file.arrayBuffer!()), file.name),
              );
            }
            if (file.slice && (isNetcanvasName(file.name) || (await startsWithZip(file as NamedText & Blob)))) {
              return openNetcanvasFile(ticket, file as NamedText & Blob);
            }
            if (file.size > MAX_FILE_MB * 1_000_000) {
              return reject(ticket, { source: file.name, kind: 'too-large', limitMb: MAX_FILE_MB });
            }
            set({ loading: file.name });
            try {
              const text = await file.text();
              // A NetCanvas design says "format": "netcanvas"; a JSON with a Keras class_name is a Keras model config.
              if (mayBeKerasConfig(text)) return importKeras(ticket, file.name, (k) => k.importKerasConfig(text, file.name));
              accept(ticket, { type: 'file', name: file.name }, file.name, text);
            } catch (e) {
              reject(ticket, { source: file.name, kind: 'unreadable', detail: e instanceof Error ? e.message : String(e) });
            }
          },

          openText(text, source, sourceName) {
            guarded(`Open ${sourceName}`, () => {
              if (text.length > MAX_FILE_MB * 1_000_000) return reject(++latest, { source: sourceName, kind: 'too-large', limitMb: MAX_FILE_MB });
              accept(++latest, source, sourceName, text);
            });
          },

          openDesign(design, source, docId, weights = null, authored = false) {
            guarded(`Open ${design.name}`, () => {
              ++latest;
              open(design, source, weights, docId, authored);
            });
          },

          reportProblem: (problem) => set({ problem }),

          newDesign() {
            guarded('Start a new design', () => {
              ++latest;
              open(emptyDesign(UNTITLED[get().lang]), { type: 'new' }, null);
            });
          },

          updateNodeParams(nodeId, params) {
            const node = get().design?.nodes.find((n) => n.id === nodeId);
            if (!node) return;
            const summary = Object.entries(params)
              .map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join('×') : String(v)}`)
              .join(', ');
            guarded(`Set ${node.label || node.id}: ${summary}`, () => {
              const design = get().design;
              if (!design || !design.nodes.some((n) => n.id === nodeId)) return;
              commit(updateParams(design, nodeId, params));
            });
          },

          applyFix(nodeId, fix) {
            if (!get().design?.nodes.some((n) => n.id === nodeId)) return;
            guarded(`Apply the suggested fix to ${nodeName(nodeId)}`, () => {
              const design = get().design;
              if (design?.nodes.some((n) => n.id === nodeId)) commit(applyIssueFix(design, nodeId, fix));
            });
          },

          setNodeLabel(nodeId, label) {
            const design = get().design;
            if (design?.nodes.some((n) => n.id === nodeId)) commit(setLabel(design, nodeId, label));
          },

          setNodeNotes(nodeId, text) {
            const design = get().design;
            if (design && [...design.nodes, ...(design.instances ?? [])].some((n) => n.id === nodeId)) commit(setDesignNodeNotes(design, nodeId, get().lang, text));
          },

          setBlockNotes(blockId, text) {
            const design = get().design;
            if (design?.blocks?.some((b) => b.id === blockId)) commit(setDesignBlockNotes(design, blockId, get().lang, text));
          },

          setLesson(lesson) {
            const design = get().design ?? emptyDesign();
            if (design.locks && get().lessonRole !== 'author') return void notify({ severity: 'error', code: 'lock-locks', values: {} });
            commit(setDesignLesson(design, lesson), { lessonProgress: clampProgress(get().lessonProgress, lesson) });
          },

          setDesignInfo(info) {
            const design = get().design;
            // The texts typed are in the language the page is shown in.
            if (design) commit(setInfo(design, { lang: get().lang, ...info }));
          },

          addLayer(kind, opts = {}) {
            let added: string | null = null;
            guarded(`Add a ${kind} layer`, () => {
              const design = get().design ?? emptyDesign();
              const after = opts.after && design.nodes.some((n) => n.id === opts.after) ? opts.after : undefined;
              const { design: next, id } = addNode(design, kind, { position: opts.position, after, params: startingParams(kind) });
              if (commit(next, { selection: [id] })) added = id;
            });
            return added;
          },

          addLibraryBlock(blockId, opts = {}) {
            let added: string | null = null;
            guarded(`Add a ${blockId} block`, () => {
              const design = get().design ?? emptyDesign();
              const after = opts.after && [...design.nodes, ...(design.instances ?? [])].some((n) => n.id === opts.after) ? opts.after : undefined;
              const result = insertLibraryBlock(design, blockId, { position: opts.position, after });
              if (!result) return;
              commit(result.design, { selection: [result.id] });
              added = result.id;
            });
            return added;
          },

          connect(source, target, ports = {}) {
            const design = get().design;
            if (!design) return false;
            const isBlock = (id: string) => design.instances?.some((i) => i.id === id) ?? false;
            if (isBlock(source) || isBlock(target)) {
              const probe = connectElements(design, source, target, ports);
              if (!probe.ok) return notify(probe.reason), false;
              return guarded(`Connect ${nodeName(source)} to ${nodeName(target)}`, () => {
                const now = get().design;
                if (now) commitBlock(connectElements(now, source, target, ports));
              });
            }
            const result = connectNodes(design, source, target);
            if (!result.ok) {
              notify(result.reason);
              return false;
            }
            return guarded(`Connect ${nodeName(source)} to ${nodeName(target)}`, () => {
              const now = get().design;
              if (!now) return;
              const again = connectNodes(now, source, target);
              if (again.ok) commit(again.design);
              else notify(again.reason);
            });
          },

          removeElements(nodeIds, edgeIds = []) {
            if (nodeIds.length === 0 && edgeIds.length === 0) return;
            const what = nodeIds.length > 0 ? nodeIds.map(nodeName).join(', ') : `${edgeIds.length} connection(s)`;
            guarded(`Delete ${what}`, () => {
              const design = get().design;
              if (!design) return;
              const gone = new Set(nodeIds);
              commit(removeElements(design, nodeIds, edgeIds), { selection: get().selection.filter((id) => !gone.has(id)) });
            });
          },

          moveNodes(positions) {
            const design = get().design;
            if (design) commit(moveDesignNodes(design, positions));
          },

          duplicateSelection() {
            const { selection } = get();
            if (selection.length === 0) return;
            guarded(`Duplicate ${selection.map(nodeName).join(', ')}`, () => {
              const design = get().design;
              if (!design) return;
              const { design: next, ids } = duplicateNodes(design, get().selection);
              commit(next, { selection: ids });
            });
          },

          copySelection() {
            const { design, selection } = get();
            if (!design || selection.length === 0) return null;
            return serializeDesign(extractFragment(design, selection));
          },

          pasteText(text, given) {
            // Pasting the same layers again steps each copy further down-right instead of stacking them.
            pasteRepeat = text === lastPaste ? pasteRepeat + 1 : 1;
            lastPaste = text;
            const offset = given ?? { x: 40 * pasteRepeat, y: 40 * pasteRepeat };
            const parsed = parseDesign(text);
            if (!parsed.ok) {
              const first = parsed.errors[0];
              notify({ severity: 'error', code: 'paste-not-design', values: { detail: first ? formatIssue(first, get().lang) : '' } });
              return false;
            }
            const count = parsed.design.nodes.length + (parsed.design.instances?.length ?? 0);
            if (count === 0) return false;
            return guarded(`Paste ${count} layer(s) or block(s)`, () => {
              const design = get().design ?? emptyDesign();
              const { design: inserted, ids } = insertFragment(design, parsed.design, offset);
              // Pasting a whole design into an empty canvas also brings its name and notes.
              const { name, description = {}, notes = {} } = parsed.design;
              commit(design.nodes.length === 0 ? setInfo(inserted, { name, description, notes }) : inserted, { selection: ids });
            });
          },

          groupSelection(name) {
            const { design, selection } = get();
            if (!design) return false;
            const probe = groupIntoBlock(design, selection, name);
            if (!probe.ok) {
              notify(probe.reason);
              return false;
            }
            return guarded(`Group ${selection.map(nodeName).join(', ')}`, () => {
              const now = get().design;
              if (!now) return;
              const result = groupIntoBlock(now, get().selection, name);
              commitBlock(result, result.ok ? { selection: [result.id] } : {});
            });
          },

          ungroupSelection() {
            const { design, selection } = get();
            const picked = (design?.instances ?? []).filter((i) => selection.includes(i.id)).map((i) => i.id);
            if (!design || picked.length === 0) return false;
            return guarded(`Ungroup ${picked.map(instanceName).join(', ')}`, () => {
              let next = get().design;
              if (!next) return;
              const ids: string[] = [];
              for (const id of picked) {
                const before = new Set(next.nodes.map((n) => n.id));
                const result = ungroupBlock(next, id);
                if (!result.ok) return void notify(result.reason);
                next = result.design;
                ids.push(...next.nodes.filter((n) => !before.has(n.id)).map((n) => n.id));
              }
              commit(next, { selection: ids });
            });
          },

          expandBlock(instanceId) {
            guarded(`Expand ${instanceName(instanceId)}`, () => {
              const design = get().design;
              if (design) commitBlock(expandInPlace(design, instanceId), { selection: [] });
            });
          },

          foldFrame(frameId) {
            guarded(`Fold ${frameId}`, () => {
              const design = get().design;
              if (!design) return;
              const result = refoldFrame(design, frameId);
              commitBlock(result, result.ok ? { selection: [result.id] } : {});
            });
          },

          setBlockRepeat(instanceId, repeat) {
            guarded(`Repeat ${instanceName(instanceId)} ×${repeat ?? 1}`, () => {
              const design = get().design;
              if (design) commitBlock(setRepeat(design, instanceId, repeat));
            });
          },

          setBlockArg(instanceId, arg, value, copy) {
            guarded(`Set ${instanceName(instanceId)}: ${arg} = ${Array.isArray(value) ? value.join('×') : String(value)}`, () => {
              const design = get().design;
              if (design) commitBlock(setInstanceArg(design, instanceId, arg, value, copy));
            });
          },

          makeBlockUnique(instanceId) {
            guarded(`Make ${instanceName(instanceId)} unique`, () => {
              const design = get().design;
              if (design) commitBlock(makeUnique(design, instanceId));
            });
          },

          updateBlockLayerParams(blockId, nodeId, params) {
            guarded(`Set ${blockId}.${nodeId} in every ${blockId}`, () => {
              const design = get().design;
              if (design) commitBlock(editDefinition(design, blockId, (body) => updateParams(body, nodeId, params)));
            });
          },

          async autoLayout(measured) {
            const design = get().design;
            if (!design || design.nodes.length + (design.instances?.length ?? 0) === 0) return;
            const inference = get().inference;
            const boxes = estimateBoxes(design, (id) => inference?.nodes.get(id)?.issues ?? [], get().lang);
            // The larger of the two: zoomed out the canvas draws compact faces, and a face measured small
            // there must still have room when the user zooms back in.
            for (const [id, box] of measured ?? []) {
              const est = boxes.get(id);
              if (est) boxes.set(id, { width: Math.max(est.width, box.width), height: Math.max(est.height, box.height) });
            }
            set({ tidying: true });
            try {
              const [{ tidyLayout }, { workerElk }] = await Promise.all([import('../graph/layout-elk.ts'), import('./elk-engine.ts')]);
              const positions = await tidyLayout(design, boxes, workerElk);
              // The user edited while the layout ran: their edit wins, the stale layout is dropped.
              if (get().design === design) commit(moveDesignNodes(design, positions));
            } finally {
              set({ tidying: false });
            }
          },

          select(nodeIds) {
            const now = get().selection;
            if (now.length === nodeIds.length && now.every((id, i) => id === nodeIds[i])) return;
            set({ selection: [...nodeIds] });
          },

          focusNode(nodeId) {
            // A layer inside a block (`layer1.0.conv1`, from a problem in the status bar) shows its block.
            const design = get().design;
            const onTop = !design || design.nodes.some((n) => n.id === nodeId) || design.instances?.some((i) => i.id === nodeId);
            const shown = onTop ? nodeId : (design.instances?.find((i) => nodeId.startsWith(`${i.id}.`))?.id ?? nodeId);
            set({ selection: [shown], focus: { nodeId: shown, seq: ++focusSeq } });
          },

          // Filled in below, once the temporal store exists.
          undo: () => {},
          redo: () => {},

          setNodeLock(nodeId, params, block) {
            const design = get().design;
            const holder = block === undefined ? [...(design?.nodes ?? []), ...(design?.instances ?? [])] : (design?.blocks?.find((b) => b.id === block)?.nodes ?? []);
            if (!holder.some((n) => n.id === nodeId)) return false;
            if (get().lessonRole !== 'author') return notify({ severity: 'error', code: 'lock-locks', values: {} }), false;
            const next = setDesignNodeLock(design!, nodeId, params, block);
            return commit(next, { lockFloor: next.locks ? connectionCounts(get().flat ?? next) : null }, true);
          },

          setLessonRole(role) {
            // A student's lesson came with its locks: there is no author to go back to.
            if (get().lessonRole !== 'student') set({ lessonRole: role });
          },

          setWeights: (weights) => set({ weights }),

          setRunActive(active, stop) {
            stopRun = active ? (stop ?? null) : null;
            set(active ? { runActive: true } : { runActive: false, pendingEdit: null });
          },

          async confirmPendingEdit() {
            const pending = get().pendingEdit;
            if (!pending) return;
            const stop = stopRun;
            stopRun = null;
            set({ pendingEdit: null, runActive: false });
            await stop?.();
            await pending.apply();
          },

          cancelPendingEdit: () => set({ pendingEdit: null }),
        };
      },
      {
        limit: UNDO_LIMIT,
        partialize: (s): Snapshot => ({
          design: s.design,
          flat: s.flat,
          inference: s.inference,
          blockSummaries: s.blockSummaries,
          weights: s.weights,
          source: s.source,
          docId: s.docId,
        }),
        // Only a new design object is an undo step; selection, notices and view settings are not.
        equality: (a, b) => a.design === b.design,
      },
    ),
  ) as AppStore;
  return wireHistory(store);
}

/**
 * Why undo/redo may not step to `target`, or null. The author undoes freely (their own edits, lock changes
 * included); a student, or an author previewing, may not step to a design that breaks the locks on screen:
 * not to a changed locked layer, nor out of the lesson to the design open before it.
 */
function historyLockRefusal(state: AppState, target: Partial<Snapshot>): Issue | null {
  const now = state.design;
  if (!now?.locks || state.lessonRole === 'author') return null;
  if (!target.design || target.docId !== state.docId) return { severity: 'error', code: 'lock-undo', values: {} };
  return lockViolation(now, target.design, { beforeFlat: state.flat ?? now, afterFlat: target.flat ?? target.design, floor: state.lockFloor ?? undefined });
}

/**
 * Wires undo/redo as store actions (the temporal store is created inside the middleware, after the
 * actions object). Restoring a snapshot restores the inference computed for it, so nothing re-infers, and
 * drops selected ids that the restored design lacks. Undo while a run is active asks first, like any edit.
 */
function wireHistory(store: AppStore): AppStore {
  const step = (direction: 'undo' | 'redo') => () => {
    const history = store.temporal.getState();
    const states = direction === 'undo' ? history.pastStates : history.futureStates;
    if (states.length === 0) return;
    const refusal = historyLockRefusal(store.getState(), states[states.length - 1]);
    if (refusal) return void store.setState({ notice: { issue: refusal, seq: Date.now() } });
    const run = () => {
      store.temporal.getState()[direction]();
      const { design, selection } = store.getState();
      const ids = new Set([...(design?.nodes ?? []), ...(design?.instances ?? [])].map((n) => n.id));
      if (selection.some((id) => !ids.has(id))) store.setState({ selection: selection.filter((id) => ids.has(id)) });
    };
    if (store.getState().runActive) store.setState({ pendingEdit: { description: direction === 'undo' ? 'Undo' : 'Redo', apply: run } });
    else run();
  };
  store.setState({ undo: step('undo'), redo: step('redo') });
  return store;
}
