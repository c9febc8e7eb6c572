import { defineLayer } from '../layer-spec.ts';
import { elementCount, formatShape } from '../shape-math.ts';

export const flatten = defineLayer({
  kind: 'Flatten',
  category: 'reshape',
  title: { en: 'Flatten', es: 'Flatten (aplanar)' },
  doc: {
    en: 'Unrolls H×W×C into one vector of H·W·C values so Dense layers can take it.',
    es: 'Despliega H×W×C en un vector de H·W·C valores para que las capas Dense puedan tomarlo.',
  },
  params: {},
  inputs: { min: 1, max: 1 },
  summary: () => '',
  outputShape: ({ name, nodeId, inputs: [x] }) => ({
    shape: [elementCount(x)],
    issues:
      x.length === 1
        ? [{ severity: 'warning', code: 'flatten-noop', nodeId, values: { node: name, shape: formatShape(x) } }]
        : [],
  }),
  weights: () => [],
  macs: () => 0,
  keras: () => [{ className: 'Flatten', config: {} }],
});
