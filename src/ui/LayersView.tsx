/** The design as a table (torchinfo's summary): totals, problems with the whole design, one row per layer. */
import { IssueList } from './IssueList.tsx';
import { LayerTable } from './LayerTable.tsx';
import { ShapeLayoutToggle } from './ShapeLayoutToggle.tsx';
import { useApp, useStrings } from './store-context.ts';
import { TotalsPanel } from './TotalsPanel.tsx';

export function LayersView() {
  const designIssues = useApp((s) => s.inference?.designIssues);
  const t = useStrings();
  return (
    <div className="layers-view">
      <TotalsPanel />
      {designIssues && designIssues.length > 0 && (
        <section className="design-issues" aria-label={t.designIssues}>
          <IssueList issues={designIssues} />
        </section>
      )}
      <ShapeLayoutToggle />
      <LayerTable />
    </div>
  );
}
