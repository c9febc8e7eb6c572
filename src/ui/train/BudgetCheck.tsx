import { formatBytes } from '../../graph/number-format.ts';
import { BACKEND_LABELS } from '../../train/backend-choice.ts';
import { useApp } from '../store-context.ts';
import { useBudgetFigures } from './budget-figures.ts';
import { useTraining } from './training-context.ts';
import { formatDuration, useTrainStrings } from './train-strings.ts';

/**
 * The budget check beside Train (issue 15): predicted memory with its parts, time per epoch, and a
 * warning with a one-click smaller batch when the device cannot hold the step. Advice only: it never
 * disables Train.
 */
export function BudgetCheck() {
  const t = useTrainStrings();
  const lang = useApp((s) => s.lang);
  const setConfig = useTraining((s) => s.setConfig);
  const config = useTraining((s) => s.config);
  const figures = useBudgetFigures();
  if (!figures) return null;
  const { advice, epochSeconds, measured } = figures;
  const { memory, ceiling, fix } = advice;
  const bytes = (n: number) => formatBytes(n, lang);
  // The browser reports device memory in GiB: say that figure too, so it can be recognised.
  const ceilingText = ceiling ? (ceiling.source === 'device-memory' ? `${bytes(ceiling.bytes)} (${String(ceiling.bytes / 2 ** 30).replace('.', lang === 'es' ? ',' : '.')} GiB)` : bytes(ceiling.bytes)) : '';
  const parts: [string, number, string][] = [
    [t.budgetWeights, memory.weights, 'weights'],
    [t.budgetOptimizerState, memory.optimizerState, 'optimizer-state'],
    [t.budgetTemporaries, memory.stepTemporaries, 'temporaries'],
    [t.budgetActivations(config.batchSize), memory.activations, 'activations'],
  ];
  return (
    <div className="budget-check" data-testid="budget-check" data-peak={memory.peak} data-ceiling={ceiling?.bytes ?? ''} data-ceiling-source={ceiling?.source ?? ''}>
      <details className="budget-memory">
        <summary>
          {t.budgetMemory}: <strong data-testid="budget-peak">{bytes(memory.peak)}</strong>
        </summary>
        <table className="budget-parts" aria-label={t.budgetMemory}>
          <tbody>
            {parts.map(([label, value, id]) => (
              <tr key={id} data-testid={`budget-${id}`}>
                <th scope="row">{label}</th>
                <td>{bytes(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <p className="budget-epoch" data-testid="budget-epoch" data-measured={measured ? measured.backend : ''}>
        {t.budgetEpoch}: <strong>{epochSeconds === null ? '—' : `${measured ? '' : '≈ '}${formatDuration(epochSeconds)}`}</strong>{' '}
        <span className="hint">({epochSeconds === null ? t.budgetNoData : measured ? t.budgetMeasured(BACKEND_LABELS[measured.backend]) : t.budgetEstimated})</span>
      </p>
      {ceiling && advice.over > 0 && (
        <div className="budget-warning" role="status" data-testid="budget-warning">
          <p>
            {ceiling.source === 'failed-run'
              ? t.budgetOverLearned(bytes(advice.checked), bytes(ceiling.bytes), ceiling.failedBatch)
              : t.budgetOver(ceiling.source, bytes(advice.checked), bytes(advice.over), ceilingText)}
          </p>
          {fix ? (
            <button type="button" data-testid="budget-fix" data-batch={fix.batchSize} data-optimizer={fix.optimizer} onClick={() => setConfig({ batchSize: fix.batchSize, optimizer: fix.optimizer })}>
              {fix.optimizer === config.optimizer ? t.budgetUseBatch(fix.batchSize) : t.budgetUseSgd(fix.batchSize)}
            </button>
          ) : (
            <p>{t.budgetNoFix}</p>
          )}
          <p className="hint">{t.budgetAdviceOnly}</p>
        </div>
      )}
    </div>
  );
}
