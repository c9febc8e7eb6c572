/**
 * The contract every layer kind fulfils, as plain data and pure functions. A kind's file under layers/
 * is the only place that knows that kind: schema, shape rule, weights, MACs, and how it maps out.
 */
import type { Issue, IssueCode } from './messages.ts';
import type { ParamSchema, ParamsOf } from './params.ts';
import type { LayerKind, Localized, Shape } from './types.ts';

export type LayerCategory =
  | 'input'
  | 'convolution'
  | 'pooling'
  | 'dense'
  | 'normalization'
  | 'activation'
  | 'merge'
  | 'reshape';

export interface InferContext<P> {
  /** How messages name the node: its label, or its id. */
  readonly name: string;
  readonly nodeId: string;
  readonly params: P;
  /** Input shapes in slot order; all known (a node behind an unknown input is not asked). */
  readonly inputs: readonly Shape[];
}

export type InferResult =
  | { readonly shape: Shape; readonly issues?: readonly Issue[] }
  | { readonly shape: null; readonly issues: readonly Issue[] };

/** A weight tensor in Keras/tfjs order (a Conv2D kernel is [kh, kw, in/groups, filters]). */
export interface WeightDecl {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
}

export interface SizedContext<P> extends InferContext<P> {
  readonly output: Shape;
}

/**
 * A Keras layer as its serialised config (snake_case, like `model.to_json()`): tfjs-layers builds the
 * model from it and the Keras exporter prints it. A node may map to a short chain (explicit padding
 * becomes ZeroPadding2D + Conv2D); `suffix` names the helper layers of the chain, the last one has none.
 */
export interface KerasLayer {
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly suffix?: string;
  /**
   * What this layer of the chain reads, when not the layer before it (the node's input for the first):
   * indices of earlier layers of the same chain, −1 for the node's input. Lets a node be a small graph
   * (exact pooling pads by copying edge rows: crop, concatenate) while staying one node.
   */
  readonly reads?: readonly number[];
  /** Why the chain reads as it does, for a person reading the Keras code (model.py prints it above the layer). */
  readonly note?: string;
  /**
   * The config keys of the initialisers that draw this layer's weights at random (`kernel_initializer`…),
   * so a caller can swap them for zeros (compile's `zeroInit`); [] for weights that start at fixed values
   * (BatchNorm's ones and zeros). The layer that holds a kind's trainable weights must say (contract test).
   */
  readonly initializers?: readonly string[];
}

/**
 * The ONNX form of a layer, as plain data: a short chain of ONNX ops (default domain, opset 13) and where
 * each op's inputs come from. The exporter (src/export/onnx.ts) names the tensors, turns weights into
 * initializers and inserts the layout Transposes.
 *
 * Layout: ONNX's convolution, pooling, normalisation and resize ops read channels-first tensors (NCHW);
 * Keras's Flatten, Reshape and Dense read channels-last order (NHWC). Each mapping says which one its ops
 * read; the exporter tracks the layout of every tensor and transposes only where a consumer needs the
 * other one, so a plain CNN pays one Transpose after its input and one before its Flatten. The model's
 * inputs and outputs stay channels-last, like the tfjs model. For a tensor of rank r (without the
 * batch), channels-first moves the last axis to position 1: [N, C, d1, … d(r−1)].
 */
export type OnnxLayout = 'channels-first' | 'channels-last';

/** A typed attribute value (ONNX distinguishes 1 from 1.0). */
export type OnnxAttribute =
  | { readonly int: number }
  | { readonly ints: readonly number[] }
  | { readonly float: number }
  | { readonly floats: readonly number[] }
  | { readonly string: string };

