import { describe, expect, it } from 'vitest';
import { DesignBuilder } from './builder.ts';
import { inferShapes } from './infer.ts';
import type { AnyLayerSpec } from './layer-spec.ts';
import { LAYER_KINDS, layerSpec } from './layers/index.ts';
import { windowOutput } from './layers/shared/common.ts';
import { formatIssue, type Issue } from './messages.ts';
import { checkParam, defaultParams } from './params.ts';
import type { LayerKind, ParamValue, Shape } from './types.ts';

/**
 * Inputs each kind must accept with default parameters, from what its spec declares: none for Input; an
 * image for image layers; a vector and an image for layers of any rank; as many copies as it needs.
 */
function inputCases(spec: AnyLayerSpec): Shape[][] {
  if (spec.inputs.max === 0) return [[]];
  const shapes: Shape[] = spec.accepts === 'image' ? [[9, 9, 4]] : [[12], [9, 9, 4]];
  return shapes.map((shape) => new Array<Shape>(Math.max(spec.inputs.min, 1)).fill(shape));
}

const CASES = LAYER_KINDS.flatMap((kind) => inputCases(layerSpec(kind)).map((inputs) => [kind, inputs] as const));

describe.each(CASES)('layer contract: %s on %j', (kind, inputs) => {
  const spec = layerSpec(kind);
  const params = defaultParams(spec.params);

  it('is registered under its own kind, with titles and docs in English and Spanish', () => {
    expect(spec.kind).toBe(kind);
    for (const text of [spec.title, spec.doc]) {
      expect(text.en.trim().length).toBeGreaterThan(0);
      expect(text.es.trim().length).toBeGreaterThan(0);
    }
  });

  it('declares every parameter with a valid default and a doc in both languages', () => {
    for (const [name, p] of Object.entries(spec.params)) {
      expect(checkParam(kind, kind, name, p, p.default), `${kind}.${name} default`).toBeNull();
      expect(p.doc.en.length, `${kind}.${name} doc.en`).toBeGreaterThan(5);
      expect(p.doc.es.length, `${kind}.${name} doc.es`).toBeGreaterThan(5);
      expect(p.doc.es).not.toBe(p.doc.en);
    }
  });

  it('infers a shape with default parameters, derives params from weights, and maps to Keras', () => {
    const ctx = { name: kind, nodeId: kind, params, inputs };
    const result = spec.outputShape(ctx);
    expect(result.issues?.filter((i: Issue) => i.severity === 'error') ?? []).toEqual([]);
    expect(result.shape).not.toBeNull();
    const sized = { ...ctx, output: result.shape! };
    for (const w of spec.weights(sized)) {
      expect(w.shape.every((d: number) => Number.isInteger(d) && d > 0)).toBe(true);
    }
    const macs = spec.macs(sized);
    expect(macs === null || (Number.isInteger(macs) && macs >= 0)).toBe(true);
    const keras = spec.keras(sized);
    expect(keras.length).toBeGreaterThan(0);
    expect(keras[keras.length - 1].suffix).toBeUndefined();
    for (const layer of keras) expect(layer.className).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    expect(typeof spec.summary(params)).toBe('string');
  });

  it('maps to PyTorch: nn modules, a forward template over its inputs, and a home for every declared weight', () => {
    const ctx = { name: kind, nodeId: kind, params, inputs };
    const sized = { ...ctx, output: spec.outputShape(ctx).shape! };
    const torch = spec.torch(sized);
    const own = torch.modules.filter((m) => !m.suffix);
    const helpers = torch.modules.filter((m) => m.suffix).map((m) => m.suffix!);
    expect(own.length).toBeLessThanOrEqual(1);
    for (const m of torch.modules) expect(m.ctor).toMatch(/^nn\.[A-Z][A-Za-z0-9]*\(.*\)$/);
    for (const suffix of helpers) expect(suffix).toMatch(/^[a-z][a-z0-9_]*$/);
    // Only the template names the exporter fills, each referring to something that exists.
    for (const [, key] of torch.forward.matchAll(/\{([^}]*)\}/g)) {
      expect(key).toMatch(/^(x\d*|xs|m|m\.[a-z_]+)$/);
      if (key.startsWith('m.')) expect(helpers).toContain(key.slice(2));
      if (/^x\d+$/.test(key)) expect(Number(key.slice(1))).toBeLessThan(inputs.length);
    }
    expect(torch.forward.includes('{m}')).toBe(own.length === 1);
    if (kind !== 'Input') expect(torch.forward).toMatch(/\{x/);
    // Each declared weight goes to one place, and its layout change keeps every value.
    const declared = spec.weights(sized);
    expect(torch.weights.map((w) => w.keras).sort()).toEqual(declared.map((w) => w.name).sort());
    for (const w of torch.weights) {
      const count = declared.find((d) => d.name === w.keras)!.shape.reduce((a, b) => a * b, 1);
      let shape = [...declared.find((d) => d.name === w.keras)!.shape];
      if (w.view) shape = [...w.view];
      if (w.perm) {
        expect([...w.perm].sort()).toEqual(shape.map((_, i) => i));
        shape = w.perm.map((i) => shape[i]);
      }
      if (w.reshape) shape = [...w.reshape];
      expect(shape.reduce((a, b) => a * b, 1)).toBe(count);
      if (w.module) expect(helpers).toContain(w.module);
      else expect(own.length).toBe(1);
    }
  });

  it.each(['channels-first', 'channels-last'] as const)(
    'maps to ONNX ops (inputs arriving %s): valid references, every declared weight used once, sizes kept',
    (layout) => {
      const ctx = { name: kind, nodeId: kind, params, inputs };
      const sized = { ...ctx, output: spec.outputShape(ctx).shape! };
      const mapping = spec.onnx({ ...sized, layout });
      expect(['channels-first', 'channels-last', 'any']).toContain(mapping.layout);
      expect(mapping.ops.length > 0).toBe(kind !== 'Input');
      const declared = spec.weights(sized);
      const used: string[] = [];
      mapping.ops.forEach((op, i) => {
        expect(op.op).toMatch(/^[A-Z][A-Za-z]+$/);
        for (const ref of op.inputs) {
          if ('input' in ref) expect(ref.input).toBeLessThan(inputs.length);
          else if ('step' in ref) expect(ref.step).toBeLessThan(i);
          else if ('constant' in ref) expect(ref.constant.length).toBe(ref.dims.reduce((a, b) => a * b, 1));
          else if ('weight' in ref) {
            const w = declared.find((d) => d.name === ref.weight);
            expect(w, `${kind} uses undeclared weight ${ref.weight}`).toBeDefined();
            used.push(ref.weight);
            let shape = [...w!.shape];
            if (ref.perm) {
              expect([...ref.perm].sort()).toEqual(shape.map((_, a) => a));
              shape = ref.perm.map((a) => shape[a]);
            }
            if (ref.reshape) shape = [...ref.reshape];
            expect(shape.reduce((a, b) => a * b, 1)).toBe(w!.shape.reduce((a, b) => a * b, 1));
          }
        }
        for (const value of Object.values(op.attributes ?? {})) {
          if ('int' in value) expect(Number.isInteger(value.int)).toBe(true);
          if ('ints' in value) expect(value.ints.every((v) => Number.isInteger(v))).toBe(true);
        }
      });
      expect(used.sort()).toEqual(declared.map((w) => w.name).sort());
    },
  );
  it('declares traits its own rules bear out: input rank, window, size arithmetic, flow, Keras initialisers', () => {
    const ctx = { name: kind, nodeId: kind, params, inputs };
    const output = spec.outputShape(ctx).shape!;
    const sized = { ...ctx, output };
    const weights = spec.weights(sized);
    // An image layer refuses a vector, by the same code inference reports.
    if (spec.accepts === 'image') {
      const refused = spec.outputShape({ ...ctx, inputs: inputs.map(() => [12]) });
      expect(refused.shape).toBeNull();
      expect((refused.issues ?? []).map((i) => i.code)).toContain('needs-image');
    }
    // The window is the one the shape rule slides.
    if (spec.window) {
      const win = windowOutput(kind, kind, inputs[0], spec.window(params));
      expect([win.h, win.w]).toEqual(output.slice(0, 2));
      expect(spec.explainSize).toBeNull();
    }
    if (spec.explainSize) {
      const steps = spec.explainSize(params, inputs[0]);
      for (const step of steps) expect(step.result, `${kind} ${step.axis}`).toBe(output[step.dim]);
    }
    const { keepsHead, keepsChannels, orderBlind, channelsParam } = spec.flow;
    if (keepsChannels) expect(output.at(-1)).toBe(inputs[0].at(-1));
    if (orderBlind) {
      expect(spec.inputs.max).toBe(1);
      expect(output).toEqual(inputs[0]);
      expect(weights).toEqual([]);
    }
    if (keepsHead) expect([weights, spec.macs(sized)]).toEqual([[], 0]);
    if (channelsParam) {
      expect(spec.params[channelsParam.name]?.type).toBe('int');
      const set = spec.outputShape({ ...ctx, params: { ...params, [channelsParam.name]: 7 } });
      expect(set.shape?.at(-1)).toBe(7);
    }
    // zeroInit (compile.ts) can only zero what the layer holding the weights names.
    const keras = spec.keras(sized);
    if (weights.some((w) => w.trainable)) expect(keras.at(-1)!.initializers, `${kind} initializers`).toBeDefined();
    for (const layer of keras) for (const key of layer.initializers ?? []) expect(key).toMatch(/^[a-z_]+_initializer$/);
  });
});

