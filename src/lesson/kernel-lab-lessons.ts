/**
 * Lessons 4 (filters) and 5 (cross-correlation vs convolution) of the course, both in the Kernel lab. The
 * lab only shows, so its part is asked as questions whose answers the lab puts on screen (the output map,
 * its size arithmetic, the kernel's values, the flipped kernel); the design part puts a filter in a Conv2D.
 */
import type { Design } from '../graph/types.ts';
import { addDigitInput, choiceStep, lessonBuilder, numberStep, shapeStep, withLesson } from './lesson-kit.ts';

export function filtersLesson(): Design {
  const b = lessonBuilder('Lesson: filters', {
    en: 'What one filter computes: slide kernels over a digit in the Kernel lab, then give the design a filter of its own.',
    es: 'Qué calcula un filtro: desliza kernels sobre un dígito en el Laboratorio de kernels y después da al diseño un filtro propio.',
  });
  addDigitInput(b);
  return withLesson(b.build(), {
    title: { en: 'Filters', es: 'Filtros' },
    steps: [
      choiceStep(
        'Open the Kernel lab tab, keep the digit and pick the Sobel x kernel. Where is the output map strongly positive (red)?',
        'Abre la pestaña Laboratorio de kernels, deja el dígito y elige el kernel Sobel x. ¿Dónde es el mapa de salida muy positivo (rojo)?',
        [
          ['Where the image gets brighter from left to right', 'Donde la imagen se aclara de izquierda a derecha'],
          ['Where the image gets brighter from top to bottom', 'Donde la imagen se aclara de arriba abajo'],
          ['Everywhere the stroke is, whatever its edges', 'En todo el trazo, sean cuales sean sus bordes'],
        ],
        0,
      ),
      numberStep(
        'With padding "valid" and stride 1, the lab writes out the output size. How many pixels wide is the map of a 3×3 kernel on the 28×28 digit?',
        'Con relleno "valid" y paso 1, el laboratorio escribe el tamaño de salida. ¿Cuántos píxeles de ancho tiene el mapa de un kernel de 3×3 sobre el dígito de 28×28?',
        26,
      ),
      numberStep(
        'Pick Box blur at 3×3. What is each of its nine weights? (Four decimals are enough.)',
        'Elige Desenfoque de caja de 3×3. ¿Cuánto vale cada uno de sus nueve pesos? (Bastan cuatro decimales.)',
        0.1111,
        0.0002,
      ),
      shapeStep(
        'Now give the design a filter: add a Conv2D after the Input with 1 filter of 3×3 and padding "valid" (in the lab, "Use as a filter in the design" sets a Conv2D’s kernel size for you). Its output is the map you saw: 26×26×1.',
        'Ahora da al diseño un filtro: añade una Conv2D tras la Input con 1 filtro de 3×3 y relleno "valid" (en el laboratorio, "Usar como filtro en el diseño" ajusta por ti el tamaño de kernel de una Conv2D). Su salida es el mapa que viste: 26×26×1.',
        'Conv2D',
        1,
        [26, 26, 1],
      ),
    ],
  });
}

export function correlationLesson(): Design {
  const b = lessonBuilder('Lesson: cross-correlation vs convolution', {
    en: 'What deep-learning libraries call convolution is cross-correlation: flip the kernel in the Kernel lab and see what changes.',
    es: 'Lo que las bibliotecas de aprendizaje profundo llaman convolución es correlación cruzada: voltea el kernel en el Laboratorio de kernels y mira qué cambia.',
  });
  addDigitInput(b);
  return withLesson(b.build(), {
    title: { en: 'Cross-correlation vs convolution', es: 'Correlación cruzada frente a convolución' },
    steps: [
      choiceStep(
        'In the Kernel lab, with "cross-correlation" selected, how does the kernel meet the image?',
        'En el Laboratorio de kernels, con "correlación cruzada" elegida, ¿cómo se encuentra el kernel con la imagen?',
        [
          ['As it is written: its top-left weight multiplies the top-left pixel under it', 'Tal como está escrito: su peso de arriba a la izquierda multiplica el píxel de arriba a la izquierda bajo él'],
          ['Flipped 180° first', 'Volteado 180° antes'],
          ['Transposed (rows become columns)', 'Traspuesto (las filas pasan a ser columnas)'],
        ],
        0,
      ),
      numberStep(
        'Pick Sobel x and switch to convolution: the lab shows the kernel flipped 180°. What is its top-left weight now?',
        'Elige Sobel x y cambia a convolución: el laboratorio muestra el kernel volteado 180°. ¿Cuánto vale ahora su peso de arriba a la izquierda?',
        1,
      ),
      choiceStep(
        'Still with Sobel x: what does switching from cross-correlation to convolution do to the output map?',
        'Sigue con Sobel x: ¿qué le hace al mapa de salida pasar de correlación cruzada a convolución?',
        [
          ['Nothing changes', 'No cambia nada'],
          ['Every value changes sign', 'Cada valor cambia de signo'],
          ['The map moves one pixel to the right', 'El mapa se desplaza un píxel a la derecha'],
        ],
        1,
      ),
      choiceStep(
        'For which of these kernels does the switch change nothing at all?',
        '¿Con cuál de estos kernels el cambio no altera nada?',
        [
          ['Sobel x', 'Sobel x'],
          ['Emboss', 'Relieve'],
          ['Gaussian blur', 'Desenfoque gaussiano'],
        ],
        2,
      ),
      shapeStep(
        'A Conv2D learns its kernel, so whether it is flipped makes no difference to what it can learn. Add a Conv2D after the Input with 4 filters of 3×3, padding "same": 28×28×4.',
        'Una Conv2D aprende su kernel, así que voltearlo no cambia lo que puede aprender. Añade una Conv2D tras la Input con 4 filtros de 3×3 y relleno "same": 28×28×4.',
        'Conv2D',
        1,
        [28, 28, 4],
      ),
    ],
  });
}
