/**
 * The words of the file menu, the template gallery, the recent-designs list and the drop overlay, in
 * English and Spanish. Load problems themselves come from the store (LoadProblemAlert, src/graph messages).
 */
import type { Lang } from '../../graph/types.ts';
import { useApp } from '../store-context.ts';

const en = {
  file: 'File',
  fileMenu: 'File menu',
  newDesign: 'New design',
  open: 'Open…',
  openHint: 'a NetCanvas design (.json or .netcanvas)',
  openText: 'Open from pasted text…',
  importOnnx: 'Import ONNX…',
  importOnnxHint: 'an ONNX model (.onnx), e.g. from PyTorch torch.onnx.export',
  importKeras: 'Import Keras…',
  importKerasHint: 'a Keras model: a .keras file (with its weights) or a JSON config (model.to_json(), model_config.json)',
  templates: 'Templates…',
  recent: 'Recent designs…',
  save: 'Save (.json)',
  saveWithWeights: (size: string) => `Save with trained weights (.netcanvas, ${size})`,
  copyLink: 'Copy share link',
  shortcut: (key: string, mac: boolean) => (mac ? `⌘${key}` : `Ctrl+${key}`),
  saved: (file: string) => `Downloaded ${file}.`,
  linkCopied: 'Link copied. It carries the whole design (without trained weights).',
  linkCopiedLong: (chars: string) =>
    `Link copied (${chars} characters). It carries the whole design without trained weights; some chat apps cut links this long, so a file may travel better.`,
  linkTitle: 'Share link',
  linkFallback: 'The browser did not allow copying. Select the link and copy it:',
  linkNote: 'Anyone who opens it gets a copy of this design. Trained weights are not included: save a file with weights to share them.',
  linkLabel: 'Link to this design',
  close: 'Close',
  // Open from text
  openTextTitle: 'Open a design from text',
  openTextHelp: 'Paste the JSON of a NetCanvas design (the content of a saved .json file). It replaces the design on the canvas; the current one stays in Recent designs.',
  openTextLabel: 'Design JSON',
  pasteFromClipboard: 'Paste from clipboard',
  clipboardRefused: 'The browser did not allow reading the clipboard; paste with Ctrl+V (⌘V) instead.',
  openButton: 'Open',
  cancel: 'Cancel',
  notADesign: 'This text is not a design NetCanvas can open:',
  pastedText: 'pasted text',
  // Gallery
  galleryTitle: 'Templates',
  galleryIntro: 'Start from a classic network or a beginner design. Opening one replaces the canvas; your current design stays in Recent designs.',
  openTemplate: (name: string) => `Open ${name}`,
  openShort: 'Open',
  notes: 'Notes',
  current: 'Open now',
  layerCount: (n: string) => `${n} layers`,
  paramCount: (n: string) => `${n} parameters`,
  macCount: (n: string) => `${n} MACs`,
  inputShape: (shape: string) => `input ${shape}`,
  level: (level: string) => ({ beginner: 'Beginner', classic: 'Classic', advanced: 'Advanced' })[level] ?? level,
  noTemplates: 'No templates found in templates/.',
  // Recent
  recentTitle: 'Recent designs',
  recentIntro: 'Designs are saved in this browser as you work (the last 30). They are not uploaded anywhere.',
  recentEmpty: 'Nothing saved yet: designs appear here as soon as you change them.',
  recentLoading: 'Reading saved designs…',
  recentFailed: 'Saved designs could not be read (the browser may block storage for this page).',
  recentOpen: (name: string) => `Open ${name}`,
  recentDelete: (name: string) => `Delete ${name}`,
  recentDeleteShort: 'Delete',
  recentLayers: (n: number) => `${n} ${n === 1 ? 'layer' : 'layers'}`,
  recentWeights: 'with trained weights',
  restoreFailed: (name: string) => `${name} could not be opened: its saved copy is damaged.`,
  // Drop
  dropHere: 'Drop a design (.json, .netcanvas), an ONNX model (.onnx) or a Keras model (.keras, JSON config) to open it',
  dropHint: 'The current design stays in Recent designs.',
};

export type FilesStrings = typeof en;

