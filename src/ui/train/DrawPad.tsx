import { useCallback, useEffect, useRef, useState } from 'react';
import type { Top5 } from '../../train/protocol.ts';
import { centerDrawing } from './draw-preprocess.ts';
import { useTraining } from './training-context.ts';
import { Top5List } from './Top5List.tsx';
import { useTrainStrings } from './train-strings.ts';

const SIZE = 224;
/** Live guesses at most this often while drawing. */
const LIVE_MS = 150;

/** A canvas to draw a digit on; the trained network's top 5 update as you draw. */
export function DrawPad({ shape, classes }: { shape: readonly number[]; classes: readonly string[] }) {
  const t = useTrainStrings();
  const predict = useTraining((s) => s.predict);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const last = useRef<{ x: number; y: number } | null>(null);
  const inFlight = useRef(false);
  /** A request came while one was in flight: ask again with the latest drawing when it returns. */
  const again = useRef(false);
  const lastAsk = useRef(0);
  const [top5, setTop5] = useState<readonly Top5[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const clear = useCallback(() => {
    const ctx = canvasRef.current?.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, SIZE, SIZE);
    setTop5(null);
  }, []);

  useEffect(clear, [clear]);

  const ask = useCallback(async () => {
    const ctx = canvasRef.current?.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    again.current = false;
    lastAsk.current = performance.now();
    try {
      const rgba = ctx.getImageData(0, 0, SIZE, SIZE).data;
      const gray = new Float32Array(SIZE * SIZE);
      for (let i = 0; i < gray.length; i++) gray[i] = rgba[i * 4] / 255;
      const pixels = centerDrawing(gray, SIZE, SIZE, shape);
      if (!pixels.some((v) => v > 0)) return;
      const p = await predict({ pixels });
      setTop5(p.top5);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      inFlight.current = false;
    }
    if (again.current) void ask();
  }, [predict, shape]);

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * SIZE, y: ((e.clientY - r.top) / r.height) * SIZE };
  };
  const stroke = (to: { x: number; y: number }) => {
    const ctx = canvasRef.current?.getContext('2d');
    if (!ctx) return;
    const from = last.current ?? to;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = SIZE / 14;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x + 0.01, to.y);
    ctx.stroke();
    last.current = to;
  };

  return (
    <section className="drawpad" aria-labelledby="drawpad-heading">
      <h4 id="drawpad-heading">{t.drawPad}</h4>
      <p className="hint">{t.drawHint}</p>
      <div className="drawpad-row">
        <div>
          <canvas
            ref={canvasRef}
            width={SIZE}
            height={SIZE}
            className="drawpad-canvas"
            data-testid="drawpad"
            aria-label={t.drawPad}
            role="img"
            onPointerDown={(e) => {
              e.currentTarget.setPointerCapture(e.pointerId);
              drawing.current = true;
              last.current = null;
              stroke(point(e));
            }}
            onPointerMove={(e) => {
              if (!drawing.current) return;
              stroke(point(e));
              if (performance.now() - lastAsk.current > LIVE_MS) void ask();
            }}
            onPointerUp={() => {
              drawing.current = false;
              last.current = null;
              void ask();
            }}
            onPointerCancel={() => {
              drawing.current = false;
              last.current = null;
            }}
          />
          <button type="button" onClick={clear}>
            {t.clear}
          </button>
        </div>
        {top5 && <Top5List top5={top5} classes={classes} title={t.top5} testId="drawpad-top5" />}
      </div>
      {error && <p role="alert" className="train-error">{error}</p>}
    </section>
  );
}
