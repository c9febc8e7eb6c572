/**
 * Pieces shared by several layer kinds: parameter specs that mean the same thing everywhere, and the
 * spatial arithmetic of windowed layers (conv, depthwise, pooling) built on ../shape-math.ts.
 */
import type { Issue } from '../../messages.ts';
import { MAX_SIZE, type BoolParam, type ChoiceParam, type FloatParam, type IntParam, type IntsParam } from '../../params.ts';
import {
  dilatedKernel,
  formatShape,
  sameOutputSize,
  samePadding,
  unusedInput,
  windowOutputSize,
  type Padding2D,
} from '../../shape-math.ts';
import type { InferResult, WeightDecl, Window } from '../../layer-spec.ts';
import type { Dim, Shape } from '../../types.ts';

export const FUSED_ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'gelu', 'sigmoid', 'tanh', 'softmax', 'swish'] as const;
export type FusedActivation = (typeof FUSED_ACTIVATIONS)[number];

export const activationParam: ChoiceParam<FusedActivation> = {
  type: 'choice',
  default: 'linear',
  options: FUSED_ACTIVATIONS,
  doc: {
    en: 'Function applied to the output; linear applies none (swish is also called SiLU).',
    es: 'Función aplicada a la salida; linear no aplica ninguna (swish también se llama SiLU).',
  },
};

export const useBiasParam: BoolParam = {
  type: 'bool',
  default: true,
  doc: {
    en: 'Add a learned bias per output channel (often off before BatchNorm, which has its own).',
    es: 'Suma un sesgo aprendido por canal de salida (suele omitirse antes de BatchNorm, que ya tiene uno).',
  },
};

/** Normalisation layers (BatchNorm, LayerNormalization): ε and whether γ and β are learned. */
export const normEpsilonParam: FloatParam = {
  type: 'float',
  default: 0.001,
  min: 0,
  max: 1,
  doc: { en: 'Added to the variance to avoid dividing by zero.', es: 'Se suma a la varianza para no dividir entre cero.' },
};
export const centerParam: BoolParam = {
  type: 'bool',
  default: true,
  doc: { en: 'Learn a shift β per channel.', es: 'Aprende un desplazamiento β por canal.' },
};
export const scaleParam: BoolParam = {
  type: 'bool',
  default: true,
  doc: { en: 'Learn a scale γ per channel.', es: 'Aprende una escala γ por canal.' },
};

export function pairParam(defaultValue: number, min: number, doc: IntsParam['doc']): IntsParam {
  return { type: 'ints', default: [defaultValue, defaultValue], minLength: 2, maxLength: 2, min, max: MAX_SIZE, doc };
}

/** The output channel count of a convolution (8 by default); `doc` says what the channels are for this kind. */
export const filtersParam = (doc: IntParam['doc']): IntParam => ({ type: 'int', default: 8, min: 1, max: MAX_SIZE, doc });

export const kernelSizeParam = (k: number): IntsParam =>
  pairParam(k, 1, {
    en: 'Height and width of the window each output value looks at.',
    es: 'Alto y ancho de la ventana que mira cada valor de salida.',
  });

export const stridesParam = (s: number): IntsParam =>
  pairParam(s, 1, {
    en: 'Step of the window, vertically and horizontally; 2 halves the size.',
    es: 'Paso de la ventana, en vertical y en horizontal; 2 reduce el tamaño a la mitad.',
  });

export const dilationParam: IntsParam = pairParam(1, 1, {
  en: 'Spacing between kernel taps; d > 1 widens the view without more weights.',
  es: 'Separación entre los puntos del kernel; d > 1 amplía la vista sin más pesos.',
});

export const convPaddingParam: ChoiceParam<'valid' | 'same' | 'explicit'> = {
  type: 'choice',
  default: 'valid',
  options: ['valid', 'same', 'explicit'],
  doc: {
    en: 'valid: no padding (output shrinks); same: pad so output = ⌈input/stride⌉; explicit: use pads.',
    es: 'valid: sin relleno (la salida encoge); same: rellena para que salida = ⌈entrada/paso⌉; explicit: usa pads.',
  },
};

