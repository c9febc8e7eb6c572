import { useMemo } from 'react';
import { formatCount } from '../graph/number-format.ts';
import { IssueList } from './IssueList.tsx';
import { layerRows } from './layer-rows.ts';
import { useApp, useStrings } from './store-context.ts';

export function LayerTable() {
  const design = useApp((s) => s.flat);
  const inference = useApp((s) => s.inference);
  const channelsFirst = useApp((s) => s.channelsFirst);
  const lang = useApp((s) => s.lang);
  const t = useStrings();
  const rows = useMemo(
    () => (design && inference ? layerRows(design, inference, channelsFirst) : []),
    [design, inference, channelsFirst],
  );
  if (!design) return null;
  const count = (n: number) => formatCount(n, lang);

  return (
    // A focusable scroll region, so keyboard users can scroll a wide table sideways.
    <div className="table-scroll" role="region" aria-labelledby="layer-caption" tabIndex={0}>
      <table className="layers">
        <caption id="layer-caption">{t.caption(design.name)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.colLayer}</th>
            <th scope="col">{t.colKind}</th>
            <th scope="col">{t.colSettings}</th>
            <th scope="col">{t.colShape}</th>
            <th scope="col" className="num">
              {t.colParams}
            </th>
            <th scope="col" className="num">
              {t.colFrozen}
            </th>
            <th scope="col" className="num">
              {t.colMacs}
            </th>
            <th scope="col">{t.colIssues}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-node-id={row.id} className={row.hasError ? 'has-error' : undefined}>
              <th scope="row">
                {row.name}
                {row.name !== row.id && <span className="node-id">{row.id}</span>}
              </th>
              <td className="kind">{row.kind}</td>
              <td className="settings">{row.settings}</td>
              <td className="shape">{row.shape ?? <span className="muted">{t.unknown}</span>}</td>
              <td className="num">{row.trainableParams === null ? '' : count(row.trainableParams)}</td>
              <td className="num">{row.nonTrainableParams ? count(row.nonTrainableParams) : ''}</td>
              <td className="num">{row.macs === null ? '' : count(row.macs)}</td>
              <td className="issue-cell">
                <IssueList issues={row.issues} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
