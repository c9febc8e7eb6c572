/**
 * Asks the worker for a look and asks again each second while a run trains (one request in flight at a
 * time, so a slow backend slows the refresh, never piles up work). Looks again when the run
 * ends or other weights arrive.
 */
import { useEffect, useRef, useState } from 'react';
import { isRunning } from '../../store/training-store.ts';
import type { LookQuery, LookResult } from '../../train/look-protocol.ts';
import { useApp } from '../store-context.ts';
import { useTraining } from '../train/training-context.ts';

export const REFRESH_MS = 1000;

export function useLook<Q extends LookQuery>(
  make: (() => Q) | null,
  key: string,
  options: {
    readonly live?: boolean;
    readonly refreshMs?: number;
    /**
     * Rest after each answer at least this many times as long as it took (waiting for the worker's
     * current step included), so a look that costs as much as training steps takes a bounded share
     * of the run on a large network too.
     */
    readonly restFactor?: number;
  } = {},
): { result: Extract<LookResult, { kind: Q['kind'] }> | null; error: string | null; loading: boolean } {
  const look = useTraining((s) => s.look);
  const running = useTraining((s) => isRunning(s.run));
  const weights = useApp((s) => s.weights);
  const [state, setState] = useState<{ result: Extract<LookResult, { kind: Q['kind'] }> | null; error: string | null; loading: boolean }>({
    result: null,
    error: null,
    loading: false,
  });
  const makeRef = useRef(make);
  makeRef.current = make;
  const live = options.live ?? true;
  const refreshMs = options.refreshMs ?? REFRESH_MS;
  const restFactor = options.restFactor ?? 0;

  useEffect(() => {
    const build = makeRef.current;
    if (!build) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const started = performance.now();
      // "Loading" is only shown before the first answer: flagging each refresh would render the view
      // once more a second for nothing.
      setState((s) => (s.result || s.loading ? s : { ...s, loading: true }));
      try {
        const result = await look(build());
        if (!cancelled) setState({ result, error: null, loading: false });
      } catch (e) {
        if (!cancelled) setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e), loading: false }));
      }
      // A look a second while the answer takes less than that; else the next as soon as one returns
      // (or after its rest).
      const took = performance.now() - started;
      if (!cancelled && running && live) timer = setTimeout(() => void tick(), Math.max(0, refreshMs - took, took * restFactor));
    };
    void tick();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key, running, weights, live, look, refreshMs, restFactor]);

  return state;
}
