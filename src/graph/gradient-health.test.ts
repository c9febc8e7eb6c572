import { describe, expect, it } from 'vitest';
import { EXPLODING_NORM, EXPLODING_RATIO, gradientVerdicts, recentMedian, RECENT, VANISHING_SHARE } from './gradient-health.ts';

const steady = (v: number) => Array.from({ length: RECENT }, () => v);

describe('gradient verdicts', () => {
  it('flag a layer whose gradient is a small share of the largest as vanishing, and leave healthy layers alone', () => {
    const big = 0.5;
    const verdicts = gradientVerdicts([
      { nodeId: 'conv1', grad: steady(big * VANISHING_SHARE * 0.5), ratio: steady(1e-3) },
      { nodeId: 'conv2', grad: steady(big * VANISHING_SHARE * 2), ratio: steady(1e-3) },
      { nodeId: 'out', grad: steady(big), ratio: steady(1e-3) },
    ]);
    expect(verdicts.map((v) => [v.nodeId, v.trouble])).toEqual([['conv1', 'vanishing']]);
  });

  it('flag no gradient at all as vanishing, and non-numbers, huge norms or huge steps as exploding', () => {
    const verdicts = gradientVerdicts([
      { nodeId: 'dead', grad: steady(0), ratio: steady(0) },
      { nodeId: 'nan', grad: [...steady(0.1).slice(1), NaN], ratio: steady(1e-3) },
      { nodeId: 'norm', grad: steady(EXPLODING_NORM * 2), ratio: steady(1e-3) },
      { nodeId: 'step', grad: steady(0.1), ratio: steady(EXPLODING_RATIO * 2) },
      { nodeId: 'fine', grad: steady(0.1), ratio: steady(1e-3) },
    ]);
    expect(verdicts.map((v) => [v.nodeId, v.trouble])).toEqual([
      ['dead', 'vanishing'],
      ['nan', 'exploding'],
      ['norm', 'exploding'],
      ['step', 'exploding'],
    ]);
  });

  it('judge on the recent median, so one odd batch raises no alarm', () => {
    const spike = [...steady(0.1).slice(1), EXPLODING_NORM * 10];
    expect(recentMedian(spike)).toBe(0.1);
    expect(gradientVerdicts([{ nodeId: 'a', grad: spike, ratio: steady(1e-3) }])).toEqual([]);
  });
});
