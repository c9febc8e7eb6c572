import { useState } from 'react';
import { kernelTile } from '../../train/look-protocol.ts';
import { PixelCanvas } from '../lab/PixelCanvas.tsx';
import { useApp } from '../store-context.ts';
import { filterRowRgba, formatValue, pageOf, rgbFilterRgba, tileAt, tileText } from './look-math.ts';
import { useLookStrings } from './look-strings.ts';
import { Legend } from './Legend.tsx';
import { Pager } from './Pager.tsx';
import { useLook } from './use-look.ts';

/** Filters per page: one row each. */
export const FILTERS_PER_PAGE = 16;
/** Input-channel tiles per line of a filter's image. */
const TILES_PER_LINE = 16;

/** Every learned kernel of a conv node: one row per filter, one tile per input channel, paged. */
export function FiltersView({ nodeId }: { readonly nodeId: string }) {
  const t = useLookStrings();
  const [page, setPage] = useState(0);
  const [hover, setHover] = useState<{ o: number; i: number } | null>(null);
  // First-layer filters on colour input are drawn as colour images.
  const readsInput = useApp((s) => {
    const src = s.flat?.edges.find((e) => e.target === nodeId)?.source;
    return s.flat?.nodes.find((n) => n.id === src)?.kind === 'Input';
  });
  const from = page * FILTERS_PER_PAGE;
  const { result, error, loading } = useLook(() => ({ kind: 'filters', nodeId, from, count: FILTERS_PER_PAGE }), `filters:${nodeId}:${from}`);
  if (error && !result) return <p role="alert" className="look-error">{error}</p>;
  if (!result) return <p className="look-hint">{loading ? t.loading : null}</p>;
  const [kh, kw, cin, cout] = result.shape;
  const paging = pageOf(cout, FILTERS_PER_PAGE, page);
  const rgb = readsInput && cin === 3;
  // Tiles a readable size whatever the kernel: up to 40 px wide, at least 3 px a weight, smaller when many.
  const tileWidth = Math.max(kw * 3, Math.min(cin > 8 ? 24 : 40, kw * 12));
  const range = result.maxAbs;
  const rows = Array.from({ length: result.count }, (_, o) => result.from + o);
  // The numbers under the pointer, read from the latest values (they move while training).
  const at = hover ? hover.o - result.from : -1;
  const shown =
    hover && at >= 0 && at < result.count
      ? { ...hover, text: rgb ? [0, 1, 2].map((c) => tileText(kernelTile(result, at, c), kw)).join('\n\n') : tileText(kernelTile(result, at, hover.i), kw) }
      : null;
  return (
    <div className="look-filters" data-testid="look-filters">
      <p className="look-hint">{t.filtersIntro(`${kh}×${kw}`, cin, cout)}</p>
      {rgb && <p className="look-hint">{t.filtersRgb}</p>}
      <Legend range={range} label={t.legend(formatValue(range))} />
      {paging.pages > 1 && (
        <Pager page={paging.page} pages={paging.pages} text={t.page(result.from, result.from + result.count - 1, cout)} testId="look-filters-page" onPage={setPage} />
      )}
      <div className={cin === 1 && !rgb ? 'look-filter-rows single' : 'look-filter-rows'}>
        {rows.map((o, r) => {
          if (rgb) {
            return (
              <div key={o} className="look-filter-row">
                <span className="look-row-label">{o}</span>
                <PixelCanvas
                  rgba={rgbFilterRgba(result, r)}
                  w={kw}
                  h={kh}
                  width={tileWidth}
                  label={t.filterRow(o)}
                  onPixel={() => setHover({ o, i: 0 })}
                />
              </div>
            );
          }
          // One image per filter, its tiles a line of up to TILES_PER_LINE: a page of VGG's 512×512 is 16 canvases, not 8,192.
          const tiles = Array.from({ length: cin }, (_, i) => kernelTile(result, r, i));
          const row = filterRowRgba(tiles, kh, kw, TILES_PER_LINE, range);
          // As large as fits the panel (about 240 px), 2 to 8 screen pixels a weight.
          const scale = Math.max(2, Math.min(8, Math.floor(240 / row.w)));
          return (
            <div key={o} className="look-filter-row" onMouseLeave={() => setHover(null)}>
              <span className="look-row-label">{o}</span>
              <PixelCanvas
                rgba={row.rgba}
                w={row.w}
                h={row.h}
                width={row.w * scale}
                label={t.filterRow(o)}
                onPixel={(y, x) => {
                  const i = tileAt(kh, kw, cin, TILES_PER_LINE, y, x);
                  if (i !== null) setHover({ o, i });
                }}
              />
            </div>
          );
        })}
      </div>
      {/* Below the tiles: a readout that grows above them would move the tile from under the pointer. */}
      <p className="look-hint look-readout" data-testid="look-tile-readout" aria-live="polite">
        {shown ? t.tileTitle(shown.o, shown.i, '') : t.hoverHint}
        {shown && <span className="look-tile-numbers">{shown.text}</span>}
      </p>
    </div>
  );
}
