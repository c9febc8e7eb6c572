import { defineLayer, type FieldSpread } from '../layer-spec.ts';
import { pairParam, requireImage, sizeLabel } from './shared/common.ts';
import { AXES, knownImageSize } from './shared/size-steps.ts';
import { pyTuple } from './shared/torch-common.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    UpSampling2D: true;
  }
}

export const upSampling2d = defineLayer({
  kind: 'UpSampling2D',
  category: 'reshape',
  title: { en: 'UpSampling2D', es: 'UpSampling2D (ampliar)' },
  doc: {
    en: 'Enlarges the image by repeating (nearest) or interpolating (bilinear) pixels; no weights.',
    es: 'Agranda la imagen repitiendo (nearest) o interpolando (bilinear) píxeles; sin pesos.',
  },
  params: {
    size: pairParam(2, 1, { en: 'Factor for height and width.', es: 'Factor para el alto y el ancho.' }),
    interpolation: {
      type: 'choice',
      default: 'nearest',
      options: ['nearest', 'bilinear'],
      doc: { en: 'How new pixels are filled.', es: 'Cómo se rellenan los píxeles nuevos.' },
    },
  },
  inputs: { min: 1, max: 1 },
  accepts: 'image',
  window: null,
  explainSize: (p, x) => {
    const size = knownImageSize(x);
    if (!size) return [];
    return AXES.map(({ axis }, a) => ({
      axis,
      dim: a,
      rule: 'out = in·f',
      formula: `out = ${size[a]}·${p.size[a]} = ${size[a] * p.size[a]}`,
      result: size[a] * p.size[a],
    }));
  },
  field: {
    // Nearest repeats pixel ⌊o/f⌋; bilinear (tfjs: no aligned corners, no half-pixel centres) also
    // weighs pixel ⌊o/f⌋ + 1 by (o mod f)/f, which is zero on the multiples of f.
    spread: (p) => [0, 1].map((a) => {
      const f = p.size[a];
      return p.interpolation === 'nearest' ? { kernel: f, stride: f, before: 0 } : { kernel: 2 * f - 1, stride: f, before: f - 1 };
    }) as [FieldSpread, FieldSpread],
  },
  flow: { keepsHead: false, keepsChannels: true, orderBlind: false, channelsParam: null, linear: 'always' },
  summary: (p) => `×${sizeLabel(p.size)} · ${p.interpolation}`,
  outputShape: ({ name, nodeId, params: p, inputs: [x] }) => {
    const issue = requireImage(name, nodeId, 'UpSampling2D', x);
    if (issue) return { shape: null, issues: [issue] };
    const [h, w, c] = x;
    return { shape: [h === null ? null : h * p.size[0], w === null ? null : w * p.size[1], c] };
  },
  weights: () => [],
  macs: () => 0,
  // tfjs resizes with align_corners = half_pixel_centers = false: ONNX's 'asymmetric' coordinates, and
  // nearest rounds down, so integer factors repeat pixels.
  onnx: ({ params: p }) => ({
    layout: 'channels-first',
    ops: [
      {
        op: 'Resize',
        inputs: [{ input: 0 }, { absent: true }, { constant: [1, 1, ...p.size], dims: [4], type: 'float' }],
        attributes: {
          mode: { string: p.interpolation === 'bilinear' ? 'linear' : 'nearest' },
          coordinate_transformation_mode: { string: 'asymmetric' },
          nearest_mode: { string: 'floor' },
        },
      },
    ],
  }),
  keras: ({ params: p }) => [{ className: 'UpSampling2D', config: { size: [...p.size], interpolation: p.interpolation } }],
  // tfjs resizes bilinearly without half-pixel centres (output pixel o reads input o/size), which no
  // PyTorch mode does directly. It equals align_corners interpolation of the input extended by one
  // replicated row and column, to size·in + 1, with that last row and column cropped off.
  torch: ({ params: p, inputs: [x] }) => {
    if (p.interpolation === 'nearest') {
      return { modules: [{ ctor: `nn.Upsample(scale_factor=${pyTuple(p.size)}, mode="nearest")` }], forward: '{m}({x})', weights: [] };
    }
    const size = [(x[0] as number) * p.size[0] + 1, (x[1] as number) * p.size[1] + 1];
    return {
      modules: [{ ctor: `nn.Upsample(size=${pyTuple(size)}, mode="bilinear", align_corners=True)` }],
      forward: `{m}(F.pad({x}, (0, 1, 0, 1), mode="replicate"))[:, :, :-1, :-1]`,
      weights: [],
      note: "TensorFlow's bilinear resize (no half-pixel centres) = align_corners on the input extended by one edge pixel",
    };
  },
});
