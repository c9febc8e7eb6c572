/**
 * "Look inside" the selected layer, in the inspector: its filters, its feature maps for an input, the
 * test images that excite one of its channels, and the gradients of every layer during a run. Everything is computed by the training worker on its own
 * model (live during a run); this panel only asks and draws. Loaded on first use, with the views.
 */
import { useId, useState } from 'react';
import { isLayerKind, layerSpec } from '../../graph/layers/index.ts';
import { isRunning } from '../../store/training-store.ts';
import { useApp } from '../store-context.ts';
import { useTraining } from '../train/training-context.ts';
import { FeatureMapsView } from './FeatureMapsView.tsx';
import { FiltersView } from './FiltersView.tsx';
import { GradientsView } from './GradientsView.tsx';
import { useLookStrings } from './look-strings.ts';
import { TopImagesView } from './TopImagesView.tsx';
import '../lab/lab.css';
import './look.css';

type Tab = 'filters' | 'maps' | 'top' | 'gradients';

export default function LookPanel({ nodeId }: { readonly nodeId: string }) {
  const t = useLookStrings();
  const base = useId();
  const kind = useApp((s) => s.flat?.nodes.find((n) => n.id === nodeId)?.kind);
  const hasWeights = useApp((s) => s.weights !== null);
  const running = useTraining((s) => isRunning(s.run));
  const hasFilters = !!kind && isLayerKind(kind) && !!layerSpec(kind).filters;
  const tabs: { id: Tab; label: string }[] = [
    ...(hasFilters ? [{ id: 'filters' as const, label: t.tabFilters }] : []),
    { id: 'maps', label: t.tabMaps },
    ...(kind !== 'Input' ? [{ id: 'top' as const, label: t.tabTop }] : []),
    { id: 'gradients', label: t.tabGradients },
  ];
  const [chosen, setTab] = useState<Tab>(hasFilters ? 'filters' : 'maps');
  const tab = tabs.some((x) => x.id === chosen) ? chosen : tabs[0].id;
  return (
    <section className="look" aria-labelledby={`${base}-look`} data-testid="look-panel">
      <h3 id={`${base}-look`}>{t.title}</h3>
      <p className="look-hint">{t.intro}</p>
      {!hasWeights && !running ? (
        <p className="look-hint" data-testid="look-needs-model">{t.needsModel}</p>
      ) : (
        <>
          <div role="tablist" className="look-tabs" aria-label={t.title}>
            {tabs.map((x) => (
              <button
                key={x.id}
                type="button"
                role="tab"
                id={`${base}-tab-${x.id}`}
                aria-selected={tab === x.id}
                aria-controls={`${base}-panel`}
                data-testid={`look-tab-${x.id}`}
                onClick={() => setTab(x.id)}
              >
                {x.label}
              </button>
            ))}
          </div>
          {running && <p className="look-hint look-live">{t.live}</p>}
          <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${tab}`}>
            {tab === 'filters' && <FiltersView nodeId={nodeId} />}
            {tab === 'maps' && <FeatureMapsView nodeId={nodeId} />}
            {tab === 'top' && <TopImagesView nodeId={nodeId} />}
            {tab === 'gradients' && <GradientsView nodeId={nodeId} />}
          </div>
        </>
      )}
    </section>
  );
}
