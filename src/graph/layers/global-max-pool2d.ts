import { globalPoolingLayer } from './shared/global-pooling.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    GlobalMaxPool2D: true;
  }
}

export const globalMaxPool2d = globalPoolingLayer('GlobalMaxPool2D', 'GlobalMaxPooling2D', {
  en: 'Keeps the largest value of each channel over the whole map: H×W×C → C.',
  es: 'Conserva el mayor valor de cada canal en todo el mapa: H×W×C → C.',
}, 'GlobalMaxPool');
