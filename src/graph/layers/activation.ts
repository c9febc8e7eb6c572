import { defineLayer } from '../layer-spec.ts';
import { activationOps, channelAxis } from './shared/onnx-common.ts';
import { activationModule, type ActivationName } from './shared/torch-common.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    Activation: true;
  }
}

export const activation = defineLayer({
  kind: 'Activation',
  category: 'activation',
  title: { en: 'Activation', es: 'Activación' },
  doc: {
    en: 'Applies a non-linearity to every value; without one, stacked layers collapse into a single linear map.',
    es: 'Aplica una no linealidad a cada valor; sin ella, las capas apiladas equivalen a una sola transformación lineal.',
  },
  params: {
    activation: {
      type: 'choice',
      default: 'relu',
      options: ['relu', 'relu6', 'leaky_relu', 'elu', 'gelu', 'sigmoid', 'tanh', 'softmax', 'swish'],
      doc: {
        en: 'The function; softmax turns scores into probabilities over the last axis; swish is also called SiLU.',
        es: 'La función; softmax convierte puntuaciones en probabilidades sobre el último eje; swish también se llama SiLU.',
      },
    },
    alpha: {
      type: 'float',
      default: 0.01,
      min: 0,
      max: 1,
      doc: {
        en: 'Slope for negative inputs (leaky_relu only).',
        es: 'Pendiente para entradas negativas (solo leaky_relu).',
      },
    },
  },
  accepts: 'any',
  window: null,
  explainSize: null,
  field: 'pointwise',
  flow: { keepsHead: false, keepsChannels: true, orderBlind: true, channelsParam: null, linear: 'never' },
  inputs: { min: 1, max: 1 },
  summary: (p) => (p.activation === 'leaky_relu' ? `leaky_relu ${p.alpha}` : p.activation),
  outputShape: ({ inputs: [x] }) => ({ shape: x }),
  weights: () => [],
  macs: () => 0,
  onnx: ({ params: p, layout }) => ({
    layout: 'any',
    ops: activationOps(p.activation, { input: 0 }, 0, channelAxis(layout), p.alpha),
  }),
  keras: ({ params: p }) =>
    p.activation === 'leaky_relu'
      ? [{ className: 'LeakyReLU', config: { alpha: p.alpha } }]
      : [{ className: 'Activation', config: { activation: p.activation } }],
  torch: ({ params: p }) => ({ modules: [{ ctor: activationModule(p.activation as ActivationName, p.alpha) }], forward: '{m}({x})', weights: [] }),
});
