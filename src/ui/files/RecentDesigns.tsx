import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { deleteAutosave, listAutosaves, type Autosaver, type AutosaveSummary } from '../../store/autosave.ts';
import { useApp } from '../store-context.ts';
import { relativeTime, useFilesStrings } from './files-strings.ts';
import { ModalDialog } from './ModalDialog.tsx';

type ListState = { readonly kind: 'loading' } | { readonly kind: 'failed' } | { readonly kind: 'ready'; readonly items: readonly AutosaveSummary[] };

interface Props {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly autosaver: Autosaver;
  readonly returnFocus?: RefObject<HTMLElement | null>;
}

/** The designs autosaved in this browser, newest first: open one, or delete it. */
export function RecentDesigns({ open, onClose, autosaver, returnFocus }: Props) {
  const t = useFilesStrings();
  const lang = useApp((s) => s.lang);
  const openDocId = useApp((s) => s.docId);
  const [list, setList] = useState<ListState>({ kind: 'loading' });
  const [failure, setFailure] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const listRef = useRef<HTMLUListElement>(null);

  const refresh = useCallback(async () => {
    try {
      // The open design's last change is written first, so its entry is up to date.
      await autosaver.flush();
      setList({ kind: 'ready', items: await listAutosaves(autosaver.storage) });
    } catch {
      setList({ kind: 'failed' });
    }
    setNow(Date.now());
  }, [autosaver]);

  useEffect(() => {
    if (!open) return;
    setFailure(null);
    setList({ kind: 'loading' });
    void refresh();
  }, [open, refresh]);

  const restore = async (item: AutosaveSummary) => {
    const result = await autosaver.restore(item.docId);
    if (result.ok) onClose();
    else {
      setFailure(t.restoreFailed(item.name));
      void refresh();
    }
  };

  const remove = async (item: AutosaveSummary, index: number) => {
    try {
      await deleteAutosave(autosaver.storage, item.docId);
    } finally {
      await refresh();
    }
    // The pressed button is gone: focus stays in the list, on the entry that took its place.
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('button.recent-open');
    if (buttons && buttons.length > 0) buttons[Math.min(index, buttons.length - 1)].focus();
  };

  return (
    <ModalDialog open={open} onClose={onClose} title={t.recentTitle} closeLabel={t.close} className="recent-designs" returnFocus={returnFocus} testId="recent-designs">
      <p className="files-dialog-intro">{t.recentIntro}</p>
      {failure && (
        <p role="alert" className="files-error">
          {failure}
        </p>
      )}
      {list.kind === 'loading' && <p role="status">{t.recentLoading}</p>}
      {list.kind === 'failed' && <p className="files-error">{t.recentFailed}</p>}
      {list.kind === 'ready' && list.items.length === 0 && <p>{t.recentEmpty}</p>}
      {list.kind === 'ready' && list.items.length > 0 && (
        <ul className="recent-list" ref={listRef}>
          {list.items.map((item, index) => {
            const isOpen = item.docId === openDocId;
            return (
              <li key={item.docId} className="recent-item">
                <button
                  type="button"
                  className="recent-open"
                  aria-label={t.recentOpen(item.name)}
                  aria-current={isOpen ? 'true' : undefined}
                  onClick={() => (isOpen ? onClose() : void restore(item))}
                >
                  <span className="recent-name">{item.name}</span>
                  <span className="recent-meta">
                    <time dateTime={new Date(item.savedAt).toISOString()} title={new Date(item.savedAt).toLocaleString(lang)}>
                      {relativeTime(item.savedAt, now, lang)}
                    </time>
                    {' · '}
                    {t.recentLayers(item.nodeCount)}
                    {item.hasWeights ? ` · ${t.recentWeights}` : ''}
                  </span>
                </button>
                {isOpen ? (
                  <span className="badge current">{t.current}</span>
                ) : (
                  <button type="button" className="btn recent-delete" aria-label={t.recentDelete(item.name)} onClick={() => void remove(item, index)}>
                    {t.recentDeleteShort}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </ModalDialog>
  );
}