/** Transposed convolutions: TensorFlow's two paddings. */
export const poolPaddingParam: ChoiceParam<'valid' | 'same'> = {
  type: 'choice',
  default: 'valid',
  options: ['valid', 'same'],
  doc: {
    en: 'valid: windows stay inside the input; same: pad so output = ⌈input/stride⌉.',
    es: 'valid: las ventanas quedan dentro de la entrada; same: rellena para que salida = ⌈entrada/paso⌉.',
  },
};

/** Pooling: TensorFlow's two paddings, or PyTorch's explicit pads (which a max never takes). */
export const poolingPaddingParam: ChoiceParam<'valid' | 'same' | 'explicit'> = {
  type: 'choice',
  default: 'valid',
  options: ['valid', 'same', 'explicit'],
  doc: {
    en: 'valid: windows stay inside the input; same: pad so output = ⌈input/stride⌉ (TensorFlow); explicit: use pads (PyTorch padding=p).',
    es: 'valid: las ventanas quedan dentro de la entrada; same: rellena para que salida = ⌈entrada/paso⌉ (TensorFlow); explicit: usa pads (padding=p de PyTorch).',
  },
};

export const ceilModeParam: BoolParam = {
  type: 'bool',
  default: false,
  doc: {
    en: "PyTorch's ceil_mode: round the output size up, adding a partial last window (never one that starts in the padding); no effect with same.",
    es: 'ceil_mode de PyTorch: redondea hacia arriba el tamaño de salida, con una última ventana parcial (nunca una que empiece en el relleno); sin efecto con same.',
  },
};

export const countIncludePadParam: BoolParam = {
  type: 'bool',
  default: false,
  doc: {
    en: "PyTorch's count_include_pad, for explicit pads: divide by the whole window, pads included (PyTorch's default), rather than by its real pixels. same always divides by the real pixels, as TensorFlow does.",
    es: 'count_include_pad de PyTorch, con pads explícitos: divide por la ventana entera, relleno incluido (lo predeterminado en PyTorch), y no por sus píxeles reales. same siempre divide por los píxeles reales, como TensorFlow.',
  },
};

export const padsParam: IntsParam = {
  type: 'ints',
  default: [0, 0, 0, 0],
  minLength: 4,
  maxLength: 4,
  min: 0,
  max: MAX_SIZE,
  doc: {
    en: 'Zeros added [top, bottom, left, right] when padding is explicit (PyTorch padding=p is [p, p, p, p]).',
    es: 'Ceros añadidos [arriba, abajo, izquierda, derecha] con relleno explicit (padding=p de PyTorch es [p, p, p, p]).',
  },
};

export const poolPadsParam: IntsParam = {
  ...padsParam,
  doc: {
    en: 'Padding [top, bottom, left, right] when padding is explicit, smaller than the window; it never wins a max (−∞) and counts in an average only with count_include_pad.',
    es: 'Relleno [arriba, abajo, izquierda, derecha] con relleno explicit, menor que la ventana; nunca gana un máximo (−∞) y cuenta en una media solo con count_include_pad.',
  },
};

/** The window of a convolution from its Keras-named parameters (Conv2D, DepthwiseConv2D, SeparableConv2D). */
export function convWindow(p: {
  readonly kernel_size: readonly number[];
  readonly strides: readonly number[];
  readonly dilation_rate: readonly number[];
  readonly padding: Window['padding'];
  readonly pads: readonly number[];
}): Window {
  return { kernel: p.kernel_size, strides: p.strides, dilation: p.dilation_rate, padding: p.padding, pads: p.pads };
}

/** The window of a pooling layer: no dilation; explicit pads and ceil mode as PyTorch has them. */
export function poolWindow(p: {
  readonly pool_size: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Window['padding'];
  readonly pads: readonly number[];
  readonly ceil_mode: boolean;
}): Window {
  return { kernel: p.pool_size, strides: p.strides, dilation: [1, 1], padding: p.padding, pads: p.pads, ceil: p.ceil_mode && p.padding !== 'same' };
}

