/**
 * Depthwise 2-D convolution that honours `dilation_rate`. tfjs-layers 4.22's DepthwiseConv2D accepts
 * the argument but convolves without it ("TODO(cais): Add support for dilation" in its call), so its
 * shapes and outputs differ from Keras's. Compile swaps DepthwiseConv2D with dilation > 1 for this
 * class. Weights follow Keras: depthwise_kernel [kh, kw, Cin, depth_multiplier], bias [Cin·multiplier].
 *
 * Like tfjs's own dilated Conv2D, it runs forward but cannot be trained: tfjs-core has no gradient for
 * dilated (depthwise) convolutions.
 */
import * as tf from '@tensorflow/tfjs';
import { singleShape, WindowConv, type Shape, type WindowConvArgs } from './conv-base.ts';

export interface DilatedDepthwiseConv2DArgs extends WindowConvArgs {
  depthMultiplier?: number;
}

export class DilatedDepthwiseConv2D extends WindowConv {
  static readonly className = 'NetCanvasDepthwiseConv2D';
  readonly depthMultiplier: number;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: DilatedDepthwiseConv2DArgs) {
    super(args);
    this.depthMultiplier = args.depthMultiplier ?? 1;
  }

  protected outputChannels(cin: number | null): number | null {
    return cin === null ? null : cin * this.depthMultiplier;
  }

  override build(inputShape: Shape | Shape[]): void {
    const cin = singleShape(inputShape)[3];
    if (cin === null) throw new Error(`${this.name}: the number of input channels must be known`);
    this.kernel = this.addWeight('depthwise_kernel', [...this.kernelSize, cin, this.depthMultiplier], 'float32', this.kernelInit);
    if (this.useBias) this.bias = this.addWeight('bias', [cin * this.depthMultiplier], 'float32', this.biasInit);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const kernel = this.kernel!.read() as tf.Tensor4D;
      return this.finish(tf.depthwiseConv2d(x, kernel, this.strides, this.padding, 'NHWC', this.dilationRate), this.bias);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), depthMultiplier: this.depthMultiplier };
  }
}

tf.serialization.registerClass(DilatedDepthwiseConv2D);
