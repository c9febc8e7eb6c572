/**
 * What every exporter checks before writing anything besides `designErrors` (src/graph): weights handed in
 * fit what the design declares. Comes back as a value (an issue), never an exception.
 */
import { displayName, type Design, type DesignInference, type Issue } from '../graph/index.ts';
import type { DesignWeights } from '../graph/weights.ts';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** An `export-weights-mismatch` issue naming the first tensor that differs from the declarations, or null. */
export function weightsIssue(design: Design, inference: DesignInference, weights: DesignWeights): Issue | null {
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  for (const id of inference.order) {
    const name = displayName(byId.get(id)!);
    for (const w of inference.nodes.get(id)!.weights) {
      const t = weights.get(id)?.[w.name];
      const detail = !t
        ? `${name} has no ${w.name}`
        : t.shape.join() !== w.shape.join() || t.data.length !== size(w.shape)
          ? `${name}.${w.name} is ${t.shape.join('×')}, the design needs ${w.shape.join('×')}`
          : null;
      if (detail) return { severity: 'error', code: 'export-weights-mismatch', values: { detail } };
    }
  }
  return null;
}
