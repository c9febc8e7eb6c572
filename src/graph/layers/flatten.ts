import { defineLayer } from '../layer-spec.ts';
import { elementCount, formatShape } from '../shape-math.ts';
import { toChannelsLastExpr } from './shared/torch-common.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    Flatten: true;
  }
}

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
  accepts: 'any',
  window: null,
  explainSize: (_, x) => {
    const n = elementCount(x);
    if (x.length < 2 || n === null) return [];
    const symbols = x.length === 3 ? 'H·W·C' : x.map((_, i) => `d${i + 1}`).join('·');
    return [{ axis: 'features', dim: 0, rule: `out = ${symbols}`, formula: `out = ${x.join('·')} = ${n}`, result: n }];
  },
  field: 'whole',
  flow: { keepsHead: true, keepsChannels: false, orderBlind: false, channelsParam: null, linear: 'always' },
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
  // Flatten reads channels-last order, as Keras does, so the Dense after it keeps its Keras kernel.
  onnx: () => ({ layout: 'channels-last', ops: [{ op: 'Flatten', inputs: [{ input: 0 }], attributes: { axis: { int: 1 } } }] }),
  keras: () => [{ className: 'Flatten', config: {} }],
  // Keras flattens H×W×C row-major with channels last; PyTorch's torch.flatten of [C, H, W] puts channels
  // first. Both orders agree when C = 1 or H·W = 1; otherwise the export either permutes to Keras's order
  // here or (ctx.flatten 'channels-first', chosen by the exporter when only Dense layers read the vector)
  // keeps PyTorch's order and permutes those Dense kernels instead.
  torch: ({ inputs: [x], flatten: order }) => {
    if (x.length === 1) return { modules: [], forward: '{x}', weights: [] };
    const channels = x[x.length - 1] as number;
    const positions = x.slice(0, -1).reduce((a: number, d) => a * (d as number), 1);
    const same = order === 'channels-first' || channels === 1 || positions === 1;
    return {
      modules: [],
      forward: same ? 'torch.flatten({x}, 1)' : `${toChannelsLastExpr('{x}', x.length)}.flatten(1)`,
      weights: [],
      ...(same ? {} : { note: "channels-last order, as Keras flattens (the next layers read Keras's order)" }),
    };
  },
});
