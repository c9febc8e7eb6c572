/**
 * A depthwise convolution (one window per input channel, `depth_multiplier` filters each) followed by a
 * pointwise 1×1 convolution that mixes the channels (Xception, MobileNet's blocks in one layer). Output
 * H×W follow the window, like Conv2D; channels are `filters`.
 */
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
import { pyBool, torchActivation, torchConv } from './shared/torch-common.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    SeparableConv2D: true;
  }
}

export const separableConv2d = defineLayer({
  kind: 'SeparableConv2D',
  category: 'convolution',
  title: { en: 'SeparableConv2D', es: 'SeparableConv2D' },
  doc: {
    en: 'A depthwise convolution per channel, then a 1×1 convolution that mixes channels: Conv2D’s job with far fewer weights (Xception).',
    es: 'Una convolución depthwise por canal y después una convolución 1×1 que mezcla los canales: el trabajo de Conv2D con muchos menos pesos (Xception).',
  },
  params: {
    filters: filtersParam({ en: 'Output channels of the pointwise (1×1) step.', es: 'Canales de salida del paso pointwise (1×1).', }),
    kernel_size: kernelSizeParam(3),
    strides: stridesParam(1),
    padding: convPaddingParam,
    pads: padsParam,
    depth_multiplier: {
      type: 'int',
      default: 1,
      min: 1,
      max: MAX_SIZE,
      doc: {
        en: 'Depthwise filters per input channel, before the channels are mixed.',
        es: 'Filtros depthwise por canal de entrada, antes de mezclar los canales.',
      },
    },
    dilation_rate: dilationParam,
    use_bias: useBiasParam,
    activation: activationParam,
  },
  inputs: { min: 1, max: 1 },
  accepts: 'image',
  window: convWindow,
  explainSize: null,
  filters: { weight: 'depthwise_kernel', axes: 'depthwise' },
  field: 'window',
  flow: { keepsHead: false, keepsChannels: false, orderBlind: false, channelsParam: { name: 'filters', fix: 'fix-conv-filters' }, linear: 'by-activation' },
  summary: (p) =>
    [
      `${p.filters} × sep ${sizeLabel(p.kernel_size)}`,
      p.depth_multiplier > 1 ? `×${p.depth_multiplier}` : '',
      strideLabel(p.strides),
      p.padding,
      p.activation === 'linear' ? '' : p.activation,
    ]
      .filter(Boolean)
      .join(' · '),
  outputShape: (ctx) => convOutputShape('SeparableConv2D', ctx, convWindow(ctx.params), () => ctx.params.filters),
  // Keras's order and shapes: depthwise [kh, kw, C, m], pointwise [1, 1, C·m, filters], bias [filters].
  weights: ({ params: p, inputs: [x] }) => {
    const cin = x[2] as number;
    const mid = cin * p.depth_multiplier;
    return [
      { name: 'depthwise_kernel', shape: [...p.kernel_size, cin, p.depth_multiplier], trainable: true },
      { name: 'pointwise_kernel', shape: [1, 1, mid, p.filters], trainable: true },
      ...(p.use_bias ? [{ name: 'bias', shape: [p.filters], trainable: true }] : []),
    ];
  },
  macs: ({ params: p, inputs: [x], output: [h, w] }) => {
    if (h === null || w === null) return null;
    const mid = (x[2] as number) * p.depth_multiplier;
    return h * w * mid * (p.kernel_size[0] * p.kernel_size[1] + p.filters);
  },
  // Two Convs: the depthwise one grouped per input channel (its kernel laid out as DepthwiseConv2D's),
  // then the 1×1 pointwise one with the bias.
  onnx: ({ params: p, inputs: [x] }) => {
    const cin = x[2] as number;
    const depthwise = windowedConvOps(
      [{ input: 0 }, { weight: 'depthwise_kernel', perm: [2, 3, 0, 1], reshape: [cin * p.depth_multiplier, 1, ...p.kernel_size] }],
      cin,
      x,
      convWindow(p),
    );
    const pointwise = {
      op: 'Conv',
      inputs: [
        { step: depthwise.length - 1 },
        { weight: 'pointwise_kernel', perm: HWIO_TO_OIHW },
        ...(p.use_bias ? [{ weight: 'bias' }] : []),
      ],
      attributes: { kernel_shape: { ints: [1, 1] } },
    };
    const n = depthwise.length + 1;
    return { layout: 'channels-first', ops: [...depthwise, pointwise, ...activationOps(p.activation, { step: n - 1 }, n, 1)] };
  },
  keras: ({ params: p }) => [
    ...(p.padding === 'explicit' ? [{ className: 'ZeroPadding2D', suffix: 'pad', config: { padding: kerasPads(p.pads) } }] : []),
    {
      className: 'SeparableConv2D',
      config: {
        filters: p.filters,
        kernel_size: [...p.kernel_size],
        strides: [...p.strides],
        padding: p.padding === 'same' ? 'same' : 'valid',
        depth_multiplier: p.depth_multiplier,
        dilation_rate: [...p.dilation_rate],
        use_bias: p.use_bias,
        activation: p.activation,
      },
      initializers: ['depthwise_initializer', 'pointwise_initializer', 'bias_initializer'],
    },
  ],
  // The depthwise step is a helper module (no bias, as in Keras), the pointwise 1×1 step the node's own.
  torch: ({ params: p, inputs: [x] }) => {
    const cin = x[2] as number;
    const mid = cin * p.depth_multiplier;
    const depthwise = torchConv(x, convWindow(p), { in: cin, out: mid, groups: cin, bias: false });
    return {
      modules: [
        { suffix: 'depthwise', ctor: depthwise.ctor },
        { ctor: `nn.Conv2d(${mid}, ${p.filters}, kernel_size=(1, 1), bias=${pyBool(p.use_bias)})` },
      ],
      forward: torchActivation(p.activation, `{m}({m.depthwise}(${depthwise.x}))`),
      weights: [
        // [kh, kw, C, m] → [C, m, kh, kw] → [C·m, 1, kh, kw]
        { keras: 'depthwise_kernel', module: 'depthwise', param: 'weight', perm: [2, 3, 0, 1], reshape: [mid, 1, ...p.kernel_size] },
        { keras: 'pointwise_kernel', param: 'weight', perm: HWIO_TO_OIHW },
        ...(p.use_bias ? [{ keras: 'bias', param: 'bias' }] : []),
      ],
      ...(depthwise.note ? { note: depthwise.note } : {}),
    };
  },
});
