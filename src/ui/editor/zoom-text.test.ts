import { describe, expect, it } from 'vitest';
import { BASE_TEXT_PX, compactFontPx, COUNTS_ZOOM, MIN_SCREEN_PX, showsCounts, zoomText } from './zoom-text.ts';

describe('canvas text at a zoom', () => {
  it('shows every line while the smallest text is at least 11 px on screen', () => {
    expect(zoomText(1)).toBe('full');
    expect(BASE_TEXT_PX * 0.92).toBeGreaterThanOrEqual(MIN_SCREEN_PX);
    expect(zoomText(0.92)).toBe('full');
    expect(zoomText(0.9)).toBe('compact');
  });

  it('enlarges the name and shape of compact nodes to 11 px on screen, then gives up on text', () => {
    for (const zoom of [0.9, 0.6, 0.3, 0.25]) {
      expect(zoomText(zoom)).toBe('compact');
      expect(compactFontPx(zoom) * zoom).toBeGreaterThanOrEqual(MIN_SCREEN_PX - 0.05);
    }
    expect(zoomText(0.2)).toBe('blocks');
  });

  it('keeps the parameter count on compact nodes while the enlarged text fits a node line', () => {
    expect(showsCounts(1)).toBe(true);
    expect(showsCounts(0.6)).toBe(true);
    expect(showsCounts(0.3)).toBe(false);
    // "→ 112×112×64" (12 characters, ~0.6 em each) at the enlarged size fits the 210 px node.
    expect(12 * 0.6 * compactFontPx(COUNTS_ZOOM)).toBeLessThanOrEqual(210 - 16);
  });
});
