/**
 * Lesson locks in the UI: the badge on a locked layer, the inspector's lock section (the author sets locks
 * there; a student reads why the layer is fixed), the lesson editor's list of locks, and the author's
 * preview-as-student switch. They read the store and dispatch its commands; the rule itself is
 * src/graph/locks.ts, applied by the store to every edit.
 */
import { useState } from 'react';
import { isLayerKind, layerSpec } from '../../graph/layers/index.ts';
import { lockOf } from '../../graph/locks.ts';
import type { NodeLock } from '../../graph/types.ts';
import { useApp } from '../store-context.ts';
import { useLockStrings } from './lock-strings.ts';
import './lesson.css';

/**
 * A padlock drawn inline: an emoji padlock is a blank box where the system has no emoji font (headless
 * Chromium on Linux, some classroom machines).
 */
export function LockIcon() {
  return (
    <svg className="lock-icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
      <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <rect x="2.5" y="7" width="11" height="8" rx="1.5" fill="currentColor" />
    </svg>
  );
}

/** The padlock on a locked layer's face, with the reason as its tooltip. */
export function LockBadge({ nodeId }: { readonly nodeId: string }) {
  const locked = useApp((s) => lockOf(s.design, nodeId) !== undefined);
  const t = useLockStrings();
  if (!locked) return null;
  return (
    <span className="lock-badge" role="img" aria-label={t.lockBadge} title={t.lockedNode} data-testid={`lock-badge-${nodeId}`}>
      <LockIcon />
    </span>
  );
}

/**
 * The inspector's lock section: the author's controls, or the student's reason. `nodeId` names a top-level
 * layer or block instance, or with `block` a layer of that block definition.
 */
export function NodeLockSection({ nodeId, block }: { readonly nodeId: string; readonly block?: string }) {
  const t = useLockStrings();
  const role = useApp((s) => s.lessonRole);
  const lock = useApp((s) => lockOf(s.design, nodeId, block));
  const kind = useApp((s) => (block === undefined ? s.design?.nodes : s.design?.blocks?.find((b) => b.id === block)?.nodes)?.find((n) => n.id === nodeId)?.kind);
  // A block instance is locked whole (graph/locks.ts): it has no parameters of its own to pick.
  const isBlock = kind === undefined;
  const setNodeLock = useApp((s) => s.setNodeLock);
  const [open, setOpen] = useState(lock !== undefined);
  if (role !== 'author') {
    return lock ? (
      <p className="lock-note" data-testid="lock-note">
        <LockIcon />{' '}
        {isBlock ? t.lockedBlock : t.lockedNode}
      </p>
    ) : null;
  }
  const names = kind && isLayerKind(kind) ? Object.keys(layerSpec(kind).params) : [];
  const params = lock?.params ?? [];
  const toggle = (param: string, on: boolean) => setNodeLock(nodeId, on ? [...params, param] : params.filter((p) => p !== param), block);
  // Folded until used: most designs are not lessons, and the section should not crowd their inspector.
  return (
    <details className="lock-section" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="lock-section">
      <summary>
        <h3>
          {lock && <LockIcon />} {t.lockHeading}
        </h3>
      </summary>
      <p className="param-doc">{isBlock ? t.lockBlockIntro : t.lockIntro}</p>
      <label className="lock-option">
        <input
          type="checkbox"
          aria-label={isBlock ? t.lockBlock : t.lockLayer}
          checked={lock !== undefined}
          onChange={(e) => setNodeLock(nodeId, e.target.checked ? [] : null, block)}
        />
        {isBlock ? t.lockBlock : t.lockLayer}
      </label>
      {lock && names.length > 0 && (
        <div className="lock-params">
          {names.map((name) => (
            <label key={name} className="lock-option">
              <input type="checkbox" aria-label={t.lockParam(name)} checked={params.includes(name)} onChange={(e) => toggle(name, e.target.checked)} />
              {t.lockParam(name)}
            </label>
          ))}
          {params.length < names.length && (
            <button type="button" className="tool" onClick={() => setNodeLock(nodeId, names, block)}>
              {t.lockAllParams}
            </button>
          )}
        </div>
      )}
    </details>
  );
}

/** The lesson editor's list of locks: how to set them, and an unlock button each. */
export function EditorLocks() {
  const t = useLockStrings();
  const locks = useApp((s) => s.design?.locks);
  const nodes = useApp((s) => s.design?.nodes);
  const instances = useApp((s) => s.design?.instances);
  const setNodeLock = useApp((s) => s.setNodeLock);
  // A layer inside a block definition is named by its path there ("BasicBlock/conv1").
  const name = ({ node: id, block }: NodeLock) => {
    if (block !== undefined) return `${block}/${id}`;
    const n = nodes?.find((x) => x.id === id) ?? instances?.find((x) => x.id === id);
    return n?.label || id;
  };
  return (
    <fieldset className="lesson-locks" data-testid="editor-locks">
      <legend>{t.editorLocks}</legend>
      <p>{t.editorLocksHow}</p>
      {!locks || locks.length === 0 ? (
        <p className="muted">{t.editorNoLocks}</p>
      ) : (
        <ul>
          {locks.map((lock) => (
            <li key={`${lock.block ?? ''}/${lock.node}`}>
              <LockIcon />{' '}
              <strong>{name(lock)}</strong> — {lock.params?.length ? t.lockedParams(lock.params.join(', ')) : t.layerOnly}{' '}
              <button type="button" className="tool" onClick={() => setNodeLock(lock.node, null, lock.block)}>
                {t.unlock(name(lock))}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** The author's switch into the student's view of the lesson and back; a student sees no switch. */
export function PreviewSwitch() {
  const t = useLockStrings();
  const role = useApp((s) => s.lessonRole);
  const hasLesson = useApp((s) => !!s.design?.lesson || !!s.design?.locks);
  const count = useApp((s) => s.design?.locks?.length ?? 0);
  const setRole = useApp((s) => s.setLessonRole);
  if (!hasLesson) return null;
  return (
    <div className="lock-preview" data-testid="lock-preview">
      {count > 0 && (
        <p className="lock-count">
          <LockIcon />{' '}
          {t.lockedCount(count)}
        </p>
      )}
      {role === 'author' && (
        <button type="button" className="tool" onClick={() => setRole('preview')}>
          {t.preview}
        </button>
      )}
      {role === 'preview' && (
        <>
          <p className="lock-previewing">{t.previewing}</p>
          <button type="button" className="button" onClick={() => setRole('author')}>
            {t.backToEditing}
          </button>
        </>
      )}
    </div>
  );
}
