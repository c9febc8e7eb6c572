/** Test support: the real `bin/netcanvas.mjs` run in a child Node process, as users run it. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = join(ROOT, 'bin/netcanvas.mjs');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bin asynchronously, so that concurrent tests overlap their start-up. */
export function netcanvas(args: readonly string[], input?: string | Uint8Array, timeout = 60_000): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, timeout });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
