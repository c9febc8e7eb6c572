/**
 * Whether trained weights still fit a design: every node that declares weights has each of them, in
 * the declared shape, and no weights are left for nodes that no longer declare any. Pure.
 */
import type { DesignInference } from '../graph/infer.ts';
import type { DesignWeights } from '../graph/weights.ts';

export function weightsFit(inference: DesignInference, weights: DesignWeights): boolean {
  if (inference.totals.errors > 0) return false;
  let withWeights = 0;
  for (const [id, info] of inference.nodes) {
    if (info.weights.length === 0) continue;
    withWeights++;
    const saved = weights.get(id);
    if (!saved || Object.keys(saved).length !== info.weights.length) return false;
    for (const w of info.weights) {
      const t = saved[w.name];
      if (!t || t.shape.length !== w.shape.length || t.shape.some((d, i) => d !== w.shape[i])) return false;
    }
  }
  return weights.size === withWeights;
}
