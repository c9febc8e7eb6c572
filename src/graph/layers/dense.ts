import { defineLayer, type OnnxOp } from '../layer-spec.ts';
import { MAX_SIZE } from '../params.ts';
import { elementCount, formatShape } from '../shape-math.ts';
import { activationParam, requireChannels, useBiasParam } from './shared/common.ts';
import { activationOps } from './shared/onnx-common.ts';
import { pyBool, toChannelsFirstExpr, toChannelsLastExpr, torchActivation } from './shared/torch-common.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    Dense: true;
  }
}

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
  accepts: 'any',
  window: null,
  explainSize: null,
  field: 'pointwise',
  flow: { keepsHead: false, keepsChannels: false, orderBlind: false, channelsParam: { name: 'units', fix: 'fix-dense-units' }, linear: 'by-activation' },
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
          ? [
              {
                severity: 'warning',
                code: 'dense-on-image',
                nodeId,
                values: { node: name, shape: formatShape(x) },
                fix: { params: {}, insertBefore: 'Flatten', label: 'fix-insert-flatten' },
              },
            ]
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
  // Gemm for a batch of vectors; on a longer tensor Dense acts on the last axis: MatMul, then Add.
  onnx: ({ params: p, inputs: [x] }) => {
    const product: OnnxOp[] =
      x.length === 1
        ? [{ op: 'Gemm', inputs: [{ input: 0 }, { weight: 'kernel' }, ...(p.use_bias ? [{ weight: 'bias' }] : [])] }]
        : [
            { op: 'MatMul', inputs: [{ input: 0 }, { weight: 'kernel' }] },
            ...(p.use_bias ? [{ op: 'Add', inputs: [{ step: 0 }, { weight: 'bias' }] }] : []),
          ];
    const last = product.length - 1;
    return { layout: 'channels-last', ops: [...product, ...activationOps(p.activation, { step: last }, last + 1, -1)] };
  },
  keras: ({ params: p }) => [
    {
      className: 'Dense',
      config: { units: p.units, activation: p.activation, use_bias: p.use_bias },
      initializers: ['kernel_initializer', 'bias_initializer'],
    },
  ],
  // nn.Linear acts on the last axis; on a channels-first tensor the features are on dim 1, so they are
  // moved to the end and back. After a channels-first flatten the kernel rows are reordered to match.
  torch: ({ params: p, inputs: [x], flattenedFrom }) => {
    const features = x[x.length - 1] as number;
    const call = toChannelsFirstExpr(`{m}(${toChannelsLastExpr('{x}', x.length)})`, x.length);
    const kernel =
      flattenedFrom && flattenedFrom.length > 1
        ? {
            // [d…, C, units] → [units, C, d…] → [units, C·d…]
            keras: 'kernel',
            param: 'weight',
            view: [...(flattenedFrom as number[]), p.units],
            perm: [flattenedFrom.length, flattenedFrom.length - 1, ...flattenedFrom.slice(0, -1).map((_, i) => i)],
            reshape: [p.units, features],
          }
        : { keras: 'kernel', param: 'weight', perm: [1, 0] };
    return {
      modules: [{ ctor: `nn.Linear(${features}, ${p.units}, bias=${pyBool(p.use_bias)})` }],
      forward: torchActivation(p.activation, call),
      weights: [kernel, ...(p.use_bias ? [{ keras: 'bias', param: 'bias' }] : [])],
    };
  },
});
