import { afterEach, describe, expect, it, vi } from 'vitest';
import { DesignBuilder, InferenceSession, inferShapes, serializeDesign } from '../graph/index.ts';
import { createAppStore, UNDO_LIMIT, type AppStore } from './app-store.ts';
import { overlappingPairs } from '../graph/layout-box.ts';

function lenetish() {
  const b = new DesignBuilder('LeNet-ish');
  const x = b.add('Input', { shape: [28, 28, 1] }, [], { id: 'in' });
  b.chain(x, [
    ['Conv2D', { filters: 6, kernel_size: [5, 5] }, { id: 'conv' }],
    ['MaxPool2D', {}, { id: 'pool' }],
    ['Flatten', {}, { id: 'flat' }],
    ['Dense', { units: 10, activation: 'softmax' }, { id: 'out' }],
  ]);
  return b.build();
}

async function storeWithDesign(): Promise<AppStore> {
  const store = createAppStore({ lang: 'en', catalogue: [{ file: 'd.json', name: 'd' }], loaderFor: () => async () => JSON.parse(serializeDesign(lenetish())) });
  await store.getState().loadTemplate('d.json');
  return store;
}

const shapeOf = (store: AppStore, id: string) => store.getState().inference!.nodes.get(id)?.outputShape;

afterEach(() => vi.restoreAllMocks());

