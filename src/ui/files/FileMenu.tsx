import { useCallback, useEffect, useId, useRef, useState, type ChangeEvent, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { weightBytes } from '../../store/autosave.ts';
import { designToHash } from '../../store/share-link.ts';
import { formatBytes, formatCount } from '../../graph/number-format.ts';
import { useApp } from '../store-context.ts';
import { useAutosaver } from './autosave-context.ts';
import { saveDesign } from './save-design.ts';
import { useFilesStrings } from './files-strings.ts';
import { ModalDialog } from './ModalDialog.tsx';
import { OpenTextDialog } from './OpenTextDialog.tsx';
import { RecentDesigns } from './RecentDesigns.tsx';
import { TemplateGallery } from './TemplateGallery.tsx';
import { LessonGallery } from '../lesson/LessonGallery.tsx';
import { useLessonStrings } from '../lesson/lesson-strings.ts';
import './files.css';

type Dialog = 'gallery' | 'lessons' | 'recent' | 'text' | 'link' | null;

interface Item {
  readonly id: string;
  readonly label: string;
  readonly shortcut?: string;
  readonly ariaShortcut?: string;
  readonly disabled?: boolean;
  readonly separatorBefore?: boolean;
  readonly run: () => void;
}

/** Links longer than this are cut by some mail and chat apps: say so when copying one. */
const LONG_LINK = 8000;
const STATUS_MS = 8000;

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * The File menu: new, open (picker, pasted text), templates, recent designs, save (with or without trained
 * weights) and copy a share link; Ctrl/⌘+S saves and Ctrl/⌘+O opens anywhere on the page. A WAI-ARIA menu
 * button: arrow keys move through the items, Escape closes and returns focus to the button.
 */
export function FileMenu() {
  const t = useFilesStrings();
  const tl = useLessonStrings();
  const lang = useApp((s) => s.lang);
  const design = useApp((s) => s.design);
  const weights = useApp((s) => s.weights);
  const openFile = useApp((s) => s.openFile);
  const newDesign = useApp((s) => s.newDesign);
  const autosaver = useAutosaver();

  const [menuOpen, setMenuOpen] = useState(false);
  const [focusIndex, setFocusIndex] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [status, setStatus] = useState('');
  const [link, setLink] = useState('');
  const button = useRef<HTMLButtonElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const onnxInput = useRef<HTMLInputElement>(null);
  const kerasInput = useRef<HTMLInputElement>(null);
  // One hidden picker per kind of file the menu opens; all of them hand the file to the same reader (onPicked).
  const pickers = [
    { ref: fileInput, accept: '.json,.netcanvas,application/json', testId: 'file-menu-input', label: t.openHint },
    { ref: onnxInput, accept: '.onnx', testId: 'file-menu-onnx-input', label: t.importOnnxHint },
    { ref: kerasInput, accept: '.keras,.json,application/json', testId: 'file-menu-keras-input', label: t.importKerasHint },
  ];
  const buttonId = useId();
  const menuId = useId();
  const mac = isMac();

  useEffect(() => {
    if (!status) return;
    const timer = setTimeout(() => setStatus(''), STATUS_MS);
    return () => clearTimeout(timer);
  }, [status]);

  const openPicker = useCallback(() => fileInput.current?.click(), []);

  const save = useCallback(
    async (withWeights: boolean) => {
      if (!design) return;
      setStatus(t.saved(await saveDesign(design, withWeights ? weights : null)));
    },
    [design, weights, t],
  );

  const copyLink = useCallback(async () => {
    if (!design) return;
    const url = `${location.origin}${location.pathname}${designToHash(design)}`;
    try {
      await navigator.clipboard.writeText(url);
      setStatus(url.length > LONG_LINK ? t.linkCopiedLong(formatCount(url.length, lang)) : t.linkCopied);
    } catch {
      setLink(url);
      setDialog('link');
    }
  }, [design, t, lang]);

  // Page-wide shortcuts. Ctrl/⌘+N is the browser's (a new window) and cannot be taken over.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.shiftKey || !(e.ctrlKey || e.metaKey)) return;
      const key = e.key.toLowerCase();
      if (key === 's') {
        e.preventDefault();
        void save(false);
      } else if (key === 'o') {
        e.preventDefault();
        openPicker();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save, openPicker]);

  const items: Item[] = [
    { id: 'new', label: t.newDesign, run: () => newDesign() },
    { id: 'open', label: t.open, shortcut: t.shortcut('O', mac), ariaShortcut: mac ? 'Meta+O' : 'Control+O', run: openPicker },
    { id: 'open-text', label: t.openText, run: () => setDialog('text') },
    { id: 'import-onnx', label: t.importOnnx, run: () => onnxInput.current?.click() },
    { id: 'import-keras', label: t.importKeras, run: () => kerasInput.current?.click() },
    { id: 'templates', label: t.templates, run: () => setDialog('gallery') },
    { id: 'lessons', label: tl.lessons, run: () => setDialog('lessons') },
    ...(autosaver ? [{ id: 'recent', label: t.recent, run: () => setDialog('recent') }] : []),
    {
      id: 'save',
      label: t.save,
      shortcut: t.shortcut('S', mac),
      ariaShortcut: mac ? 'Meta+S' : 'Control+S',
      disabled: !design,
      separatorBefore: true,
      run: () => void save(false),
    },
    ...(weights ? [{ id: 'save-weights', label: t.saveWithWeights(formatBytes(weightBytes(weights), lang)), disabled: !design, run: () => void save(true) }] : []),
    { id: 'copy-link', label: t.copyLink, disabled: !design, run: () => void copyLink() },
  ];
  const enabled = items.map((item, i) => (item.disabled ? -1 : i)).filter((i) => i >= 0);

  const closeMenu = (refocus: boolean) => {
    setMenuOpen(false);
    if (refocus) button.current?.focus();
  };

  const openMenu = (at: 'first' | 'last') => {
    setFocusIndex(at === 'first' ? enabled[0] : enabled[enabled.length - 1]);
    setMenuOpen(true);
  };

  // Roving focus: the highlighted item holds the focus while the menu is open.
  useEffect(() => {
    if (!menuOpen) return;
    menu.current?.querySelector<HTMLElement>(`[data-index="${focusIndex}"]`)?.focus();
  }, [menuOpen, focusIndex]);

  // A press anywhere outside closes the menu.
  useEffect(() => {
    if (!menuOpen) return;
    const onPointer = (e: PointerEvent) => {
      if (!wrapper.current?.contains(e.target as Node)) setMenuOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [menuOpen]);

  const move = (delta: number) => {
    const at = enabled.indexOf(focusIndex);
    setFocusIndex(enabled[(at + delta + enabled.length) % enabled.length]);
  };

  const onMenuKey = (e: ReactKeyboardEvent) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        move(1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        move(-1);
        break;
      case 'Home':
        e.preventDefault();
        setFocusIndex(enabled[0]);
        break;
      case 'End':
        e.preventDefault();
        setFocusIndex(enabled[enabled.length - 1]);
        break;
      case 'Escape':
        e.preventDefault();
        closeMenu(true);
        break;
      case 'Tab':
        e.preventDefault();
        closeMenu(true);
        break;
      default:
        // Type-ahead: the first letter jumps to the next item that starts with it.
        if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
          const letter = e.key.toLowerCase();
          const at = enabled.indexOf(focusIndex);
          const order = [...enabled.slice(at + 1), ...enabled.slice(0, at + 1)];
          const hit = order.find((i) => items[i].label.toLowerCase().startsWith(letter));
          if (hit !== undefined) setFocusIndex(hit);
        }
    }
  };

  const activate = (item: Item) => {
    if (item.disabled) return;
    // Focus goes back to the button first; a dialog the item opens then returns it there too.
    closeMenu(true);
    item.run();
  };

  // Both pickers (designs, ONNX models) open what was picked; openFile tells them apart by content.
  const onPicked = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    // Cleared so that picking the same file again (after fixing it) fires change again.
    e.target.value = '';
    if (file) void openFile(file);
  };
  return (
    <div className="file-menu" ref={wrapper}>
      <button
        ref={button}
        id={buttonId}
        type="button"
        className="btn"
        aria-haspopup="menu"
        aria-expanded={menuOpen}
        aria-controls={menuOpen ? menuId : undefined}
        onClick={() => (menuOpen ? closeMenu(false) : openMenu('first'))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            openMenu(e.key === 'ArrowDown' ? 'first' : 'last');
          }
        }}
      >
        {t.file} <span aria-hidden="true">▾</span>
      </button>
      {menuOpen && (
        <div ref={menu} id={menuId} role="menu" aria-labelledby={buttonId} className="file-menu-list" onKeyDown={onMenuKey}>
          {items.map((item, i) => (
            <div key={item.id} role="none" className={item.separatorBefore ? 'file-menu-row separated' : 'file-menu-row'}>
              <button
                type="button"
                role="menuitem"
                tabIndex={i === focusIndex ? 0 : -1}
                data-index={i}
                aria-disabled={item.disabled ? 'true' : undefined}
                aria-keyshortcuts={item.ariaShortcut}
                className="file-menu-item"
                onClick={() => activate(item)}
                onMouseEnter={() => !item.disabled && setFocusIndex(i)}
              >
                <span>{item.label}</span>
                {item.shortcut && <kbd>{item.shortcut}</kbd>}
              </button>
            </div>
          ))}
        </div>
      )}
      <span role="status" className="files-status">
        {status}
      </span>
      {pickers.map((p) => (
        <input key={p.testId} ref={p.ref} type="file" accept={p.accept} hidden data-testid={p.testId} aria-label={p.label} onChange={onPicked} />
      ))}
      <TemplateGallery open={dialog === 'gallery'} onClose={() => setDialog(null)} returnFocus={button} />
      <LessonGallery open={dialog === 'lessons'} onClose={() => setDialog(null)} returnFocus={button} />
      {autosaver && <RecentDesigns open={dialog === 'recent'} onClose={() => setDialog(null)} autosaver={autosaver} returnFocus={button} />}
      <OpenTextDialog open={dialog === 'text'} onClose={() => setDialog(null)} returnFocus={button} />
      <ModalDialog open={dialog === 'link'} onClose={() => setDialog(null)} title={t.linkTitle} closeLabel={t.close} className="share-link" returnFocus={button} testId="share-link-dialog">
        <p>{t.linkFallback}</p>
        <input
          className="share-link-field"
          readOnly
          value={link}
          aria-label={t.linkLabel}
          data-autofocus
          onFocus={(e) => e.currentTarget.select()}
        />
        <p className="files-dialog-intro">{t.linkNote}</p>
      </ModalDialog>
    </div>
  );
}
