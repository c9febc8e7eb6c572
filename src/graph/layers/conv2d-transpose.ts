import { defineLayer, type FieldSpread } from '../layer-spec.ts';
import { convTransposeOutputSize } from '../shape-math.ts';
import {
  activationParam,
  filtersParam,
  kernelSizeParam,
  poolPaddingParam,
  requireChannels,
  requireImage,
  sizeLabel,
  strideLabel,
  stridesParam,
  useBiasParam,
  HWIO_TO_OIHW,
} from './shared/common.ts';
import { AXES, knownImageSize } from './shared/size-steps.ts';
import { activationOps } from './shared/onnx-common.ts';
import { pyBool, pyTuple, torchActivation } from './shared/torch-common.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    Conv2DTranspose: true;
  }
}

/**
 * One axis of the transposed convolution in PyTorch's terms. The full transposed output is
 * (in − 1)·s + k long; Keras keeps in·s + max(k − s, 0) ('valid') or in·s ('same'), cropping TensorFlow's
 * 'same' padding split (the smaller half first). PyTorch's `padding` crops both ends equally and its
 * `output_padding` extends the end; what is left over is sliced off in forward.
 */
function transposedAxis(input: number, k: number, s: number, padding: 'valid' | 'same') {
  const out = convTransposeOutputSize(input, k, s, padding) as number;
  const full = (input - 1) * s + k;
  const start = padding === 'same' ? Math.floor(Math.max(k - s, 0) / 2) : 0;
  const end = full - start - out;
  if (end < 0) return { padding: 0, outputPadding: -end, crop: [0, 0] as const };
  const both = Math.min(start, end);
  return { padding: both, outputPadding: 0, crop: [start - both, end - both] as const };
}

export const conv2dTranspose = defineLayer({
  kind: 'Conv2DTranspose',
  category: 'convolution',
  title: { en: 'Conv2DTranspose', es: 'Conv2DTranspose' },
  doc: {
    en: 'The gradient of a convolution used as a layer: grows the image (decoders, segmentation).',
    es: 'El gradiente de una convolución usado como capa: agranda la imagen (decodificadores, segmentación).',
  },
  params: {
    filters: filtersParam({ en: 'Number of output channels.', es: 'Número de canales de salida.' }),
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
  accepts: 'image',
  window: null,
  explainSize: (p, x) => {
    const size = knownImageSize(x);
    if (!size) return [];
    const same = p.padding === 'same';
    return AXES.map(({ axis }, a) => {
      const [k, s] = [p.kernel_size[a], p.strides[a]];
      const result = convTransposeOutputSize(size[a], k, s, p.padding) as number;
      return {
        axis,
        dim: a,
        rule: same ? 'out = in·s' : 'out = in·s + max(k − s, 0)',
        formula: same ? `out = ${size[a]}·${s} = ${result}` : `out = ${size[a]}·${s} + max(${k} − ${s}, 0) = ${result}`,
        result,
      };
    });
  },
  filters: { weight: 'kernel', axes: 'out-in' },
  field: {
    // Keras crops TensorFlow's 'same' split of the full (in − 1)·s + k output: the smaller half first.
    spread: (p) => [0, 1].map((a) => {
      const [k, s] = [p.kernel_size[a], p.strides[a]];
      return { kernel: k, stride: s, before: p.padding === 'same' ? Math.floor(Math.max(k - s, 0) / 2) : 0 };
    }) as [FieldSpread, FieldSpread],
  },
  flow: { keepsHead: false, keepsChannels: false, orderBlind: false, channelsParam: { name: 'filters', fix: 'fix-conv-filters' }, linear: 'by-activation' },
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
  // Keras's output size in ONNX's terms, out = s·(in − 1) + k − pads + output_padding: 'same' crops
  // k − s (the smaller half first, as TensorFlow splits it), and a stride above the kernel leaves s − k
  // zeros at the end.
  onnx: ({ params: p }) => {
    const crop = [0, 1].map((a) => (p.padding === 'same' ? Math.max(p.kernel_size[a] - p.strides[a], 0) : 0));
    const low = crop.map((c) => Math.floor(c / 2));
    return {
      layout: 'channels-first',
      ops: [
        {
          op: 'ConvTranspose',
          inputs: [{ input: 0 }, { weight: 'kernel', perm: HWIO_TO_OIHW }, ...(p.use_bias ? [{ weight: 'bias' }] : [])],
          attributes: {
            kernel_shape: { ints: p.kernel_size },
            strides: { ints: p.strides },
            pads: { ints: [low[0], low[1], crop[0] - low[0], crop[1] - low[1]] },
            output_padding: { ints: [0, 1].map((a) => Math.max(p.strides[a] - p.kernel_size[a], 0)) },
          },
        },
        ...activationOps(p.activation, { step: 0 }, 1, 1),
      ],
    };
  },
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
      initializers: ['kernel_initializer', 'bias_initializer'],
    },
  ],
  torch: ({ params: p, inputs: [x] }) => {
    const axes = [0, 1].map((a) => transposedAxis(x[a] as number, p.kernel_size[a], p.strides[a], p.padding));
    const args = [
      `${x[2]}, ${p.filters}`,
      `kernel_size=${pyTuple(p.kernel_size)}`,
      `stride=${pyTuple(p.strides)}`,
      `padding=${pyTuple(axes.map((a) => a.padding))}`,
      ...(axes.some((a) => a.outputPadding > 0) ? [`output_padding=${pyTuple(axes.map((a) => a.outputPadding))}`] : []),
      `bias=${pyBool(p.use_bias)}`,
    ];
    const cropped = axes.some((a) => a.crop[0] > 0 || a.crop[1] > 0);
    const slice = (c: readonly number[]) => (c[0] === 0 && c[1] === 0 ? ':' : `${c[0] || ''}:${c[1] ? -c[1] : ''}`);
    const call = cropped ? `{m}({x})[:, :, ${slice(axes[0].crop)}, ${slice(axes[1].crop)}]` : '{m}({x})';
    return {
      modules: [{ ctor: `nn.ConvTranspose2d(${args.join(', ')})` }],
      forward: torchActivation(p.activation, call),
      // Keras [kh, kw, out, in] → PyTorch [in, out, kh, kw].
      weights: [
        { keras: 'kernel', param: 'weight', perm: HWIO_TO_OIHW },
        ...(p.use_bias ? [{ keras: 'bias', param: 'bias' }] : []),
      ],
      ...(cropped
        ? { note: "TensorFlow's 'same' crops the odd row/column at the bottom/right; PyTorch's padding crops both sides equally" }
        : {}),
    };
  },
});
