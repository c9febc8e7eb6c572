/**
 * One Conv2D kernel slice's gradient on one real batch, drawn as the sum it is: a heat map of each
 * position's share, the per-position terms as tiles, and their sum beside the gradient TensorFlow.js
 * computes for the same batch. The worker computes the terms (src/graph/conv-gradient.ts); this view
 * only sums them for display and draws.
 */
import { memo, useMemo, useState } from 'react';
import { sumTerms, termNorms } from '../../graph/conv-gradient.ts';
import { PixelCanvas } from '../lab/PixelCanvas.tsx';
import { useApp } from '../store-context.ts';
import { useTraining } from '../train/training-context.ts';
import { divergingRgba, filterRowRgba, formatValue, tileText } from './look-math.ts';
import { useLookStrings } from './look-strings.ts';
import { Legend } from './Legend.tsx';
import { useLook } from './use-look.ts';
import type { KernelGradLook } from '../../train/look-protocol.ts';

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/**
 * A kernel-gradient look is a forward and backward pass over a whole batch, as dear as a training step
 * and more: during a run it is refreshed every few seconds, not every second, and on a network whose
 * steps take seconds it rests ten times as long as it took (LeNet-5 with a 256-filter conv1 trained
 * at 0.36-0.72 of its speed with this view open at one look every 4 s).
 */
export const KERNEL_GRAD_REFRESH_MS = 4000;
export const KERNEL_GRAD_REST_FACTOR = 10;

/** Memoised: the chart above it re-renders with every batch of gradient samples, this view only with its own look. */
export const KernelGradView = memo(function KernelGradView({ nodeId }: { readonly nodeId: string }) {
  const t = useLookStrings();
  const lang = useApp((s) => s.lang);
  const params = useApp((s) => s.flat?.nodes.find((n) => n.id === nodeId)?.params);
  const images = useTraining((s) => s.config.batchSize);
  const [filter, setFilter] = useState(0);
  const [channel, setChannel] = useState(0);
  const dilated = Array.isArray(params?.dilation_rate) && (params.dilation_rate as number[]).some((d) => d !== 1);
  const { result, error, loading } = useLook(
    dilated ? null : () => ({ kind: 'kernel-grad', nodeId, filter, channel, images }),
    `kernel-grad:${nodeId}:${filter}:${channel}:${images}`,
    { refreshMs: KERNEL_GRAD_REFRESH_MS, restFactor: KERNEL_GRAD_REST_FACTOR },
  );
  const drawn = useMemo(() => (result ? drawing(result) : null), [result]);
  const body = () => {
    if (dilated) return <p className="look-hint">{t.kgDilated}</p>;
    if (error && !result) return <p role="alert" className="look-error">{error}</p>;
    if (!result) return <p className="look-hint">{loading ? t.loading : null}</p>;
    const { sum, norms, range, mosaic, diff } = drawn!;
    const [kh, kw] = result.kernel;
    const [ho, wo] = result.grid;
    const positions = ho * wo;
    const count = positions.toLocaleString(lang === 'es' ? 'es-ES' : 'en-US');
    return (
      <>
        <p className="look-hint" data-testid="look-kg-intro">{t.kgIntro(`${kh}×${kw}`, `${ho}×${wo}`, positions, result.images)}</p>
        <Legend range={range} label={t.kgLegend(formatValue(range))} />
        <div className="look-kg-row">
          <figure>
            <PixelCanvas rgba={norms} w={wo} h={ho} width={Math.min(140, Math.max(70, wo * 4))} label={t.kgHeat} testId="look-kg-heat" />
            <figcaption>{t.kgHeat}</figcaption>
          </figure>
          <figure>
            <PixelCanvas rgba={mosaic.rgba} w={mosaic.w} h={mosaic.h} width={Math.min(300, Math.max(mosaic.w, 140))} label={t.kgTerms} testId="look-kg-terms" />
            <figcaption>{`${t.kgTerms} (${count})`}</figcaption>
          </figure>
        </div>
        <div className="look-kg-row">
          <figure data-testid="look-kg-sum">
            <figcaption>{`= ${t.kgSum}`}</figcaption>
            <span className="look-tile-numbers">{tileText(sum, kw)}</span>
          </figure>
          <figure data-testid="look-kg-tfjs">
            <figcaption>{t.kgTfjs}</figcaption>
            <span className="look-tile-numbers">{tileText(result.gradient, kw)}</span>
          </figure>
        </div>
        <p className="look-hint" data-testid="look-kg-diff">{t.kgDiff(formatValue(diff))}</p>
      </>
    );
  };
  const filters = result?.filters ?? (typeof params?.filters === 'number' ? params.filters : 1);
  const channels = result?.channels ?? null;
  return (
    <section className="look-kg" data-testid="look-kernel-grad">
      <h4>{t.kgTitle}</h4>
      <div className="look-kg-pick">
        <label>
          {t.kgFilter}{' '}
          <input type="number" min={0} max={filters - 1} value={filter} data-testid="look-kg-filter"
            onChange={(e) => setFilter(Math.max(0, Math.min(filters - 1, Math.floor(Number(e.target.value) || 0))))} />
        </label>
        <label>
          {t.kgChannel}{' '}
          <input type="number" min={0} max={channels === null ? undefined : channels - 1} value={channel} data-testid="look-kg-channel"
            onChange={(e) => setChannel(Math.max(0, Math.min((channels ?? 1) - 1, Math.floor(Number(e.target.value) || 0))))} />
        </label>
      </div>
      {body()}
    </section>
  );
});

/** What the view draws from one look: computed once per look, not per render. */
function drawing(result: KernelGradLook) {
  const [kh, kw] = result.kernel;
  const size = kh * kw;
  const positions = result.grid[0] * result.grid[1];
  const sum = sumTerms(result.terms, size);
  const norms = termNorms(result.terms, size);
  const tiles = Array.from({ length: positions }, (_, p) => result.terms.subarray(p * size, (p + 1) * size));
  const range = maxAbs(result.terms) || 1e-9;
  const mosaic = filterRowRgba(tiles, kh, kw, result.grid[1], range);
  let diff = 0;
  for (let i = 0; i < size; i++) diff = Math.max(diff, Math.abs(sum[i] - result.gradient[i]));
  return { sum, norms: divergingRgba(norms, maxAbs(norms)), range, mosaic, diff };
}
