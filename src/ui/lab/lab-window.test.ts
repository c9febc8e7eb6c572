import { describe, expect, it } from 'vitest';
import { Rng } from '../../graph/testing/rng.ts';
import { outputGeometry, type SlideSettings } from './kernel-math.ts';
import { explainLabWindow } from './lab-window.ts';

describe('kernel lab window', () => {
  it("the graph's inferred output size is the size the lab's slide produces, for random settings", () => {
    const rng = new Rng(21);
    for (let trial = 0; trial < 300; trial++) {
      const size = rng.int(1, 7);
      const [h, w] = [rng.int(1, 30), rng.int(1, 30)];
      const dilation = rng.bool(0.3) ? rng.int(2, 3) : 1;
      const s: SlideSettings = { stride: dilation > 1 ? 1 : rng.int(1, 3), dilation, padding: rng.bool() ? 'same' : 'valid' };
      const explained = explainLabWindow(h, w, size, s);
      const geo = outputGeometry({ h, w }, { size, values: [] }, s);
      expect(explained.output, JSON.stringify({ h, w, size, s })).toEqual(geo ? [geo.h, geo.w] : null);
      if (geo) expect(explained.sizes.map((e) => e.result)).toEqual([geo.h, geo.w]);
      else expect(explained.issues.some((i) => i.code === 'kernel-too-large')).toBe(true);
    }
  });

  it('stride together with dilation is refused with the graph’s own message', () => {
    const explained = explainLabWindow(28, 28, 3, { stride: 2, dilation: 2, padding: 'valid' });
    expect(explained.output).toBeNull();
    expect(explained.issues.map((i) => i.code)).toContain('stride-and-dilation');
  });
});
