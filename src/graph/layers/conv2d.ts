import { defineLayer } from '../layer-spec.ts';
import { MAX_SIZE } from '../params.ts';
import {
  activationParam,
  convOutputShape,
  convPaddingParam,
  convWindow,
  dilationParam,
  filtersParam,
  HWIO_TO_OIHW,
  kerasPads,
  kernelSizeParam,
  padsParam,
  sizeLabel,
  strideLabel,
  stridesParam,
  useBiasParam,
} from './shared/common.ts';
import { activationOps, windowedConvOps } from './shared/onnx-common.ts';
import { torchActivation, torchConv } from './shared/torch-common.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    Conv2D: true;
  }
}

export const conv2d = defineLayer({
  kind: 'Conv2D',
  category: 'convolution',
  title: { en: 'Conv2D', es: 'Conv2D' },
  doc: {
    en: 'Slides learned filters over the image (cross-correlation); each filter is shared across all positions.',
    es: 'Desliza filtros aprendidos sobre la imagen (correlación cruzada); cada filtro se comparte en todas las posiciones.',
  },
  params: {
    filters: filtersParam({ en: 'Number of filters = output channels.', es: 'Número de filtros = canales de salida.' }),
    kernel_size: kernelSizeParam(3),
    strides: stridesParam(1),
    padding: convPaddingParam,
    pads: padsParam,
    dilation_rate: dilationParam,
    groups: {
      type: 'int',
      default: 1,
      min: 1,
      max: MAX_SIZE,
      doc: {
        en: 'Split channels into groups convolved separately; must divide input channels and filters.',
        es: 'Divide los canales en grupos convolucionados por separado; debe dividir canales de entrada y filtros.',
      },
    },
    use_bias: useBiasParam,
    activation: activationParam,
  },
  inputs: { min: 1, max: 1 },
  accepts: 'image',
  window: convWindow,
  explainSize: null,
  filters: { weight: 'kernel', axes: 'in-out' },
  field: 'window',
  flow: { keepsHead: false, keepsChannels: false, orderBlind: false, channelsParam: { name: 'filters', fix: 'fix-conv-filters' }, linear: 'by-activation' },
  summary: (p) =>
    [`${p.filters} × ${sizeLabel(p.kernel_size)}`, strideLabel(p.strides), p.padding, p.activation === 'linear' ? '' : p.activation]
      .filter(Boolean)
      .join(' · '),
  outputShape: (ctx) => {
    const { name, nodeId, params: p } = ctx;
    return convOutputShape('Conv2D', ctx, convWindow(p), () => p.filters, (cin) =>
      cin % p.groups === 0 && p.filters % p.groups === 0
        ? null
        : {
            severity: 'error',
            code: 'groups-divide',
            nodeId,
            param: 'groups',
            values: { node: name, groups: p.groups, cin, filters: p.filters },
            fix: { params: { groups: 1 }, label: 'fix-groups-1' },
          },
    );
  },
  weights: ({ params: p, inputs: [x] }) => {
    const cin = x[2] as number;
    const kernel = { name: 'kernel', shape: [...p.kernel_size, cin / p.groups, p.filters], trainable: true };
    return p.use_bias ? [kernel, { name: 'bias', shape: [p.filters], trainable: true }] : [kernel];
  },
  macs: ({ params: p, inputs: [x], output: [h, w] }) =>
    h === null || w === null ? null : h * w * p.filters * p.kernel_size[0] * p.kernel_size[1] * ((x[2] as number) / p.groups),
  onnx: ({ params: p, inputs: [x] }) => {
    const weights = [{ input: 0 }, { weight: 'kernel', perm: HWIO_TO_OIHW }, ...(p.use_bias ? [{ weight: 'bias' }] : [])];
    const conv = windowedConvOps(weights, p.groups, x, convWindow(p));
    return { layout: 'channels-first', ops: [...conv, ...activationOps(p.activation, { step: conv.length - 1 }, conv.length, 1)] };
  },
  keras: ({ params: p }) => [
    ...(p.padding === 'explicit' ? [{ className: 'ZeroPadding2D', suffix: 'pad', config: { padding: kerasPads(p.pads) } }] : []),
    {
      className: 'Conv2D',
      config: {
        filters: p.filters,
        kernel_size: [...p.kernel_size],
        strides: [...p.strides],
        padding: p.padding === 'same' ? 'same' : 'valid',
        dilation_rate: [...p.dilation_rate],
        ...(p.groups > 1 ? { groups: p.groups } : {}),
        use_bias: p.use_bias,
        activation: p.activation,
      },
      initializers: ['kernel_initializer', 'bias_initializer'],
    },
  ],
  torch: ({ params: p, inputs: [x] }) => {
    const conv = torchConv(x, convWindow(p), { in: x[2] as number, out: p.filters, groups: p.groups > 1 ? p.groups : undefined, bias: p.use_bias });
    return {
      modules: [{ ctor: conv.ctor }],
      forward: torchActivation(p.activation, `{m}(${conv.x})`),
      weights: [
        { keras: 'kernel', param: 'weight', perm: HWIO_TO_OIHW },
        ...(p.use_bias ? [{ keras: 'bias', param: 'bias' }] : []),
      ],
      ...(conv.note ? { note: conv.note } : {}),
    };
  },
});
