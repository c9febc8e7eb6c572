import './train.css';
import { useDeferredValue, useMemo } from 'react';
import { isRunning } from '../../store/training-store.ts';
import { checkFit } from '../../train/fit-check.ts';
import { useApp } from '../store-context.ts';
import { BackendPicker } from './BackendPicker.tsx';
import { Curves } from './Curves.tsx';
import { DataPicker } from './DataPicker.tsx';
import { FitCheck } from './FitCheck.tsx';
import { Results } from './Results.tsx';
import { RunControls } from './RunControls.tsx';
import { TrainSettings } from './TrainSettings.tsx';
import { useResultViews } from './result-views.ts';
import { SavedWeights } from './SavedWeights.tsx';
import { useTraining } from './training-context.ts';
import { useTrainStrings } from './train-strings.ts';
import { useLookStrings } from '../look/look-strings.ts';

/**
 * Everything about training the open design, self-contained so the page can place it anywhere: data,
 * the fit check, settings, backend, controls with live curves, and the results.
 */
export function TrainPanel() {
  const t = useTrainStrings();
  const tl = useLookStrings();
  const design = useApp((s) => s.flat);
  const inference = useApp((s) => s.inference);
  const summary = useTraining((s) => s.dataSummary);
  // A boolean, not the run: progress arrives 10×/s and only the live parts need it.
  const running = useTraining((s) => isRunning(s.run));
  // Deferred: React renders the results (a confusion matrix, dozens of canvases) in a transition,
  // sliced into short tasks, instead of inside the worker message that brought them.
  const result = useDeferredValue(useTraining((s) => s.result));
  const error = useTraining((s) => s.error);
  const start = useTraining((s) => s.start);
  const dismissError = useTraining((s) => s.dismissError);
  const record = useTraining((s) => s.record);
  const lostRun = useTraining((s) => s.lostRun);
  const dismissLostRun = useTraining((s) => s.dismissLostRun);
  const { views, stale } = useResultViews();

  const fit = useMemo(
    () => (design && inference && summary ? checkFit(design, { name: summary.name, shape: summary.shape, classes: summary.classes, ...(summary.found ? { found: summary.found } : {}) }, inference) : null),
    [design, inference, summary],
  );

  return (
    <div className="train-panel" data-testid="train-panel">
      <div className="train-columns">
        <div className="train-setup">
          <DataPicker disabled={running} />
          <FitCheck fit={fit} />
          <TrainSettings disabled={running} />
          <BackendPicker disabled={running} />
        </div>
        <div className="train-live">
          <RunControls canStart={!!fit?.ok} onStart={(from) => fit && void start(fit.loss, from)} />
          {lostRun && (
            <div role="status" className="train-error" data-testid="lost-run">
              <span>{t.lostRun(lostRun.dataName, lostRun.epochs)}</span>
              <button type="button" onClick={dismissLostRun}>
                {t.dismiss}
              </button>
            </div>
          )}
          {error && (
            <div role="alert" className="train-error" data-testid="train-error">
              <span>{error}</span>
              <button type="button" onClick={dismissError}>
                {t.dismiss}
              </button>
            </div>
          )}
          {views.curves !== 'hidden' && <Curves previous={views.curves === 'previous'} />}
          {(running || result) && (
            <p className="hint" data-testid="look-entry-hint">
              {tl.entryHint}
            </p>
          )}
          {record?.origin === 'loaded' && (!result || stale.length > 0) && !running && <SavedWeights loss={fit?.ok ? fit.loss : null} />}
          {result && record?.data && !running && (
            <Results result={result} record={{ ...record, data: record.data }} views={views} stale={stale} testCount={summary?.testCount ?? 0} />
          )}
        </div>
      </div>
    </div>
  );
}
