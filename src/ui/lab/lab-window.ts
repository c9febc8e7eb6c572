/**
 * The lab's window seen by src/graph: a one-filter Conv2D over the image, inferred and explained by the
 * same code as a layer on the canvas, so the lab's output size, its arithmetic and its complaints (a
 * kernel larger than the input, stride with dilation) are the inspector's, word for word.
 */
import { explainOutputSize, type SizeExplanation } from '../../graph/explain.ts';
import { inferNode } from '../../graph/infer.ts';
import { layerSpec } from '../../graph/layers/index.ts';
import type { Issue } from '../../graph/messages.ts';
import { defaultParams } from '../../graph/params.ts';
import type { DesignNode } from '../../graph/types.ts';
import type { SlideSettings } from './kernel-math.ts';

export interface LabWindowExplanation {
  /** [height, width] of the output, or null when the window does not fit (see `issues`). */
  readonly output: readonly [number, number] | null;
  readonly sizes: readonly SizeExplanation[];
  readonly issues: readonly Issue[];
}

/** `label` names the window in src/graph's messages ("Kernel lab: strides 2×2 together with…"). */
export function labConvNode(size: number, s: SlideSettings, label = 'Kernel lab'): DesignNode {
  return {
    id: 'kernel_lab',
    kind: 'Conv2D',
    label,
    position: { x: 0, y: 0 },
    params: {
      ...defaultParams(layerSpec('Conv2D').params),
      filters: 1,
      kernel_size: [size, size],
      strides: [s.stride, s.stride],
      dilation_rate: [s.dilation, s.dilation],
      padding: s.padding,
      use_bias: false,
    },
  };
}

export function explainLabWindow(h: number, w: number, size: number, s: SlideSettings, label?: string): LabWindowExplanation {
  const node = labConvNode(size, s, label);
  const inf = inferNode(node, [[h, w, 1]]);
  const shape = inf.outputShape;
  return {
    output: shape && shape[0] !== null && shape[1] !== null ? [shape[0], shape[1]] : null,
    sizes: explainOutputSize(node, inf),
    issues: inf.issues,
  };
}
