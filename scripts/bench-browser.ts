/**
 * What the browser benchmarks share: build the app and serve it with `vite preview` (cross-origin
 * isolated, as users get it). The Chromium they drive and its flags are in chromium.ts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

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
