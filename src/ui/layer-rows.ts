/**
 * The layer table as plain rows: what each cell says, derived from a design and its inference (both from
 * src/graph). Components render these rows and do no arithmetic of their own.
 */
import {
  displayName,
  formatShape,
  isLayerKind,
  layerSpec,
  toChannelsFirst,
  type Design,
  type DesignInference,
  type Issue,
  type ParamSchema,
  type ParamsOf,
  type Shape,
} from '../graph/index.ts';

export interface LayerRow {
  readonly id: string;
  /** The label when the node has one, else its id. */
  readonly name: string;
  readonly kind: string;
  /** The layer's compact parameter summary ("8 × 5×5 · s1 · valid · relu"). */
  readonly settings: string;
  /** Null when inference could not determine it. */
  readonly shape: string | null;
  /** Null where inference could not size the layer (its weights depend on shapes it never got). */
  readonly trainableParams: number | null;
  readonly nonTrainableParams: number | null;
  readonly macs: number | null;
  readonly issues: readonly Issue[];
  readonly hasError: boolean;
}

/** Channels-last "28×28×1", or PyTorch's channels-first "[1, 28, 28]". */
export function shapeText(shape: Shape | null, channelsFirst: boolean): string | null {
  if (!shape) return null;
  if (!channelsFirst) return formatShape(shape);
  return `[${toChannelsFirst(shape).map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/**
 * A tensor shape for the canvas: channels-last "28×28×1" as the model holds it, or PyTorch's channels-first
 * "1×28×28" when `channelsFirst` (the channel axis moved to the front; vectors are unchanged). "?" marks an
 * unknown dimension; null when the shape itself is unknown.
 */
export function formatShapeCompact(shape: Shape | null | undefined, channelsFirst: boolean): string | null {
  if (!shape) return null;
  return formatShape(channelsFirst ? toChannelsFirst(shape) : shape);
}

/** The layer's compact parameter summary (its spec's `summary`), or '' when the params cannot give one. */
export function layerSummary(kind: string, params: Design['nodes'][number]['params']): string {
  if (!isLayerKind(kind)) return '';
  try {
    return layerSpec(kind).summary(params as ParamsOf<ParamSchema>);
  } catch {
    // A summary is decoration; params that break it are already reported as issues on the node.
    return '';
  }
}

export function layerRows(design: Design, inference: DesignInference, channelsFirst: boolean): LayerRow[] {
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  return inference.order.flatMap((id) => {
    const node = byId.get(id);
    const result = inference.nodes.get(id);
    if (!node || !result) return [];
    return [
      {
        id,
        name: displayName(node),
        kind: node.kind,
        settings: layerSummary(node.kind, node.params),
        shape: shapeText(result.outputShape, channelsFirst),
        trainableParams: result.outputShape ? result.trainableParams : null,
        nonTrainableParams: result.outputShape ? result.nonTrainableParams : null,
        macs: result.macs,
        issues: result.issues,
        hasError: result.issues.some((i) => i.severity === 'error'),
      },
    ];
  });
}
