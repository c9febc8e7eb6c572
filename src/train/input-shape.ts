/** The image shape a design's Input asks for: what own images and synthetic data are drawn at. Pure. */

/** The image shape the network's Input asks for (a flat Input of k·k or 3·k·k values reads as an image). */
export function inputImageShape(shape: readonly number[] | undefined): [number, number, number] {
  if (shape && shape.length === 3) return [shape[0], shape[1], shape[2]];
  if (shape && shape.length === 2) return [shape[0], shape[1], 1];
  if (shape && shape.length === 1) {
    const gray = Math.round(Math.sqrt(shape[0]));
    if (gray * gray === shape[0]) return [gray, gray, 1];
    const rgb = Math.round(Math.sqrt(shape[0] / 3));
    if (3 * rgb * rgb === shape[0]) return [rgb, rgb, 3];
  }
  return [28, 28, 1];
}
