import { formatFixLabel, formatIssue } from '../../graph/messages.ts';
import type { FitResult } from '../../train/fit-check.ts';
import { useApp } from '../store-context.ts';
import { useTrainStrings } from './train-strings.ts';

/** Each mismatch between the data and the network as a sentence, with a one-click fix where one exists. */
export function FitCheck({ fit }: { fit: FitResult | null }) {
  const t = useTrainStrings();
  const lang = useApp((s) => s.lang);
  const updateNodeParams = useApp((s) => s.updateNodeParams);
  return (
    <section className="train-card fit-check" aria-labelledby="fit-heading" data-testid="fit-check">
      <h3 id="fit-heading">{t.fit}</h3>
      {!fit && <p className="hint">{t.fitNoData}</p>}
      {/* Warnings do not stop training: the network and the data fit, and the warnings say what to know. */}
      {fit?.ok && <p className="fit-ok">✓ {t.fitOk}</p>}
      {fit && fit.issues.length > 0 && (
        <ul className="fit-issues">
          {fit.issues.map((issue, i) => (
            <li key={`${issue.code}-${i}`} className={issue.severity}>
              <span>{formatIssue(issue, lang)}</span>
              {issue.fix && (
                <button type="button" onClick={() => updateNodeParams(issue.fix!.nodeId, issue.fix!.params)}>
                  {t.fixButton(formatFixLabel(issue, lang) ?? '')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
