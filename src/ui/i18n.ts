/**
 * Every string the page shows, in English and Spanish. Issue messages come from src/graph's catalogue
 * (formatIssue); this table holds only the page's own words.
 */
import type { Lang } from '../graph/types.ts';

export const LANGS: readonly { readonly lang: Lang; readonly name: string }[] = [
  { lang: 'en', name: 'English' },
  { lang: 'es', name: 'Español' },
];

const en = {
  skipToContent: 'Skip to the design',
  tagline: 'Design a convolutional network and see every tensor shape, parameter and MAC.',
  language: 'Language',
  templates: 'Templates',
  noTemplates: 'No templates found in templates/.',
  level: (level: string) => ({ beginner: 'Beginner', classic: 'Classic', advanced: 'Advanced' })[level] ?? level,
  openFile: 'Open file…',
  openFileHint: 'a NetCanvas design (.json)',
  loading: 'Loading…',
  fromFile: (name: string) => `Opened from ${name}`,
  fromTemplate: 'Template',
  notes: 'Notes',
  /** Beside a text shown in another language because none is written in the page's. */
  writtenIn: (code: string) => `(${({ en: 'in English', es: 'in Spanish' } as Record<string, string>)[code] ?? `in ${code}`}: not translated yet)`,
  shapeLayout: 'Shapes',
  channelsLast: 'H×W×C (Keras, TF.js)',
  channelsFirst: '[C, H, W] (PyTorch)',
  caption: (name: string) => `Layers of ${name}, in the order data flows`,
  colLayer: 'Layer',
  colKind: 'Kind',
  colSettings: 'Settings',
  colShape: 'Output shape',
  colParams: 'Params',
  colFrozen: 'Non-trainable',
  colMacs: 'MACs',
  colIssues: 'Issues',
  unknown: 'unknown',
  error: 'Error',
  warning: 'Warning',
  designIssues: 'Problems with the whole design',
  totals: 'Totals',
  totalParams: 'Total params',
  trainableParams: 'Trainable params',
  nonTrainableParams: 'Non-trainable params',
  macs: 'MACs per sample (multiply-accumulates)',
  memory: 'Activation memory per sample (float32)',
  issueCount: (errors: number, warnings: number) =>
    `${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`,
  loadFailed: (source: string) => `Could not open ${source}. The design shown is unchanged.`,
  fileTooLarge: (mb: number) => `The file is larger than ${mb} MB.`,
  unreadable: (detail: string) => `The file could not be read: ${detail}`,
  dismiss: 'Dismiss',
  code: 'Code',
  codeTabs: 'Exported code',
  codeTab: (tab: string) =>
    ({ pytorch: 'PyTorch', keras: 'Keras', onnx: 'ONNX summary', design: 'Design JSON' })[tab] ?? tab,
  codeFiles: 'Files',
  codeGenerating: 'Generating the code…',
  codeFailed: (detail: string) => `The code could not be generated: ${detail}`,
  codeHasErrors: 'This design has errors, so it cannot be exported yet. Fix these first:',
  editorLoading: 'Loading the editor…',
  editorFailed: 'The code editor could not load; the code is shown as plain text.',
  readOnlyCode: 'Generated code, read-only',
  copyCode: (file: string) => `Copy ${file}`,
  copied: (file: string) => `Copied ${file} to the clipboard.`,
  copyFailed: 'The browser did not allow copying; select the text and copy it by hand.',
  downloadAll: 'Download all (.zip)',
  downloadHint: 'PyTorch, Keras and ONNX files, and the design itself',
  preparingZip: 'Preparing the zip…',
  downloaded: (file: string) => `Downloaded ${file}.`,
  downloadFailed: (detail: string) => `The zip could not be made: ${detail}`,
  alsoInDownload: 'Also in the download:',
  onnxOnDownload: (params: string, size: string) =>
    `This design has ${params} parameters, so model.onnx will be about ${size}. Building it takes a while, so ` +
    'the file and its summary are made only when you download them (Download all).',
  weightsLeftOut: (tensors: number, size: string) =>
    `The trained weights (${tensors} tensors, ${size}) are left out of this view; the design file in the download includes them.`,
};

export type Strings = typeof en;

