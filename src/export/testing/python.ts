/**
 * Test support for the exporters (imported by tests only): the Python that checks generated files. The
 * scripts it runs on them sit beside it (check_ast.py, check_pytorch.py).
 */
import { spawnSync } from 'node:child_process';

/**
 * A Python that can import `modules`: Debian's /usr/bin/python3 first (a pyenv python3 earlier on PATH
 * may lack the Debian packages). Null when none can; with CI=true that is an error, since CI installs
 * them (.ci/run), and a check that silently skips there would prove nothing.
 */
export function findPython(modules: readonly string[]): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  const what = `no python3 with ${modules.join(', ')}`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${what} (CI installs it: see .ci/run)`);
  console.warn(`${what}: skipping the checks that need it`);
  return null;
}

/** Runs a Python script (stdin: `input`) and returns its stdout; throws with stderr when it fails. */
export function runPython(python: string, script: string, input = ''): string {
  const result = spawnSync(python, ['-c', script], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`python failed (${result.status}): ${result.stderr || result.error}`);
  return result.stdout;
}

/** Any Python 3 (the `ast` checks need nothing else). */
export function anyPython(): string {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import ast'], { encoding: 'utf8' }).status === 0) return python;
  }
  throw new Error('python3 is needed to parse the generated code');
}

/**
 * The real Keras 3 of ../shared/keras (its `python` wrapper: Debian's python3 with Keras 3.16 on the
 * numpy backend), checked by importing keras and torch; `NETCANVAS_KERAS_PYTHON` names another. Null when
 * it cannot run; with CI=true that is an error, as for findPython: CI checks shared/ out beside the repository.
 */
export function findKerasPython(repoRoot: string): string | null {
  const python = process.env.NETCANVAS_KERAS_PYTHON ?? `${repoRoot}/../shared/keras/python`;
  const probe = spawnSync(python, ['-c', 'import keras, torch'], { encoding: 'utf8' });
  if (probe.status === 0) return python;
  const what = `no real Keras at ${python} (${(probe.stderr || String(probe.error ?? '')).trim().split('\n').at(-1)})`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${what}: CI needs ../shared/keras and the packages .ci/run installs`);
  console.warn(`${what}: skipping the checks that need it`);
  return null;
}
