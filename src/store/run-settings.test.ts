import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../train/protocol.ts';
import { DEFAULT_SETTINGS, memorySettings, parseLostRun, parseRunSettings, webSettings } from './run-settings.ts';

describe('run settings read back', () => {
  it('keeps every valid field and defaults the damaged ones', () => {
    const read = parseRunSettings({
      config: { optimizer: 'sgd', learningRate: 0.05, epochs: 7, batchSize: -3, augment: { shift: 2, flip: true }, patience: null, loss: 'logits', seed: 99 },
      backendChoice: 'wasm',
      testShare: 0.3,
    });
    expect(read.config).toEqual({ ...DEFAULT_CONFIG, optimizer: 'sgd', learningRate: 0.05, epochs: 7, augment: { shift: 2, flip: true }, patience: null });
    expect(read.backendChoice).toBe('wasm');
    expect(read.testShare).toBe(0.3);
  });

  it('anything that is not settings gives the defaults', () => {
    for (const junk of [null, 'x', 42, { config: 'no', backendChoice: 'tpu', testShare: 2 }]) expect(parseRunSettings(junk)).toEqual(DEFAULT_SETTINGS);
  });

  it('a lost-run marker is read only when whole', () => {
    expect(parseLostRun({ dataName: 'mnist', epochs: 3, startedAt: 5 })).toEqual({ dataName: 'mnist', epochs: 3, startedAt: 5 });
    expect(parseLostRun({ dataName: 'mnist' })).toBeNull();
  });

  it('web storage round-trips JSON, removes on null, and survives a storage that throws', () => {
    const backing = new Map<string, string>();
    const storage = webSettings({ getItem: (k) => backing.get(k) ?? null, setItem: (k, v) => void backing.set(k, v), removeItem: (k) => void backing.delete(k) });
    storage.save('k', { a: 1 });
    expect(storage.load('k')).toEqual({ a: 1 });
    storage.save('k', null);
    expect(backing.has('k')).toBe(false);
    const broken = webSettings({ getItem: () => '{oops', setItem: () => { throw new Error('quota'); }, removeItem: () => {} });
    expect(broken.load('k')).toBeNull();
    expect(() => broken.save('k', 1)).not.toThrow();
    expect(memorySettings({ k: 2 }).load('k')).toBe(2);
  });
});
