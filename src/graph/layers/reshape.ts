import { defineLayer } from '../layer-spec.ts';
import { MAX_SIZE } from '../params.ts';
import { elementCount, formatShape } from '../shape-math.ts';
import { toChannelsFirstExpr, toChannelsLastExpr } from './shared/torch-common.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    Reshape: true;
  }
}

export const reshape = defineLayer({
  kind: 'Reshape',
  category: 'reshape',
  title: { en: 'Reshape', es: 'Reshape (reformar)' },
  doc: {
    en: 'Rearranges the same values into a new shape; the number of values must not change.',
    es: 'Reordena los mismos valores en una forma nueva; el número de valores no debe cambiar.',
  },
  params: {
    target_shape: {
      type: 'ints',
      default: [-1],
      minLength: 1,
      maxLength: 3,
      min: 1,
      max: MAX_SIZE,
      allowMinusOne: true,
      doc: {
        en: 'New shape without the batch; one entry may be -1 (computed from the rest).',
        es: 'Forma nueva sin el lote; una entrada puede ser -1 (se calcula a partir del resto).',
      },
    },
  },
  accepts: 'any',
  window: null,
  explainSize: null,
  field: 'whole',
  flow: { keepsHead: true, keepsChannels: false, orderBlind: false, channelsParam: null, linear: 'always' },
  inputs: { min: 1, max: 1 },
  summary: (p) => `[${p.target_shape.join(', ')}]`,
  outputShape: ({ name, nodeId, params: p, inputs: [x] }) => {
    const target = p.target_shape;
    const free = target.filter((d) => d === -1).length;
    if (free > 1) {
      return {
        shape: null,
        issues: [{ severity: 'error', code: 'reshape-one-free', nodeId, param: 'target_shape', values: { node: name, target: `[${target.join(', ')}]` } }],
      };
    }
    const inCount = elementCount(x);
    const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (inCount === null) return { shape: target.map((d) => (d === -1 ? null : d)) };
    const fits = free === 1 ? inCount % known === 0 : inCount === known;
    if (!fits) {
      return {
        shape: null,
        issues: [
          {
            severity: 'error',
            code: 'reshape-size',
            nodeId,
            param: 'target_shape',
            values: { node: name, input: formatShape(x), inCount, target: `[${target.join(', ')}]`, outCount: free ? `k×${known}` : known },
          },
        ],
      };
    }
    return { shape: target.map((d) => (d === -1 ? inCount / known : d)) };
  },
  weights: () => [],
  macs: () => 0,
  // Reshape reads channels-last order, as Keras does; 0 keeps the batch, and the −1 is resolved already.
  onnx: ({ params: p }) => ({
    layout: 'channels-last',
    ops: [
      {
        op: 'Reshape',
        // The target as written (its −1 too, which ONNX's Reshape reads alike), so an import gives it back.
        inputs: [{ input: 0 }, { constant: [0, ...p.target_shape], dims: [p.target_shape.length + 1], type: 'int64' }],
      },
    ],
  }),
  keras: ({ params: p }) => [{ className: 'Reshape', config: { target_shape: [...p.target_shape] } }],
  // Keras reshapes the channels-last order: move channels last, reshape, move them first again.
  torch: ({ inputs: [x], output }) => {
    const last = toChannelsLastExpr('{x}', x.length);
    const reshaped = output.length === 1 ? `${last}.flatten(1)` : `${last}.reshape({x}.shape[0], ${output.join(', ')})`;
    return { modules: [], forward: toChannelsFirstExpr(reshaped, output.length), weights: [] };
  },
});
