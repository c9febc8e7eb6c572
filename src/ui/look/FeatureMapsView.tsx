import { useEffect, useMemo, useState } from 'react';
import { inputImageShape } from '../../train/input-shape.ts';
import { channelPlane, type ActivationsLook, type LookInput, type NodeActivation } from '../../train/look-protocol.ts';
import { browserImageDecoder } from '../../train/datasets/decode-image.ts';
import { PixelCanvas } from '../lab/PixelCanvas.tsx';
import { useApp } from '../store-context.ts';
import { useTraining } from '../train/training-context.ts';
import { activationRange, divergingRgba, formatValue, imageRgba, mapsPerPage, MAX_MAPS_PER_PAGE, pageOf, thumbnailRgba } from './look-math.ts';
import { useLookStrings, type LookStrings } from './look-strings.ts';
import { inputKey, lookViewStore, useLookView, type ChosenInput, type Thumb } from './look-view-store.ts';
import { MiniDrawPad } from './MiniDrawPad.tsx';
import { Pager } from './Pager.tsx';
import { useLook } from './use-look.ts';

function lookInput(input: ChosenInput): LookInput {
  // A copy each time: the request hands its buffer to the worker.
  return input.kind === 'test' ? { testIndex: input.index } : { pixels: new Float32Array(input.pixels) };
}

/** The selected layer's activations for one input (test image, drawing, upload), and the class scores. */
export function FeatureMapsView({ nodeId }: { readonly nodeId: string }) {
  const t = useLookStrings();
  const input = useLookView((s) => s.input);
  const thumbnailsOn = useLookView((s) => s.thumbnailsOn);
  const summary = useTraining((s) => s.dataSummary);
  const inputParams = useApp((s) => s.flat?.nodes.find((n) => n.kind === 'Input')?.params.shape as readonly number[] | undefined);
  const shape = useMemo(() => inputImageShape(inputParams), [inputParams]);
  const allIds = useApp((s) => s.flat?.nodes.filter((n) => n.kind !== 'Input').map((n) => n.id).join(',') ?? '');
  // A page of the layer's maps, sized by their inferred size; a newly selected layer starts at its first page.
  const perPage = useApp((s) => {
    const out = s.inference?.nodes.get(nodeId)?.outputShape;
    return out && out.length === 3 ? mapsPerPage(out[0], out[1]) : MAX_MAPS_PER_PAGE;
  });
  const [paging, setPaging] = useState({ nodeId, page: 0 });
  const page = paging.nodeId === nodeId ? paging.page : 0;
  const channels = { from: page * perPage, count: perPage };
  const noTest = input.kind === 'test' && !summary;
  const { result, error, loading } = useLook(
    noTest ? null : () => ({ kind: 'activations', nodeIds: [nodeId], input: lookInput(input), thumbnails: thumbnailsOn ? allIds.split(',').filter(Boolean) : [], channels }),
    `maps:${nodeId}:${channels.from}:${channels.count}:${inputKey(input)}:${thumbnailsOn ? allIds : ''}:${summary?.fingerprint ?? ''}`,
  );

  useEffect(() => {
    if (!thumbnailsOn || !result) return;
    const thumbs = new Map<string, Thumb>();
    for (const n of result.thumbnails) {
      const th = thumbnailRgba(n);
      if (th) thumbs.set(n.nodeId, th);
    }
    lookViewStore.getState().setThumbs(thumbs);
  }, [result, thumbnailsOn]);

  const node = result?.nodes.find((n) => n.nodeId === nodeId) ?? null;
  return (
    <div className="look-maps" data-testid="look-maps">
      <InputPicker t={t} shape={shape} testCount={summary?.testCount ?? 0} input={input} />
      <label className="look-toggle">
        <input type="checkbox" checked={thumbnailsOn} onChange={(e) => lookViewStore.getState().setThumbnailsOn(e.target.checked)} data-testid="look-thumbnails" />
        {t.thumbnails}
      </label>
      {noTest && <p className="look-hint">{t.needsData}</p>}
      {error && <p role="alert" className="look-error">{error}</p>}
      {!result && loading && <p className="look-hint">{t.loading}</p>}
      {result && (
        <>
          <div className="look-input-row">
            <PixelCanvas rgba={imageRgba(result.pixels, result.inputShape)} w={result.inputShape[1] ?? result.pixels.length} h={result.inputShape[0] ?? 1} width={84} label={t.input} testId="look-input-image" />
            {result.label !== null && summary && <p className="look-hint">{t.label(summary.classes[result.label] ?? String(result.label))}</p>}
          </div>
          {node ? <Activation a={node} t={t} perPage={perPage} onPage={(p) => setPaging({ nodeId, page: p })} /> : <p className="look-hint">{t.noMaps}</p>}
          <Scores look={result} classes={summary?.classes ?? []} t={t} />
        </>
      )}
    </div>
  );
}

