/**
 * The Kernel lab tab: an image, a kernel, the map it produces, and the arithmetic of one output value.
 * Loaded lazily with its tab; all the arithmetic lives in kernel-math.ts, lab-window.ts and lab-state.ts.
 */
import { useEffect, useMemo, useReducer, useState, type KeyboardEvent } from 'react';
import { useApp } from '../store-context.ts';
import { bytesToRgba, effectiveKernel, formatLabNumber, mapToRgba, slide, symmetricRange, tapsAt, windowBox, writeOut } from './kernel-math.ts';
import { KernelEditor } from './KernelEditor.tsx';
import { decodeUserImage, loadBundledSample, photoSample, SAMPLES, type LabImage, type Sample } from './lab-images.ts';
import { initialLabState, labReducer } from './lab-state.ts';
import { useLabStrings, type LabStrings } from './lab-strings.ts';
import { explainLabWindow } from './lab-window.ts';
import { Outline, PixelCanvas } from './PixelCanvas.tsx';
import { UseAsFilter } from './UseAsFilter.tsx';
import { WindowControls } from './WindowControls.tsx';
import './lab.css';

const VIEW = 224;
const ARROWS: Record<string, readonly [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

type Source = { readonly kind: 'sample'; readonly sample: Sample } | { readonly kind: 'user'; readonly name: string };

export default function KernelLab() {
  const t = useLabStrings();
  const lang = useApp((s) => s.lang);
  const [state, dispatch] = useReducer(labReducer, initialLabState);
  const [source, setSource] = useState<Source>({ kind: 'sample', sample: 'digit' });
  const [image, setImage] = useState<LabImage | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (source.kind !== 'sample') return;
    let live = true;
    const { sample } = source;
    const load = sample === 'photo' ? Promise.resolve(photoSample()) : loadBundledSample(sample, `${import.meta.env.BASE_URL ?? '/'}datasets/`);
    load.then(
      (img) => {
        if (!live) return;
        setImage(img);
        setProblem(null);
      },
      (e: unknown) => {
        if (live) setProblem(t.loadFailed(e instanceof Error ? e.message : String(e)));
      },
    );
    return () => {
      live = false;
    };
  }, [source, t]);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const result = await decodeUserImage(file);
    if (!result.ok) {
      setProblem(result.reason === 'not-image' ? t.notImage(file.name) : t.unreadable(file.name));
      return;
    }
    setProblem(null);
    setImage(result.image);
    setSource({ kind: 'user', name: file.name });
  };

  const { kernel, settings, mode, probe } = state;
  const explained = useMemo(() => (image ? explainLabWindow(image.h, image.w, kernel.size, settings, t.title) : null), [image, kernel.size, settings, t]);
  // src/graph decides whether the window is legal (TensorFlow refuses stride with dilation); the lab obeys.
  const legal = explained?.output != null;
  const map = useMemo(() => (image && legal ? slide(image, kernel, settings, mode) : null), [image, legal, kernel, settings, mode]);
  const [oy, ox] = map ? [Math.min(probe[0], map.h - 1), Math.min(probe[1], map.w - 1)] : [0, 0];
  const arithmetic = image && map ? writeOut(tapsAt(image, kernel, settings, mode, map.pads, oy, ox), oy, ox) : null;
  const range = useMemo(() => (map ? symmetricRange(map.data) : 1), [map]);
  const inputRgba = useMemo(() => image && bytesToRgba(image.rgb ?? image.data, image.h * image.w, image.channels), [image]);
  const outputRgba = useMemo(() => map && mapToRgba(map, range), [map, range]);

  const probeAt = (row: number, col: number) => map && dispatch({ type: 'probe', at: [row, col], bounds: [map.h, map.w] });
  const onMapKey = (e: KeyboardEvent) => {
    const step = ARROWS[e.key];
    if (!step || !map) return;
    e.preventDefault();
    probeAt(oy + step[0], ox + step[1]);
  };
  const box = map && windowBox(kernel, settings, map.pads, oy, ox);

  return (
    <section className="kernel-lab" aria-labelledby="kernel-lab-title">
      <h2 id="kernel-lab-title">{t.title}</h2>
      <p className="lab-intro">{t.intro}</p>
      <div className="lab-columns">
        <div className="lab-controls">
          <ImagePicker source={source} onSample={(sample) => setSource({ kind: 'sample', sample })} onFile={onFile} problem={problem} t={t} />
          <KernelEditor state={state} dispatch={dispatch} t={t} />
          <WindowControls state={state} dispatch={dispatch} explained={explained} pads={map?.pads ?? null} lang={lang} t={t} />
        </div>
        <div className="lab-views">
          {!image && !problem && <p aria-live="polite">{t.loading}</p>}
          {image && inputRgba && (
            <figure className="lab-figure">
              <figcaption>
                {t.input} · {t.inputSize(image.h, image.w)}
              </figcaption>
              <PixelCanvas rgba={inputRgba} w={image.w} h={image.h} width={VIEW} label={t.input} testId="lab-input">
                {box && <Outline className="lab-window-box" top={box.top} left={box.left} height={box.size} width={box.size} h={image.h} w={image.w} />}
              </PixelCanvas>
              {image.channels === 3 && <p className="inspector-note">{t.greyNote}</p>}
            </figure>
          )}
          {image && (
            <figure className="lab-figure">
              <figcaption>{map ? `${t.output} · ${t.outputSize(map.h, map.w)}` : t.output}</figcaption>
              {map && outputRgba ? (
                <>
                  <PixelCanvas rgba={outputRgba} w={map.w} h={map.h} width={VIEW} label={t.mapLabel(map.h, map.w)} testId="lab-output" onPixel={probeAt} onKeyDown={onMapKey}>
                    <Outline className="lab-probe" top={oy} left={ox} height={1} width={1} h={map.h} w={map.w} />
                  </PixelCanvas>
                  <Legend range={range} t={t} />
                </>
              ) : (
                <p className="lab-error">{t.noOutput}</p>
              )}
            </figure>
          )}
          {arithmetic && (
            <section className="lab-arithmetic" aria-live="polite">
              <h3>{t.arithmetic}</h3>
              <p>
                <code data-testid="lab-arithmetic">{arithmetic}</code>
              </p>
              <p className="inspector-note">{t.arithmeticHint}</p>
            </section>
          )}
          <UseAsFilter kernel={effectiveKernel(kernel, mode)} t={t} />
        </div>
      </div>
    </section>
  );
}

