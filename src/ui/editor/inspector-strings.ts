/**
 * The inspector's words in English and Spanish. Issue messages and fix labels come from src/graph's
 * catalogue (formatIssue, formatFixLabel); parameter docs from each layer's schema.
 */
import type { SizeAxis } from '../../graph/explain.ts';
import type { FieldExplanation } from '../../graph/receptive-field.ts';
import type { Lang } from '../../graph/types.ts';
import { formatCount } from '../../graph/number-format.ts';
import type { DraftProblem } from './param-draft.ts';

/** A bound or parameter value in the page's number style (1,000 / 1.000; 0.5 / 0,5). */
export function formatNumber(n: number, lang: Lang): string {
  if (Number.isInteger(n)) return formatCount(n, lang);
  const text = String(Number(n.toPrecision(6)));
  return lang === 'es' ? text.replace('.', ',') : text;
}

/** "17,400×" or "2.5×": how many times more parameters the Dense layer needs. */
function formatRatio(r: number, lang: Lang): string {
  return r >= 10 ? formatCount(Math.round(r), lang) : formatNumber(Math.round(r * 10) / 10, lang);
}

/** Names of the entries of an integer-list parameter, for their labels. */
type EntryWords = Readonly<Record<'height' | 'width' | 'top' | 'bottom' | 'left' | 'right' | 'channels' | 'features' | 'length', string>>;

const PAIRS = new Set(['kernel_size', 'strides', 'dilation_rate', 'pool_size', 'size']);
const SHAPES = new Set(['shape', 'target_shape']);

function entryNamesWith(w: EntryWords) {
  return (param: string, length: number): string[] => {
    if (PAIRS.has(param) && length === 2) return [w.height, w.width];
    if (length === 4) return [w.top, w.bottom, w.left, w.right];
    if (SHAPES.has(param)) {
      if (length === 3) return [w.height, w.width, w.channels];
      if (length === 2) return [w.length, w.channels];
      if (length === 1) return [w.features];
    }
    return Array.from({ length }, (_, i) => String(i + 1));
  };
}

const enEntries: EntryWords = {
  height: 'height',
  width: 'width',
  top: 'top',
  bottom: 'bottom',
  left: 'left',
  right: 'right',
  channels: 'channels',
  features: 'features',
  length: 'length',
};

const esEntries: EntryWords = {
  height: 'alto',
  width: 'ancho',
  top: 'arriba',
  bottom: 'abajo',
  left: 'izquierda',
  right: 'derecha',
  channels: 'canales',
  features: 'rasgos',
  length: 'longitud',
};

