import { defineLayer } from '../layer-spec.ts';
import { MAX_SIZE } from '../params.ts';
import { elementCount, formatShape } from '../shape-math.ts';
import { activationParam, requireChannels, useBiasParam } from './common.ts';

export const dense = defineLayer({
  kind: 'Dense',
  category: 'dense',
  title: { en: 'Dense', es: 'Dense (totalmente conectada)' },
  doc: {
    en: 'Fully connected: every output unit weighs every input value (PyTorch: Linear).',
    es: 'Totalmente conectada: cada unidad de salida pondera cada valor de entrada (PyTorch: Linear).',
  },
  params: {
    units: {
      type: 'int',
      default: 10,
      min: 1,
      max: MAX_SIZE,
      doc: { en: 'Number of output units (10 for ten classes).', es: 'Número de unidades de salida (10 para diez clases).' },
    },
    activation: activationParam,
    use_bias: useBiasParam,
  },
  inputs: { min: 1, max: 1 },
  summary: (p) => [`${p.units}`, p.activation === 'linear' ? '' : p.activation].filter(Boolean).join(' · '),
  // Like Keras, Dense acts on the last axis; on an image that is rarely what a beginner meant.
  outputShape: ({ name, nodeId, params: p, inputs: [x] }) => {
    const shapeIssue = requireChannels(name, nodeId, x);
    if (shapeIssue) return { shape: null, issues: [shapeIssue] };
    return {
      shape: [...x.slice(0, -1), p.units],
      issues:
        x.length > 1
          ? [{ severity: 'warning', code: 'dense-on-image', nodeId, values: { node: name, shape: formatShape(x) } }]
          : [],
    };
  },
  weights: ({ params: p, inputs: [x] }) => {
    const kernel = { name: 'kernel', shape: [x[x.length - 1] as number, p.units], trainable: true };
    return p.use_bias ? [kernel, { name: 'bias', shape: [p.units], trainable: true }] : [kernel];
  },
  macs: ({ params: p, inputs: [x] }) => {
    const n = elementCount(x);
    return n === null ? null : n * p.units;
  },
  keras: ({ params: p }) => [{ className: 'Dense', config: { units: p.units, activation: p.activation, use_bias: p.use_bias } }],
});
