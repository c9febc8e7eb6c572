import { describe, expect, it } from 'vitest';
import { DesignBuilder } from '../graph/builder.ts';
import { formatFixLabel, formatIssue } from '../graph/messages.ts';
import { loadTemplate } from '../graph/testing/templates.ts';
import { applyFitFix, checkFit, type DataSpec } from './fit-check.ts';
import { FORMAT_VERSION } from '../graph/types.ts';

const digits = (n = 10) => Array.from({ length: n }, (_, i) => String(i));
const MNIST: DataSpec = { name: 'mnist', shape: [28, 28, 1], classes: digits() };
const SHAPES: DataSpec = { name: 'shapes', shape: [28, 28, 1], classes: ['h', 'v', 'd1', 'd2', 'circle', 'plus'] };

describe('checkFit', () => {
  it('passes the beginner templates on MNIST and reads their softmax heads as probabilities', () => {
    for (const file of ['mnist-cnn.json', 'mlp.json']) {
      const fit = checkFit(loadTemplate(file), MNIST);
      expect(fit.issues, file).toEqual([]);
      expect(fit.ok).toBe(true);
      expect(fit.loss).toBe('softmax-probabilities');
      expect(fit.inputLayout).toBe('image');
      expect(fit.outputNodeId).toBe('output');
    }
  });

  it('refuses dilated convolutions, which tfjs cannot train, with a one-click fix to dilation 1', () => {
    const b = new DesignBuilder('t');
    b.chain(b.add('Input', { shape: [28, 28, 1] }), [
      ['Conv2D', { dilation_rate: [2, 2] }, { id: 'dil' }],
      ['Flatten'],
      ['Dense', { units: 10 }],
    ]);
    const design = b.build();
    const fit = checkFit(design, MNIST);
    expect(fit.ok).toBe(false);
    expect(fit.issues.map((i) => formatIssue(i))).toEqual([
      'dil uses dilation 2×2, which TensorFlow.js cannot train (it has no gradient for dilated convolutions); export it to PyTorch to train it, or set dilation to 1',
    ]);
    expect(checkFit(applyFitFix(design, fit.issues[0].fix!), MNIST).issues).toEqual([]);
  });

  it('reads a linear head as logits, with no complaint', () => {
    const b = new DesignBuilder('t');
    b.chain(b.add('Input', { shape: [28, 28, 1] }), [['Flatten'], ['Dense', { units: 10 }]]);
    const fit = checkFit(b.build(), MNIST);
    expect(fit).toMatchObject({ ok: true, loss: 'logits', issues: [] });
  });

  it('offers to set the Input to the images\' shape (LeNet-5 reads 32×32, MNIST is 28×28)', () => {
    const lenet = loadTemplate('lenet-5.json');
    const fit = checkFit(lenet, MNIST);
    expect(fit.ok).toBe(false);
    const issue = fit.issues.find((i) => i.code === 'fit-input-shape')!;
    expect(formatIssue(issue)).toBe('input expects 32×32×1, but the mnist images are 28×28×1');
    expect(formatFixLabel(issue)).toBe('set input to 28×28×1');
    expect(formatFixLabel(issue, 'es')).toBe('poner input en 28×28×1');
    expect(issue.fix).toEqual({ nodeId: 'input', params: { shape: [28, 28, 1] }, label: 'fix-input-shape' });
    const fixed = applyFitFix(lenet, issue.fix!);
    expect(fixed.nodes.find((n) => n.id === 'input')!.params.shape).toEqual([28, 28, 1]);
    expect(lenet.nodes.find((n) => n.id === 'input')!.params.shape).toEqual([32, 32, 1]); // untouched
    expect(checkFit(fixed, MNIST).issues.some((i) => i.code === 'fit-input-shape')).toBe(false);
  });

  it('offers to set the last Dense to one unit per class, through Activation and Dropout after it', () => {
    const b = new DesignBuilder('t');
    b.chain(b.add('Input', { shape: [28, 28, 1] }), [
      ['Flatten'],
      ['Dense', { units: 10 }, { id: 'logits' }],
      ['Activation', { activation: 'softmax' }],
      ['Dropout', { rate: 0.1 }],
    ]);
    const design = b.build();
    const fit = checkFit(design, SHAPES);
    expect(fit.issues.map((i) => i.code)).toEqual(['fit-output-units']);
    const issue = fit.issues[0];
    expect(issue.nodeId).toBe('dropout');
    expect(formatIssue(issue)).toBe('dropout outputs 10 values, but shapes has 6 classes: the last layer needs one unit per class');
    expect(formatFixLabel(issue)).toBe('set the last Dense (logits) to 6 units');
    expect(issue.fix).toEqual({ nodeId: 'logits', params: { units: 6 }, label: 'fix-dense-units' });
    expect(checkFit(applyFitFix(design, issue.fix!), SHAPES)).toMatchObject({ ok: true, issues: [], loss: 'softmax-probabilities' });
  });

  it('fixes an all-convolutional head by its filters (Conv2D → GlobalAvgPool2D)', () => {
    const b = new DesignBuilder('t');
    b.chain(b.add('Input', { shape: [28, 28, 1] }), [['Conv2D', { filters: 10 }, { id: 'head' }], ['GlobalAvgPool2D'], ['Activation', { activation: 'softmax' }]]);
    const issue = checkFit(b.build(), SHAPES).issues[0];
    expect(issue.fix).toEqual({ nodeId: 'head', params: { filters: 6 }, label: 'fix-conv-filters' });
  });

  it('follows the channel count back through any layer that keeps it, to the layer whose parameter sets it', () => {
    const b = new DesignBuilder('t');
    b.chain(b.add('Input', { shape: [28, 28, 1] }), [
      ['Conv2DTranspose', { filters: 10 }, { id: 'up' }],
      ['BatchNorm'],
      ['MaxPool2D'],
      ['GlobalMaxPool2D'],
      ['Dropout', { rate: 0.2 }],
    ]);
    const issue = checkFit(b.build(), SHAPES).issues[0];
    expect(issue.fix).toEqual({ nodeId: 'up', params: { filters: 6 }, label: 'fix-conv-filters' });
    // A Flatten changes the count (H·W·C): there is no single parameter to set behind it.
    const flat = new DesignBuilder('t');
    flat.chain(flat.add('Input', { shape: [28, 28, 1] }), [['Conv2D', { filters: 1, kernel_size: [26, 26] }], ['Flatten'], ['Dense', { units: 10 }], ['Flatten']]);
    expect(checkFit(flat.build(), SHAPES).issues[0].fix).toBeUndefined();
  });

  it('says so, without a one-click fix, when the output is not a vector', () => {
    const b = new DesignBuilder('t');
    b.chain(b.add('Input', { shape: [28, 28, 1] }), [['Conv2D', { filters: 8 }]]);
    const fit = checkFit(b.build(), MNIST);
    const issue = fit.issues.find((i) => i.code === 'fit-output-not-vector')!;
    expect(formatIssue(issue)).toBe(
      'conv2d outputs 26×26×8, but a classifier must end in a vector of 10 scores, one per class: add a Flatten (or GlobalAvgPool2D) and a Dense with 10 units',
    );
    expect(issue.fix).toBeUndefined();
  });

  it('warns about a head that is neither softmax nor linear, offering softmax', () => {
    const b = new DesignBuilder('t');
    b.chain(b.add('Input', { shape: [28, 28, 1] }), [['Flatten'], ['Dense', { units: 10, activation: 'relu' }, { id: 'out' }]]);
    const fit = checkFit(b.build(), MNIST);
    expect(fit.ok).toBe(true); // a warning does not block training
    expect(fit.loss).toBe('logits');
    const issue = fit.issues[0];
    expect(issue).toMatchObject({ severity: 'warning', code: 'fit-head-activation', nodeId: 'out' });
    expect(issue.fix).toEqual({ nodeId: 'out', params: { activation: 'softmax' }, label: 'fix-activation-softmax' });
    expect(formatIssue(issue, 'es')).toBe(
      'out termina en relu; la última capa de un clasificador debe aplicar softmax (probabilidades) o ninguna activación (logits)',
    );
  });

  it('accepts a vector Input of H·W·C values (images flattened), and keeps a wrong vector Input a vector', () => {
    const flat = (n: number) => {
      const b = new DesignBuilder('t');
      b.chain(b.add('Input', { shape: [n] }), [['Dense', { units: 10, activation: 'softmax' }]]);
      return b.build();
    };
    expect(checkFit(flat(784), MNIST)).toMatchObject({ ok: true, inputLayout: 'flat', issues: [] });
    expect(checkFit(flat(100), MNIST).issues[0].fix).toEqual({ nodeId: 'input', params: { shape: [784] }, label: 'fix-input-shape' });
  });

  it('needs exactly one Input and one output', () => {
    const b = new DesignBuilder('t');
    const a = b.add('Input', { shape: [28, 28, 1] });
    const c = b.add('Input', { shape: [28, 28, 1] });
    b.chain(a, [['Flatten'], ['Dense', { units: 10 }]]);
    b.chain(c, [['Flatten'], ['Dense', { units: 10 }]]);
    const codes = checkFit(b.build(), MNIST).issues.map((i) => i.code);
    expect(codes).toContain('fit-input-count');
    expect(codes).toContain('fit-output-count');
    const empty = checkFit({ format: 'netcanvas', version: FORMAT_VERSION, name: 'empty', nodes: [], edges: [] }, MNIST);
    expect(empty.issues.map((i) => i.code)).toEqual(['fit-input-count']);
  });

  it('asks to fix the design\'s own errors first, and a dataset needs two classes', () => {
    const b = new DesignBuilder('t');
    b.chain(b.add('Input', { shape: [4, 4, 1] }), [['Conv2D', { kernel_size: [5, 5] }], ['Flatten'], ['Dense', { units: 1 }]]);
    const codes = checkFit(b.build(), { name: 'one', shape: [4, 4, 1], classes: ['only'] }).issues.map((i) => i.code);
    expect(codes).toContain('fit-design-errors');
    expect(codes).toContain('fit-too-few-classes');
  });

  it('renders every issue it can raise in English and Spanish', () => {
    const designs = [loadTemplate('lenet-5.json'), loadTemplate('resnet-18.json'), loadTemplate('mnist-cnn.json')];
    for (const d of designs) {
      for (const issue of checkFit(d, SHAPES).issues) {
        for (const lang of ['en', 'es'] as const) {
          expect(formatIssue(issue, lang)).not.toMatch(/undefined|NaN/);
          if (issue.fix) expect(formatFixLabel(issue, lang)).not.toMatch(/undefined|NaN/);
        }
      }
    }
  });
});

