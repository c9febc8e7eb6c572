/**
 * Pieces of the inspector's output-size arithmetic (see explain.ts for the notation) that the kind files
 * writing their own rule share with the window rule.
 */
import type { Shape } from '../../types.ts';

/** The two spatial axes of an image with the names of their padding sides. */
export const AXES = [
  { axis: 'height', lo: 'top', hi: 'bottom' },
  { axis: 'width', lo: 'left', hi: 'right' },
] as const;

/** A number as the formulas print it: a real minus sign for negatives (a kernel larger than its input). */
export function num(n: number): string {
  return n < 0 ? `−${-n}` : String(n);
}

/** The spatial size of an image input, or null when it is not an image with known height and width. */
export function knownImageSize(x: Shape | null | undefined): readonly [number, number] | null {
  if (!x || x.length !== 3 || x[0] === null || x[1] === null) return null;
  return [x[0], x[1]];
}
