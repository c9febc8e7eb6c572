import { describe, expect, it } from 'vitest';
import { decadeTicks, linePath, logExtent, logPoints, niceTicks, scale, xExtent, yExtent } from './chart-geometry.ts';

describe('chart geometry', () => {
  it('ticks are round numbers covering the range', () => {
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.13, 2.31, 4)).toEqual([0.5, 1, 1.5, 2]);
    expect(niceTicks(0, 3, 3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(5, 5)).toEqual([5]);
    expect(niceTicks(NaN, 1)).toEqual([]);
  });

  it('the y range pads the data, keeps fixed bounds, and never collapses', () => {
    const s = [{ name: 'a', points: [{ x: 0, y: 1 }, { x: 1, y: 2 }] }];
    expect(yExtent(s)).toEqual({ min: 0.95, max: 2.05 });
    expect(yExtent(s, { min: 0, max: 1 })).toEqual({ min: 0, max: 1 });
    expect(yExtent([{ name: 'flat', points: [{ x: 0, y: 3 }] }])).toEqual({ min: 2.45, max: 3.55 });
    expect(yExtent([])).toEqual({ min: 0, max: 1 });
    expect(xExtent(s, 3)).toEqual({ min: 0, max: 3 });
  });

  it('paths skip missing values and scale to the plot box (y grows downwards)', () => {
    const x = scale({ min: 0, max: 2 }, 0, 100);
    const y = scale({ min: 0, max: 1 }, 50, 0);
    expect(linePath([{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 1.5, y: NaN }, { x: 2, y: 0.5 }], x, y)).toBe('M0.0,50.0L50.0,0.0M100.0,25.0');
  });
});

describe('log-scale helpers', () => {
  it('take log10 of positive finite values only, and span negative logs without clamping', () => {
    const pts = logPoints([0, 1, 2, 3], [1e-3, 0, NaN, 100]);
    expect(pts.map((p) => p.y)).toEqual([Math.log10(1e-3), NaN, NaN, 2]);
    expect(logExtent([{ name: 'a', points: pts }])).toEqual({ min: Math.log10(1e-3), max: 2 });
    expect(decadeTicks(-3, 2)).toEqual([-3, -2, -1, 0, 1, 2]);
    expect(decadeTicks(-12, 1).length).toBeLessThanOrEqual(7);
  });
});
