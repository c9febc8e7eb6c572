/**
 * What the browser benchmarks share: build the app, serve it with `vite preview` (cross-origin isolated,
 * as users get it), and the headless Chromium they drive.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const CHROMIUM = '/usr/bin/chromium';
export const BASE_FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** WebGPU without a GPU: Chromium's SwiftShader adapter. */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'];

export const log = (line: string) => console.log(line);

export function build(): void {
  log('bench: vite build');
  const r = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('vite build failed');
}

/** Starts `vite preview` on `port` and resolves once it answers; kill it with `process.kill(-server.pid)`. */
export async function serve(port: number): Promise<ChildProcess> {
  const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { cwd: ROOT, stdio: 'ignore', detached: true });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://localhost:${port}/`)).ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer on port ${port}`);
}
