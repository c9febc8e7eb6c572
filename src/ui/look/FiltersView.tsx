import { useState } from 'react';
import { kernelTile } from '../../train/look-protocol.ts';
import { PixelCanvas } from '../lab/PixelCanvas.tsx';
import { useApp } from '../store-context.ts';
import { divergingRgba, formatValue, pageOf, rgbFilterRgba, tileText } from './look-math.ts';
import { useLookStrings } from './look-strings.ts';
import { Legend } from './Legend.tsx';
import { useLook } from './use-look.ts';

/** Filters per page: one row each. */
export const FILTERS_PER_PAGE = 16;

/** Every learned kernel of a conv node: one row per filter, one tile per input channel, paged. */
export function FiltersView({ nodeId }: { readonly nodeId: string }) {
  const t = useLookStrings();
  const [page, setPage] = useState(0);
  // First-layer filters on colour input are drawn as colour images.
  const readsInput = useApp((s) => {
    const src = s.design?.edges.find((e) => e.target === nodeId)?.source;
    return s.design?.nodes.find((n) => n.id === src)?.kind === 'Input';
  });
  const from = page * FILTERS_PER_PAGE;
  const { result, error, loading } = useLook(() => ({ kind: 'filters', nodeId, from, count: FILTERS_PER_PAGE }), `filters:${nodeId}:${from}`);
  if (error && !result) return <p role="alert" className="look-error">{error}</p>;
  if (!result) return <p className="look-hint">{loading ? t.loading : null}</p>;
  const [kh, kw, cin, cout] = result.shape;
  const paging = pageOf(cout, FILTERS_PER_PAGE, page);
  const rgb = readsInput && cin === 3;
  // Tiles a readable size whatever the kernel: about 36 px wide, at least 4 px a weight.
  const tileWidth = Math.max(kw * 4, Math.min(40, kw * 12));
  const range = result.maxAbs;
  const rows = Array.from({ length: result.count }, (_, o) => result.from + o);
  return (
    <div className="look-filters" data-testid="look-filters">
      <p className="look-hint">{t.filtersIntro(`${kh}×${kw}`, cin, cout)}</p>
      {rgb && <p className="look-hint">{t.filtersRgb}</p>}
      <Legend range={range} label={t.legend(formatValue(range))} />
      {paging.pages > 1 && (
        <div className="look-pager">
          <button type="button" disabled={paging.page === 0} onClick={() => setPage(paging.page - 1)}>
            {t.previous}
          </button>
          <span data-testid="look-filters-page">{t.page(result.from, result.from + result.count - 1, cout)}</span>
          <button type="button" disabled={paging.page >= paging.pages - 1} onClick={() => setPage(paging.page + 1)}>
            {t.next}
          </button>
        </div>
      )}
      <div className={cin === 1 && !rgb ? 'look-filter-rows single' : 'look-filter-rows'}>
        {rows.map((o, r) => (
          <div key={o} className="look-filter-row">
            <span className="look-row-label">{o}</span>
            {rgb ? (
              <span title={t.tileTitle(o, 0, [0, 1, 2].map((c) => tileText(kernelTile(result, r, c), kw)).join('\n\n'))}>
                <PixelCanvas rgba={rgbFilterRgba(result, r)} w={kw} h={kh} width={tileWidth} label={t.filterRow(o)} />
              </span>
            ) : (
              Array.from({ length: cin }, (_, i) => {
                const tile = kernelTile(result, r, i);
                return (
                  <span key={i} title={t.tileTitle(o, i, tileText(tile, kw))} className="look-tile">
                    <PixelCanvas rgba={divergingRgba(tile, range)} w={kw} h={kh} width={tileWidth} label={t.tileTitle(o, i, '')} />
                  </span>
                );
              })
            )}
          </div>
        ))}
      </div>
    </div>
  );
}
