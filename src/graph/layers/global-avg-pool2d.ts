import { defineLayer } from '../layer-spec.ts';
import { requireImage } from './common.ts';

export const globalAvgPool2d = defineLayer({
  kind: 'GlobalAvgPool2D',
  category: 'pooling',
  title: { en: 'GlobalAvgPool2D', es: 'GlobalAvgPool2D' },
  doc: {
    en: 'Averages each channel over the whole map: H×W×C → C (ResNet, MobileNet heads).',
    es: 'Promedia cada canal en todo el mapa: H×W×C → C (cabezas de ResNet y MobileNet).',
  },
  params: {},
  inputs: { min: 1, max: 1 },
  summary: () => '',
  outputShape: ({ name, nodeId, inputs: [x] }) => {
    const shapeIssue = requireImage(name, nodeId, 'GlobalAvgPool2D', x);
    return shapeIssue ? { shape: null, issues: [shapeIssue] } : { shape: [x[2]] };
  },
  weights: () => [],
  macs: () => 0,
  keras: () => [{ className: 'GlobalAveragePooling2D', config: {} }],
});