/** Keras HWIO kernel [kh, kw, in, out] → PyTorch's and ONNX's OIHW; also a transposed conv's [kh, kw, out, in] → [in, out, kh, kw]. */
export const HWIO_TO_OIHW = [3, 2, 0, 1] as const;

/**
 * The padding a window applies to an H×W input, [top, bottom, left, right]: TensorFlow's split for 'same'
 * (the odd pixel at the bottom/right), the given pads for 'explicit', none for 'valid'. Null when 'same'
 * meets an unknown size. The one rule inference, the inspector and the PyTorch and ONNX mappings share.
 */
export function windowPads(input: Shape, win: Window): Padding2D | null {
  if (win.padding === 'valid') return [0, 0, 0, 0];
  if (win.padding === 'explicit') return [win.pads[0], win.pads[1], win.pads[2], win.pads[3]];
  const [h, w] = input;
  if (h === null || w === null) return null;
  return [...samePadding(h, win.kernel[0], win.strides[0], win.dilation[0]), ...samePadding(w, win.kernel[1], win.strides[1], win.dilation[1])];
}

export interface SpatialResult {
  readonly h: Dim;
  readonly w: Dim;
  /** The padding actually applied [top, bottom, left, right] when the sizes are known. */
  readonly pads: Padding2D | null;
  readonly issues: Issue[];
}

/** Checks that an input is an image H×W×C; returns the issue to report otherwise. */
export function requireImage(name: string, nodeId: string, kind: string, input: Shape): Issue | null {
  if (input.length === 3) return null;
  return { severity: 'error', code: 'needs-image', nodeId, values: { node: name, kind, shape: formatShape(input) } };
}

export function requireChannels(name: string, nodeId: string, input: Shape): Issue | null {
  if (input.length > 0 && input[input.length - 1] !== null) return null;
  return { severity: 'error', code: 'unknown-channels', nodeId, values: { node: name, shape: formatShape(input) } };
}

/**
 * Output height and width of a sliding window over an H×W input, with the diagnostics a student needs:
 * a kernel larger than the (padded) input is an error, a stride that skips the last rows/columns a warning.
 */
export function windowOutput(name: string, nodeId: string, input: Shape, win: Window): SpatialResult {
  const [inH, inW] = input;
  const dil = win.dilation;
  const issues: Issue[] = [];
  if ((win.strides[0] > 1 || win.strides[1] > 1) && (dil[0] > 1 || dil[1] > 1)) {
    issues.push({
      severity: 'error',
      code: 'stride-and-dilation',
      nodeId,
      param: 'dilation_rate',
      values: { node: name, strides: win.strides.join('×'), dilation: dil.join('×') },
      fix: { params: { dilation_rate: [1, 1] }, label: 'fix-dilation-1' },
    });
  }
  const known = windowPads(input, win);
  // Only 'same' leaves pads unknown, and its sizes do not depend on them.
  const pads = known ?? [0, 0, 0, 0];
  const sizes: Dim[] = [];
  for (const axis of [0, 1] as const) {
    const size = axis === 0 ? inH : inW;
    const k = win.kernel[axis];
    const s = win.strides[axis];
    const d = dil[axis];
    if (win.padding === 'same') {
      sizes.push(sameOutputSize(size, s));
      continue;
    }
    const [lo, hi] = [pads[axis * 2], pads[axis * 2 + 1]];
    sizes.push(windowOutputSize(size, k, s, lo, hi, d, win.ceil));
    // A window smaller than its stride skips pixels between windows by design (ResNet's 1×1 stride-2
    // shortcut); the warning is for the tail a larger window cannot reach, which ceil mode reaches.
    if (size !== null && s > 1 && dilatedKernel(k, d) >= s && !win.ceil) {
      // Pixels past the last window that are padding are no loss; only real input left unread is.
      const unused = unusedInput(size, k, s, lo + hi, d) - hi;
      if (unused > 0 && size + lo + hi >= dilatedKernel(k, d)) {
        issues.push({
          severity: 'warning',
          code: 'stride-unused',
          nodeId,
          param: 'strides',
          values: { node: name, stride: s, unused, size, axis: axis === 0 ? 'h' : 'w' },
        });
      }
    }
  }
  const tooSmall = [0, 1].some((axis) => {
    const size = axis === 0 ? inH : inW;
    return size !== null && size + pads[axis * 2] + pads[axis * 2 + 1] < dilatedKernel(win.kernel[axis], dil[axis]);
  });
  if (tooSmall && win.padding !== 'same') {
    const padded = win.padding === 'explicit' && win.pads.some((p) => p > 0);
    const kernel = win.kernel.map((k, i) => dilatedKernel(k, dil[i])).join('×');
    issues.push({
      severity: 'error',
      code: 'kernel-too-large',
      nodeId,
      param: 'kernel_size',
      values: {
        node: name,
        kernel,
        input: `${inH}×${inW}`,
        padded: padded ? `${(inH ?? 0) + pads[0] + pads[1]}×${(inW ?? 0) + pads[2] + pads[3]}` : '',
      },
      fix: { params: { padding: 'same' }, label: 'fix-padding-same' },
    });
  }
  return { h: sizes[0], w: sizes[1], pads: known, issues };
}

