import { describe, expect, it } from 'vitest';
import { DesignBuilder, inferShapes } from '../graph/index.ts';
import { preferredLang } from './i18n.ts';
import { layerRows, shapeText } from './layer-rows.ts';

describe('layerRows', () => {
  const b = new DesignBuilder('Rows');
  b.add('Input', { shape: [28, 28, 1] }, [], { id: 'in' });
  b.add('Conv2D', { filters: 8, kernel_size: [5, 5], activation: 'relu' }, ['in'], { id: 'conv', label: 'First conv' });
  b.add('Conv2D', { filters: 4, kernel_size: [30, 30] }, ['conv'], { id: 'big' });
  b.add('Flatten', {}, ['big'], { id: 'after' });
  const design = b.build();
  const inference = inferShapes(design);

  it('gives one row per node in data-flow order with the inferred numbers', () => {
    const rows = layerRows(design, inference, false);
    expect(rows.map((r) => r.id)).toEqual(inference.order);
    const conv = rows.find((r) => r.id === 'conv')!;
    const inferred = inference.nodes.get('conv')!;
    expect(conv).toMatchObject({ name: 'First conv', kind: 'Conv2D', shape: '24×24×8', trainableParams: inferred.trainableParams, macs: inferred.macs });
    expect(conv.settings).not.toBe('');
  });

  it('leaves a broken node and everything behind it unsized, with the error on the broken one', () => {
    const rows = layerRows(design, inference, false);
    const big = rows.find((r) => r.id === 'big')!;
    expect(big).toMatchObject({ shape: null, trainableParams: null, hasError: true });
    expect(big.issues.map((i) => i.code)).toContain('kernel-too-large');
    expect(rows.find((r) => r.id === 'after')).toMatchObject({ shape: null, hasError: false });
    expect(rows.find((r) => r.id === 'in')?.shape).toBe('28×28×1');
  });

  it('shows PyTorch channels-first shapes on request', () => {
    expect(layerRows(design, inference, true).find((r) => r.id === 'conv')?.shape).toBe('[8, 24, 24]');
    expect(shapeText([10], true)).toBe('[10]');
    expect(shapeText([null, 4, 3], true)).toBe('[3, ?, 4]');
    expect(shapeText(null, true)).toBeNull();
  });
});

describe('page language', () => {
  it('picks Spanish or English from the browser languages, else English', () => {
    expect(preferredLang(['es-MX', 'en'])).toBe('es');
    expect(preferredLang(['de-DE', 'es'])).toBe('es');
    expect(preferredLang(['fr'])).toBe('en');
    expect(preferredLang(undefined)).toBe('en');
  });
});
