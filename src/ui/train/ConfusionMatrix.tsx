import { memo } from 'react';
import { useTrainStrings } from './train-strings.ts';

/** confusion[actual][predicted] as a heat-map table: darker = more images; the diagonal is right. */
export const ConfusionMatrix = memo(function ConfusionMatrix({ confusion, classes }: { confusion: readonly (readonly number[])[]; classes: readonly string[] }) {
  const t = useTrainStrings();
  const rowTotals = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  return (
    <div className="confusion-wrap">
      <table className="confusion" data-testid="confusion-matrix">
        <caption>
          {t.confusion}
          <span className="hint">{t.confusionCaption}</span>
        </caption>
        <thead>
          <tr>
            <th scope="col" className="corner">
              {t.actual} \ {t.predicted}
            </th>
            {classes.map((c) => (
              <th key={c} scope="col" title={c}>
                {short(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {confusion.map((row, a) => (
            <tr key={a}>
              <th scope="row" title={classes[a]}>
                {short(classes[a] ?? String(a))}
              </th>
              {row.map((n, p) => {
                const share = rowTotals[a] > 0 ? n / rowTotals[a] : 0;
                return (
                  <td
                    key={p}
                    className={a === p ? 'diag' : n > 0 ? 'off' : undefined}
                    style={{ background: cellColor(share, a === p) , color: share > 0.55 ? '#fff' : undefined }}
                    title={`${classes[a]} → ${classes[p]}: ${n}`}
                  >
                    {n}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});

function short(name: string): string {
  return name.length > 10 ? `${name.slice(0, 9)}…` : name;
}

/** Blue for correct, orange for confusions, by the share of the true class's images. */
function cellColor(share: number, diagonal: boolean): string {
  if (share <= 0) return 'transparent';
  const a = Math.min(1, 0.08 + share * 0.92);
  return diagonal ? `rgba(39, 86, 197, ${a})` : `rgba(217, 72, 15, ${Math.min(1, 0.15 + share * 2)})`;
}
