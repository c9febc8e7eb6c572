/**
 * Lesson 1 of the course (what CNNs are used for): a tour of the template gallery. Every answer is on the
 * gallery's cards (task, input, parameters) or on this canvas; the last step re-aims the digit network at
 * colour photos, the same layers on other data.
 */
import type { Design } from '../graph/types.ts';
import { addMnistCnn, choiceStep, lessonBuilder, numberStep, shapeStep, withLesson } from './lesson-kit.ts';

export function galleryTourLesson(): Design {
  const b = lessonBuilder('Lesson: what CNNs are used for', {
    en: 'A tour of the template gallery: what the classic networks read, what they answer, and how big they are.',
    es: 'Un recorrido por la galería de plantillas: qué leen las redes clásicas, qué responden y cuánto ocupan.',
  });
  addMnistCnn(b);
  return withLesson(b.build(), {
    title: { en: 'What CNNs are used for', es: 'Para qué sirven las CNN' },
    steps: [
      choiceStep(
        'Open File → Templates… and read the cards (opening one would replace this lesson: just read). What do all of the gallery’s networks do with an image?',
        'Abre Archivo → Plantillas… y lee las fichas (abrir una sustituiría esta lección: solo léelas). ¿Qué hacen con una imagen todas las redes de la galería?',
        [
          ['They give it one label out of a fixed list of classes (classification)', 'Le dan una etiqueta de una lista fija de clases (clasificación)'],
          ['They draw a box around every object in it', 'Dibujan un recuadro alrededor de cada objeto'],
          ['They paint a new image', 'Pintan una imagen nueva'],
        ],
        0,
      ),
      numberStep(
        'The network on this canvas reads handwritten digits. How many classes does its last layer score? (Its output shape says it.)',
        'La red de este lienzo lee dígitos manuscritos. ¿Cuántas clases puntúa su última capa? (Lo dice su forma de salida.)',
        10,
      ),
      numberStep(
        'AlexNet, VGG-16 and the ResNets were built for ImageNet photos. How many classes do they choose from? (AlexNet’s notes on its card say it.)',
        'AlexNet, VGG-16 y las ResNet se hicieron para las fotos de ImageNet. ¿Entre cuántas clases eligen? (Lo dicen las notas de la ficha de AlexNet.)',
        1000,
      ),
      choiceStep(
        'Which of these gallery networks has the most parameters? (Each card shows its count.)',
        '¿Cuál de estas redes de la galería tiene más parámetros? (Cada ficha muestra su número.)',
        [
          ['AlexNet', 'AlexNet'],
          ['VGG-16', 'VGG-16'],
          ['ResNet-50', 'ResNet-50'],
          ['DenseNet-121', 'DenseNet-121'],
        ],
        1,
      ),
      choiceStep(
        'Which ImageNet network of the gallery is the smallest, built to run on phones?',
        '¿Cuál es la red de ImageNet más pequeña de la galería, hecha para funcionar en móviles?',
        [
          ['ResNet-18', 'ResNet-18'],
          ['MobileNetV2', 'MobileNetV2'],
          ['GoogLeNet', 'GoogLeNet'],
        ],
        1,
      ),
      shapeStep(
        'The same layers serve other pictures: set this network’s Input to 32×32×3, the colour photos of CIFAR-10. Watch every shape below it update.',
        'Las mismas capas sirven para otras imágenes: pon la Input de esta red en 32×32×3, las fotos en color de CIFAR-10. Mira cómo se actualizan todas las formas debajo.',
        'Input',
        1,
        [32, 32, 3],
      ),
    ],
  });
}
