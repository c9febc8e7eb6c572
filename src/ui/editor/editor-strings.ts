/**
 * The canvas editor's words in English and Spanish (palette, canvas, toolbar, status bar, notices).
 * Issue messages and fix labels come from src/graph's catalogue (formatIssue, formatFixLabel); layer
 * descriptions from each layer's spec (`doc`).
 */
import type { LayerCategory } from '../../graph/layer-spec.ts';
import type { Lang } from '../../graph/types.ts';
import { useApp } from '../store-context.ts';

const en = {
  tabDesign: 'Design',
  // Palette
  palette: 'Layers to add',
  search: 'Search layers',
  searchPlaceholder: 'Search (/): conv, pool, dense…',
  noMatch: (q: string) => `No layer matches “${q}”.`,
  paletteHint: 'Drag a layer onto the canvas, or press Enter to add it after the selected layer.',
  paletteBlocks: 'Blocks',
  blockItemHint: 'a block: its copies share one definition; set its arguments in the inspector',
  addLayer: (kind: string) => `Add ${kind}`,
  category: {
    input: 'Input',
    convolution: 'Convolution',
    pooling: 'Pooling',
    dense: 'Dense (fully connected)',
    normalization: 'Normalisation & regularisation',
    activation: 'Activation',
    merge: 'Merge branches',
    reshape: 'Reshape',
  } satisfies Record<LayerCategory, string>,
  // Toolbar
  tools: 'Editing tools',
  undo: 'Undo',
  redo: 'Redo',
  delete: 'Delete',
  duplicate: 'Duplicate',
  autoLayout: 'Tidy up',
  autoLayoutHint: 'Arrange the layers automatically, top to bottom',
  autoLayoutBusy: 'Tidying up…',
  fitView: 'Fit view',
  shapes: 'Shapes',
  channelsLast: 'H×W×C',
  channelsLastHint: 'Channels last, as Keras and TF.js store them (28×28×1)',
  channelsFirst: 'C×H×W',
  channelsFirstHint: 'Channels first, as PyTorch stores them (1×28×28)',
  withShortcut: (label: string, keys: string) => `${label} (${keys})`,
  // Blocks
  group: 'Group',
  groupHint: 'Group the selected layers into a block',
  ungroup: 'Ungroup',
  ungroupHint: 'Put the selected blocks\' layers back on the canvas',
  blockOf: (block: string, n: number | null) => (n === null ? block : `${block} ×${n}`),
  blockShapes: (into: string, out: string) => `${into} → ${out}`,
  blockLayers: (n: number) => `${n} ${n === 1 ? 'layer' : 'layers'}`,
  repeat: 'Copies',
  repeatHint: 'How many copies of this block are stacked one after another (they share one definition)',
  expandHint: 'Double-click to unfold this block in place',
  frameOf: (id: string, block: string, n: number | null) => `${id} · ${n === null ? block : `${block} ×${n}`}`,
  foldFrame: 'Fold',
  foldFrameHint: (id: string) => `Fold ${id} back into one block`,
  // Canvas
  canvas: 'Design canvas',
  emptyCanvas: 'Drag a layer here from the palette on the left, or start from a template.',
  params: (n: string) => `${n} params`,
  paramsHint: (trainable: string, nonTrainable: string) => `${trainable} trainable, ${nonTrainable} non-trainable parameters`,
  outputShape: 'Output shape',
  fix: (label: string) => `Fix: ${label}`,
  slot: (n: number) => `Input ${n} of this merge (the order matters)`,
  flow: {
    'node.a11yDescription.default': 'Press Enter or Space to select a layer. Press Delete to remove it and Escape to cancel.',
    'node.a11yDescription.keyboardDisabled':
      'Press Enter or Space to select a layer. Then use the arrow keys to move it. Press Delete to remove it and Escape to cancel.',
    'node.a11yDescription.ariaLiveMessage': ({ direction, x, y }: { direction: string; x: number; y: number }) =>
      `Moved the selected layer ${direction}. New position x: ${x}, y: ${y}`,
    'edge.a11yDescription.default': 'Press Enter or Space to select a connection. Then press Delete to remove it, or Escape to cancel.',
    'controls.ariaLabel': 'Zoom controls',
    'controls.zoomIn.ariaLabel': 'Zoom in',
    'controls.zoomOut.ariaLabel': 'Zoom out',
    'controls.fitView.ariaLabel': 'Fit view',
    'controls.interactive.ariaLabel': 'Lock or unlock editing',
    'minimap.ariaLabel': 'Overview map',
    'handle.ariaLabel': 'Connection point',
  },
  // Status bar
  status: 'Design summary',
  layers: (n: number) => `${n} ${n === 1 ? 'layer' : 'layers'}`,
  selected: (n: number) => `${n} selected`,
  trainable: 'Trainable',
  nonTrainable: 'Non-trainable',
  incomplete: 'incomplete',
  incompleteHint: (n: number) =>
    `${n} ${n === 1 ? 'layer has' : 'layers have'} no known shape (an error in or above ${n === 1 ? 'it' : 'them'}): the totals count the rest, so the real ones are at least these`,
  macs: 'MACs',
  activations: 'Activations',
  problems: 'Problems',
  noProblems: 'No problems',
  problemCount: (errors: number, warnings: number) =>
    `${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`,
  showOnCanvas: 'Click a problem to show its layer on the canvas.',
  // Notices
  dismiss: 'Dismiss',
  // Right panel
  details: 'Design details',
  editDetails: 'Edit details',
  name: 'Name',
  description: 'Description',
  notes: 'Notes',
  save: 'Save',
  cancel: 'Cancel',
  noDescription: 'No description yet.',
  selectHint: 'Select a layer on the canvas to see and change its settings.',
  multiSelected: (n: number) => `${n} layers selected. Select one to see its settings.`,
};

