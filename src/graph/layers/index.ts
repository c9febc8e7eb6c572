/**
 * The registry: every layer kind, registered once. Each kind file declares its name into `LayerKind`
 * (see ../types.ts), and `satisfies Record<LayerKind, …>` makes a declared kind missing here, or an entry
 * no file declared, a compile error; layers.test.ts runs the contract over every entry.
 */
import type { AnyLayerSpec } from '../layer-spec.ts';
import type { LayerKind } from '../types.ts';
import { activation } from './activation.ts';
import { add } from './add.ts';
import { avgPool2d } from './avg-pool2d.ts';
import { batchNorm } from './batch-norm.ts';
import { concatenate } from './concatenate.ts';
import { conv2d } from './conv2d.ts';
import { conv2dTranspose } from './conv2d-transpose.ts';
import { dense } from './dense.ts';
import { depthwiseConv2d } from './depthwise-conv2d.ts';
import { dropout } from './dropout.ts';
import { flatten } from './flatten.ts';
import { globalAvgPool2d } from './global-avg-pool2d.ts';
import { globalMaxPool2d } from './global-max-pool2d.ts';
import { input } from './input.ts';
import { layerNormalization } from './layer-normalization.ts';
import { maxPool2d } from './max-pool2d.ts';
import { reshape } from './reshape.ts';
import { separableConv2d } from './separable-conv2d.ts';
import { upSampling2d } from './up-sampling2d.ts';
import { zeroPadding2d } from './zero-padding2d.ts';

export const LAYERS = {
  Input: input,
  Conv2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  SeparableConv2D: separableConv2d,
  Conv2DTranspose: conv2dTranspose,
  MaxPool2D: maxPool2d,
  AvgPool2D: avgPool2d,
  GlobalAvgPool2D: globalAvgPool2d,
  GlobalMaxPool2D: globalMaxPool2d,
  Flatten: flatten,
  Dense: dense,
  Dropout: dropout,
  BatchNorm: batchNorm,
  LayerNormalization: layerNormalization,
  Activation: activation,
  Add: add,
  Concatenate: concatenate,
  ZeroPadding2D: zeroPadding2d,
  UpSampling2D: upSampling2d,
  Reshape: reshape,
} satisfies Record<LayerKind, AnyLayerSpec>;

/** Every kind, in registry order (the palette's order). */
export const LAYER_KINDS = Object.keys(LAYERS) as readonly LayerKind[];

export function layerSpec(kind: LayerKind): AnyLayerSpec {
  return LAYERS[kind];
}

export function isLayerKind(kind: unknown): kind is LayerKind {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(LAYERS, kind);
}
