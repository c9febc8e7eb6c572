import { divergingRgba, formatValue } from './look-math.ts';
import { PixelCanvas } from '../lab/PixelCanvas.tsx';

const STEPS = 33;
const ROWS = 3;
const RAMP = divergingRgba(Array.from({ length: STEPS * ROWS }, (_, i) => ((i % STEPS) / (STEPS - 1)) * 2 - 1), 1);

/** The diverging colour scale with its numbers: −range, 0, +range. */
export function Legend({ range, label }: { readonly range: number; readonly label: string }) {
  return (
    <figure className="look-legend" data-testid="look-legend">
      <PixelCanvas rgba={RAMP} w={STEPS} h={ROWS} width={160} label={label} />
      <figcaption>
        <span>−{formatValue(range)}</span>
        <span>0</span>
        <span>+{formatValue(range)}</span>
      </figcaption>
    </figure>
  );
}
