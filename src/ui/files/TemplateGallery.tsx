import { useId } from 'react';
import type { TemplateEntry } from '../../store/template-catalogue.ts';
import { formatCountShort, formatSI } from '../../graph/number-format.ts';
import { formatShapeCompact } from '../layer-rows.ts';
import { hasText } from '../../graph/texts.ts';
import { useApp } from '../store-context.ts';
import { TextIn } from '../TextIn.tsx';
import { useFilesStrings } from './files-strings.ts';
import { ModalDialog, type DialogProps } from './ModalDialog.tsx';
import './files.css';

function TemplateCard({ entry, onOpened }: { readonly entry: TemplateEntry; readonly onOpened?: () => void }) {
  const t = useFilesStrings();
  const lang = useApp((s) => s.lang);
  const channelsFirst = useApp((s) => s.channelsFirst);
  const isCurrent = useApp((s) => s.source?.type === 'template' && s.source.file === entry.file);
  const busy = useApp((s) => s.loading === entry.file);
  const loadTemplate = useApp((s) => s.loadTemplate);
  // useId, not the file name: the cards may be shown twice (the gallery and an empty canvas).
  const headingId = useId();
  const stats = [
    entry.layers !== undefined ? t.layerCount(formatCountShort(entry.layers, lang)) : null,
    entry.params !== undefined ? t.paramCount(formatCountShort(entry.params, lang)) : null,
    entry.macs !== undefined ? t.macCount(formatSI(entry.macs, lang)) : null,
    entry.input ? t.inputShape(formatShapeCompact(entry.input, channelsFirst) ?? '?') : null,
  ].filter((s): s is string => s !== null);
  return (
    <li className="template-card" aria-labelledby={headingId} data-template={entry.file}>
      <div className="template-card-head">
        <h3 id={headingId}>{entry.name}</h3>
        {entry.level && <span className={`badge level-${entry.level}`}>{t.level(entry.level)}</span>}
        {isCurrent && <span className="badge current">{t.current}</span>}
      </div>
      <TextIn texts={entry.description} className="template-card-description" />
      {stats.length > 0 && <p className="template-card-stats">{stats.join(' · ')}</p>}
      {hasText(entry.notes) && (
        <details className="template-card-notes">
          <summary>{t.notes}</summary>
          <TextIn texts={entry.notes} />
        </details>
      )}
      <button
        type="button"
        className="button template-card-open"
        aria-label={t.openTemplate(entry.name)}
        aria-busy={busy ? 'true' : undefined}
        disabled={busy}
        onClick={() => {
          void loadTemplate(entry.file);
          onOpened?.();
        }}
      >
        {t.openShort}
      </button>
    </li>
  );
}

/**
 * The template cards on their own (no dialog), for any place that offers templates: the gallery below, or
 * an empty canvas. `onOpened` runs when a card's Open button is pressed.
 */
export function TemplateCards({ onOpened }: { readonly onOpened?: () => void }) {
  const catalogue = useApp((s) => s.catalogue);
  const t = useFilesStrings();
  if (catalogue.length === 0) return <p>{t.noTemplates}</p>;
  return (
    <ul className="template-cards">
      {catalogue.map((entry) => (
        <TemplateCard key={entry.file} entry={entry} onOpened={onOpened} />
      ))}
    </ul>
  );
}

/** The template gallery as a modal dialog: each template's description, notes and totals, and Open. */
export function TemplateGallery({ open, onClose, returnFocus }: DialogProps) {
  const t = useFilesStrings();
  return (
    <ModalDialog open={open} onClose={onClose} title={t.galleryTitle} closeLabel={t.close} className="template-gallery" returnFocus={returnFocus} testId="template-gallery">
      <p className="files-dialog-intro">{t.galleryIntro}</p>
      <TemplateCards onOpened={onClose} />
    </ModalDialog>
  );
}
