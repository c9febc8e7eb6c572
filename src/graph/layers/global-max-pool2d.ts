import { defineLayer } from '../layer-spec.ts';
import { requireImage } from './common.ts';

export const globalMaxPool2d = defineLayer({
  kind: 'GlobalMaxPool2D',
  category: 'pooling',
  title: { en: 'GlobalMaxPool2D', es: 'GlobalMaxPool2D' },
  doc: {
    en: 'Keeps the largest value of each channel over the whole map: H×W×C → C.',
    es: 'Conserva el mayor valor de cada canal en todo el mapa: H×W×C → C.',
  },
  params: {},
  inputs: { min: 1, max: 1 },
  summary: () => '',
  outputShape: ({ name, nodeId, inputs: [x] }) => {
    const shapeIssue = requireImage(name, nodeId, 'GlobalMaxPool2D', x);
    return shapeIssue ? { shape: null, issues: [shapeIssue] } : { shape: [x[2]] };
  },
  weights: () => [],
  macs: () => 0,
  keras: () => [{ className: 'GlobalMaxPooling2D', config: {} }],
});
