/**
 * The Gradients view: every layer's gradient norm (solid) and update/weight ratio (dashed) over the run
 * on one log-scale chart, the selected layer drawn bold, with a plain-language hint for layers whose
 * gradients vanish or explode; for a Conv2D, below it, one kernel's gradient position by position. The
 * numbers come from the training worker (sampled between steps, sent about once a second).
 */
import { useMemo } from 'react';
import { gradientVerdicts } from '../../graph/gradient-health.ts';
import { isLayerKind, layerSpec } from '../../graph/layers/index.ts';
import { isRunning } from '../../store/training-store.ts';
import { useApp } from '../store-context.ts';
import { useTraining } from '../train/training-context.ts';
import { decadeTicks, linePath, logExtent, logPoints, scale } from '../train/chart-geometry.ts';
import { KernelGradView } from './KernelGradView.tsx';
import { formatValue } from './look-math.ts';
import { useLookStrings } from './look-strings.ts';

/** Colours for up to 10 layers (Tableau 10); more layers repeat them. */
const COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const W = 300;
const H = 180;
const PAD = { left: 40, right: 8, top: 8, bottom: 22 };

export function GradientsView({ nodeId }: { readonly nodeId: string }) {
  const t = useLookStrings();
  const history = useTraining((s) => s.run?.gradients ?? null);
  const running = useTraining((s) => isRunning(s.run));
  const nodes = useApp((s) => s.flat?.nodes);
  const nameOf = (id: string) => nodes?.find((n) => n.id === id)?.label ?? id;
  // Judged once per batch of samples, not per render.
  const verdicts = useMemo(
    () => (history ? gradientVerdicts(history.nodeIds.map((id, l) => ({ nodeId: id, grad: history.grad[l], ratio: history.ratio[l] }))) : []),
    [history],
  );
  if (!history || history.x.length === 0) {
    return (
      <div data-testid="look-gradients">
        <p className="look-hint">{t.gradWaiting}</p>
        <KernelGradPart nodeId={nodeId} />
      </div>
    );
  }
  const series = history.nodeIds.flatMap((id, l) => [
    { name: `${id}:grad`, points: logPoints(history.x, history.grad[l]) },
    { name: `${id}:ratio`, points: logPoints(history.x, history.ratio[l]) },
  ]);
  const ys = logExtent(series);
  const yDomain = { min: Math.floor(ys.min), max: Math.max(Math.ceil(ys.max), Math.floor(ys.min) + 1) };
  const xDomain = { min: history.x[0], max: Math.max(history.x[history.x.length - 1], history.x[0] + 1e-6) };
  const x = scale(xDomain, PAD.left, W - PAD.right);
  const y = scale(yDomain, H - PAD.bottom, PAD.top);
  return (
    <div data-testid="look-gradients">
      <p className="look-hint">{t.gradIntro}</p>
      {!running && <p className="look-hint">{t.gradFromRun}</p>}
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={t.gradChart(history.nodeIds.length)} data-testid="look-gradients-chart" className="look-grad-chart">
        {decadeTicks(yDomain.min, yDomain.max).map((k) => (
          <g key={k}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(k)} y2={y(k)} stroke="#e3e3e3" />
            <text x={PAD.left - 4} y={y(k) + 3} textAnchor="end" fontSize="9">{`1e${k}`}</text>
          </g>
        ))}
        <text x={(PAD.left + W - PAD.right) / 2} y={H - 4} textAnchor="middle" fontSize="9">
          {`${t.gradEpoch} ${formatValue(xDomain.min)} – ${formatValue(xDomain.max)}`}
        </text>
        {history.nodeIds.map((id, l) => {
          const colour = COLOURS[l % COLOURS.length];
          const bold = id === nodeId ? 2.5 : 1.2;
          return (
            <g key={id} data-testid="look-gradients-layer" data-node={id}>
              <path d={linePath(series[l * 2].points, x, y)} fill="none" stroke={colour} strokeWidth={bold} />
              <path d={linePath(series[l * 2 + 1].points, x, y)} fill="none" stroke={colour} strokeWidth={bold} strokeDasharray="4 3" />
            </g>
          );
        })}
      </svg>
      <ul className="look-grad-legend">
        {history.nodeIds.map((id, l) => (
          <li key={id} className={id === nodeId ? 'selected' : undefined}>
            <span className="look-grad-swatch" style={{ background: COLOURS[l % COLOURS.length] }} />
            {nameOf(id)}
          </li>
        ))}
        <li>
          <svg width="24" height="6" aria-hidden="true"><line x1="0" x2="24" y1="3" y2="3" stroke="#333" strokeWidth="1.5" /></svg>
          {t.gradNorm}
        </li>
        <li>
          <svg width="24" height="6" aria-hidden="true"><line x1="0" x2="24" y1="3" y2="3" stroke="#333" strokeWidth="1.5" strokeDasharray="4 3" /></svg>
          {t.gradRatio}
        </li>
      </ul>
      <div data-testid="look-gradients-hints" aria-live="polite">
        {verdicts.length === 0 ? (
          <p className="look-hint">{t.gradHealthy}</p>
        ) : (
          verdicts.map((v) => (
            <p key={v.nodeId} className="look-error" data-trouble={v.trouble}>
              {v.trouble === 'vanishing' ? t.gradVanishing(nameOf(v.nodeId), formatValue(v.grad)) : t.gradExploding(nameOf(v.nodeId), formatValue(v.grad), formatValue(v.ratio))}
            </p>
          ))
        )}
      </div>
      <KernelGradPart nodeId={nodeId} />
    </div>
  );
}

/**
 * Below the chart: a Conv2D (one group) shows one kernel's gradient by position; another layer that
 * slides a kernel says in words why it does not (its gradient is no single sum over positions of one slice).
 */
function KernelGradPart({ nodeId }: { readonly nodeId: string }) {
  const t = useLookStrings();
  const node = useApp((s) => s.flat?.nodes.find((n) => n.id === nodeId));
  if (!node || !isLayerKind(node.kind) || !layerSpec(node.kind).filters) return null;
  const grouped = typeof node.params.groups === 'number' && node.params.groups > 1;
  if (node.kind === 'Conv2D' && !grouped) return <KernelGradView nodeId={nodeId} />;
  return (
    <p className="look-hint" data-testid="look-kg-refused">
      {t.kgOnlyConv2D(grouped ? `Conv2D (groups = ${node.params.groups})` : node.kind)}
    </p>
  );
}
