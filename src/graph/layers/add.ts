import { defineLayer } from '../layer-spec.ts';
import { formatShape } from '../shape-math.ts';
import type { Dim, Shape } from '../types.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    Add: true;
  }
}

/** Two dims agree when equal or when either is unknown; the known one wins. */
function mergeDim(a: Dim, b: Dim): Dim | false {
  if (a === null) return b;
  if (b === null || a === b) return a;
  return false;
}

export const add = defineLayer({
  kind: 'Add',
  category: 'merge',
  title: { en: 'Add', es: 'Add (suma)' },
  doc: {
    en: 'Adds its inputs element-wise; they must have the same shape (ResNet skip connections).',
    es: 'Suma sus entradas elemento a elemento; deben tener la misma forma (conexiones residuales de ResNet).',
  },
  params: {},
  accepts: 'any',
  window: null,
  explainSize: null,
  field: 'pointwise',
  flow: { keepsHead: false, keepsChannels: true, orderBlind: false, channelsParam: null, linear: 'always' },
  inputs: { min: 2, max: 64 },
  summary: () => '',
  outputShape: ({ name, nodeId, inputs }) => {
    let out: Dim[] = [...inputs[0]];
    for (const x of inputs.slice(1)) {
      const merged: Shape | false =
        x.length === out.length && out.every((d, i) => mergeDim(d, x[i]) !== false)
          ? out.map((d, i) => mergeDim(d, x[i]) as Dim)
          : false;
      if (!merged) {
        return {
          shape: null,
          issues: [
            { severity: 'error', code: 'add-shape-mismatch', nodeId, values: { node: name, a: formatShape(inputs[0]), b: formatShape(x) } },
          ],
        };
      }
      out = [...merged];
    }
    return { shape: out };
  },
  weights: () => [],
  macs: () => 0,
  onnx: ({ inputs }) => ({
    layout: 'any',
    ops: [{ op: inputs.length === 2 ? 'Add' : 'Sum', inputs: inputs.map((_, slot) => ({ input: slot })) }],
  }),
  keras: () => [{ className: 'Add', config: {} }],
  torch: ({ inputs }) => ({ modules: [], forward: inputs.map((_, i) => `{x${i}}`).join(' + '), weights: [] }),
});
