import type { Top5 } from '../../train/protocol.ts';
import { formatPercent } from './train-strings.ts';

/** The most likely classes with their probabilities, as labelled bars. */
export function Top5List({ top5, classes, title, testId }: { top5: readonly Top5[]; classes: readonly string[]; title: string; testId?: string }) {
  return (
    <div className="top5" data-testid={testId}>
      <h5>{title}</h5>
      <ol>
        {top5.map((t) => (
          <li key={t.classIndex}>
            <span className="top5-label">{classes[t.classIndex] ?? String(t.classIndex)}</span>
            <span className="top5-bar" aria-hidden="true">
              <span style={{ width: `${Math.max(0, Math.min(1, t.probability)) * 100}%` }} />
            </span>
            <span className="top5-p">{formatPercent(t.probability)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
