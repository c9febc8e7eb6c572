/**
 * Between a compiled tfjs model and DesignWeights (node id → declared weight name → tensor). A node's
 * tfjs layers (its chain) hold its weights in the order its layer file declares them — the compile
 * differential test pins that — so the mapping is positional, never by tfjs's variable names (which
 * tfjs may suffix to keep them unique).
 */
import * as tf from '@tensorflow/tfjs';
import type { CompiledModel } from '../compile/compile.ts';
import type { DesignWeights, WeightTensor } from '../graph/weights.ts';

export function nodeVariables(compiled: CompiledModel, nodeId: string): tf.LayerVariable[] {
  const names = compiled.chainNames.get(nodeId) ?? [];
  return names.flatMap((name) => compiled.model.getLayer(name).weights);
}

/** Copies every declared weight out of the model (async reads: no stall on a GPU backend). */
export async function readDesignWeights(compiled: CompiledModel): Promise<DesignWeights> {
  const out = new Map<string, Record<string, WeightTensor>>();
  for (const id of compiled.inference.order) {
    const declared = compiled.inference.nodes.get(id)!.weights;
    if (declared.length === 0) continue;
    const vars = nodeVariables(compiled, id);
    if (vars.length !== declared.length) {
      throw new Error(`${id}: the model holds ${vars.length} weights but the design declares ${declared.length}`);
    }
    const named: Record<string, WeightTensor> = {};
    for (let i = 0; i < declared.length; i++) {
      const data = (await vars[i].read().data()) as Float32Array;
      // data() may hand back the backend's own storage on cpu; a copy is ours to transfer.
      named[declared[i].name] = { shape: [...declared[i].shape], data: new Float32Array(data) };
    }
    out.set(id, named);
  }
  return out;
}

/**
 * Loads weights into the model where they fit; returns how many nodes were loaded. A node whose saved
 * shapes differ is left with its fresh weights (the store clears weights that no longer fit anyway).
 */
export function applyDesignWeights(compiled: CompiledModel, weights: DesignWeights): number {
  let loaded = 0;
  for (const [id, named] of weights) {
    const info = compiled.inference.nodes.get(id);
    if (!info || info.weights.length === 0) continue;
    const vars = nodeVariables(compiled, id);
    const fits =
      vars.length === info.weights.length &&
      info.weights.every((w, i) => {
        const t = named[w.name];
        return t && t.shape.join(',') === w.shape.join(',') && vars[i].shape.join(',') === w.shape.join(',');
      });
    if (!fits) continue;
    // The variable keeps its own reference to the data; tidy frees the temporary tensor object.
    tf.tidy(() => info.weights.forEach((w, i) => vars[i].write(tf.tensor(named[w.name].data, [...w.shape]))));
    loaded++;
  }
  return loaded;
}
