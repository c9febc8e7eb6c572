import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DesignBuilder } from '../../graph/builder.ts';
import { inferShapes } from '../../graph/infer.ts';
import { Rng } from '../../graph/testing/rng.ts';
import type { DesignWeights } from '../../graph/weights.ts';
import { slide } from './kernel-math.ts';
import { presetKernel } from './kernel-presets.ts';
import { convTargets, placeKernel } from './filter-target.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function rgbDesign() {
  const b = new DesignBuilder('lab target');
  const input = b.add('Input', { shape: [12, 12, 3] }, [], { id: 'in' });
  const conv = b.add('Conv2D', { filters: 4, kernel_size: [3, 3] }, [input], { id: 'conv1', label: 'edges' });
  b.add('Conv2D', { filters: 2, kernel_size: [5, 5] }, [conv], { id: 'conv2' });
  const design = b.build();
  return { design, inference: inferShapes(design) };
}

function randomWeights(rng: Rng, shape: number[]): DesignWeights {
  const n = shape.reduce((a, x) => a * x, 1);
  return new Map([['conv1', { kernel: { shape, data: Float32Array.from({ length: n }, () => rng.next() - 0.5) }, bias: { shape: [shape[3]], data: new Float32Array(shape[3]) } }]]);
}

describe('use a lab kernel as a filter', () => {
  it('lists the Conv2D layers with their kernel sizes and filter counts', () => {
    const { design, inference } = rgbDesign();
    expect(convTargets(design, inference)).toEqual([
      { nodeId: 'conv1', name: 'edges', kernelSize: [3, 3], filters: 4 },
      { nodeId: 'conv2', name: 'conv2', kernelSize: [5, 5], filters: 2 },
    ]);
  });

  it('on RGB input the placed filter computes, per tf.conv2d, what the lab computes on the grey image', () => {
    const rng = new Rng(7);
    const { design, inference } = rgbDesign();
    const [target] = convTargets(design, inference);
    const weights = randomWeights(rng, [3, 3, 3, 4]);
    const sobel = presetKernel('sobelY', 3);
    const placed = placeKernel(weights, target, sobel, 2);
    if (placed.kind !== 'ready') throw new Error(placed.kind);
    const rgb = Array.from({ length: 12 * 12 * 3 }, () => rng.int(0, 255));
    const grey = Array.from({ length: 144 }, (_, p) => 0.299 * rgb[p * 3] + 0.587 * rgb[p * 3 + 1] + 0.114 * rgb[p * 3 + 2]);
    const lab = slide({ h: 12, w: 12, data: grey }, sobel, { stride: 1, dilation: 1, padding: 'valid' }, 'correlation')!;
    const kernel = placed.weights.get('conv1')!.kernel;
    const theirs = tf.tidy(() => tf.conv2d(tf.tensor4d(rgb, [1, 12, 12, 3]), tf.tensor4d(kernel.data, [3, 3, 3, 4]), 1, 'valid').dataSync());
    lab.data.forEach((v, i) => expect(Math.abs(theirs[i * 4 + 2] - v)).toBeLessThan(1e-3));
    // The other filters and the bias are untouched.
    const before = weights.get('conv1')!.kernel.data;
    kernel.data.forEach((v, i) => i % 4 !== 2 && expect(v).toBe(before[i]));
    expect(placed.weights.get('conv1')!.bias).toBe(weights.get('conv1')!.bias);
  });

  it('asks for a matching size first, and says when there are no weights yet', () => {
    const { design, inference } = rgbDesign();
    const [conv1, conv2] = convTargets(design, inference);
    expect(placeKernel(null, conv2, presetKernel('sobelX', 3), 0).kind).toBe('size-mismatch');
    expect(placeKernel(null, conv1, presetKernel('sobelX', 3), 0).kind).toBe('no-weights');
    expect(placeKernel(new Map(), conv1, presetKernel('sobelX', 3), 0).kind).toBe('no-weights');
  });
});