/**
 * The output of a convolution sliding `win` over an image (Conv2D, DepthwiseConv2D, SeparableConv2D):
 * H×W from the window, `channels(cin)` deep, after the checks each of them needs (an image with known
 * channels, a window that fits) and the kind's own `check`.
 */
export function convOutputShape(
  kind: string,
  ctx: { readonly name: string; readonly nodeId: string; readonly inputs: readonly Shape[] },
  win: Window,
  channels: (cin: number) => number,
  check: (cin: number) => Issue | null = () => null,
): InferResult {
  const { name, nodeId, inputs: [x] } = ctx;
  const shapeIssue = requireImage(name, nodeId, kind, x) ?? requireChannels(name, nodeId, x);
  if (shapeIssue) return { shape: null, issues: [shapeIssue] };
  const cin = x[2] as number;
  const out = windowOutput(name, nodeId, x, win);
  const own = check(cin);
  if (own) out.issues.push(own);
  if (hasErrors(out.issues)) return { shape: null, issues: out.issues };
  return { shape: [out.h, out.w, channels(cin)], issues: out.issues };
}

/** The output of a normalisation (BatchNorm, LayerNormalization): the input's shape, whose channels must be known. */
export function normalizedShape(ctx: { readonly name: string; readonly nodeId: string; readonly inputs: readonly Shape[] }): InferResult {
  const { name, nodeId, inputs: [x] } = ctx;
  const issue = requireChannels(name, nodeId, x);
  return issue ? { shape: null, issues: [issue] } : { shape: x };
}

/** A normalisation's learned γ and β over the channels of `x`, as `scale` and `center` ask. */
export function gammaBeta(p: { readonly scale: boolean; readonly center: boolean }, x: Shape): WeightDecl[] {
  const c = [x[x.length - 1] as number];
  return [...(p.scale ? [{ name: 'gamma', shape: c, trainable: true }] : []), ...(p.center ? [{ name: 'beta', shape: c, trainable: true }] : [])];
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** "s1" when both strides agree, "s2×1" otherwise. */
export function strideLabel(strides: readonly number[]): string {
  return strides[0] === strides[1] ? `s${strides[0]}` : `s${strides[0]}×${strides[1]}`;
}

export function sizeLabel(pair: readonly number[]): string {
  return `${pair[0]}×${pair[1]}`;
}

/** Keras's explicit padding layout [[top, bottom], [left, right]]. */
export function kerasPads(pads: readonly number[]): number[][] {
  return [
    [pads[0], pads[1]],
    [pads[2], pads[3]],
  ];
}
