/**
 * Test support for the exporters (imported by *.test.ts only): the Python that checks generated files,
 * and weights moved out of a tfjs model. The templates come from graph/testing/templates.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import type { DesignWeights, WeightTensor } from '../graph/weights.ts';
import type { CompiledModel } from '../compile/compile.ts';
import { Rng } from '../graph/testing/rng.ts';

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
 * Gives every weight of a compiled model random values of the right kind: Glorot-uniform kernels;
 * biases, β and running means small; γ and running variances around 1. So a comparison exercises every
 * tensor's layout, not just the kernels', and a model compiled with `zeroInit` (fast) gets real weights.
 */
export function randomizeWeights(built: CompiledModel, seed: number): void {
  const rng = new Rng(seed);
  for (const [id, chain] of built.chainNames) {
    const declared = built.inference.nodes.get(id)!.weights;
    const layers = chain.map((name) => built.model.getLayer(name));
    let at = 0;
    for (const layer of layers) {
      const values = layer.getWeights().map((v, i) => {
        const { name, shape } = declared[at + i];
        const n = shape.reduce((a, b) => a * b, 1);
        const data = new Float32Array(n);
        if (name.endsWith('kernel')) {
          const field = shape.slice(0, -2).reduce((a, b) => a * b, 1);
          const limit = Math.sqrt(6 / ((shape.at(-2)! + shape.at(-1)!) * field));
          for (let j = 0; j < n; j++) data[j] = (rng.next() * 2 - 1) * limit;
        } else {
          const around1 = name === 'gamma' || name === 'moving_variance';
          for (let j = 0; j < n; j++) data[j] = around1 ? 0.5 + rng.next() : (rng.next() - 0.5) * 0.2;
        }
        return tf.tensor(data, v.shape);
      });
      if (values.length > 0) layer.setWeights(values);
      tf.dispose(values);
      at += values.length;
    }
  }
}

/** The weights of a compiled model, keyed as the design declares them (node id → weight name). */
export function weightsFromModel(built: CompiledModel): DesignWeights {
  const out = new Map<string, Record<string, WeightTensor>>();
  for (const [id, chain] of built.chainNames) {
    const declared = built.inference.nodes.get(id)!.weights;
    const values = chain.flatMap((name) => built.model.getLayer(name).getWeights());
    const tensors: Record<string, WeightTensor> = {};
    values.forEach((v, i) => {
      tensors[declared[i].name] = { shape: v.shape, data: v.dataSync() as Float32Array };
    });
    out.set(id, tensors);
  }
  return out;
}

/** Random inputs (uniform in [−1, 1)) for each of the model's inputs, with the given batch size. */
export function randomInputs(built: CompiledModel, batch: number, seed: number): tf.Tensor[] {
  const rng = new Rng(seed);
  return built.model.inputs.map((t) => {
    const shape = [batch, ...(t.shape.slice(1) as number[])];
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(rng.values(n), shape);
  });
}