function single(kind: LayerKind, params: Record<string, ParamValue>, shape: number[]) {
  const b = new DesignBuilder('t');
  const input = b.add('Input', { shape });
  const node = b.add(kind, params, [input], { id: 'x' });
  const result = inferShapes(b.build());
  return result.nodes.get(node)!;
}

describe('layer rules with real numbers', () => {
  it('Conv2D 8×5×5 on 28×28×1: 24×24×8, 208 params, MACs = 24·24·8·25', () => {
    const n = single('Conv2D', { filters: 8, kernel_size: [5, 5] }, [28, 28, 1]);
    expect(n.outputShape).toEqual([24, 24, 8]);
    expect(n.trainableParams).toBe(208);
    expect(n.macs).toBe(24 * 24 * 8 * 25);
    expect(n.activationBytes).toBe(24 * 24 * 8 * 4);
  });

  it('grouped, dilated and explicitly padded convolutions', () => {
    expect(single('Conv2D', { filters: 8, groups: 4, kernel_size: [3, 3] }, [10, 10, 8]).trainableParams).toBe(3 * 3 * 2 * 8 + 8);
    expect(single('Conv2D', { dilation_rate: [2, 2], kernel_size: [3, 3] }, [10, 10, 1]).outputShape).toEqual([6, 6, 8]);
    expect(single('Conv2D', { padding: 'explicit', pads: [3, 3, 3, 3], kernel_size: [7, 7], strides: [2, 2] }, [224, 224, 3]).outputShape).toEqual([
      112, 112, 8,
    ]);
    expect(single('Conv2D', { padding: 'explicit', pads: [0, 1, 2, 0], kernel_size: [3, 3] }, [5, 5, 1]).outputShape).toEqual([4, 5, 8]);
  });

  it("'same' keeps ceil(in/stride) for conv and pooling", () => {
    expect(single('Conv2D', { padding: 'same', strides: [2, 2], kernel_size: [3, 3] }, [7, 7, 3]).outputShape).toEqual([4, 4, 8]);
    expect(single('MaxPool2D', { padding: 'same', pool_size: [3, 3], strides: [2, 2] }, [7, 7, 3]).outputShape).toEqual([4, 4, 3]);
  });

  it('BatchNorm counts 2C trainable and 2C non-trainable parameters like Keras', () => {
    const n = single('BatchNorm', {}, [4, 4, 16]);
    expect([n.trainableParams, n.nonTrainableParams]).toEqual([32, 32]);
    const noScale = single('BatchNorm', { scale: false, center: false }, [4, 4, 16]);
    expect([noScale.trainableParams, noScale.nonTrainableParams]).toEqual([0, 32]);
  });

  it('DepthwiseConv2D and Conv2DTranspose weights', () => {
    const dw = single('DepthwiseConv2D', { depth_multiplier: 2 }, [8, 8, 5]);
    expect(dw.outputShape).toEqual([6, 6, 10]);
    expect(dw.trainableParams).toBe(3 * 3 * 5 * 2 + 10);
    const tr = single('Conv2DTranspose', { filters: 4, strides: [2, 2], padding: 'same' }, [7, 7, 3]);
    expect(tr.outputShape).toEqual([14, 14, 4]);
    expect(tr.trainableParams).toBe(3 * 3 * 3 * 4 + 4);
  });

  it('Reshape infers one -1 and rejects sizes that do not fit', () => {
    expect(single('Reshape', { target_shape: [-1, 4] }, [4, 4, 2]).outputShape).toEqual([8, 4]);
    const bad = single('Reshape', { target_shape: [5, 5] }, [4, 4, 2]);
    expect(bad.outputShape).toBeNull();
    expect(formatIssue(bad.issues[0])).toBe('x: cannot reshape 4×4×2 (32 values) into [5, 5] (25 values)');
  });
});