const en = {
  heading: 'Inspector',
  noDesign: 'Open a template or a file to inspect its layers.',
  noSelection: 'Select a layer on the canvas to see its shapes and edit its settings.',
  manySelected: (n: number) => `${n} layers are selected. Select just one to inspect it.`,
  gone: 'The selected layer is no longer in the design.',
  block: (def: string) => `block of definition “${def}”`,
  blockShared: (n: number) => (n === 1 ? 'Only this instance uses its definition.' : `${n} instances share this definition: editing it edits them all.`),
  blockCopies: 'Copies',
  blockArgs: 'Arguments',
  blockArgHint: 'A number, true/false, or a list such as 2, 2',
  blockLayers: 'Layers inside',
  blockShapes: 'In → out',
  blockParams: 'Parameters',
  blockMacs: 'MACs',
  ungroup: 'Ungroup',
  expand: 'Unfold in place',
  makeUnique: 'Make unique',
  blockEdit: (def: string) => `Edit ${def} (every instance)`,
  blockBound: (param: string, arg: string) => `${param}: set by the argument ${arg}`,
  label: 'Name',
  notesIn: (language: string) => `Notes (${language})`,
  blockNotesIn: (block: string, language: string) => `Notes on ${block}, every instance (${language})`,
  notesEmpty: 'Notes for whoever opens this design: what this is for, what to try.',
  notesTranslate: (language: string) => `Write the note in ${language}`,
  labelHint: (id: string) => `Shown on the canvas and used for the names in exported code. Empty: the id, ${id}.`,
  id: 'Id',
  kind: 'Kind',
  shapes: 'Shapes',
  input: 'Input',
  inputN: (n: number) => `Input ${n}`,
  noInput: 'no input connected',
  output: 'Output',
  unknown: 'unknown',
  parameters: 'Parameters',
  noParameters: 'This layer has no settings.',
  changed: 'changed from the default',
  resetTo: (param: string, value: string) => `Reset ${param} to its default, ${value}`,
  addEntry: (param: string) => `Add an entry to ${param}`,
  removeEntry: (param: string) => `Remove the last entry of ${param}`,
  problem: (p: DraftProblem): string => {
    switch (p.kind) {
      case 'empty':
        return 'Enter a value.';
      case 'not-number':
        return 'This is not a number.';
      case 'not-integer':
        return 'Use a whole number.';
      case 'range': {
        const min = formatNumber(p.min, 'en');
        const max = formatNumber(p.max, 'en');
        const range = p.maxExclusive ? `from ${min} up to (not including) ${max}` : `from ${min} to ${max}`;
        return p.minusOne ? `Use -1 or a whole number ${range}.` : `Use a value ${range}.`;
      }
      case 'length':
        return p.min === p.max ? `Give exactly ${p.min} values.` : `Give ${p.min} to ${p.max} values.`;
      case 'choice':
        return `Choose one of ${p.options.join(', ')}.`;
    }
  },
  entryNames: entryNamesWith(enEntries),
  outputSize: 'Output size',
  axis: (axis: SizeAxis) => ({ height: 'Height', width: 'Width', features: 'Values' })[axis],
  bothAxes: 'Height and width',
  rule: 'Rule',
  effectiveKernel: 'A dilated kernel spans',
  samePadding: "Padding 'same' adds",
  sameSplit: (before: number, after: number, axis: SizeAxis) =>
    axis === 'width' ? `${before} on the left, ${after} on the right` : `${before} at the top, ${after} at the bottom`,
  receptiveField: 'Receptive field',
  fieldHint: 'The input pixels one output value sees: size r, jump j (input pixels between neighbouring outputs) and the centre of the first one (start; outside the image when padding comes first).',
  fieldSummary: (input: string, size: string, jump: string, start: string) =>
    `On ${input}: ${size} pixels, jump ${jump}, first centre at ${start}.`,
  fieldHow: (how: Exclude<FieldExplanation['how'], 'steps'>, input: string) =>
    ({
      origin: 'Each pixel sees itself: r = 1, j = 1, start = 0.',
      same: 'The same as its input’s: this layer works position by position.',
      union: 'Its inputs meet here: the smallest field that holds all of theirs.',
      whole: `Every value mixes all of ${input}: the field is no longer local.`,
      irregular: `Paths from ${input} with different jumps meet here: the field changes from position to position.`,
    })[how],
  fieldSize: 'Size',
  fieldJump: 'Jump',
  fieldStart: 'Start',
  cost: 'Cost',
  trainable: 'Trainable parameters',
  nonTrainable: 'Non-trainable parameters',
  macs: 'MACs per sample',
  weights: 'Weight tensors',
  weightsHint: 'The same numbers, stored in each framework’s axis order.',
  colKeras: 'Keras / TF.js',
  colPytorch: 'PyTorch',
  notTrained: 'not trained',
  denseTitle: 'Why a convolution?',
  dense: (inputs: string, outputs: string, dense: string, conv: string, ratio: string) =>
    `A Dense layer mapping the same ${inputs} input values to the same ${outputs} output values would need ` +
    `${inputs}·${outputs} + ${outputs} = ${dense} parameters. This layer has ${conv}, ${ratio}× fewer: each output ` +
    `looks only at a small window (sparse connectivity) and every position reuses the same filters (weight sharing).`,
  denseRatio: (r: number) => formatRatio(r, 'en'),
  issues: 'Problems',
  noIssues: 'No problems.',
  error: 'Error',
  warning: 'Warning',
  fix: (label: string) => `Fix: ${label}`,
};

export type InspectorStrings = typeof en;

