/**
 * "Use as a filter": where a lab kernel can go in the open design, and the design's weights with it put
 * there. Pure; the panel dispatches the store's own commands (updateNodeParams, setWeights) with these.
 */
import type { DesignInference } from '../../graph/infer.ts';
import type { DesignWeights, WeightTensor } from '../../graph/weights.ts';
import type { Design } from '../../graph/types.ts';
import type { Kernel } from './kernel-math.ts';

export interface ConvTarget {
  readonly nodeId: string;
  readonly name: string;
  readonly kernelSize: readonly [number, number];
  readonly filters: number;
}

/** Every Conv2D of the design with valid parameters, in the design's topological order. */
export function convTargets(design: Design, inference: DesignInference): ConvTarget[] {
  const byId = new Map(design.nodes.map((n) => [n.id, n]));
  return inference.order.flatMap((id) => {
    const node = byId.get(id);
    const inf = inference.nodes.get(id);
    if (node?.kind !== 'Conv2D' || !inf?.paramsValid) return [];
    const k = inf.params.kernel_size as readonly number[];
    return [{ nodeId: id, name: inf.name, kernelSize: [k[0], k[1]] as const, filters: inf.params.filters as number }];
  });
}

export type Placement =
  | { readonly kind: 'size-mismatch' }
  | { readonly kind: 'no-weights' }
  | { readonly kind: 'ready'; readonly weights: DesignWeights };

/**
 * Luma weights when the filter reads RGB: the filter then computes on the three channels exactly what
 * the lab computes on their grey version. Any other depth gets the kernel in every input channel.
 */
function channelWeights(inChannels: number): readonly number[] {
  return inChannels === 3 ? [0.299, 0.587, 0.114] : Array.from({ length: inChannels }, () => 1);
}

/** The weights with output channel `filter` of `target`'s kernel (Keras [kh, kw, in, out]) set to `k`. */
export function placeKernel(weights: DesignWeights | null, target: ConvTarget, k: Kernel, filter: number): Placement {
  if (target.kernelSize[0] !== k.size || target.kernelSize[1] !== k.size) return { kind: 'size-mismatch' };
  const kernel: WeightTensor | undefined = weights?.get(target.nodeId)?.kernel;
  if (!weights || !kernel) return { kind: 'no-weights' };
  const [kh, kw, cin, cout] = kernel.shape;
  if (filter < 0 || filter >= cout || kh !== k.size || kw !== k.size) return { kind: 'size-mismatch' };
  const data = new Float32Array(kernel.data);
  const scale = channelWeights(cin);
  for (let r = 0; r < kh; r++) {
    for (let c = 0; c < kw; c++) {
      for (let i = 0; i < cin; i++) data[((r * kw + c) * cin + i) * cout + filter] = k.values[r * k.size + c] * scale[i];
    }
  }
  const next = new Map(weights);
  next.set(target.nodeId, { ...weights.get(target.nodeId), kernel: { shape: kernel.shape, data } });
  return { kind: 'ready', weights: next };
}
