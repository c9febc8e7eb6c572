import type { LossKind } from '../../train/protocol.ts';
import { useTraining } from './training-context.ts';
import { useTrainStrings } from './train-strings.ts';

/** Weights that came with the design: measure them on the loaded data (then predict and draw) without training. */
export function SavedWeights({ loss }: { loss: LossKind | null }) {
  const t = useTrainStrings();
  const summary = useTraining((s) => s.dataSummary);
  const evaluating = useTraining((s) => s.evaluating);
  const evaluate = useTraining((s) => s.evaluate);
  return (
    <section className="train-card saved-weights" aria-labelledby="saved-weights-heading" data-testid="saved-weights">
      <h3 id="saved-weights-heading">{t.savedWeights}</h3>
      <p>{t.savedWeightsBody}</p>
      {summary && loss ? (
        <button type="button" className="primary" disabled={evaluating} onClick={() => void evaluate(loss)} data-testid="evaluate-weights">
          {evaluating ? t.evaluating : t.evaluate(summary.name)}
        </button>
      ) : (
        <p className="hint">{t.chooseDataFirst}</p>
      )}
    </section>
  );
}
