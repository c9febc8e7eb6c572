/**
 * Lesson 7 (the classic architectures), its parts after LeNet-5: why VGG stacks 3×3 convolutions, and a
 * residual block. Every number a step holds (a question's answer, a parameter budget, a receptive field) is
 * worked out here by the app's own inference on the lesson's start and reference designs, never typed in,
 * so a change to the inference shows up as a changed lesson, and the tests hold each step against both.
 */
import { insertLibraryBlock } from '../graph/block-library.ts';
import { flattenDesign } from '../graph/blocks.ts';
import type { DesignBuilder } from '../graph/builder.ts';
import { inferShapes, type DesignInference } from '../graph/infer.ts';
import { receptiveFields } from '../graph/receptive-field.ts';
import type { Design } from '../graph/types.ts';
import { choiceStep, lessonBuilder, numberStep, shapeStep, step, withLesson } from './lesson-kit.ts';

const conv = (filters: number, k: number) => ({ filters, kernel_size: [k, k], padding: 'same', activation: 'relu', use_bias: true });

/** Input 32×32×3 and a 3×3 stem of 32 filters: where both parts start. Returns the stem's id. */
function addStem(b: DesignBuilder, filters: number): string {
  const input = b.add('Input', { shape: [32, 32, 3] }, [], { id: 'input' });
  return b.add('Conv2D', conv(filters, 3), [input], { id: 'stem' });
}

/** The head both parts end with: pool, flatten, ten scores. */
function addHead(b: DesignBuilder, from: string): void {
  const pool = b.add('GlobalAvgPool2D', {}, [from], { id: 'pool' });
  b.add('Dense', { units: 10, activation: 'softmax', use_bias: true }, [pool], { id: 'output' });
}

const VGG_FILTERS = 32;

/** The VGG part's start: one 5×5 convolution after the stem. */
function vggStart(): Design {
  const b = lessonBuilder('Lesson: VGG’s 3×3 stacks', {
    en: 'VGG replaced large filters by stacks of 3×3 ones. Swap a 5×5 convolution for two 3×3 and compare what each sees and costs.',
    es: 'VGG sustituyó los filtros grandes por pilas de filtros de 3×3. Cambia una convolución de 5×5 por dos de 3×3 y compara lo que ve y lo que cuesta cada una.',
  });
  addHead(b, b.add('Conv2D', conv(VGG_FILTERS, 5), [addStem(b, VGG_FILTERS)], { id: 'conv5x5' }));
  return b.build();
}

/** The VGG part's reference solution: the 5×5 replaced by two stacked 3×3 of the same width. */
export function vggStacksSolution(): Design {
  const b = lessonBuilder('VGG’s 3×3 stacks, solved', {});
  const first = b.add('Conv2D', conv(VGG_FILTERS, 3), [addStem(b, VGG_FILTERS)], { id: 'conv3x3_a' });
  addHead(b, b.add('Conv2D', conv(VGG_FILTERS, 3), [first], { id: 'conv3x3_b' }));
  return b.build();
}

function inferred(design: Design): { design: Design; inference: DesignInference } {
  const flat = flattenDesign(design);
  return { design: flat, inference: inferShapes(flat) };
}

/** The side of a layer's receptive field on the image, as the inspector shows it. */
function fieldSide(design: Design, id: string): number {
  const { design: flat, inference } = inferred(design);
  const field = [...(receptiveFields(flat, inference).get(id)?.values() ?? [])].find((f) => f.kind === 'local');
  if (!field || field.kind !== 'local') throw new Error(`lesson: ${id} has no local receptive field`);
  return field.axes[0].size;
}

const paramsOf = (design: Design, id: string) => inferred(design).inference.nodes.get(id)!.trainableParams;

