/** The "Look inside" views' words in English and Spanish. */
import type { Lang } from '../../graph/types.ts';
import { useApp } from '../store-context.ts';

const en = {
  title: 'Look inside',
  intro: 'See what this layer has learned and computes, on the network being trained (live during a run).',
  tabFilters: 'Filters',
  tabMaps: 'Feature maps',
  tabTop: 'Top 9 images',
  needsModel: 'Train the network on the Train tab (or open a design with trained weights) to look inside.',
  needsData: 'Choose a dataset on the Train tab to pick test images.',
  live: 'Live: updated about once a second while training.',
  loading: 'Reading from the network…',
  filtersIntro: (k: string, cin: number, cout: number) => `${cout} filters of ${k}, each over ${cin} input channel${cin === 1 ? '' : 's'}: one row per filter, one tile per input channel.`,
  filtersRgb: 'First-layer filters on colour input, drawn as colour images (grey = 0).',
  filterRow: (o: number) => `Filter ${o}`,
  tileTitle: (o: number, i: number, values: string) => `Filter ${o}, input channel ${i}:\n${values}`,
  hoverHint: 'Point at a tile to read its numbers.',
  page: (from: number, to: number, total: number) => `Filters ${from}–${to} of ${total}`,
  previous: 'Previous',
  next: 'Next',
  legend: (range: string) => `Colour scale shared by every filter: blue −${range}, white 0, red +${range}`,
  input: 'Input',
  testImage: 'Test image',
  upload: 'Upload an image…',
  draw: 'Draw',
  clear: 'Clear',
  drawHint: 'Draw with the mouse; the maps follow when you lift it.',
  show: 'Show',
  range: (min: string, max: string) => `values from ${min} to ${max}`,
  channel: (c: number) => `Channel ${c}`,
  mapsOf: (shape: string) => `Activation maps, ${shape}`,
  vector: (n: number) => `A vector of ${n} values`,
  scores: 'Class scores',
  label: (name: string) => `True class: ${name}`,
  thumbnails: 'Thumbnails on the canvas nodes',
  noMaps: 'This layer gives no values to draw.',
  topIntro: 'The test images that make one channel fire the most; the box is the part of the image that position of the channel sees (its receptive field).',
  topChannel: 'Channel',
  find: 'Find the top 9',
  searched: (n: number) => `${n} test images searched`,
  hit: (rank: number, value: string, cls: string) => `#${rank}: ${value} (${cls})`,
  hitLabel: (rank: number, index: number) => `Top ${rank}: test image ${index}`,
  wholeImage: 'This layer sees the whole image: no box.',
  noChannels: 'This layer has no channels to rank.',
  badImage: (name: string) => `“${name}” could not be read as an image. Choose a PNG, JPEG, GIF, BMP or WebP file.`,
  entryHint: 'Select a layer on the Design tab: its inspector has “Look inside” (filters, feature maps, top images, gradients).',
  tabGradients: 'Gradients',
  gradIntro:
    'How hard training pushes on each layer: the size of its gradient (solid line) and how much one step changes its weights relative to their size (dashed; about 0.001 is healthy). Sampled a few times a second; log scale.',
  gradWaiting: 'Train the network on the Train tab: each layer’s gradients appear here as it trains.',
  gradFromRun: 'From the last run.',
  gradNorm: 'gradient norm',
  gradRatio: 'update / weight',
  gradEpoch: 'epoch',
  gradChart: (layers: number) => `Gradient norm and update/weight ratio of ${layers} layers over the run, log scale`,
  gradHealthy: 'No layer’s gradients have vanished or exploded.',
  gradVanishing: (name: string, value: string) =>
    `${name}: its gradients have almost vanished (norm ${value}, under a thousandth of the largest layer’s), so it barely learns. ReLU instead of sigmoid or tanh, BatchNorm or a skip connection help the signal reach it.`,
  gradExploding: (name: string, value: string, ratio: string) =>
    `${name}: its gradients are exploding (norm ${value}; a step changes its weights by ${ratio} of their size). Lower the learning rate or add BatchNorm.`,
  kgTitle: 'One kernel’s gradient, position by position',
  kgIntro: (k: string, grid: string, n: number, images: number) =>
    `This ${k} kernel was used at ${grid} = ${n} positions on each image; its gradient is the sum of ${n} position-wise terms (the input patch there × the upstream gradient there, summed over this batch of ${images} training images).`,
  kgFilter: 'Filter',
  kgChannel: 'Input channel',
  kgHeat: 'Size of each position’s term',
  kgTerms: 'The terms, one tile per position',
  kgSum: 'Sum of the terms',
  kgTfjs: 'Gradient TensorFlow.js computes',
  kgDiff: (d: string) => `Largest difference between the two: ${d}`,
  kgDilated: 'TensorFlow.js computes no gradient for a dilated convolution, so this layer cannot be trained or shown here.',
  kgOnlyConv2D: (kind: string) =>
    `The gradient position by position is drawn for a Conv2D with one group, whose kernel slice is one sum over positions; this layer is a ${kind}. Select a Conv2D to see it.`,
  kgLegend: (range: string) => `Colour scale of the terms and their sum: blue −${range}, white 0, red +${range}`,
};

