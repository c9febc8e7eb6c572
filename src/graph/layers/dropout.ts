import { defineLayer } from '../layer-spec.ts';
import { scalar } from './shared/onnx-common.ts';
import { pyNumber } from './shared/torch-common.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    Dropout: true;
  }
}

export const dropout = defineLayer({
  kind: 'Dropout',
  category: 'normalization',
  title: { en: 'Dropout', es: 'Dropout' },
  doc: {
    en: 'During training, zeroes a random fraction of values so units cannot rely on each other; does nothing at test time.',
    es: 'Durante el entrenamiento anula una fracción aleatoria de valores para que las unidades no dependan unas de otras; no hace nada al evaluar.',
  },
  params: {
    rate: {
      type: 'float',
      default: 0.5,
      min: 0,
      max: 1,
      maxExclusive: true,
      doc: { en: 'Fraction of values dropped, from 0 up to (not including) 1.', es: 'Fracción de valores anulados, de 0 hasta 1 (sin incluirlo).' },
    },
  },
  accepts: 'any',
  window: null,
  explainSize: null,
  field: 'pointwise',
  flow: { keepsHead: true, keepsChannels: true, orderBlind: true, channelsParam: null, linear: 'always' },
  inputs: { min: 1, max: 1 },
  summary: (p) => `${p.rate}`,
  outputShape: ({ inputs: [x] }) => ({ shape: x }),
  weights: () => [],
  macs: () => 0,
  // At inference Dropout is the identity; the op keeps the rate visible (Netron).
  onnx: ({ params: p }) => ({ layout: 'any', ops: [{ op: 'Dropout', inputs: [{ input: 0 }, scalar(p.rate)] }] }),
  keras: ({ params: p }) => [{ className: 'Dropout', config: { rate: p.rate } }],
  torch: ({ params: p }) => ({ modules: [{ ctor: `nn.Dropout(p=${pyNumber(p.rate)})` }], forward: '{m}({x})', weights: [] }),
});
