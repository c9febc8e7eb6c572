/**
 * "Look inside" in the worker: filters, feature maps and the test images that excite a channel, read
 * from the worker's own model (the live one while it trains). DOM-free, so Vitest runs it on the cpu
 * backend against tfjs itself.
 *
 * Cost rules: every tensor made here is disposed before the call returns; a look that needs many forward
 * passes (the top images) works in slices and yields between them, so a run in progress keeps training
 * and pause/stop messages still get through.
 */
import * as tf from '@tensorflow/tfjs';
import type { CompiledModel } from '../compile/compile.ts';
import { isLayerKind, layerSpec } from '../graph/layers/index.ts';
import { positionTerms, type ConvGeometry } from '../graph/conv-gradient.ts';
import { samePadding } from '../graph/shape-math.ts';
import type { ImageSet, LossKind } from './protocol.ts';
import { crossEntropy } from './losses.ts';
import {
  pushTop,
  type ActivationsLook,
  type ChannelPage,
  type FiltersLook,
  type KernelGradLook,
  type NodeActivation,
  type TopHit,
  type TopLook,
} from './look-protocol.ts';
import { nodeVariables } from './weights-io.ts';

/** A look the model cannot answer, in words for the user. */
export class LookError extends Error {}

/** Values per forward-pass slice of the top-images search (images × values of the looked-at map). */
const SLICE_VALUES = 1 << 20;

/** Sub-models per model and output set: they share the model's layers (and so its live weights). */
const subModels = new WeakMap<tf.LayersModel, Map<string, tf.LayersModel>>();

function layerOf(compiled: CompiledModel, nodeId: string): string {
  const name = compiled.layerNames.get(nodeId);
  const inf = compiled.inference.nodes.get(nodeId);
  if (!name || !inf) throw new LookError(`The trained model has no layer "${nodeId}": train again after editing the design.`);
  return name;
}

/** A model from the input to these layers' outputs (the last one the network's own output when asked). */
function subModel(compiled: CompiledModel, layers: readonly string[]): tf.LayersModel {
  let byKey = subModels.get(compiled.model);
  if (!byKey) subModels.set(compiled.model, (byKey = new Map()));
  const key = layers.join('\u0000');
  let sub = byKey.get(key);
  if (!sub) {
    const outputs = layers.map((l) => compiled.model.getLayer(l).output as tf.SymbolicTensor);
    sub = tf.model({ inputs: compiled.model.inputs, outputs });
    byKey.set(key, sub);
  }
  return sub;
}

function inputShapeOf(compiled: CompiledModel): number[] {
  return compiled.model.inputs[0].shape.slice(1) as number[];
}

/**
 * A conv node's kernels, output channels [from, from + count), laid out [kh, kw, cin, count] whatever the
 * kind stores (its layer file's `filters` trait says which weight and which axes).
 */
export async function lookFilters(compiled: CompiledModel, nodeId: string, from: number, count: number): Promise<FiltersLook> {
  layerOf(compiled, nodeId);
  const inf = compiled.inference.nodes.get(nodeId)!;
  const trait = isLayerKind(inf.kind) ? layerSpec(inf.kind).filters : undefined;
  if (!trait) throw new LookError(`${inf.name} (${inf.kind}) has no filters to show.`);
  const at = inf.weights.findIndex((w) => w.name === trait.weight);
  const variable = nodeVariables(compiled, nodeId)[at];
  if (at < 0 || !variable) throw new LookError(`${inf.name} holds no ${trait.weight} weight.`);
  const [kh, kw, a, b] = variable.shape as number[];
  const raw = (await variable.read().data()) as Float32Array;
  const [cin, cout] = trait.axes === 'in-out' ? [a, b] : trait.axes === 'out-in' ? [b, a] : [1, a * b];
  // Where value (y, x, input i, output o) sits in the stored kernel.
  const index = (yx: number, i: number, o: number) =>
    trait.axes === 'in-out' ? (yx * a + i) * b + o : trait.axes === 'out-in' ? (yx * a + o) * b + i : yx * a * b + o;
  if (!Number.isInteger(from) || from < 0 || from >= cout) throw new LookError(`${inf.name} has filters 0 to ${cout - 1}; there is no filter ${from}.`);
  const n = Math.max(1, Math.min(Math.floor(count), cout - from));
  const kernel = new Float32Array(kh * kw * cin * n);
  for (let yx = 0; yx < kh * kw; yx++) {
    for (let i = 0; i < cin; i++) {
      for (let o = 0; o < n; o++) kernel[(yx * cin + i) * n + o] = raw[index(yx, i, from + o)];
    }
  }
  let maxAbs = 0;
  for (let i = 0; i < raw.length; i++) maxAbs = Math.max(maxAbs, Math.abs(raw[i]));
  return { kind: 'filters', nodeId, shape: [kh, kw, cin, cout], from, count: n, kernel, maxAbs };
}

