import { ReactFlowProvider } from '@xyflow/react';
import { lazy, Suspense, useEffect, useState, type KeyboardEvent } from 'react';
import { EditorPane } from './editor/EditorPane.tsx';
import { FileMenu } from './files/FileMenu.tsx';
import { useEditorStrings } from './editor/editor-strings.ts';
import { NoticeToast } from './editor/NoticeToast.tsx';
import { Palette } from './editor/Palette.tsx';
import { RightPanel } from './editor/RightPanel.tsx';
import { StatusBar } from './editor/StatusBar.tsx';
import './editor/editor.css';
import { LanguageSelect } from './LanguageSelect.tsx';
import { LayersView } from './LayersView.tsx';
import { LoadProblemAlert } from './LoadProblemAlert.tsx';
import { useApp, useStrings } from './store-context.ts';
import { StopRunDialog } from './train/StopRunDialog.tsx';
import { useTrainStrings } from './train/train-strings.ts';
import { LAB_TAB } from './lab/lab-tab.ts';
import { PREFETCH_DELAY_MS, prefetchCode } from './code/prefetch.ts';

type View = 'design' | 'layers' | 'train' | 'lab' | 'code';

// The code panel (exporters, zip, then Monaco) is not in the first page: it is prefetched once the page is idle
// (code/prefetch.ts), else it loads the first time its tab opens.
const CodePanel = lazy(() => import('./code/CodePanel.tsx'));
// The training panel (charts, data picker, fit check) likewise loads when its tab first opens.
const TrainPanel = lazy(() => import('./train/TrainPanel.tsx').then((m) => ({ default: m.TrainPanel })));
// The kernel lab needs no design and no training; it loads when its tab first opens.
const KernelLab = lazy(() => import('./lab/KernelLab.tsx'));

/**
 * The page: header (brand, file menu, views, language); the layer palette, the canvas (or the layer
 * table, training, code) and the right-hand panel (inspector or design details); the status bar.
 * React Flow's provider wraps it all so the palette, toolbar and shortcuts can move the canvas's view.
 */
export function App() {
  const lang = useApp((s) => s.lang);
  const hasDesign = useApp((s) => s.design !== null);
  const loading = useApp((s) => s.loading);
  const t = useStrings();
  const tt = useTrainStrings();
  const te = useEditorStrings();
  const [view, setView] = useState<View>('design');
  // Once opened, the code panel stays mounted (hidden) so returning to it is instant.
  const [codeOpened, setCodeOpened] = useState(false);
  if (view === 'code' && !codeOpened) setCodeOpened(true);
  // The lab too, so a kernel being edited survives a look at the canvas.
  const [labOpened, setLabOpened] = useState(false);
  if (view === 'lab' && !labOpened) setLabOpened(true);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  // Once a design is on screen and the page has been quiet a while, fetch the Code tab (Monaco is several
  // MB) so its first opening is quick; a failure here is harmless, the tab retries when opened.
  useEffect(() => {
    if (!hasDesign || loading) return;
    const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 200));
    const cancelIdle = window.cancelIdleCallback ?? window.clearTimeout;
    let handle: number | undefined;
    const timer = window.setTimeout(() => {
      handle = idle(() => void prefetchCode().catch(() => undefined), { timeout: 5000 });
    }, PREFETCH_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      if (handle !== undefined) cancelIdle(handle);
    };
  }, [hasDesign, loading]);

  const views: { id: View; label: string }[] = [
    { id: 'design', label: te.tabDesign },
    { id: 'layers', label: tt.tabLayers },
    { id: 'train', label: tt.tabTrain },
    { id: 'lab', label: LAB_TAB[lang] },
    { id: 'code', label: t.code },
  ];
  const onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const at = views.findIndex((v) => v.id === view);
    const next = views[(at + (e.key === 'ArrowRight' ? 1 : views.length - 1)) % views.length];
    setView(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  return (
    <ReactFlowProvider>
      <div className={`app view-${view}`}>
        <a className="skip-link" href="#main">
          {t.skipToContent}
        </a>
        <header className="app-header">
          <h1 className="brand" title={t.tagline}>
            NetCanvas
          </h1>
          <div className="file-menu-slot">
            <FileMenu />
          </div>
          <div className="view-tabs" role="tablist" aria-label="NetCanvas">
            {views.map((x) => (
              <button
                key={x.id}
                type="button"
                role="tab"
                id={`tab-${x.id}`}
                aria-selected={view === x.id}
                aria-controls={`panel-${x.id}`}
                tabIndex={view === x.id ? 0 : -1}
                onClick={() => setView(x.id)}
                onKeyDown={onTabKey}
              >
                {x.label}
              </button>
            ))}
          </div>
          <LanguageSelect />
        </header>
        {view === 'design' && <Palette />}
        <main id="main" className="main" tabIndex={-1}>
          <LoadProblemAlert />
          {!hasDesign && <p aria-live="polite">{loading ? t.loading : null}</p>}
          <div role="tabpanel" id="panel-design" aria-labelledby="tab-design" hidden={view !== 'design'} className="panel panel-canvas">
            {/* Kept mounted when hidden: the view (pan, zoom) and what React Flow measured survive a visit to another tab. */}
            <EditorPane active={view === 'design'} />
          </div>
          <div role="tabpanel" id="panel-layers" aria-labelledby="tab-layers" hidden={view !== 'layers'} className="panel panel-page">
            {view === 'layers' && hasDesign && <LayersView />}
          </div>
          {/* Mounted only when shown; the run and its results live in the training store, not here. */}
          <div role="tabpanel" id="panel-train" aria-labelledby="tab-train" hidden={view !== 'train'} className="panel panel-page">
            {view === 'train' && hasDesign && (
              <Suspense fallback={<p aria-live="polite">{t.loading}</p>}>
                <TrainPanel />
              </Suspense>
            )}
          </div>
          <div role="tabpanel" id="panel-lab" aria-labelledby="tab-lab" hidden={view !== 'lab'} className="panel panel-page">
            {labOpened && (
              <Suspense fallback={<p aria-live="polite">{t.loading}</p>}>
                <KernelLab />
              </Suspense>
            )}
          </div>
          <div role="tabpanel" id="panel-code" aria-labelledby="tab-code" hidden={view !== 'code'} className="panel panel-page">
            {codeOpened && hasDesign && (
              <Suspense fallback={<p aria-live="polite">{t.loading}</p>}>
                <CodePanel active={view === 'code'} />
              </Suspense>
            )}
          </div>
        </main>
        <aside className="side-panel" aria-label={te.details}>
          <RightPanel />
        </aside>
        <StatusBar onShowLayer={() => setView('design')} />
        <NoticeToast />
        <StopRunDialog />
      </div>
    </ReactFlowProvider>
  );
}
