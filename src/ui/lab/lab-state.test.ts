import { describe, expect, it } from 'vitest';
import { initialLabState, labReducer, type LabState } from './lab-state.ts';
import { presetKernel } from './kernel-presets.ts';

describe('kernel lab state', () => {
  it('a resizable preset is rebuilt at a new size; an edited kernel keeps its centre', () => {
    let s: LabState = labReducer(initialLabState, { type: 'preset', preset: 'gaussian' });
    s = labReducer(s, { type: 'size', size: 5 });
    expect(s.kernel).toEqual(presetKernel('gaussian', 5));
    expect(s.preset).toBe('gaussian');
    s = labReducer(s, { type: 'cell', index: 12, value: 2 });
    expect(s.preset).toBeNull();
    const smaller = labReducer(s, { type: 'size', size: 3 });
    expect(smaller.kernel.values[4]).toBe(2);
  });

  it('picking a 3×3-only preset sets the size to 3', () => {
    const big = labReducer(initialLabState, { type: 'size', size: 7 });
    expect(labReducer(big, { type: 'preset', preset: 'laplacian' }).kernel.size).toBe(3);
  });

  it('edited values keep 4 decimals, and a non-number leaves the kernel unchanged', () => {
    const s = labReducer(initialLabState, { type: 'cell', index: 0, value: 0.123456 });
    expect(s.kernel.values[0]).toBe(0.1235);
    expect(labReducer(s, { type: 'cell', index: 0, value: Number.NaN })).toBe(s);
  });

  it('sizes, strides and dilations are clamped to what the lab offers', () => {
    expect(labReducer(initialLabState, { type: 'size', size: 12 }).kernel.size).toBe(7);
    expect(labReducer(initialLabState, { type: 'size', size: 0 }).kernel.size).toBe(1);
    const s = labReducer(initialLabState, { type: 'settings', settings: { stride: 9, dilation: 0 } });
    expect(s.settings).toMatchObject({ stride: 4, dilation: 1 });
  });

  it('the probe stays on the output map', () => {
    const s = labReducer(initialLabState, { type: 'probe', at: [-1, 40], bounds: [26, 26] });
    expect(s.probe).toEqual([0, 25]);
  });
});