/** The asked channels clamped to a map of `of` channels: at least one, none past the last. */
function channelRange(asked: ChannelPage, of: number): { from: number; count: number; of: number } {
  const from = Math.max(0, Math.min(of - 1, Math.floor(asked.from)));
  return { from, count: Math.max(1, Math.min(Math.floor(asked.count), of - from)), of };
}

/** Min and max of an array in one pass. */
function extent(data: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/**
 * The outputs of `nodeIds` (Input nodes skipped: the pixels come back anyway), the mean over channels of
 * the `thumbnails` nodes' maps, and the class scores, for one input.
 */
export async function lookActivations(
  compiled: CompiledModel,
  nodeIds: readonly string[],
  pixels: Float32Array,
  label: number | null,
  thumbnailIds: readonly string[] = [],
  channels: ChannelPage | null = null,
): Promise<ActivationsLook> {
  const inputShape = inputShapeOf(compiled);
  const size = inputShape.reduce((p, d) => p * d, 1);
  if (pixels.length !== size) throw new LookError(`The image has ${pixels.length} values; the network's Input needs ${size}.`);
  const notInput = (id: string) => compiled.inference.nodes.get(id)?.kind !== 'Input';
  const ids = [...new Set(nodeIds)].filter(notInput);
  // Only maps have thumbnails (a [1, H, W, C] output); a node added since training has none yet.
  const thumbIds = [...new Set(thumbnailIds)].filter((id) => compiled.layerNames.has(id) && notInput(id) && (compiled.model.getLayer(layerOf(compiled, id)).outputShape as unknown[]).length === 4);
  const outputName = compiled.model.outputs[0].sourceLayer.name;
  // Each layer once (a model with the same output twice trips tfjs's predict), the network's output last.
  const nodeLayers = ids.map((id) => layerOf(compiled, id));
  const thumbLayers = thumbIds.map((id) => layerOf(compiled, id));
  const layers = [...new Set([...nodeLayers, ...thumbLayers].filter((l) => l !== outputName)), outputName];
  // A page of a map's channels is cut on the device; its scale still spans every channel.
  const pages = nodeLayers.map((l) => {
    const shape = compiled.model.getLayer(l).outputShape as (number | null)[];
    return channels && shape.length === 4 ? channelRange(channels, shape[3]!) : null;
  });
  const { full, extents, means, scores } = tf.tidy(() => {
    const y = subModel(compiled, layers).predict(tf.tensor(pixels, [1, ...inputShape]));
    const ys = Array.isArray(y) ? y : [y];
    const of = (layer: string) => ys[layers.indexOf(layer)];
    const maps = nodeLayers.map(of);
    return {
      full: maps.map((m, n) => (pages[n] ? tf.slice(m, [0, 0, 0, pages[n]!.from], [-1, -1, -1, pages[n]!.count]) : tf.clone(m))),
      // [min, max] of each whole map, every channel, whatever part of it is sent.
      extents: maps.map((m) => tf.stack([tf.min(m), tf.max(m)])),
      means: thumbLayers.map((l) => tf.mean(of(l), -1)),
      scores: tf.clone(ys[ys.length - 1]),
    };
  });
  const kept = [...full, ...extents, ...means, scores];
  try {
    // Copies: on the cpu backend data() may hand back the backend's own storage, and these are transferred.
    const read = async (t: tf.Tensor) => new Float32Array((await t.data()) as Float32Array);
    const nodes: NodeActivation[] = await Promise.all(
      ids.map(async (nodeId, n) => {
        const [data, [min, max]] = await Promise.all([read(full[n]), read(extents[n])]);
        const page = pages[n];
        return { nodeId, shape: full[n].shape.slice(1), data, min, max, ...(page ? { page: { from: page.from, of: page.of } } : {}) };
      }),
    );
    const thumbnails: NodeActivation[] = await Promise.all(
      thumbIds.map(async (nodeId, n) => {
        const data = await read(means[n]);
        return { nodeId, shape: means[n].shape.slice(1), data, ...extent(data) };
      }),
    );
    return { kind: 'activations', nodes, thumbnails, scores: await read(scores), pixels: new Float32Array(pixels), inputShape, label };
  } finally {
    tf.dispose(kept);
  }
}

export interface TopOptions {
  /** Between slices: lets training steps and messages in. */
  readonly yieldToEvents?: () => Promise<void>;
  /** Images per forward pass; by default what keeps a slice near a million values. */
  readonly batch?: number;
}

/**
 * The `k` images of `set` (the first `limit`) whose `channel` of `nodeId` reaches the highest value at
 * any position: higher first, the lower index on a tie, each with its first position of that maximum.
 */
export async function lookTop(
  compiled: CompiledModel,
  nodeId: string,
  channel: number,
  k: number,
  set: ImageSet,
  limit: number | null,
  options: TopOptions = {},
): Promise<TopLook> {
  const layer = layerOf(compiled, nodeId);
  const inf = compiled.inference.nodes.get(nodeId)!;
  const shape = compiled.model.getLayer(layer).outputShape as (number | null)[];
  const dims = shape.slice(1) as number[];
  const channels = dims[dims.length - 1];
  if (dims.length !== 3 && dims.length !== 1) throw new LookError(`${inf.name} gives [${dims.join(', ')}] per image; only maps and vectors have channels to rank.`);
  if (!Number.isInteger(channel) || channel < 0 || channel >= channels) throw new LookError(`${inf.name} has channels 0 to ${channels - 1}; there is no channel ${channel}.`);
  const inputShape = inputShapeOf(compiled);
  const size = inputShape.reduce((p, d) => p * d, 1);
  const imageSize = set.shape[0] * set.shape[1] * set.shape[2];
  if (imageSize !== size) throw new LookError(`The images are ${set.shape.join('×')}; the network's Input is ${inputShape.join('×')}.`);
  const positions = dims.length === 3 ? dims[0] * dims[1] : 1;
  const width = dims.length === 3 ? dims[1] : 1;
  const n = Math.min(set.count, limit ?? set.count);
  const batch = Math.max(1, options.batch ?? Math.min(256, Math.floor(SLICE_VALUES / Math.max(positions * channels, size))));
  const sub = subModel(compiled, [layer]);
  const top: TopHit[] = [];
  for (let from = 0; from < n; from += batch) {
    const m = Math.min(batch, n - from);
    // Only the chosen channel's maximum and where it is leave the device.
    const [best, where] = tf.tidy(() => {
      const y = sub.predict(tf.tensor(set.x.subarray(from * size, (from + m) * size), [m, ...inputShape])) as tf.Tensor;
      const plane = tf.reshape(tf.gather(y, [channel], y.rank - 1), [m, positions]);
      return [tf.max(plane, 1), tf.argMax(plane, 1)];
    });
    const [values, at] = await Promise.all([best.data(), where.data()]);
    tf.dispose([best, where]);
    for (let i = 0; i < m; i++) {
      const p = at[i];
      pushTop(top, { index: from + i, value: values[i], position: [Math.floor(p / width), p % width], label: set.y[from + i] }, k);
    }
    if (from + m < n) await options.yieldToEvents?.();
  }
  const pixels = new Float32Array(top.length * imageSize);
  top.forEach((h, i) => pixels.set(set.x.subarray(h.index * imageSize, (h.index + 1) * imageSize), i * imageSize));
  return { kind: 'top', nodeId, channel, hits: top, pixels, imageShape: set.shape, searched: n };
}

/** What a tfjs Conv2D layer holds, as far as the kernel-gradient look reads and replaces it. */
interface ConvLayer {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  kernelSize: [number, number];
  strides: [number, number];
  padding: 'valid' | 'same';
  dilationRate: [number, number];
  activation: { apply(x: tf.Tensor): tf.Tensor };
  outputShape: (number | null)[];
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
}

/**
 * The gradient of one kernel slice of a Conv2D node, as the sum of its per-position terms, on the first
 * `images` images of `set` with the training loss (inference mode). One forward and backward pass in which the layer's
 * call is swapped (synchronously, so no training step can see it) for an unfused one that records its
 * input, adds a zero "probe" to its pre-activation output and reads its kernel from an argument: the
 * gradient at the probe is δ = ∂L/∂z, and the gradient at the argument is tfjs's own kernel gradient.
 */
export async function lookKernelGradient(
  compiled: CompiledModel,
  nodeId: string,
  filter: number,
  channel: number,
  set: ImageSet,
  images: number,
  loss: LossKind,
): Promise<KernelGradLook> {
  layerOf(compiled, nodeId);
  const inf = compiled.inference.nodes.get(nodeId)!;
  const convName = (compiled.chainNames.get(nodeId) ?? []).find((l) => compiled.model.getLayer(l).getClassName() === 'Conv2D');
  if (!convName) throw new LookError(`${inf.name} (${inf.kind}) is not a Conv2D with one group: only those show their gradient by position.`);
  const conv = compiled.model.getLayer(convName) as unknown as ConvLayer;
  if (conv.dilationRate.some((d) => d !== 1)) {
    throw new LookError(`${inf.name} is dilated: TensorFlow.js computes no gradient for a dilated convolution, so it cannot be trained or shown here.`);
  }
  const [kh, kw, cin, cout] = conv.kernel.shape as number[];
  if (!Number.isInteger(filter) || filter < 0 || filter >= cout) throw new LookError(`${inf.name} has filters 0 to ${cout - 1}; there is no filter ${filter}.`);
  if (!Number.isInteger(channel) || channel < 0 || channel >= cin) throw new LookError(`${inf.name} reads channels 0 to ${cin - 1}; there is no channel ${channel}.`);
  const inputShape = inputShapeOf(compiled);
  const size = inputShape.reduce((p, d) => p * d, 1);
  const imageSize = set.shape[0] * set.shape[1] * set.shape[2];
  if (imageSize !== size) throw new LookError(`The images are ${set.shape.join('×')}; the network's Input is ${inputShape.join('×')}.`);
  const n = Math.max(1, Math.min(Math.floor(images), set.count));
  const classes = (compiled.model.outputs[0].shape as number[])[1];
  const outDims = conv.outputShape.slice(1) as number[];

  const own = Object.prototype.hasOwnProperty.call(conv, 'call');
  const original = conv.call;
  let input: tf.Tensor4D | null = null;
  const [delta, kernelGrad] = tf.tidy(() => {
    const xs = tf.tensor(set.x.subarray(0, n * size), [n, ...inputShape]);
    const oneHot = tf.oneHot(tf.tensor1d(set.y.subarray(0, n), 'int32'), classes);
    const f = (probe: tf.Tensor, kernel: tf.Tensor) => {
      conv.call = (inputs) => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
        input = tf.keep(tf.clone(x));
        let z: tf.Tensor = tf.conv2d(x, kernel as tf.Tensor4D, conv.strides, conv.padding, 'NHWC', conv.dilationRate);
        if (conv.bias) z = tf.add(z, conv.bias.read());
        return conv.activation.apply(tf.add(z, probe));
      };
      try {
        // Inference mode: a look must not move BatchNorm's running statistics or draw dropout masks;
        // for layers without those the loss is the training loss.
        return crossEntropy(oneHot, compiled.model.apply(xs, { training: false }) as tf.Tensor, loss);
      } finally {
        if (own) conv.call = original;
        else delete (conv as Partial<ConvLayer>).call;
      }
    };
    const [dProbe, dKernel] = tf.grads(f)([tf.zeros([n, ...outDims]), conv.kernel.read()]);
    return [dProbe, tf.slice(dKernel, [0, 0, channel, filter], [kh, kw, 1, 1])];
  });
  const x = input as tf.Tensor4D | null;
  try {
    if (!x) throw new LookError(`${inf.name} was not reached by the forward pass.`);
    const [xData, dData, gData] = await Promise.all([x.data(), delta.data(), kernelGrad.data()]);
    const [, h, w] = x.shape;
    const [ho, wo] = [delta.shape[1]!, delta.shape[2]!];
    const geometry: ConvGeometry = {
      kernel: [kh, kw],
      strides: conv.strides,
      dilation: conv.dilationRate,
      padTop: conv.padding === 'same' ? samePadding(h, kh, conv.strides[0], conv.dilationRate[0])[0] : 0,
      padLeft: conv.padding === 'same' ? samePadding(w, kw, conv.strides[1], conv.dilationRate[1])[0] : 0,
    };
    const terms = positionTerms({
      input: xData as Float32Array,
      inputShape: x.shape,
      delta: dData as Float32Array,
      deltaShape: delta.shape as [number, number, number, number],
      geometry,
      ci: channel,
      o: filter,
    });
    return {
      kind: 'kernel-grad',
      nodeId,
      filter,
      channel,
      filters: cout,
      channels: cin,
      kernel: [kh, kw],
      grid: [ho, wo],
      strides: [...conv.strides],
      dilation: [...conv.dilationRate],
      padding: conv.padding,
      images: n,
      terms,
      gradient: new Float32Array(gData as Float32Array),
    };
  } finally {
    tf.dispose([delta, kernelGrad]);
    x?.dispose();
  }
}
