/**
 * Backend discovery and activation inside the worker. WebGPU and WASM load only when asked (they are
 * large); WebGL and CPU come with tfjs. A backend that fails to initialise is reported in words and
 * the caller falls back (see backend-choice.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from './protocol.ts';

export interface Availability {
  readonly available: BackendName[];
  readonly unavailable: { readonly backend: BackendName; readonly reason: string }[];
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

async function hasWebGpuAdapter(): Promise<string | null> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return 'this browser has no WebGPU';
  try {
    const adapter = await gpu.requestAdapter();
    return adapter ? null : 'the browser offers WebGPU but no adapter (no usable GPU)';
  } catch (e) {
    return `WebGPU adapter request failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function hasWebGl(): string | null {
  try {
    if (typeof OffscreenCanvas === 'undefined') return 'no OffscreenCanvas in this worker';
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    return gl ? null : 'WebGL 2 is not available';
  } catch (e) {
    return `WebGL failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** What this browser offers, without initialising anything heavy. */
export async function probeBackends(): Promise<Availability> {
  const available: BackendName[] = [];
  const unavailable: Availability['unavailable'] = [];
  const gpu = await hasWebGpuAdapter();
  if (gpu) unavailable.push({ backend: 'webgpu', reason: gpu });
  else available.push('webgpu');
  const gl = hasWebGl();
  if (gl) unavailable.push({ backend: 'webgl', reason: gl });
  else available.push('webgl');
  if (typeof WebAssembly === 'object') available.push('wasm');
  else unavailable.push({ backend: 'wasm', reason: 'WebAssembly is not available' });
  available.push('cpu');
  return { available, unavailable };
}

const registered = new Map<BackendName, Promise<void>>();

/** Loads the backend's code once (WebGPU, WASM and its training kernels). */
function register(name: BackendName): Promise<void> {
  let p = registered.get(name);
  if (!p) {
    p = (async () => {
      if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
      if (name === 'wasm') (await import('./wasm-backend.ts')).prepareWasm();
    })();
    registered.set(name, p);
    // A failed load may succeed later (a flaky fetch); do not cache the failure.
    p.catch(() => registered.delete(name));
  }
  return p;
}

/** Makes `name` the active backend or throws in words. */
export async function activate(name: BackendName): Promise<void> {
  if (tf.getBackend() === name) return;
  await register(name);
  let ok = false;
  try {
    ok = await tf.setBackend(name);
  } catch (e) {
    throw new Error(`${name} failed to start: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!ok) throw new Error(`${name} failed to start`);
  await tf.ready();
}
