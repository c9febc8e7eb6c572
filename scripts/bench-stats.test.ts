import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alternation, judgeableAtLoad, median, pairedRatios, quantile, rateOverReports, sandwichedRatios, spread } from './bench-stats.ts';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** numpy's percentiles (linear interpolation, its default) and Python's statistics.median of each sample. */
function numpyReference(samples: number[][]): { q1: number; median: number; q3: number; pyMedian: number }[] {
  const code = [
    'import json, statistics, sys',
    'import numpy as np',
    'out = []',
    'for s in json.load(sys.stdin):',
    '    q1, m, q3 = np.percentile(s, [25, 50, 75])',
    '    out.append({"q1": q1, "median": m, "q3": q3, "pyMedian": statistics.median(s)})',
    'print(json.dumps(out))',
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', code], { input: JSON.stringify(samples), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`numpy reference failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Samples of every size from 1 to 12, with repeats and a far outlier, from a fixed-seed generator. */
function samples(): number[][] {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: 12 }, (_, i) => {
    const s = Array.from({ length: i + 1 }, () => Math.round(rand() * 5000));
    if (i >= 3) s[1] = s[0];
    if (i >= 5) s[2] = 229; // a window that ran while the machine was swamped
    return s;
  });
}

describe('bench statistics', () => {
  it('agree with numpy percentiles and Python statistics.median on samples of every size', () => {
    const all = samples();
    const ref = numpyReference(all);
    all.forEach((s, i) => {
      expect(quantile(s, 0.25)).toBeCloseTo(ref[i].q1, 9);
      expect(median(s)).toBeCloseTo(ref[i].median, 9);
      expect(median(s)).toBeCloseTo(ref[i].pyMedian, 9);
      expect(quantile(s, 0.75)).toBeCloseTo(ref[i].q3, 9);
      const sp = spread(s);
      expect([sp.min, sp.max, sp.n]).toEqual([Math.min(...s), Math.max(...s), s.length]);
    });
  });

  it('do not depend on the order the windows came in', () => {
    const s = samples()[9];
    expect(spread([...s].reverse())).toEqual(spread(s));
  });

  it('pair windows by position and leave out pairs with a failed side', () => {
    const browser = [3000, null, 2500, 2800];
    const torch = [4000, 5000, 0, 3500];
    expect(pairedRatios(browser, torch)).toEqual([3000 / 4000, 2800 / 3500]);
    expect(() => pairedRatios([1], [1, 2])).toThrow(/as many windows/);
  });

  it('take the median of paired ratios, which one swamped window cannot move far', () => {
    // A load spike hits one PyTorch window (the "PyTorch at 229 samples/s, a ratio of 15").
    const browser = [3600, 3700, 3500, 3650, 3550];
    const torch = [5000, 5200, 229, 4900, 5100];
    const ratios = pairedRatios(browser, torch);
    const overall = median(browser) / median(torch);
    expect(median(ratios)).toBeLessThan(1);
    expect(Math.abs(median(ratios) - overall)).toBeLessThan(0.05);
    expect(Math.max(...ratios)).toBeGreaterThan(10);
  });

  it('are NaN on no windows, not a number made up', () => {
    expect(median([])).toBeNaN();
    expect(spread([]).min).toBeNaN();
  });

  it('alternate PyTorch and browser windows so that every browser window has a PyTorch window on each side', () => {
    for (const n of [1, 2, 5, 9]) {
      const order = alternation(n);
      expect(order.filter((s) => s === 'browser')).toHaveLength(n);
      expect(order.filter((s) => s === 'pytorch')).toHaveLength(n + 1);
      order.forEach((s, i) => {
        if (s === 'browser') expect([order[i - 1], order[i + 1]]).toEqual(['pytorch', 'pytorch']);
        if (i > 0) expect(s).not.toBe(order[i - 1]);
      });
    }
    expect(() => alternation(0)).toThrow(/at least one browser window/);
  });

  it('judge each browser window against the mean of its two PyTorch neighbours, as numpy computes it', () => {
    const all = samples().filter((s) => s.length >= 2);
    const code = [
      'import json, sys',
      'import numpy as np',
      'out = []',
      'for t in json.load(sys.stdin):',
      '    t = np.array(t, dtype=float)',
      '    b = t[:-1] * 0.7 + 13',
      '    out.append({"b": b.tolist(), "r": (b / np.convolve(t, [0.5, 0.5], "valid")).tolist()})',
      'print(json.dumps(out))',
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', code], { input: JSON.stringify(all.map((s) => s.map((v) => v + 1))), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`numpy reference failed: ${r.stderr}`);
    const ref: { b: number[]; r: number[] }[] = JSON.parse(r.stdout);
    all.forEach((s, i) => {
      const got = sandwichedRatios(ref[i].b, s.map((v) => v + 1));
      expect(got).toHaveLength(ref[i].r.length);
      got.forEach((v, j) => expect(v).toBeCloseTo(ref[i].r[j], 12));
    });
  });

  it('judge a browser window by its one usable neighbour when the other failed, and leave out what has none', () => {
    expect(sandwichedRatios([3000, 2000, null], [4000, null, null, 5000])).toEqual([3000 / 4000]);
    expect(sandwichedRatios([3000, 2000], [null, 4000, 0])).toEqual([3000 / 4000, 2000 / 4000]);
    expect(() => sandwichedRatios([1, 2], [1, 2])).toThrow(/one more PyTorch window/);
  });

  it('time a window from its first progress report to its last, and give no rate without two reports', () => {
    const reports = [
      { samples: 640, t: 1000 },
      { samples: 1280, t: 1200 },
      { samples: 2560, t: 1600 },
    ];
    expect(rateOverReports(reports)).toBeCloseTo(((2560 - 640) * 1000) / 600, 9);
    expect(rateOverReports(reports.slice(0, 1))).toBeNull();
    expect(rateOverReports([])).toBeNull();
    expect(rateOverReports([reports[0], reports[0]])).toBeNull();
  });
});

describe('judgeableAtLoad', () => {
  it('judges a run only while every load average stayed at or below the cores', () => {
    expect(judgeableAtLoad([0.4, 1.9], 2)).toBe(true);
    expect(judgeableAtLoad([2, 2], 2)).toBe(true);
    expect(judgeableAtLoad([1.2, 2.1], 2)).toBe(false);
    expect(judgeableAtLoad([10.1, 14.8], 2)).toBe(false);
    expect(judgeableAtLoad([], 2)).toBe(false);
    expect(judgeableAtLoad([Number.NaN], 16)).toBe(false);
  });
});

