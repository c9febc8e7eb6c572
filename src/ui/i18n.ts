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
