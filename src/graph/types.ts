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

/**
 * The layer kinds. Each kind's file under layers/ adds its name here by declaration merging (as tldraw's
 * custom shapes add theirs to its shape map), so a kind is named in its own file only, the registry
 * (layers/index.ts) must then hold it, and the document model imports nothing from the layer files.
 */
export interface LayerKindRegistry {}
export type LayerKind = keyof LayerKindRegistry & string;

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
