/**
 * Trained weights as they travel between training, the session, saved files and exporters.
 * Layout is Keras/tfjs order (a Conv2D kernel is [kh, kw, in/groups, filters]), keyed by node id and the
 * weight names each layer file declares in `weights()` (kernel, bias, gamma, moving_mean…). Exporters
 * convert layouts; nothing else does.
 */

export interface WeightTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** nodeId → weight name → tensor. */
export type DesignWeights = ReadonlyMap<string, Readonly<Record<string, WeightTensor>>>;
