/**
 * The lessons that ship with the app, as design documents (format version 3): the starting design (here an
 * empty canvas) with its `lesson`. Pure data: opened like any file, shared by the same link, checked by
 * graph/lesson-check.ts. Their tests (lessons.test.ts) hold every step against a reference solution.
 */
import { DesignBuilder } from '../graph/builder.ts';
import { FORMAT_VERSION, type Design } from '../graph/types.ts';
import { choiceStep, shapeStep, step } from './lesson-kit.ts';
import { classifyDigitsLesson } from './digits.ts';
import { correlationLesson, filtersLesson } from './kernel-lab-lessons.ts';
import { exportLesson } from './export-lesson.ts';
import { sharedGradientsLesson, whatCnnsSeeLesson } from './look-inside-lessons.ts';
import { galleryTourLesson } from './tour.ts';
import { residualLesson, vggStacksLesson } from './classic-architectures.ts';

/**
 * Lesson 7 of the course (the classic architectures), its first part: build LeNet-5 from an empty canvas,
 * one layer a step, each checked by the shape it must produce, to torchvision's 61,706 parameters.
 */
export function lenet5Lesson(): Design {
  return {
    format: 'netcanvas',
    version: FORMAT_VERSION,
    name: 'Lesson: build LeNet-5',
    description: {
      en: 'Build LeCun’s 1998 digit reader layer by layer from an empty canvas; the app checks every step.',
      es: 'Construye capa a capa, desde un lienzo vacío, el lector de dígitos de LeCun de 1998; la aplicación comprueba cada paso.',
    },
    nodes: [],
    edges: [],
    lesson: {
      title: { en: 'Build LeNet-5', es: 'Construye LeNet-5' },
      steps: [
        shapeStep(
          'LeNet-5 reads a 32×32 grey image: MNIST’s 28×28 digits with 2 pixels of padding. Drag an Input layer onto the canvas and set its shape to 32×32×1.',
          'LeNet-5 lee una imagen gris de 32×32: los dígitos de 28×28 de MNIST con 2 píxeles de relleno. Arrastra una capa Input al lienzo y pon su forma en 32×32×1.',
          'Input',
          1,
          [32, 32, 1],
        ),
        shapeStep(
          'C1: add a Conv2D after the input with 6 filters of 5×5 and no padding ("valid"). Each side shrinks by 5 − 1 = 4, so C1 outputs 28×28×6.',
          'C1: añade una Conv2D tras la entrada con 6 filtros de 5×5 y sin relleno ("valid"). Cada lado pierde 5 − 1 = 4, así que C1 produce 28×28×6.',
          'Conv2D',
          1,
          [28, 28, 6],
        ),
        shapeStep(
          'S2: subsample with a 2×2 AvgPool2D (stride 2) after C1. It halves the map: 14×14×6, and adds no parameters.',
          'S2: submuestrea con un AvgPool2D de 2×2 (paso 2) tras C1. Reduce el mapa a la mitad, 14×14×6, y no añade parámetros.',
          'AvgPool2D',
          1,
          [14, 14, 6],
        ),
        shapeStep(
          'C3: a second Conv2D, 16 filters of 5×5, no padding: 10×10×16.',
          'C3: una segunda Conv2D, 16 filtros de 5×5, sin relleno: 10×10×16.',
          'Conv2D',
          2,
          [10, 10, 16],
        ),
        step(
          'How many parameters does C3 have? Each of its 16 filters sees 5×5 pixels of all 6 input channels, plus one bias.',
          '¿Cuántos parámetros tiene C3? Cada uno de sus 16 filtros ve 5×5 píxeles de los 6 canales de entrada, más un sesgo.',
          { type: 'number', answer: 16 * (5 * 5 * 6 + 1) },
        ),
        shapeStep(
          'S4: another 2×2 AvgPool2D: 5×5×16.',
          'S4: otro AvgPool2D de 2×2: 5×5×16.',
          'AvgPool2D',
          2,
          [5, 5, 16],
        ),
        shapeStep(
          'Flatten S4 into one vector of 5·5·16 = 400 numbers for the fully connected layers.',
          'Aplana S4 en un vector de 5·5·16 = 400 números para las capas totalmente conectadas.',
          'Flatten',
          1,
          [400],
        ),
        shapeStep('C5: a Dense layer of 120 units after Flatten.', 'C5: una capa Dense de 120 unidades tras Flatten.', 'Dense', 1, [120]),
        shapeStep('F6: a Dense layer of 84 units.', 'F6: una capa Dense de 84 unidades.', 'Dense', 2, [84]),
        shapeStep(
          'Output: a Dense layer of 10 units, one score per digit.',
          'Salida: una capa Dense de 10 unidades, una puntuación por dígito.',
          'Dense',
          3,
          [10],
        ),
        step(
          'The whole network has no errors and exactly 61,706 parameters, as torchvision’s LeNet-5 (check that every layer keeps its bias).',
          'La red entera no tiene errores y tiene exactamente 61.706 parámetros, como la LeNet-5 de torchvision (comprueba que cada capa conserva su sesgo).',
          { type: 'params', which: 'total', op: 'eq', value: 61_706 },
        ),
        choiceStep(
          'Look at the parameter column of the Layers view. Where do most of LeNet-5’s parameters sit?',
          'Mira la columna de parámetros de la vista Capas. ¿Dónde están la mayoría de los parámetros de LeNet-5?',
          [
            ['In the two convolutions', 'En las dos convoluciones'],
            ['In the pooling layers', 'En las capas de pooling'],
            ['In the three fully connected layers', 'En las tres capas totalmente conectadas'],
          ],
          2,
        ),
      ],
    },
  };
}

