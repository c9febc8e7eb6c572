/** The Kernel lab's words in English and Spanish (window problems come from src/graph's catalogue). */
import type { Lang } from '../../graph/types.ts';
import { useApp } from '../store-context.ts';
import type { Preset } from './kernel-presets.ts';
import type { Sample } from './lab-images.ts';
import { LAB_TAB } from './lab-tab.ts';

const en = {
  tabLab: LAB_TAB.en,
  title: LAB_TAB.en,
  intro:
    'Slide a small kernel over an image: each output value is the sum of the kernel’s weights times the pixels under it. Deep-learning libraries call this “convolution”, but what they compute is cross-correlation; true convolution flips the kernel first.',
  image: 'Image',
  samples: { digit: 'A digit (MNIST)', fashion: 'A garment (Fashion-MNIST)', photo: 'A colour scene' } satisfies Record<Sample, string>,
  yourImage: 'Your image…',
  yourImageName: (name: string) => `Your image: ${name}`,
  notImage: (name: string) => `“${name}” is not an image. Choose a PNG, JPEG, GIF, BMP or WebP file.`,
  unreadable: (name: string) => `“${name}” could not be read as an image; it may be damaged or in a format this browser cannot decode.`,
  loadFailed: (detail: string) => `The sample could not be loaded: ${detail}`,
  greyNote: 'Colour images are reduced to grey (luminance) before the kernel slides over them.',
  kernel: 'Kernel',
  preset: 'Preset',
  custom: 'Custom',
  presets: {
    identity: 'Identity',
    box: 'Box blur',
    gaussian: 'Gaussian blur',
    sharpen: 'Sharpen',
    sobelX: 'Sobel x',
    sobelY: 'Sobel y',
    laplacian: 'Laplacian',
    emboss: 'Emboss',
  } satisfies Record<Preset, string>,
  size: 'Size',
  cell: (r: number, c: number) => `Kernel weight row ${r + 1}, column ${c + 1}`,
  operation: 'Operation',
  correlation: 'Cross-correlation (what tf.conv2d and PyTorch compute)',
  convolution: 'Convolution (kernel flipped 180°)',
  flippedNote: 'The kernel as it slides: flipped 180° from the one you edit.',
  kernelAsSlid: 'Kernel as it slides',
  window: 'Window',
  stride: 'Stride',
  padding: 'Padding',
  valid: 'valid (no padding)',
  same: 'same (pad with zeros)',
  dilation: 'Dilation',
  input: 'Input',
  output: 'Output',
  inputSize: (h: number, w: number) => `${h}×${w} pixels, values 0–255`,
  outputSize: (h: number, w: number) => `${h}×${w}`,
  outputSizeTitle: 'Output size',
  padSplit: (top: number, bottom: number, left: number, right: number) => `zeros added: top ${top}, bottom ${bottom}, left ${left}, right ${right}`,
  effectiveKernel: 'Dilated kernel:',
  legend: 'Colour scale: blue negative, white zero, red positive',
  mapLabel: (h: number, w: number) => `Output map, ${h}×${w}. Arrow keys move the value whose arithmetic is shown.`,
  arithmetic: 'One output value, written out',
  arithmeticHint: 'Hover the output map, or focus it and use the arrow keys, to pick another value.',
  noOutput: 'The kernel does not fit the image with these settings.',
  loading: 'Loading the image…',
  useTitle: 'Use as a filter in the design',
  useIntro: 'Copies the kernel as it slides into one filter of a Conv2D layer, so the layer computes this map (on grey input).',
  layer: 'Layer',
  filter: 'Filter (output channel)',
  copy: 'Copy into the filter',
  noConv: 'The open design has no Conv2D layer to take the kernel.',
  sizeMismatch: (name: string, have: string, want: string) => `${name}’s kernel is ${have}; this kernel is ${want}.`,
  setSize: (name: string, size: string) => `Set ${name}’s kernel size to ${size}`,
  noWeights: (name: string) =>
    `${name} has no trained weights yet: weights appear after training (Train tab). Then this copies the kernel into one of its filters.`,
  copied: (name: string, filter: number) => `Filter ${filter} of ${name} now holds this kernel. Evaluate on the Train tab measures the design with it.`,
  runActive: 'A training run is active: copy the kernel when it ends.',
};

export type LabStrings = typeof en;

