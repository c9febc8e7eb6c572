import { describe, expect, it } from 'vitest';
import { BENCH_MODELS, modelsFromArgs } from './bench-models.ts';

describe('bench:train --model', () => {
  it('runs every model without the flag or with all, one model when named, lenet5 as an alias', () => {
    expect(modelsFromArgs([])).toEqual(BENCH_MODELS);
    expect(modelsFromArgs(['--no-build', '--model', 'all'])).toEqual(BENCH_MODELS);
    expect(modelsFromArgs(['--model', 'lenet5'])).toEqual(['lenet-5']);
    expect(modelsFromArgs(['--model', 'ResNet18-CIFAR'])).toEqual(['resnet18-cifar']);
  });

  it('names the models it knows when given one it does not, or none', () => {
    expect(() => modelsFromArgs(['--model', 'vgg16'])).toThrow(/--model vgg16: expected one of all, lenet5, lenet-5, resnet18-cifar/);
    expect(() => modelsFromArgs(['--model'])).toThrow(/--model \(missing\)/);
  });
});
