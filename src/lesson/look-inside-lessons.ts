/**
 * Lessons 6 (backprop with shared weights) and 8 (what CNNs see) of the course, on the MNIST CNN with the
 * "Look inside" views. The views only show, so those parts are questions whose answers they write out (the
 * kernel gradient's position count, the receptive field); lesson 8 ends by growing the field in the design.
 */
import type { Design } from '../graph/types.ts';
import { addMnistCnn, choiceStep, lessonBuilder, numberStep, step, withLesson } from './lesson-kit.ts';

export function sharedGradientsLesson(): Design {
  const b = lessonBuilder('Lesson: backprop with shared weights', {
    en: 'One kernel is used at every position of the image, so its gradient is a sum over positions: watch it in the Gradients view.',
    es: 'Un kernel se usa en cada posición de la imagen, así que su gradiente es una suma sobre las posiciones: obsérvalo en la vista Gradientes.',
  });
  addMnistCnn(b);
  return withLesson(b.build(), {
    title: { en: 'Backprop with shared weights', es: 'Retropropagación con pesos compartidos' },
    steps: [
      numberStep(
        'Train this network for a moment (Train tab, MNIST), then select conv1 and open Look inside → Gradients. The kernel view says at how many positions conv1’s 5×5 kernel was used on each image. How many?',
        'Entrena esta red un momento (pestaña Entrenar, MNIST), selecciona conv1 y abre Mirar dentro → Gradientes. La vista del kernel dice en cuántas posiciones se usó el kernel de 5×5 de conv1 en cada imagen. ¿En cuántas?',
        576,
      ),
      choiceStep(
        'So the gradient of that one shared kernel is…',
        'Así que el gradiente de ese único kernel compartido es…',
        [
          ['the sum of one term per position: the input patch there times the upstream gradient there', 'la suma de un término por posición: el trozo de entrada allí por el gradiente que llega allí'],
          ['the term of the centre position alone', 'solo el término de la posición central'],
          ['the average upstream gradient, whatever the input', 'el gradiente medio que llega, sea cual sea la entrada'],
        ],
        0,
      ),
      numberStep(
        'All those positions share the same weights. How many parameters does conv1 have in all (8 filters of 5×5 on one channel, and a bias each)?',
        'Todas esas posiciones comparten los mismos pesos. ¿Cuántos parámetros tiene conv1 en total (8 filtros de 5×5 sobre un canal, y un sesgo cada uno)?',
        208,
      ),
      numberStep(
        'Select conv2 in the same view. At how many positions is its kernel used on each image?',
        'Selecciona conv2 en la misma vista. ¿En cuántas posiciones se usa su kernel en cada imagen?',
        64,
      ),
    ],
  });
}

export function whatCnnsSeeLesson(): Design {
  const b = lessonBuilder('Lesson: what CNNs see', {
    en: 'Feature maps, the images that excite a channel most, and the patch of the image each position sees.',
    es: 'Mapas de activación, las imágenes que más activan un canal y el trozo de imagen que ve cada posición.',
  });
  addMnistCnn(b);
  return withLesson(b.build(), {
    title: { en: 'What CNNs see', es: 'Lo que ven las CNN' },
    steps: [
      choiceStep(
        'Train the network (Train tab, MNIST), select conv1 and open Look inside → Feature maps for a test digit. What do its eight maps show?',
        'Entrena la red (pestaña Entrenar, MNIST), selecciona conv1 y abre Mirar dentro → Mapas de activación con un dígito de prueba. ¿Qué muestran sus ocho mapas?',
        [
          ['The digit again, each map lighting up different strokes or edges', 'El dígito otra vez, y cada mapa resalta trazos o bordes distintos'],
          ['Random noise with no trace of the digit', 'Ruido aleatorio sin rastro del dígito'],
          ['The ten class scores', 'Las diez puntuaciones de clase'],
        ],
        0,
      ),
      numberStep(
        'Open Top 9 images: each image has a box, the patch one position of the channel sees (its receptive field; the inspector writes out its arithmetic). How many pixels wide is conv1’s?',
        'Abre Las 9 imágenes: cada imagen tiene un recuadro, el trozo que ve una posición del canal (su campo receptivo; el inspector escribe la cuenta). ¿Cuántos píxeles de ancho tiene el de conv1?',
        5,
      ),
      numberStep(
        'And conv2’s? (The pooling between them doubles the jump, so conv2’s 5×5 window reaches further.)',
        '¿Y el de conv2? (El pooling entre ambas duplica el salto, así que la ventana de 5×5 de conv2 llega más lejos.)',
        14,
      ),
      step(
        'Let the network see larger parts of a digit: add a third Conv2D after pool2 (16 filters of 3×3, padding "same") so that its receptive field is at least 20×20 pixels.',
        'Deja que la red vea partes mayores del dígito: añade una tercera Conv2D tras pool2 (16 filtros de 3×3, relleno "same") para que su campo receptivo sea de al menos 20×20 píxeles.',
        { type: 'receptive-field', node: { kind: 'Conv2D', nth: 3 }, min: 20 },
      ),
    ],
  });
}
