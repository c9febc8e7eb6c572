/**
 * A deliberately small store for the first page: the open design and its inference (computed once per
 * design change), where it came from, the last load problem, and two view settings. The editor issue
 * replaces it with the full store (selection, commands, undo); keep this one free of UI concerns.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { inferShapes, parseDesign, type Design, type DesignInference, type Issue, type Lang } from '../graph/index.ts';
import type { TemplateEntry, TemplateLoader } from './template-catalogue.ts';

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
  setLang(lang: Lang): void;
  setChannelsFirst(on: boolean): void;
  loadTemplate(file: string): Promise<void>;
  openFile(file: NamedText): Promise<void>;
  dismissProblem(): void;
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

  return createStore<AppState>()((set) => {
    const accept = (ticket: number, source: DesignSource, sourceName: string, content: unknown) => {
      if (ticket !== latest) return;
      const parsed = parseDesign(content);
      if (!parsed.ok) {
        set({ loading: null, problem: { source: sourceName, kind: 'invalid', issues: parsed.errors } });
        return;
      }
      set({ loading: null, problem: null, source, design: parsed.design, inference: inferShapes(parsed.design) });
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
      setLang: (next) => set({ lang: next }),
      setChannelsFirst: (on) => set({ channelsFirst: on }),
      dismissProblem: () => set({ problem: null }),

      async loadTemplate(file) {
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
    };
  });
}
