/**
 * The training panel's words in English and Spanish (issue messages come from src/graph's catalogue).
 */
import type { CeilingSource } from '../../graph/training-memory.ts';
import type { Lang } from '../../graph/types.ts';
import type { FoundImages } from '../../train/datasets/image-header.ts';
import type { MissingBackend } from '../../train/protocol.ts';
import { useApp } from '../store-context.ts';

const en = {
  tabLayers: 'Layers',
  tabTrain: 'Train',
  train: 'Train',
  data: 'Data',
  dataMnist: 'MNIST digits',
  dataFashion: 'Fashion-MNIST',
  dataShapes: 'Shapes (synthetic)',
  dataFolder: 'Your images',
  folderHint: 'Drop a folder or a .zip with one sub-folder per class, or',
  chooseFolder: 'Choose a folder…',
  chooseZip: 'Choose a .zip…',
  loadingData: 'Loading data',
  dataSummary: (train: number, test: number, shape: string, classes: number) =>
    `${train.toLocaleString('en-US')} training and ${test.toLocaleString('en-US')} test images · ${shape} · ${classes} classes`,
  perClass: 'Images per class',
  classCol: 'Class',
  trainCol: 'Train',
  testCol: 'Test',
  fit: 'Does the data fit the network?',
  fitOk: 'The network and the data fit.',
  fitNoData: 'Choose data to check it against the network.',
  settings: 'Settings',
  optimizer: 'Optimiser',
  sgd: 'SGD with momentum',
  adam: 'Adam',
  learningRate: 'Learning rate',
  momentum: 'Momentum',
  batchSize: 'Batch size',
  epochs: 'Epochs',
  validationSplit: 'Validation share',
  augmentShift: 'Random shift (pixels)',
  augmentFlip: 'Random horizontal flip',
  earlyStopping: 'Early stopping',
  patience: 'Patience (epochs)',
  batchLimit: 'Batches per epoch (empty = all)',
  backend: 'Backend',
  auto: 'Auto (starts at once)',
  runningOn: (name: string) => `Running on ${name}`,
  autoWhy: (pick: string, name: string) =>
    pick === 'measured'
      ? `Auto chose ${name}: the fastest measured for this network on this device.`
      : `Auto started at once on ${name}, usually the fastest without a GPU; the other backends are measured when the run ends, and the next run starts on the fastest.`,
  measured: 'Measured',
  measuring: 'Measuring backends…',
  start: 'Train',
  budget: 'Budget before training',
  budgetMemory: 'Memory (predicted)',
  budgetEpoch: 'Time per epoch',
  budgetWeights: 'Weights',
  budgetOptimizerState: 'Optimiser state',
  budgetTemporaries: 'Update temporaries',
  budgetActivations: (batch: number) => `Activations × batch ${batch}`,
  budgetMeasured: (backend: string) => `at the speed measured on ${backend}`,
  budgetEstimated: 'estimate: no step of this design measured yet',
  budgetNoData: 'choose data to count the steps',
  budgetOver: (source: Exclude<CeilingSource, 'failed-run'>, what: string, over: string, ceiling: string) =>
    source === 'webgpu-binding'
      ? `Too large for WebGPU here: the largest tensor needs ${what}, ${over} over the ${ceiling} this GPU binds in one buffer.`
      : `Too large for this device: ${what} predicted, ${over} over the ${ceiling} of memory the browser reports.`,
  budgetOverLearned: (what: string, failed: string, batch: number) =>
    `Learned from a failed run: training on this device ran out of memory at ${failed} predicted (batch ${batch}); these settings predict ${what}.`,
  budgetUseBatch: (n: number) => `Use batch ${n}`,
  budgetUseSgd: (n: number) => `Use SGD with momentum and batch ${n}`,
  budgetNoFix: 'Not even one image fits: make the input or the network smaller.',
  budgetAdviceOnly: 'Advice only: it never stops you from training.',
  pause: 'Pause',
  resume: 'Resume',
  stop: 'Stop',
  progress: 'Training progress',
  phase: (phase: string) =>
    (
      {
        starting: 'Starting…',
        compiling: 'Building the model…',
        measuring: 'Measuring backends…',
        training: 'Training',
        paused: 'Paused',
        evaluating: 'Testing…',
        done: 'Done',
        stopped: 'Stopped',
        failed: 'Stopped by an error',
      } as Record<string, string>
    )[phase] ?? phase,
  progressLine: (epoch: number, epochs: number, batch: number, batches: number) => `Epoch ${epoch}/${epochs} · batch ${batch}/${batches}`,
  speed: (sps: number) => `${Math.round(sps).toLocaleString('en-US')} samples/s`,
  eta: (text: string) => `${text} left`,
  loss: 'Loss',
  accuracy: 'Accuracy',
  missing: {
    'no-webgpu': 'this browser has no WebGPU',
    'no-gpu-adapter': 'the browser offers WebGPU but no adapter (no usable GPU)',
    'no-offscreen-canvas': 'no OffscreenCanvas in the training worker',
    'no-webgl2': 'WebGL 2 is not available',
    'no-wasm': 'WebAssembly is not available',
  } satisfies Record<MissingBackend, string>,
  splitTrain: 'Training (last batches)',
  splitValidation: (epoch: number) => `Validation (after epoch ${epoch})`,
  splitValidationPending: 'Validation (after the first epoch)',
  trainSeries: 'train',
  valSeries: 'validation',
  epochAxis: 'epoch',
  chartSummary: (what: string, train: string, val: string) => `${what}: train ${train}, validation ${val}`,
  results: 'Results',
  testAccuracy: 'Test accuracy',
  stopReason: (reason: string, epochs: number, seconds: number, backend: string) =>
    `${({ completed: 'Finished', stopped: 'Stopped', 'early-stopped': 'Stopped early (no improvement)' } as Record<string, string>)[reason] ?? reason} after ${epochs} epoch${epochs === 1 ? '' : 's'} in ${seconds.toFixed(1)} s on ${backend}.`,
  confusion: 'Confusion matrix',
  confusionCaption: 'Rows: true class · columns: predicted class',
  actual: 'true',
  predicted: 'predicted',
  misclassified: (shown: number, total: number) => `Misclassified test images (${shown} of ${total})`,
  noneMisclassified: 'No test image was misclassified.',
  wasPredicted: (label: string, predicted: string) => `${label}, predicted ${predicted}`,
  predict: 'Predictions',
  testImage: 'Test image number',
  show: 'Show',
  uploadImage: 'Upload an image…',
  top5: 'Top 5',
  trueLabel: (label: string) => `True class: ${label}`,
  drawPad: 'Draw a digit',
  drawHint: 'Draw with the mouse, a finger or a pen; the network guesses as you draw.',
  clear: 'Clear',
  saveWithWeights: 'Save design with weights',
  weightsKept: 'The trained weights are kept with the design for this session.',
  dismiss: 'Dismiss',
  confirmTitle: 'A training run is active',
  confirmBody: (what: string) => `${what}? This changes the network being trained, so the run must stop first.`,
  confirmStop: 'Stop training and apply',
  confirmKeep: 'Keep training',
  fixButton: (label: string) => `Fix: ${label}`,
  warningsTitle: 'Some files were skipped',
  stoppedIn: (epoch: number, batch: number, batches: number) => `Stopped in epoch ${epoch} at batch ${batch} of ${batches}`,
  stoppedAt: (epoch: number, batch: number, batches: number, seconds: number, backend: string) =>
    `Stopped in epoch ${epoch} at batch ${batch} of ${batches}, after ${seconds.toFixed(1)} s on ${backend}. These results are for the weights at that point.`,
  evaluatedOn: (backend: string) => `Measured without training, on ${backend}.`,
  resultsFor: (data: string, classes: number, origin: string) =>
    `${({ trained: 'Trained', continued: 'Trained further', loaded: 'Saved weights measured' } as Record<string, string>)[origin] ?? origin} on ${data} (${classes} classes).`,
  previousRun: (data: string, reasons: readonly string[]) =>
    `From the previous run, on ${data}. Since then ${reasons.map((r) => (r === 'design' ? 'the network' : 'the data')).join(' and ')} changed: predictions are put away; train again for results on what is open now.`,
  savedWeights: 'Saved weights',
  savedWeightsBody: 'This design has trained weights (from a file, a link or the last session). Measure them on the data, then predict and draw with them, without training.',
  evaluate: (data: string) => `Evaluate on ${data}`,
  evaluating: 'Evaluating…',
  chooseDataFirst: 'Choose data that fits the network to evaluate them.',
  trainChoice: 'This design already has trained weights.',
  continueFrom: 'Continue from these weights',
  startFresh: 'Start fresh (replaces them when the run ends)',
  cancel: 'Cancel',
  dataKept: (name: string) => `Still using ${name}.`,
  loadingWhat: (name: string) => `Loading ${name}`,
  found: (f: FoundImages, shape: string) =>
    `Found ${f.sizes === 1 ? `${f.minHeight}×${f.minWidth}` : `${f.sizes} sizes, ${f.minHeight}×${f.minWidth} to ${f.maxHeight}×${f.maxWidth}`}` +
    `${colourWords(f, 'in colour', 'gray', 'and')}; loaded at ${shape} for the network's Input.`,
  splitSizes: (train: number, val: number, test: number) =>
    `${train.toLocaleString('en-US')} to train · ${val.toLocaleString('en-US')} to validate · ${test.toLocaleString('en-US')} to test`,
  steps: (perEpoch: number, total: number) => `${perEpoch.toLocaleString('en-US')} steps per epoch, ${total.toLocaleString('en-US')} in all`,
  fewSteps: (steps: number) =>
    `Only ${steps} training steps: with so few, the accuracy swings from run to run. Try more epochs, a smaller batch, or augmentation (random shift).`,
  testShare: 'Test share of your images',
  lostRun: (data: string | null, epochs: number) =>
    `A training run${data ? ` on ${data}` : ''} (${epochs} epoch${epochs === 1 ? '' : 's'}) was lost when the page closed or reloaded. The design's last saved weights, if any, are kept.`,
};

