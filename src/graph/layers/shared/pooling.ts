/**
 * MaxPool2D and AvgPool2D differ only in what they compute inside a window, not in their shape rule,
 * weights or Keras mapping; this factory keeps that rule in one place. Each kind still has its own file.
 */
import { defineLayer } from '../../layer-spec.ts';
import type { LayerKind, Localized } from '../../types.ts';
import {
  hasErrors,
  pairParam,
  poolPaddingParam,
  poolWindow,
  requireImage,
  sizeLabel,
  strideLabel,
  stridesParam,
  windowOutput,
} from './common.ts';
import { onnxPads } from './onnx-common.ts';
import { fPad, pyTuple, torchWindowPadding } from './torch-common.ts';

export function poolingLayer(kind: LayerKind, kerasClass: string, tag: string, doc: Localized) {
  return defineLayer({
    kind,
    category: 'pooling',
    title: { en: kind, es: kind },
    doc,
    params: {
      pool_size: pairParam(2, 1, {
        en: 'Height and width of each pooling window.',
        es: 'Alto y ancho de cada ventana de agrupación.',
      }),
      strides: stridesParam(2),
      padding: poolPaddingParam,
    },
    inputs: { min: 1, max: 1 },
    accepts: 'image',
    window: poolWindow,
    explainSize: null,
    field: 'window',
    flow: { keepsHead: false, keepsChannels: true, orderBlind: false, channelsParam: null, linear: tag === 'max' ? 'never' : 'always' },
    summary: (p) => [`${tag} ${sizeLabel(p.pool_size)}`, strideLabel(p.strides), p.padding].join(' · '),
    outputShape: ({ name, nodeId, params: p, inputs: [x] }) => {
      const shapeIssue = requireImage(name, nodeId, kind, x);
      if (shapeIssue) return { shape: null, issues: [shapeIssue] };
      const win = windowOutput(name, nodeId, x, poolWindow(p));
      if (hasErrors(win.issues)) return { shape: null, issues: win.issues };
      return { shape: [win.h, win.w, x[2]], issues: win.issues };
    },
    weights: () => [],
    macs: () => 0,
    onnx: ({ params: p, inputs: [x] }) => ({
      layout: 'channels-first',
      ops: [
        {
          op: tag === 'max' ? 'MaxPool' : 'AveragePool',
          inputs: [{ input: 0 }],
          attributes: {
            kernel_shape: { ints: p.pool_size },
            strides: { ints: p.strides },
            pads: { ints: onnxPads(x, poolWindow(p)) },
            // TensorFlow averages a 'same' window over its real pixels only.
            ...(tag === 'max' ? {} : { count_include_pad: { int: 0 } }),
          },
        },
      ],
    }),
    keras: ({ params: p }) => [
      { className: kerasClass, config: { pool_size: [...p.pool_size], strides: [...p.strides], padding: p.padding } },
    ],
    torch: ({ params: p, inputs: [x] }) => {
      const { padding, pad } = torchWindowPadding(x, poolWindow(p));
      const base = `kernel_size=${pyTuple(p.pool_size)}, stride=${pyTuple(p.strides)}`;
      const padArg = padding[0] > 0 || padding[1] > 0 ? `, padding=${pyTuple(padding)}` : '';
      if (tag === 'max') {
        // Padding never wins a max: PyTorch pads max pooling with −∞ itself, and so does the explicit F.pad.
        return {
          modules: [{ ctor: `nn.MaxPool2d(${base}${padArg})` }],
          forward: pad ? `{m}(${fPad('{x}', pad, 'float("-inf")')})` : '{m}({x})',
          weights: [],
          ...(pad ? { note: "TensorFlow's 'same' pads unevenly here: −∞ padding first, then a plain max pool" } : {}),
        };
      }
      // TensorFlow averages only the real pixels of a window: count_include_pad=False, and for uneven
      // padding the window sums divided by the window counts of real pixels.
      return {
        modules: [{ ctor: `nn.AvgPool2d(${base}${padArg}${padArg ? ', count_include_pad=False' : ''})` }],
        forward: pad ? `{m}(${fPad('{x}', pad)}) / {m}(${fPad('torch.ones_like({x}[:, :1])', pad)})` : '{m}({x})',
        weights: [],
        ...(pad ? { note: "TensorFlow's 'same' pads unevenly here and averages only real pixels: window sums / real-pixel counts" } : {}),
      };
    },
  });
}
