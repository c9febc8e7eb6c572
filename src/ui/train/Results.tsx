import { useState } from 'react';
import type { RunResult } from '../../train/protocol.ts';
import { serializeDesign } from '../../graph/file-format.ts';
import { BACKEND_LABELS } from '../../train/backend-choice.ts';
import { useApp } from '../store-context.ts';
import { ConfusionMatrix } from './ConfusionMatrix.tsx';
import { DrawPad } from './DrawPad.tsx';
import { ImageCanvas } from './ImageCanvas.tsx';
import { PredictionPanel } from './PredictionPanel.tsx';
import { formatPercent, useTrainStrings } from './train-strings.ts';

interface Props {
  readonly result: RunResult;
  readonly classes: readonly string[];
  readonly shape: readonly [number, number, number];
  readonly testCount: number;
  /** Draw-pad for digit-like data: one gray channel. */
  readonly drawable: boolean;
}

export function Results({ result, classes, shape, testCount, drawable }: Props) {
  const t = useTrainStrings();
  const [picked, setPicked] = useState<number | null>(null);
  return (
    <section className="train-results" aria-labelledby="results-heading">
      <h3 id="results-heading">{t.results}</h3>
      <p className="test-accuracy">
        {t.testAccuracy}: <strong data-testid="test-accuracy">{formatPercent(result.testAccuracy)}</strong>
      </p>
      <p className="hint">{t.stopReason(result.reason, result.epochsRun, result.seconds, BACKEND_LABELS[result.backend])}</p>
      <SaveWithWeights />
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
                  <button type="button" className="gallery-item" onClick={() => setPicked(m.index)} title={label} aria-label={`#${m.index}: ${label}`}>
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
      <div className="results-grid">
        <PredictionPanel classes={classes} shape={shape} testCount={testCount} picked={picked} />
        {drawable && <DrawPad shape={shape} classes={classes} />}
      </div>
    </section>
  );
}

function short(name: string | undefined): string {
  if (!name) return '?';
  return name.length > 6 ? `${name.slice(0, 5)}…` : name;
}

/** Downloads the design with its trained weights (the file format carries them). */
function SaveWithWeights() {
  const t = useTrainStrings();
  const design = useApp((s) => s.design);
  const weights = useApp((s) => s.weights);
  if (!design || !weights) return null;
  const save = () => {
    const blob = new Blob([serializeDesign(design, weights)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${(design.name || 'design').replace(/[^\w.-]+/g, '-').toLowerCase()}-trained.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <p className="weights-kept">
      {t.weightsKept}{' '}
      <button type="button" onClick={save}>
        {t.saveWithWeights}
      </button>
    </p>
  );
}
