import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store.ts';
import { createTrainingStore, type RunView, type TrainingClientLike } from '../../store/training-store.ts';
import { guardUnload } from './unload-guard.ts';

function leave(target: EventTarget): boolean {
  const event = new Event('beforeunload', { cancelable: true });
  target.dispatchEvent(event);
  return event.defaultPrevented;
}

describe('leaving the page during a run', () => {
  it('asks only while a run is active, and not once the guard is removed', async () => {
    const app = createAppStore({ lang: 'en', catalogue: [], loaderFor: () => undefined });
    const client = { on: () => () => {}, start: vi.fn(async () => 1), stop: vi.fn(async () => {}) } as unknown as TrainingClientLike;
    const training = createTrainingStore(client, app);
    const target = new EventTarget();
    const remove = guardUnload(target, training);
    expect(leave(target)).toBe(false);
    training.setState({ run: { phase: 'training' } as RunView });
    expect(leave(target)).toBe(true);
    training.setState({ run: { phase: 'done' } as RunView });
    expect(leave(target)).toBe(false);
    training.setState({ run: { phase: 'paused' } as RunView });
    remove();
    expect(leave(target)).toBe(false);
  });
});
