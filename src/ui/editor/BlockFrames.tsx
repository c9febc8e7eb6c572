/**
 * The frames around unfolded blocks (graph/block-frames.ts), drawn in the canvas's own coordinates behind
 * the layers: each around its members' boxes as React Flow has them (measured, or the layout's estimate
 * before they are), so a frame follows a drag as it happens. A frame is no node: it cannot be selected or
 * deleted, and clicks pass through it to the canvas, except on the outermost frame's Fold button.
 */
import { ViewportPortal } from '@xyflow/react';
import { memo, useMemo } from 'react';
import type { BlockFrame } from '../../graph/block-frames.ts';
import { DEFAULT_BOX, FRAME_HEAD, frameRects, type Rect } from '../../graph/layout-box.ts';
import { useAppStore } from '../store-context.ts';
import { useEditorStrings } from './editor-strings.ts';
import type { CanvasNode } from './flow-adapter.ts';

function BlockFramesView({ frames, nodes }: { readonly frames: readonly BlockFrame[]; readonly nodes: readonly CanvasNode[] }) {
  const t = useEditorStrings();
  const app = useAppStore();
  const boxes = useMemo(() => {
    if (frames.length === 0) return new Map<string, Rect>();
    const rects = new Map<string, Rect>();
    for (const n of nodes) rects.set(n.id, { ...n.position, width: n.measured?.width ?? DEFAULT_BOX.width, height: n.measured?.height ?? DEFAULT_BOX.height });
    return frameRects(frames, rects);
  }, [frames, nodes]);
  if (frames.length === 0) return null;
  const parents = new Map(frames.map((f) => [f.id, f.parent] as const));
  const depth = (f: BlockFrame) => {
    let d = 0;
    for (let p = f.parent; p !== null; p = parents.get(p) ?? null) d++;
    return d;
  };
  return (
    <ViewportPortal>
      {frames.map((f) => {
        const r = boxes.get(f.id);
        if (!r) return null;
        return (
          <div
            key={f.id}
            className={`block-frame depth-${Math.min(depth(f), 3)}${f.copy ? ' copy' : ''}`}
            data-testid={`block-frame-${f.id}`}
            style={{ transform: `translate(${r.x}px, ${r.y}px)`, width: r.width, height: r.height }}
          >
            <div className="block-frame-head" style={{ height: FRAME_HEAD }}>
              <span className="block-frame-name">{f.copy ? f.id : t.frameOf(f.id, f.block, f.repeat)}</span>
              {f.parent === null && (
                <button
                  type="button"
                  className="block-frame-fold nodrag nopan"
                  title={t.foldFrameHint(f.id)}
                  aria-label={t.foldFrameHint(f.id)}
                  data-testid={`block-frame-fold-${f.id}`}
                  onClick={() => app.getState().foldFrame(f.id)}
                >
                  {t.foldFrame}
                </button>
              )}
            </div>
          </div>
        );
      })}
    </ViewportPortal>
  );
}

export const BlockFrames = memo(BlockFramesView);
