/**
 * What the device allows a training step, read on the page before Train (the budget check, issue 15).
 * Imports no tfjs: the main bundle asks the browser directly.
 *
 * - WebGPU as the chosen backend: the adapter's limits on one bound buffer (`maxStorageBufferBindingSize`,
 *   `maxBufferSize`, the smaller); a kernel cannot bind a tensor larger than that, whatever the total.
 * - Otherwise `navigator.deviceMemory`: the device's RAM in GiB, as the browser rounds it (Chromium
 *   reports at most 8). A tab gets less than all of it, so this is the most optimistic ceiling.
 * No reading (Firefox and Safari lack deviceMemory): no ceiling, and the check shows figures only.
 *
 * And one learned: when a run fails for lack of memory, the predicted peak of its step is remembered
 * per backend (the store keeps it in localStorage, like the run settings) and becomes a ceiling of its
 * own ('failed-run'); a later run that succeeds at that peak or above shows it was a passing shortage
 * (another tab, since closed) and forgets it.
 */
import { z } from 'zod';
import type { DeviceCeiling } from '../graph/training-memory.ts';
import { BACKENDS, type BackendChoice, type BackendName } from './protocol.ts';

const GIB = 2 ** 30;

interface AdapterLike {
  readonly limits?: { readonly maxStorageBufferBindingSize?: number; readonly maxBufferSize?: number };
}

export interface NavigatorLike {
  readonly deviceMemory?: number;
  readonly gpu?: { requestAdapter(): Promise<AdapterLike | null> };
}

async function webGpuBinding(nav: NavigatorLike): Promise<DeviceCeiling | null> {
  try {
    const limits = (await nav.gpu?.requestAdapter())?.limits;
    const sizes = [limits?.maxStorageBufferBindingSize, limits?.maxBufferSize].filter((v): v is number => typeof v === 'number' && v > 0);
    return sizes.length > 0 ? { source: 'webgpu-binding', bytes: Math.min(...sizes) } : null;
  } catch {
    // No adapter to ask: the run would not be on WebGPU either (it falls back), so RAM is the ceiling.
    return null;
  }
}

export async function probeCeiling(backend: BackendChoice, nav: NavigatorLike | undefined = globalThis.navigator as NavigatorLike | undefined): Promise<DeviceCeiling | null> {
  if (!nav) return null;
  if (backend === 'webgpu') {
    const gpu = await webGpuBinding(nav);
    if (gpu) return gpu;
  }
  const gib = nav.deviceMemory;
  return typeof gib === 'number' && gib > 0 ? { source: 'device-memory', bytes: gib * GIB } : null;
}

/** A step that ran out of memory: its predicted peak and batch size. */
export interface FailedStep {
  readonly bytes: number;
  readonly batchSize: number;
}

/** What failed, per backend (WASM's heap, WebGL's and WebGPU's GPU memory and the CPU's arrays differ). */
export type LearnedCeilings = Readonly<Partial<Record<BackendName, FailedStep>>>;

export const LEARNED_CEILINGS_KEY = 'netcanvas:learned-ceilings';

const failedStep = z.object({ bytes: z.number().positive().finite(), batchSize: z.number().int().min(1) });

/** Reads the stored value back; anything damaged is dropped, entry by entry. */
export function parseLearnedCeilings(value: unknown): LearnedCeilings {
  const raw = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const out: Partial<Record<BackendName, FailedStep>> = {};
  for (const b of BACKENDS) {
    const parsed = failedStep.safeParse(raw[b]);
    if (parsed.success) out[b] = parsed.data;
  }
  return out;
}

/** After a run on `backend` ran out of memory at a predicted `step`: the lower of it and what was known. */
export function learnFromFailure(known: LearnedCeilings, backend: BackendName, step: FailedStep): LearnedCeilings {
  const before = known[backend];
  return before && before.bytes <= step.bytes ? known : { ...known, [backend]: step };
}

/** After a run on `backend` finished at a predicted peak of `bytes`: a lesson it disproves is forgotten. */
export function forgetDisproved(known: LearnedCeilings, backend: BackendName, bytes: number): LearnedCeilings {
  const before = known[backend];
  if (!before || bytes < before.bytes) return known;
  const { [backend]: _, ...rest } = known;
  return rest;
}

/**
 * The learned ceiling for a choice: that backend's; under Auto, which may start on any backend, the
 * lowest of all (advice only, so the cautious one).
 */
export function learnedCeiling(known: LearnedCeilings, choice: BackendChoice): DeviceCeiling | null {
  const steps = choice === 'auto' ? Object.values(known) : [known[choice]];
  const lowest = steps.filter((s): s is FailedStep => s != null).sort((a, b) => a.bytes - b.bytes)[0];
  return lowest ? { source: 'failed-run', bytes: lowest.bytes, failedBatch: lowest.batchSize } : null;
}