describe('checkFit: the images as found against the Input', () => {
  const found = { minHeight: 28, maxHeight: 28, minWidth: 28, maxWidth: 28, sizes: 1, color: 0, gray: 60, colorUnknown: 0, unreadable: 0 };

  it('28×28 gray files on LeNet-5 (32×32×1) are said to be stretched, with the Input at 28×28×1 as the fix', () => {
    const fit = checkFit(loadTemplate('lenet-5.json'), { name: 'mine', shape: [32, 32, 1], classes: digits(), found });
    const issue = fit.issues.find((i) => i.code === 'fit-images-resized')!;
    expect(issue.severity).toBe('warning');
    expect(formatIssue(issue)).toMatch(/^The mine images are 28×28; they are stretched to 32×32×1 for /);
    expect(issue.fix?.params).toEqual({ shape: [28, 28, 1] });
    expect(formatFixLabel(issue)).toMatch(/to 28×28×1$/);
    expect(fit.ok).toBe(true);
  });

  it('mixed sizes and some colour are described by their spread, with no one-click shape', () => {
    const mixed = { minHeight: 20, maxHeight: 48, minWidth: 20, maxWidth: 64, sizes: 7, color: 12, gray: 48, colorUnknown: 0, unreadable: 0 };
    const fit = checkFit(loadTemplate('mnist-cnn.json'), { ...MNIST, name: 'mixed', found: mixed });
    const issue = fit.issues.find((i) => i.code === 'fit-images-resized')!;
    expect(formatIssue(issue)).toMatch(/^The mixed images are 7 sizes from 20×20 to 48×64, 12 in colour and 48 gray; they are stretched to 28×28×1/);
    expect(formatIssue(issue, 'es')).toMatch(/^Las imágenes de mixed son de 7 tamaños, de 20×20 a 48×64, 12 en color y 48 en gris; se estiran a 28×28×1/);
    expect(issue.fix).toBeUndefined();
  });

  it("images already in the Input's shape raise nothing", () => {
    const fit = checkFit(loadTemplate('mnist-cnn.json'), { ...MNIST, found });
    expect(fit.issues).toEqual([]);
  });
});