const es: Strings = {
  skipToContent: 'Saltar al diseño',
  tagline: 'Diseña una red convolucional y mira cada forma de tensor, cada parámetro y cada MAC.',
  language: 'Idioma',
  templates: 'Plantillas',
  noTemplates: 'No hay plantillas en templates/.',
  level: (level: string) =>
    ({ beginner: 'Principiante', classic: 'Clásica', advanced: 'Avanzada' })[level] ?? level,
  openFile: 'Abrir archivo…',
  openFileHint: 'un diseño de NetCanvas (.json)',
  loading: 'Cargando…',
  fromFile: (name: string) => `Abierto desde ${name}`,
  fromTemplate: 'Plantilla',
  notes: 'Notas',
  writtenIn: (code: string) => `(${({ en: 'en inglés', es: 'en español' } as Record<string, string>)[code] ?? `en ${code}`}: aún sin traducir)`,
  shapeLayout: 'Formas',
  channelsLast: 'H×W×C (Keras, TF.js)',
  channelsFirst: '[C, H, W] (PyTorch)',
  caption: (name: string) => `Capas de ${name}, en el orden en que fluyen los datos`,
  colLayer: 'Capa',
  colKind: 'Tipo',
  colSettings: 'Ajustes',
  colShape: 'Forma de salida',
  colParams: 'Parámetros',
  colFrozen: 'No entrenables',
  colMacs: 'MACs',
  colIssues: 'Problemas',
  unknown: 'desconocida',
  error: 'Error',
  warning: 'Aviso',
  designIssues: 'Problemas del diseño completo',
  totals: 'Totales',
  totalParams: 'Parámetros totales',
  trainableParams: 'Parámetros entrenables',
  nonTrainableParams: 'Parámetros no entrenables',
  macs: 'MACs por muestra (multiplicaciones-acumulaciones)',
  memory: 'Memoria de activaciones por muestra (float32)',
  issueCount: (errors: number, warnings: number) =>
    `${errors} ${errors === 1 ? 'error' : 'errores'}, ${warnings} ${warnings === 1 ? 'aviso' : 'avisos'}`,
  loadFailed: (source: string) => `No se pudo abrir ${source}. El diseño mostrado no ha cambiado.`,
  fileTooLarge: (mb: number) => `El archivo ocupa más de ${mb} MB.`,
  unreadable: (detail: string) => `No se pudo leer el archivo: ${detail}`,
  dismiss: 'Cerrar',
  code: 'Código',
  codeTabs: 'Código exportado',
  codeTab: (tab: string) =>
    ({ pytorch: 'PyTorch', keras: 'Keras', onnx: 'Resumen ONNX', design: 'JSON del diseño' })[tab] ?? tab,
  codeFiles: 'Archivos',
  codeGenerating: 'Generando el código…',
  codeFailed: (detail: string) => `No se pudo generar el código: ${detail}`,
  codeHasErrors: 'Este diseño tiene errores y aún no se puede exportar. Corrige primero estos:',
  editorLoading: 'Cargando el editor…',
  editorFailed: 'El editor de código no se pudo cargar; el código se muestra como texto plano.',
  readOnlyCode: 'Código generado, solo lectura',
  copyCode: (file: string) => `Copiar ${file}`,
  copied: (file: string) => `${file} copiado al portapapeles.`,
  copyFailed: 'El navegador no permitió copiar; selecciona el texto y cópialo a mano.',
  downloadAll: 'Descargar todo (.zip)',
  downloadHint: 'Los archivos de PyTorch, Keras y ONNX, y el propio diseño',
  preparingZip: 'Preparando el zip…',
  downloaded: (file: string) => `Descargado ${file}.`,
  downloadFailed: (detail: string) => `No se pudo crear el zip: ${detail}`,
  alsoInDownload: 'También en la descarga:',
  onnxOnDownload: (params: string, size: string) =>
    `Este diseño tiene ${params} parámetros, así que model.onnx ocupará unos ${size}. Crearlo lleva un rato, así ` +
    'que el archivo y su resumen se generan solo al descargarlos (Descargar todo).',
  weightsLeftOut: (tensors: number, size: string) =>
    `Los pesos entrenados (${tensors} tensores, ${size}) no se muestran aquí; el archivo del diseño en la descarga los incluye.`,
};

const TABLE: Readonly<Record<Lang, Strings>> = { en, es };

export function strings(lang: Lang): Strings {
  return TABLE[lang];
}

/** The browser's preferred language when we speak it, else English. */
export function preferredLang(languages: readonly string[] | undefined): Lang {
  for (const tag of languages ?? []) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'es' || base === 'en') return base;
  }
  return 'en';
}
