import { defineLayer, type FieldSpread } from '../layer-spec.ts';
import { pairParam, requireImage, sizeLabel } from './shared/common.ts';
import { AXES, knownImageSize } from './shared/size-steps.ts';
import { pyTuple } from './shared/torch-common.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    UpSampling2D: true;
  }
}

/**
 * One output phase of half-pixel-centre bilinear up-sampling along an axis by an integer factor f: output
 * f·i + r sits at input coordinate i + (2r + 1 − f)/(2f), so it is (1 − weight)·x[i] + weight·x[i + side],
 * the neighbour clamped to the edge. This is what PyTorch's `align_corners=False`, Keras 3's bilinear
 * UpSampling2D and ONNX's `half_pixel` Resize compute, and what the app trains with.
 */
export interface BilinearPhase {
  /** Which neighbour the phase leans towards: −1 the previous pixel, +1 the next (0: the pixel itself). */
  readonly side: -1 | 0 | 1;
  /** The neighbour's weight, in [0, ½). */
  readonly weight: number;
}

/** The f phases of half-pixel-centre bilinear up-sampling by the factor f along one axis. */
export function bilinearPhases(f: number): BilinearPhase[] {
  return Array.from({ length: f }, (_, r) => {
    const offset = (2 * r + 1 - f) / (2 * f);
    return { side: offset < 0 ? -1 : offset > 0 ? 1 : 0, weight: Math.abs(offset) };
  });
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
      doc: {
        en: 'How new pixels are filled. Bilinear uses half-pixel centres (output pixel o reads input (o + ½)/f − ½, edges clamped): what PyTorch computes with align_corners=False, Keras 3 with interpolation="bilinear" and ONNX Resize with half_pixel.',
        es: 'Cómo se rellenan los píxeles nuevos. Bilinear usa centros de medio píxel (el píxel de salida o lee la entrada (o + ½)/f − ½, bordes fijados): lo que calcula PyTorch con align_corners=False, Keras 3 con interpolation="bilinear" y ONNX Resize con half_pixel.',
      },
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
    // Nearest repeats pixel ⌊o/f⌋. Bilinear (half-pixel centres) gives input m a non-zero weight on the
    // outputs whose coordinate (o + ½)/f − ½ lies strictly within 1 of m: o from f·m − ⌊f/2⌋ on, 2f − 1
    // of them for an odd f (the middle phase copies), 2f for an even f.
    spread: (p) => [0, 1].map((a) => {
      const f = p.size[a];
      return p.interpolation === 'nearest' ? { kernel: f, stride: f, before: 0 } : { kernel: 2 * f - (f % 2), stride: f, before: Math.floor(f / 2) };
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
  // Nearest: ONNX's 'asymmetric' coordinates rounded down repeat pixels, as tfjs does; bilinear: the
  // half-pixel centres the app computes (see bilinearPhases).
  onnx: ({ params: p }) => ({
    layout: 'channels-first',
    ops: [
      {
        op: 'Resize',
        inputs: [{ input: 0 }, { absent: true }, { constant: [1, 1, ...p.size], dims: [4], type: 'float' }],
        attributes: {
          mode: { string: p.interpolation === 'bilinear' ? 'linear' : 'nearest' },
          coordinate_transformation_mode: { string: p.interpolation === 'bilinear' ? 'half_pixel' : 'asymmetric' },
          nearest_mode: { string: 'floor' },
        },
      },
    ],
  }),
  keras: ({ params: p }) => [{ className: 'UpSampling2D', config: { size: [...p.size], interpolation: p.interpolation } }],
  // The app's bilinear is half-pixel centred, which is PyTorch's align_corners=False.
  torch: ({ params: p }) => {
    const mode = p.interpolation === 'nearest' ? 'mode="nearest"' : 'mode="bilinear", align_corners=False';
    return { modules: [{ ctor: `nn.Upsample(scale_factor=${pyTuple(p.size)}, ${mode})` }], forward: '{m}({x})', weights: [] };
  },
});
