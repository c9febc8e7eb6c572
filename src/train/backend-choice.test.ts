import { describe, expect, it } from 'vitest';
import { autoStart, describeMeasurements, fallbackOrder, pickFastest, resolveBackend } from './backend-choice.ts';
import type { BackendMeasurement } from './protocol.ts';

const timings: BackendMeasurement[] = [
  { backend: 'webgpu', samplesPerSec: 33 },
  { backend: 'webgl', samplesPerSec: 230 },
  { backend: 'wasm', samplesPerSec: 1400 },
  { backend: 'cpu', samplesPerSec: 110 },
];

describe('backend choice', () => {
  it('Auto keeps the fastest measured backend, whatever the preference order says', () => {
    expect(pickFastest(timings)).toBe('wasm');
    expect(resolveBackend('auto', ['webgpu', 'webgl', 'wasm', 'cpu'], timings)).toBe('wasm');
    expect(pickFastest([{ backend: 'webgpu', samplesPerSec: 5000 }, ...timings.slice(1)])).toBe('webgpu');
  });

  it('failed measurements never win, and ties go to the preferred backend', () => {
    expect(pickFastest([{ backend: 'wasm', samplesPerSec: null, error: 'boom' }, { backend: 'cpu', samplesPerSec: 1 }])).toBe('cpu');
    expect(pickFastest([{ backend: 'cpu', samplesPerSec: 100 }, { backend: 'webgl', samplesPerSec: 100 }])).toBe('webgl');
    expect(pickFastest([{ backend: 'webgl', samplesPerSec: NaN }])).toBeNull();
    expect(pickFastest([])).toBeNull();
  });

  it('Auto starts at once: on the measured winner when there is one, else on WASM, the fastest on a machine without a GPU', () => {
    expect(autoStart(['webgpu', 'webgl', 'wasm', 'cpu'], null)).toEqual({ backend: 'wasm', pick: 'first-guess' });
    expect(autoStart(['webgpu', 'webgl', 'cpu'], null)).toEqual({ backend: 'webgl', pick: 'first-guess' });
    expect(autoStart([], null)).toEqual({ backend: 'cpu', pick: 'first-guess' });
    const gpuWins = [{ backend: 'webgpu', samplesPerSec: 9000 }, ...timings.slice(1)] as BackendMeasurement[];
    expect(autoStart(['webgpu', 'webgl', 'wasm', 'cpu'], gpuWins)).toEqual({ backend: 'webgpu', pick: 'measured' });
    // A winner that has since gone (a lost WebGPU device) is not started on.
    expect(autoStart(['webgl', 'wasm', 'cpu'], gpuWins)).toEqual({ backend: 'wasm', pick: 'measured' });
  });

  it('Auto without measurements takes the first available backend in preference order', () => {
    expect(resolveBackend('auto', ['wasm', 'cpu'], [])).toBe('wasm');
  });

  it('an override falls back along the preference order, CPU last and always', () => {
    expect(fallbackOrder('webgpu', ['webgl', 'wasm', 'cpu'])).toEqual(['webgl', 'wasm', 'cpu']);
    expect(fallbackOrder('wasm', ['webgpu', 'webgl', 'wasm', 'cpu'])).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
    expect(fallbackOrder('cpu', ['webgl'])).toEqual(['cpu', 'webgl']);
    expect(resolveBackend('webgl', ['webgl', 'cpu'], timings)).toBe('webgl');
    expect(resolveBackend('webgpu', ['cpu'], [])).toBe('cpu');
  });

  it('describes measurements fastest first, failures last', () => {
    const text = describeMeasurements([...timings.slice(1), { backend: 'webgpu', samplesPerSec: null, error: 'no adapter' }]);
    expect(text).toBe('WASM 1,400 samples/s · WebGL 230 · CPU 110 · WebGPU: no adapter');
  });
});
