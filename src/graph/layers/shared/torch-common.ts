/**
 * Pieces of the PyTorch mapping shared by several layer kinds: Python literals, the fused activations,
 * the channels-first layout moves and TensorFlow's padding expressed the way PyTorch can run it.
 * Everything here returns code as strings built from numbers and fixed words, never from user text.
 */
import type { Window } from '../../layer-spec.ts';
import type { Padding2D } from '../../shape-math.ts';
import type { Shape } from '../../types.ts';
import { windowPads, type FusedActivation } from './common.ts';

/** A Python number literal; floats are rounded to 12 significant digits so 1 − 0.99 prints as 0.01. */
export function pyNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(12)));
}

/** A Python tuple literal of integers: (5, 5), or (7,) for one element. */
export function pyTuple(values: readonly number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`;
}

export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/**
 * A Keras activation applied to `expr`, as tfjs-layers computes it: gelu is the exact (erf) form,
 * swish is SiLU (x·sigmoid(x)), softmax runs over the channel axis, which is dim=1 in PyTorch's
 * channels-first layout and the only axis of a vector.
 */
export function torchActivation(activation: FusedActivation | 'leaky_relu', expr: string, alpha = 0.3): string {
  switch (activation) {
    case 'linear':
      return expr;
    case 'relu':
    case 'relu6':
    case 'elu':
    case 'gelu':
      return `F.${activation}(${expr})`;
    case 'sigmoid':
    case 'tanh':
      return `torch.${activation}(${expr})`;
    case 'softmax':
      return `F.softmax(${expr}, dim=1)`;
    case 'swish':
      return `F.silu(${expr})`;
    case 'leaky_relu':
      return `F.leaky_relu(${expr}, negative_slope=${pyNumber(alpha)})`;
  }
}

/** The nn module of an activation, for Activation nodes (so `print(model)` lists them). */
export type ActivationName = Exclude<FusedActivation, 'linear'> | 'leaky_relu';

export function activationModule(activation: ActivationName, alpha: number): string {
  switch (activation) {
    case 'relu':
      return 'nn.ReLU()';
    case 'relu6':
      return 'nn.ReLU6()';
    case 'elu':
      return 'nn.ELU()';
    case 'gelu':
      return 'nn.GELU()';
    case 'sigmoid':
      return 'nn.Sigmoid()';
    case 'tanh':
      return 'nn.Tanh()';
    case 'softmax':
      return 'nn.Softmax(dim=1)';
    case 'swish':
      return 'nn.SiLU()';
    case 'leaky_relu':
      return `nn.LeakyReLU(negative_slope=${pyNumber(alpha)})`;
  }
}

/** Moves the channel axis of a channels-first tensor of `rank` (without batch) to the end: Keras order. */
export function toChannelsLastExpr(expr: string, rank: number): string {
  if (rank === 3) return `${expr}.permute(0, 2, 3, 1)`;
  if (rank === 2) return `${expr}.transpose(1, 2)`;
  return expr;
}

/** The inverse of `toChannelsLastExpr`. */
export function toChannelsFirstExpr(expr: string, rank: number): string {
  if (rank === 3) return `${expr}.permute(0, 3, 1, 2)`;
  if (rank === 2) return `${expr}.transpose(1, 2)`;
  return expr;
}

/**
 * How a padding [top, bottom, left, right] reaches PyTorch: a symmetric one as the module's own
 * `padding=(h, w)`; an asymmetric one (TensorFlow's 'same' puts the odd pixel at the bottom/right) as an
 * explicit `F.pad` before a module with no padding, so the numbers, not only the shapes, match.
 */
export interface TorchPadding {
  /** The module's `padding` argument. */
  readonly padding: readonly [number, number];
  /** `F.pad`'s (left, right, top, bottom), or null when the module pads by itself. */
  readonly pad: readonly [number, number, number, number] | null;
}

export function torchPadding(pads: Padding2D): TorchPadding {
  const [t, b, l, r] = pads;
  if (t === b && l === r) return { padding: [t, l], pad: null };
  return { padding: [0, 0], pad: [l, r, t, b] };
}

/** `F.pad(x, (l, r, t, b))`, with an optional fill value (max pooling pads with −∞). */
export function fPad(expr: string, pad: readonly number[], value?: string): string {
  return `F.pad(${expr}, ${pyTuple(pad)}${value ? `, value=${value}` : ''})`;
}

export const UNEVEN_PADDING_NOTE = 'PyTorch pads both sides equally; this padding is uneven, so F.pad applies it first';

/** A window's padding in PyTorch's terms (see `torchPadding`); the input's sizes are known. */
export function torchWindowPadding(input: Shape, win: Window): TorchPadding {
  return torchPadding(windowPads(input, win)!);
}

export interface TorchConv {
  /** `nn.Conv2d(…)`. */
  readonly ctor: string;
  /** The module's input: `{x}`, or `{x}` through F.pad when TensorFlow's padding is uneven. */
  readonly x: string;
  /** Why F.pad is there, when it is. */
  readonly note?: string;
}

/**
 * nn.Conv2d over a window with TensorFlow's padding (Conv2D, DepthwiseConv2D, SeparableConv2D's
 * depthwise step). `groups` is printed when given.
 */
export function torchConv(
  input: Shape,
  win: Window,
  conv: { readonly in: number; readonly out: number; readonly groups?: number; readonly bias: boolean },
): TorchConv {
  const { padding, pad } = torchWindowPadding(input, win);
  const args = [
    `${conv.in}, ${conv.out}`,
    `kernel_size=${pyTuple(win.kernel)}`,
    `stride=${pyTuple(win.strides)}`,
    `padding=${pyTuple(padding)}`,
    ...(win.dilation.some((d) => d !== 1) ? [`dilation=${pyTuple(win.dilation)}`] : []),
    ...(conv.groups !== undefined ? [`groups=${conv.groups}`] : []),
    `bias=${pyBool(conv.bias)}`,
  ];
  return {
    ctor: `nn.Conv2d(${args.join(', ')})`,
    x: pad ? fPad('{x}', pad) : '{x}',
    ...(pad ? { note: UNEVEN_PADDING_NOTE } : {}),
  };
}
