import { useState } from 'react';
import { useApp } from '../store-context.ts';
import { isRunning, type RunView } from '../../store/training-store.ts';
import { BudgetCheck } from './BudgetCheck.tsx';
import { useTraining } from './training-context.ts';
import { formatDuration, formatPercent, useTrainStrings } from './train-strings.ts';

/**
 * One labelled figure per split while training (issue 15: an unlabelled last-batch accuracy next to the
 * test accuracy read as two answers to one question): the training batches just seen, and the validation
 * share after the last epoch. The test accuracy, measured once after the run, is the Results' headline.
 */
function SplitFigures({ run }: { run: RunView }) {
  const t = useTrainStrings();
  const val = run.val.at(-1);
  return (
    <table className="live-metrics" data-testid="live-metrics" data-loss={run.loss ?? ''} data-acc={run.acc ?? ''}>
      <thead>
        <tr>
          <td />
          <th scope="col">{t.accuracy}</th>
          <th scope="col">{t.loss}</th>
        </tr>
      </thead>
      <tbody>
        <tr data-testid="split-train" data-acc={run.acc ?? ''}>
          <th scope="row">{t.splitTrain}</th>
          <td>{formatPercent(run.acc ?? 0)}</td>
          <td>{run.loss?.toFixed(3)}</td>
        </tr>
        <tr data-testid="split-validation" data-acc={val?.acc ?? ''}>
          <th scope="row">{val ? t.splitValidation(val.x) : t.splitValidationPending}</th>
          <td>{val ? formatPercent(val.acc) : '—'}</td>
          <td>{val ? val.loss.toFixed(3) : '—'}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** Train / pause / resume / stop, and the run's progress with its speed and ETA. */
export function RunControls({ canStart, onStart }: { canStart: boolean; onStart: (from: 'fresh' | 'continue') => void }) {
  const t = useTrainStrings();
  // Weights the design carries (trained earlier, reloaded, opened): training never replaces them unasked.
  const hasWeights = useApp((s) => s.weights !== null);
  const [asking, setAsking] = useState(false);
  const begin = (from: 'fresh' | 'continue') => {
    setAsking(false);
    onStart(from);
  };
  const run = useTraining((s) => s.run);
  const pause = useTraining((s) => s.pause);
  const resume = useTraining((s) => s.resume);
  const stop = useTraining((s) => s.stop);
  const running = isRunning(run);
  const stoppedAt = useTraining((s) => (s.run?.phase === 'done' ? s.result?.stoppedAt : undefined));
  const paused = run?.phase === 'paused';
  return (
    <section className="train-card run-controls" aria-label={t.progress}>
      <div className="buttons">
        <button type="button" className="primary" disabled={!canStart || running} onClick={() => (hasWeights ? setAsking(true) : begin('fresh'))} data-testid="train-start">
          {t.start}
        </button>
        <button type="button" disabled={!running || paused || run?.phase !== 'training'} onClick={() => void pause()}>
          {t.pause}
        </button>
        <button type="button" disabled={!paused} onClick={() => void resume()}>
          {t.resume}
        </button>
        <button type="button" disabled={!running} onClick={() => void stop()} data-testid="train-stop">
          {t.stop}
        </button>
      </div>
      {!running && <BudgetCheck />}
      {asking && !running && (
        <div className="train-choice" role="group" aria-labelledby="train-choice-title" data-testid="train-choice">
          <p id="train-choice-title">{t.trainChoice}</p>
          <button type="button" className="primary" onClick={() => begin('continue')} data-testid="train-continue">
            {t.continueFrom}
          </button>
          <button type="button" onClick={() => begin('fresh')} data-testid="train-fresh">
            {t.startFresh}
          </button>
          <button type="button" onClick={() => setAsking(false)}>
            {t.cancel}
          </button>
        </div>
      )}
      {run && (
        <div className="progress-block" data-testid="run-progress" data-phase={run.phase}>
          <div className="progress-head">
            <span className="phase" aria-live="polite" data-testid="run-phase">
              {stoppedAt ? t.stoppedIn(stoppedAt.epoch, stoppedAt.batch, stoppedAt.batches) : t.phase(run.phase)}
            </span>
            {run.epoch > 0 && !stoppedAt && <span>{t.progressLine(run.epoch, run.epochs, run.batch, run.batches)}</span>}
            {run.samplesPerSec !== null && <span data-testid="samples-per-sec">{t.speed(run.samplesPerSec)}</span>}
            {running && run.phase !== 'evaluating' && run.etaSec !== null && <span data-testid="eta">{t.eta(formatDuration(run.etaSec))}</span>}
          </div>
          <progress value={run.fraction} max={1} aria-label={t.progress} aria-valuetext={formatPercent(run.fraction, 0)} />
          {run.loss !== null && <SplitFigures run={run} />}
        </div>
      )}
    </section>
  );
}