describe('editor commands', () => {
  it('runs inference exactly once per edit, and never for selection, moves excepted', async () => {
    const store = await storeWithDesign();
    const update = vi.spyOn(InferenceSession.prototype, 'update');
    store.getState().updateNodeParams('conv', { kernel_size: [3, 3] });
    expect(update).toHaveBeenCalledTimes(1);
    expect(shapeOf(store, 'pool')).toEqual([13, 13, 6]);
    store.getState().select(['conv', 'pool']);
    store.getState().focusNode('pool');
    expect(update).toHaveBeenCalledTimes(1);
    store.getState().addLayer('BatchNorm', { after: 'conv' });
    expect(update).toHaveBeenCalledTimes(2);
    store.getState().undo();
    store.getState().redo();
    expect(update).toHaveBeenCalledTimes(2);
  });

  it('the inference on the store always equals a from-scratch inference of the design on the store', async () => {
    const store = await storeWithDesign();
    const s = () => store.getState();
    const check = () => expect(s().inference!.totals).toEqual(inferShapes(s().design!).totals);
    s().updateNodeParams('conv', { kernel_size: [7, 7] });
    check();
    const id = s().addLayer('Conv2D', { after: 'pool' })!;
    check();
    s().connect('in', id);
    check();
    s().removeElements([id]);
    check();
    s().undo();
    check();
    s().undo();
    check();
    s().redo();
    check();
  });

  it('starts a Conv2D or Dense placed by hand with ReLU, and a linear stack made by hand is one click from fixed', async () => {
    const store = await storeWithDesign();
    const s = () => store.getState();
    const conv = s().addLayer('Conv2D', { after: 'conv' })!;
    const pool = s().addLayer('BatchNorm', { after: conv })!;
    const param = (id: string, name: string) => s().design!.nodes.find((n) => n.id === id)!.params[name];
    expect(param(conv, 'activation')).toBe('relu');
    expect(param(pool, 'activation')).toBeUndefined();
    const dense = s().addLayer('Dense', { after: 'flat' })!;
    expect(param(dense, 'activation')).toBe('relu');
    s().updateNodeParams(dense, { activation: 'linear' });
    s().updateNodeParams('out', { activation: 'linear' });
    const issue = s().inference!.nodes.get(dense)!.issues.find((i) => i.code === 'linear-stack')!;
    expect(issue.values.nodes).toBe(`${dense} → out`);
    s().applyFix(dense, issue.fix!);
    expect(param(dense, 'activation')).toBe('relu');
    expect(s().inference!.totals.warnings).toBe(inferShapes(s().design!).totals.warnings);
    expect([...s().inference!.nodes.values()].some((n) => n.issues.some((i) => i.code === 'linear-stack'))).toBe(false);
  });

  it('undoes and redoes more than a hundred edits, step by step, back to the opened design', async () => {
    const store = await storeWithDesign();
    const opened = store.getState().design;
    const designs = [opened];
    for (let i = 0; i < 150; i++) {
      store.getState().updateNodeParams('out', { units: 11 + i });
      designs.push(store.getState().design);
    }
    expect(UNDO_LIMIT).toBeGreaterThanOrEqual(150);
    for (let i = 149; i >= 0; i--) {
      store.getState().undo();
      expect(store.getState().design).toBe(designs[i]);
    }
    expect(store.getState().design).toBe(opened);
    for (let i = 1; i <= 150; i++) {
      store.getState().redo();
      expect(store.getState().design).toBe(designs[i]);
    }
    expect(store.getState().inference!.nodes.get('out')!.outputShape).toEqual([160]);
  });

  it('a drag is one undo step and a selection is none', async () => {
    const store = await storeWithDesign();
    const before = store.getState().design;
    const past = () => store.temporal.getState().pastStates.length;
    const n = past();
    store.getState().select(['conv']);
    store.getState().select(['conv', 'pool']);
    expect(past()).toBe(n);
    store.getState().moveNodes(new Map([['conv', { x: 500, y: 20 }], ['pool', { x: 500, y: 140 }]]));
    expect(past()).toBe(n + 1);
    store.getState().undo();
    expect(store.getState().design).toBe(before);
    expect(store.getState().selection).toEqual(['conv', 'pool']);
  });

  it('a refused connection is a notice with the reason, and the design is unchanged', async () => {
    const store = await storeWithDesign();
    const before = store.getState().design;
    expect(store.getState().connect('out', 'conv')).toBe(false);
    expect(store.getState().notice?.issue.code).toBe('connect-cycle');
    expect(store.getState().connect('in', 'pool')).toBe(false);
    expect(store.getState().notice?.issue.code).toBe('connect-occupied');
    expect(store.getState().design).toBe(before);
  });

  it('copy then paste adds fresh layers and selects them; a bad paste is a notice and changes nothing', async () => {
    const store = await storeWithDesign();
    store.getState().select(['conv', 'pool']);
    const text = store.getState().copySelection()!;
    expect(store.getState().pasteText(text)).toBe(true);
    const s = store.getState();
    expect(s.design!.nodes).toHaveLength(7);
    expect(s.selection).toHaveLength(2);
    expect(s.selection.every((id) => !['conv', 'pool'].includes(id))).toBe(true);
    const at = (id: string) => store.getState().design!.nodes.find((n) => n.id === id)!.position;
    const firstCopy = at(s.selection[0]);
    store.getState().pasteText(text);
    const secondCopy = at(store.getState().selection[0]);
    expect(secondCopy.x - firstCopy.x).toBe(40);
    expect(secondCopy.y - firstCopy.y).toBe(40);
    const before = store.getState().design;
    expect(store.getState().pasteText('https://example.com/not-json')).toBe(false);
    expect(store.getState().notice?.issue.code).toBe('paste-not-design');
    expect(store.getState().design).toBe(before);
  });

  it('edits that change the model wait while a run is active; moves and selection do not', async () => {
    const store = await storeWithDesign();
    const stop = vi.fn();
    store.getState().setRunActive(true, stop);
    const before = store.getState().design;
    store.getState().addLayer('Dropout', { after: 'flat' });
    expect(store.getState().design).toBe(before);
    expect(store.getState().pendingEdit?.description).toContain('Dropout');
    store.getState().moveNodes(new Map([['conv', { x: 9, y: 9 }]]));
    expect(store.getState().design).not.toBe(before);
    await store.getState().confirmPendingEdit();
    expect(stop).toHaveBeenCalledOnce();
    expect(store.getState().design!.nodes.some((n) => n.kind === 'Dropout')).toBe(true);
  });

  it('a one-click fix applies in one step and undo brings the problem back', async () => {
    const store = await storeWithDesign();
    store.getState().removeElements(['flat']);
    store.getState().connect('pool', 'out');
    const issue = store.getState().inference!.nodes.get('out')!.issues.find((i) => i.fix)!;
    store.getState().applyFix('out', issue.fix!);
    expect(shapeOf(store, 'out')).toEqual([10]);
    store.getState().undo();
    expect(shapeOf(store, 'out')).toEqual([12, 12, 10]);
  });

  it('tidy up gives each layer the height the canvas measured, says it is busy, and drops its layout if the user edits meanwhile', async () => {
    const store = await storeWithDesign();
    const s = () => store.getState();
    const tall = new Map(s().design!.nodes.map((n) => [n.id, { width: 210, height: 300 }]));
    const running = s().autoLayout(tall);
    expect(s().tidying).toBe(true);
    await running;
    expect(s().tidying).toBe(false);
    const rects = new Map(s().design!.nodes.map((n) => [n.id, { ...n.position, width: 210, height: 300 }]));
    expect(overlappingPairs(rects)).toEqual([]);

    const before = s().design!.nodes.map((n) => n.position);
    const again = s().autoLayout(new Map(s().design!.nodes.map((n) => [n.id, { width: 210, height: 900 }])));
    s().setNodeLabel('conv', 'edited while tidying');
    await again;
    expect(s().design!.nodes.map((n) => n.position)).toEqual(before);
    expect(s().design!.nodes.find((n) => n.id === 'conv')!.label).toBe('edited while tidying');
  });

  it('auto-layout moves nodes in one undo step without re-inferring shapes', async () => {
    const store = await storeWithDesign();
    const inference = store.getState().inference!;
    await store.getState().autoLayout();
    expect(store.getState().inference!.nodes.get('conv')).toBe(inference.nodes.get('conv'));
    store.getState().undo();
    expect(store.getState().inference).toBe(inference);
  });
});