function InputPicker({ t, shape, testCount, input }: { t: LookStrings; shape: readonly number[]; testCount: number; input: ChosenInput }) {
  const [index, setIndex] = useState(input.kind === 'test' ? input.index : 0);
  const [mode, setMode] = useState<'test' | 'draw'>(input.kind === 'pixels' && input.source === 'draw' ? 'draw' : 'test');
  const [problem, setProblem] = useState<string | null>(null);
  const set = lookViewStore.getState().setInput;
  const serial = () => Date.now() + Math.random();
  const upload = async (file: File) => {
    try {
      const bytes = await browserImageDecoder(new Uint8Array(await file.arrayBuffer()), file.name, shape as [number, number, number]);
      const pixels = Float32Array.from(bytes, (b) => b / 255);
      setProblem(null);
      set({ kind: 'pixels', source: 'upload', pixels, serial: serial() });
    } catch {
      // The chosen input stays as it was.
      setProblem(t.badImage(file.name));
    }
  };
  return (
    <fieldset className="look-input">
      <legend>{t.input}</legend>
      <div className="look-input-modes" role="radiogroup" aria-label={t.input}>
        <label>
          <input type="radio" name="look-input" checked={mode === 'test'} onChange={() => setMode('test')} />
          {t.testImage}
        </label>
        <label>
          <input type="radio" name="look-input" checked={mode === 'draw'} onChange={() => setMode('draw')} data-testid="look-mode-draw" />
          {t.draw}
        </label>
        <label className="file-button">
          {t.upload}
          <input
            type="file"
            accept="image/*"
            className="visually-hidden"
            data-testid="look-upload"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void upload(f);
              e.target.value = '';
            }}
          />
        </label>
      </div>
      {mode === 'test' && testCount > 0 && (
        <form
          className="look-test-form"
          onSubmit={(e) => {
            e.preventDefault();
            set({ kind: 'test', index });
          }}
        >
          <input
            type="number"
            aria-label={t.testImage}
            data-testid="look-test-index"
            min={0}
            max={testCount - 1}
            value={index}
            onChange={(e) => setIndex(Math.max(0, Math.min(testCount - 1, Math.floor(Number(e.target.value)) || 0)))}
          />
          <button type="submit">{t.show}</button>
        </form>
      )}
      {mode === 'draw' && (
        <>
          <p className="look-hint">{t.drawHint}</p>
          <MiniDrawPad shape={shape} label={t.draw} clearLabel={t.clear} onDrawn={(pixels) => set({ kind: 'pixels', source: 'draw', pixels, serial: serial() })} />
        </>
      )}
      {problem && <p role="alert" className="look-error">{problem}</p>}
    </fieldset>
  );
}

/**
 * Maps as a grid of channels on one shared scale (the whole layer's), a page at a time for a wide layer;
 * a vector as a bar strip.
 */
function Activation({ a, t, perPage, onPage }: { a: NodeActivation; t: LookStrings; perPage: number; onPage: (page: number) => void }) {
  const range = activationRange(a);
  const rangeText = t.range(formatValue(a.min), formatValue(a.max));
  if (a.shape.length === 3) {
    const [h, w, sent] = a.shape;
    const from = a.page?.from ?? 0;
    const total = a.page?.of ?? sent;
    const paging = pageOf(total, perPage, Math.floor(from / perPage));
    const width = Math.max(28, Math.min(72, w * 3));
    return (
      <section className="look-activation">
        <h4>{t.mapsOf(`${h}×${w}×${total}`)}</h4>
        <p className="look-hint" data-testid="look-range">{rangeText}</p>
        {paging.pages > 1 && <Pager page={paging.page} pages={paging.pages} text={t.mapsPage(from, from + sent - 1, total)} testId="look-maps-page" onPage={onPage} />}
        <div className="look-map-grid" data-testid="look-map-grid">
          {Array.from({ length: sent }, (_, ch) => (
            <figure key={from + ch} className="look-map">
              <PixelCanvas rgba={divergingRgba(channelPlane(a, ch), range)} w={w} h={h} width={width} label={t.channel(from + ch)} />
              <figcaption>{from + ch}</figcaption>
            </figure>
          ))}
        </div>
      </section>
    );
  }
  return (
    <section className="look-activation">
      <h4>{t.vector(a.data.length)}</h4>
      <p className="look-hint" data-testid="look-range">{rangeText}</p>
      <Bars values={a.data} range={range} labels={null} testId="look-bars" />
    </section>
  );
}

function Bars({ values, range, labels, testId }: { values: Float32Array; range: number; labels: readonly string[] | null; testId: string }) {
  return (
    <div className={labels ? 'look-bars labelled' : 'look-bars'} data-testid={testId}>
      {Array.from(values, (v, i) => {
        const [r, g, b] = divergingRgba([v], range);
        return (
          <div key={i} className="look-bar-row" title={`${labels?.[i] ?? i}: ${formatValue(v)}`}>
            {labels && <span className="look-bar-label">{labels[i]}</span>}
            <span className="look-bar" style={{ width: `${Math.max(1, (Math.abs(v) / range) * 100)}%`, background: `rgb(${r},${g},${b})` }} />
            {labels && <span className="look-bar-value">{formatValue(v)}</span>}
          </div>
        );
      })}
    </div>
  );
}

function Scores({ look, classes, t }: { look: ActivationsLook; classes: readonly string[]; t: LookStrings }) {
  const labels = Array.from(look.scores, (_, i) => classes[i] ?? String(i));
  return (
    <section className="look-scores">
      <h4>{t.scores}</h4>
      <Bars values={look.scores} range={activationRange({ min: Math.min(...look.scores), max: Math.max(...look.scores) })} labels={labels} testId="look-scores" />
    </section>
  );
}
