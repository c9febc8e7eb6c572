import { describe, expect, it } from 'vitest';
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
    expect(mnist).toEqual({ file: 'mnist-cnn.json', name: 'MNIST CNN', description: 'small', level: 'beginner' });
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