describe('node notes per language', () => {
  it("writes a layer's or block instance's note in the page's language only, keeps the other's, undoes in one step, and a blank text removes that language", async () => {
    const store = await storeWithDesign();
    const s = () => store.getState();
    const conv = () => s().design!.nodes.find((n) => n.id === 'conv')!;
    const others = s().design!.nodes.filter((n) => n.id !== 'conv');
    s().setNodeNotes('conv', 'Six filters of 5×5');
    s().setLang('es');
    s().setNodeNotes('conv', 'Seis filtros de 5×5');
    expect(conv().notes).toEqual({ en: 'Six filters of 5×5', es: 'Seis filtros de 5×5' });
    // Only the layer written to changes: every other node stays the same object (locks compare by identity).
    expect(s().design!.nodes.filter((n) => n.id !== 'conv').every((n, i) => n === others[i])).toBe(true);
    s().undo();
    expect(conv().notes).toEqual({ en: 'Six filters of 5×5' });
    s().setLang('en');
    s().setNodeNotes('conv', '  ');
    expect('notes' in conv()).toBe(false);
    s().select(['conv', 'pool']);
    expect(s().groupSelection('Stem')).toBe(true);
    const inst = s().design!.instances![0].id;
    s().setNodeNotes(inst, 'The stem');
    expect(s().design!.instances![0].notes).toEqual({ en: 'The stem' });
    const def = s().design!.instances![0].block;
    s().setBlockNotes(def, 'Conv and pool');
    s().setLang('es');
    s().setBlockNotes(def, 'Conv y pooling');
    expect(s().design!.blocks![0].notes).toEqual({ en: 'Conv and pool', es: 'Conv y pooling' });
    s().setLang('en');
    const before = s().design;
    s().setNodeNotes('nowhere', 'x');
    expect(s().design).toBe(before);
  });
});
