import { defineLayer } from '../layer-spec.ts';
import { MAX_SIZE } from '../params.ts';
import {
  activationParam,
  convOutputShape,
  convPaddingParam,
  convWindow,
  dilationParam,
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
    DepthwiseConv2D: true;
  }
}

export const depthwiseConv2d = defineLayer({
  kind: 'DepthwiseConv2D',
  category: 'convolution',
  title: { en: 'DepthwiseConv2D', es: 'DepthwiseConv2D' },
  doc: {
    en: 'One filter per input channel, never mixing channels (MobileNet); far fewer weights than Conv2D.',
    es: 'Un filtro por canal de entrada, sin mezclar canales (MobileNet); muchos menos pesos que Conv2D.',
  },
  params: {
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
        en: 'Filters per input channel; output channels = input channels × this.',
        es: 'Filtros por canal de entrada; canales de salida = canales de entrada × este valor.',
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
  flow: { keepsHead: false, keepsChannels: false, orderBlind: false, channelsParam: null, linear: 'by-activation' },
  summary: (p) =>
    [`dw ${sizeLabel(p.kernel_size)}`, p.depth_multiplier > 1 ? `×${p.depth_multiplier}` : '', strideLabel(p.strides), p.padding]
      .filter(Boolean)
      .join(' · '),
  outputShape: (ctx) => convOutputShape('DepthwiseConv2D', ctx, convWindow(ctx.params), (cin) => cin * ctx.params.depth_multiplier),
  weights: ({ params: p, inputs: [x] }) => {
    const cin = x[2] as number;
    const kernel = { name: 'depthwise_kernel', shape: [...p.kernel_size, cin, p.depth_multiplier], trainable: true };
    return p.use_bias ? [kernel, { name: 'bias', shape: [cin * p.depth_multiplier], trainable: true }] : [kernel];
  },
  macs: ({ params: p, output: [h, w, c] }) =>
    h === null || w === null || c === null ? null : h * w * c * p.kernel_size[0] * p.kernel_size[1],
  // ONNX's Conv with one group per input channel; Keras's [kh, kw, in, m] kernel becomes [in·m, 1, kh, kw],
  // output channel c·m + j as in Keras.
  onnx: ({ params: p, inputs: [x] }) => {
    const cin = x[2] as number;
    const weights = [
      { input: 0 },
      { weight: 'depthwise_kernel', perm: [2, 3, 0, 1], reshape: [cin * p.depth_multiplier, 1, ...p.kernel_size] },
      ...(p.use_bias ? [{ weight: 'bias' }] : []),
    ];
    const conv = windowedConvOps(weights, cin, x, convWindow(p));
    return { layout: 'channels-first', ops: [...conv, ...activationOps(p.activation, { step: conv.length - 1 }, conv.length, 1)] };
  },
  keras: ({ params: p }) => [
    ...(p.padding === 'explicit' ? [{ className: 'ZeroPadding2D', suffix: 'pad', config: { padding: kerasPads(p.pads) } }] : []),
    {
      className: 'DepthwiseConv2D',
      config: {
        kernel_size: [...p.kernel_size],
        strides: [...p.strides],
        padding: p.padding === 'same' ? 'same' : 'valid',
        depth_multiplier: p.depth_multiplier,
        dilation_rate: [...p.dilation_rate],
        use_bias: p.use_bias,
        activation: p.activation,
      },
      initializers: ['depthwise_initializer', 'bias_initializer'],
    },
  ],
  // A depthwise convolution is a grouped one with one group per input channel; Keras's output channel
  // c·m + j (input channel c, multiplier j) is PyTorch's too, so the kernel only changes axes.
  torch: ({ params: p, inputs: [x] }) => {
    const cin = x[2] as number;
    const cout = cin * p.depth_multiplier;
    const conv = torchConv(x, convWindow(p), { in: cin, out: cout, groups: cin, bias: p.use_bias });
    return {
      modules: [{ ctor: conv.ctor }],
      forward: torchActivation(p.activation, `{m}(${conv.x})`),
      weights: [
        // [kh, kw, C, m] → [C, m, kh, kw] → [C·m, 1, kh, kw]
        { keras: 'depthwise_kernel', param: 'weight', perm: [2, 3, 0, 1], reshape: [cout, 1, ...p.kernel_size] },
        ...(p.use_bias ? [{ keras: 'bias', param: 'bias' }] : []),
      ],
      ...(conv.note ? { note: conv.note } : {}),
    };
  },
});
