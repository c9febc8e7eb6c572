/**
 * A collapsed block instance on the canvas: its name and definition, copies (×N, editable), input → output
 * shapes and the subtotal of the layers it unfolds to; one handle per port. Double-click unfolds it in
 * place. Memoised; data holds values only and the node dispatches through the store context itself.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useState } from 'react';
import { formatCount, formatCountShort, formatSI } from '../../graph/number-format.ts';
import { LockBadge } from '../lesson/LockControls.tsx';
import { useApp } from '../store-context.ts';
import { useEditorStrings } from './editor-strings.ts';
import { portHandle, type BlockFlowNode } from './flow-adapter.ts';

const spread = (i: number, n: number) => `${((i + 1) / (n + 1)) * 100}%`;

function BlockNodeView({ id, data }: NodeProps<BlockFlowNode>) {
  const lang = useApp((s) => s.lang);
  const setRepeat = useApp((s) => s.setBlockRepeat);
  const expand = useApp((s) => s.expandBlock);
  const t = useEditorStrings();
  const canRepeat = data.inputs.length === 1 && data.outputs.length === 1;
  const [draft, setDraft] = useState<string | null>(null);
  const commitRepeat = (text: string) => {
    setDraft(null);
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > 1000 || n === (data.repeat ?? 1)) return;
    setRepeat(id, n);
  };
  const shapes = (list: readonly (string | null)[]) => (list.length === 0 ? '–' : list.map((x) => x ?? '?').join(', '));
  return (
    <div
      className={`layer-node block-node${data.errors > 0 ? ' has-error' : ''}`}
      data-testid={`block-node-${id}`}
      title={t.expandHint}
      onDoubleClick={() => expand(id)}
    >
      {data.inputs.map((p, i) => (
        <Handle key={p} id={portHandle('in', p)} type="target" position={Position.Top} className="layer-handle" style={{ left: spread(i, data.inputs.length) }} title={p} />
      ))}
      <div className="layer-head">
        <span className="layer-name">{data.label ?? id}</span>
        <span className="layer-kind">{t.blockOf(data.block, data.repeat)}</span>
        <LockBadge nodeId={id} />
      </div>
      {/* Zoomed out, the face keeps what a layer keeps there: its name and what comes out (×N first). */}
      <div className="layer-shape block-compact">
        {data.repeat === null ? '' : `×${data.repeat} `}→ {shapes(data.outShapes)}
      </div>
      <div className="layer-summary block-shapes" data-testid={`block-shapes-${id}`}>
        {t.blockShapes(shapes(data.inShapes), shapes(data.outShapes))}
      </div>
      <div className="layer-foot">
        <span className="block-layers">{t.blockLayers(data.layers)}</span>
        {data.params > 0 && (
          <span className="layer-params" title={formatCount(data.params, lang)} data-testid={`block-params-${id}`}>
            {t.params(formatCountShort(data.params, lang))}
          </span>
        )}
        {data.macs !== null && data.macs > 0 && (
          <span className="layer-macs" title={`${formatCount(data.macs, lang)} ${t.macs}`} data-testid={`block-macs-${id}`}>
            {formatSI(data.macs, lang)} {t.macs}
          </span>
        )}
      </div>
      {canRepeat && (
        <label className="block-repeat nodrag" title={t.repeatHint}>
          {t.repeat} ×
          <input
            type="number"
            min={1}
            max={1000}
            aria-label={t.repeat}
            data-testid={`block-repeat-${id}`}
            value={draft ?? String(data.repeat ?? 1)}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={(e) => commitRepeat(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commitRepeat(e.currentTarget.value);
              if (e.key === 'Escape') setDraft(null);
            }}
            onDoubleClick={(e) => e.stopPropagation()}
          />
        </label>
      )}
      {data.outputs.map((p, i) => (
        <Handle key={p} id={portHandle('out', p)} type="source" position={Position.Bottom} className="layer-handle" style={{ left: spread(i, data.outputs.length) }} title={p} />
      ))}
    </div>
  );
}

export const BlockNode = memo(BlockNodeView);
