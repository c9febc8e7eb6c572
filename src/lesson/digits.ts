/**
 * Lesson 2 of the course (classify digits): train the gallery's MNIST CNN on the bundled MNIST to at least
 * 97 % test accuracy. The accuracy step reads the training store's record of the run on screen, so only a
 * run of this design as it stands, on MNIST, can tick it (lesson-check.ts).
 */
import type { Design } from '../graph/types.ts';
import { addMnistCnn, choiceStep, lessonBuilder, numberStep, step, withLesson } from './lesson-kit.ts';

/** The accuracy the lesson asks for, in percent. */
export const DIGITS_TARGET = 97;
/**
 * The epochs the lesson suggests: at the app's defaults (Adam, learning rate 0.001, batch 32) 15 epochs
 * reached 97.00–97.70 % in 5 of 5 runs, 10 epochs in 2 of 3, 5 epochs in none
 * (`npx tsx scripts/bench-lesson-digits.ts 15 1 2 3 4 5`).
 */
export const DIGITS_EPOCHS = 15;

export function classifyDigitsLesson(): Design {
  const b = lessonBuilder('Lesson: classify digits', {
    en: 'Train a small CNN in the browser on handwritten digits until it reads at least 97 % of the test digits right.',
    es: 'Entrena en el navegador una CNN pequeña con dígitos manuscritos hasta que acierte al menos el 97 % de los dígitos de prueba.',
  });
  addMnistCnn(b);
  return withLesson(b.build(), {
    title: { en: 'Classify digits', es: 'Clasifica dígitos' },
    steps: [
      numberStep(
        'Open the Train tab and choose MNIST. Before you train, the settings say how the images split between training, validation and test. How many test images are there?',
        'Abre la pestaña Entrenar y elige MNIST. Antes de entrenar, los ajustes dicen cómo se reparten las imágenes entre entrenamiento, validación y prueba. ¿Cuántas imágenes de prueba hay?',
        2000,
      ),
      choiceStep(
        'Why is the accuracy that counts measured on the test images, not on the training images?',
        '¿Por qué el acierto que cuenta se mide con las imágenes de prueba y no con las de entrenamiento?',
        [
          ['It shows how the network does on digits it has never seen while learning', 'Muestra cómo le va a la red con dígitos que nunca vio mientras aprendía'],
          ['Test images are easier', 'Las imágenes de prueba son más fáciles'],
          ['Accuracy cannot be measured on training images', 'El acierto no se puede medir con imágenes de entrenamiento'],
        ],
        0,
      ),
      step(
        `Train this network on MNIST for ${DIGITS_EPOCHS} epochs (Adam, the default learning rate) until its test accuracy is at least ${DIGITS_TARGET} %. Only a run of the design as it is now counts: edit a layer and you train again.`,
        `Entrena esta red con MNIST durante ${DIGITS_EPOCHS} épocas (Adam, la tasa de aprendizaje por defecto) hasta que su acierto en la prueba sea al menos del ${DIGITS_TARGET} %. Solo cuenta una ejecución del diseño tal como está: si cambias una capa, vuelve a entrenar.`,
        { type: 'accuracy', dataset: 'mnist', min: DIGITS_TARGET },
      ),
      choiceStep(
        'Look at the confusion matrix under the results. What does a number off its diagonal count?',
        'Mira la matriz de confusión bajo los resultados. ¿Qué cuenta un número fuera de su diagonal?',
        [
          ['Test digits the network took for another digit', 'Dígitos de prueba que la red confundió con otro dígito'],
          ['Test digits it read right', 'Dígitos de prueba que leyó bien'],
          ['Training steps that failed', 'Pasos de entrenamiento que fallaron'],
        ],
        0,
      ),
    ],
  });
}
