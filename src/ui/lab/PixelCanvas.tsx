import { memo, useEffect, useRef, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';

interface Props {
  readonly rgba: Uint8ClampedArray;
  readonly w: number;
  readonly h: number;
  /** CSS width in pixels; the height follows the aspect, pixels stay square and sharp. */
  readonly width: number;
  readonly label: string;
  readonly testId?: string;
  /** Called with the pixel under the pointer. */
  readonly onPixel?: (row: number, col: number) => void;
  readonly onKeyDown?: (e: KeyboardEvent<HTMLCanvasElement>) => void;
  /** Outlines drawn over the image, positioned in percent of it. */
  readonly children?: ReactNode;
}

/** An image (or map) of w×h RGBA pixels, scaled up without smoothing. */
export const PixelCanvas = memo(function PixelCanvas({ rgba, w, h, width, label, testId, onPixel, onKeyDown, children }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    // A software canvas: these images are tiny and redrawn often, and a GPU canvas pays an upload per putImageData.
    const ctx = ref.current?.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), w, h), 0, 0);
  }, [rgba, w, h]);
  const onMove = onPixel
    ? (e: MouseEvent<HTMLCanvasElement>) => {
        const r = e.currentTarget.getBoundingClientRect();
        onPixel(Math.floor(((e.clientY - r.top) / r.height) * h), Math.floor(((e.clientX - r.left) / r.width) * w));
      }
    : undefined;
  return (
    <div className="lab-canvas" style={{ width, height: (width * h) / w }}>
      <canvas
        ref={ref}
        width={w}
        height={h}
        className="pixel-image"
        role="img"
        aria-label={label}
        data-testid={testId}
        tabIndex={onKeyDown ? 0 : undefined}
        onMouseMove={onMove}
        onKeyDown={onKeyDown}
      />
      {children}
    </div>
  );
});

/** A rectangle over a PixelCanvas, in image pixels (it may reach past the edges, into the padding). */
export function Outline({ top, left, height, width, h, w, className }: { top: number; left: number; height: number; width: number; h: number; w: number; className: string }) {
  return (
    <div
      className={className}
      aria-hidden="true"
      style={{ top: `${(top / h) * 100}%`, left: `${(left / w) * 100}%`, height: `${(height / h) * 100}%`, width: `${(width / w) * 100}%` }}
    />
  );
}