export type OnnxInput =
  /** The node's input in this slot, in the mapping's layout. */
  | { readonly input: number }
  /** The output of an earlier op of the same chain (its index). */
  | { readonly step: number }
  /**
   * A declared weight (see `weights()`, Keras layout) as an initializer: axes permuted by `perm`
   * (numpy.transpose), then `reshape`d. A Conv2D kernel [kh, kw, in, out] becomes OIHW with [3, 2, 0, 1].
   */
  | { readonly weight: string; readonly perm?: readonly number[]; readonly reshape?: readonly number[] }
  /** A constant initializer (shape tensors, scalars, the ones that stand in for a missing γ). */
  | { readonly constant: readonly number[]; readonly dims: readonly number[]; readonly type: 'float' | 'int64' }
  /** An optional input left out (written as the empty name). */
  | { readonly absent: true };

export interface OnnxOp {
  /** The ONNX operator, e.g. "Conv". */
  readonly op: string;
  readonly inputs: readonly OnnxInput[];
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
}

export interface OnnxMapping {
  /** The layout the ops read their inputs in; 'any' for element-wise ops, which keep what they get. */
  readonly layout: OnnxLayout | 'any';
  /** The ops in order; the last one's output is the node's output. Empty only for Input. */
  readonly ops: readonly OnnxOp[];
}

export interface OnnxContext<P> extends SizedContext<P> {
  /**
   * The layout the node's inputs arrive in. A mapping with layout 'any' reads them in this layout and
   * places any axis it names accordingly (Concatenate's channel axis is 1 or −1).
   */
  readonly layout: OnnxLayout;
}

/**
 * The PyTorch form of a layer, as plain data: the modules `__init__` creates, the expression `forward`
 * computes, and where each declared (Keras-layout) weight goes in the module's state_dict.
 *
 * Layout: a tensor of rank r ≥ 2 (without the batch) is channels-first in PyTorch, the last Keras axis
 * moved to position 1 (an H×W×C image is [N, C, H, W], an L×C sequence [N, C, L]); vectors are [N, F].
 * Every mapping reads and writes that layout, so channel axes are dim=1 throughout.
 *
 * Templates (`forward`, and `ctor` for helper modules): `{x}` is the node's first input, `{x0}`, `{x1}`…
 * its inputs in slot order, `{xs}` all of them comma-separated, `{m}` the node's own module
 * (`self.<name>`) and `{m.<suffix>}` a helper module or parameter (`self.<name>_<suffix>`). The exporter
 * substitutes Python names it has sanitised; nothing in a template comes from user text.
 */
export interface TorchModule {
  /** Absent for the node's own module; a helper is named `<name>_<suffix>`. */
  readonly suffix?: string;
  /** The Python expression that builds it: `nn.Conv2d(1, 8, kernel_size=(5, 5), …)` or `nn.Parameter(…)`. */
  readonly ctor: string;
}

/**
 * Where one declared weight goes: the state_dict entry `<name>[_<module>][.<param>]`, converted from the
 * Keras array by (in this order) `view` (reshape, row-major), `perm` (numpy.transpose axes) and
 * `reshape`. A Conv2D kernel [kh, kw, in, out] becomes OIHW with perm [3, 2, 0, 1].
 */
export interface TorchWeight {
  /** The declared weight's name (see `weights()`): kernel, bias, gamma, moving_mean… */
  readonly keras: string;
  /** A helper module's suffix; absent for the node's own module. */
  readonly module?: string;
  /** The parameter or buffer of that module (weight, running_var…); absent when the module is an nn.Parameter. */
  readonly param?: string;
  readonly view?: readonly number[];
  readonly perm?: readonly number[];
  readonly reshape?: readonly number[];
}

export interface TorchMapping {
  /** Modules built in `__init__`; none for layers that are plain tensor operations (Add, Flatten…). */
  readonly modules: readonly TorchModule[];
  /** The node's output as one Python expression over its inputs (see the template names above). */
  readonly forward: string;
  readonly weights: readonly TorchWeight[];
  /** Why the forward line reads as it does, when it departs from the obvious (printed as a comment). */
  readonly note?: string;
}

