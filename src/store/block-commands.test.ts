import { describe, expect, it } from 'vitest';
import { flattenDesign, formatIssue, inferShapes, parseDesign, serializeDesign } from '../graph/index.ts';
import { resnet18WithBlocks } from '../graph/testing/block-designs.ts';
import { loadTemplate, loadTemplateDocument } from '../graph/testing/templates.ts';
import { createAppStore, type AppStore } from './app-store.ts';
import { designFromHash, designToHash } from './share-link.ts';

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

  it('copies and pastes a block: the copy shares the definition; a clashing definition comes in renamed', async () => {
    const store = await storeWith(resnet18WithBlocks());
    const s = () => store.getState();
    s().select(['layer2']);
    const text = s().copySelection()!;
    expect(JSON.parse(text).blocks.map((b: { id: string }) => b.id)).toEqual(['BasicBlock']);
    expect(s().pasteText(text)).toBe(true);
    const pasted = s().selection[0];
    expect(s().design!.instances!.find((i) => i.id === pasted)).toMatchObject({ block: 'BasicBlock', repeat: 2 });
    expect(s().design!.blocks!.map((b) => b.id)).toEqual(['BasicBlock']);
    // Unconnected, the pasted stage reports its missing input, with its own path.
    expect(s().inference!.nodes.get(`${pasted}.0.conv1`)!.issues.map((i) => i.code)).toEqual(['no-input']);

    const other = await storeWith(resnet18WithBlocks());
    other.getState().select(['layer1']);
    const clash = JSON.parse(other.getState().copySelection()!);
    clash.blocks[0].nodes[1].params.epsilon = 0.001;
    expect(s().pasteText(JSON.stringify(clash))).toBe(true);
    const renamed = s().design!.instances!.find((i) => i.id === s().selection[0])!;
    expect(renamed.block).toBe('BasicBlock_2');
    expect(s().flat!.nodes.find((n) => n.id === `${renamed.id}.0.bn1`)!.params.epsilon).toBe(0.001);
    expect(s().flat!.nodes.find((n) => n.id === 'layer1.0.bn1')!.params.epsilon).toBe(1e-5);
  });

  it('a share link carries the blocks, and a link saved before blocks (version 1) still opens', () => {
    const withBlocks = parseDesign(resnet18WithBlocks());
    if (!withBlocks.ok) throw new Error('fixture');
    const back = designFromHash(designToHash(withBlocks.design));
    expect(back.ok && back.design).toEqual(withBlocks.design);
    const v1 = { ...JSON.parse(serializeDesign(loadTemplate('lenet-5.json'))), version: 1 };
    const old = designFromHash(designToHash(v1 as never));
    expect(old.ok && old.design).toEqual(loadTemplate('lenet-5.json'));
  });

  it('editing a layer of a definition changes every instance in one undo step', async () => {
    const store = await storeWith(resnet18WithBlocks());
    const s = () => store.getState();
    const before = s().inference!.totals.trainableParams;
    const steps = store.temporal.getState().pastStates.length;
    s().updateBlockLayerParams('BasicBlock', 'conv2', { use_bias: true });
    expect(store.temporal.getState().pastStates.length).toBe(steps + 1);
    // One bias per conv2 output channel, in every copy of every stage.
    const conv2 = [...s().inference!.nodes.values()].filter((n) => n.id.endsWith('.conv2'));
    expect(conv2).toHaveLength(8);
    const biases = conv2.reduce((a, n) => a + n.outputShape![2]!, 0);
    expect(s().inference!.totals.trainableParams).toBe(before + biases);
    s().undo();
    expect(s().inference!.totals.trainableParams).toBe(before);
  });

  it('tidy up lays collapsed blocks out with the layers, each on its own row of the chain', async () => {
    const store = await storeWith(JSON.parse(serializeDesign(loadTemplate('mnist-cnn.json'))));
    const s = () => store.getState();
    s().select(['conv2', 'pool2']);
    expect(s().groupSelection()).toBe(true);
    await s().autoLayout();
    const rows = [...s().design!.nodes, ...s().design!.instances!].map((e) => e.position.y);
    expect(new Set(rows).size).toBe(rows.length);
    const block = s().design!.instances![0].position.y;
    const y = (id: string) => s().design!.nodes.find((n) => n.id === id)!.position.y;
    expect(y('pool1') < block && block < y('flatten')).toBe(true);
  });

  it('focusing a layer inside a block (a problem in the status bar) selects and shows its block', async () => {
    const store = await storeWith(resnet18WithBlocks());
    store.getState().focusNode('layer3.1.conv2');
    expect(store.getState().selection).toEqual(['layer3']);
    expect(store.getState().focus?.nodeId).toBe('layer3');
    store.getState().focusNode('fc');
    expect(store.getState().selection).toEqual(['fc']);
  });
});

describe('folding an unfolded block back from its frame', () => {
  it('unfold then fold is one undo step each and gives back the instance; after an edit, fold is refused with a notice and changes nothing', async () => {
    const store = await storeWith(JSON.parse(serializeDesign(loadTemplateDocument('resnet-50.json'))));
    const s = () => store.getState();
    const folded = s().design!;
    s().expandBlock('layer2');
    expect(s().design!.instances!.map((i) => i.id)).not.toContain('layer2');
    const steps = store.temporal.getState().pastStates.length;
    s().foldFrame('layer2');
    expect(store.temporal.getState().pastStates.length).toBe(steps + 1);
    expect(s().design!.instances!.find((i) => i.id === 'layer2')).toMatchObject({ block: 'Bottleneck', repeat: 4 });
    expect(s().selection).toEqual(['layer2']);
    expect(flattenDesign(s().design!).nodes.map((n) => [n.id, n.params]).sort()).toEqual(flattenDesign(folded).nodes.map((n) => [n.id, n.params]).sort());

    s().undo();
    s().updateNodeParams('layer2.1.conv2', { kernel_size: [5, 5] });
    const edited = s().design;
    s().foldFrame('layer2');
    expect(s().design).toBe(edited);
    expect(s().notice?.issue.code).toBe('refold-edited');
  });
});
