/**
 * The document model: what a NetCanvas design is, independent of React, tfjs and the DOM.
 *
 * Shapes are channels-last (Keras/tfjs) and exclude the batch dimension: an MNIST image is [28, 28, 1].
 * A `null` dimension is unknown (it propagates: a conv over an unknown width has an unknown width).
 */

export type Dim = number | null;
export type Shape = readonly Dim[];

/** Parameter values as stored in the file: JSON scalars or short integer lists (kernel sizes, shapes). */
export type ParamValue = number | string | boolean | readonly number[];
export type Params = Readonly<Record<string, ParamValue>>;

export const LAYER_KINDS = [
  'Input',
  'Conv2D',
  'DepthwiseConv2D',
  'Conv2DTranspose',
  'MaxPool2D',
  'AvgPool2D',
  'GlobalAvgPool2D',
  'GlobalMaxPool2D',
  'Flatten',
  'Dense',
  'Dropout',
  'BatchNorm',
  'Activation',
  'Add',
  'Concatenate',
  'ZeroPadding2D',
  'UpSampling2D',
  'Reshape',
] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

export interface DesignNode {
  readonly id: string;
  readonly kind: LayerKind;
  readonly params: Params;
  readonly position: { readonly x: number; readonly y: number };
  readonly label?: string;
  /** Free text shown beside the node (instructors' notes). Never reaches code except as a comment. */
  readonly notes?: string;
}

export interface DesignEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** Input slot on the target; orders the inputs of merge nodes (Concatenate order matters). */
  readonly targetSlot?: number;
}

export interface Design {
  readonly format: 'netcanvas';
  readonly version: 1;
  readonly name: string;
  readonly description?: string;
  readonly notes?: string;
  readonly nodes: readonly DesignNode[];
  readonly edges: readonly DesignEdge[];
}

export type Lang = 'en' | 'es';
export type Localized = Readonly<Record<Lang, string>>;
