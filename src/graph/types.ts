/**
 * The document model: what a NetCanvas design is, independent of React, tfjs and the DOM.
 *
 * Shapes are channels-last (Keras/tfjs) and exclude the batch dimension: an MNIST image is [28, 28, 1].
 * A `null` dimension is unknown (it propagates: a conv over an unknown width has an unknown width).
 */

import type { Texts } from './texts.ts';

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
  /**
   * Free text shown beside the node (instructors' notes), per language since format version 5. Never
   * reaches code except as a comment.
   */
  readonly notes?: Texts;
  /**
   * Inside a block definition only: parameters taken from the block's arguments (`{strides: 'stride'}`
   * sets this layer's `strides` to the instance's `stride`), so copies can differ without detaching.
   */
  readonly bind?: Readonly<Record<string, string>>;
  /**
   * Inside a block definition only: the boolean argument that keeps this layer. When the argument is
   * false the layer is bypassed (its consumers read its single input), which is how a ResNet block has a
   * downsample branch in its first copy only.
   */
  readonly when?: string;
}

export interface DesignEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** Input slot on the target; orders the inputs of merge nodes (Concatenate order matters). */
  readonly targetSlot?: number;
  /** The output of a block instance this edge reads, by name; its first output when absent. */
  readonly sourcePort?: string;
  /** The input of a block instance this edge feeds, by name; its first input when absent. */
  readonly targetPort?: string;
}

/** An argument of a block definition and its default (what a copy gets unless its instance says otherwise). */
export interface BlockArg {
  readonly name: string;
  readonly default: ParamValue;
}

/** A named output of a block definition: which inner layer (or inner instance's port) it exposes. */
export interface BlockOutput {
  readonly name: string;
  readonly source: string;
  readonly sourcePort?: string;
}

/**
 * A reusable named subgraph (a ResNet basic block, a stage). Inner edges read the block's inputs by port
 * name as their `source`; port names, layer ids and instance ids share one namespace per definition.
 */
export interface BlockDefinition {
  /** The definition's name, unique in the design; exporters turn it into a class or function name. */
  readonly id: string;
  readonly label?: string;
  /** Per language (format version 5). */
  readonly notes?: Texts;
  readonly inputs: readonly string[];
  readonly outputs: readonly BlockOutput[];
  readonly args?: readonly BlockArg[];
  readonly nodes: readonly DesignNode[];
  /** Blocks used inside this one (nesting: stage → block → layers). */
  readonly instances?: readonly BlockInstance[];
  readonly edges: readonly DesignEdge[];
}

/**
 * A use of a block definition. Without `repeat` it is one copy whose layers flatten to `id.layer`
 * (PyTorch's module path); with `repeat: N` it is a chain of N copies, `id.0.layer` … `id.N-1.layer`, as
 * an `nn.Sequential` names them. Copies share the definition: editing it edits them all.
 */
export interface BlockInstance {
  readonly id: string;
  /** The definition's id. */
  readonly block: string;
  readonly args?: Params;
  readonly repeat?: number;
  /** Per-copy argument values, by copy index ("0": the first copy of a stage has stride 2). */
  readonly overrides?: Readonly<Record<string, Params>>;
  /** Inside a definition only: this instance's arguments taken from the enclosing block's arguments. */
  readonly bind?: Readonly<Record<string, string>>;
  readonly position: { readonly x: number; readonly y: number };
  readonly label?: string;
  /** Per language (format version 5). */
  readonly notes?: Texts;
}

/**
 * The file format's version. 2 added blocks (`blocks`, `instances`, edge ports); every version-1 file is a
 * valid version-2 file without them. 3 made the description and notes texts per language (`{en, es}`) and
 * added lessons. 4 added locks (`locks`). 5 made the notes of layers, block instances and block definitions
 * texts per language too, and let a lock name a block instance or a layer inside a block. The loader
 * migrates older files up (file-format.ts).
 */