/**
 * Lesson 3 (sparse connectivity and weight sharing): start from the multilayer perceptron, count what its
 * hidden Dense layer costs, and read the image with a Conv2D instead, under 20,000 parameters.
 */
export function weightSharingLesson(): Design {
  // The gallery's MLP, layer for layer (lessons.test.ts holds it to templates/mlp.json).
  const b = new DesignBuilder('Lesson: share the weights', {
    description: {
      en: 'A Dense layer on an image weighs every pixel separately; a convolution shares one small filter across the image. Compare the two.',
      es: 'Una capa Dense sobre una imagen pondera cada píxel por separado; una convolución comparte un filtro pequeño por toda la imagen. Compara las dos.',
    },
  });
  const input = b.add('Input', { shape: [28, 28, 1] }, [], { id: 'input' });
  const flat = b.add('Flatten', {}, [input], { id: 'flatten' });
  const hidden = b.add('Dense', { units: 128, activation: 'relu', use_bias: true }, [flat], { id: 'hidden' });
  b.add('Dense', { units: 10, activation: 'softmax', use_bias: true }, [hidden], { id: 'output' });
  return {
    ...b.build(),
    lesson: {
      title: { en: 'Share the weights', es: 'Comparte los pesos' },
      steps: [
        step(
          'This network flattens the 28×28 image into 784 numbers. How many parameters does the hidden Dense layer of 128 units have? (Select it: the inspector shows its weights.)',
          'Esta red aplana la imagen de 28×28 en 784 números. ¿Cuántos parámetros tiene la capa Dense oculta de 128 unidades? (Selecciónala: el inspector muestra sus pesos.)',
          { type: 'number', answer: 28 * 28 * 128 + 128 },
        ),
        step(
          'Read the image with a convolution instead: add a Conv2D fed directly by the Input (for example 8 filters of 5×5), then pooling, and flatten only at the end.',
          'Lee la imagen con una convolución: añade una Conv2D alimentada directamente por la Input (por ejemplo 8 filtros de 5×5), después pooling, y aplana solo al final.',
          { type: 'has-kind', kind: 'Conv2D', after: 'Input' },
        ),
        step(
          'Bring the whole network under 20,000 parameters (remove the big hidden Dense layer).',
          'Deja la red entera por debajo de 20.000 parámetros (quita la gran capa Dense oculta).',
          { type: 'params', which: 'total', op: 'le', value: 20_000 },
        ),
        choiceStep(
          'Why does the Conv2D need so few weights?',
          '¿Por qué la Conv2D necesita tan pocos pesos?',
          [
            ['It looks at fewer pixels of the image', 'Mira menos píxeles de la imagen'],
            ['It slides the same small filter over every position', 'Desliza el mismo filtro pequeño por todas las posiciones'],
            ['It has no biases', 'No tiene sesgos'],
          ],
          1,
        ),
      ],
    },
  };
}

export interface LessonEntry {
  readonly id: string;
  /** The course topic it belongs to (the numbering: 7 = the classic architectures, in three parts). */
  readonly topic: number;
  readonly make: () => Design;
}

export const LESSONS: readonly LessonEntry[] = [
  { id: 'gallery-tour', topic: 1, make: galleryTourLesson },
  { id: 'classify-digits', topic: 2, make: classifyDigitsLesson },
  { id: 'weight-sharing', topic: 3, make: weightSharingLesson },
  { id: 'filters', topic: 4, make: filtersLesson },
  { id: 'correlation', topic: 5, make: correlationLesson },
  { id: 'shared-gradients', topic: 6, make: sharedGradientsLesson },
  { id: 'lenet-5', topic: 7, make: lenet5Lesson },
  { id: 'vgg-stacks', topic: 7, make: vggStacksLesson },
  { id: 'residual-block', topic: 7, make: residualLesson },
  { id: 'what-cnns-see', topic: 8, make: whatCnnsSeeLesson },
  { id: 'to-code', topic: 9, make: exportLesson },
];
