import { memo } from 'react';
import { linePath, niceTicks, scale, xExtent, yExtent, type Series } from './chart-geometry.ts';

const W = 360;
const H = 200;
const M = { top: 12, right: 12, bottom: 30, left: 44 };
const COLORS = ['#2756c5', '#d9480f'];

interface Props {
  readonly title: string;
  readonly series: readonly Series[];
  /** Spread the x axis to at least this many epochs. */
  readonly epochs: number;
  readonly xLabel: string;
  readonly yFixed?: { min?: number; max?: number };
  readonly format: (v: number) => string;
  /** Read by screen readers in place of the drawing. */
  readonly summary: string;
  readonly testId?: string;
}

/** A small SVG line chart: one line per series, the last one (validation) also with dots per epoch. */
export const LineChart = memo(function LineChart({ title, series, epochs, xLabel, yFixed, format, summary, testId }: Props) {
  const xd = xExtent(series, epochs);
  const yd = yExtent(series, yFixed);
  const x = scale(xd, M.left, W - M.right);
  const y = scale(yd, H - M.bottom, M.top);
  const xTicks = niceTicks(0, xd.max, Math.min(6, Math.max(1, Math.ceil(xd.max)))).filter((t) => Number.isInteger(t));
  const yTicks = niceTicks(yd.min, yd.max, 4);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="chart-legend" aria-hidden="true">
          {series.map((s, i) => (
            <span key={s.name} className="legend-item">
              <span className="legend-swatch" style={{ background: COLORS[i % COLORS.length] }} />
              {s.name}
            </span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={M.left - 6} y={y(t)} className="tick" textAnchor="end" dominantBaseline="middle">
              {format(t)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} x={x(t)} y={H - M.bottom + 14} className="tick" textAnchor="middle">
            {t}
          </text>
        ))}
        <text x={(M.left + W - M.right) / 2} y={H - 4} className="axis-label" textAnchor="middle">
          {xLabel}
        </text>
        <line x1={M.left} x2={M.left} y1={M.top} y2={H - M.bottom} className="axis" />
        <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} className="axis" />
        {series.map((s, i) => (
          <g key={s.name}>
            <path d={linePath(s.points, x, y)} fill="none" stroke={COLORS[i % COLORS.length]} strokeWidth={i === 0 ? 1.5 : 2} />
            {i > 0 &&
              s.points.map((p) => (
                <circle key={p.x} cx={x(p.x)} cy={y(p.y)} r={3} fill={COLORS[i % COLORS.length]} />
              ))}
          </g>
        ))}
      </svg>
    </figure>
  );
});
