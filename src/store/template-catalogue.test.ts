import { describe, expect, it } from 'vitest';
import { inferShapes } from '../graph/index.ts';
import { loadTemplate, readTemplateIndex, templateFileNames } from '../graph/testing/templates.ts';
import { buildCatalogue, defaultTemplate } from './template-catalogue.ts';

const index = [
  { file: 'mnist-cnn.json', name: 'MNIST CNN', description: 'small', level: 'beginner' },
  { file: 'gone.json', name: 'Listed but missing' },
  { file: 'lenet-5.json', name: 'LeNet-5', level: 'classic' },
  { name: 'no file field' },
];

describe('buildCatalogue', () => {
  it('orders by index.json, drops listed files that do not exist and appends unlisted files by name', () => {
    const files = ['../../templates/zeta.json', '../../templates/lenet-5.json', '../../templates/mnist-cnn.json', '../../templates/alpha.json'];
    expect(buildCatalogue(files, index).map((e) => e.file)).toEqual(['mnist-cnn.json', 'lenet-5.json', 'alpha.json', 'zeta.json']);
  });

  it('never lists index.json itself and survives a missing or malformed index', () => {
    const files = ['templates/index.json', 'templates/b.json', 'templates/a.json'];
    expect(buildCatalogue(files, undefined)).toEqual([
      { file: 'a.json', name: 'a' },
      { file: 'b.json', name: 'b' },
    ]);
    expect(buildCatalogue(files, { not: 'a list' }).map((e) => e.file)).toEqual(['a.json', 'b.json']);
  });

  it('keeps the description and level from the index', () => {
    const [mnist] = buildCatalogue(['mnist-cnn.json'], index);
    // An index written before texts were per language holds plain strings: they are the English texts.
    expect(mnist).toEqual({ file: 'mnist-cnn.json', name: 'MNIST CNN', description: { en: 'small' }, level: 'beginner' });
  });
});

describe('gallery fields', () => {
  it('keeps notes and totals from the index and drops values of the wrong type', () => {
    const [entry] = buildCatalogue(['x.json'], [
      { file: 'x.json', name: 'X', notes: 'read me', layers: 3, params: 'many', macs: -1, input: [28, 28, 'one'] },
    ]);
    expect(entry).toEqual({ file: 'x.json', name: 'X', notes: { en: 'read me' }, layers: 3 });
    const [texts] = buildCatalogue(['x.json'], [{ file: 'x.json', name: 'X', notes: { en: 'a', es: 7, fr: '' }, description: [] }]);
    expect(texts).toEqual({ file: 'x.json', name: 'X', notes: { en: 'a' } });
  });

  it('the real index.json carries each template\'s own notes, layer count, parameters, MACs and input shape', () => {
    const catalogue = buildCatalogue(templateFileNames(), readTemplateIndex());
    expect(catalogue.length).toBeGreaterThan(0);
    for (const entry of catalogue) {
      const design = loadTemplate(entry.file);
      const { totals } = inferShapes(design);
      expect(entry.notes, entry.file).toEqual(design.notes);
      expect(entry.description, entry.file).toEqual(design.description);
      expect(entry.layers, entry.file).toBe(design.nodes.length);
      expect(entry.params, entry.file).toBe(totals.totalParams);
      expect(entry.macs, entry.file).toBe(totals.macs);
      expect(entry.input, entry.file).toEqual(design.nodes.find((n) => n.kind === 'Input')?.params.shape);
    }
  });
});

describe('defaultTemplate', () => {
  it('prefers the MNIST CNN, then LeNet-5, then the first entry', () => {
    expect(defaultTemplate(buildCatalogue(['a.json', 'lenet-5.json', 'mnist-cnn.json'], []))?.file).toBe('mnist-cnn.json');
    expect(defaultTemplate(buildCatalogue(['a.json', 'lenet-5.json'], []))?.file).toBe('lenet-5.json');
    expect(defaultTemplate(buildCatalogue(['b.json', 'a.json'], []))?.file).toBe('a.json');
    expect(defaultTemplate([])).toBeUndefined();
  });
});
