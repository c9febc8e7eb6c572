import { lazy, Suspense, useState } from 'react';
import { IssueList } from './IssueList.tsx';
import { LayerTable } from './LayerTable.tsx';
import { ShapeLayoutToggle } from './ShapeLayoutToggle.tsx';
import { useApp, useStrings } from './store-context.ts';
import { TotalsPanel } from './TotalsPanel.tsx';
import { useTrainStrings } from './train/train-strings.ts';

type Tab = 'layers' | 'train' | 'code';

// The code panel (exporters, zip, then Monaco) loads the first time its tab opens, never with the page.
const CodePanel = lazy(() => import('./code/CodePanel.tsx'));
// The training panel (charts, data picker, fit check) likewise loads when its tab first opens.
const TrainPanel = lazy(() => import('./train/TrainPanel.tsx').then((m) => ({ default: m.TrainPanel })));

export function DesignView() {
  const design = useApp((s) => s.design);
  const source = useApp((s) => s.source);
  const designIssues = useApp((s) => s.inference?.designIssues);
  const loading = useApp((s) => s.loading);
  const t = useStrings();
  const tt = useTrainStrings();
  const [tab, setTab] = useState<Tab>('layers');
  // Once opened, the code panel stays mounted (hidden) so returning to it is instant.
  const [codeOpened, setCodeOpened] = useState(false);
  if (tab === 'code' && !codeOpened) setCodeOpened(true);

  if (!design) return <p aria-live="polite">{loading ? t.loading : null}</p>;
  const tabs: { id: Tab; label: string }[] = [
    { id: 'layers', label: tt.tabLayers },
    { id: 'train', label: tt.tabTrain },
    { id: 'code', label: t.code },
  ];
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
      <div className="tabs" role="tablist" aria-label={design.name}>
        {tabs.map((x) => (
          <button
            key={x.id}
            type="button"
            role="tab"
            id={`tab-${x.id}`}
            aria-selected={tab === x.id}
            aria-controls={`panel-${x.id}`}
            tabIndex={tab === x.id ? 0 : -1}
            onClick={() => setTab(x.id)}
            onKeyDown={(e) => {
              if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
              const next = tabs[(tabs.findIndex((y) => y.id === tab) + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
              setTab(next.id);
              document.getElementById(`tab-${next.id}`)?.focus();
            }}
          >
            {x.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="panel-layers" aria-labelledby="tab-layers" hidden={tab !== 'layers'}>
        <ShapeLayoutToggle />
        <LayerTable />
      </div>
      {/* Mounted only when shown; the run and its results live in the training store, not here. */}
      <div role="tabpanel" id="panel-train" aria-labelledby="tab-train" hidden={tab !== 'train'}>
        {tab === 'train' && (
          <Suspense fallback={<p aria-live="polite">{t.loading}</p>}>
            <TrainPanel />
          </Suspense>
        )}
      </div>
      <div role="tabpanel" id="panel-code" aria-labelledby="tab-code" hidden={tab !== 'code'}>
        {codeOpened && (
          <Suspense fallback={<p aria-live="polite">{t.loading}</p>}>
            <CodePanel active={tab === 'code'} />
          </Suspense>
        )}
      </div>
    </article>
  );
}
