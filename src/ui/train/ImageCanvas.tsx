import { memo, useEffect, useRef } from 'react';

interface Props {
  /** Float32 values in [0, 1], channels-last, H·W·C of them. */
  readonly pixels: Float32Array;
  readonly shape: readonly number[];
  /** CSS size in pixels (the image is scaled up without smoothing). */
  readonly size?: number;
  readonly label: string;
}

/** One dataset image drawn on a small canvas. */
export const ImageCanvas = memo(function ImageCanvas({ pixels, shape, size = 56, label }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, w, c] = shape.length === 3 ? shape : [Math.sqrt(pixels.length), Math.sqrt(pixels.length), 1];
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const image = ctx.createImageData(w, h);
    for (let i = 0; i < w * h; i++) {
      for (let k = 0; k < 3; k++) image.data[i * 4 + k] = Math.round(255 * Math.min(1, Math.max(0, pixels[i * c + (c === 1 ? 0 : k)])));
      image.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }, [pixels, h, w, c]);
  return <canvas ref={ref} width={w} height={h} className="pixel-image" style={{ width: size, height: size }} role="img" aria-label={label} />;
});
