import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../store/run-record.ts';
import { measuredSpeed } from './budget-figures.ts';

const record: RunRecord = { designKey: 'k', data: null, origin: 'trained', hasCurves: true };
const run = {
  backend: 'wasm' as const,
  samplesPerSec: 3000,
  measurements: [
    { backend: 'webgl' as const, samplesPerSec: 120 },
    { backend: 'cpu' as const, samplesPerSec: null, error: 'failed' },
  ],
};

describe('the speed an epoch prediction may use', () => {
  it("is the last run's on its backend when Auto or that backend is chosen", () => {
    expect(measuredSpeed(run, record, 'k', 'auto')).toEqual({ samplesPerSec: 3000, backend: 'wasm' });
    expect(measuredSpeed(run, record, 'k', 'wasm')).toEqual({ samplesPerSec: 3000, backend: 'wasm' });
  });
  it("is Auto's measurement of another chosen backend, and none where that failed or was not measured", () => {
    expect(measuredSpeed(run, record, 'k', 'webgl')).toEqual({ samplesPerSec: 120, backend: 'webgl' });
    expect(measuredSpeed(run, record, 'k', 'cpu')).toBeNull();
    expect(measuredSpeed(run, record, 'k', 'webgpu')).toBeNull();
  });
  it('is none for another design or without a run', () => {
    expect(measuredSpeed(run, record, 'other', 'auto')).toBeNull();
    expect(measuredSpeed(null, record, 'k', 'auto')).toBeNull();
    expect(measuredSpeed(run, null, 'k', 'auto')).toBeNull();
  });
});
