import { defineLayer } from '../layer-spec.ts';
import { pairParam, requireImage, sizeLabel } from './common.ts';

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
  summary: (p) => `×${sizeLabel(p.size)} · ${p.interpolation}`,
  outputShape: ({ name, nodeId, params: p, inputs: [x] }) => {
    const issue = requireImage(name, nodeId, 'UpSampling2D', x);
    if (issue) return { shape: null, issues: [issue] };
    const [h, w, c] = x;
    return { shape: [h === null ? null : h * p.size[0], w === null ? null : w * p.size[1], c] };
  },
  weights: () => [],
  macs: () => 0,
  keras: ({ params: p }) => [{ className: 'UpSampling2D', config: { size: [...p.size], interpolation: p.interpolation } }],
});
