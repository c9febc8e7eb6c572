/**
 * ONNX pieces shared by several layer kinds: the ops of each activation (fused into Conv2D/Dense or on
 * its own), padding in ONNX's order, and weight layout permutations. Plain data, like the mappings.
 */
import type { OnnxInput, OnnxLayout, OnnxOp, Window } from '../../layer-spec.ts';
import type { Shape } from '../../types.ts';
import { windowPads } from './common.ts';

export const scalar = (value: number): OnnxInput => ({ constant: [value], dims: [], type: 'float' });

/**
 * The ops computing `activation` of `x`; `first` is the index the first of them will have in the chain
 * (for step references) and `channelAxis` the axis softmax runs over (Keras: the last axis, which sits at
 * 1 in a channels-first tensor). 'linear' is no op at all.
 */
export function activationOps(activation: string, x: OnnxInput, first: number, channelAxis: number, alpha = 0.01): OnnxOp[] {
  switch (activation) {
    case 'linear':
      return [];
    case 'relu':
      return [{ op: 'Relu', inputs: [x] }];
    case 'relu6':
      return [{ op: 'Clip', inputs: [x, scalar(0), scalar(6)] }];
    case 'leaky_relu':
      return [{ op: 'LeakyRelu', inputs: [x], attributes: { alpha: { float: alpha } } }];
    case 'elu':
      return [{ op: 'Elu', inputs: [x], attributes: { alpha: { float: 1 } } }];
    case 'sigmoid':
      return [{ op: 'Sigmoid', inputs: [x] }];
    case 'tanh':
      return [{ op: 'Tanh', inputs: [x] }];
    case 'softmax':
      return [{ op: 'Softmax', inputs: [x], attributes: { axis: { int: channelAxis } } }];
    case 'swish':
      return [
        { op: 'Sigmoid', inputs: [x] },
        { op: 'Mul', inputs: [x, { step: first }] },
      ];
    case 'gelu':
      // Exact GELU, x·Φ(x) = x · ½(1 + erf(x/√2)), as Keras and tfjs define 'gelu'; ONNX's Gelu op only
      // arrives with opset 20.
      return [
        { op: 'Div', inputs: [x, scalar(Math.SQRT2)] },
        { op: 'Erf', inputs: [{ step: first }] },
        { op: 'Add', inputs: [{ step: first + 1 }, scalar(1)] },
        { op: 'Mul', inputs: [x, { step: first + 2 }] },
        { op: 'Mul', inputs: [{ step: first + 3 }, scalar(0.5)] },
      ];
    default:
      throw new Error(`no ONNX form for activation ${activation}`);
  }
}

/** The axis Keras's "last axis" occupies in a tensor of the given layout. */
export function channelAxis(layout: OnnxLayout): number {
  return layout === 'channels-first' ? 1 : -1;
}

/** The padding a window applies (see `windowPads`), in ONNX's order [top, left, bottom, right]. */
export function onnxPads(input: Shape, win: Window): number[] {
  const [top, bottom, left, right] = windowPads(input, win)!;
  return [top, left, bottom, right];
}

/**
 * Zeros around the spatial axes of a channels-first tensor; `pads` in ONNX's order [top, left, bottom,
 * right]. The fill is written as −0.0, equal to 0 in every op that follows, because onnxruntime's
 * PadFusion merges a Pad whose fill is bit-for-bit 0 into the next Conv or pool: into MaxPool that
 * changes the result (a pool's own pads never win the max, padded zeros do), and into a Conv it can push
 * the pads past the kernel size, which its kernels refuse.
 */
export function zeroPadOp(x: OnnxInput, pads: readonly number[]): OnnxOp {
  const [top, left, bottom, right] = pads;
  return { op: 'Pad', inputs: [x, { constant: [0, 0, top, left, 0, 0, bottom, right], dims: [8], type: 'int64' }, scalar(-0)] };
}

/**
 * A convolution with its padding (ONNX order, from onnxPads) in a form onnxruntime runs: its CPU kernels
 * refuse a pad as large as the kernel, although ONNX allows it and TensorFlow produces it ('same' with a
 * dilated kernel, explicit pads around a 1×1 one). Such padding moves into a Pad op in front. (Pooling
 * never needs this: 'same' pads stay below the window.) The op's first input is the tensor to pad.
 */
export function paddedConvOps(conv: OnnxOp, pads: readonly number[], kernel: readonly number[]): OnnxOp[] {
  if (pads.every((p, i) => p < kernel[i % 2])) return [{ ...conv, attributes: { ...conv.attributes, pads: { ints: pads } } }];
  return [
    zeroPadOp(conv.inputs[0], pads),
    { ...conv, inputs: [{ step: 0 }, ...conv.inputs.slice(1)], attributes: { ...conv.attributes, pads: { ints: [0, 0, 0, 0] } } },
  ];
}

/**
 * A convolution over a window (Conv2D, DepthwiseConv2D, SeparableConv2D's depthwise step): ONNX's Conv
 * with the window's kernel, strides, dilations and padding, reading `inputs` (data, weight, bias).
 */
export function windowedConvOps(inputs: readonly OnnxInput[], group: number, input: Shape, win: Window): OnnxOp[] {
  const conv: OnnxOp = {
    op: 'Conv',
    inputs,
    attributes: {
      kernel_shape: { ints: win.kernel },
      strides: { ints: win.strides },
      dilations: { ints: win.dilation },
      group: { int: group },
    },
  };
  return paddedConvOps(conv, onnxPads(input, win), win.kernel);
}
