/**
 * Bilinear up-sampling with half-pixel centres, as PyTorch (`align_corners=False`), Keras 3 and ONNX
 * (`half_pixel`) compute it. tfjs-layers 4.22's UpSampling2D resizes without half-pixel centres, and
 * tfjs-core's ResizeBilinearGrad ignores `halfPixelCenters` (and its cpu kernel swaps height and width
 * of the gradient), so `tf.image.resizeBilinear(…, halfPixelCenters)` could run forward but not train.
 * This layer writes the resize as what it is for an integer factor: per axis, f phases, each a blend of
 * a pixel and one neighbour (edges clamped; graph's `bilinearPhases`), interleaved. Slices, products,
 * sums, stack and reshape have gradients on every backend. No weights.
 */
import * as tf from '@tensorflow/tfjs';
import { bilinearPhases } from '../../graph/index.ts';
import { singleShape, type Shape } from './conv-base.ts';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface BilinearUpSampling2DArgs extends LayerArgs {
  size: number[];
}

/** Up-samples axis 1 (height) or 2 (width) of an NHWC tensor by f. */
function upAxis(x: tf.Tensor4D, f: number, axis: 1 | 2): tf.Tensor4D {
  if (f === 1) return x;
  const n = x.shape[axis];
  const begin = (at: number): [number, number, number, number] => (axis === 1 ? [0, at, 0, 0] : [0, 0, at, 0]);
  const take = (at: number, length: number): tf.Tensor4D => {
    const size: [number, number, number, number] = [-1, -1, -1, -1];
    size[axis] = length;
    return tf.slice(x, begin(at), size);
  };
  // The neighbours, clamped at the edges: previous[i] = x[max(i − 1, 0)], next[i] = x[min(i + 1, n − 1)].
  const previous = n === 1 ? x : tf.concat([take(0, 1), take(0, n - 1)], axis);
  const next = n === 1 ? x : tf.concat([take(1, n - 1), take(n - 1, 1)], axis);
  const phases = bilinearPhases(f).map(({ side, weight }) =>
    side === 0 ? x : tf.add(tf.mul(x, 1 - weight), tf.mul(side < 0 ? previous : next, weight)),
  );
  // [B, n, f, W, C] (or [B, H, n, f, C]) read in order is the interleaving f·i + r.
  const stacked = tf.stack(phases, axis + 1);
  const shape: [number, number, number, number] = [...x.shape];
  shape[axis] = n * f;
  return tf.reshape(stacked, shape);
}

/** Half-pixel-centre bilinear up-sampling of an NHWC tensor by integer factors [fh, fw]. */
export function bilinearUpSample(x: tf.Tensor4D, size: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => upAxis(upAxis(x, size[0], 1), size[1], 2));
}

export class BilinearUpSampling2D extends tf.layers.Layer {
  static readonly className = 'NetCanvasBilinearUpSampling2D';
  readonly size: [number, number];

  constructor(args: BilinearUpSampling2DArgs) {
    super(args);
    this.size = [args.size[0], args.size[1] ?? args.size[0]];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [b, h, w, c] = singleShape(inputShape);
    return [b, h === null ? null : h * this.size[0], w === null ? null : w * this.size[1], c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return bilinearUpSample(x, this.size);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: [...this.size] };
  }
}

tf.serialization.registerClass(BilinearUpSampling2D);
