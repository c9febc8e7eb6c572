/**
 * The note of a layer or block instance, in the page's language: the field holds that language's text only
 * (saving it leaves the other languages' notes as they are); when this language has none but another has,
 * that one is shown above the field, marked with its language, as the design's own notes are.
 */
import { useId, useState } from 'react';
import { textIn, type Texts } from '../../graph/texts.ts';
import { LANGS } from '../i18n.ts';
import { useApp } from '../store-context.ts';
import { TextIn } from '../TextIn.tsx';
import type { InspectorStrings } from './inspector-strings.ts';

interface Props {
  /** The layer or block instance, or with `definition` the block definition, whose note this is. */
  readonly nodeId: string;
  readonly definition?: boolean;
  readonly notes: Texts | undefined;
  readonly t: InspectorStrings;
}

export function NotesField({ nodeId, definition = false, notes, t }: Props) {
  const lang = useApp((s) => s.lang);
  const setNodeNotes = useApp((s) => (definition ? s.setBlockNotes : s.setNodeNotes));
  const id = useId();
  const own = notes && Object.hasOwn(notes, lang) ? notes[lang] : '';
  const [draft, setDraft] = useState<string | null>(null);
  // A new node, language or undo brings the stored text back into the field.
  const [seen, setSeen] = useState(`${nodeId}\u0000${lang}\u0000${own}`);
  if (seen !== `${nodeId}\u0000${lang}\u0000${own}`) {
    setSeen(`${nodeId}\u0000${lang}\u0000${own}`);
    setDraft(null);
  }
  const shown = textIn(notes, lang);
  const langName = LANGS.find((l) => l.lang === lang)?.name ?? lang;
  const commit = () => {
    if (draft !== null && draft.trim() !== own.trim()) setNodeNotes(nodeId, draft.trim());
    setDraft(null);
  };
  return (
    <section className="inspector-notes" data-testid={definition ? 'block-notes' : 'node-notes'}>
      <label htmlFor={id} className="param-name">
        {definition ? t.blockNotesIn(nodeId, langName) : t.notesIn(langName)}
      </label>
      {shown?.fallback && <TextIn texts={notes} className="inspector-notes-other" />}
      <textarea
        id={id}
        className="param-input"
        rows={3}
        value={draft ?? own}
        placeholder={shown?.fallback ? t.notesTranslate(langName) : t.notesEmpty}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
      />
    </section>
  );
}
