/**
 * One layer on the canvas: kind, name, key parameters, output shape and parameter count, and what is wrong
 * with it (red or amber border, the first message, a one-click fix where the issue offers one). Memoised;
 * its data holds values only, and it dispatches through the store context itself.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { isLayerKind, layerSpec } from '../../graph/layers/index.ts';
import { headlineIssue as headline } from '../../graph/layout-box.ts';
import { formatFixLabel, formatIssue } from '../../graph/messages.ts';
import type { Lang } from '../../graph/types.ts';
import { formatCount, formatCountShort } from '../../graph/number-format.ts';
import { NodeThumbnail } from '../look/NodeThumbnail.tsx';
import { LockBadge } from '../lesson/LockControls.tsx';
import { useApp } from '../store-context.ts';
import { useEditorStrings } from './editor-strings.ts';
import type { LayerFlowNode } from './flow-adapter.ts';

/** The kind's title in the page's language ("Entrada"); a gloss in brackets ("Dense (totalmente conectada)") stays for the tooltip. */
function kindTitle(kind: string, lang: Lang): string {
  return isLayerKind(kind) ? layerSpec(kind).title[lang] : kind;
}
function kindBadge(kind: string, lang: Lang): string {
  return kindTitle(kind, lang).replace(/ \(.*\)$/, '');
}

function LayerNodeView({ id, data }: NodeProps<LayerFlowNode>) {
  const lang = useApp((s) => s.lang);
  const applyFix = useApp((s) => s.applyFix);
  const t = useEditorStrings();
  const issue = headline(data.issues);
  const more = data.issues.length - (issue ? 1 : 0);
  const fixLabel = issue ? formatFixLabel(issue, lang) : undefined;
  const total = data.params ? data.params.trainable + data.params.nonTrainable : 0;
  const classes = ['layer-node', `cat-${data.category}`, data.severity ? `has-${data.severity}` : ''].filter(Boolean).join(' ');

  return (
    <div className={classes} data-testid={`layer-node-${id}`}>
      {data.takesInput && <Handle type="target" position={Position.Top} className="layer-handle" />}
      <div className="layer-head">
        <span className="layer-name" title={data.label ? id : undefined}>
          {data.label ?? id}
        </span>
        <span className="layer-kind" title={kindTitle(data.kind, lang)}>
          {kindBadge(data.kind, lang)}
        </span>
        <LockBadge nodeId={id} />
      </div>
      {data.summary && <div className="layer-summary">{data.summary}</div>}
      <div className="layer-foot">
        <span className="layer-shape" title={t.outputShape} data-testid={`node-shape-${id}`}>
          → {data.shape ?? '?'}
        </span>
        {data.params && total > 0 && (
          <span
            className="layer-params"
            title={t.paramsHint(formatCount(data.params.trainable, lang), formatCount(data.params.nonTrainable, lang))}
          >
            {t.params(formatCountShort(total, lang))}
          </span>
        )}
      </div>
      <NodeThumbnail nodeId={id} label={t.outputShape} />
      {issue && (
        <div className={`layer-issue ${issue.severity}`}>
          <p className="layer-issue-text" title={data.issues.map((i) => formatIssue(i, lang)).join('\n')}>
            <span aria-hidden="true">{issue.severity === 'error' ? '✖ ' : '⚠ '}</span>
            {formatIssue(issue, lang)}
            {more > 0 && <span className="layer-issue-more"> (+{more})</span>}
          </p>
          {issue.fix && fixLabel && (
            <button type="button" className="layer-fix nodrag" onClick={() => applyFix(id, issue.fix!)}>
              {t.fix(fixLabel)}
            </button>
          )}
        </div>
      )}
      <Handle type="source" position={Position.Bottom} className="layer-handle" />
    </div>
  );
}

export const LayerNode = memo(LayerNodeView);
