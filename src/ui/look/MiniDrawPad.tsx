import { useEffect, useRef } from 'react';
import { centerDrawing } from '../train/draw-preprocess.ts';

const SIZE = 112;

/** A small pad to draw a digit on; each lifted stroke hands the drawing over, centred and sized like MNIST. */
export function MiniDrawPad({ shape, onDrawn, label, clearLabel }: { readonly shape: readonly number[]; readonly onDrawn: (pixels: Float32Array) => void; readonly label: string; readonly clearLabel: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const drawing = useRef(false);
  const clear = () => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, SIZE, SIZE);
  };
  useEffect(clear, []);
  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * SIZE, y: ((e.clientY - r.top) / r.height) * SIZE };
  };
  const stroke = (to: { x: number; y: number }) => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const from = last.current ?? to;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = SIZE / 14;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x + 0.01, to.y);
    ctx.stroke();
    last.current = to;
  };
  const finish = () => {
    drawing.current = false;
    last.current = null;
    const ctx = ref.current?.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    const rgba = ctx.getImageData(0, 0, SIZE, SIZE).data;
    const grey = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < grey.length; i++) grey[i] = rgba[i * 4] / 255;
    const pixels = centerDrawing(grey, SIZE, SIZE, shape);
    if (pixels.some((v) => v > 0)) onDrawn(pixels);
  };
  return (
    <div className="look-drawpad">
      <canvas
        ref={ref}
        width={SIZE}
        height={SIZE}
        className="drawpad-canvas"
        data-testid="look-drawpad"
        role="img"
        aria-label={label}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          drawing.current = true;
          last.current = null;
          stroke(point(e));
        }}
        onPointerMove={(e) => drawing.current && stroke(point(e))}
        onPointerUp={finish}
        onPointerCancel={() => {
          drawing.current = false;
          last.current = null;
        }}
      />
      <button type="button" onClick={clear}>
        {clearLabel}
      </button>
    </div>
  );
}
