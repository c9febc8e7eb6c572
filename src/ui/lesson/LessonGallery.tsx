/** The lessons that ship, as a dialog: each one's title, description and step count, and Start. */
import { LESSONS } from '../../lesson/lessons.ts';
import { ModalDialog, type DialogProps } from '../files/ModalDialog.tsx';
import { useApp } from '../store-context.ts';
import { TextIn } from '../TextIn.tsx';
import { textIn } from '../../graph/texts.ts';
import { useLessonStrings } from './lesson-strings.ts';

export function LessonGallery({ open, onClose, returnFocus }: DialogProps) {
  const t = useLessonStrings();
  const lang = useApp((s) => s.lang);
  const openDesign = useApp((s) => s.openDesign);
  return (
    <ModalDialog open={open} onClose={onClose} title={t.lessonsTitle} closeLabel={t.close} returnFocus={returnFocus} testId="lesson-gallery">
      <p>{t.lessonsIntro}</p>
      <ul className="template-cards">
        {LESSONS.map((entry) => {
          const design = entry.make();
          const title = textIn(design.lesson?.title, lang)?.text ?? design.name;
          return (
            <li key={entry.id} className="template-card" data-lesson={entry.id}>
              <div className="template-card-head">
                <h3>{title}</h3>
                <span className="badge">{t.topic(entry.topic)}</span>
              </div>
              <TextIn texts={design.description} className="template-card-description" />
              <p className="template-card-stats">{t.stepCount(design.lesson?.steps.length ?? 0)}</p>
              <button
                type="button"
                className="button template-card-open"
                aria-label={t.openLesson(title)}
                onClick={() => {
                  openDesign(entry.make(), { type: 'new' });
                  onClose();
                }}
              >
                {t.start}
              </button>
            </li>
          );
        })}
      </ul>
    </ModalDialog>
  );
}
