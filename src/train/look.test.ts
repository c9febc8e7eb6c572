/**
 * Look inside, against tfjs itself (Node, cpu backend): feature maps equal the model's own intermediate
 * outputs, filter tiles reproduce the convolution they come from, and the top images equal a brute-force
 * ranking of every test image.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileDesign, type CompiledModel } from '../compile/compile.ts';
import { DesignBuilder } from '../graph/index.ts';
import { mulberry32 } from '../graph/random.ts';
import { loadTemplate } from '../graph/testing/templates.ts';
import type { Design } from '../graph/types.ts';
import { TrainingClient, TrainingError, type ClientEvent, type WorkerLike } from './client.ts';
import { lookActivations, lookFilters, lookTop } from './look.ts';
import { channelPlane, kernelTile, pushTop } from './look-protocol.ts';
import { DEFAULT_CONFIG, isRequest, type FromWorker, type ImageSet } from './protocol.ts';
import { lineImages, seedWeights, tinyDesign } from './testing/fixtures.ts';
import { createWorkerCore } from './worker-core.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function compiled(design: Design, seed = 5): Promise<CompiledModel> {
  const c = await compileDesign(design);
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  seedWeights(c.model, seed);
  return c;
}

function randomPixels(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => r());
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The node's output by tfjs's own graph executor, through the symbolic tensor's name. */
function executeNode(c: CompiledModel, nodeId: string, x: tf.Tensor): tf.Tensor {
  const name = (c.model.getLayer(c.layerNames.get(nodeId)!).output as tf.SymbolicTensor).name;
  return c.model.execute(x, name) as tf.Tensor;
}

