/**
 * The contract every layer kind fulfils, as plain data and pure functions. A kind's file under layers/
 * is the only place that knows that kind: schema, shape rule, weights, MACs, and how it maps out.
 */
import type { Issue } from './messages.ts';
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
}

export interface LayerSpec<S extends ParamSchema = ParamSchema> {
  readonly kind: LayerKind;
  readonly category: LayerCategory;
  readonly title: Localized;
  readonly doc: Localized;
  readonly params: S;
  /** How many incoming edges the kind takes. */
  readonly inputs: { readonly min: number; readonly max: number };
  /** A compact summary of the key parameters for the node face, e.g. "8 × 5×5 · s1 · same". */
  summary(params: ParamsOf<S>): string;
  outputShape(ctx: InferContext<ParamsOf<S>>): InferResult;
  /** Declared weights; parameter counts are derived from these, never written by hand. */
  weights(ctx: SizedContext<ParamsOf<S>>): readonly WeightDecl[];
  /** Multiply-accumulates for one sample, or null when a size is unknown. */
  macs(ctx: SizedContext<ParamsOf<S>>): number | null;
  keras(ctx: SizedContext<ParamsOf<S>>): readonly KerasLayer[];
}

/** Identity helper that keeps each file's params precisely typed while the registry stores them uniformly. */
export function defineLayer<S extends ParamSchema>(spec: LayerSpec<S>): LayerSpec<S> {
  return spec;
}

export type AnyLayerSpec = LayerSpec<ParamSchema>;
