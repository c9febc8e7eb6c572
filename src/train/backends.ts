/**
 * Backend discovery and activation inside the worker. WebGPU and WASM load only when asked (they are
 * large); WebGL and CPU come with tfjs. A backend that fails to initialise is reported in words and
 * the caller falls back (see backend-choice.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName, MissingBackend } from './protocol.ts';

export interface Availability {
  readonly available: BackendName[];
  readonly unavailable: { readonly backend: BackendName; readonly reason: string; readonly missing?: MissingBackend }[];
}

type Lack = { readonly reason: string; readonly missing?: MissingBackend } | null;

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

async function hasWebGpuAdapter(): Promise<Lack> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return { reason: 'this browser has no WebGPU', missing: 'no-webgpu' };
  try {
    const adapter = await gpu.requestAdapter();
    return adapter ? null : { reason: 'the browser offers WebGPU but no adapter (no usable GPU)', missing: 'no-gpu-adapter' };
  } catch (e) {
    return { reason: `WebGPU adapter request failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function hasWebGl(): Lack {
  try {
    if (typeof OffscreenCanvas === 'undefined') return { reason: 'no OffscreenCanvas in this worker', missing: 'no-offscreen-canvas' };
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    return gl ? null : { reason: 'WebGL 2 is not available', missing: 'no-webgl2' };
  } catch (e) {
    return { reason: `WebGL failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** What this browser offers, without initialising anything heavy. */
export async function probeBackends(): Promise<Availability> {
  const available: BackendName[] = [];
  const unavailable: Availability['unavailable'] = [];
  const gpu = await hasWebGpuAdapter();
  if (gpu) unavailable.push({ backend: 'webgpu', ...gpu });
  else available.push('webgpu');
  const gl = hasWebGl();
  if (gl) unavailable.push({ backend: 'webgl', ...gl });
  else available.push('webgl');
  if (typeof WebAssembly === 'object') available.push('wasm');
  else unavailable.push({ backend: 'wasm', reason: 'WebAssembly is not available', missing: 'no-wasm' });
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
