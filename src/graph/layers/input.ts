import { defineLayer } from '../layer-spec.ts';
import { MAX_SIZE } from '../params.ts';
import { formatShape } from '../shape-math.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    Input: true;
  }
}

export const input = defineLayer({
  kind: 'Input',
  category: 'input',
  title: { en: 'Input', es: 'Entrada' },
  doc: {
    en: 'Where data enters: an image H×W×C (28×28×1 for MNIST) or a vector of N features.',
    es: 'Donde entran los datos: una imagen H×W×C (28×28×1 para MNIST) o un vector de N rasgos.',
  },
  params: {
    shape: {
      type: 'ints',
      default: [28, 28, 1],
      minLength: 1,
      maxLength: 3,
      min: 1,
      max: MAX_SIZE,
      doc: {
        en: 'Shape of one sample without the batch: [height, width, channels] or [features].',
        es: 'Forma de una muestra sin el lote: [alto, ancho, canales] o [rasgos].',
      },
    },
  },
  accepts: 'any',
  window: null,
  explainSize: null,
  field: 'pointwise',
  flow: { keepsHead: false, keepsChannels: false, orderBlind: false, channelsParam: null, linear: 'always' },
  inputs: { min: 0, max: 0 },
  summary: (p) => formatShape(p.shape),
  outputShape: ({ params }) => ({ shape: [...params.shape] }),
  weights: () => [],
  macs: () => 0,
  // The graph input itself, channels-last like the tfjs model's.
  onnx: () => ({ layout: 'channels-last', ops: [] }),
  keras: ({ params }) => [
    { className: 'InputLayer', config: { batch_input_shape: [null, ...params.shape], dtype: 'float32', sparse: false } },
  ],
  // The forward() argument itself: channels-first for images ([N, C, H, W]).
  torch: () => ({ modules: [], forward: '{x}', weights: [] }),
});
