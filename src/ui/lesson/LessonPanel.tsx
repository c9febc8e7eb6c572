/**
 * The student's side of a lesson, above the inspector: the current step's text, a tick when its check
 * passes or the hint when it does not, the question's input for question steps, and the steps as a row of
 * ticks to move between. The verdicts are the store's inference read through graph/lesson-check.ts.
 */
import { useMemo, useState } from 'react';
import { formatIssue } from '../../graph/messages.ts';
import { textIn } from '../../graph/texts.ts';
import type { LessonCheck } from '../../graph/types.ts';
import { lessonResults, lessonRun } from '../../store/lesson-progress.ts';
import { useTraining } from '../train/training-context.ts';
import { useApp } from '../store-context.ts';
import { TextIn } from '../TextIn.tsx';
import { parseAnswer } from './lesson-form.ts';
import { useLessonStrings } from './lesson-strings.ts';
import { PreviewSwitch } from './LockControls.tsx';
import './lesson.css';

export function LessonPanel() {
  const lesson = useApp((s) => s.design?.lesson);
  const flat = useApp((s) => s.flat);
  const inference = useApp((s) => s.inference);
  const progress = useApp((s) => s.lessonProgress);
  const setProgress = useApp((s) => s.setLessonProgress);
  const resetStep = useApp((s) => s.resetLessonStep);
  const design = useApp((s) => s.design);
  const lang = useApp((s) => s.lang);
  const record = useTraining((s) => s.record);
  const runResult = useTraining((s) => s.result);
  const t = useLessonStrings();
  const results = useMemo(
    () => (lesson ? lessonResults(lesson, flat, inference, progress, lessonRun(record, runResult, flat)) : []),
    [lesson, flat, inference, progress, record, runResult],
  );
  if (!lesson) return null;
  const at = Math.min(progress.step, lesson.steps.length - 1);
  const step = lesson.steps[at];
  const result = results[at];
  const done = results.filter((r) => r.pass).length;
  const go = (i: number) => setProgress({ ...progress, step: i });
  const answer = (value: number) => setProgress({ ...progress, answers: { ...progress.answers, [at]: value } });

  return (
    <section className="lesson-panel" aria-labelledby="lesson-title" data-testid="lesson-panel">
      <p className="eyebrow">
        {t.lesson} · {t.stepOf(at + 1, lesson.steps.length)}
      </p>
      <h2 id="lesson-title" lang={textIn(lesson.title, lang)?.lang}>
        {textIn(lesson.title, lang)?.text}
      </h2>
      <ol className="lesson-steps" aria-label={`${t.steps}: ${t.allDone(done, lesson.steps.length)}`}>
        {results.map((r, i) => (
          <li key={i}>
            <button
              type="button"
              className={`lesson-dot${r.pass ? ' done' : ''}${i === at ? ' current' : ''}`}
              aria-current={i === at ? 'step' : undefined}
              aria-label={t.goToStep(i + 1, r.pass)}
              onClick={() => go(i)}
            >
              {r.pass ? '✓' : i + 1}
            </button>
          </li>
        ))}
      </ol>
      <TextIn texts={step.text} className="lesson-text" />
      <Question key={at} check={step.check} answer={progress.answers[at]} onAnswer={answer} />
      {result.pass ? (
        <p className="lesson-result pass" role="status" data-testid="lesson-pass">
          <span aria-hidden="true">✓ </span>
          {t.passed}
        </p>
      ) : (
        <p className="lesson-result hint" role="status" data-testid="lesson-hint">
          <strong>{t.notYet}</strong> {result.hint ? formatIssue(result.hint, lang) : ''}
        </p>
      )}
      <p className="lesson-reset">
        <button
          type="button"
          className="tool"
          disabled={!progress.start || progress.start === design}
          title={t.resetHelp}
          onClick={resetStep}
          data-testid="lesson-reset"
        >
          {t.resetStep}
        </button>
      </p>
      <div className="lesson-nav">
        <button type="button" className="tool" disabled={at === 0} onClick={() => go(at - 1)}>
          {t.previous}
        </button>
        <span className="lesson-count">{t.allDone(done, lesson.steps.length)}</span>
        <button type="button" className={result.pass ? 'button' : 'tool'} disabled={at === lesson.steps.length - 1} onClick={() => go(at + 1)}>
          {t.next}
        </button>
      </div>
      <PreviewSwitch />
    </section>
  );
}

/** The answer input of a question step (nothing for the other checks). */
function Question({ check, answer, onAnswer }: { readonly check: LessonCheck; readonly answer?: number; readonly onAnswer: (v: number) => void }) {
  const t = useLessonStrings();
  const lang = useApp((s) => s.lang);
  const [typed, setTyped] = useState(answer === undefined ? '' : String(answer));
  if (check.type === 'choice') {
    return (
      <fieldset className="lesson-question">
        <legend>{t.answer}</legend>
        {check.options.map((option, i) => (
          <label key={i}>
            <input type="radio" name="lesson-choice" checked={answer === i} onChange={() => onAnswer(i)} />
            {String.fromCharCode(65 + i)}. {textIn(option, lang)?.text}
          </label>
        ))}
      </fieldset>
    );
  }
  if (check.type !== 'number') return null;
  return (
    <form
      className="lesson-question"
      onSubmit={(e) => {
        e.preventDefault();
        const value = parseAnswer(typed);
        if (value !== null) onAnswer(value);
      }}
    >
      <label>
        <span>{t.answer}</span>
        <input inputMode="numeric" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </label>
      <button type="submit" className="tool">
        {t.check}
      </button>
    </form>
  );
}
