/**
 * Pause, resume and stop for a running loop. The loop calls `checkpoint()` between batches: it resolves
 * at once while running, waits while paused, and answers whether the loop must stop. Messages from the
 * page flip the state; the loop never polls a flag in a busy wait.
 */
export type RunState = 'running' | 'paused' | 'stopping';

export class RunControl {
  private state: RunState = 'running';
  private wake: (() => void) | null = null;
  private readonly listeners = new Set<(state: RunState) => void>();

  get current(): RunState {
    return this.state;
  }

  pause(): boolean {
    if (this.state !== 'running') return false;
    this.set('paused');
    return true;
  }

  resume(): boolean {
    if (this.state !== 'paused') return false;
    this.set('running');
    return true;
  }

  /** Stopping wins over pausing: a paused run that is stopped ends at its next checkpoint. */
  stop(): void {
    if (this.state !== 'stopping') this.set('stopping');
  }

  onChange(listener: (state: RunState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits out a pause; true when the loop must stop. */
  async checkpoint(): Promise<boolean> {
    while (this.state === 'paused') {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    return this.state === 'stopping';
  }

  private set(state: RunState) {
    this.state = state;
    const wake = this.wake;
    this.wake = null;
    wake?.();
    for (const l of this.listeners) l(state);
  }
}