/** Lesson 7, part 2: one 5×5 or two 3×3 see the same pixels; the stack needs fewer weights. */
export function vggStacksLesson(): Design {
  const start = vggStart();
  const solved = vggStacksSolution();
  const field = fieldSide(start, 'conv5x5');
  const stackParams = paramsOf(solved, 'conv3x3_a') + paramsOf(solved, 'conv3x3_b');
  return withLesson(start, {
    title: { en: 'VGG’s 3×3 stacks', es: 'Las pilas de 3×3 de VGG' },
    steps: [
      numberStep(
        'Select the 5×5 convolution conv5x5. How many parameters does it have? The inspector shows them.',
        'Selecciona la convolución de 5×5 conv5x5. ¿Cuántos parámetros tiene? El inspector los muestra.',
        paramsOf(start, 'conv5x5'),
      ),
      numberStep(
        'How many pixels of the image does one output of conv5x5 see along each side? Read its receptive field in the inspector.',
        '¿Cuántos píxeles de la imagen ve una salida de conv5x5 en cada lado? Lee su campo receptivo en el inspector.',
        field,
      ),
      shapeStep(
        `Replace conv5x5 by two stacked 3×3 convolutions of ${VGG_FILTERS} filters each, padding "same", so the map keeps its size.`,
        `Sustituye conv5x5 por dos convoluciones de 3×3 apiladas, de ${VGG_FILTERS} filtros cada una, con relleno "same", para que el mapa conserve su tamaño.`,
        'Conv2D',
        3,
        [32, 32, VGG_FILTERS],
      ),
      step(
        `The second 3×3 sees as much of the image as the 5×5 did: ${field}×${field} pixels.`,
        `La segunda 3×3 ve tanto de la imagen como la 5×5: ${field}×${field} píxeles.`,
        { type: 'receptive-field', node: { kind: 'Conv2D', nth: 3 }, min: field },
      ),
      step(
        'And it costs less: the whole network now has fewer parameters than with the single 5×5.',
        'Y cuesta menos: la red entera tiene ahora menos parámetros que con la única 5×5.',
        { type: 'params', which: 'total', op: 'le', value: inferred(solved).inference.totals.totalParams },
      ),
      numberStep(
        'How many parameters do your two 3×3 convolutions have together?',
        '¿Cuántos parámetros tienen juntas tus dos convoluciones de 3×3?',
        stackParams,
      ),
      choiceStep(
        'Why did VGG build its network from 3×3 stacks?',
        '¿Por qué VGG construyó su red con pilas de 3×3?',
        [
          ['A 3×3 filter sees more of the image than a 5×5', 'Un filtro de 3×3 ve más de la imagen que uno de 5×5'],
          [
            'Two 3×3 see what one 5×5 sees with fewer weights, and add a ReLU in between',
            'Dos 3×3 ven lo mismo que una 5×5 con menos pesos, y añaden una ReLU entre ellas',
          ],
          ['Stacks need no biases', 'Las pilas no necesitan sesgos'],
        ],
        1,
      ),
    ],
  });
}

const RESIDUAL_FILTERS = 64;

function residualStart(): Design {
  const b = lessonBuilder('Lesson: a residual block', {
    en: 'ResNet adds each block’s input to its output, so a block learns only a correction. Insert one and see the skip connection.',
    es: 'ResNet suma la entrada de cada bloque a su salida, así que un bloque solo aprende una corrección. Inserta uno y observa la conexión residual.',
  });
  addHead(b, addStem(b, RESIDUAL_FILTERS));
  return b.build();
}

/**
 * The residual part's reference solution: the palette's ResNet basic block inserted after the stem, exactly
 * as a click on it in the palette's Blocks section does (block-library.ts).
 */
export function residualSolution(): Design {
  const placed = insertLibraryBlock(residualStart(), 'BasicBlock', { after: 'stem' });
  if (!placed) throw new Error('lesson: the block library has no BasicBlock');
  return placed.design;
}

/** Lesson 7, part 3: a ResNet basic block, its skip connection, its shape and its cost. */
export function residualLesson(): Design {
  const start = residualStart();
  const solved = residualSolution();
  const total = (d: Design) => inferred(d).inference.totals.totalParams;
  return withLesson(start, {
    title: { en: 'A residual block', es: 'Un bloque residual' },
    steps: [
      step(
        'Select the stem and insert a ResNet basic block after it (palette → Blocks → ResNet basic block). Its Add sums the block’s input with what its two convolutions compute: a skip connection.',
        'Selecciona el tallo (stem) e inserta tras él un bloque básico de ResNet (paleta → Bloques → bloque básico de ResNet). Su Add suma la entrada del bloque con lo que calculan sus dos convoluciones: una conexión residual.',
        { type: 'skip' },
      ),
      shapeStep(
        `An Add needs two tensors of the same shape: here both are 32×32×${RESIDUAL_FILTERS}, and so is the sum.`,
        `Una Add necesita dos tensores de la misma forma: aquí ambos son de 32×32×${RESIDUAL_FILTERS}, y también la suma.`,
        'Add',
        1,
        [32, 32, RESIDUAL_FILTERS],
      ),
      numberStep(
        'How many parameters did the block add to the network? Select it: the inspector gives its parameters (the status bar’s trainable and non-trainable ones together: BatchNorm’s running statistics count too).',
        '¿Cuántos parámetros añadió el bloque a la red? Selecciónalo: el inspector da sus parámetros (los entrenables y los no entrenables de la barra de estado juntos: las estadísticas de BatchNorm también cuentan).',
        total(solved) - total(start),
      ),
      choiceStep(
        'What does the skip connection carry?',
        '¿Qué lleva la conexión residual?',
        [
          ['The block’s input, unchanged, so the convolutions only learn a correction to it', 'La entrada del bloque, sin cambios, así que las convoluciones solo aprenden una corrección'],
          ['A copy of the convolutions’ weights', 'Una copia de los pesos de las convoluciones'],
          ['The labels of the training images', 'Las etiquetas de las imágenes de entrenamiento'],
        ],
        0,
      ),
    ],
  });
}
