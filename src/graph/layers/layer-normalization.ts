/**
 * Normalises each position's channel vector (Keras's default last axis) to mean 0 and variance 1, then
 * scales (γ) and shifts (β) per channel. Unlike BatchNorm it uses no batch statistics, so training and
 * inference compute the same thing (Transformers, ConvNeXt).
 */
import { defineLayer, type OnnxInput, type OnnxOp } from '../layer-spec.ts';
import { centerParam, gammaBeta, normalizedShape, normEpsilonParam, scaleParam } from './shared/common.ts';
import { scalar } from './shared/onnx-common.ts';
import { pyNumber, toChannelsFirstExpr, toChannelsLastExpr } from './shared/torch-common.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    LayerNormalization: true;
  }
}

export const layerNormalization = defineLayer({
  kind: 'LayerNormalization',
  category: 'normalization',
  title: { en: 'LayerNormalization', es: 'LayerNormalization' },
  doc: {
    en: 'Normalises the channels at each position to mean 0 and variance 1, then scales (γ) and shifts (β); no batch statistics, so training and inference agree.',
    es: 'Normaliza los canales de cada posición a media 0 y varianza 1 y luego escala (γ) y desplaza (β); sin estadísticas del lote, así que entrenamiento e inferencia coinciden.',
  },
  params: {
    epsilon: normEpsilonParam,
    center: centerParam,
    scale: scaleParam,
  },
  inputs: { min: 1, max: 1 },
  accepts: 'any',
  window: null,
  explainSize: null,
  field: 'pointwise',
  flow: { keepsHead: false, keepsChannels: true, orderBlind: false, channelsParam: null, linear: 'never' },
  summary: () => '',
  outputShape: normalizedShape,
  weights: ({ params: p, inputs: [x] }) => gammaBeta(p, x),
  macs: () => 0,
  // Opset 13 has no LayerNormalization op (it arrives with 17): the same arithmetic over the last axis of
  // the channels-last tensor, (x − mean) / √(var + ε) · γ + β, with the variance a mean of squares.
  onnx: ({ params: p }) => {
    const mean = (x: OnnxInput): OnnxOp => ({ op: 'ReduceMean', inputs: [x], attributes: { axes: { ints: [-1] }, keepdims: { int: 1 } } });
    const ops: OnnxOp[] = [
      mean({ input: 0 }),
      { op: 'Sub', inputs: [{ input: 0 }, { step: 0 }] },
      { op: 'Mul', inputs: [{ step: 1 }, { step: 1 }] },
      mean({ step: 2 }),
      { op: 'Add', inputs: [{ step: 3 }, scalar(p.epsilon)] },
      { op: 'Sqrt', inputs: [{ step: 4 }] },
      { op: 'Div', inputs: [{ step: 1 }, { step: 5 }] },
    ];
    if (p.scale) ops.push({ op: 'Mul', inputs: [{ step: ops.length - 1 }, { weight: 'gamma' }] });
    if (p.center) ops.push({ op: 'Add', inputs: [{ step: ops.length - 1 }, { weight: 'beta' }] });
    return { layout: 'channels-last', ops };
  },
  keras: ({ params: p }) => [
    {
      className: 'LayerNormalization',
      config: { axis: -1, epsilon: p.epsilon, center: p.center, scale: p.scale },
      // γ starts at ones and β at zeros: nothing random to draw.
      initializers: [],
    },
  ],
  // nn.LayerNorm normalises the trailing axes; PyTorch keeps channels on dim 1, so they move to the end
  // and back (over C only, as Keras does, never over H and W). It has γ and β both or neither; Keras's
  // center/scale can keep one, which then lives beside the module as its own nn.Parameter.
  torch: ({ params: p, inputs: [x] }) => {
    const c = x[x.length - 1] as number;
    const affine = p.scale && p.center;
    const ctor = `nn.LayerNorm(${c}, eps=${pyNumber(p.epsilon)}${affine ? '' : ', elementwise_affine=False'})`;
    const own = `{m}(${toChannelsLastExpr('{x}', x.length)})`;
    if (affine || (!p.scale && !p.center)) {
      return {
        modules: [{ ctor }],
        forward: toChannelsFirstExpr(own, x.length),
        weights: affine ? [{ keras: 'gamma', param: 'weight' }, { keras: 'beta', param: 'bias' }] : [],
      };
    }
    return {
      modules: [
        { ctor },
        p.scale ? { suffix: 'gamma', ctor: `nn.Parameter(torch.ones(${c}))` } : { suffix: 'beta', ctor: `nn.Parameter(torch.zeros(${c}))` },
      ],
      // Parenthesised: the move back applies to the product, not to γ.
      forward: toChannelsFirstExpr(p.scale ? `(${own} * {m.gamma})` : `(${own} + {m.beta})`, x.length),
      weights: [p.scale ? { keras: 'gamma', module: 'gamma' } : { keras: 'beta', module: 'beta' }],
    };
  },
});
