/**
 * A deliberately small store for the first page: the open design and its inference (computed once per
 * design change), where it came from, the last load problem, and two view settings. The editor issue
 * replaces it with the full store (selection, commands, undo); keep this one free of UI concerns.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  inferShapes,
  parseDesign,
  type Design,
  type DesignInference,
  type Issue,
  type Lang,
  type ParamValue,
} from '../graph/index.ts';
import type { DesignWeights } from '../graph/weights.ts';
import type { TemplateEntry, TemplateLoader } from './template-catalogue.ts';
import { weightsFit } from './weights-fit.ts';

/** Far above any real design (MAX_NODES nodes take a few MB); stops a wrong pick from freezing the tab. */
export const MAX_FILE_MB = 20;

export type DesignSource = { readonly type: 'template'; readonly file: string } | { readonly type: 'file'; readonly name: string };

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
  readonly inference: DesignInference | null;
  /** The template file or file name being loaded, for a busy indicator. */
  readonly loading: string | null;
  readonly problem: LoadProblem | null;
  /**
   * Trained weights of the open design (Keras layout), kept beside it for the session, saved with it on
   * request, handed to exporters. Cleared when an edit changes any weight's shape.
   */
  readonly weights: DesignWeights | null;
  /** True while a training run is active; edits then wait for `pendingEdit` to be confirmed. */
  readonly runActive: boolean;
  readonly pendingEdit: PendingEdit | null;
  setLang(lang: Lang): void;
  setChannelsFirst(on: boolean): void;
  loadTemplate(file: string): Promise<void>;
  openFile(file: NamedText): Promise<void>;
  dismissProblem(): void;
  /** Merges `params` into one node's parameters; the design is re-inferred once. */
  updateNodeParams(nodeId: string, params: Readonly<Record<string, ParamValue>>): void;
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

export type AppStore = StoreApi<AppState>;

export function createAppStore({ lang, catalogue, loaderFor }: AppStoreDeps): AppStore {
  // Loads can overlap (two quick clicks); only the latest one may replace the design.
  let latest = 0;

  return createStore<AppState>()((set, get) => {
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
    const accept = (ticket: number, source: DesignSource, sourceName: string, content: unknown) => {
      if (ticket !== latest) return;
      const parsed = parseDesign(content);
      if (!parsed.ok) {
        set({ loading: null, problem: { source: sourceName, kind: 'invalid', issues: parsed.errors } });
        return;
      }
      set({
        loading: null,
        problem: null,
        source,
        design: parsed.design,
        inference: inferShapes(parsed.design),
        weights: parsed.weights ?? null,
      });
    };
    const reject = (ticket: number, problem: LoadProblem) => {
      if (ticket === latest) set({ loading: null, problem });
    };

    return {
      lang,
      channelsFirst: false,
      catalogue,
      source: null,
      design: null,
      inference: null,
      loading: null,
      problem: null,
      weights: null,
      runActive: false,
      pendingEdit: null,
      setLang: (next) => set({ lang: next }),
      setChannelsFirst: (on) => set({ channelsFirst: on }),
      dismissProblem: () => set({ problem: null }),

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
        if (file.size > MAX_FILE_MB * 1_000_000) {
          return reject(ticket, { source: file.name, kind: 'too-large', limitMb: MAX_FILE_MB });
        }
        set({ loading: file.name });
        try {
          accept(ticket, { type: 'file', name: file.name }, file.name, await file.text());
        } catch (e) {
          reject(ticket, { source: file.name, kind: 'unreadable', detail: e instanceof Error ? e.message : String(e) });
        }
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
          const next: Design = {
            ...design,
            nodes: design.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, ...params } } : n)),
          };
          const inference = inferShapes(next);
          const weights = get().weights;
          set({ design: next, inference, weights: weights && weightsFit(inference, weights) ? weights : null });
        });
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
  });
}