describe('feature maps', () => {
  it.each(['mnist-cnn.json', 'lenet-5.json'])('equal model.execute on the compiled model for every node of %s (≤ 1e-5)', async (file) => {
    const c = await compiled(loadTemplate(file));
    const shape = c.model.inputs[0].shape.slice(1) as number[];
    const pixels = randomPixels(shape.reduce((a, b) => a * b, 1), 11);
    const ids = c.inference.order.filter((id) => c.inference.nodes.get(id)!.kind !== 'Input');
    const look = await lookActivations(c, ids, pixels, null);
    expect(look.nodes.map((n) => n.nodeId)).toEqual(ids);
    const x = tf.tensor(pixels, [1, ...shape]);
    for (const node of look.nodes) {
      const want = executeNode(c, node.nodeId, x);
      expect(node.shape).toEqual(want.shape.slice(1));
      const values = want.dataSync();
      expect(maxAbsDiff(node.data, values), node.nodeId).toBeLessThanOrEqual(1e-5);
      expect(node.min).toBe(Math.min(...values));
      expect(node.max).toBe(Math.max(...values));
      want.dispose();
    }
    const scores = c.model.predict(x) as tf.Tensor;
    expect(maxAbsDiff(look.scores, scores.dataSync())).toBeLessThanOrEqual(1e-5);
    tf.dispose([x, scores]);
    c.model.dispose();
  });

  it('send a page of a map\'s channels that equals those channels of model.execute, scaled by the whole map', async () => {
    const c = await compiled(loadTemplate('lenet-5.json'));
    const pixels = randomPixels(32 * 32, 13);
    const x = tf.tensor(pixels, [1, 32, 32, 1]);
    const want = executeNode(c, 'conv2', x);
    const [h, w, ch] = want.shape.slice(1) as number[];
    const values = want.dataSync();
    // A page inside, one that runs past the last channel (cut short) and one past the end (the last channel).
    for (const [asked, from, count] of [[{ from: 5, count: 4 }, 5, 4], [{ from: ch - 3, count: 8 }, ch - 3, 3], [{ from: ch + 7, count: 2 }, ch - 1, 1]] as const) {
      const look = await lookActivations(c, ['conv2', 'fc2'], pixels, null, [], asked);
      const [node, vector] = look.nodes;
      expect(node.shape).toEqual([h, w, count]);
      expect(node.page).toEqual({ from, of: ch });
      const page = Float32Array.from({ length: h * w * count }, (_, i) => values[Math.floor(i / count) * ch + from + (i % count)]);
      expect(maxAbsDiff(node.data, page)).toBeLessThanOrEqual(1e-5);
      expect(node.min).toBe(Math.min(...values));
      expect(node.max).toBe(Math.max(...values));
      // A vector is not paged.
      expect(vector.page).toBeUndefined();
      expect(vector.shape).toEqual([84]);
    }
    tf.dispose([x, want]);
    c.model.dispose();
  });

  it('give thumbnails that equal the channel mean of model.execute, for maps only (≤ 1e-5)', async () => {
    const c = await compiled(loadTemplate('mnist-cnn.json'));
    const pixels = randomPixels(28 * 28, 21);
    const look = await lookActivations(c, ['conv2'], pixels, null, ['input', 'conv1', 'pool1', 'conv2', 'flatten', 'output', 'added-later']);
    expect(look.thumbnails.map((n) => n.nodeId)).toEqual(['conv1', 'pool1', 'conv2']);
    const x = tf.tensor(pixels, [1, 28, 28, 1]);
    for (const thumb of look.thumbnails) {
      const full = executeNode(c, thumb.nodeId, x);
      const [h, w, ch] = full.shape.slice(1) as number[];
      const values = full.dataSync();
      const mean = Float32Array.from({ length: h * w }, (_, p) => {
        let sum = 0;
        for (let k = 0; k < ch; k++) sum += values[p * ch + k];
        return sum / ch;
      });
      expect(thumb.shape).toEqual([h, w]);
      expect(maxAbsDiff(thumb.data, mean), thumb.nodeId).toBeLessThanOrEqual(1e-5);
      full.dispose();
    }
    x.dispose();
    c.model.dispose();
  });

  it('leave no tensor behind once the sub-model exists', async () => {
    const c = await compiled(tinyDesign());
    const pixels = randomPixels(64, 3);
    await lookActivations(c, ['conv', 'out'], pixels, null, ['conv', 'pool']);
    const before = tf.memory().numTensors;
    await lookActivations(c, ['conv', 'out'], pixels, null, ['conv', 'pool']);
    await lookFilters(c, 'conv', 0, 4);
    await lookTop(c, 'conv', 1, 9, lineImages(40, 4), null, { batch: 7 });
    expect(tf.memory().numTensors).toBe(before);
    c.model.dispose();
  });

  it('refuse an image of the wrong size and a node the model lacks, in words', async () => {
    const c = await compiled(tinyDesign());
    await expect(lookActivations(c, ['conv'], new Float32Array(10), null)).rejects.toThrow(/10 values.*needs 64/);
    await expect(lookActivations(c, ['gone'], new Float32Array(64), null)).rejects.toThrow(/no layer "gone"/);
    await expect(lookFilters(c, 'pool', 0, 1)).rejects.toThrow(/no filters/);
    await expect(lookFilters(c, 'conv', 4, 1)).rejects.toThrow(/no filter 4/);
    c.model.dispose();
  });
});

