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
import type { TorchWeight, WeightDecl } from './layer-spec.ts';
import { mappingContext, type NodeInference } from './infer.ts';
import { isLayerKind, layerSpec } from './layers/index.ts';
import { convOutputSize, convTransposeOutputSize, dilatedKernel, elementCount, samePadding } from './shape-math.ts';
import type { DesignNode, ParamValue } from './types.ts';

/** One line of arithmetic: the rule in symbols and the same rule with this node's numbers. */
export interface SizeStep {
  /** The general rule, e.g. "out = ⌊(in − k + 2·p) / s⌋ + 1". */
  readonly rule: string;
  /** The rule with the node's numbers and its value, e.g. "out = ⌊(28 − 5 + 2·0) / 1⌋ + 1 = 24". */
  readonly formula: string;
  readonly result: number;
}

export type SizeAxis = 'height' | 'width' | 'features';

export interface SizeExplanation extends SizeStep {
  readonly axis: SizeAxis;
  /** The index of this axis in the (channels-last) output shape. */
  readonly dim: number;
  /** A dilated kernel's extent, k′ = d·(k − 1) + 1, when the dilation is above 1. */
  readonly effectiveKernel?: SizeStep;
  /**
   * The padding 'same' implies on this axis, and how TensorFlow splits it: the smaller half `before`
   * (top/left), the extra pixel `after` (bottom/right).
   */
  readonly samePadding?: SizeStep & { readonly before: number; readonly after: number };
}

/** A number as the formulas print it: a real minus sign for negatives (a kernel larger than its input). */
function num(n: number): string {
  return n < 0 ? `−${-n}` : String(n);
}

const AXES = [
  { axis: 'height', lo: 'top', hi: 'bottom' },
  { axis: 'width', lo: 'left', hi: 'right' },
] as const;

interface WindowArgs {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilation: readonly number[];
  readonly padding: 'valid' | 'same' | 'explicit';
  readonly pads: readonly number[];
}

/** Conv2D, DepthwiseConv2D and the poolings: the rule `windowOutput` (layers/common.ts) applies. */
function windowAxis(input: number, a: 0 | 1, w: WindowArgs): SizeExplanation {
  const { axis, lo: loName, hi: hiName } = AXES[a];
  const k = w.kernel[a];
  const s = w.strides[a];
  const d = w.dilation[a];
  const kEff = dilatedKernel(k, d);
  const kSym = d > 1 ? 'k′' : 'k';
  const effectiveKernel: SizeStep | undefined =
    d > 1 ? { rule: 'k′ = d·(k − 1) + 1', formula: `k′ = ${d}·(${k} − 1) + 1 = ${kEff}`, result: kEff } : undefined;
  if (w.padding === 'same') {
    const result = Math.ceil(input / s);
    const [before, after] = samePadding(input, k, s, d);
    return {
      axis,
      dim: a,
      rule: 'out = ⌈in / s⌉',
      formula: `out = ⌈${input} / ${s}⌉ = ${result}`,
      result,
      ...(effectiveKernel ? { effectiveKernel } : {}),
      samePadding: {
        rule: `pad = max((out − 1)·s + ${kSym} − in, 0)`,
        formula: `pad = max((${result} − 1)·${s} + ${kEff} − ${input}, 0) = ${before + after}`,
        result: before + after,
        before,
        after,
      },
    };
  }
  const [lo, hi] = w.padding === 'explicit' ? [w.pads[a * 2], w.pads[a * 2 + 1]] : [0, 0];
  const even = lo === hi;
  const result = convOutputSize(input, k, s, lo + hi, d) as number;
  return {
    axis,
    dim: a,
    rule: `out = ⌊(in − ${kSym} + ${even ? '2·p' : `p_${loName} + p_${hiName}`}) / s⌋ + 1`,
    formula: `out = ⌊(${input} − ${kEff} + ${even ? `2·${lo}` : `${lo} + ${hi}`}) / ${s}⌋ + 1 = ${num(result)}`,
    result,
    ...(effectiveKernel ? { effectiveKernel } : {}),
  };
}

const ints = (v: ParamValue | undefined): readonly number[] => (Array.isArray(v) ? (v as readonly number[]) : []);