describe('diagnostics name the node and the numbers', () => {
  it('a 5×5 kernel on a 3×3 map is an error with a one-click fix', () => {
    const n = single('Conv2D', { kernel_size: [5, 5] }, [3, 3, 1]);
    expect(n.outputShape).toBeNull();
    expect(n.issues).toHaveLength(1);
    expect(formatIssue(n.issues[0])).toBe('x: kernel 5×5 is larger than its 3×3 input');
    expect(formatIssue(n.issues[0], 'es')).toBe('x: el kernel 5×5 es mayor que su entrada de 3×3');
    expect(n.issues[0].fix?.params).toEqual({ padding: 'same' });
  });

  it("AlexNet's stride 4 on 224 warns about the unused column", () => {
    const n = single('Conv2D', { filters: 64, kernel_size: [11, 11], strides: [4, 4] }, [224, 224, 3]);
    expect(n.outputShape).toEqual([54, 54, 64]);
    const texts = n.issues.map((i) => formatIssue(i));
    expect(texts).toEqual(['x: stride 4 leaves 1 row of the 224-high input unused', 'x: stride 4 leaves 1 column of the 224-wide input unused']);
    const plural = single('Conv2D', { kernel_size: [5, 5], strides: [4, 1] }, [12, 12, 1]);
    expect(plural.issues.map((i) => formatIssue(i, 'es'))).toEqual(['x: el paso 4 deja sin usar 3 filas de la entrada de 12 de alto']);
    const padded = single('Conv2D', { kernel_size: [11, 11], strides: [4, 4], padding: 'explicit', pads: [2, 2, 2, 2] }, [224, 224, 3]);
    // torchvision pads AlexNet's conv1 by 2: the column no window reaches is padding, not input.
    expect(padded.issues).toEqual([]);
    // Rows: 13 + 1 + 1 − 5 = 10, 10 mod 4 = 2 unreached, of which the bottom pad is 1: one real row lost.
    const onePad = single('Conv2D', { kernel_size: [5, 5], strides: [4, 4], padding: 'explicit', pads: [1, 1, 0, 0] }, [13, 13, 1]);
    expect(onePad.issues.map((i) => formatIssue(i))).toEqual(['x: stride 4 leaves 1 row of the 13-high input unused']);
    // A 1×1 stride-2 shortcut skips every other pixel by design: no warning about the last one.
    expect(single('Conv2D', { kernel_size: [1, 1], strides: [2, 2] }, [56, 56, 64]).issues).toEqual([]);
    expect(single('Conv2D', { kernel_size: [11, 11], strides: [4, 4] }, [227, 227, 3]).issues).toEqual([]);
  });

  it('Add needs equal shapes, and says which', () => {
    const b = new DesignBuilder('t');
    const i = b.add('Input', { shape: [14, 14, 32] });
    const a = b.add('Conv2D', { filters: 64, padding: 'same' }, [i]);
    const c = b.add('Conv2D', { filters: 128, padding: 'same' }, [i]);
    const sum = b.add('Add', {}, [a, c], { id: 'merge' });
    const r = inferShapes(b.build());
    expect(formatIssue(r.nodes.get(sum)!.issues[0])).toBe('merge: Add needs equal shapes: 14×14×64 vs 14×14×128');
    expect(r.nodes.get(a)!.outputShape).toEqual([14, 14, 64]);
  });

  it('strides with dilation, groups that do not divide, images fed to image-only layers', () => {
    expect(single('Conv2D', { strides: [2, 2], dilation_rate: [2, 2] }, [20, 20, 1]).issues[0].code).toBe('stride-and-dilation');
    expect(single('Conv2D', { groups: 3 }, [20, 20, 4]).issues[0].code).toBe('groups-divide');
    expect(formatIssue(single('MaxPool2D', {}, [10]).issues[0])).toBe('x (MaxPool2D) needs an image input H×W×C but receives 10');
  });

  it('out-of-range and wrongly typed parameters are reported on the node', () => {
    const n = single('Dropout', { rate: 1 }, [10]);
    expect(n.issues[0].code).toBe('param-range');
    const t = single('Dense', { units: 'ten' as unknown as number }, [10]);
    expect(formatIssue(t.issues[0])).toBe('x: parameter units must be an integer, got "ten"');
  });
});
