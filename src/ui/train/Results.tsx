import { useState } from 'react';
import type { DataIdentity, ResultView, RunRecord, StaleReason, ViewState } from '../../store/run-record.ts';
import type { RunResult } from '../../train/protocol.ts';
import { saveDesign } from '../files/save-design.ts';
import { BACKEND_LABELS } from '../../train/backend-choice.ts';
import { useApp } from '../store-context.ts';
import { ConfusionMatrix } from './ConfusionMatrix.tsx';
import { DrawPad } from './DrawPad.tsx';
import { ImageCanvas } from './ImageCanvas.tsx';
import { PredictionPanel } from './PredictionPanel.tsx';
import { formatPercent, useTrainStrings } from './train-strings.ts';

interface Props {
  readonly result: RunResult;
  /** What the results were measured on: their labels and image shape are the run's, never the open data's. */
  readonly record: RunRecord & { readonly data: DataIdentity };
  readonly views: Readonly<Record<ResultView, ViewState>>;
  readonly stale: readonly StaleReason[];
  /** Test images in the loaded data (the same data as the record's whenever predictions by number are offered). */
  readonly testCount: number;
}

export function Results({ result, record, views, stale, testCount }: Props) {
  const t = useTrainStrings();
  const [picked, setPicked] = useState<number | null>(null);
  const { classes, shape } = record.data;
  const previous = stale.length > 0;
  const backend = BACKEND_LABELS[result.backend];
  return (
    <section className={previous ? 'train-results previous' : 'train-results'} aria-labelledby="results-heading" data-testid="results" data-state={previous ? 'previous' : 'current'}>
      <h3 id="results-heading">{t.results}</h3>
      {previous ? (
        <p className="previous-run" role="status" data-testid="previous-run">
          {t.previousRun(record.data.name, stale)}
        </p>
      ) : (
        <p className="hint" data-testid="results-for">
          {t.resultsFor(record.data.name, classes.length, record.origin)}
        </p>
      )}
      <p className="test-accuracy">
        {t.testAccuracy}: <strong data-testid="test-accuracy">{formatPercent(result.testAccuracy)}</strong>
      </p>
      <p className="hint" data-testid="run-summary">
        {result.reason === 'evaluated'
          ? t.evaluatedOn(backend)
          : result.stoppedAt
            ? t.stoppedAt(result.stoppedAt.epoch, result.stoppedAt.batch, result.stoppedAt.batches, result.seconds, backend)
            : t.stopReason(result.reason, result.epochsRun, result.seconds, backend)}
      </p>
      {!previous && <SaveWithWeights />}
      <div className="results-grid">
        <ConfusionMatrix confusion={result.confusion} classes={classes} />
        <section className="gallery" aria-labelledby="gallery-heading">
          <h4 id="gallery-heading">
            {result.misclassifiedTotal === 0 ? t.noneMisclassified : t.misclassified(result.misclassified.length, result.misclassifiedTotal)}
          </h4>
          <ul className="gallery-list" data-testid="misclassified">
            {result.misclassified.map((m) => {
              const label = t.wasPredicted(classes[m.label] ?? String(m.label), classes[m.predicted] ?? String(m.predicted));
              return (
                <li key={m.index}>
                  <button type="button" className="gallery-item" disabled={views['predict-test'] !== 'current'} onClick={() => setPicked(m.index)} title={label} aria-label={`#${m.index}: ${label}`}>
                    <ImageCanvas pixels={m.pixels} shape={shape} size={48} label={label} />
                    <span className="gallery-caption">
                      {short(classes[m.label])}→{short(classes[m.predicted])}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      </div>
      {(views['predict-upload'] === 'current' || views['draw-pad'] === 'current') && (
        <div className="results-grid">
          <PredictionPanel classes={classes} shape={shape} testCount={views['predict-test'] === 'current' ? testCount : 0} picked={picked} />
          {views['draw-pad'] === 'current' && <DrawPad shape={shape} classes={classes} />}
        </div>
      )}
    </section>
  );
}

function short(name: string | undefined): string {
  if (!name) return '?';
  return name.length > 6 ? `${name.slice(0, 5)}…` : name;
}

/** Downloads the design with its trained weights, as a .netcanvas (see saveDesign). */
function SaveWithWeights() {
  const t = useTrainStrings();
  const design = useApp((s) => s.design);
  const weights = useApp((s) => s.weights);
  if (!design || !weights) return null;
  const save = () => void saveDesign(design, weights);
  return (
    <p className="weights-kept">
      {t.weightsKept}{' '}
      <button type="button" onClick={save}>
        {t.saveWithWeights}
      </button>
    </p>
  );
}
