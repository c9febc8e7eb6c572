/**
 * Which backend trains: pure decisions over what the browser offers and what was measured. "Auto"
 * keeps the fastest measured backend; a named choice is honoured when it works and otherwise falls back
 * along the preference order (WebGPU → WebGL → WASM → CPU), never to nothing: CPU always works.
 */
import { BACKENDS, type AutoPick, type BackendChoice, type BackendMeasurement, type BackendName } from './protocol.ts';

export const BACKEND_LABELS: Readonly<Record<BackendName, string>> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

/** The fastest measured backend; on a tie the one earlier in the preference order. Null when none ran. */
export function pickFastest(measurements: readonly BackendMeasurement[]): BackendName | null {
  let best: BackendMeasurement | null = null;
  for (const name of BACKENDS) {
    const m = measurements.find((x) => x.backend === name);
    if (!m || m.samplesPerSec === null || !Number.isFinite(m.samplesPerSec) || m.samplesPerSec <= 0) continue;
    if (!best || m.samplesPerSec > best.samplesPerSec!) best = m;
  }
  return best ? best.backend : null;
}

/**
 * The order to try backends in for a choice: the chosen one first, then the rest of the preference
 * order after it, then what lies before it, CPU last. Only available backends are listed (CPU always is).
 */
export function fallbackOrder(choice: BackendName, available: readonly BackendName[]): BackendName[] {
  const start = BACKENDS.indexOf(choice);
  const rotated = [...BACKENDS.slice(start), ...BACKENDS.slice(0, start)];
  const order = rotated.filter((b) => b !== 'cpu' && available.includes(b));
  // CPU needs nothing from the machine: it is the last resort, or first when chosen.
  return choice === 'cpu' ? ['cpu', ...order] : [...order, 'cpu'];
}

/**
 * The order Auto tries backends in before anything is measured, fastest expected first on the machines
 * we measured (docs: WASM with its training kernels ≈ 3,700 samples/s on LeNet-5, WebGL on SwiftShader
 * ≈ 120, CPU ≈ 60, WebGPU on SwiftShader ≈ 27). Measuring follows the same order, to give up early.
 */
export const AUTO_START_ORDER: readonly BackendName[] = ['wasm', 'webgl', 'webgpu', 'cpu'];


/**
 * Where Auto starts at once, without measuring first: the fastest backend measured for this design
 * (when it is still available), else the first available in AUTO_START_ORDER. The others are measured
 * after the run and remembered, so the next run starts on the winner.
 */
export function autoStart(available: readonly BackendName[], known: readonly BackendMeasurement[] | null): { backend: BackendName; pick: AutoPick } {
  const fastest = known ? pickFastest(known.filter((m) => m.backend === 'cpu' || available.includes(m.backend))) : null;
  if (fastest) return { backend: fastest, pick: 'measured' };
  return { backend: AUTO_START_ORDER.find((b) => b === 'cpu' || available.includes(b)) ?? 'cpu', pick: 'first-guess' };
}

/** What to train on: Auto's pick (or the first available when nothing was measured), or the override. */
export function resolveBackend(
  choice: BackendChoice,
  available: readonly BackendName[],
  measurements: readonly BackendMeasurement[],
): BackendName {
  if (choice !== 'auto') return fallbackOrder(choice, available)[0];
  return pickFastest(measurements) ?? BACKENDS.find((b) => available.includes(b)) ?? 'cpu';
}

/** "WASM 1,420 samples/s · WebGL 231 · CPU 108 · WebGPU: no adapter", fastest first. */
export function describeMeasurements(measurements: readonly BackendMeasurement[]): string {
  const ok = measurements.filter((m) => m.samplesPerSec !== null).sort((a, b) => b.samplesPerSec! - a.samplesPerSec!);
  const failed = measurements.filter((m) => m.samplesPerSec === null);
  return [
    ...ok.map((m, i) => `${BACKEND_LABELS[m.backend]} ${Math.round(m.samplesPerSec!).toLocaleString('en-US')}${i === 0 ? ' samples/s' : ''}`),
    ...failed.map((m) => `${BACKEND_LABELS[m.backend]}: ${m.error ?? 'unavailable'}`),
  ].join(' · ');
}
