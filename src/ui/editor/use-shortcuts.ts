/**
 * The editor's keyboard shortcuts, active while the canvas view is shown and the keyboard is not typing
 * into a field (a text box, the code editor) or answering a dialog:
 *   Ctrl/⌘+Z undo · Ctrl/⌘+Shift+Z or Ctrl+Y redo · Ctrl/⌘+C copy the selected layers · Ctrl/⌘+V paste
 *   Ctrl/⌘+D duplicate · Ctrl/⌘+G group into a block · Ctrl/⌘+Shift+G ungroup · Ctrl/⌘+A select all · L tidy up (auto-layout) · F fit view · Escape deselect ·
 *   / search the layer palette (type a kind, Enter adds it after the selected layer; Escape comes back).
 * Delete/Backspace are React Flow's (deleteKeyCode), routed to the store by the canvas.
 * Paste reads the `paste` event's clipboardData, which needs no clipboard permission.
 */
import { useEffect } from 'react';
import { useAppStore } from '../store-context.ts';

export const SHORTCUTS = {
  undo: 'Mod+Z',
  redo: 'Mod+Shift+Z',
  copy: 'Mod+C',
  paste: 'Mod+V',
  duplicate: 'Mod+D',
  group: 'Mod+G',
  ungroup: 'Mod+Shift+G',
  selectAll: 'Mod+A',
  delete: 'Delete',
  autoLayout: 'L',
  fitView: 'F',
  palette: '/',
} as const;

const NOT_TYPING = new Set(['button', 'checkbox', 'radio', 'range', 'color', 'file', 'reset', 'submit', 'image']);

/** True when keys pressed at `target` are typing (so they must keep their usual meaning). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !NOT_TYPING.has(target.type);
  return false;
}

function inDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('dialog, [role="dialog"], [role="alertdialog"]') !== null;
}

/** Text the user has selected on the page: Ctrl+C then copies that, not layers. */
function hasTextSelection(): boolean {
  const sel = typeof window.getSelection === 'function' ? window.getSelection() : null;
  return !!sel && !sel.isCollapsed && sel.toString().length > 0;
}

export interface ShortcutActions {
  readonly autoLayout: () => void;
  readonly fitView: () => void;
}

export function useShortcuts(enabled: boolean, actions: ShortcutActions): void {
  const app = useAppStore();
  const { autoLayout, fitView } = actions;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing || isTypingTarget(e.target) || inDialog(e.target)) return;
      const s = app.getState();
      const key = e.key.toLowerCase();
      if ((e.ctrlKey || e.metaKey) && !e.altKey) {
        if (key === 'z' && !e.shiftKey) s.undo();
        else if ((key === 'z' && e.shiftKey) || (key === 'y' && !e.shiftKey)) s.redo();
        else if (key === 'd' && !e.shiftKey) s.duplicateSelection();
        else if (key === 'g' && !e.shiftKey) s.groupSelection();
        else if (key === 'g' && e.shiftKey) s.ungroupSelection();
        else if (key === 'a' && !e.shiftKey) s.select([...(s.design?.nodes ?? []), ...(s.design?.instances ?? [])].map((n) => n.id));
        else if (key === 'c' && !e.shiftKey) {
          if (hasTextSelection()) return;
          const text = s.copySelection();
          if (!text) return;
          void navigator.clipboard?.writeText(text).catch(() => undefined);
        } else return;
        e.preventDefault();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (key === 'l') autoLayout();
      else if (key === 'f') fitView();
      else if (key === '/') document.querySelector<HTMLInputElement>('[data-testid="palette-search"]')?.focus();
      else if (key === 'escape' && s.selection.length > 0) s.select([]);
      else return;
      e.preventDefault();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (e.defaultPrevented || isTypingTarget(e.target) || inDialog(e.target)) return;
      const text = e.clipboardData?.getData('text/plain');
      if (!text) return;
      e.preventDefault();
      app.getState().pasteText(text);
    };
    window.addEventListener('keydown', onKeyDown);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('paste', onPaste);
    };
  }, [enabled, app, autoLayout, fitView]);
}
