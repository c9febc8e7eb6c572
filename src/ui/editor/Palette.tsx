/**
 * Every layer kind, grouped by category and searchable. Drag one onto the canvas (HTML5 drag and drop,
 * carrying the kind under LAYER_DRAG_TYPE), or click it / press Enter to add it after the selected layer
 * (or in the middle of the view when nothing is selected). Arrow keys move between the items.
 */
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { LayerKind } from '../../graph/types.ts';
import { useApp, useAppStore } from '../store-context.ts';
import { useEditorStrings } from './editor-strings.ts';
import { LAYER_DRAG_TYPE, paletteGroups, type PaletteItem } from './palette-model.ts';
import { useCanvasView } from './use-canvas-view.ts';

const ITEM_SELECTOR = 'button.palette-item';

export function Palette() {
  const lang = useApp((s) => s.lang);
  const app = useAppStore();
  const t = useEditorStrings();
  const view = useCanvasView();
  const [query, setQuery] = useState('');
  // The kind, not its item: the item's words are in the language of the moment it was hovered.
  const [hinted, setHint] = useState<LayerKind | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const groups = useMemo(() => paletteGroups(lang, query, t.category), [lang, query, t]);
  const hint: PaletteItem | undefined = groups.flatMap((g) => g.items).find((i) => i.kind === hinted);

  const add = (kind: LayerKind) => {
    const { selection, addLayer } = app.getState();
    const after = selection[0];
    const id = addLayer(kind, after ? { after } : { position: view.freeSpot() });
    if (id) view.reveal(id);
  };

  const items = () => Array.from(list.current?.querySelectorAll<HTMLButtonElement>(ITEM_SELECTOR) ?? []);
  const onListKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    all[Math.max(0, Math.min(all.length - 1, next))]?.focus();
  };
  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      items()[0]?.focus();
    } else if (e.key === 'Escape') {
      // First Escape clears the search; the next hands the keyboard back to the editor's shortcuts.
      e.preventDefault();
      if (query) setQuery('');
      else document.getElementById('main')?.focus();
    } else if (e.key === 'Enter' && groups.length > 0) {
      // Enter in the search box adds the first match, as in a command palette.
      e.preventDefault();
      add(groups[0].items[0].kind);
    }
  };

  return (
    <aside className="palette" aria-labelledby="palette-heading">
      <h2 id="palette-heading">{t.palette}</h2>
      <input
        type="search"
        className="palette-search"
        aria-label={t.search}
        placeholder={t.searchPlaceholder}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onSearchKey}
        data-testid="palette-search"
      />
      <div className="palette-groups" ref={list} onKeyDown={onListKey}>
        {groups.map((group) => (
          <section key={group.category} aria-labelledby={`palette-cat-${group.category}`}>
            <h3 id={`palette-cat-${group.category}`} className={`palette-category cat-${group.category}`}>
              {t.category[group.category]}
            </h3>
            <ul>
              {group.items.map((item) => (
                <li key={item.kind}>
                  <button
                    type="button"
                    className={`palette-item cat-${group.category}`}
                    data-testid={`palette-${item.kind}`}
                    title={item.doc}
                    draggable
                    onDragStart={(e) => {
                      e.dataTransfer.setData(LAYER_DRAG_TYPE, item.kind);
                      e.dataTransfer.effectAllowed = 'copy';
                    }}
                    onClick={() => add(item.kind)}
                    onFocus={() => setHint(item.kind)}
                    onMouseEnter={() => setHint(item.kind)}
                  >
                    {item.title}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
        {groups.length === 0 && <p className="palette-none">{t.noMatch(query)}</p>}
      </div>
      <p className="palette-hint">
        {hint ? (
          <>
            <strong>{hint.title}</strong> {hint.doc}
          </>
        ) : (
          t.paletteHint
        )}
      </p>
    </aside>
  );
}
