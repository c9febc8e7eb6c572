import { defineLayer } from '../layer-spec.ts';
import { MAX_SIZE } from '../params.ts';
import { convTransposeOutputSize } from '../shape-math.ts';
import {
  activationParam,
  kernelSizeParam,
  poolPaddingParam,
  requireChannels,
  requireImage,
  sizeLabel,
  strideLabel,
  stridesParam,
  useBiasParam,
} from './common.ts';

export const conv2dTranspose = defineLayer({
  kind: 'Conv2DTranspose',
  category: 'convolution',
  title: { en: 'Conv2DTranspose', es: 'Conv2DTranspose' },
  doc: {
    en: 'The gradient of a convolution used as a layer: grows the image (decoders, segmentation).',
    es: 'El gradiente de una convolución usado como capa: agranda la imagen (decodificadores, segmentación).',
  },
  params: {
    filters: {
      type: 'int',
      default: 8,
      min: 1,
      max: MAX_SIZE,
      doc: { en: 'Number of output channels.', es: 'Número de canales de salida.' },
    },
    kernel_size: kernelSizeParam(3),
    strides: stridesParam(2),
    padding: {
      ...poolPaddingParam,
      doc: {
        en: 'same: output = input × stride; valid: output = input × stride + max(kernel − stride, 0).',
        es: 'same: salida = entrada × paso; valid: salida = entrada × paso + max(kernel − paso, 0).',
      },
    },
    use_bias: useBiasParam,
    activation: activationParam,
  },
  inputs: { min: 1, max: 1 },
  summary: (p) =>
    [`${p.filters} × ${sizeLabel(p.kernel_size)}ᵀ`, strideLabel(p.strides), p.padding].join(' · '),
  outputShape: ({ name, nodeId, params: p, inputs: [x] }) => {
    const shapeIssue = requireImage(name, nodeId, 'Conv2DTranspose', x) ?? requireChannels(name, nodeId, x);
    if (shapeIssue) return { shape: null, issues: [shapeIssue] };
    return {
      shape: [
        convTransposeOutputSize(x[0], p.kernel_size[0], p.strides[0], p.padding),
        convTransposeOutputSize(x[1], p.kernel_size[1], p.strides[1], p.padding),
        p.filters,
      ],
    };
  },
  // Keras stores a transposed-conv kernel as [kh, kw, out, in].
  weights: ({ params: p, inputs: [x] }) => {
    const kernel = { name: 'kernel', shape: [...p.kernel_size, p.filters, x[2] as number], trainable: true };
    return p.use_bias ? [kernel, { name: 'bias', shape: [p.filters], trainable: true }] : [kernel];
  },
  macs: ({ params: p, inputs: [x] }) =>
    x[0] === null || x[1] === null
      ? null
      : x[0] * x[1] * (x[2] as number) * p.filters * p.kernel_size[0] * p.kernel_size[1],
  keras: ({ params: p }) => [
    {
      className: 'Conv2DTranspose',
      config: {
        filters: p.filters,
        kernel_size: [...p.kernel_size],
        strides: [...p.strides],
        padding: p.padding,
        use_bias: p.use_bias,
        activation: p.activation,
      },
    },
  ],
});
