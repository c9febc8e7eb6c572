/**
 * What the page opens first: a design link in the URL, else the design that was open last (autosave),
 * else the default template. A bad link shows why in the store's `problem` and the page falls through to
 * the next choice, so nobody lands on an empty page. Kept apart from main.tsx so it runs in Node tests.
 */
import type { Issue, Lang } from '../graph/index.ts';
import type { AppStore, LoadProblem } from './app-store.ts';
import { lastOpenDocId, type Autosaver } from './autosave.ts';
import { designFromHash, hasDesignLink } from './share-link.ts';

export type BootOutcome = 'link' | 'autosave' | 'template' | 'none';

const LINK_SOURCE: Readonly<Record<Lang, string>> = { en: 'the shared link', es: 'el enlace compartido' };
const AUTOSAVE_SOURCE: Readonly<Record<Lang, string>> = { en: 'the autosaved design', es: 'el diseño guardado automáticamente' };

export interface BootOptions {
  /** `location.hash`. */
  readonly hash: string;
  readonly autosaver: Autosaver;
  /** The template to open when there is nothing else (templates.ts: defaultTemplate). */
  readonly defaultTemplate?: string;
  /** Removes the link from the address bar, so a reload restores the autosave rather than the link. */
  readonly clearHash: () => void;
}

/**
 * Opens the link in `hash` if it carries a design. False when it carries none; a bad one sets `problem`
 * (after `fallback` has run, because opening anything clears the problem).
 */
export async function openLink(store: AppStore, hash: string, clearHash: () => void, fallback?: () => Promise<void>): Promise<boolean> {
  if (!hasDesignLink(hash)) return false;
  clearHash();
  const lang = store.getState().lang;
  const result = designFromHash(hash, lang);
  if (result.ok) {
    store.getState().openDesign(result.design, { type: 'link' }, undefined, result.weights ?? null);
    return true;
  }
  await fallback?.();
  report(store, { source: LINK_SOURCE[lang], kind: 'invalid', issues: [result.issue] });
  return false;
}

function report(store: AppStore, problem: LoadProblem) {
  store.getState().reportProblem(problem);
}

export async function bootDesign(store: AppStore, { hash, autosaver, defaultTemplate, clearHash }: BootOptions): Promise<BootOutcome> {
  let outcome: BootOutcome = 'none';
  let autosaveIssues: readonly Issue[] | null = null;
  const fallback = async (): Promise<void> => {
    const docId = await lastOpenDocId(autosaver.storage);
    if (docId) {
      const restored = await autosaver.restore(docId);
      if (restored.ok) {
        outcome = 'autosave';
        return;
      }
      if (restored.reason === 'invalid') autosaveIssues = restored.issues;
    }
    if (defaultTemplate) {
      await store.getState().loadTemplate(defaultTemplate);
      outcome = 'template';
    }
  };
  if (!hasDesignLink(hash)) {
    await fallback();
    const issues = autosaveIssues as readonly Issue[] | null;
    if (issues) report(store, { source: AUTOSAVE_SOURCE[store.getState().lang], kind: 'invalid', issues });
    return outcome as BootOutcome;
  }
  return (await openLink(store, hash, clearHash, fallback)) ? 'link' : (outcome as BootOutcome);
}
