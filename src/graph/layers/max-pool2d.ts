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

export const maxPool2d = defineLayer({
  kind: 'MaxPool2D',
  category: 'pooling',
  title: { en: 'MaxPool2D', es: 'MaxPool2D' },
  doc: {
    en: 'Keeps the largest value of each window: shrinks the map and tolerates small shifts.',
    es: 'Conserva el mayor valor de cada ventana: reduce el mapa y tolera pequeños desplazamientos.',
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
  summary: (p) => ['max ' + sizeLabel(p.pool_size), strideLabel(p.strides), p.padding].join(' · '),
  outputShape: ({ name, nodeId, params: p, inputs: [x] }) => {
    const shapeIssue = requireImage(name, nodeId, 'MaxPool2D', x);
    if (shapeIssue) return { shape: null, issues: [shapeIssue] };
    const win = windowOutput(name, nodeId, x, { kernel: p.pool_size, strides: p.strides, padding: p.padding });
    if (hasErrors(win.issues)) return { shape: null, issues: win.issues };
    return { shape: [win.h, win.w, x[2]], issues: win.issues };
  },
  weights: () => [],
  macs: () => 0,
  keras: ({ params: p }) => [
    {
      className: 'MaxPooling2D',
      config: { pool_size: [...p.pool_size], strides: [...p.strides], padding: p.padding },
    },
  ],
});
