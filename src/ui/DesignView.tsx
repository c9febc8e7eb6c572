import { IssueList } from './IssueList.tsx';
import { LayerTable } from './LayerTable.tsx';
import { ShapeLayoutToggle } from './ShapeLayoutToggle.tsx';
import { useApp, useStrings } from './store-context.ts';
import { TotalsPanel } from './TotalsPanel.tsx';

export function DesignView() {
  const design = useApp((s) => s.design);
  const source = useApp((s) => s.source);
  const designIssues = useApp((s) => s.inference?.designIssues);
  const loading = useApp((s) => s.loading);
  const t = useStrings();

  if (!design) return <p aria-live="polite">{loading ? t.loading : null}</p>;
  return (
    <article className="design" aria-labelledby="design-name">
      <header className="design-header">
        <p className="eyebrow">{source?.type === 'file' ? t.fromFile(source.name) : t.fromTemplate}</p>
        <h2 id="design-name">{design.name}</h2>
        {design.description && <p className="description">{design.description}</p>}
      </header>
      <div className="overview">
        <TotalsPanel />
        {design.notes && (
          <section className="notes" aria-labelledby="notes-heading">
            <h3 id="notes-heading">{t.notes}</h3>
            <p>{design.notes}</p>
          </section>
        )}
      </div>
      {designIssues && designIssues.length > 0 && (
        <section className="design-issues" aria-label={t.designIssues}>
          <IssueList issues={designIssues} />
        </section>
      )}
      <ShapeLayoutToggle />
      <LayerTable />
    </article>
  );
}
