/** The canvas with its toolbar and keyboard shortcuts (live only while the pane is shown). */
import { useReactFlow } from '@xyflow/react';
import { useCallback } from 'react';
import { useAppStore } from '../store-context.ts';
import { Canvas } from './Canvas.tsx';
import { Toolbar } from './Toolbar.tsx';
import { useCanvasView } from './use-canvas-view.ts';
import { useShortcuts } from './use-shortcuts.ts';
import { zoomText } from './zoom-text.ts';

export function EditorPane({ active }: { readonly active: boolean }) {
  const app = useAppStore();
  const view = useCanvasView();
  const rf = useReactFlow();
  const autoLayout = useCallback(() => {
    if (app.getState().tidying) return;
    // The boxes as drawn (a layer showing an error is taller), so the layout leaves room for each; only
    // when faces are drawn in full: zoomed out they show enlarged compact text, not the size they have.
    const full = zoomText(rf.getZoom()) === 'full';
    const measured = new Map(
      rf.getNodes().flatMap((n) => (full && n.measured?.width && n.measured.height ? [[n.id, { width: n.measured.width, height: n.measured.height }] as const] : [])),
    );
    // Frame the tidied design once React Flow has the new positions (after the render that follows).
    void app
      .getState()
      .autoLayout(measured)
      .then(() => requestAnimationFrame(() => requestAnimationFrame(() => view.frameDesign())));
  }, [app, view, rf]);
  const fitView = useCallback(() => view.fitAll(), [view]);
  useShortcuts(active, { autoLayout, fitView });
  return (
    <div className="editor-pane">
      <Toolbar onAutoLayout={autoLayout} onFitView={fitView} />
      <Canvas active={active} />
    </div>
  );
}
