/**
 * A connection, labelled with the tensor it carries (its source's output shape, in the chosen layout) and,
 * into a merge layer, with its input slot, so Concatenate's order is visible. Memoised like the nodes.
 */
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { useEditorStrings } from './editor-strings.ts';
import type { ShapeFlowEdge } from './flow-adapter.ts';

function ShapeEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd, style }: EdgeProps<ShapeFlowEdge>) {
  const t = useEditorStrings();
  const [path, midX, midY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const slot = data?.slot ?? null;
  // A merge input's label sits nearer its target, where the inputs converge, so each number reads as a slot.
  const x = slot === null ? midX : (midX + targetX) / 2;
  const y = slot === null ? midY : (midY + targetY) / 2;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} interactionWidth={18} />
      <EdgeLabelRenderer>
        <div
          className={`edge-label${selected ? ' selected' : ''}${data?.shape ? '' : ' unknown'}`}
          data-testid={`edge-label-${id}`}
          style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}
        >
          {slot !== null && (
            <span className="edge-slot" title={t.slot(slot)}>
              {slot}
            </span>
          )}
          <span className="edge-shape">{data?.shape ?? '?'}</span>
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
