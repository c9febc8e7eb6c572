import { describe, expect, it } from 'vitest';
import { DesignBuilder, inferShapes, serializeDesign } from '../graph/index.ts';
import { createAppStore, MAX_FILE_MB, type NamedText } from './app-store.ts';
import type { TemplateLoader } from './template-catalogue.ts';
import { netcanvasChunks } from '../graph/netcanvas-file.ts';
import { randomDesignWeights } from '../graph/testing/random-weights.ts';

function tinyDesign() {
  const b = new DesignBuilder('Tiny');
  const input = b.add('Input', { shape: [8, 8, 1] }, [], { id: 'in' });
  b.add('Conv2D', { filters: 2, kernel_size: [3, 3] }, [input], { id: 'conv' });
  return b.build();
}
const tiny = tinyDesign();

function file(name: string, content: string, size = content.length): NamedText {
  return { name, size, text: async () => content };
}

function storeWith(templates: Record<string, TemplateLoader>) {
  return createAppStore({
    lang: 'en',
    catalogue: Object.keys(templates).map((f) => ({ file: f, name: f })),
    loaderFor: (f) => templates[f],
  });
}

describe('app store', () => {
  it('loading a template parses it and stores the inference of exactly that design', async () => {
    const store = storeWith({ 'tiny.json': async () => JSON.parse(serializeDesign(tiny)) });
    await store.getState().loadTemplate('tiny.json');
    const s = store.getState();
    expect(s.problem).toBeNull();
    expect(s.source).toEqual({ type: 'template', file: 'tiny.json' });
    expect(s.design?.name).toBe('Tiny');
    expect(s.inference?.totals).toEqual(inferShapes(s.design!).totals);
    expect(s.loading).toBeNull();
  });

  it('a malformed file reports its issues and keeps the design that was open', async () => {
    const store = storeWith({ 'tiny.json': async () => JSON.parse(serializeDesign(tiny)) });
    await store.getState().loadTemplate('tiny.json');
    const before = store.getState().design;

    await store.getState().openFile(file('bad.json', '{"format": "netcanvas", "version": 99, "nodes": []}'));
    const s = store.getState();
    expect(s.design).toBe(before);
    expect(s.source).toEqual({ type: 'template', file: 'tiny.json' });
    expect(s.problem).toMatchObject({ source: 'bad.json', kind: 'invalid' });
    expect(s.problem?.kind === 'invalid' && s.problem.issues.map((i) => i.code)).toEqual(['file-version-future']);

    store.getState().dismissProblem();
    expect(store.getState().problem).toBeNull();
  });

  it('refuses an oversized file before reading it', async () => {
    const store = storeWith({});
    let read = false;
    await store.getState().openFile({ name: 'huge.json', size: MAX_FILE_MB * 1_000_000 + 1, text: async () => ((read = true), '') });
    expect(read).toBe(false);
    expect(store.getState().problem).toEqual({ source: 'huge.json', kind: 'too-large', limitMb: MAX_FILE_MB });
  });

  it('opens a .netcanvas (by its bytes, whatever its name) with its weights, and refuses a cut one keeping the design', async () => {
    const store = storeWith({});
    const weights = randomDesignWeights(inferShapes(tiny), 4);
    const chunks = netcanvasChunks(tiny, weights) as BlobPart[];
    await store.getState().openFile(new File(chunks, 'renamed.bin'));
    let s = store.getState();
    expect(s.problem).toBeNull();
    expect(s.design).toEqual(tiny);
    expect([...s.weights!.get('conv')!.kernel.data]).toEqual([...weights.get('conv')!.kernel.data]);

    const whole = new Uint8Array(await new Blob(chunks).arrayBuffer());
    await store.getState().openFile(new File([whole.subarray(0, whole.length - 40)], 'cut.netcanvas'));
    s = store.getState();
    expect(s.design).toEqual(tiny);
    expect(s.weights).not.toBeNull();
    expect(s.problem).toMatchObject({ source: 'cut.netcanvas', kind: 'invalid', issues: [{ code: 'container-unreadable' }] });
  });

  it('a valid file replaces the design and clears an earlier problem', async () => {
    const store = storeWith({});
    await store.getState().openFile(file('bad.json', 'not json'));
    await store.getState().openFile(file('tiny.json', serializeDesign(tiny)));
    const s = store.getState();
    expect(s.problem).toBeNull();
    expect(s.source).toEqual({ type: 'file', name: 'tiny.json' });
    expect(s.inference?.nodes.get('conv')?.outputShape).toEqual([6, 6, 2]);
  });

  it('when loads overlap, only the latest one lands', async () => {
    let releaseSlow!: () => void;
    const slow = new Promise<void>((r) => (releaseSlow = r));
    const other = { ...tiny, name: 'Other' };
    const store = storeWith({
      'slow.json': async () => (await slow, JSON.parse(serializeDesign(tiny))),
      'fast.json': async () => JSON.parse(serializeDesign(other)),
    });
    const first = store.getState().loadTemplate('slow.json');
    await store.getState().loadTemplate('fast.json');
    releaseSlow();
    await first;
    expect(store.getState().design?.name).toBe('Other');
  });

  it('a template that fails to load is reported, not thrown', async () => {
    const store = storeWith({ 'x.json': async () => Promise.reject(new Error('network down')) });
    await store.getState().loadTemplate('x.json');
    expect(store.getState().problem).toEqual({ source: 'x.json', kind: 'unreadable', detail: 'network down' });
  });
});
