import { defineLayer } from '../layer-spec.ts';
import { kerasPads, padsParam, requireImage } from './shared/common.ts';
import { pyTuple } from './shared/torch-common.ts';
import { zeroPadOp } from './shared/onnx-common.ts';
import { AXES, knownImageSize } from './shared/size-steps.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    ZeroPadding2D: true;
  }
}

export const zeroPadding2d = defineLayer({
  kind: 'ZeroPadding2D',
  category: 'reshape',
  title: { en: 'ZeroPadding2D', es: 'ZeroPadding2D (relleno)' },
  doc: {
    en: 'Surrounds the image with rows and columns of zeros.',
    es: 'Rodea la imagen de filas y columnas de ceros.',
  },
  params: {
    padding: {
      ...padsParam,
      default: [1, 1, 1, 1],
      doc: { en: 'Zeros added [top, bottom, left, right].', es: 'Ceros añadidos [arriba, abajo, izquierda, derecha].' },
    },
  },
  inputs: { min: 1, max: 1 },
  accepts: 'image',
  window: null,
  explainSize: (p, x) => {
    const size = knownImageSize(x);
    if (!size) return [];
    return AXES.map(({ axis, lo, hi }, a) => {
      const [before, after] = [p.padding[a * 2], p.padding[a * 2 + 1]];
      const result = size[a] + before + after;
      return { axis, dim: a, rule: `out = in + p_${lo} + p_${hi}`, formula: `out = ${size[a]} + ${before} + ${after} = ${result}`, result };
    });
  },
  field: {
    // Output position o is input position o − p_before; the padding itself reads nothing.
    spread: (p) => [
      { kernel: 1, stride: 1, before: -p.padding[0] },
      { kernel: 1, stride: 1, before: -p.padding[2] },
    ],
  },
  paddedEdges: (p) => p.padding,
  flow: { keepsHead: false, keepsChannels: true, orderBlind: false, channelsParam: null, linear: 'always' },
  summary: (p) => `[${p.padding.join(', ')}]`,
  outputShape: ({ name, nodeId, params: p, inputs: [x] }) => {
    const issue = requireImage(name, nodeId, 'ZeroPadding2D', x);
    if (issue) return { shape: null, issues: [issue] };
    const [h, w, c] = x;
    return {
      shape: [h === null ? null : h + p.padding[0] + p.padding[1], w === null ? null : w + p.padding[2] + p.padding[3], c],
    };
  },
  weights: () => [],
  macs: () => 0,
  onnx: ({ params: p }) => {
    const [top, bottom, left, right] = p.padding;
    return { layout: 'channels-first', ops: [zeroPadOp({ input: 0 }, [top, left, bottom, right])] };
  },
  keras: ({ params: p }) => [{ className: 'ZeroPadding2D', config: { padding: kerasPads(p.padding) } }],
  torch: ({ params: p }) => ({
    modules: [{ ctor: `nn.ZeroPad2d(${pyTuple([p.padding[2], p.padding[3], p.padding[0], p.padding[1]])})` }],
    forward: '{m}({x})',
    weights: [],
  }),
});
