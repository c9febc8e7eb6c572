/**
 * Monaco, as the code panel uses it: a read-only viewer for Python, JSON and plain text. Loaded only by
 * a dynamic import from CodeEditor.tsx, so the first page never downloads it (e2e/code-panel.spec.ts
 * checks). Only the editor core and the few features a viewer needs are imported (find, folding,
 * clipboard, context menu, the read-only hint), not `monaco-editor`'s everything-bundle.
 *
 * Workers, the Vite way (`?worker` imports, as Monaco's docs show): the editor worker (word highlights,
 * links) and the JSON worker (folding ranges, outline). Python highlighting is a Monarch tokenizer that
 * runs on the page and needs no worker. JSON validation is switched off: the text is ours and read-only.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/languages/definitions/python/register';
import type { CodeLanguage } from './code-tabs.ts';

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: (_moduleId: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};
jsonDefaults.setDiagnosticsOptions({ validate: false });

export interface Viewer {
  /** Shows `text` as the file `path`; the same path keeps its scroll position across updates. */
  show(path: string, language: CodeLanguage, text: string): void;
  dispose(): void;
}

export function createViewer(host: HTMLElement, ariaLabel: string): Viewer {
  const editor = monaco.editor.create(host, {
    readOnly: true,
    domReadOnly: true,
    automaticLayout: true,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    fontSize: 13,
    lineNumbersMinChars: 3,
    renderLineHighlight: 'none',
    overviewRulerLanes: 0,
    hideCursorInOverviewRuler: true,
    tabSize: 4,
    ariaLabel,
    theme: 'vs',
  });
  const models = new Map<string, monaco.editor.ITextModel>();
  const viewStates = new Map<string, monaco.editor.ICodeEditorViewState | null>();
  let current: string | null = null;

  return {
    show(path, language, text) {
      let model = models.get(path);
      if (!model) {
        model = monaco.editor.createModel(text, language, monaco.Uri.parse(`inmemory://netcanvas/${encodeURIComponent(path)}`));
        models.set(path, model);
      } else if (model.getValue() !== text) {
        const state = current === path ? editor.saveViewState() : viewStates.get(path) ?? null;
        model.setValue(text);
        if (current === path && state) editor.restoreViewState(state);
        else viewStates.set(path, state);
      }
      if (current !== path) {
        if (current) viewStates.set(current, editor.saveViewState());
        editor.setModel(model);
        const state = viewStates.get(path);
        if (state) editor.restoreViewState(state);
        current = path;
      }
      // JSON carries long one-line strings (notes, descriptions); code and tables read better unwrapped.
      editor.updateOptions({ ariaLabel: `${ariaLabel}: ${path}`, wordWrap: language === 'json' ? 'on' : 'off' });
    },
    dispose() {
      editor.dispose();
      for (const model of models.values()) model.dispose();
      models.clear();
    },
  };
}
