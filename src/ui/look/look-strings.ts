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
  entryHint: 'Select a layer on the Design tab: its inspector has “Look inside” (filters, feature maps, top images).',
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
  entryHint: 'Selecciona una capa en la pestaña Diseño: su inspector tiene «Mirar dentro» (filtros, mapas de activación, imágenes que más la activan).',
};

const TABLE: Readonly<Record<Lang, LookStrings>> = { en, es };

export function lookStrings(lang: Lang): LookStrings {
  return TABLE[lang];
}

export function useLookStrings(): LookStrings {
  return lookStrings(useApp((s) => s.lang));
}