describe('filters', () => {
  /** 7×7×3 → Conv2D 5@3×3 and DepthwiseConv2D ×2, both linear without bias: outputs are plain sums of tiles × patches. */
  function convDesign(): Design {
    const b = new DesignBuilder('Filters');
    const input = b.add('Input', { shape: [7, 7, 3] }, [], { id: 'in' });
    b.add('Conv2D', { filters: 5, kernel_size: [3, 3], activation: 'linear', use_bias: false }, [input], { id: 'conv' });
    b.add('DepthwiseConv2D', { kernel_size: [3, 3], depth_multiplier: 2, activation: 'linear', use_bias: false }, [input], { id: 'dw' });
    b.add('Conv2DTranspose', { filters: 4, kernel_size: [3, 2], activation: 'linear', use_bias: false }, [input], { id: 'tconv' });
    return b.build();
  }

  it('reproduce the convolution outputs they come from (Conv2D, DepthwiseConv2D; a page of 2 at offset 1)', async () => {
    const design = convDesign();
    // A model per head: the test compiles each branch alone so each has the single output training needs.
    const c = await compileDesign(design);
    if (!c.ok) throw new Error('compile');
    seedWeights(c.model, 9);
    const pixels = randomPixels(7 * 7 * 3, 2);
    const acts = await lookActivations(c, ['conv', 'dw'], pixels, null).catch(() => null);
    // Multi-output models are refused by training, not by looks: the sub-model reads any node.
    expect(acts).not.toBeNull();
    const at = (y: number, x: number, ch: number) => pixels[(y * 7 + x) * 3 + ch];
    for (const [nodeId, inputOf] of [
      ['conv', (_o: number, i: number) => i],
      ['dw', (o: number) => Math.floor(o / 2)],
    ] as const) {
      const page = await lookFilters(c, nodeId, 1, 2);
      expect(page.from).toBe(1);
      expect(page.count).toBe(2);
      const act = acts!.nodes.find((n) => n.nodeId === nodeId)!;
      for (let o = 0; o < page.count; o++) {
        const plane = channelPlane(act, page.from + o);
        for (const [oy, ox] of [[0, 0], [2, 3], [4, 4]]) {
          let sum = 0;
          for (let i = 0; i < page.shape[2]; i++) {
            const tile = kernelTile(page, o, i);
            for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) sum += tile[y * 3 + x] * at(oy + y, ox + x, inputOf(page.from + o, i));
          }
          expect(Math.abs(sum - plane[oy * 5 + ox]), `${nodeId} out ${page.from + o} at ${oy},${ox}`).toBeLessThanOrEqual(1e-5);
        }
      }
    }
    c.model.dispose();
  });

  it('of a transposed conv read Keras\'s [kh, kw, out, in]: a 1×1 input spreads input × tile', async () => {
    const b = new DesignBuilder('T');
    const input = b.add('Input', { shape: [1, 1, 3] }, [], { id: 'in' });
    b.add('Conv2DTranspose', { filters: 4, kernel_size: [3, 2], activation: 'linear', use_bias: false }, [input], { id: 'tconv' });
    const c = await compiled(b.build());
    const pixels = Float32Array.from([0.3, -1.2, 0.7]);
    const act = (await lookActivations(c, ['tconv'], pixels, null)).nodes[0];
    const page = await lookFilters(c, 'tconv', 0, 4);
    expect(page.shape).toEqual([3, 2, 3, 4]);
    for (let o = 0; o < 4; o++) {
      const plane = channelPlane(act, o);
      const want = new Float32Array(6);
      for (let i = 0; i < 3; i++) kernelTile(page, o, i).forEach((v, p) => (want[p] += v * pixels[i]));
      expect(maxAbsDiff(plane, want)).toBeLessThanOrEqual(1e-5);
    }
    c.model.dispose();
  });
});

describe('top images', () => {
  /** Every test image through model.execute, each channel's max (first position on a tie), sorted: the ranking by hand. */
  function bruteForce(c: CompiledModel, nodeId: string, channel: number, set: ImageSet, k: number) {
    const x = tf.tensor(set.x, [set.count, ...set.shape]);
    const out = executeNode(c, nodeId, x);
    const values = out.dataSync();
    const dims = out.shape.slice(1);
    tf.dispose([x, out]);
    const ch = dims[dims.length - 1]!;
    const positions = values.length / set.count / ch;
    const width = dims.length === 3 ? dims[1]! : 1;
    const all = Array.from({ length: set.count }, (_, i) => {
      let best = -Infinity;
      let at = 0;
      for (let p = 0; p < positions; p++) {
        const v = values[(i * positions + p) * ch + channel];
        if (v > best) [best, at] = [v, p];
      }
      return { index: i, value: best, position: [Math.floor(at / width), at % width] };
    });
    all.sort((a, b) => b.value - a.value || a.index - b.index);
    return all.slice(0, k);
  }

  it.each([
    ['conv', 2],
    ['conv', 0],
    ['out', 1],
  ] as const)('of %s channel %i rank as a brute force over the whole test split does', async (nodeId, channel) => {
    const c = await compiled(tinyDesign(), 13);
    const test = lineImages(150, 8);
    const look = await lookTop(c, nodeId, channel, 9, test, null, { batch: 16 });
    const want = bruteForce(c, nodeId, channel, test, 9);
    expect(look.searched).toBe(150);
    expect(look.hits.map((h) => h.index)).toEqual(want.map((w) => w.index));
    expect(look.hits.map((h) => h.position)).toEqual(want.map((w) => w.position));
    expect(maxAbsDiff(look.hits.map((h) => h.value), want.map((w) => w.value))).toBeLessThanOrEqual(1e-5);
    // The images that come back are the hits' own.
    look.hits.forEach((h, i) => expect(look.pixels.subarray(i * 64, (i + 1) * 64)).toEqual(test.x.subarray(h.index * 64, (h.index + 1) * 64)));
    expect(look.hits.map((h) => h.label)).toEqual(look.hits.map((h) => test.y[h.index]));
    c.model.dispose();
  });

  it('keep the k best with the lower index on a tie', () => {
    const top: { value: number; index: number }[] = [];
    for (const [value, index] of [[1, 0], [3, 1], [3, 2], [2, 3], [5, 4], [3, 5]]) pushTop(top, { value, index }, 3);
    expect(top).toEqual([{ value: 5, index: 4 }, { value: 3, index: 1 }, { value: 3, index: 2 }]);
  });
});

