import { defineLayer } from '../layer-spec.ts';
import {
  hasErrors,
  pairParam,
  poolPaddingParam,
  requireImage,
  sizeLabel,
  strideLabel,
  stridesParam,
  windowOutput,
} from './common.ts';

export const avgPool2d = defineLayer({
  kind: 'AvgPool2D',
  category: 'pooling',
  title: { en: 'AvgPool2D', es: 'AvgPool2D' },
  doc: {
    en: 'Averages each window (LeNet-5 used it): shrinks the map smoothly.',
    es: 'Promedia cada ventana (LeNet-5 la usaba): reduce el mapa suavemente.',
  },
  params: {
    pool_size: pairParam(2, 1, {
      en: 'Height and width of each pooling window.',
      es: 'Alto y ancho de cada ventana de agrupación.',
    }),
    strides: stridesParam(2),
    padding: poolPaddingParam,
  },
  inputs: { min: 1, max: 1 },
  summary: (p) => ['avg ' + sizeLabel(p.pool_size), strideLabel(p.strides), p.padding].join(' · '),
  outputShape: ({ name, nodeId, params: p, inputs: [x] }) => {
    const shapeIssue = requireImage(name, nodeId, 'AvgPool2D', x);
    if (shapeIssue) return { shape: null, issues: [shapeIssue] };
    const win = windowOutput(name, nodeId, x, { kernel: p.pool_size, strides: p.strides, padding: p.padding });
    if (hasErrors(win.issues)) return { shape: null, issues: win.issues };
    return { shape: [win.h, win.w, x[2]], issues: win.issues };
  },
  weights: () => [],
  macs: () => 0,
  keras: ({ params: p }) => [
    {
      className: 'AveragePooling2D',
      config: { pool_size: [...p.pool_size], strides: [...p.strides], padding: p.padding },
    },
  ],
});
