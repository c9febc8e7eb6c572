/**
 * The canvas's commands for the mouse: undo, redo, delete, duplicate, tidy up (auto-layout), fit view, and
 * the shape layout switch. Each button's title names its keyboard shortcut.
 */
import { useReactFlow, useStore as useFlowStore } from '@xyflow/react';
import { useStore } from 'zustand';
import { useApp, useAppStore } from '../store-context.ts';
import { shortcutText, useEditorStrings } from './editor-strings.ts';
import type { LayerFlowNode, ShapeFlowEdge } from './flow-adapter.ts';
import { SHORTCUTS } from './use-shortcuts.ts';

export interface ToolbarProps {
  readonly onAutoLayout: () => void;
  readonly onFitView: () => void;
}

export function Toolbar({ onAutoLayout, onFitView }: ToolbarProps) {
  const app = useAppStore();
  const t = useEditorStrings();
  const canUndo = useStore(app.temporal, (s) => s.pastStates.length > 0);
  const canRedo = useStore(app.temporal, (s) => s.futureStates.length > 0);
  const selected = useApp((s) => s.selection.length);
  const blockSelected = useApp((s) => s.selection.some((id) => s.design?.instances?.some((i) => i.id === id) ?? false));
  const hasNodes = useApp((s) => (s.design?.nodes.length ?? 0) + (s.design?.instances?.length ?? 0) > 0);
  const tidying = useApp((s) => s.tidying);
  const channelsFirst = useApp((s) => s.channelsFirst);
  const setChannelsFirst = useApp((s) => s.setChannelsFirst);
  const edgeSelected = useFlowStore((s) => s.edges.some((e) => e.selected));
  const rf = useReactFlow<LayerFlowNode, ShapeFlowEdge>();
  const title = (label: string, keys: string) => t.withShortcut(label, shortcutText(keys));

  const remove = () => {
    // The selected connections live on the canvas only (the store selects layers).
    const edges = rf.getEdges().filter((e) => e.selected).map((e) => e.id);
    app.getState().removeElements(app.getState().selection, edges);
  };

  return (
    <div className="editor-toolbar" role="toolbar" aria-label={t.tools}>
      <div className="tool-group">
        <button type="button" className="tool" onClick={() => app.getState().undo()} disabled={!canUndo} title={title(t.undo, SHORTCUTS.undo)}>
          <span aria-hidden="true">↶</span> {t.undo}
        </button>
        <button type="button" className="tool" onClick={() => app.getState().redo()} disabled={!canRedo} title={title(t.redo, SHORTCUTS.redo)}>
          <span aria-hidden="true">↷</span> {t.redo}
        </button>
      </div>
      <div className="tool-group">
        <button type="button" className="tool" onClick={remove} disabled={selected === 0 && !edgeSelected} title={title(t.delete, SHORTCUTS.delete)}>
          <span aria-hidden="true">✕</span> {t.delete}
        </button>
        <button
          type="button"
          className="tool"
          onClick={() => app.getState().duplicateSelection()}
          disabled={selected === 0}
          title={title(t.duplicate, SHORTCUTS.duplicate)}
        >
          <span aria-hidden="true">⊞</span> {t.duplicate}
        </button>
      </div>
      <div className="tool-group">
        <button
          type="button"
          className="tool"
          data-testid="tool-group"
          onClick={() => app.getState().groupSelection()}
          disabled={selected === 0}
          title={title(t.groupHint, SHORTCUTS.group)}
        >
          <span aria-hidden="true">▣</span> {t.group}
        </button>
        <button
          type="button"
          className="tool"
          data-testid="tool-ungroup"
          onClick={() => app.getState().ungroupSelection()}
          disabled={!blockSelected}
          title={title(t.ungroupHint, SHORTCUTS.ungroup)}
        >
          <span aria-hidden="true">▢</span> {t.ungroup}
        </button>
      </div>
      <div className="tool-group">
        <button
          type="button"
          className="tool"
          data-testid="tool-tidy"
          onClick={onAutoLayout}
          disabled={!hasNodes || tidying}
          aria-busy={tidying}
          title={title(t.autoLayoutHint, SHORTCUTS.autoLayout)}
        >
          <span aria-hidden="true">⇅</span> {tidying ? t.autoLayoutBusy : t.autoLayout}
        </button>
        <button type="button" className="tool" onClick={onFitView} disabled={!hasNodes} title={title(t.fitView, SHORTCUTS.fitView)}>
          <span aria-hidden="true">⤢</span> {t.fitView}
        </button>
      </div>
      <div className="tool-group shape-switch" role="group" aria-label={t.shapes}>
        <button type="button" className="tool" aria-pressed={!channelsFirst} onClick={() => setChannelsFirst(false)} title={t.channelsLastHint}>
          {t.channelsLast}
        </button>
        <button type="button" className="tool" aria-pressed={channelsFirst} onClick={() => setChannelsFirst(true)} title={t.channelsFirstHint}>
          {t.channelsFirst}
        </button>
      </div>
    </div>
  );
}
