/**
 * Grouped 2-D convolution. tfjs-layers' Conv2D has no `groups` (Keras 3 and PyTorch do), so compile
 * swaps Conv2D with groups > 1 for this class. It splits the input channels into `groups` slices,
 * convolves each with its own slice of filters and concatenates the results, as Keras does. Weights
 * follow Keras: kernel [kh, kw, Cin/groups, filters] (group g owns filters g·F/groups … (g+1)·F/groups − 1)
 * and bias [filters], so an export reads the same tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { singleShape, WindowConv, type Shape, type WindowConvArgs } from './conv-base.ts';

export interface GroupedConv2DArgs extends WindowConvArgs {
  filters: number;
  groups: number;
}

export class GroupedConv2D extends WindowConv {
  static readonly className = 'NetCanvasGroupedConv2D';
  readonly filters: number;
  readonly groups: number;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: GroupedConv2DArgs) {
    super(args);
    this.filters = args.filters;
    this.groups = args.groups;
  }

  protected outputChannels(): number {
    return this.filters;
  }

  override build(inputShape: Shape | Shape[]): void {
    const cin = singleShape(inputShape)[3];
    if (cin === null || cin % this.groups !== 0 || this.filters % this.groups !== 0) {
      throw new Error(`${this.name}: groups = ${this.groups} must divide the ${cin} input channels and the ${this.filters} filters`);
    }
    this.kernel = this.addWeight('kernel', [...this.kernelSize, cin / this.groups, this.filters], 'float32', this.kernelInit);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', this.biasInit);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const xs = tf.split(x, this.groups, 3) as tf.Tensor4D[];
      const ks = tf.split(this.kernel!.read(), this.groups, 3) as tf.Tensor4D[];
      const parts = xs.map((xg, g) => tf.conv2d(xg, ks[g], this.strides, this.padding, 'NHWC', this.dilationRate));
      return this.finish(parts.length === 1 ? parts[0] : tf.concat(parts, 3), this.bias);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, groups: this.groups };
  }
}

tf.serialization.registerClass(GroupedConv2D);
