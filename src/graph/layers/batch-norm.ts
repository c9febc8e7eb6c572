import { defineLayer } from '../layer-spec.ts';
import { requireChannels } from './common.ts';

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
    epsilon: {
      type: 'float',
      default: 0.001,
      min: 0,
      max: 1,
      doc: { en: 'Added to the variance to avoid dividing by zero.', es: 'Se suma a la varianza para no dividir entre cero.' },
    },
    center: { type: 'bool', default: true, doc: { en: 'Learn a shift β per channel.', es: 'Aprende un desplazamiento β por canal.' } },
    scale: { type: 'bool', default: true, doc: { en: 'Learn a scale γ per channel.', es: 'Aprende una escala γ por canal.' } },
  },
  inputs: { min: 1, max: 1 },
  summary: () => '',
  outputShape: ({ name, nodeId, inputs: [x] }) => {
    const issue = requireChannels(name, nodeId, x);
    return issue ? { shape: null, issues: [issue] } : { shape: x };
  },
  weights: ({ params: p, inputs: [x] }) => {
    const c = [x[x.length - 1] as number];
    return [
      ...(p.scale ? [{ name: 'gamma', shape: c, trainable: true }] : []),
      ...(p.center ? [{ name: 'beta', shape: c, trainable: true }] : []),
      { name: 'moving_mean', shape: c, trainable: false },
      { name: 'moving_variance', shape: c, trainable: false },
    ];
  },
  macs: () => 0,
  keras: ({ params: p }) => [
    {
      className: 'BatchNormalization',
      config: { axis: -1, momentum: p.momentum, epsilon: p.epsilon, center: p.center, scale: p.scale },
    },
  ],
});