export type LookStrings = typeof en;

const es: LookStrings = {
  title: 'Mirar dentro',
  intro: 'Mira lo que esta capa ha aprendido y lo que calcula, en la red que se entrena (en vivo durante el entrenamiento).',
  tabFilters: 'Filtros',
  tabMaps: 'Mapas de activación',
  tabTop: 'Las 9 imágenes',
  needsModel: 'Entrena la red en la pestaña Entrenar (o abre un diseño con pesos entrenados) para mirar dentro.',
  needsData: 'Elige un conjunto de datos en la pestaña Entrenar para escoger imágenes de prueba.',
  live: 'En vivo: se actualiza más o menos una vez por segundo mientras entrena.',
  loading: 'Leyendo de la red…',
  filtersIntro: (k: string, cin: number, cout: number) =>
    `${cout} filtros de ${k}, cada uno sobre ${cin} canal${cin === 1 ? '' : 'es'} de entrada: una fila por filtro, un cuadro por canal de entrada.`,
  filtersRgb: 'Filtros de la primera capa sobre entrada en color, dibujados como imágenes en color (gris = 0).',
  filterRow: (o: number) => `Filtro ${o}`,
  tileTitle: (o: number, i: number, values: string) => `Filtro ${o}, canal de entrada ${i}:\n${values}`,
  hoverHint: 'Señala un cuadro para leer sus números.',
  page: (from: number, to: number, total: number) => `Filtros ${from}–${to} de ${total}`,
  previous: 'Anterior',
  next: 'Siguiente',
  legend: (range: string) => `Escala de color común a todos los filtros: azul −${range}, blanco 0, rojo +${range}`,
  input: 'Entrada',
  testImage: 'Imagen de prueba',
  upload: 'Subir una imagen…',
  draw: 'Dibujar',
  clear: 'Borrar',
  drawHint: 'Dibuja con el ratón; los mapas se actualizan al soltarlo.',
  show: 'Mostrar',
  range: (min: string, max: string) => `valores de ${min} a ${max}`,
  channel: (c: number) => `Canal ${c}`,
  mapsOf: (shape: string) => `Mapas de activación, ${shape}`,
  vector: (n: number) => `Un vector de ${n} valores`,
  scores: 'Puntuación por clase',
  label: (name: string) => `Clase verdadera: ${name}`,
  thumbnails: 'Miniaturas en los nodos del lienzo',
  noMaps: 'Esta capa no da valores que dibujar.',
  topIntro: 'Las imágenes de prueba que más activan un canal; el recuadro es la parte de la imagen que ve esa posición del canal (su campo receptivo).',
  topChannel: 'Canal',
  find: 'Buscar las 9 mejores',
  searched: (n: number) => `${n} imágenes de prueba recorridas`,
  hit: (rank: number, value: string, cls: string) => `n.º ${rank}: ${value} (${cls})`,
  hitLabel: (rank: number, index: number) => `Puesto ${rank}: imagen de prueba ${index}`,
  wholeImage: 'Esta capa ve la imagen entera: no hay recuadro.',
  noChannels: 'Esta capa no tiene canales que ordenar.',
  badImage: (name: string) => `No se pudo leer «${name}» como imagen. Elige un archivo PNG, JPEG, GIF, BMP o WebP.`,
  entryHint: 'Selecciona una capa en la pestaña Diseño: su inspector tiene «Mirar dentro» (filtros, mapas de activación, imágenes que más la activan, gradientes).',
  tabGradients: 'Gradientes',
  gradIntro:
    'Cuánto empuja el entrenamiento a cada capa: el tamaño de su gradiente (línea continua) y cuánto cambia un paso sus pesos en relación con su tamaño (discontinua; en torno a 0,001 es sano). Se mide varias veces por segundo; escala logarítmica.',
  gradWaiting: 'Entrena la red en la pestaña Entrenar: los gradientes de cada capa aparecen aquí mientras entrena.',
  gradFromRun: 'Del último entrenamiento.',
  gradNorm: 'norma del gradiente',
  gradRatio: 'cambio / peso',
  gradEpoch: 'época',
  gradChart: (layers: number) => `Norma del gradiente y razón cambio/peso de ${layers} capas durante el entrenamiento, escala logarítmica`,
  gradHealthy: 'Ninguna capa tiene gradientes que se desvanezcan o exploten.',
  gradVanishing: (name: string, value: string) =>
    `${name}: sus gradientes casi se han desvanecido (norma ${value}, menos de una milésima de la mayor de las capas), así que apenas aprende. ReLU en lugar de sigmoide o tanh, BatchNorm o una conexión residual ayudan a que la señal le llegue.`,
  gradExploding: (name: string, value: string, ratio: string) =>
    `${name}: sus gradientes explotan (norma ${value}; un paso cambia sus pesos en ${ratio} de su tamaño). Baja la tasa de aprendizaje o añade BatchNorm.`,
  kgTitle: 'El gradiente de un filtro, posición a posición',
  kgIntro: (k: string, grid: string, n: number, images: number) =>
    `Este filtro de ${k} se aplicó en ${grid} = ${n} posiciones de cada imagen; su gradiente es la suma de ${n} términos, uno por posición (el trozo de la entrada allí × el gradiente que llega allí, sumado sobre este lote de ${images} imágenes de entrenamiento).`,
  kgFilter: 'Filtro',
  kgChannel: 'Canal de entrada',
  kgHeat: 'Tamaño del término de cada posición',
  kgTerms: 'Los términos, un cuadro por posición',
  kgSum: 'Suma de los términos',
  kgTfjs: 'Gradiente que calcula TensorFlow.js',
  kgDiff: (d: string) => `Mayor diferencia entre los dos: ${d}`,
  kgDilated: 'TensorFlow.js no calcula el gradiente de una convolución dilatada, así que esta capa no se puede entrenar ni mostrar aquí.',
  kgOnlyConv2D: (kind: string) =>
    `El gradiente posición a posición se dibuja para una Conv2D de un solo grupo, cuyo filtro es una suma sobre posiciones; esta capa es una ${kind}. Selecciona una Conv2D para verlo.`,
  kgLegend: (range: string) => `Escala de color de los términos y su suma: azul −${range}, blanco 0, rojo +${range}`,
};

const TABLE: Readonly<Record<Lang, LookStrings>> = { en, es };

export function lookStrings(lang: Lang): LookStrings {
  return TABLE[lang];
}

export function useLookStrings(): LookStrings {
  return lookStrings(useApp((s) => s.lang));
}
