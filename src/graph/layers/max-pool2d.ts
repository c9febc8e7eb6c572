import { poolingLayer } from './shared/pooling.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    MaxPool2D: true;
  }
}

export const maxPool2d = poolingLayer(
  'MaxPool2D',
  'MaxPooling2D',
  'max',
  {
    en: 'Keeps the largest value of each window: shrinks the map and tolerates small shifts.',
    es: 'Conserva el mayor valor de cada ventana: reduce el mapa y tolera pequeños desplazamientos.',
  },
  {},
);
