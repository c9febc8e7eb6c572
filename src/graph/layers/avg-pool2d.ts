import { countIncludePad, poolingLayer } from './shared/pooling.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    AvgPool2D: true;
  }
}

export const avgPool2d = poolingLayer(
  'AvgPool2D',
  'AveragePooling2D',
  'avg',
  {
    en: 'Averages each window (LeNet-5 used it): shrinks the map smoothly.',
    es: 'Promedia cada ventana (LeNet-5 la usaba): reduce el mapa suavemente.',
  },
  countIncludePad,
);
