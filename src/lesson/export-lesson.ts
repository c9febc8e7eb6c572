/**
 * Lesson 9 of the course (from design to PyTorch / Keras): the MNIST CNN taken to code. Questions on what
 * the inspector and the Code tab show (weight layouts in both orders, the Linear layer's inputs, the
 * Flatten reordering, the parameter total the exported model prints).
 */
import type { Design } from '../graph/types.ts';
import { addMnistCnn, choiceStep, lessonBuilder, numberStep, withLesson } from './lesson-kit.ts';

export function exportLesson(): Design {
  const b = lessonBuilder('Lesson: from design to PyTorch and Keras', {
    en: 'Take the MNIST CNN to PyTorch and Keras: weight layouts, the Flatten order, and running the exported code.',
    es: 'Lleva la CNN de MNIST a PyTorch y Keras: la disposición de los pesos, el orden de Flatten y la ejecución del código exportado.',
  });
  addMnistCnn(b);
  return withLesson(b.build(), {
    title: { en: 'From design to PyTorch and Keras', es: 'Del diseño a PyTorch y Keras' },
    steps: [
      choiceStep(
        'Select conv1: the inspector lists its weights in PyTorch’s order and in Keras’s. What shape does PyTorch give the kernel?',
        'Selecciona conv1: el inspector enumera sus pesos en el orden de PyTorch y en el de Keras. ¿Qué forma le da PyTorch al kernel?',
        [
          ['8 × 1 × 5 × 5 (out, in, height, width)', '8 × 1 × 5 × 5 (salida, entrada, alto, ancho)'],
          ['5 × 5 × 1 × 8 (height, width, in, out)', '5 × 5 × 1 × 8 (alto, ancho, entrada, salida)'],
          ['8 × 25', '8 × 25'],
        ],
        0,
      ),
      choiceStep(
        'And Keras?',
        '¿Y Keras?',
        [
          ['8 × 1 × 5 × 5 (out, in, height, width)', '8 × 1 × 5 × 5 (salida, entrada, alto, ancho)'],
          ['5 × 5 × 1 × 8 (height, width, in, out)', '5 × 5 × 1 × 8 (alto, ancho, entrada, salida)'],
          ['25 × 8', '25 × 8'],
        ],
        1,
      ),
      numberStep(
        'Open the Code tab, PyTorch. PyTorch needs to be told how many numbers reach a Linear layer: what is the in_features of the output layer’s nn.Linear?',
        'Abre la pestaña Código, PyTorch. A PyTorch hay que decirle cuántos números llegan a una capa Linear: ¿cuál es el in_features del nn.Linear de la capa de salida?',
        256,
      ),
      choiceStep(
        'PyTorch flattens a map channel by channel (C×H×W), Keras position by position (H×W×C). What does the exporter do with your trained weights so that both give the same scores?',
        'PyTorch aplana un mapa canal a canal (C×H×W) y Keras posición a posición (H×W×C). ¿Qué hace el exportador con tus pesos entrenados para que ambos den las mismas puntuaciones?',
        [
          ['Reorders the rows of the Dense kernel after Flatten', 'Reordena las filas del kernel de la Dense tras Flatten'],
          ['Nothing: the two orders give the same vector', 'Nada: los dos órdenes dan el mismo vector'],
          ['Trains the PyTorch model again', 'Vuelve a entrenar el modelo de PyTorch'],
        ],
        0,
      ),
      numberStep(
        'Download the PyTorch code and run python model.py (it needs torch): it prints the model’s parameter count. How many parameters?',
        'Descarga el código de PyTorch y ejecuta python model.py (necesita torch): escribe el número de parámetros del modelo. ¿Cuántos son?',
        5994,
      ),
    ],
  });
}
