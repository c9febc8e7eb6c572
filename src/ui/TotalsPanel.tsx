import { formatBytes, formatCount, formatSI } from '../graph/number-format.ts';
import { useApp, useStrings } from './store-context.ts';

export function TotalsPanel() {
  const totals = useApp((s) => s.inference?.totals);
  const lang = useApp((s) => s.lang);
  const t = useStrings();
  if (!totals) return null;
  const items: readonly { key: string; term: string; value: string; hint?: string }[] = [
    { key: 'total-params', term: t.totalParams, value: formatCount(totals.totalParams, lang) },
    { key: 'trainable-params', term: t.trainableParams, value: formatCount(totals.trainableParams, lang) },
    { key: 'non-trainable-params', term: t.nonTrainableParams, value: formatCount(totals.nonTrainableParams, lang) },
    { key: 'macs', term: t.macs, value: formatSI(totals.macs, lang), hint: formatCount(totals.macs, lang) },
    { key: 'memory', term: t.memory, value: formatBytes(totals.activationBytes, lang) },
  ];
  return (
    <section className="totals" aria-labelledby="totals-heading">
      <h3 id="totals-heading">
        {t.totals}
        <span className={totals.errors > 0 ? 'count has-errors' : 'count'}>
          {t.issueCount(totals.errors, totals.warnings)}
        </span>
      </h3>
      <dl>
        {items.map((item) => (
          <div key={item.key} className="total">
            <dt>{item.term}</dt>
            <dd data-testid={item.key} title={item.hint}>
              {item.value}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
