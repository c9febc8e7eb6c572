/**
 * The instructor's side: a form for the design's lesson (title and step texts in English and Spanish, a
 * check per step picked from a list and filled in). Saving replaces the lesson in one undoable edit; a form
 * with problems lists them by step and saves nothing.
 */
import { useState } from 'react';
import { LAYER_KINDS } from '../../graph/layers/index.ts';
import { BUNDLED_DATASETS } from '../../train/datasets/bundled.ts';
import type { LessonCheckType } from '../../graph/types.ts';
import { ModalDialog, type DialogProps } from '../files/ModalDialog.tsx';
import { useApp } from '../store-context.ts';
import { draftToLesson, EMPTY_STEP, lessonToDraft, type FormProblem, type LessonDraft, type StepDraft } from './lesson-form.ts';
import { useLessonStrings, type LessonStrings } from './lesson-strings.ts';
import { EditorLocks } from './LockControls.tsx';

export function LessonEditor({ open, onClose, returnFocus }: DialogProps) {
  const t = useLessonStrings();
  return (
    <ModalDialog open={open} onClose={onClose} title={t.editorTitle} closeLabel={t.close} returnFocus={returnFocus} className="lesson-editor" testId="lesson-editor">
      {open && <EditorForm onDone={onClose} />}
    </ModalDialog>
  );
}

