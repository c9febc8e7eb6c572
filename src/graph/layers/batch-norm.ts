import { defineLayer } from '../layer-spec.ts';
import { centerParam, gammaBeta, normalizedShape, normEpsilonParam, scaleParam } from './shared/common.ts';
import { pyNumber } from './shared/torch-common.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    BatchNorm: true;
  }
}

export const batchNorm = defineLayer({
  kind: 'BatchNorm',
  category: 'normalization',
  title: { en: 'BatchNorm', es: 'BatchNorm' },
  doc: {
    en: 'Normalises each channel over the batch, then scales (γ) and shifts (β); running mean and variance are stored, not trained.',
    es: 'Normaliza cada canal sobre el lote y luego escala (γ) y desplaza (β); la media y la varianza móviles se guardan, no se entrenan.',
  },
  params: {
    momentum: {
      type: 'float',
      default: 0.99,
      min: 0,
      max: 1,
      doc: {
        en: 'Weight of the old running statistics per step (Keras convention; PyTorch momentum = 1 − this).',
        es: 'Peso de las estadísticas móviles anteriores en cada paso (convención de Keras; momentum de PyTorch = 1 − este).',
      },
    },
    epsilon: normEpsilonParam,
    center: centerParam,
    scale: scaleParam,
  },
  accepts: 'any',
  window: null,
  explainSize: null,
  field: 'pointwise',
  flow: { keepsHead: false, keepsChannels: true, orderBlind: false, channelsParam: null, linear: 'always' },
  inputs: { min: 1, max: 1 },
  summary: () => '',
  outputShape: normalizedShape,
  weights: ({ params: p, inputs: [x] }) => {
    const c = [x[x.length - 1] as number];
    return [
      ...gammaBeta(p, x),
      { name: 'moving_mean', shape: c, trainable: false },
      { name: 'moving_variance', shape: c, trainable: false },
    ];
  },
  macs: () => 0,
  // ONNX's momentum means what Keras's does (the weight of the old statistics); a missing γ is 1, β is 0.
  onnx: ({ params: p, inputs: [x] }) => {
    const c = x[x.length - 1] as number;
    const fill = (v: number) => ({ constant: new Array<number>(c).fill(v), dims: [c], type: 'float' as const });
    return {
      layout: 'channels-first',
      ops: [
        {
          op: 'BatchNormalization',
          inputs: [
            { input: 0 },
            p.scale ? { weight: 'gamma' } : fill(1),
            p.center ? { weight: 'beta' } : fill(0),
            { weight: 'moving_mean' },
            { weight: 'moving_variance' },
          ],
          attributes: { epsilon: { float: p.epsilon }, momentum: { float: p.momentum } },
        },
      ],
    };
  },
  keras: ({ params: p }) => [
    {
      className: 'BatchNormalization',
      config: { axis: -1, momentum: p.momentum, epsilon: p.epsilon, center: p.center, scale: p.scale },
      // γ starts at ones, β and the statistics at zeros and ones: nothing random to draw.
      initializers: [],
    },
  ],
  // PyTorch's momentum weighs the new batch (1 − Keras's). An nn.BatchNorm has γ and β both or neither;
  // Keras's center/scale can keep one, which then lives beside the module as its own nn.Parameter.
  torch: ({ params: p, inputs: [x] }) => {
    const c = x[x.length - 1] as number;
    const cls = x.length === 3 ? 'nn.BatchNorm2d' : 'nn.BatchNorm1d';
    const affine = p.scale && p.center;
    const args = [`${c}`, `eps=${pyNumber(p.epsilon)}`, `momentum=${pyNumber(1 - p.momentum)}`, ...(affine ? [] : ['affine=False'])];
    const stats = [
      { keras: 'moving_mean', param: 'running_mean' },
      { keras: 'moving_variance', param: 'running_var' },
    ];
    if (affine || (!p.scale && !p.center)) {
      return {
        modules: [{ ctor: `${cls}(${args.join(', ')})` }],
        forward: '{m}({x})',
        weights: [...(affine ? [{ keras: 'gamma', param: 'weight' }, { keras: 'beta', param: 'bias' }] : []), ...stats],
      };
    }
    // Broadcast a per-channel vector over the positions that follow the channel axis.
    const perChannel = (ref: string) => (x.length === 1 ? ref : `${ref}.view(-1${', 1'.repeat(x.length - 1)})`);
    return {
      modules: [
        { ctor: `${cls}(${args.join(', ')})` },
        p.scale ? { suffix: 'gamma', ctor: `nn.Parameter(torch.ones(${c}))` } : { suffix: 'beta', ctor: `nn.Parameter(torch.zeros(${c}))` },
      ],
      forward: p.scale ? `{m}({x}) * ${perChannel('{m.gamma}')}` : `{m}({x}) + ${perChannel('{m.beta}')}`,
      weights: [p.scale ? { keras: 'gamma', module: 'gamma' } : { keras: 'beta', module: 'beta' }, ...stats],
    };
  },
});