const es: InspectorStrings = {
  heading: 'Inspector',
  noDesign: 'Abre una plantilla o un archivo para inspeccionar sus capas.',
  noSelection: 'Selecciona una capa en el lienzo para ver sus formas y editar sus ajustes.',
  manySelected: (n: number) => `Hay ${n} capas seleccionadas. Selecciona solo una para inspeccionarla.`,
  gone: 'La capa seleccionada ya no está en el diseño.',
  block: (def: string) => `bloque de la definición «${def}»`,
  blockShared: (n: number) => (n === 1 ? 'Solo esta instancia usa su definición.' : `${n} instancias comparten esta definición: editarla las cambia todas.`),
  blockCopies: 'Copias',
  blockArgs: 'Argumentos',
  blockArgHint: 'Un número, true/false o una lista como 2, 2',
  blockLayers: 'Capas dentro',
  blockShapes: 'Entrada → salida',
  blockParams: 'Parámetros',
  blockMacs: 'MACs',
  ungroup: 'Desagrupar',
  expand: 'Desplegar en su sitio',
  makeUnique: 'Hacer única',
  blockEdit: (def: string) => `Editar ${def} (todas las instancias)`,
  blockBound: (param: string, arg: string) => `${param}: lo fija el argumento ${arg}`,
  label: 'Nombre',
  notesIn: (language: string) => `Notas (${language})`,
  blockNotesIn: (block: string, language: string) => `Notas de ${block}, todas las instancias (${language})`,
  notesEmpty: 'Notas para quien abra este diseño: para qué sirve, qué probar.',
  notesTranslate: (language: string) => `Escribe la nota en ${language.toLowerCase()}`,
  labelHint: (id: string) => `Se muestra en el lienzo y da nombre al código exportado. Vacío: el id, ${id}.`,
  id: 'Id',
  kind: 'Tipo',
  shapes: 'Formas',
  input: 'Entrada',
  inputN: (n: number) => `Entrada ${n}`,
  noInput: 'sin entrada conectada',
  output: 'Salida',
  unknown: 'desconocida',
  parameters: 'Parámetros',
  noParameters: 'Esta capa no tiene ajustes.',
  changed: 'distinto del valor por defecto',
  resetTo: (param: string, value: string) => `Restablecer ${param} a su valor por defecto, ${value}`,
  addEntry: (param: string) => `Añadir un valor a ${param}`,
  removeEntry: (param: string) => `Quitar el último valor de ${param}`,
  problem: (p: DraftProblem): string => {
    switch (p.kind) {
      case 'empty':
        return 'Escribe un valor.';
      case 'not-number':
        return 'Esto no es un número.';
      case 'not-integer':
        return 'Usa un número entero.';
      case 'range': {
        const min = formatNumber(p.min, 'es');
        const max = formatNumber(p.max, 'es');
        const range = p.maxExclusive ? `desde ${min} hasta ${max} (sin incluirlo)` : `entre ${min} y ${max}`;
        return p.minusOne ? `Usa -1 o un número entero ${range}.` : `Usa un valor ${range}.`;
      }
      case 'length':
        return p.min === p.max ? `Indica exactamente ${p.min} valores.` : `Indica entre ${p.min} y ${p.max} valores.`;
      case 'choice':
        return `Elige una de estas opciones: ${p.options.join(', ')}.`;
    }
  },
  entryNames: entryNamesWith(esEntries),
  outputSize: 'Tamaño de salida',
  axis: (axis: SizeAxis) => ({ height: 'Alto', width: 'Ancho', features: 'Valores' })[axis],
  bothAxes: 'Alto y ancho',
  rule: 'Regla',
  effectiveKernel: 'Un kernel dilatado abarca',
  samePadding: "El relleno 'same' añade",
  sameSplit: (before: number, after: number, axis: SizeAxis) =>
    axis === 'width' ? `${before} a la izquierda, ${after} a la derecha` : `${before} arriba, ${after} abajo`,
  receptiveField: 'Campo receptivo',
  fieldHint: 'Los píxeles de la entrada que ve un valor de salida: tamaño r, salto j (píxeles de entrada entre salidas vecinas) y el centro del primero (start; fuera de la imagen si antes hay relleno).',
  fieldSummary: (input: string, size: string, jump: string, start: string) =>
    `Sobre ${input}: ${size} píxeles, salto ${jump}, primer centro en ${start}.`,
  fieldHow: (how: Exclude<FieldExplanation['how'], 'steps'>, input: string) =>
    ({
      origin: 'Cada píxel se ve a sí mismo: r = 1, j = 1, start = 0.',
      same: 'El mismo que el de su entrada: esta capa trabaja posición a posición.',
      union: 'Aquí se juntan sus entradas: el menor campo que contiene los de todas.',
      whole: `Cada valor mezcla toda la entrada ${input}: el campo ya no es local.`,
      irregular: `Aquí se juntan caminos desde ${input} con saltos distintos: el campo cambia de una posición a otra.`,
    })[how],
  fieldSize: 'Tamaño',
  fieldJump: 'Salto',
  fieldStart: 'Inicio',
  cost: 'Coste',
  trainable: 'Parámetros entrenables',
  nonTrainable: 'Parámetros no entrenables',
  macs: 'MAC por muestra',
  weights: 'Tensores de pesos',
  weightsHint: 'Los mismos números, guardados en el orden de ejes de cada framework.',
  colKeras: 'Keras / TF.js',
  colPytorch: 'PyTorch',
  notTrained: 'no se entrena',
  denseTitle: '¿Por qué una convolución?',
  dense: (inputs: string, outputs: string, dense: string, conv: string, ratio: string) =>
    `Una capa Dense que llevara los mismos ${inputs} valores de entrada a los mismos ${outputs} valores de salida ` +
    `necesitaría ${inputs}·${outputs} + ${outputs} = ${dense} parámetros. Esta capa tiene ${conv}, ${ratio} veces menos: ` +
    `cada salida mira solo una ventana pequeña (conectividad dispersa) y todas las posiciones reutilizan los mismos ` +
    `filtros (pesos compartidos).`,
  denseRatio: (r: number) => formatRatio(r, 'es'),
  issues: 'Problemas',
  noIssues: 'Sin problemas.',
  error: 'Error',
  warning: 'Aviso',
  fix: (label: string) => `Arreglar: ${label}`,
};

export function inspectorStrings(lang: Lang): InspectorStrings {
  return lang === 'es' ? es : en;
}
