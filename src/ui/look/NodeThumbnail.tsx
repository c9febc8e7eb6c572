import { memo, useEffect, useRef } from 'react';
import { useLookView } from './look-view-store.ts';

/** A node's activation thumbnail (the mean over its channels for the chosen input), when thumbnails are on. */
export const NodeThumbnail = memo(function NodeThumbnail({ nodeId, label }: { readonly nodeId: string; readonly label: string }) {
  const thumb = useLookView((s) => (s.thumbnailsOn ? (s.thumbs.get(nodeId) ?? null) : null));
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx && thumb) ctx.putImageData(new ImageData(new Uint8ClampedArray(thumb.rgba), thumb.w, thumb.h), 0, 0);
  }, [thumb]);
  if (!thumb) return null;
  const scale = 48 / Math.max(thumb.w, thumb.h);
  return (
    <canvas
      ref={ref}
      width={thumb.w}
      height={thumb.h}
      className="layer-thumb"
      style={{ width: thumb.w * scale, height: thumb.h * scale }}
      role="img"
      aria-label={label}
      data-testid={`layer-thumb-${nodeId}`}
    />
  );
});
