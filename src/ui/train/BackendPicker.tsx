import { BACKEND_LABELS } from '../../train/backend-choice.ts';
import { BACKENDS, type BackendChoice, type BackendMeasurement } from '../../train/protocol.ts';
import { useTraining } from './training-context.ts';
import { useTrainStrings } from './train-strings.ts';

const NONE: readonly BackendMeasurement[] = [];

/** Auto or a named backend; while and after a run, which one runs and what the others measured. */
export function BackendPicker({ disabled }: { disabled: boolean }) {
  const t = useTrainStrings();
  const choice = useTraining((s) => s.backendChoice);
  const setChoice = useTraining((s) => s.setBackendChoice);
  const backend = useTraining((s) => s.run?.backend ?? null);
  const measurements = useTraining((s) => s.run?.measurements ?? NONE);
  const pick = useTraining((s) => s.run?.pick ?? null);
  const best = Math.max(0, ...measurements.map((m) => m.samplesPerSec ?? 0));
  return (
    <section className="train-card backend" aria-labelledby="backend-heading">
      <h3 id="backend-heading">{t.backend}</h3>
      <select value={choice} disabled={disabled} aria-labelledby="backend-heading" data-testid="backend-choice" onChange={(e) => setChoice(e.target.value as BackendChoice)}>
        <option value="auto">{t.auto}</option>
        {BACKENDS.map((b) => (
          <option key={b} value={b}>
            {BACKEND_LABELS[b]}
          </option>
        ))}
      </select>
      {backend && (
        <p className="backend-active" data-testid="active-backend" data-backend={backend}>
          {t.runningOn(BACKEND_LABELS[backend])}
        </p>
      )}
      {backend && pick && (
        <p className="hint" data-testid="auto-why" data-pick={pick}>
          {t.autoWhy(pick, BACKEND_LABELS[backend])}
        </p>
      )}
      {measurements.length > 0 && (
        <table className="measurements" data-testid="measurements">
          <caption>{t.measured}</caption>
          <tbody>
            {measurements.map((m) => (
              <tr key={m.backend} data-backend={m.backend} className={m.backend === backend ? 'active' : undefined}>
                <th scope="row">{BACKEND_LABELS[m.backend]}</th>
                {m.samplesPerSec !== null ? (
                  <td>
                    <span className="speed-bar" aria-hidden="true">
                      <span style={{ width: `${best > 0 ? (m.samplesPerSec / best) * 100 : 0}%` }} />
                    </span>
                    {t.speed(m.samplesPerSec)}
                  </td>
                ) : (
                  <td className="hint">{m.missing ? t.missing[m.missing] : (m.error ?? '—')}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
