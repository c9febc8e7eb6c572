import { defineLayer } from '../layer-spec.ts';
import { MAX_SIZE } from '../params.ts';
import {
  activationParam,
  convWindow,
  convPaddingParam,
  dilationParam,
  hasErrors,
  kernelSizeParam,
  kerasPads,
  padsParam,
  requireChannels,
  requireImage,
  sizeLabel,
  strideLabel,
  stridesParam,
  useBiasParam,
  windowOutput,
} from './shared/common.ts';
import { activationOps, HWIO_TO_OIHW, onnxPads, paddedConvOps } from './shared/onnx-common.ts';
import { fPad, OIHW_FROM_HWIO, pyBool, pyTuple, torchActivation, torchPadding, UNEVEN_PADDING_NOTE } from './shared/torch-common.ts';

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
    filters: {
      type: 'int',
      default: 8,
      min: 1,
      max: MAX_SIZE,
      doc: { en: 'Number of filters = output channels.', es: 'Número de filtros = canales de salida.' },
    },
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
  summary: (p) =>
    [`${p.filters} × ${sizeLabel(p.kernel_size)}`, strideLabel(p.strides), p.padding, p.activation === 'linear' ? '' : p.activation]
      .filter(Boolean)
      .join(' · '),
  outputShape: ({ name, nodeId, params: p, inputs: [x] }) => {
    const shapeIssue = requireImage(name, nodeId, 'Conv2D', x) ?? requireChannels(name, nodeId, x);
    if (shapeIssue) return { shape: null, issues: [shapeIssue] };
    const cin = x[2] as number;
    const win = windowOutput(name, nodeId, x, convWindow(p));
    if (cin % p.groups !== 0 || p.filters % p.groups !== 0) {
      win.issues.push({
        severity: 'error',
        code: 'groups-divide',
        nodeId,
        param: 'groups',
        values: { node: name, groups: p.groups, cin, filters: p.filters },
        fix: { params: { groups: 1 }, label: 'fix-groups-1' },
      });
    }
    if (hasErrors(win.issues)) return { shape: null, issues: win.issues };
    return { shape: [win.h, win.w, p.filters], issues: win.issues };
  },
  weights: ({ params: p, inputs: [x] }) => {
    const cin = x[2] as number;
    const kernel = { name: 'kernel', shape: [...p.kernel_size, cin / p.groups, p.filters], trainable: true };
    return p.use_bias ? [kernel, { name: 'bias', shape: [p.filters], trainable: true }] : [kernel];
  },
  macs: ({ params: p, inputs: [x], output: [h, w] }) =>
    h === null || w === null ? null : h * w * p.filters * p.kernel_size[0] * p.kernel_size[1] * ((x[2] as number) / p.groups),
  onnx: ({ params: p, inputs: [x] }) => {
    const conv = paddedConvOps(
      {
        op: 'Conv',
        inputs: [{ input: 0 }, { weight: 'kernel', perm: HWIO_TO_OIHW }, ...(p.use_bias ? [{ weight: 'bias' }] : [])],
        attributes: {
          kernel_shape: { ints: p.kernel_size },
          strides: { ints: p.strides },
          dilations: { ints: p.dilation_rate },
          group: { int: p.groups },
        },
      },
      onnxPads(x, { kernel: p.kernel_size, strides: p.strides, dilation: p.dilation_rate, padding: p.padding, pads: p.pads }),
      p.kernel_size,
    );
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
    },
  ],
  torch: ({ name, nodeId, params: p, inputs: [x] }) => {
    const win = windowOutput(name, nodeId, x, convWindow(p));
    const { padding, pad } = torchPadding(win.pads!);
    const args = [
      `${x[2]}, ${p.filters}`,
      `kernel_size=${pyTuple(p.kernel_size)}`,
      `stride=${pyTuple(p.strides)}`,
      `padding=${pyTuple(padding)}`,
      ...(p.dilation_rate.some((d) => d !== 1) ? [`dilation=${pyTuple(p.dilation_rate)}`] : []),
      ...(p.groups > 1 ? [`groups=${p.groups}`] : []),
      `bias=${pyBool(p.use_bias)}`,
    ];
    return {
      modules: [{ ctor: `nn.Conv2d(${args.join(', ')})` }],
      forward: torchActivation(p.activation, `{m}(${pad ? fPad('{x}', pad) : '{x}'})`),
      weights: [
        { keras: 'kernel', param: 'weight', perm: OIHW_FROM_HWIO },
        ...(p.use_bias ? [{ keras: 'bias', param: 'bias' }] : []),
      ],
      ...(pad ? { note: UNEVEN_PADDING_NOTE } : {}),
    };
  },
});