const es: LabStrings = {
  tabLab: LAB_TAB.es,
  title: LAB_TAB.es,
  intro:
    'Desliza un kernel pequeño sobre una imagen: cada valor de salida es la suma de los pesos del kernel por los píxeles que tiene debajo. Las bibliotecas de aprendizaje profundo lo llaman «convolución», pero lo que calculan es correlación cruzada; la convolución de verdad primero voltea el kernel.',
  image: 'Imagen',
  samples: { digit: 'Un dígito (MNIST)', fashion: 'Una prenda (Fashion-MNIST)', photo: 'Una escena en color' },
  yourImage: 'Tu imagen…',
  yourImageName: (name: string) => `Tu imagen: ${name}`,
  notImage: (name: string) => `«${name}» no es una imagen. Elige un archivo PNG, JPEG, GIF, BMP o WebP.`,
  unreadable: (name: string) => `No se pudo leer «${name}» como imagen; puede estar dañada o en un formato que este navegador no decodifica.`,
  loadFailed: (detail: string) => `No se pudo cargar la muestra: ${detail}`,
  greyNote: 'Las imágenes en color se pasan a gris (luminancia) antes de deslizar el kernel.',
  kernel: 'Kernel',
  preset: 'Predefinido',
  custom: 'Personalizado',
  presets: {
    identity: 'Identidad',
    box: 'Desenfoque de caja',
    gaussian: 'Desenfoque gaussiano',
    sharpen: 'Enfocar',
    sobelX: 'Sobel x',
    sobelY: 'Sobel y',
    laplacian: 'Laplaciano',
    emboss: 'Relieve',
  },
  size: 'Tamaño',
  cell: (r: number, c: number) => `Peso del kernel, fila ${r + 1}, columna ${c + 1}`,
  operation: 'Operación',
  correlation: 'Correlación cruzada (lo que calculan tf.conv2d y PyTorch)',
  convolution: 'Convolución (kernel volteado 180°)',
  flippedNote: 'El kernel tal como se desliza: volteado 180° respecto al que editas.',
  kernelAsSlid: 'Kernel tal como se desliza',
  window: 'Ventana',
  stride: 'Paso',
  padding: 'Relleno',
  valid: 'valid (sin relleno)',
  same: 'same (rellena con ceros)',
  dilation: 'Dilatación',
  input: 'Entrada',
  output: 'Salida',
  inputSize: (h: number, w: number) => `${h}×${w} píxeles, valores 0–255`,
  outputSize: (h: number, w: number) => `${h}×${w}`,
  outputSizeTitle: 'Tamaño de salida',
  padSplit: (top: number, bottom: number, left: number, right: number) =>
    `ceros añadidos: arriba ${top}, abajo ${bottom}, izquierda ${left}, derecha ${right}`,
  effectiveKernel: 'Kernel dilatado:',
  legend: 'Escala de color: azul negativo, blanco cero, rojo positivo',
  mapLabel: (h: number, w: number) => `Mapa de salida, ${h}×${w}. Las flechas mueven el valor cuya aritmética se muestra.`,
  arithmetic: 'Un valor de salida, desarrollado',
  arithmeticHint: 'Pasa el ratón por el mapa de salida, o enfócalo y usa las flechas, para elegir otro valor.',
  noOutput: 'El kernel no cabe en la imagen con estos ajustes.',
  loading: 'Cargando la imagen…',
  useTitle: 'Usar como filtro en el diseño',
  useIntro: 'Copia el kernel tal como se desliza en un filtro de una capa Conv2D, para que la capa calcule este mapa (con entrada en gris).',
  layer: 'Capa',
  filter: 'Filtro (canal de salida)',
  copy: 'Copiar en el filtro',
  noConv: 'El diseño abierto no tiene ninguna capa Conv2D que pueda recibir el kernel.',
  sizeMismatch: (name: string, have: string, want: string) => `El kernel de ${name} es de ${have}; este kernel es de ${want}.`,
  setSize: (name: string, size: string) => `Poner el tamaño de kernel de ${name} en ${size}`,
  noWeights: (name: string) =>
    `${name} aún no tiene pesos entrenados: los pesos aparecen tras entrenar (pestaña Entrenar). Entonces esto copia el kernel en uno de sus filtros.`,
  copied: (name: string, filter: number) => `El filtro ${filter} de ${name} tiene ahora este kernel. Evaluar, en la pestaña Entrenar, mide el diseño con él.`,
  runActive: 'Hay un entrenamiento en curso: copia el kernel cuando termine.',
};

const TABLE: Readonly<Record<Lang, LabStrings>> = { en, es };

export function labStrings(lang: Lang): LabStrings {
  return TABLE[lang];
}

export function useLabStrings(): LabStrings {
  return labStrings(useApp((s) => s.lang));
}
