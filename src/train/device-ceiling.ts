/**
 * What the device allows a training step, read on the page before Train (the budget check, issue 15).
 * Imports no tfjs: the main bundle asks the browser directly.
 *
 * - WebGPU as the chosen backend: the adapter's limits on one bound buffer (`maxStorageBufferBindingSize`,
 *   `maxBufferSize`, the smaller); a kernel cannot bind a tensor larger than that, whatever the total.
 * - Otherwise `navigator.deviceMemory`: the device's RAM in GiB, as the browser rounds it (Chromium
 *   reports at most 8). A tab gets less than all of it, so this is the most optimistic ceiling.
 * No reading (Firefox and Safari lack deviceMemory): no ceiling, and the check shows figures only.
 */
import type { DeviceCeiling } from '../graph/training-memory.ts';
import type { BackendChoice } from './protocol.ts';

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
