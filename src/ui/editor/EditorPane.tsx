/** The canvas with its toolbar and keyboard shortcuts (live only while the pane is shown). */
import { useCallback } from 'react';
import { useAppStore } from '../store-context.ts';
import { Canvas } from './Canvas.tsx';
import { Toolbar } from './Toolbar.tsx';
import { useCanvasView } from './use-canvas-view.ts';
import { useShortcuts } from './use-shortcuts.ts';

export function EditorPane({ active }: { readonly active: boolean }) {
  const app = useAppStore();
  const view = useCanvasView();
  const autoLayout = useCallback(() => {
    // Frame the tidied design once React Flow has the new positions (after the render that follows).
    void app
      .getState()
      .autoLayout()
      .then(() => requestAnimationFrame(() => requestAnimationFrame(() => view.frameDesign())));
  }, [app, view]);
  const fitView = useCallback(() => view.fitAll(), [view]);
  useShortcuts(active, { autoLayout, fitView });
  return (
    <div className="editor-pane">
      <Toolbar onAutoLayout={autoLayout} onFitView={fitView} />
      <Canvas active={active} />
    </div>
  );
}