function EditorForm({ onDone }: { readonly onDone: () => void }) {
  const t = useLessonStrings();
  const lesson = useApp((s) => s.design?.lesson);
  const setLesson = useApp((s) => s.setLesson);
  const [draft, setDraft] = useState<LessonDraft>(() => lessonToDraft(lesson));
  const [problems, setProblems] = useState<readonly FormProblem[]>([]);
  const setStep = (i: number, patch: Partial<StepDraft>) => setDraft((d) => ({ ...d, steps: d.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  return (
    <form
      className="lesson-form"
      onSubmit={(e) => {
        e.preventDefault();
        const r = draftToLesson(draft);
        if (!r.ok) return setProblems(r.problems);
        setLesson(r.lesson);
        onDone();
      }}
    >
      <p>{t.editorIntro}</p>
      <div className="lesson-form-row">
        <label>
          <span>{t.titleEn}</span>
          <input data-autofocus value={draft.titleEn} onChange={(e) => setDraft({ ...draft, titleEn: e.target.value })} />
        </label>
        <label>
          <span>{t.titleEs}</span>
          <input value={draft.titleEs} onChange={(e) => setDraft({ ...draft, titleEs: e.target.value })} />
        </label>
      </div>
      {draft.steps.map((step, i) => (
        <fieldset key={i} className="lesson-form-step">
          <legend>{t.stepHeading(i + 1)}</legend>
          <div className="lesson-form-row">
            <label>
              <span>{t.textEn}</span>
              <textarea rows={2} value={step.textEn} onChange={(e) => setStep(i, { textEn: e.target.value })} />
            </label>
            <label>
              <span>{t.textEs}</span>
              <textarea rows={2} value={step.textEs} onChange={(e) => setStep(i, { textEs: e.target.value })} />
            </label>
          </div>
          <label>
            <span>{t.checkType}</span>
            <select value={step.type} onChange={(e) => setStep(i, { type: e.target.value as LessonCheckType })}>
              {(Object.keys(t.checkTypes) as LessonCheckType[]).map((type) => (
                <option key={type} value={type}>
                  {t.checkTypes[type]}
                </option>
              ))}
            </select>
          </label>
          <CheckFields step={step} t={t} onChange={(patch) => setStep(i, patch)} />
          <button type="button" className="tool" disabled={draft.steps.length === 1} onClick={() => setDraft({ ...draft, steps: draft.steps.filter((_, j) => j !== i) })}>
            {t.removeStep(i + 1)}
          </button>
        </fieldset>
      ))}
      <button type="button" className="tool" onClick={() => setDraft({ ...draft, steps: [...draft.steps, EMPTY_STEP] })}>
        {t.addStep}
      </button>
      <EditorLocks />
      {problems.length > 0 && (
        <ul className="lesson-form-problems" role="alert">
          {problems.map((p, i) => (
            <li key={i}>{p.step === 0 ? t[p.code] : t.formProblem(p.step, t[p.code])}</li>
          ))}
        </ul>
      )}
      <div className="form-buttons">
        {lesson && (
          <button
            type="button"
            className="tool"
            onClick={() => {
              setLesson(undefined);
              onDone();
            }}
          >
            {t.removeLesson}
          </button>
        )}
        <button type="button" className="tool" onClick={onDone}>
          {t.cancel}
        </button>
        <button type="submit" className="button">
          {t.save}
        </button>
      </div>
    </form>
  );
}

/** The fields of the chosen check, and only those. */
function CheckFields({ step, t, onChange }: { readonly step: StepDraft; readonly t: LessonStrings; readonly onChange: (patch: Partial<StepDraft>) => void }) {
  const kindSelect = (value: string, key: 'kind' | 'after', label: string, optional = false) => (
    <label>
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange({ [key]: e.target.value })}>
        {optional && <option value="">{t.none}</option>}
        {LAYER_KINDS.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
    </label>
  );
  const text = (value: string, key: keyof StepDraft, label: string, rows = 0) => (
    <label>
      <span>{label}</span>
      {rows > 0 ? (
        <textarea rows={rows} value={value} onChange={(e) => onChange({ [key]: e.target.value })} />
      ) : (
        <input value={value} onChange={(e) => onChange({ [key]: e.target.value })} />
      )}
    </label>
  );
  const op = (
    <label>
      <span>{t.op}</span>
      <select value={step.op} onChange={(e) => onChange({ op: e.target.value as StepDraft['op'] })}>
        <option value="le">{t.le}</option>
        <option value="eq">{t.eq}</option>
      </select>
    </label>
  );
  switch (step.type) {
    case 'has-kind':
      return <div className="lesson-form-row">{kindSelect(step.kind, 'kind', t.kind)}{text(step.count, 'count', t.count)}{kindSelect(step.after, 'after', t.after, true)}</div>;
    case 'output-shape':
      return <div className="lesson-form-row">{kindSelect(step.kind, 'kind', t.kind)}{text(step.nth, 'nth', t.nth)}{text(step.shape, 'shape', t.shape)}</div>;
    case 'params':
      return (
        <div className="lesson-form-row">
          <label>
            <span>{t.which}</span>
            <select value={step.which} onChange={(e) => onChange({ which: e.target.value as StepDraft['which'] })}>
              <option value="total">{t.total}</option>
              <option value="trainable">{t.trainable}</option>
            </select>
          </label>
          {op}
          {text(step.value, 'value', t.value)}
        </div>
      );
    case 'macs':
      return (
        <div className="lesson-form-row">
          {op}
          {text(step.value, 'value', t.value)}
        </div>
      );
    case 'no-errors':
      return null;
    case 'choice':
      return <div className="lesson-form-row">{text(step.optionsEn, 'optionsEn', t.options, 3)}{text(step.optionsEs, 'optionsEs', t.optionsEs, 3)}{text(step.answer, 'answer', t.rightOption)}</div>;
    case 'number':
      return <div className="lesson-form-row">{text(step.answer, 'answer', t.rightAnswer)}{text(step.tolerance, 'tolerance', t.tolerance)}</div>;
    case 'receptive-field':
      return <div className="lesson-form-row">{kindSelect(step.kind, 'kind', t.kind)}{text(step.nth, 'nth', t.nth)}{text(step.min, 'min', t.minField)}</div>;
    case 'skip':
      return <div className="lesson-form-row">{text(step.count, 'count', t.count)}</div>;
    case 'accuracy':
      return (
        <div className="lesson-form-row">
          <label>
            <span>{t.dataset}</span>
            <input list="lesson-datasets" value={step.dataset} onChange={(e) => onChange({ dataset: e.target.value })} />
            <datalist id="lesson-datasets">
              {BUNDLED_DATASETS.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
          </label>
          {text(step.min, 'min', t.minAccuracy)}
        </div>
      );
  }
}