export interface TorchContext<P> extends SizedContext<P> {
  /**
   * Flatten only: the order its output may take. 'channels-last' (the default) equals Keras's flatten of
   * H×W×C; 'channels-first' is PyTorch's own `torch.flatten(x, 1)`, which the exporter allows when every
   * consumer is a Dense that takes its weights in that order (see `flattenedFrom`).
   */
  readonly flatten?: 'channels-first' | 'channels-last';
  /**
   * Dense only: set when the input vector is the channels-first flatten of a tensor of this (Keras)
   * shape; the kernel's rows are then permuted from H·W·C order to C·H·W order.
   */
  readonly flattenedFrom?: Shape;
}

/**
 * The sliding window of a convolution or pooling layer, read from its parameters: one description that
 * the shape rule, the inspector's arithmetic and the PyTorch and ONNX padding all take (layers/shared/
 * common.ts `windowOutput`, `windowPads`).
 */
export interface Window {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilation: readonly number[];
  readonly padding: 'valid' | 'same' | 'explicit';
  /** [top, bottom, left, right], used when padding is 'explicit'. */
  readonly pads: readonly number[];
  /** PyTorch's ceil_mode (pooling): output sizes rounded up (see shape-math.ts `windowOutputSize`). */
  readonly ceil?: boolean;
}

/**
 * One axis of a layer that moves positions in a way other than a window: each input position m spreads
 * over the output positions m·stride − before + t (t = 0 … kernel − 1). Output position o therefore reads
 * the input positions m with m·stride = o + before − t: a transposed convolution, and up-sampling (nearest:
 * kernel = stride = factor; bilinear, with half-pixel centres, also reads a neighbour on either side:
 * kernel = 2·factor − (factor mod 2), before = ⌊factor / 2⌋).
 */
export interface FieldSpread {
  readonly kernel: number;
  readonly stride: number;
  readonly before: number;
}

/**
 * How a kind's output positions see its input positions, for receptive fields (receptive-field.ts):
 * 'window' — through its `window` and the padding `windowPads` gives it; 'pointwise' — position for
 * position (element-wise layers, merges, a Dense or normalisation over the channels of an image);
 * 'whole' — every output value mixes every input position (Flatten, global pooling, Reshape); or the
 * spread of each spatial axis (height, width), read from the parameters and the (image) input.
 */
export type FieldRule<P> =
  | 'window'
  | 'pointwise'
  | 'whole'
  | { readonly spread: Method<[params: P, input: Shape], readonly [FieldSpread, FieldSpread]> };

/**
 * Where a kind keeps the filters it slides over its input, for the Filters view: the declared weight
 * (Keras layout [kh, kw, a, b]) and what its last two axes are. 'in-out': [kh, kw, in, out] (Conv2D; with
 * groups, `in` is a group's channels); 'out-in': [kh, kw, out, in] (Conv2DTranspose); 'depthwise':
 * [kh, kw, in, multiplier], output channel c·m + j reads input channel c alone.
 */
export interface FilterTrait {
  readonly weight: string;
  readonly axes: 'in-out' | 'out-in' | 'depthwise';
}

/** One line of arithmetic: the rule in symbols and the same rule with a node's numbers (see explain.ts). */
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

/**
 * How values flow through a kind, for the checks that walk the graph rather than one node (the fit check
 * before training, the PyTorch exporter's flatten plan). Every kind answers every question, so a new kind
 * cannot be silently left out of them.
 */
export interface LayerFlow {
  /**
   * The loss reads the same kind of values after it as before: it is the identity at inference
   * (Dropout), only re-arranges values (Flatten, Reshape) or pools them globally. A softmax before it
   * still makes the output probabilities.
   */
  readonly keepsHead: boolean;
  /** Its output's last axis always has its input's length (Dropout, BatchNorm, pooling): a class count set before it survives it. */
  readonly keepsChannels: boolean;
  /**
   * Re-ordering the values of its one input re-orders its output the same way: element-wise, with no
   * weight per position (Dropout, Activation). A flattened vector may pass it in PyTorch's order.
   */
  readonly orderBlind: boolean;
  /** The parameter that sets its output's last axis (Dense units, Conv2D filters) and the label of the fix that sets it; null when none does. */
  readonly channelsParam: { readonly name: string; readonly fix: IssueCode } | null;
  /**
   * Whether its output is an affine function of its input at inference (what linear-layers.ts reads to
   * find stacks that collapse into one map): 'always' (Flatten, BatchNorm, average pooling, Dropout,
   * padding, merges), 'never' (MaxPool, Activation, LayerNormalization), or 'by-activation': its fused
   * `activation` parameter decides, linear exactly when it is 'linear' (Dense, the convolutions).
   */
  readonly linear: 'always' | 'never' | 'by-activation';
}

