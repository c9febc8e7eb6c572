/**
 * The right-hand panel when no single layer is selected: the design's name, where it came from, its
 * description and notes (editable: one undo step per save), problems with the design as a whole, and the
 * templates to start from.
 */
import { useState } from 'react';
import { IssueList } from '../IssueList.tsx';
import { useApp, useStrings } from '../store-context.ts';
import { TemplateList } from '../TemplateList.tsx';
import { useEditorStrings } from './editor-strings.ts';

export function DesignInfo() {
  const design = useApp((s) => s.design);
  const source = useApp((s) => s.source);
  const designIssues = useApp((s) => s.inference?.designIssues);
  const selected = useApp((s) => s.selection.length);
  const setDesignInfo = useApp((s) => s.setDesignInfo);
  const t = useStrings();
  const e = useEditorStrings();
  const [editing, setEditing] = useState(false);
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
            <span>{e.description}</span>
            <textarea name="description" defaultValue={design.description ?? ''} rows={3} />
          </label>
          <label>
            <span>{e.notes}</span>
            <textarea name="notes" defaultValue={design.notes ?? ''} rows={8} />
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
          <p className={design.description ? 'description' : 'description muted'}>{design.description ?? e.noDescription}</p>
          <button type="button" className="tool edit-details" onClick={() => setEditing(true)}>
            {e.editDetails}
          </button>
          {designIssues && designIssues.length > 0 && (
            <section className="design-issues" aria-label={t.designIssues}>
              <IssueList issues={designIssues} />
            </section>
          )}
          {design.notes && (
            <section className="notes" aria-labelledby="notes-heading">
              <h3 id="notes-heading">{t.notes}</h3>
              <p>{design.notes}</p>
            </section>
          )}
          {selected === 0 && <p className="panel-hint">{e.selectHint}</p>}
        </>
      )}
      <TemplateList />
    </div>
  );
}
