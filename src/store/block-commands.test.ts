import { describe, expect, it } from 'vitest';
import { flattenDesign, formatIssue, inferShapes, parseDesign, serializeDesign } from '../graph/index.ts';
import { resnet18WithBlocks } from '../graph/testing/block-designs.ts';
import { loadTemplate } from '../graph/testing/templates.ts';
import { createAppStore, type AppStore } from './app-store.ts';

async function storeWith(doc: unknown): Promise<AppStore> {
  const store = createAppStore({ lang: 'en', catalogue: [{ file: 'd.json', name: 'd' }], loaderFor: () => async () => doc });
  await store.getState().loadTemplate('d.json');
  return store;
}

describe('block commands on the store', () => {
  it('group, repeat and ungroup are one undo step each, and inference always runs on the unfolded design', async () => {
    const store = await storeWith(JSON.parse(serializeDesign(loadTemplate('mnist-cnn.json'))));
    const s = () => store.getState();
    const check = () => {
      expect(s().flat).toEqual(flattenDesign(s().design!));
      expect(s().inference!.totals).toEqual(inferShapes(flattenDesign(s().design!)).totals);
    };
    const plain = s().inference!.totals;
    const stage = s().design!.nodes.filter((n) => ['conv1', 'pool1'].includes(n.id)).map((n) => n.id);
    expect(stage).toHaveLength(2);
    s().select(stage);
    expect(s().groupSelection('Stage')).toBe(true);
    check();
    expect(s().inference!.totals).toEqual(plain);
    expect(s().design!.instances!.map((i) => i.id)).toEqual(['stage']);
    expect(s().selection).toEqual(['stage']);
    const summary = s().blockSummaries.find((b) => b.path === 'stage')!;
    expect(summary.outputShapes).toEqual([s().inference!.nodes.get('stage.pool1')!.outputShape]);
    expect(summary.trainableParams).toBe(s().inference!.nodes.get('stage.conv1')!.trainableParams);
    const steps = store.temporal.getState().pastStates.length;
    s().setBlockRepeat('stage', 1);
    expect(store.temporal.getState().pastStates.length).toBe(steps + 1);
    expect(s().inference!.nodes.has('stage.0.conv1')).toBe(true);
    check();
    s().undo();
    expect(s().inference!.nodes.has('stage.conv1')).toBe(true);
    s().undo();
    expect(s().design!.instances ?? []).toEqual([]);
    expect(s().selection).toEqual([]);
    expect(s().inference!.totals).toEqual(plain);
    s().redo();
    s().select(['stage']);
    expect(s().ungroupSelection()).toBe(true);
    check();
    expect(s().design!.nodes.map((n) => n.id).sort()).toEqual(loadTemplate('mnist-cnn.json').nodes.map((n) => n.id).sort());
  });

  it('a refused group leaves the design as it was and says why', async () => {
    const store = await storeWith(resnet18WithBlocks());
    const before = store.getState().design;
    store.getState().select(['conv1', 'relu']);
    expect(store.getState().groupSelection()).toBe(false);
    expect(store.getState().design).toBe(before);
    expect(formatIssue(store.getState().notice!.issue)).toMatch(/^Cannot group: bn1 lies between/);
  });

  it('saves and reopens a design with blocks unchanged, block subtotals included', async () => {
    const store = await storeWith(resnet18WithBlocks());
    store.getState().setBlockArg('layer1', 'planes', 64, 1);
    const saved = serializeDesign(store.getState().design!);
    const again = parseDesign(saved);
    expect(again.ok && again.design).toEqual(store.getState().design);
    const reopened = await storeWith(JSON.parse(saved));
    expect(reopened.getState().blockSummaries).toEqual(store.getState().blockSummaries);
    expect(store.getState().blockSummaries.find((b) => b.path === 'layer4')!.outputShapes).toEqual([[7, 7, 512]]);
  });
});