/**
 * A function checked like a method (bivariantly in its parameters), so that a trait which may be null
 * still lets the registry hold each kind's precisely typed function, as the spec's methods do.
 */
type Method<A extends unknown[], R> = { bivarianceHack(...args: A): R }['bivarianceHack'];

export interface LayerSpec<S extends ParamSchema = ParamSchema> {
  readonly kind: LayerKind;
  readonly category: LayerCategory;
  readonly title: Localized;
  readonly doc: Localized;
  readonly params: S;
  /** How many incoming edges the kind takes. */
  readonly inputs: { readonly min: number; readonly max: number };
  /**
   * The rank of input it takes: 'image' (H×W×C only; inference reports `needs-image` otherwise) or
   * 'any'. The contract test holds `outputShape` to it; test generators read it.
   */
  readonly accepts: 'image' | 'any';
  /** Convolutions and pooling: the window its parameters describe; null for every other kind. */
  readonly window: Method<[params: ParamsOf<S>], Window> | null;
  /**
   * The output-size arithmetic the inspector shows for a kind without a window (transposed convolution,
   * padding, up-sampling, flatten), per axis, for an input whose sizes are known; null when the output
   * size needs no arithmetic. Windowed kinds are explained from `window` (explain.ts).
   */
  readonly explainSize: Method<[params: ParamsOf<S>, input: Shape], readonly SizeExplanation[]> | null;
  /** How its output positions read its input positions (see FieldRule); 'window' exactly when `window` is set. */
  readonly field: FieldRule<ParamsOf<S>>;
  /** The sliding filters the Filters view draws; absent for kinds without any. */
  readonly filters?: FilterTrait;
  /**
   * The rows and columns of its output that are padding alone, [top, bottom, left, right] (ZeroPadding2D):
   * a window after it that leaves them unread loses nothing, so no stride-unused warning counts them.
   * Absent for kinds whose every output position reads the input.
   */
  readonly paddedEdges?: Method<[params: ParamsOf<S>], readonly number[]>;
  readonly flow: LayerFlow;
  /** A compact summary of the key parameters for the node face, e.g. "8 × 5×5 · s1 · same". */
  summary(params: ParamsOf<S>): string;
  outputShape(ctx: InferContext<ParamsOf<S>>): InferResult;
  /** Declared weights; parameter counts are derived from these, never written by hand. */
  weights(ctx: SizedContext<ParamsOf<S>>): readonly WeightDecl[];
  /** Multiply-accumulates for one sample, or null when a size is unknown. */
  macs(ctx: SizedContext<ParamsOf<S>>): number | null;
  keras(ctx: SizedContext<ParamsOf<S>>): readonly KerasLayer[];
  /** The ONNX ops of the node (see OnnxMapping). */
  onnx(ctx: OnnxContext<ParamsOf<S>>): OnnxMapping;
  /** The PyTorch modules, forward expression and weight layout of the node (see TorchMapping). */
  torch(ctx: TorchContext<ParamsOf<S>>): TorchMapping;
}

/** Identity helper that keeps each file's params precisely typed while the registry stores them uniformly. */
export function defineLayer<S extends ParamSchema>(spec: LayerSpec<S>): LayerSpec<S> {
  return spec;
}

export type AnyLayerSpec = LayerSpec<ParamSchema>;
