/**
 * The right-hand panel when no single layer is selected: the design's name, where it came from, its
 * description and notes (editable: one undo step per save), problems with the design as a whole, and the
 * templates to start from.
 */
import { useRef, useState } from 'react';
import { hasText, type Texts } from '../../graph/texts.ts';
import { LANGS } from '../i18n.ts';
import { IssueList } from '../IssueList.tsx';
import { TextIn } from '../TextIn.tsx';
import { LessonEditor } from '../lesson/LessonEditor.tsx';
import { useLessonStrings } from '../lesson/lesson-strings.ts';
import { useLockStrings } from '../lesson/lock-strings.ts';
import { PreviewSwitch } from '../lesson/LockControls.tsx';
import { useApp, useStrings } from '../store-context.ts';
import { TemplateList } from '../TemplateList.tsx';
import { useEditorStrings } from './editor-strings.ts';

/** The text written in `lang` itself (the form edits one language; the others stay as they are). */
const ownText = (texts: Texts | undefined, lang: string) => (texts && Object.hasOwn(texts, lang) ? texts[lang] : '');

export function DesignInfo() {
  const design = useApp((s) => s.design);
  const source = useApp((s) => s.source);
  const designIssues = useApp((s) => s.inference?.designIssues);
  const selected = useApp((s) => s.selection.length);
  const setDesignInfo = useApp((s) => s.setDesignInfo);
  const t = useStrings();
  const e = useEditorStrings();
  const lang = useApp((s) => s.lang);
  const [editing, setEditing] = useState(false);
  const [authoring, setAuthoring] = useState(false);
  const lessonButton = useRef<HTMLButtonElement>(null);
  const tl = useLessonStrings();
  const tk = useLockStrings();
  // Only the author writes lessons and locks; a student (or an author previewing) follows them.
  const role = useApp((s) => s.lessonRole);
  const langName = LANGS.find((l) => l.lang === lang)?.name ?? lang;
  if (!design) return <TemplateList />;

  return (
    <div className="design-info">
      {selected > 1 && <p className="panel-hint">{e.multiSelected(selected)}</p>}
      <header className="design-header">
        <p className="eyebrow">{source?.type === 'file' ? t.fromFile(source.name) : source?.type === 'template' ? t.fromTemplate : e.details}</p>
        {editing ? null : <h2 id="design-name">{design.name}</h2>}
      </header>
      {editing ? (
        <form
          className="design-form"
          onSubmit={(ev) => {
            ev.preventDefault();
            const data = new FormData(ev.currentTarget);
            setDesignInfo({ name: String(data.get('name') ?? ''), description: String(data.get('description') ?? ''), notes: String(data.get('notes') ?? '') });
            setEditing(false);
          }}
        >
          <label>
            <span>{e.name}</span>
            <input name="name" defaultValue={design.name} required autoFocus />
          </label>
          <label>
            <span>{e.description} ({langName})</span>
            <textarea name="description" defaultValue={ownText(design.description, lang)} rows={3} />
          </label>
          <label>
            <span>{e.notes} ({langName})</span>
            <textarea name="notes" defaultValue={ownText(design.notes, lang)} rows={8} />
          </label>
          <div className="form-buttons">
            <button type="button" className="tool" onClick={() => setEditing(false)}>
              {e.cancel}
            </button>
            <button type="submit" className="button">
              {e.save}
            </button>
          </div>
        </form>
      ) : (
        <>
          <TextIn texts={design.description} className="description" empty={e.noDescription} />
          <div className="form-buttons">
            <button type="button" className="tool edit-details" onClick={() => setEditing(true)}>
              {e.editDetails}
            </button>
            {role === 'author' && (
              <button type="button" className="tool" ref={lessonButton} onClick={() => setAuthoring(true)}>
                {design.lesson ? tl.editLesson : tl.writeLesson}
              </button>
            )}
          </div>
          {role === 'student' && <p className="panel-hint">{tk.studentLessonTitle}</p>}
          {!design.lesson && <PreviewSwitch />}
          <LessonEditor open={authoring} onClose={() => setAuthoring(false)} returnFocus={lessonButton} />
          {designIssues && designIssues.length > 0 && (
            <section className="design-issues" aria-label={t.designIssues}>
              <IssueList issues={designIssues} />
            </section>
          )}
          {hasText(design.notes) && (
            <section className="notes" aria-labelledby="notes-heading">
              <h3 id="notes-heading">{t.notes}</h3>
              <TextIn texts={design.notes} />
            </section>
          )}
          {selected === 0 && <p className="panel-hint">{e.selectHint}</p>}
        </>
      )}
      <TemplateList />
    </div>
  );
}