describe('looks through the worker', () => {
  function harness() {
    const w: WorkerLike = {
      onmessage: null,
      onerror: null,
      onmessageerror: null,
      postMessage(message, transfer) {
        const copy = structuredClone(message, { transfer });
        setTimeout(() => isRequest(copy) && void core.handle(copy), 0);
      },
      terminate() {},
    };
    const core = createWorkerCore({
      post: (message: FromWorker, transfer: Transferable[] = []) => {
        const copy = structuredClone(message, { transfer: transfer as ArrayBuffer[] });
        setTimeout(() => w.onmessage?.({ data: copy } as MessageEvent), 0);
      },
      loadData: async () => {
        throw new Error('not used');
      },
      probe: async () => ({ available: ['cpu'], unavailable: [] }),
      activate: async (b) => void (await tf.setBackend(b)),
      progressIntervalMs: 0,
    });
    return new TrainingClient(() => w);
  }

  it('are answered between the steps of a run, on the live model, and refused in words before any model exists', async () => {
    const client = harness();
    await expect(client.look({ kind: 'filters', nodeId: 'conv', from: 0, count: 4 })).rejects.toThrow(TrainingError);
    await client.loadData({ kind: 'arrays', dataset: { name: 'lines', classes: ['h', 'v', 'd'], train: lineImages(600, 1), test: lineImages(60, 2) } });
    const events: ClientEvent[] = [];
    client.on((e) => events.push(e));
    const firstProgress = new Promise<void>((resolve) => client.on((e) => e.type === 'progress' && resolve()));
    await client.start(tinyDesign(), { ...DEFAULT_CONFIG, batchSize: 8, epochs: 3, validationSplit: 0 }, 'cpu');
    await firstProgress;
    const filters = await client.look({ kind: 'filters', nodeId: 'conv', from: 0, count: 4 });
    const maps = await client.look({ kind: 'activations', nodeIds: ['conv', 'out'], input: { testIndex: 3 } });
    const top = await client.look({ kind: 'top', nodeId: 'conv', channel: 0, k: 9, limit: null });
    // All three came back while the run was still going: no 'done' yet.
    expect(events.some((e) => e.type === 'done')).toBe(false);
    expect(filters.shape).toEqual([3, 3, 1, 4]);
    expect(maps.label).toBe(lineImages(60, 2).y[3]);
    expect(maps.nodes.map((n) => n.shape)).toEqual([[6, 6, 4], [3]]);
    expect(top.hits).toHaveLength(9);
    await expect(client.look({ kind: 'top', nodeId: 'conv', channel: 7, k: 9, limit: null })).rejects.toThrow(/channels 0 to 3/);
    // Paused, the weights hold still: the top images (ranked on a frozen copy of the weights) reach the
    // values the live model gives those images.
    await client.pause();
    const held = await client.look({ kind: 'top', nodeId: 'conv', channel: 2, k: 9, limit: null });
    for (const hit of held.hits) {
      const a = (await client.look({ kind: 'activations', nodeIds: ['conv'], input: { testIndex: hit.index } })).nodes[0];
      const plane = channelPlane(a, 2);
      expect(Math.abs(Math.max(...plane) - hit.value)).toBeLessThanOrEqual(1e-5);
      expect(plane[hit.position[0] * 6 + hit.position[1]]).toBeCloseTo(hit.value, 5);
    }
    await client.resume();
    await client.stop();
    client.dispose();
  });
});