/** The spatial size of a 2-D layer's input, or null when it is not an image with known height and width. */
function imageSize(inf: NodeInference): readonly [number, number] | null {
  const x = inf.inputShapes[0];
  if (!x || x.length !== 3 || x[0] === null || x[1] === null) return null;
  return [x[0], x[1]];
}

/**
 * The output-size arithmetic of a node, one entry per axis it computes, with the node's own numbers.
 * Empty for kinds whose output size needs no arithmetic (Dense, Activation…), and wherever the node's
 * parameters are invalid or its input is unknown. A window that does not fit its input is still
 * explained: the arithmetic then shows the size that would have to be ≤ 0.
 */
export function explainOutputSize(node: DesignNode, inf: NodeInference): SizeExplanation[] {
  if (!isLayerKind(node.kind) || !inf.paramsValid) return [];
  const p = inf.params;
  switch (node.kind) {
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'MaxPool2D':
    case 'AvgPool2D': {
      const size = imageSize(inf);
      if (!size) return [];
      const conv = node.kind === 'Conv2D' || node.kind === 'DepthwiseConv2D';
      const w: WindowArgs = {
        kernel: ints(conv ? p.kernel_size : p.pool_size),
        strides: ints(p.strides),
        dilation: conv ? ints(p.dilation_rate) : [1, 1],
        padding: p.padding as WindowArgs['padding'],
        pads: conv ? ints(p.pads) : [0, 0, 0, 0],
      };
      return [windowAxis(size[0], 0, w), windowAxis(size[1], 1, w)];
    }
    case 'Conv2DTranspose': {
      const size = imageSize(inf);
      if (!size) return [];
      const k = ints(p.kernel_size);
      const s = ints(p.strides);
      const same = p.padding === 'same';
      return AXES.map(({ axis }, a) => {
        const result = convTransposeOutputSize(size[a], k[a], s[a], same ? 'same' : 'valid') as number;
        return {
          axis,
          dim: a,
          rule: same ? 'out = in·s' : 'out = in·s + max(k − s, 0)',
          formula: same
            ? `out = ${size[a]}·${s[a]} = ${result}`
            : `out = ${size[a]}·${s[a]} + max(${k[a]} − ${s[a]}, 0) = ${result}`,
          result,
        };
      });
    }
    case 'ZeroPadding2D': {
      const size = imageSize(inf);
      if (!size) return [];
      const pads = ints(p.padding);
      return AXES.map(({ axis, lo, hi }, a) => {
        const result = size[a] + pads[a * 2] + pads[a * 2 + 1];
        return {
          axis,
          dim: a,
          rule: `out = in + p_${lo} + p_${hi}`,
          formula: `out = ${size[a]} + ${pads[a * 2]} + ${pads[a * 2 + 1]} = ${result}`,
          result,
        };
      });
    }
    case 'UpSampling2D': {
      const size = imageSize(inf);
      if (!size) return [];
      const f = ints(p.size);
      return AXES.map(({ axis }, a) => ({
        axis,
        dim: a,
        rule: 'out = in·f',
        formula: `out = ${size[a]}·${f[a]} = ${size[a] * f[a]}`,
        result: size[a] * f[a],
      }));
    }
    case 'Flatten': {
      const x = inf.inputShapes[0];
      const n = x ? elementCount(x) : null;
      if (!x || x.length < 2 || n === null) return [];
      const symbols = x.length === 3 ? 'H·W·C' : x.map((_, i) => `d${i + 1}`).join('·');
      return [{ axis: 'features', dim: 0, rule: `out = ${symbols}`, formula: `out = ${x.join('·')} = ${n}`, result: n }];
    }
    default:
      return [];
  }
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
      torchName: target ? (target.param ?? target.module ?? w.name) : null,
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

/** For a sized Conv2D or DepthwiseConv2D; null for any other node or an unknown size. */
export function denseEquivalent(inf: NodeInference): DenseEquivalent | null {
  if (inf.kind !== 'Conv2D' && inf.kind !== 'DepthwiseConv2D') return null;
  const x = inf.inputShapes[0];
  if (!x || !inf.outputShape) return null;
  const inputs = elementCount(x);
  const outputs = elementCount(inf.outputShape);
  if (inputs === null || outputs === null || inf.trainableParams === 0) return null;
  const denseParams = inputs * outputs + outputs;
  return { inputs, outputs, denseParams, convParams: inf.trainableParams, ratio: denseParams / inf.trainableParams };
}