const es: FilesStrings = {
  file: 'Archivo',
  fileMenu: 'Menú Archivo',
  newDesign: 'Diseño nuevo',
  open: 'Abrir…',
  openHint: 'un diseño de NetCanvas (.json o .netcanvas)',
  openText: 'Abrir desde texto pegado…',
  importOnnx: 'Importar ONNX…',
  importOnnxHint: 'un modelo ONNX (.onnx), p. ej. de torch.onnx.export de PyTorch',
  importKeras: 'Importar Keras…',
  importKerasHint: 'un modelo Keras: un archivo .keras (con sus pesos) o una configuración JSON (model.to_json(), model_config.json)',
  templates: 'Plantillas…',
  recent: 'Diseños recientes…',
  save: 'Guardar (.json)',
  saveWithWeights: (size: string) => `Guardar con los pesos entrenados (.netcanvas, ${size})`,
  copyLink: 'Copiar enlace para compartir',
  shortcut: (key: string, mac: boolean) => (mac ? `⌘${key}` : `Ctrl+${key}`),
  saved: (file: string) => `Descargado ${file}.`,
  linkCopied: 'Enlace copiado. Contiene el diseño completo (sin los pesos entrenados).',
  linkCopiedLong: (chars: string) =>
    `Enlace copiado (${chars} caracteres). Contiene el diseño completo sin los pesos entrenados; algunas aplicaciones de mensajería cortan enlaces tan largos, así que quizá sea mejor enviar un archivo.`,
  linkTitle: 'Enlace para compartir',
  linkFallback: 'El navegador no permitió copiar. Selecciona el enlace y cópialo:',
  linkNote: 'Quien lo abra recibe una copia de este diseño. No incluye los pesos entrenados: guarda un archivo con pesos para compartirlos.',
  linkLabel: 'Enlace a este diseño',
  close: 'Cerrar',
  openTextTitle: 'Abrir un diseño desde texto',
  openTextHelp: 'Pega el JSON de un diseño de NetCanvas (el contenido de un archivo .json guardado). Sustituye al diseño del lienzo; el actual se queda en Diseños recientes.',
  openTextLabel: 'JSON del diseño',
  pasteFromClipboard: 'Pegar del portapapeles',
  clipboardRefused: 'El navegador no permitió leer el portapapeles; pega con Ctrl+V (⌘V).',
  openButton: 'Abrir',
  cancel: 'Cancelar',
  notADesign: 'Este texto no es un diseño que NetCanvas pueda abrir:',
  pastedText: 'el texto pegado',
  galleryTitle: 'Plantillas',
  galleryIntro: 'Empieza con una red clásica o con un diseño para principiantes. Abrir una sustituye al lienzo; tu diseño actual se queda en Diseños recientes.',
  openTemplate: (name: string) => `Abrir ${name}`,
  openShort: 'Abrir',
  notes: 'Notas',
  current: 'Abierta ahora',
  layerCount: (n: string) => `${n} capas`,
  paramCount: (n: string) => `${n} parámetros`,
  macCount: (n: string) => `${n} MACs`,
  inputShape: (shape: string) => `entrada ${shape}`,
  level: (level: string) => ({ beginner: 'Principiante', classic: 'Clásica', advanced: 'Avanzada' })[level] ?? level,
  noTemplates: 'No hay plantillas en templates/.',
  recentTitle: 'Diseños recientes',
  recentIntro: 'Los diseños se guardan en este navegador mientras trabajas (los 30 últimos). No se suben a ningún sitio.',
  recentEmpty: 'Aún no hay nada guardado: los diseños aparecen aquí en cuanto los cambias.',
  recentLoading: 'Leyendo los diseños guardados…',
  recentFailed: 'No se pudieron leer los diseños guardados (puede que el navegador bloquee el almacenamiento de esta página).',
  recentOpen: (name: string) => `Abrir ${name}`,
  recentDelete: (name: string) => `Borrar ${name}`,
  recentDeleteShort: 'Borrar',
  recentLayers: (n: number) => `${n} ${n === 1 ? 'capa' : 'capas'}`,
  recentWeights: 'con pesos entrenados',
  restoreFailed: (name: string) => `No se pudo abrir ${name}: su copia guardada está dañada.`,
  dropHere: 'Suelta un diseño (.json, .netcanvas), un modelo ONNX (.onnx) o un modelo Keras (.keras, configuración JSON) para abrirlo',
  dropHint: 'El diseño actual se queda en Diseños recientes.',
};

const TABLE: Readonly<Record<Lang, FilesStrings>> = { en, es };

export function filesStrings(lang: Lang): FilesStrings {
  return TABLE[lang];
}

export function useFilesStrings(): FilesStrings {
  return filesStrings(useApp((s) => s.lang));
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.345],
  ['month', 12],
  ['year', Infinity],
];

/** "2 minutes ago" / "hace 2 minutos"; under ten seconds is "now" / "ahora". */
export function relativeTime(then: number, now: number, lang: Lang): string {
  const format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  let value = (then - now) / 1000;
  if (Math.abs(value) < 10) return format.format(0, 'second');
  // Math.round(-1.5) is -1: round the magnitude so the past and the future round alike.
  const round = (v: number) => Math.sign(v) * Math.round(Math.abs(v));
  for (const [unit, size] of UNITS) {
    if (Math.abs(value) < size) return format.format(round(value), unit);
    value /= size;
  }
  return format.format(round(value), 'year');
}

/**
 * A download name from a design name: letters (any script), digits, dots, dashes and underscores; runs of
 * anything else become one dash. "MLP (no convolutions)" → "MLP-no-convolutions.json".
 */
export function designFileName(name: string): string {
  const base = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/g, '');
  return `${base || 'design'}.json`;
}