export type EditorStrings = typeof en;

const es: EditorStrings = {
  tabDesign: 'Diseño',
  palette: 'Capas para añadir',
  search: 'Buscar capas',
  searchPlaceholder: 'Buscar (/): conv, pool, dense…',
  noMatch: (q: string) => `Ninguna capa coincide con «${q}».`,
  paletteHint: 'Arrastra una capa al lienzo o pulsa Intro para añadirla tras la capa seleccionada.',
  paletteBlocks: 'Bloques',
  blockItemHint: 'un bloque: sus copias comparten una definición; ajusta sus argumentos en el inspector',
  addLayer: (kind: string) => `Añadir ${kind}`,
  category: {
    input: 'Entrada',
    convolution: 'Convolución',
    pooling: 'Agrupación (pooling)',
    dense: 'Densas (totalmente conectadas)',
    normalization: 'Normalización y regularización',
    activation: 'Activación',
    merge: 'Unión de ramas',
    reshape: 'Cambio de forma',
  },
  tools: 'Herramientas de edición',
  undo: 'Deshacer',
  redo: 'Rehacer',
  delete: 'Borrar',
  duplicate: 'Duplicar',
  autoLayout: 'Ordenar',
  autoLayoutHint: 'Colocar las capas automáticamente, de arriba abajo',
  autoLayoutBusy: 'Ordenando…',
  fitView: 'Encajar vista',
  shapes: 'Formas',
  channelsLast: 'H×W×C',
  channelsLastHint: 'Canales al final, como los guardan Keras y TF.js (28×28×1)',
  channelsFirst: 'C×H×W',
  channelsFirstHint: 'Canales primero, como los guarda PyTorch (1×28×28)',
  withShortcut: (label: string, keys: string) => `${label} (${keys})`,
  // Bloques
  group: 'Agrupar',
  groupHint: 'Agrupar las capas seleccionadas en un bloque',
  ungroup: 'Desagrupar',
  ungroupHint: 'Devolver al lienzo las capas de los bloques seleccionados',
  blockOf: (block: string, n: number | null) => (n === null ? block : `${block} ×${n}`),
  blockShapes: (into: string, out: string) => `${into} → ${out}`,
  blockLayers: (n: number) => `${n} ${n === 1 ? 'capa' : 'capas'}`,
  repeat: 'Copias',
  repeatHint: 'Cuántas copias de este bloque se apilan una tras otra (comparten una sola definición)',
  expandHint: 'Doble clic para desplegar este bloque en su sitio',
  frameOf: (id: string, block: string, n: number | null) => `${id} · ${n === null ? block : `${block} ×${n}`}`,
  foldFrame: 'Plegar',
  foldFrameHint: (id: string) => `Plegar ${id} de nuevo en un solo bloque`,
  canvas: 'Lienzo del diseño',
  emptyCanvas: 'Arrastra aquí una capa desde la paleta de la izquierda o empieza con una plantilla.',
  params: (n: string) => `${n} parámetros`,
  paramsHint: (trainable: string, nonTrainable: string) => `${trainable} parámetros entrenables y ${nonTrainable} no entrenables`,
  outputShape: 'Forma de salida',
  fix: (label: string) => `Arreglar: ${label}`,
  slot: (n: number) => `Entrada ${n} de esta unión (el orden importa)`,
  flow: {
    'node.a11yDescription.default': 'Pulsa Intro o Espacio para seleccionar una capa. Pulsa Suprimir para borrarla y Escape para cancelar.',
    'node.a11yDescription.keyboardDisabled':
      'Pulsa Intro o Espacio para seleccionar una capa. Después muévela con las flechas. Pulsa Suprimir para borrarla y Escape para cancelar.',
    'node.a11yDescription.ariaLiveMessage': ({ direction, x, y }: { direction: string; x: number; y: number }) =>
      `Capa seleccionada movida hacia ${({ up: 'arriba', down: 'abajo', left: 'la izquierda', right: 'la derecha' } as Record<string, string>)[direction] ?? direction}. Nueva posición x: ${x}, y: ${y}`,
    'edge.a11yDescription.default': 'Pulsa Intro o Espacio para seleccionar una conexión. Después pulsa Suprimir para borrarla o Escape para cancelar.',
    'controls.ariaLabel': 'Controles de zoom',
    'controls.zoomIn.ariaLabel': 'Acercar',
    'controls.zoomOut.ariaLabel': 'Alejar',
    'controls.fitView.ariaLabel': 'Encajar vista',
    'controls.interactive.ariaLabel': 'Bloquear o desbloquear la edición',
    'minimap.ariaLabel': 'Mapa general',
    'handle.ariaLabel': 'Punto de conexión',
  },
  status: 'Resumen del diseño',
  layers: (n: number) => `${n} ${n === 1 ? 'capa' : 'capas'}`,
  selected: (n: number) => `${n} ${n === 1 ? 'seleccionada' : 'seleccionadas'}`,
  trainable: 'Entrenables',
  nonTrainable: 'No entrenables',
  incomplete: 'incompletos',
  incompleteHint: (n: number) =>
    `${n} ${n === 1 ? 'capa no tiene' : 'capas no tienen'} forma conocida (por un error en ${n === 1 ? 'ella' : 'ellas'} o más arriba): los totales cuentan el resto, así que los reales son como mínimo estos`,
  macs: 'MACs',
  activations: 'Activaciones',
  problems: 'Problemas',
  noProblems: 'Sin problemas',
  problemCount: (errors: number, warnings: number) =>
    `${errors} ${errors === 1 ? 'error' : 'errores'}, ${warnings} ${warnings === 1 ? 'aviso' : 'avisos'}`,
  showOnCanvas: 'Haz clic en un problema para ver su capa en el lienzo.',
  dismiss: 'Cerrar',
  details: 'Detalles del diseño',
  editDetails: 'Editar detalles',
  name: 'Nombre',
  description: 'Descripción',
  notes: 'Notas',
  save: 'Guardar',
  cancel: 'Cancelar',
  noDescription: 'Todavía sin descripción.',
  selectHint: 'Selecciona una capa en el lienzo para ver y cambiar sus ajustes.',
  multiSelected: (n: number) => `${n} capas seleccionadas. Selecciona una para ver sus ajustes.`,
};

const TABLE: Readonly<Record<Lang, EditorStrings>> = { en, es };

export function editorStrings(lang: Lang): EditorStrings {
  return TABLE[lang];
}

export function useEditorStrings(): EditorStrings {
  return editorStrings(useApp((s) => s.lang));
}

/** True on Apple keyboards, where shortcuts use ⌘ rather than Ctrl. */
export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** "Ctrl+Shift+Z" or "⌘⇧Z" for the shortcut written "Mod+Shift+Z". */
export function shortcutText(keys: string, mac = IS_MAC): string {
  if (!mac) return keys.replace(/Mod/g, 'Ctrl');
  return keys.replace(/Mod\+/g, '⌘').replace(/Shift\+/g, '⇧').replace(/Alt\+/g, '⌥');
}