export const FORMAT_VERSION = 5;

/**
 * Which node a lesson check looks at: the `nth` (1-based) layer of a kind in the order the data flows
 * through them (what a student building from an empty canvas has: they need not name anything), or the
 * node whose label or id is `name`.
 */
export type NodeRef = { readonly kind: string; readonly nth: number } | { readonly name: string };

/**
 * What a lesson step checks, as data chosen from a form (never code): evaluated by graph/lesson-check.ts
 * against the design's own inference.
 */
export type LessonCheck =
  /** At least `count` (default 1) layers of `kind`; with `after`, each of them fed directly by a layer of that kind. */
  | { readonly type: 'has-kind'; readonly kind: string; readonly count?: number; readonly after?: string }
  | { readonly type: 'output-shape'; readonly node: NodeRef; readonly shape: readonly number[] }
  | { readonly type: 'params'; readonly which: 'total' | 'trainable'; readonly op: 'le' | 'eq'; readonly value: number }
  | { readonly type: 'macs'; readonly op: 'le' | 'eq'; readonly value: number }
  | { readonly type: 'no-errors' }
  /** A multiple-choice question: `answer` is the index of the right option. */
  | { readonly type: 'choice'; readonly options: readonly Texts[]; readonly answer: number }
  /** A numeric question, right within `tolerance` (default 0). */
  | { readonly type: 'number'; readonly answer: number; readonly tolerance?: number }
  /** The node's receptive field on the image input is at least `min` pixels along both axes. */
  | { readonly type: 'receptive-field'; readonly node: NodeRef; readonly min: number }
  /**
   * At least `count` (default 1) skip connections: an Add fed both by a layer and by a later layer that the
   * first one feeds (the identity shortcut of a residual block), built by hand or from the block library.
   */
  | { readonly type: 'skip'; readonly count?: number }
  /**
   * The current run (of this very design, on the data named `dataset`: a bundled set's name such as
   * "mnist") measured a test accuracy of at least `min` percent.
   */
  | { readonly type: 'accuracy'; readonly dataset: string; readonly min: number };

export type LessonCheckType = LessonCheck['type'];

export interface LessonStep {
  readonly text: Texts;
  readonly check: LessonCheck;
}

/** An ordered list of steps a student follows on this design, each checked live. */
export interface Lesson {
  readonly title: Texts;
  readonly steps: readonly LessonStep[];
}

/**
 * What a lesson fixes in place (format version 4): the layer `node` (a top-level layer) cannot be deleted,
 * renamed, moved into a block or disconnected, and its parameters named in `params` cannot change (all
 * of an Input's parameters: the input is fixed). Version 5: `node` may name a top-level block instance
 * (it stays as it is: not deleted, unfolded, ungrouped, made unique, repeated, nor its definition edited),
 * and with `block` it names a layer inside that block definition (held as a top-level layer is, and every
 * use of the block stays a use of it). Enforced by every edit command (graph/locks.ts).
 */
export interface NodeLock {
  readonly node: string;
  readonly block?: string;
  readonly params?: readonly string[];
}

export interface Design {
  readonly format: 'netcanvas';
  readonly version: typeof FORMAT_VERSION;
  readonly name: string;
  /** Per language (format version 3; node and block notes since version 5). */
  readonly description?: Texts;
  readonly notes?: Texts;
  readonly nodes: readonly DesignNode[];
  readonly edges: readonly DesignEdge[];
  readonly lesson?: Lesson;
  /** What the lesson locks, one entry per locked layer; a student cannot change them. */
  readonly locks?: readonly NodeLock[];
  /** Block definitions (a library: a definition needs no instance). */
  readonly blocks?: readonly BlockDefinition[];
  /** Block instances on the top level, beside `nodes`; edges reach them by id (with ports). */
  readonly instances?: readonly BlockInstance[];
}

export type Lang = 'en' | 'es';
export type Localized = Readonly<Record<Lang, string>>;
