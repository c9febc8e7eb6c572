import { describe, expect, it, vi } from 'vitest';
import { DesignBuilder, inferShapes, serializeDesign } from '../graph/index.ts';
import type { DesignWeights } from '../graph/weights.ts';
import { createAppStore } from './app-store.ts';
import { weightsFit } from './weights-fit.ts';

function design() {
  const b = new DesignBuilder('Tiny');
  const input = b.add('Input', { shape: [8, 8, 1] }, [], { id: 'in' });
  const conv = b.add('Conv2D', { filters: 2, kernel_size: [3, 3] }, [input], { id: 'conv' });
  b.chain(conv, [['Flatten', {}, { id: 'flat' }], ['Dense', { units: 3, activation: 'softmax' }, { id: 'out' }]]);
  return b.build();
}

/** Weights in exactly the shapes the design declares. */
function weightsOf(d: ReturnType<typeof design>): DesignWeights {
  const out = new Map<string, Record<string, { shape: number[]; data: Float32Array }>>();
  for (const [id, info] of inferShapes(d).nodes) {
    if (info.weights.length === 0) continue;
    out.set(id, Object.fromEntries(info.weights.map((w) => [w.name, { shape: [...w.shape], data: new Float32Array(w.shape.reduce((a, b) => a * b, 1)) }])));
  }
  return out;
}

async function loaded() {
  const d = design();
  const store = createAppStore({ lang: 'en', catalogue: [{ file: 'tiny.json', name: 'Tiny' }, { file: 'other.json', name: 'Other' }], loaderFor: () => async () => JSON.parse(serializeDesign(d)) });
  await store.getState().loadTemplate('tiny.json');
  return { store, d };
}

describe('store: weights and edits during training', () => {
  it('updateNodeParams edits one node and re-infers once', async () => {
    const { store } = await loaded();
    const before = store.getState().inference;
    store.getState().updateNodeParams('conv', { filters: 5 });
    const s = store.getState();
    expect(s.design!.nodes.find((n) => n.id === 'conv')!.params.filters).toBe(5);
    expect(s.inference).not.toBe(before);
    expect(s.inference!.nodes.get('conv')!.outputShape).toEqual([6, 6, 5]);
    store.getState().updateNodeParams('nope', { filters: 1 });
    expect(store.getState().design).toBe(s.design);
  });

  it('weights stay when an edit keeps every weight shape and go when a shape changes', async () => {
    const { store, d } = await loaded();
    store.getState().setWeights(weightsOf(d));
    store.getState().updateNodeParams('out', { activation: 'linear' });
    expect(store.getState().weights).not.toBeNull();
    store.getState().updateNodeParams('conv', { filters: 4 });
    expect(store.getState().weights).toBeNull();
  });

  it('weightsFit rejects missing, extra and reshaped tensors', () => {
    const d = design();
    const inference = inferShapes(d);
    const w = weightsOf(d);
    expect(weightsFit(inference, w)).toBe(true);
    expect(weightsFit(inference, new Map([...w].filter(([id]) => id !== 'out')))).toBe(false);
    expect(weightsFit(inference, new Map([...w, ['ghost', {}]]))).toBe(false);
    const reshaped = new Map(w);
    reshaped.set('out', { ...w.get('out')!, bias: { shape: [4], data: new Float32Array(4) } });
    expect(weightsFit(inference, reshaped)).toBe(false);
  });

  it('while a run is active an edit waits; confirming stops the run and applies it', async () => {
    const { store } = await loaded();
    const stop = vi.fn(async () => {});
    store.getState().setRunActive(true, stop);
    store.getState().updateNodeParams('conv', { filters: 7 });
    let s = store.getState();
    expect(s.design!.nodes.find((n) => n.id === 'conv')!.params.filters).toBe(2);
    expect(s.pendingEdit?.description).toBe('Set conv: filters = 7');
    await store.getState().confirmPendingEdit();
    s = store.getState();
    expect(stop).toHaveBeenCalledOnce();
    expect(s.runActive).toBe(false);
    expect(s.pendingEdit).toBeNull();
    expect(s.design!.nodes.find((n) => n.id === 'conv')!.params.filters).toBe(7);
  });

  it('cancelling keeps the run and the design; loading another design is guarded too', async () => {
    const { store } = await loaded();
    const stop = vi.fn();
    store.getState().setRunActive(true, stop);
    const designBefore = store.getState().design;
    store.getState().updateNodeParams('conv', { filters: 7 });
    store.getState().cancelPendingEdit();
    expect(store.getState().design).toBe(designBefore);
    expect(store.getState().runActive).toBe(true);
    await store.getState().loadTemplate('other.json');
    expect(store.getState().pendingEdit?.description).toBe('Open the template other.json');
    expect(store.getState().source).toEqual({ type: 'template', file: 'tiny.json' });
    expect(stop).not.toHaveBeenCalled();
  });

  it('a design file that carries weights brings them into the session', async () => {
    const d = design();
    const text = serializeDesign(d, weightsOf(d));
    const store = createAppStore({ lang: 'en', catalogue: [], loaderFor: () => undefined });
    await store.getState().openFile({ name: 'with-weights.json', size: text.length, text: async () => text });
    expect(store.getState().weights?.get('conv')?.kernel.shape).toEqual([3, 3, 1, 2]);
  });
});
