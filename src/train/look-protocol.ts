/**
 * "Look inside" on the wire: what the page asks of the training worker's model (the live one during a
 * run, else the last trained or loaded one) and what comes back. Types and tiny pure helpers only, so the
 * main bundle can import it without tfjs.
 *
 * Every reply carries plain Float32Arrays whose buffers move (transferables): a page that refreshes the
 * views once a second costs the worker one small forward pass and a copy, never a pause of the run.
 */

/** The input a feature-map look runs on: a test image by index, or pixels the page prepared (drawn, uploaded). */
export type LookInput = { readonly testIndex: number } | { readonly pixels: Float32Array };

export type LookQuery =
  /**
   * The kernels of a conv node: output channels [from, from + count) (a page), every input channel.
   * `kernel` is laid out [kh, kw, cin, count] like Keras's (channels-last, output channel fastest).
   */
  | { readonly kind: 'filters'; readonly nodeId: string; readonly from: number; readonly count: number }
  /**
   * The outputs of these nodes (and the class scores) for one input; for the `thumbnails` nodes only the
   * mean over channels of their maps (computed on the device: a thumbnail per layer costs a plane, not the layer).
   * With `channels`, only those channels of a map leave the device (the page the view shows: a wide
   * layer's 512 maps each second would be 512 canvases to colour), with the whole map's min and max.
   */
  | {
      readonly kind: 'activations';
      readonly nodeIds: readonly string[];
      readonly input: LookInput;
      readonly thumbnails?: readonly string[];
      readonly channels?: ChannelPage;
    }
  /**
   * The `k` test images whose `channel` of `nodeId` reaches the highest value (over every position),
   * with the position where it does; `limit` caps how many test images are searched (null: all).
   */
  | { readonly kind: 'top'; readonly nodeId: string; readonly channel: number; readonly k: number; readonly limit: number | null }
  /**
   * One slice of a Conv2D's kernel (input `channel` into output `filter`) and its gradient on one real
   * batch (the first `images` training images): the term of every position it was applied at.
   */
  | { readonly kind: 'kernel-grad'; readonly nodeId: string; readonly filter: number; readonly channel: number; readonly images: number };

export interface FiltersLook {
  readonly kind: 'filters';
  readonly nodeId: string;
  /** [kh, kw, cin, cout] of the whole kernel. */
  readonly shape: readonly [number, number, number, number];
  readonly from: number;
  readonly count: number;
  /** [kh, kw, cin, count]: the page's output channels, channels-last. */
  readonly kernel: Float32Array;
  /** Largest |value| over the whole kernel: one shared colour scale for every page. */
  readonly maxAbs: number;
}

/** Channels [from, from + count) of a map. */
export interface ChannelPage {
  readonly from: number;
  readonly count: number;
}

export interface NodeActivation {
  readonly nodeId: string;
  /** Without the batch: [H, W, C] for maps, [N] for vectors; C counts the channels sent. */
  readonly shape: readonly number[];
  /** Channels-last, as tfjs computes it. */
  readonly data: Float32Array;
  /** Of the whole output, every channel (one colour scale for every page). */
  readonly min: number;
  readonly max: number;
  /** A map sent in part: its channels are [from, from + C) of `of`. */
  readonly page?: { readonly from: number; readonly of: number };
}

export interface ActivationsLook {
  readonly kind: 'activations';
  readonly nodes: readonly NodeActivation[];
  /** The `thumbnails` nodes that give maps: [H, W], the mean over channels. */
  readonly thumbnails: readonly NodeActivation[];
  /** The network's output for the input (probabilities or logits, as the last layer gives them). */
  readonly scores: Float32Array;
  /** The input as it went in. */
  readonly pixels: Float32Array;
  readonly inputShape: readonly number[];
  /** The test image's class, when the input was one. */
  readonly label: number | null;
}

export interface TopHit {
  readonly index: number;
  readonly value: number;
  /** Where in the node's map the value was reached ([0, 0] for a vector). */
  readonly position: readonly [number, number];
  readonly label: number;
}

export interface TopLook {
  readonly kind: 'top';
  readonly nodeId: string;
  readonly channel: number;
  readonly hits: readonly TopHit[];
  /** The hits' images back to back, in the data's shape. */
  readonly pixels: Float32Array;
  readonly imageShape: readonly [number, number, number];
  /** Test images searched. */
  readonly searched: number;
}

export interface KernelGradLook {
  readonly kind: 'kernel-grad';
  readonly nodeId: string;
  readonly filter: number;
  readonly channel: number;
  /** The kernel's output and input channels (the choices there are). */
  readonly filters: number;
  readonly channels: number;
  readonly kernel: readonly [number, number];
  /** Output positions [ho, wo]: where the kernel was applied. */
  readonly grid: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: 'valid' | 'same';
  /** Images in the batch. */
  readonly images: number;
  /** [ho, wo, kh, kw]: each position's term (input patch × upstream gradient, summed over the batch). */
  readonly terms: Float32Array;
  /** [kh, kw]: the slice's gradient as tfjs computes it, for the same batch, in the same pass. */
  readonly gradient: Float32Array;
}

export type LookResult = FiltersLook | ActivationsLook | TopLook | KernelGradLook;

/** The buffers a look reply can hand over. */
export function lookTransferables(result: LookResult): Float32Array[] {
  switch (result.kind) {
    case 'filters':
      return [result.kernel];
    case 'activations':
      return [...result.nodes.map((n) => n.data), ...result.thumbnails.map((n) => n.data), result.scores, result.pixels];
    case 'top':
      return [result.pixels];
    case 'kernel-grad':
      return [result.terms, result.gradient];
  }
}

/** One output channel's [kh, kw] tile for input channel `ci` out of a filters page. */
export function kernelTile(look: FiltersLook, out: number, ci: number): Float32Array {
  const [kh, kw, cin] = look.shape;
  const tile = new Float32Array(kh * kw);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) tile[y * kw + x] = look.kernel[((y * kw + x) * cin + ci) * look.count + out];
  }
  return tile;
}

/** Channel `c` of a channels-last [H, W, C] map as an H×W plane. */
export function channelPlane(a: NodeActivation, c: number): Float32Array {
  const [h, w, ch] = a.shape;
  const plane = new Float32Array(h * w);
  for (let i = 0; i < h * w; i++) plane[i] = a.data[i * ch + c];
  return plane;
}

/**
 * Keeps the k best (value, index) pairs: higher value first, the lower index on a tie (the order a
 * brute-force sort gives). Small k: an insertion into a sorted array.
 */
export function pushTop<T extends { readonly value: number; readonly index: number }>(top: T[], hit: T, k: number): void {
  const better = (a: T, b: T) => a.value > b.value || (a.value === b.value && a.index < b.index);
  if (top.length === k && !better(hit, top[k - 1])) return;
  let at = top.length;
  while (at > 0 && better(hit, top[at - 1])) at--;
  top.splice(at, 0, hit);
  if (top.length > k) top.pop();
}
