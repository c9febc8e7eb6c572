/**
 * What NetCanvas's own tfjs convolution layers share: the Keras arguments of a 2-D window (kernel,
 * strides, 'valid'/'same', dilation), bias, the fused activation, Keras's output-size rule and the
 * config round trip. tfjs-layers lacks two Keras features our layers use (Conv2D `groups`, dilation in
 * DepthwiseConv2D); each subclass supplies one, with the weights laid out exactly as Keras stores them.
 */
import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
export type Shape = (number | null)[];
export type Initializer = ReturnType<typeof tf.initializers.zeros>;

export interface WindowConvArgs extends LayerArgs {
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: 'valid' | 'same';
  dilationRate?: number | number[];
  useBias?: boolean;
  activation?: string;
  kernelInitializer?: unknown;
  depthwiseInitializer?: unknown;
  biasInitializer?: unknown;
}

/**
 * Only 'zeros' is ever asked for (compile's zeroInit); anything else gets the Keras defaults
 * (glorot_uniform kernel, zero bias), which is what a layer without initialiser settings uses.
 */
export function initializerFrom(spec: unknown, fallback: () => Initializer): Initializer {
  const name = typeof spec === 'string' ? spec : (spec as { className?: unknown } | undefined)?.className;
  return typeof name === 'string' && name.toLowerCase() === 'zeros' ? tf.initializers.zeros() : fallback();
}

const pair = (v: number | number[] | undefined, fallback: number): [number, number] =>
  v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : [v[0], v[1] ?? v[0]];

/** Keras's conv_utils.conv_output_length for one axis. */
function convLength(size: number | null, k: number, s: number, padding: 'valid' | 'same', d: number): number | null {
  if (size === null) return null;
  const out = padding === 'same' ? size : size - (d * (k - 1) + 1) + 1;
  return Math.floor((out + s - 1) / s);
}

export function singleShape(inputShape: Shape | Shape[]): Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
}

export abstract class WindowConv extends tf.layers.Layer {
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly dilationRate: [number, number];
  readonly useBias: boolean;
  readonly activationName: string;
  protected readonly kernelInit: Initializer;
  protected readonly biasInit: Initializer;
  private readonly activationLayer: tf.layers.Layer | null;

  constructor(args: WindowConvArgs) {
    super(args);
    this.kernelSize = pair(args.kernelSize, 1);
    this.strides = pair(args.strides, 1);
    this.padding = args.padding ?? 'valid';
    this.dilationRate = pair(args.dilationRate, 1);
    this.useBias = args.useBias ?? true;
    this.activationName = args.activation ?? 'linear';
    // tfjs's own Activation layer keeps every activation name identical to its built-in convs'.
    this.activationLayer =
      this.activationName === 'linear' ? null : tf.layers.activation({ activation: this.activationName as 'relu' });
    this.kernelInit = initializerFrom(args.kernelInitializer ?? args.depthwiseInitializer, () => tf.initializers.glorotUniform({}));
    this.biasInit = initializerFrom(args.biasInitializer, () => tf.initializers.zeros());
    this.inputSpec = [{ ndim: 4 }];
  }

  /** Output channels for `inputChannels` input channels. */
  protected abstract outputChannels(inputChannels: number | null): number | null;

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape);
    return [
      shape[0],
      convLength(shape[1], this.kernelSize[0], this.strides[0], this.padding, this.dilationRate[0]),
      convLength(shape[2], this.kernelSize[1], this.strides[1], this.padding, this.dilationRate[1]),
      this.outputChannels(shape[3]),
    ];
  }

  /** Bias and activation after the convolution proper. */
  protected finish(y: tf.Tensor, bias: tf.LayerVariable | null): tf.Tensor {
    const biased = bias ? tf.add(y, bias.read()) : y;
    return this.activationLayer ? (this.activationLayer.apply(biased) as tf.Tensor) : biased;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dilationRate: [...this.dilationRate],
      useBias: this.useBias,
      activation: this.activationName,
    };
  }
}