export type TrainStrings = typeof en;

const es: TrainStrings = {
  tabLayers: 'Capas',
  tabTrain: 'Entrenar',
  train: 'Entrenar',
  data: 'Datos',
  dataMnist: 'Dígitos MNIST',
  dataFashion: 'Fashion-MNIST',
  dataShapes: 'Formas (sintético)',
  dataFolder: 'Tus imágenes',
  folderHint: 'Suelta una carpeta o un .zip con una subcarpeta por clase, o',
  chooseFolder: 'Elegir una carpeta…',
  chooseZip: 'Elegir un .zip…',
  loadingData: 'Cargando datos',
  dataSummary: (train: number, test: number, shape: string, classes: number) =>
    `${train.toLocaleString('es-ES')} imágenes de entrenamiento y ${test.toLocaleString('es-ES')} de prueba · ${shape} · ${classes} clases`,
  perClass: 'Imágenes por clase',
  classCol: 'Clase',
  trainCol: 'Entrenamiento',
  testCol: 'Prueba',
  fit: '¿Encajan los datos con la red?',
  fitOk: 'La red y los datos encajan.',
  fitNoData: 'Elige datos para compararlos con la red.',
  settings: 'Ajustes',
  optimizer: 'Optimizador',
  sgd: 'SGD con momento',
  adam: 'Adam',
  learningRate: 'Tasa de aprendizaje',
  momentum: 'Momento',
  batchSize: 'Tamaño de lote',
  epochs: 'Épocas',
  validationSplit: 'Parte de validación',
  augmentShift: 'Desplazamiento aleatorio (píxeles)',
  augmentFlip: 'Volteo horizontal aleatorio',
  earlyStopping: 'Parada temprana',
  patience: 'Paciencia (épocas)',
  batchLimit: 'Lotes por época (vacío = todos)',
  backend: 'Motor',
  auto: 'Automático (al instante)',
  runningOn: (name: string) => `Ejecutando en ${name}`,
  autoWhy: (pick: string, name: string) =>
    pick === 'measured'
      ? `Automático eligió ${name}: el más rápido medido para esta red en este dispositivo.`
      : `Automático empezó al instante en ${name}, normalmente el más rápido sin GPU; los demás motores se miden al terminar la ejecución y la siguiente empieza en el más rápido.`,
  measured: 'Medido',
  measuring: 'Midiendo motores…',
  start: 'Entrenar',
  budget: 'Presupuesto antes de entrenar',
  budgetMemory: 'Memoria (prevista)',
  budgetEpoch: 'Tiempo por época',
  budgetWeights: 'Pesos',
  budgetOptimizerState: 'Estado del optimizador',
  budgetTemporaries: 'Temporales de la actualización',
  budgetActivations: (batch: number) => `Activaciones × lote de ${batch}`,
  budgetMeasured: (backend: string) => `a la velocidad medida con ${backend}`,
  budgetEstimated: 'estimación: aún no se ha medido ningún paso de este diseño',
  budgetNoData: 'elige los datos para contar los pasos',
  budgetOver: (source: Exclude<CeilingSource, 'failed-run'>, what: string, over: string, ceiling: string) =>
    source === 'webgpu-binding'
      ? `Demasiado grande para WebGPU aquí: el tensor mayor necesita ${what}, ${over} más que los ${ceiling} que esta GPU admite en un búfer.`
      : `Demasiado grande para este dispositivo: se prevén ${what}, ${over} más que los ${ceiling} de memoria que indica el navegador.`,
  budgetOverLearned: (what: string, failed: string, batch: number) =>
    `Aprendido de un entrenamiento fallido: en este dispositivo se agotó la memoria con ${failed} previstos (lote de ${batch}); estos ajustes prevén ${what}.`,
  budgetUseBatch: (n: number) => `Usar lote de ${n}`,
  budgetUseSgd: (n: number) => `Usar SGD con momento y lote de ${n}`,
  budgetNoFix: 'Ni una sola imagen cabe: reduce la entrada o la red.',
  budgetAdviceOnly: 'Solo es un consejo: nunca te impide entrenar.',
  pause: 'Pausar',
  resume: 'Reanudar',
  stop: 'Detener',
  progress: 'Progreso del entrenamiento',
  phase: (phase: string) =>
    (
      {
        starting: 'Empezando…',
        compiling: 'Construyendo el modelo…',
        measuring: 'Midiendo motores…',
        training: 'Entrenando',
        paused: 'En pausa',
        evaluating: 'Evaluando…',
        done: 'Terminado',
        stopped: 'Detenido',
        failed: 'Detenido por un error',
      } as Record<string, string>
    )[phase] ?? phase,
  progressLine: (epoch: number, epochs: number, batch: number, batches: number) => `Época ${epoch}/${epochs} · lote ${batch}/${batches}`,
  speed: (sps: number) => `${Math.round(sps).toLocaleString('es-ES')} muestras/s`,
  eta: (text: string) => `quedan ${text}`,
  loss: 'Pérdida',
  accuracy: 'Exactitud',
  missing: {
    'no-webgpu': 'este navegador no tiene WebGPU',
    'no-gpu-adapter': 'el navegador ofrece WebGPU pero ningún adaptador (no hay una GPU utilizable)',
    'no-offscreen-canvas': 'no hay OffscreenCanvas en el proceso de entrenamiento',
    'no-webgl2': 'WebGL 2 no está disponible',
    'no-wasm': 'WebAssembly no está disponible',
  } satisfies Record<MissingBackend, string>,
  splitTrain: 'Entrenamiento (últimos lotes)',
  splitValidation: (epoch: number) => `Validación (tras la época ${epoch})`,
  splitValidationPending: 'Validación (tras la primera época)',
  trainSeries: 'entrenamiento',
  valSeries: 'validación',
  epochAxis: 'época',
  chartSummary: (what: string, train: string, val: string) => `${what}: entrenamiento ${train}, validación ${val}`,
  results: 'Resultados',
  testAccuracy: 'Exactitud en prueba',
  stopReason: (reason: string, epochs: number, seconds: number, backend: string) =>
    `${({ completed: 'Terminado', stopped: 'Detenido', 'early-stopped': 'Detenido antes (sin mejora)' } as Record<string, string>)[reason] ?? reason} tras ${epochs} época${epochs === 1 ? '' : 's'} en ${seconds.toFixed(1)} s con ${backend}.`,
  confusion: 'Matriz de confusión',
  confusionCaption: 'Filas: clase real · columnas: clase predicha',
  actual: 'real',
  predicted: 'predicha',
  misclassified: (shown: number, total: number) => `Imágenes de prueba mal clasificadas (${shown} de ${total})`,
  noneMisclassified: 'Ninguna imagen de prueba se clasificó mal.',
  wasPredicted: (label: string, predicted: string) => `${label}, predicha ${predicted}`,
  predict: 'Predicciones',
  testImage: 'Número de imagen de prueba',
  show: 'Mostrar',
  uploadImage: 'Subir una imagen…',
  top5: 'Top 5',
  trueLabel: (label: string) => `Clase real: ${label}`,
  drawPad: 'Dibuja un dígito',
  drawHint: 'Dibuja con el ratón, un dedo o un lápiz; la red adivina mientras dibujas.',
  clear: 'Borrar',
  saveWithWeights: 'Guardar diseño con pesos',
  weightsKept: 'Los pesos entrenados se guardan con el diseño durante esta sesión.',
  dismiss: 'Cerrar',
  confirmTitle: 'Hay un entrenamiento en curso',
  confirmBody: (what: string) => `¿${what}? Esto cambia la red que se está entrenando, así que antes hay que detenerlo.`,
  confirmStop: 'Detener y aplicar',
  confirmKeep: 'Seguir entrenando',
  fixButton: (label: string) => `Arreglar: ${label}`,
  warningsTitle: 'Se omitieron algunos archivos',
  stoppedIn: (epoch: number, batch: number, batches: number) => `Detenido en la época ${epoch}, en el lote ${batch} de ${batches}`,
  stoppedAt: (epoch: number, batch: number, batches: number, seconds: number, backend: string) =>
    `Detenido en la época ${epoch}, en el lote ${batch} de ${batches}, tras ${seconds.toFixed(1)} s con ${backend}. Estos resultados son de los pesos en ese punto.`,
  evaluatedOn: (backend: string) => `Medido sin entrenar, con ${backend}.`,
  resultsFor: (data: string, classes: number, origin: string) =>
    `${({ trained: 'Entrenado', continued: 'Entrenado de nuevo', loaded: 'Pesos guardados medidos' } as Record<string, string>)[origin] ?? origin} con ${data} (${classes} clases).`,
  previousRun: (data: string, reasons: readonly string[]) =>
    `Del entrenamiento anterior, con ${data}. Desde entonces ${reasons.includes('data') ? 'han cambiado' : 'ha cambiado'} ${reasons.map((r) => (r === 'design' ? 'la red' : 'los datos')).join(' y ')}: las predicciones se retiran; entrena de nuevo para ver resultados de lo que está abierto.`,
  savedWeights: 'Pesos guardados',
  savedWeightsBody: 'Este diseño tiene pesos entrenados (de un archivo, un enlace o la última sesión). Mídelos con los datos y luego predice y dibuja con ellos, sin entrenar.',
  evaluate: (data: string) => `Evaluar con ${data}`,
  evaluating: 'Evaluando…',
  chooseDataFirst: 'Elige datos que encajen con la red para evaluarlos.',
  trainChoice: 'Este diseño ya tiene pesos entrenados.',
  continueFrom: 'Continuar desde estos pesos',
  startFresh: 'Empezar de cero (los reemplaza al terminar)',
  cancel: 'Cancelar',
  dataKept: (name: string) => `Se siguen usando los datos ${name}.`,
  loadingWhat: (name: string) => `Cargando ${name}`,
  found: (f: FoundImages, shape: string) =>
    `Encontradas: ${f.sizes === 1 ? `${f.minHeight}×${f.minWidth}` : `${f.sizes} tamaños, de ${f.minHeight}×${f.minWidth} a ${f.maxHeight}×${f.maxWidth}`}` +
    `${colourWords(f, 'en color', 'en gris', 'y')}; cargadas a ${shape} para la Input de la red.`,
  splitSizes: (train: number, val: number, test: number) =>
    `${train.toLocaleString('es-ES')} para entrenar · ${val.toLocaleString('es-ES')} para validar · ${test.toLocaleString('es-ES')} para probar`,
  steps: (perEpoch: number, total: number) => `${perEpoch.toLocaleString('es-ES')} pasos por época, ${total.toLocaleString('es-ES')} en total`,
  fewSteps: (steps: number) =>
    `Solo ${steps} pasos de entrenamiento: con tan pocos, la exactitud varía mucho de un entrenamiento a otro. Prueba más épocas, un lote más pequeño o aumento de datos (desplazamiento aleatorio).`,
  testShare: 'Parte de prueba de tus imágenes',
  lostRun: (data: string | null, epochs: number) =>
    `Se perdió un entrenamiento${data ? ` con ${data}` : ''} (${epochs} época${epochs === 1 ? '' : 's'}) al cerrarse o recargarse la página. Se conservan los últimos pesos guardados del diseño, si los hay.`,
};

const TABLE: Readonly<Record<Lang, TrainStrings>> = { en, es };

export function trainStrings(lang: Lang): TrainStrings {
  return TABLE[lang];
}

export function useTrainStrings(): TrainStrings {
  return trainStrings(useApp((s) => s.lang));
}

/** ", 12 in colour and 48 gray", ", all gray", or nothing when no file declares its colour. */
function colourWords(f: FoundImages, colour: string, gray: string, and: string): string {
  if (f.color > 0 && f.gray > 0) return `, ${f.color} ${colour} ${and} ${f.gray} ${gray}`;
  if (f.color > 0) return `, ${colour}`;
  if (f.gray > 0) return `, ${gray}`;
  return '';
}

/** "1:05" or "12 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function formatPercent(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)} %`;
}
