/**
 * What the inspector teaches about one node, as plain data: the output-size arithmetic written out with
 * the node's own numbers, each weight's shape in Keras and PyTorch order, and what a Dense layer doing a
 * convolution's job would cost. Pure; the numbers come from the same places inference and the PyTorch
 * exporter take them (resolveParams, shape-math.ts, the layer's `torch()` mapping), so the page can never
 * explain a size the model does not have.
 *
 * Formulas use a small fixed notation that tests evaluate back: integers, `+`, `−` (U+2212), `·`
 * (multiply), `/`, parentheses, `⌊…⌋`, `⌈…⌉` and `max(a, b)`; a formula reads `name = expression = value`.
 */
import type { SizeExplanation, TorchWeight, Window, WeightDecl } from './layer-spec.ts';
import { mappingContext, type NodeInference } from './infer.ts';
import { isLayerKind, layerSpec } from './layers/index.ts';
import { windowPads } from './layers/shared/common.ts';
import { AXES, knownImageSize, num } from './layers/shared/size-steps.ts';
import { convOutputSize, dilatedKernel, elementCount, sameOutputSize, windowOutputSize, type Padding2D } from './shape-math.ts';
import type { DesignNode, Shape } from './types.ts';

export type { SizeAxis, SizeExplanation, SizeStep } from './layer-spec.ts';

/**
 * One axis of a windowed layer (convolutions, pooling): the rule `windowOutput` (layers/shared/common.ts)
 * applies, with the padding `windowPads` gives it.
 */
function windowAxis(input: number, a: 0 | 1, w: Window, pads: Padding2D): SizeExplanation {
  const { axis, lo: loName, hi: hiName } = AXES[a];
  const k = w.kernel[a];
  const s = w.strides[a];
  const d = w.dilation[a];
  const kEff = dilatedKernel(k, d);
  const kSym = d > 1 ? 'k′' : 'k';
  const effectiveKernel = d > 1 ? { rule: 'k′ = d·(k − 1) + 1', formula: `k′ = ${d}·(${k} − 1) + 1 = ${kEff}`, result: kEff } : undefined;
  const [lo, hi] = [pads[a * 2], pads[a * 2 + 1]];
  if (w.padding === 'same') {
    const result = sameOutputSize(input, s) as number;
    return {
      axis,
      dim: a,
      rule: 'out = ⌈in / s⌉',
      formula: `out = ⌈${input} / ${s}⌉ = ${result}`,
      result,
      ...(effectiveKernel ? { effectiveKernel } : {}),
      samePadding: {
        rule: `pad = max((out − 1)·s + ${kSym} − in, 0)`,
        formula: `pad = max((${result} − 1)·${s} + ${kEff} − ${input}, 0) = ${lo + hi}`,
        result: lo + hi,
        before: lo,
        after: hi,
      },
    };
  }
  const even = lo === hi;
  const result = windowOutputSize(input, k, s, lo, hi, d, w.ceil) as number;
  // Ceil mode rounds up, less a last window that would start in the padding (PyTorch drops it).
  const [open, close] = w.ceil ? ['⌈', '⌉'] : ['⌊', '⌋'];
  const rounded = w.ceil ? Math.ceil((input - kEff + lo + hi) / s) + 1 : result;
  const drop = rounded > result ? ' − 1' : '';
  return {
    axis,
    dim: a,
    rule: `out = ${open}(in − ${kSym} + ${even ? '2·p' : `p_${loName} + p_${hiName}`}) / s${close} + 1${drop}`,
    formula: `out = ${open}(${input} − ${kEff} + ${even ? `2·${lo}` : `${lo} + ${hi}`}) / ${s}${close} + 1${drop} = ${num(result)}`,
    result,
    ...(effectiveKernel ? { effectiveKernel } : {}),
  };
}

/**
 * The output-size arithmetic of a node, one entry per axis it computes, with the node's own numbers:
 * from the layer's window, or the rule its spec writes out (`explainSize`). Empty for kinds whose output
 * size needs no arithmetic (Dense, Activation…), and wherever the node's parameters are invalid or its
 * input is unknown. A window that does not fit its input is still explained: the arithmetic then shows
 * the size that would have to be ≤ 0.
 */
