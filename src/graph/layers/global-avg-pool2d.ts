import { globalPoolingLayer } from './shared/global-pooling.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    GlobalAvgPool2D: true;
  }
}

export const globalAvgPool2d = globalPoolingLayer('GlobalAvgPool2D', 'GlobalAveragePooling2D', {
  en: 'Averages each channel over the whole map: H×W×C → C (ResNet, MobileNet heads).',
  es: 'Promedia cada canal en todo el mapa: H×W×C → C (cabezas de ResNet y MobileNet).',
}, 'GlobalAveragePool');