function ImagePicker({ source, onSample, onFile, problem, t }: {
  readonly source: Source;
  readonly onSample: (s: Sample) => void;
  readonly onFile: (f: File | undefined) => void;
  readonly problem: string | null;
  readonly t: LabStrings;
}) {
  return (
    <fieldset className="lab-card lab-image">
      <legend>{t.image}</legend>
      {SAMPLES.map((s) => (
        <label key={s}>
          <input type="radio" name="lab-image" checked={source.kind === 'sample' && source.sample === s} onChange={() => onSample(s)} /> {t.samples[s]}
        </label>
      ))}
      <label className="btn lab-file">
        {t.yourImage}
        <input
          type="file"
          className="visually-hidden"
          accept="image/*"
          onChange={(e) => {
            void onFile(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </label>
      {source.kind === 'user' && <p className="lab-chosen">{t.yourImageName(source.name)}</p>}
      {problem && (
        <p className="lab-error" role="alert">
          {problem}
        </p>
      )}
    </fieldset>
  );
}

function Legend({ range, t }: { readonly range: number; readonly t: LabStrings }) {
  return (
    <div className="lab-legend" role="img" aria-label={`${t.legend}: −${formatLabNumber(range)} … 0 … ${formatLabNumber(range)}`}>
      <div className="lab-legend-bar" />
      <div className="lab-legend-ticks" data-testid="lab-legend">
        <span>{formatLabNumber(-range)}</span>
        <span>0</span>
        <span>{formatLabNumber(range)}</span>
      </div>
    </div>
  );
}