export function explainOutputSize(node: DesignNode, inf: NodeInference): SizeExplanation[] {
  if (!isLayerKind(node.kind) || !inf.paramsValid) return [];
  const spec = layerSpec(node.kind);
  const p = inf.params;
  const x = inf.inputShapes[0];
  if (!x) return [];
  if (spec.window) {
    const size = knownImageSize(x);
    if (!size) return [];
    const w = spec.window(p);
    const pads = windowPads(x, w)!;
    return [windowAxis(size[0], 0, w, pads), windowAxis(size[1], 1, w, pads)];
  }
  return spec.explainSize ? [...spec.explainSize(p, x)] : [];
}

/** One weight tensor in both frameworks' orders. */
export interface WeightLayout {
  /** The Keras/tfjs name: kernel, bias, depthwise_kernel, gamma, moving_mean… */
  readonly name: string;
  readonly trainable: boolean;
  /** As declared (Keras order): HWIO for a conv kernel, [in, out] for a Dense kernel. */
  readonly keras: readonly number[];
  /** Where PyTorch keeps it (weight, bias, running_mean…), and its shape there; null if it has no mapping. */
  readonly torchName: string | null;
  readonly torch: readonly number[] | null;
}

/**
 * The shape a Keras-layout array takes in PyTorch under a `TorchWeight` conversion, applying its `view`,
 * `perm` and `reshape` in the order the exporter's `torchStateDict` applies them to the data.
 */
export function torchWeightShape(keras: readonly number[], target: TorchWeight): number[] {
  let shape = [...keras];
  if (target.view) shape = [...target.view];
  if (target.perm) shape = target.perm.map((axis) => shape[axis]);
  if (target.reshape) shape = [...target.reshape];
  return shape;
}

/** Where a weight lives in the module: its parameter, a helper's own parameter (`depthwise.weight`), or the helper itself. */
function torchName(target: TorchWeight): string | undefined {
  if (target.module && target.param) return `${target.module}.${target.param}`;
  return target.param ?? target.module;
}

/**
 * Each declared weight of a node in Keras order and in PyTorch's, the latter read from the layer's own
 * `torch()` mapping: the one description the PyTorch exporter converts trained weights with.
 *
 * The exporter may also reorder a Dense kernel's rows after a Flatten (see pytorch.ts); that changes the
 * order of values, never the shape shown here.
 */
export function weightLayouts(node: DesignNode, inf: NodeInference): WeightLayout[] {
  const declared: readonly WeightDecl[] = inf.weights;
  if (declared.length === 0 || !inf.outputShape || !isLayerKind(node.kind)) return [];
  let mapping: readonly TorchWeight[] = [];
  try {
    mapping = layerSpec(node.kind).torch(mappingContext(inf)).weights;
  } catch {
    // A mapping that cannot be built for this node leaves the PyTorch column empty; the page stays up.
  }
  return declared.map((w) => {
    const target = mapping.find((t) => t.keras === w.name);
    return {
      name: w.name,
      trainable: w.trainable,
      keras: w.shape,
      torchName: target ? torchName(target) ?? w.name : null,
      torch: target ? torchWeightShape(w.shape, target) : null,
    };
  });
}

/** A convolution against the fully connected layer that would map the same input to the same output. */
export interface DenseEquivalent {
  /** Values in the flattened input and output. */
  readonly inputs: number;
  readonly outputs: number;
  /** inputs·outputs + outputs: one weight per input-output pair, one bias per output. */
  readonly denseParams: number;
  /** The convolution's own trainable parameters. */
  readonly convParams: number;
  /** denseParams / convParams: what sparse connectivity and weight sharing save. */
  readonly ratio: number;
}

/** For a sized convolution over a window (Conv2D, DepthwiseConv2D…); null for any other node or an unknown size. */
export function denseEquivalent(inf: NodeInference): DenseEquivalent | null {
  // A window with trainable weights is a convolution; pooling has none (checked below).
  if (!isLayerKind(inf.kind) || layerSpec(inf.kind).window === null) return null;
  const x = inf.inputShapes[0];
  if (!x || !inf.outputShape) return null;
  const inputs = elementCount(x);
  const outputs = elementCount(inf.outputShape);
  if (inputs === null || outputs === null || inf.trainableParams === 0) return null;
  const denseParams = inputs * outputs + outputs;
  return { inputs, outputs, denseParams, convParams: inf.trainableParams, ratio: denseParams / inf.trainableParams };
}
