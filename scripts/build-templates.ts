/**
 * Generates the gallery under templates/: two beginner designs and eight classic networks built exactly as
 * torchvision 0.14 builds them (src/graph/templates.test.ts holds them to ../shared/reference and, for
 * ResNet-50, GoogLeNet and DenseNet-121, to src/graph/testing/torchvision-summaries.json). Run with
 * `npm run templates`; the test also fails when a file here and its JSON drift apart. ResNet-18/50,
 * MobileNetV2, GoogLeNet and DenseNet-121 are written with blocks (BlockSheet) and saved folded.
 *
 * Fidelity notes that apply throughout:
 * - torchvision pads symmetrically (`padding=p`), so convolutions use explicit pads [p, p, p, p] rather than
 *   'same' (TensorFlow's 'same' puts the odd pixel at the bottom/right and would shift the windows).
 * - `AdaptiveAvgPool2d((6, 6))` / `((7, 7))` in AlexNet / VGG is the identity at 224×224 input: left out.
 * - BatchNorm uses PyTorch's defaults (eps 1e-5, momentum 0.1 = Keras momentum 0.9); convolutions followed by
 *   BatchNorm have no bias, as in torchvision.
 * - The classic heads end in logits (torchvision's last Linear); the beginner designs end in softmax.
 */
import { libraryBlock } from '../src/graph/block-library.ts';
import { flattenDesign } from '../src/graph/blocks.ts';
import { moveNodes } from '../src/graph/edit.ts';
import { layoutDesign } from '../src/graph/layout.ts';
import type { Texts } from '../src/graph/texts.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DesignBuilder,
  formatCount,
  formatIssue,
  inferShapes,
  serializeDesign,
  FORMAT_VERSION,
  type Design,
  type LayerKind,
  type ParamValue,
} from '../src/graph/index.ts';
import { layerSpec } from '../src/graph/layers/index.ts';
import { defaultParams } from '../src/graph/params.ts';
import type { BlockDefinition, BlockInstance, DesignEdge, DesignNode } from '../src/graph/types.ts';

export type TemplateLevel = 'beginner' | 'classic';

export interface Template {
  readonly file: string;
  readonly level: TemplateLevel;
  readonly design: Design;
}

export interface TemplateIndexEntry {
  readonly file: string;
  readonly name: string;
  readonly description: Texts;
  readonly level: TemplateLevel;
  /** What the gallery shows without loading the design: its notes (per language) and a few totals. */
  readonly notes: Texts;
  readonly layers: number;
  readonly params: number;
  readonly macs: number;
  /** The first Input's shape (H×W×C). */
  readonly input: readonly number[];
}

const COLUMN_WIDTH = 260;
const ROW_HEIGHT = 110;

type Params = Record<string, ParamValue>;

/**
 * DesignBuilder plus a grid layout for the flat templates: the main path runs down column 0 one row per
 * node; a branch can be placed beside the rows it runs parallel to, so the drawing reads top to bottom.
 */
class Sheet {
  private readonly builder: DesignBuilder;
  private readonly cells = new Map<string, { row: number; column: number }>();
  private nextRow = 0;

  constructor(name: string, meta: { description: Texts; notes: Texts }) {
    this.builder = new DesignBuilder(name, meta);
  }

  add(kind: LayerKind, params: Params, inputs: readonly string[], id: string, place: { row?: number; column?: number; label?: string } = {}): string {
    const column = place.column ?? 0;
    const made = this.builder.add(kind, params, inputs, { id, column, ...(place.label ? { label: place.label } : {}) });
    if (made !== id) throw new Error(`duplicate template node id ${id}`);
    const row = place.row ?? this.nextRow;
    this.nextRow = Math.max(this.nextRow, row + 1);
    this.cells.set(id, { row, column });
    return id;
  }

  build(): Design {
    const design = this.builder.build();
    return {
      ...design,
      nodes: design.nodes.map((n) => {
        const cell = this.cells.get(n.id)!;
        return { ...n, position: { x: cell.column * COLUMN_WIDTH, y: cell.row * ROW_HEIGHT } };
      }),
    };
  }
}

/**
 * Where the columns of a block template sit: a collapsed block is drawn 230 px wide and up to ~130 px tall.
 * Three columns of at most five rows fit the editor's canvas at zoom 1 on a 1400×900 window.
 */
const BLOCK_COLUMN_WIDTH = 300;
const BLOCK_ROW_HEIGHT = 150;

/**
 * A template written with blocks, opened collapsed: the top level (stem, stages, head) is a short chain
 * laid out as a few columns read left to right, each top to bottom, so the whole network fits one screen
 * at a readable zoom (a 13-node column would not). Definitions come from the block library where
 * torchvision has the block (one source of truth: the palette offers the same ones); the stage
 * definitions that group several library blocks are the template's own.
 */
class BlockSheet {
  private readonly nodes: DesignNode[] = [];
  private readonly instances: BlockInstance[] = [];
  private readonly edges: DesignEdge[] = [];
  private readonly blocks = new Map<string, BlockDefinition>();
  private readonly rows = new Map<number, number>();

  constructor(
    private readonly name: string,
    private readonly meta: { description: Texts },
  ) {}

  private place(column: number) {
    const row = this.rows.get(column) ?? 0;
    this.rows.set(column, row + 1);
    return { x: column * BLOCK_COLUMN_WIDTH, y: row * BLOCK_ROW_HEIGHT };
  }

  private feed(input: string | null, id: string) {
    if (input !== null) this.edges.push({ id: `${input}->${id}`, source: input, target: id });
  }

  layer(kind: LayerKind, params: Params, input: string | null, id: string, column: number): string {
    this.nodes.push({ id, kind, params: { ...defaultParams(layerSpec(kind).params), ...params }, position: this.place(column) });
    this.feed(input, id);
    return id;
  }

  block(def: BlockDefinition, input: string, id: string, column: number, o: Pick<BlockInstance, 'args' | 'repeat' | 'overrides'> = {}): string {
    this.define(def);
    this.instances.push({ id, block: def.id, ...o, position: this.place(column) });
    this.feed(input, id);
    return id;
  }

  /** Adds a definition (and the ones its instances use, first); a second one of the same name must be the same. */
  define(def: BlockDefinition): void {
    const known = this.blocks.get(def.id);
    if (known && JSON.stringify(known) !== JSON.stringify(def)) throw new Error(`two different block definitions named ${def.id}`);
    this.blocks.set(def.id, def);
  }

  build(): Design {
    return {
      format: 'netcanvas',
      version: FORMAT_VERSION,
      name: this.name,
      description: this.meta.description,
      blocks: [...this.blocks.values()],
      nodes: [...this.nodes],
      instances: [...this.instances],
      edges: [...this.edges],
    };
  }
}

/** A block definition of the library (scripts fail loudly when the library loses one). */
function library(id: string): BlockDefinition {
  const entry = libraryBlock(id);
  if (!entry) throw new Error(`the block library has no ${id}`);
  return entry.definition;
}

/**
 * A stage: library blocks chained in one definition, each instance named as torchvision names the module
 * (`inception4a`, `denselayer7`), so the unfolded layers carry torchvision's paths below the stage's.
 */
function stageOf(id: string, block: BlockDefinition, members: readonly { id: string; args?: Params }[]): BlockDefinition {
  const ids = members.map((m) => m.id);
  return {
    id,
    inputs: ['x'],
    outputs: [{ name: 'out', source: ids[ids.length - 1] }],
    nodes: [],
    instances: members.map((m, i) => ({ id: m.id, block: block.id, ...(m.args ? { args: m.args } : {}), position: { x: 0, y: i * BLOCK_ROW_HEIGHT } })),
    edges: ['x', ...ids].slice(1).map((target, i) => ({ id: `${i === 0 ? 'x' : ids[i - 1]}->${target}`, source: i === 0 ? 'x' : ids[i - 1], target })),
  };
}

// ---- Parameter helpers, written as torchvision spells its modules ---------------------------------------

interface ConvOpts {
  stride?: number;
  /** PyTorch `padding=p`: p zeros on every side. */
  pad?: number;
  bias?: boolean;
  activation?: string;
}

function torchPadding(pad: number): Params {
  return pad > 0 ? { padding: 'explicit', pads: [pad, pad, pad, pad] } : { padding: 'valid' };
}

function conv(filters: number, k: number, o: ConvOpts = {}): Params {
  const s = o.stride ?? 1;
  return {
    filters,
    kernel_size: [k, k],
    strides: [s, s],
    ...torchPadding(o.pad ?? 0),
    use_bias: o.bias ?? true,
    activation: o.activation ?? 'linear',
  };
}

const pool = (k: number, s: number): Params => ({ pool_size: [k, k], strides: [s, s], padding: 'valid' });
const dense = (units: number, activation = 'linear'): Params => ({ units, activation, use_bias: true });
/** PyTorch BatchNorm2d defaults in Keras terms: eps 1e-5; momentum 0.1 means keeping 0.9 of the old statistics. */
const BN: Params = { momentum: 0.9, epsilon: 1e-5, center: true, scale: true };
const act = (activation: string): Params => ({ activation });

/** torchvision's `MaxPool2d(k, stride=s, padding=p, ceil_mode=…)`: pads that never win the max (−∞), as PyTorch pads. */
const torchPool = (k: number, s: number, p: number, ceil = false): Params => ({
  ...pool(k, s),
  ...(p > 0 ? { padding: 'explicit', pads: [p, p, p, p] } : {}),
  ...(ceil ? { ceil_mode: true } : {}),
});

const STEM_POOL_NOTE =
  `torchvision's stem max pool pads 1 pixel on every side with −∞ (explicit pads [1, 1, 1, 1]), exactly as ` +
  `PyTorch does, so the exported PyTorch code loads torchvision's weights and computes its logits.`;

const STEM_POOL_NOTE_ES =
  `El max pool inicial de torchvision rellena 1 píxel por cada lado con −∞ (pads explícitos [1, 1, 1, 1]), ` +
  `exactamente como PyTorch, así que el código PyTorch exportado carga los pesos de torchvision y calcula sus logits.`;

const fmt = (n: number) => n.toLocaleString('en-US');
const millions = (n: number) => `${(n / 1e6).toFixed(1)} M`;
// The Spanish notes write numbers as Spanish readers do (61.706; 3,5 M), as the page itself does.
const fmtEs = (n: number) => formatCount(n, 'es');
const decEs = (decimal: string) => decimal.replace('.', ',');
const millionsEs = (n: number) => `${decEs((n / 1e6).toFixed(1))} M`;

/** Totals the notes quote, computed from the design itself so the text cannot drift from the graph. */
function stats(design: Design) {
  const r = inferShapes(flattenDesign(design));
  const paramsOf = (pred: (kind: string, id: string) => boolean) => {
    let n = 0;
    for (const node of r.nodes.values()) if (pred(node.kind, node.id)) n += node.trainableParams;
    return n;
  };
  return { params: r.totals.trainableParams, nonTrainable: r.totals.nonTrainableParams, macs: r.totals.macs, paramsOf };
}

/** Re-attaches notes written after the design's numbers are known, keeping the file's key order. */
function withNotes(design: Design, en: string, es: string): Design {
  const { nodes, edges, ...head } = design;
  return { ...head, notes: { en, es }, nodes, edges };
}

// ---- Beginner designs ---------------------------------------------------------------------------------

function mnistCnn(): Design {
  const t = new Sheet('MNIST CNN', {
    description: {
      en: 'A small convolutional network for 28×28 handwritten digits: two conv + pool stages and one dense layer.',
      es: 'Una red convolucional pequeña para dígitos manuscritos de 28×28: dos etapas de convolución y pooling y una capa densa.',
    },
    notes: {},
  });
  const x = t.add('Input', { shape: [28, 28, 1] }, [], 'input');
  const c1 = t.add('Conv2D', conv(8, 5, { activation: 'relu' }), [x], 'conv1');
  const p1 = t.add('MaxPool2D', pool(2, 2), [c1], 'pool1');
  const c2 = t.add('Conv2D', conv(16, 5, { activation: 'relu' }), [p1], 'conv2');
  const p2 = t.add('MaxPool2D', pool(2, 2), [c2], 'pool2');
  const f = t.add('Flatten', {}, [p2], 'flatten');
  t.add('Dense', dense(10, 'softmax'), [f], 'output');
  const d = t.build();
  const s = stats(d);
  return withNotes(
    d,
    `Follow one digit through: conv1 slides 8 filters of 5×5 over the 28×28 image and, without padding, ` +
      `each side shrinks by 4 (28 − 5 + 1 = 24): 24×24×8, with 8 × (5·5·1 + 1) = 208 weights. Max pooling halves ` +
      `the map to 12×12; conv2 turns it into 8×8×16 and pool2 into 4×4×16 = 256 numbers, which Flatten lines up ` +
      `for the Dense layer that scores the 10 digits (softmax turns the scores into probabilities). ` +
      `${fmt(s.params)} parameters in all, and it reaches about 98 % on MNIST. Exercise: can you beat 99 % ` +
      `and stay under 20,000 parameters?`,
    `Sigue un dígito por la red: conv1 desliza 8 filtros de 5×5 sobre la imagen de 28×28 y, sin relleno, ` +
      `cada lado pierde 4 píxeles (28 − 5 + 1 = 24): 24×24×8, con 8 × (5·5·1 + 1) = 208 pesos. El max pooling ` +
      `reduce el mapa a la mitad, 12×12; conv2 lo convierte en 8×8×16 y pool2 en 4×4×16 = 256 números, que Flatten ` +
      `pone en fila para la capa Dense que puntúa los 10 dígitos (softmax convierte las puntuaciones en ` +
      `probabilidades). ${fmtEs(s.params)} parámetros en total, y llega a un 98 % en MNIST. Ejercicio: ¿puedes ` +
      `superar el 99 % con menos de 20.000 parámetros?`,
  );
}

function mlp(): Design {
  const t = new Sheet('MLP (no convolutions)', {
    description: {
      en: 'A multilayer perceptron for 28×28 digits: the image is flattened to 784 numbers and fed to two dense layers.',
      es: 'Un perceptrón multicapa para dígitos de 28×28: la imagen se aplana en 784 números que alimentan dos capas densas.',
    },
    notes: {},
  });
  const x = t.add('Input', { shape: [28, 28, 1] }, [], 'input');
  const f = t.add('Flatten', {}, [x], 'flatten');
  const h = t.add('Dense', dense(128, 'relu'), [f], 'hidden');
  t.add('Dense', dense(10, 'softmax'), [h], 'output');
  const d = t.build();
  const s = stats(d);
  return withNotes(
    d,
    `The simplest network that learns MNIST well (about 97–98 %). Flatten throws away the picture's 2-D layout: ` +
      `each of the 128 hidden units weighs all 784 pixels, so the first layer alone needs 784 × 128 + 128 = ` +
      `${fmt(s.paramsOf((_, id) => id === 'hidden'))} parameters, ${fmt(s.params)} in total, ` +
      `about ${Math.round(s.params / stats(mnistCnn()).params)}× the small CNN, which reads the image with shared 5×5 filters ` +
      `and does better. Try it: shift every digit two pixels and see which one copes.`,
    `La red más sencilla que aprende bien MNIST (un 97–98 %). Flatten descarta la disposición 2D de la imagen: ` +
      `cada una de las 128 unidades ocultas pondera los 784 píxeles, así que solo la primera capa necesita ` +
      `784 × 128 + 128 = ${fmtEs(s.paramsOf((_, id) => id === 'hidden'))} parámetros, ${fmtEs(s.params)} en total, ` +
      `unas ${Math.round(s.params / stats(mnistCnn()).params)} veces los de la CNN pequeña, que lee la imagen con ` +
      `filtros de 5×5 compartidos y acierta más. Pruébalo: desplaza cada dígito dos píxeles y mira cuál de las dos lo aguanta.`,
  );
}

// ---- Classic networks (torchvision 0.14) ----------------------------------------------------------

function lenet5(): Design {
  const t = new Sheet('LeNet-5', {
    description: {
      en: "LeCun et al.'s 1998 digit reader on a 32×32 image: two tanh convolutions with average pooling, then three fully connected layers.",
      es: 'El lector de dígitos de LeCun y colaboradores (1998) sobre una imagen de 32×32: dos convoluciones tanh con average pooling y después tres capas totalmente conectadas.',
    },
    notes: {},
  });
  const x = t.add('Input', { shape: [32, 32, 1] }, [], 'input');
  const c1 = t.add('Conv2D', conv(6, 5, { activation: 'tanh' }), [x], 'conv1', { label: 'C1' });
  const s2 = t.add('AvgPool2D', pool(2, 2), [c1], 'pool1', { label: 'S2' });
  const c3 = t.add('Conv2D', conv(16, 5, { activation: 'tanh' }), [s2], 'conv2', { label: 'C3' });
  const s4 = t.add('AvgPool2D', pool(2, 2), [c3], 'pool2', { label: 'S4' });
  const f = t.add('Flatten', {}, [s4], 'flatten');
  const c5 = t.add('Dense', dense(120, 'tanh'), [f], 'fc1', { label: 'C5' });
  const f6 = t.add('Dense', dense(84, 'tanh'), [c5], 'fc2', { label: 'F6' });
  t.add('Dense', dense(10), [f6], 'fc3', { label: 'Output' });
  const d = t.build();
  const s = stats(d);
  return withNotes(
    d,
    `LeNet-5 (LeCun, Bottou, Bengio and Haffner, 1998) read the digits on bank cheques in the USA. It expects ` +
      `32×32 images: MNIST's 28×28 digits padded by 2, so that C1's 5×5 windows see strokes right up to the edge. ` +
      `Each 5×5 convolution shrinks the map by 4 and each 2×2 average pooling (the paper's subsampling) halves it: ` +
      `32 → 28 → 14 → 10 → 5, leaving 16 × 5 × 5 = 400 values. ${fmt(s.params)} parameters, and ` +
      `${fmt(s.paramsOf((k) => k === 'Dense'))} of them sit in the three fully connected layers. This is the modern ` +
      `textbook version: the original used a scaled tanh, trainable pooling coefficients, a hand-picked sparse ` +
      `connection table between S2 and C3, and radial-basis outputs. The last layer gives 10 scores (logits); ` +
      `add a softmax to read them as probabilities.`,
    `LeNet-5 (LeCun, Bottou, Bengio y Haffner, 1998) leía los dígitos de los cheques bancarios en Estados Unidos. ` +
      `Espera imágenes de 32×32: los dígitos de 28×28 de MNIST con 2 píxeles de relleno, para que las ventanas de 5×5 ` +
      `de C1 vean los trazos hasta el borde. Cada convolución de 5×5 reduce el mapa en 4 y cada average pooling de 2×2 ` +
      `(el submuestreo del artículo) lo divide a la mitad: 32 → 28 → 14 → 10 → 5, y quedan 16 × 5 × 5 = 400 valores. ` +
      `${fmtEs(s.params)} parámetros, ${fmtEs(s.paramsOf((k) => k === 'Dense'))} de ellos en las tres capas totalmente ` +
      `conectadas. Es la versión de los libros de texto actuales: la original usaba una tanh escalada, coeficientes de ` +
      `pooling entrenables, una tabla de conexiones dispersa elegida a mano entre S2 y C3 y salidas de base radial. ` +
      `La última capa da 10 puntuaciones (logits); añade un softmax para leerlas como probabilidades.`,
  );
}

function alexnet(): Design {
  const t = new Sheet('AlexNet', {
    description: {
      en: 'The 2012 ImageNet winner that started the deep-learning boom: five convolutions, three max pools and three huge fully connected layers (torchvision version).',
      es: 'La ganadora de ImageNet 2012 que desató el auge del aprendizaje profundo: cinco convoluciones, tres max pools y tres enormes capas totalmente conectadas (versión de torchvision).',
    },
    notes: {},
  });
  const x = t.add('Input', { shape: [224, 224, 3] }, [], 'input');
  let h = t.add('Conv2D', conv(64, 11, { stride: 4, pad: 2, activation: 'relu' }), [x], 'conv1');
  h = t.add('MaxPool2D', pool(3, 2), [h], 'pool1');
  h = t.add('Conv2D', conv(192, 5, { pad: 2, activation: 'relu' }), [h], 'conv2');
  h = t.add('MaxPool2D', pool(3, 2), [h], 'pool2');
  h = t.add('Conv2D', conv(384, 3, { pad: 1, activation: 'relu' }), [h], 'conv3');
  h = t.add('Conv2D', conv(256, 3, { pad: 1, activation: 'relu' }), [h], 'conv4');
  h = t.add('Conv2D', conv(256, 3, { pad: 1, activation: 'relu' }), [h], 'conv5');
  h = t.add('MaxPool2D', pool(3, 2), [h], 'pool5');
  h = t.add('Flatten', {}, [h], 'flatten');
  h = t.add('Dropout', { rate: 0.5 }, [h], 'dropout6');
  h = t.add('Dense', dense(4096, 'relu'), [h], 'fc6');
  h = t.add('Dropout', { rate: 0.5 }, [h], 'dropout7');
  h = t.add('Dense', dense(4096, 'relu'), [h], 'fc7');
  t.add('Dense', dense(1000), [h], 'fc8');
  const d = t.build();
  const s = stats(d);
  const fc = s.paramsOf((k) => k === 'Dense');
  return withNotes(
    d,
    `AlexNet (Krizhevsky, Sutskever and Hinton) won ImageNet 2012 with 15.3 % top-5 error against 26.2 % for ` +
      `the runner-up, trained on two GTX 580 GPUs with ReLU and dropout, both new at that scale. The paper's ` +
      `famous puzzle: it says 224×224 input, but an 11×11 window with stride 4 gives (224 − 11) / 4 + 1 = 54.25 ` +
      `positions, which is not a whole number; the 55×55 maps only work out for 227×227 (⌊(227 − 11) / 4⌋ + 1 = 55). ` +
      `torchvision keeps 224 and pads 2 pixels on each side instead: ⌊(224 + 4 − 11) / 4⌋ + 1 = 55, with the ` +
      `last padded column never reached by a window. This is torchvision's single-GPU ` +
      `variant (64-192-384-256-256 channels, no local response normalisation). Of its ${fmt(s.params)} parameters, ` +
      `${fmt(fc)} (${Math.round((100 * fc) / s.params)} %) are in the three fully connected layers, yet the ` +
      `convolutions do most of the ${(s.macs / 1e9).toFixed(2)} billion multiply-accumulates per image. ` +
      `fc8 outputs 1000 logits, one per ImageNet class.`,
    `AlexNet (Krizhevsky, Sutskever y Hinton) ganó ImageNet 2012 con un 15,3 % de error top-5 frente al 26,2 % ` +
      `del segundo, entrenada en dos GPU GTX 580 con ReLU y dropout, ambos nuevos a esa escala. El famoso enigma del ` +
      `artículo: dice que la entrada es de 224×224, pero una ventana de 11×11 con paso 4 da (224 − 11) / 4 + 1 = 54,25 ` +
      `posiciones, que no es un número entero; los mapas de 55×55 solo cuadran con 227×227 (⌊(227 − 11) / 4⌋ + 1 = 55). ` +
      `torchvision mantiene 224 y en su lugar rellena 2 píxeles por cada lado: ⌊(224 + 4 − 11) / 4⌋ + 1 = 55, y ninguna ` +
      `ventana llega a la última columna de relleno. Es la variante de una sola GPU de torchvision (canales ` +
      `64-192-384-256-256, sin normalización de respuesta local). De sus ${fmtEs(s.params)} parámetros, ` +
      `${fmtEs(fc)} (${Math.round((100 * fc) / s.params)} %) están en las tres capas totalmente conectadas, pero las ` +
      `convoluciones hacen la mayor parte de los ${decEs((s.macs / 1e9).toFixed(2))} mil millones de multiplicaciones-acumulaciones ` +
      `por imagen. fc8 da 1000 logits, uno por clase de ImageNet.`,
  );
}

function vgg16(): Design {
  const t = new Sheet('VGG-16', {
    description: {
      en: 'Oxford\'s 2014 network of thirteen 3×3 convolutions in five stages plus three fully connected layers: simple, uniform and very large.',
      es: 'La red de Oxford de 2014: trece convoluciones de 3×3 en cinco etapas más tres capas totalmente conectadas; sencilla, uniforme y muy grande.',
    },
    notes: {},
  });
  let h = t.add('Input', { shape: [224, 224, 3] }, [], 'input');
  const stages = [
    [64, 2],
    [128, 2],
    [256, 3],
    [512, 3],
    [512, 3],
  ] as const;
  stages.forEach(([filters, convs], i) => {
    for (let j = 1; j <= convs; j++) h = t.add('Conv2D', conv(filters, 3, { pad: 1, activation: 'relu' }), [h], `conv${i + 1}_${j}`);
    h = t.add('MaxPool2D', pool(2, 2), [h], `pool${i + 1}`);
  });
  h = t.add('Flatten', {}, [h], 'flatten');
  h = t.add('Dense', dense(4096, 'relu'), [h], 'fc6');
  h = t.add('Dropout', { rate: 0.5 }, [h], 'dropout6');
  h = t.add('Dense', dense(4096, 'relu'), [h], 'fc7');
  h = t.add('Dropout', { rate: 0.5 }, [h], 'dropout7');
  t.add('Dense', dense(1000), [h], 'fc8');
  const d = t.build();
  const s = stats(d);
  const fc6 = s.paramsOf((_, id) => id === 'fc6');
  return withNotes(
    d,
    `VGG-16 (Simonyan and Zisserman, Oxford's Visual Geometry Group) came second in ImageNet classification 2014 ` +
      `with 7.3 % top-5 error. Its idea: use only 3×3 convolutions (padding 1, so the size stays) and stack them. ` +
      `Two stacked 3×3 layers see a 5×5 patch and three see 7×7, with more ReLUs in between and fewer weights: ` +
      `three 3×3 layers on C channels cost 27·C² weights, one 7×7 layer 49·C². Each 2×2 max pool halves the ` +
      `map (224 → 112 → 56 → 28 → 14 → 7) while the channels double up to 512. It is big: ${fmt(s.params)} ` +
      `parameters (${millions(s.params)}), ${fmt(fc6)} of them in fc6 alone (7·7·512 = 25,088 inputs × 4096 ` +
      `outputs), and about ${(s.macs / 1e9).toFixed(1)} billion multiply-accumulates per image, over 20× AlexNet.`,
    `VGG-16 (Simonyan y Zisserman, Visual Geometry Group de Oxford) quedó segunda en clasificación de ImageNet 2014 ` +
      `con un 7,3 % de error top-5. Su idea: usar solo convoluciones de 3×3 (relleno 1, así el tamaño se mantiene) y ` +
      `apilarlas. Dos capas de 3×3 apiladas ven una zona de 5×5 y tres ven 7×7, con más ReLU entre ellas y menos pesos: ` +
      `tres capas de 3×3 sobre C canales cuestan 27·C² pesos, una de 7×7 cuesta 49·C². Cada max pool de 2×2 divide el ` +
      `mapa a la mitad (224 → 112 → 56 → 28 → 14 → 7) mientras los canales se duplican hasta 512. Es grande: ` +
      `${fmtEs(s.params)} parámetros (${millionsEs(s.params)}), ${fmtEs(fc6)} de ellos solo en fc6 (7·7·512 = 25.088 ` +
      `entradas × 4096 salidas), y unos ${decEs((s.macs / 1e9).toFixed(1))} mil millones de multiplicaciones-acumulaciones por ` +
      `imagen, más de 20 veces AlexNet.`,
  );
}

/** torchvision's ResNet stem, layer by layer under its own names (conv1, bn1, relu, maxpool), down the first column. */
function resnetStem(t: BlockSheet): string {
  const x = t.layer('Input', { shape: [224, 224, 3] }, null, 'input', 0);
  let h = t.layer('Conv2D', conv(64, 7, { stride: 2, pad: 3, bias: false }), x, 'conv1', 0);
  h = t.layer('BatchNorm', BN, h, 'bn1', 0);
  h = t.layer('Activation', act('relu'), h, 'relu', 0);
  return t.layer('MaxPool2D', torchPool(3, 2, 1), h, 'maxpool', 0);
}

/** Told in the notes of every template that opens folded. */
const FOLDED_NOTE = 'It opens folded to its stages: double-click a stage to unfold it, and select a block to edit its definition (every copy follows).';
const FOLDED_NOTE_ES = 'Se abre plegada en sus etapas: haz doble clic en una etapa para desplegarla y selecciona un bloque para editar su definición (todas las copias la siguen).';

function resnet18(): Design {
  const t = new BlockSheet('ResNet-18', {
    description: {
      en: 'The residual network of 2015 in its smallest ImageNet form: eight basic blocks whose skip connections add each block\'s input to its output.',
      es: 'La red residual de 2015 en su forma más pequeña para ImageNet: ocho bloques básicos cuyas conexiones de salto suman la entrada de cada bloque a su salida.',
    },
  });
  let h = resnetStem(t);
  // torchvision's ResNet._make_layer: the first block of stages 2–4 halves the map and widens the skip.
  [64, 128, 256, 512].forEach((planes, li) => {
    h = t.block(library('BasicBlock'), h, `layer${li + 1}`, 1, {
      repeat: 2,
      args: { planes },
      ...(li > 0 ? { overrides: { '0': { stride: [2, 2], downsample: true } } } : {}),
    });
  });
  h = t.layer('GlobalAvgPool2D', {}, h, 'avgpool', 2);
  t.layer('Dense', dense(1000), h, 'fc', 2);
  const d = t.build();
  const s = stats(d);
  return withNotes(
    d,
    `ResNet (He, Zhang, Ren and Sun, Microsoft Research) won ImageNet 2015 with 3.57 % top-5 error using ` +
      `networks up to 152 layers deep. Before it, adding layers beyond about 20 made plain networks train worse, ` +
      `not better. The fix is the skip connection: each block computes a correction F(x) and outputs ` +
      `relu(F(x) + x), so a block that has nothing to add can learn F = 0 and gradients flow straight back through ` +
      `the additions. When a block halves the map and doubles the channels, the shortcut needs a matching shape: a ` +
      `1×1 convolution with stride 2 plus BatchNorm (the downsample branch beside layer2.0, layer3.0 and layer4.0). ` +
      `ResNet-18 has ${fmt(s.params)} trainable parameters (${millions(s.params)}) and ` +
      `${(s.macs / 1e9).toFixed(1)} billion multiply-accumulates, a twelfth of VGG-16's parameters; the BatchNorm ` +
      `running statistics add ${fmt(s.nonTrainable)} non-trainable values. ` +
      STEM_POOL_NOTE +
      ' ' +
      FOLDED_NOTE,
    `ResNet (He, Zhang, Ren y Sun, Microsoft Research) ganó ImageNet 2015 con un 3,57 % de error top-5 usando ` +
      `redes de hasta 152 capas. Antes de ella, añadir capas más allá de unas 20 hacía que las redes simples se ` +
      `entrenaran peor, no mejor. La solución es la conexión de salto: cada bloque calcula una corrección F(x) y ` +
      `devuelve relu(F(x) + x), así que un bloque que no tiene nada que aportar puede aprender F = 0 y los gradientes ` +
      `vuelven directamente a través de las sumas. Cuando un bloque reduce el mapa a la mitad y duplica los canales, el ` +
      `atajo necesita la misma forma: una convolución 1×1 con paso 2 más BatchNorm (la rama downsample junto a ` +
      `layer2.0, layer3.0 y layer4.0). ResNet-18 tiene ${fmtEs(s.params)} parámetros entrenables ` +
      `(${millionsEs(s.params)}) y ${decEs((s.macs / 1e9).toFixed(1))} mil millones de multiplicaciones-acumulaciones, la ` +
      `duodécima parte de los parámetros de VGG-16; las estadísticas de BatchNorm añaden ${fmtEs(s.nonTrainable)} ` +
      `valores no entrenables. ` +
      STEM_POOL_NOTE_ES +
      ' ' +
      FOLDED_NOTE_ES,
  );
}

/** torchvision's MobileNetV2 table: expansion t, output channels c, repeats n, first stride s. */
const MOBILENET_V2_BLOCKS = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
] as const;

function mobilenetV2(): Design {
  const t = new BlockSheet('MobileNetV2', {
    description: {
      en: 'Google\'s 2018 network for phones: inverted residual blocks built from depthwise separable convolutions, 3.5 million parameters.',
      es: 'La red de Google de 2018 para móviles: bloques residuales invertidos hechos de convoluciones separables en profundidad, 3,5 millones de parámetros.',
    },
  });
  const x = t.layer('Input', { shape: [224, 224, 3] }, null, 'input', 0);
  // Stem and head: torchvision's Conv2dNormActivation, the library's BasicConv2d with MobileNet's ε and ReLU6.
  const convBnRelu6 = { epsilon: 1e-5, activation: 'relu6' };
  let h = t.block(library('BasicConv2d'), x, 'stem', 0, {
    args: { filters: 32, kernel_size: [3, 3], strides: [2, 2], padding: 'explicit', pads: [1, 1, 1, 1], ...convBnRelu6 },
  });
  let channels = 32;
  // One stage per row of the paper's table, its blocks copies of the library's InvertedResidual: the
  // first copy takes the stage's stride and its input's channels; a skip only where the shape stays.
  MOBILENET_V2_BLOCKS.forEach(([expand, out, repeats, stride], i) => {
    h = t.block(library('InvertedResidual'), h, `stage${i + 1}`, i < 3 ? 0 : 1, {
      repeat: repeats,
      args: { hidden: out * expand, out_channels: out, residual: true, expand: expand !== 1 },
      overrides: { '0': { hidden: channels * expand, stride: [stride, stride], residual: stride === 1 && channels === out } },
    });
    channels = out;
  });
  h = t.block(library('BasicConv2d'), h, 'head', 2, { args: { filters: 1280, ...convBnRelu6 } });
  h = t.layer('GlobalAvgPool2D', {}, h, 'avgpool', 2);
  h = t.layer('Dropout', { rate: 0.2 }, h, 'dropout', 2);
  t.layer('Dense', dense(1000), h, 'classifier', 2);
  const d = t.build();
  const s = stats(d);
  return withNotes(
    d,
    `MobileNetV2 (Sandler, Howard, Zhu, Zhmoginov and Chen, Google, 2018) was designed to run on phones: ` +
      `${fmt(s.params)} parameters (${millions(s.params)}) and about ${Math.round(s.macs / 1e6)} million ` +
      `multiply-accumulates per image, against ${(11_689_512 / 1e6).toFixed(1)} M and 1.8 billion for ResNet-18. Its ` +
      `trick is the depthwise separable convolution: a 3×3 DepthwiseConv2D filters each channel on its own, then a ` +
      `1×1 Conv2D mixes the channels. On 160 channels a full 3×3 convolution needs 3·3·160·160 = 230,400 weights; ` +
      `depthwise (1,440) plus pointwise (25,600) needs 27,040, 8.5× fewer. Each "inverted residual" block widens ` +
      `the channels 6× with a 1×1 expansion, filters them depthwise, and projects back down with no activation ` +
      `after the projection (a linear bottleneck, since ReLU6 on a narrow layer destroys information); when input ` +
      `and output shapes agree, a skip connection adds the block's input. The seven stages are the rows of the ` +
      `paper's table (torchvision's features[1] … features[17]). ` +
      FOLDED_NOTE,
    `MobileNetV2 (Sandler, Howard, Zhu, Zhmoginov y Chen, Google, 2018) se diseñó para funcionar en móviles: ` +
      `${fmtEs(s.params)} parámetros (${millionsEs(s.params)}) y unos ${Math.round(s.macs / 1e6)} millones de ` +
      `multiplicaciones-acumulaciones por imagen, frente a ${decEs((11_689_512 / 1e6).toFixed(1))} M y 1,8 mil millones de ` +
      `ResNet-18. Su truco es la convolución separable en profundidad: una DepthwiseConv2D de 3×3 filtra cada canal por ` +
      `separado y después una Conv2D de 1×1 mezcla los canales. Sobre 160 canales una convolución completa de 3×3 ` +
      `necesita 3·3·160·160 = 230.400 pesos; en profundidad (1.440) más puntual (25.600) necesita 27.040, 8,5 veces ` +
      `menos. Cada bloque «residual invertido» ensancha los canales 6 veces con una expansión 1×1, los filtra en ` +
      `profundidad y los vuelve a proyectar sin activación después de la proyección (un cuello de botella lineal, ` +
      `porque ReLU6 sobre una capa estrecha destruye información); cuando las formas de entrada y salida coinciden, ` +
      `una conexión de salto suma la entrada del bloque. Las siete etapas son las filas de la tabla del artículo ` +
      `(features[1] … features[17] de torchvision). ` +
      FOLDED_NOTE_ES,
  );
}

/** torchvision's ResNet-50: bottleneck blocks (1×1 reduce, 3×3 with the stride, 1×1 expand ×4). */
function resnet50(): Design {
  const t = new BlockSheet('ResNet-50', {
    description: {
      en: 'The 50-layer residual network: sixteen bottleneck blocks (1×1, 3×3, 1×1 convolutions) with skip connections, as torchvision builds it.',
      es: 'La red residual de 50 capas: dieciséis bloques cuello de botella (convoluciones 1×1, 3×3 y 1×1) con conexiones de salto, tal como la construye torchvision.',
    },
  });
  let h = resnetStem(t);
  const stages = [
    [64, 3],
    [128, 4],
    [256, 6],
    [512, 3],
  ] as const;
  // Every stage's first block changes the channels (64 → 256 in stage 1), so it has the downsample
  // branch; from stage 2 it also halves the map, with the stride on the 3×3 ("ResNet v1.5").
  stages.forEach(([planes, blocks], li) => {
    h = t.block(library('Bottleneck'), h, `layer${li + 1}`, 1, {
      repeat: blocks,
      args: { planes, out_channels: planes * 4, downsample: false },
      overrides: { '0': li > 0 ? { stride: [2, 2], downsample: true } : { downsample: true } },
    });
  });
  h = t.layer('GlobalAvgPool2D', {}, h, 'avgpool', 2);
  t.layer('Dense', dense(1000), h, 'fc', 2);
  const d = t.build();
  const s = stats(d);
  return withNotes(
    d,
    `ResNet-50 is the deeper ResNet of He, Zhang, Ren and Sun (2015) and for years the standard backbone of ` +
      `computer vision. Its blocks are bottlenecks: a 1×1 convolution shrinks the channels 4×, a 3×3 ` +
      `convolution works on the narrow map, and a second 1×1 convolution widens it back, so a block on 256 ` +
      `channels costs 1×1·256·64 + 3×3·64·64 + 1×1·64·256 = 69,632 weights where two 3×3 convolutions on 256 ` +
      `channels would cost 1,179,648. Sixteen blocks in four stages (3, 4, 6 and 3 blocks; 256, 512, 1024 and ` +
      `2048 channels) with a skip connection round each; the first block of each stage has a 1×1 downsample ` +
      `branch to match the shapes (and, from stage 2, halves the map with stride 2 on its 3×3 convolution, as ` +
      `torchvision's "v1.5" does). ${fmt(s.params)} trainable parameters (${millions(s.params)}) and ` +
      `${(s.macs / 1e9).toFixed(1)} billion multiply-accumulates per image; BatchNorm running statistics add ` +
      `${fmt(s.nonTrainable)} non-trainable values. ` +
      STEM_POOL_NOTE +
      ' ' +
      FOLDED_NOTE,
    `ResNet-50 es la ResNet más profunda de He, Zhang, Ren y Sun (2015) y durante años la red troncal estándar de ` +
      `la visión por computador. Sus bloques son cuellos de botella: una convolución 1×1 reduce los canales 4 veces, ` +
      `una convolución 3×3 trabaja sobre el mapa estrecho y una segunda 1×1 lo vuelve a ensanchar, así que un bloque ` +
      `sobre 256 canales cuesta 1×1·256·64 + 3×3·64·64 + 1×1·64·256 = 69.632 pesos, donde dos convoluciones 3×3 sobre ` +
      `256 canales costarían 1.179.648. Dieciséis bloques en cuatro etapas (3, 4, 6 y 3 bloques; 256, 512, 1024 y ` +
      `2048 canales), cada uno rodeado por una conexión de salto; el primer bloque de cada etapa tiene una rama ` +
      `downsample 1×1 para igualar las formas (y, desde la etapa 2, reduce el mapa a la mitad con paso 2 en su ` +
      `convolución 3×3, como hace la «v1.5» de torchvision). ${fmtEs(s.params)} parámetros entrenables ` +
      `(${millionsEs(s.params)}) y ${decEs((s.macs / 1e9).toFixed(1))} mil millones de multiplicaciones-acumulaciones por ` +
      `imagen; las estadísticas de BatchNorm añaden ${fmtEs(s.nonTrainable)} valores no entrenables. ` +
      STEM_POOL_NOTE_ES +
      ' ' +
      FOLDED_NOTE_ES,
  );
}

/** GoogLeNet's Inception modules: (in-channels), 1×1, 3×3 reduce, 3×3, "5×5" reduce, "5×5", pool projection. */
const GOOGLENET_INCEPTION = {
  inception3a: [64, 96, 128, 16, 32, 32],
  inception3b: [128, 128, 192, 32, 96, 64],
  inception4a: [192, 96, 208, 16, 48, 64],
  inception4b: [160, 112, 224, 24, 64, 64],
  inception4c: [128, 128, 256, 24, 64, 64],
  inception4d: [112, 144, 288, 32, 64, 64],
  inception4e: [256, 160, 320, 32, 128, 128],
  inception5a: [256, 160, 320, 32, 128, 128],
  inception5b: [384, 192, 384, 48, 128, 128],
} as const;

/** torchvision's GoogLeNet (Inception v1) with BatchNorm, without the two auxiliary classifiers. */
function googlenet(): Design {
  const t = new BlockSheet('GoogLeNet', {
    description: {
      en: 'Inception v1 (2014): nine Inception modules that run 1×1, 3×3 and pooled branches side by side and concatenate them (torchvision version, no auxiliary heads).',
      es: 'Inception v1 (2014): nueve módulos Inception que ejecutan en paralelo ramas 1×1, 3×3 y de pooling y concatenan sus salidas (versión de torchvision, sin las cabezas auxiliares).',
    },
  });
  // torchvision's BasicConv2d (library): convolution without bias, BatchNorm with eps 0.001, ReLU.
  const basic = (filters: number, k: number, input: string, id: string, o: { stride?: number; pad?: number } = {}) =>
    t.block(library('BasicConv2d'), input, id, 0, {
      args: {
        filters,
        kernel_size: [k, k],
        strides: [o.stride ?? 1, o.stride ?? 1],
        ...(o.pad ? { padding: 'explicit', pads: [o.pad, o.pad, o.pad, o.pad] } : {}),
      },
    });
  // torchvision's pools, as it writes them: ceil_mode=True everywhere (padding 1 in the branch pools,
  // inside the library's Inception).
  const x = t.layer('Input', { shape: [224, 224, 3] }, null, 'input', 0);
  let h = basic(64, 7, x, 'conv1', { stride: 2, pad: 3 });
  h = t.layer('MaxPool2D', torchPool(3, 2, 0, true), h, 'maxpool1', 0);
  h = basic(64, 1, h, 'conv2');
  h = basic(192, 3, h, 'conv3', { pad: 1 });
  h = t.layer('MaxPool2D', torchPool(3, 2, 0, true), h, 'maxpool2', 1);
  // The modules of one map size form a stage (3: 28×28, 4: 14×14, 5: 7×7); each module keeps
  // torchvision's name inside it (inception4.inception4a), the pools between stages stay on top.
  const inception = library('Inception');
  const stage = (n: 3 | 4 | 5) => {
    const members = Object.entries(GOOGLENET_INCEPTION)
      .filter(([name]) => name.startsWith(`inception${n}`))
      .map(([name, [ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj]]) => ({ id: name, args: { ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj } }));
    t.define(inception);
    return stageOf(`InceptionStage${n}`, inception, members);
  };
  h = t.block(stage(3), h, 'inception3', 1);
  h = t.layer('MaxPool2D', torchPool(3, 2, 0, true), h, 'maxpool3', 1);
  h = t.block(stage(4), h, 'inception4', 1);
  h = t.layer('MaxPool2D', torchPool(2, 2, 0, true), h, 'maxpool4', 1);
  h = t.block(stage(5), h, 'inception5', 2);
  h = t.layer('GlobalAvgPool2D', {}, h, 'avgpool', 2);
  h = t.layer('Dropout', { rate: 0.2 }, h, 'dropout', 2);
  t.layer('Dense', dense(1000), h, 'fc', 2);
  const d = t.build();
  const s = stats(d);
  return withNotes(
    d,
    `GoogLeNet (Szegedy et al., Google, 2014) won ImageNet classification 2014 with 6.7 % top-5 error, with 12× ` +
      `fewer parameters than AlexNet. Each Inception module looks at the same map through four branches side ` +
      `by side (a 1×1 convolution, a 3×3, a larger window, and a 3×3 max pool) and concatenates their channels; ` +
      `1×1 convolutions first shrink the channels so the larger windows stay cheap (inception3a's 3×3 branch ` +
      `reads 96 channels instead of 192). Nine modules, ${fmt(s.params)} trainable parameters ` +
      `(${millions(s.params)}), ${(s.macs / 1e9).toFixed(1)} billion multiply-accumulates per image. This is ` +
      `torchvision's version: BatchNorm after every convolution (added after the paper), its "5×5" branch ` +
      `is a 3×3 convolution (kept from the port its weights were trained with), and the two auxiliary ` +
      `classifiers used only in training are left out. Its max pools round their output size up (ceil mode), ` +
      `as torchvision's do. ` +
      FOLDED_NOTE,
    `GoogLeNet (Szegedy y colaboradores, Google, 2014) ganó la clasificación de ImageNet 2014 con un 6,7 % de ` +
      `error top-5, con 12 veces menos parámetros que AlexNet. Cada módulo Inception mira el mismo mapa por cuatro ` +
      `ramas en paralelo (una convolución 1×1, una 3×3, una ventana mayor y un max pool de 3×3) y concatena sus ` +
      `canales; las convoluciones 1×1 reducen antes los canales para que las ventanas grandes sigan siendo baratas ` +
      `(la rama 3×3 de inception3a lee 96 canales en vez de 192). Nueve módulos, ${fmtEs(s.params)} parámetros ` +
      `entrenables (${millionsEs(s.params)}), ${decEs((s.macs / 1e9).toFixed(1))} mil millones de ` +
      `multiplicaciones-acumulaciones por imagen. Es la versión de torchvision: BatchNorm tras cada convolución ` +
      `(añadido después del artículo), su rama «5×5» es una convolución 3×3 (heredada del port con el que se ` +
      `entrenaron sus pesos) y se omiten los dos clasificadores auxiliares que solo se usaban al entrenar. Sus max ` +
      `pools redondean hacia arriba el tamaño de salida (ceil mode), como los de torchvision. ` +
      FOLDED_NOTE_ES,
  );
}

/** torchvision's DenseNet-121: growth rate 32, 4·32 bottleneck channels, blocks of 6, 12, 24 and 16 layers. */
/** DenseNet's stem under torchvision's names (features.conv0 …): its own block so the top level fits a screen. */
const DENSENET_STEM: BlockDefinition = {
  id: 'DenseNetStem',
  inputs: ['x'],
  outputs: [{ name: 'out', source: 'pool0' }],
  nodes: [
    { id: 'conv0', kind: 'Conv2D', params: { ...defaultParams(layerSpec('Conv2D').params), ...conv(64, 7, { stride: 2, pad: 3, bias: false }) }, position: { x: 0, y: 0 } },
    { id: 'norm0', kind: 'BatchNorm', params: BN, position: { x: 0, y: ROW_HEIGHT } },
    { id: 'relu0', kind: 'Activation', params: act('relu'), position: { x: 0, y: 2 * ROW_HEIGHT } },
    { id: 'pool0', kind: 'MaxPool2D', params: { ...defaultParams(layerSpec('MaxPool2D').params), ...torchPool(3, 2, 1) }, position: { x: 0, y: 3 * ROW_HEIGHT } },
  ],
  edges: [
    { id: 'x->conv0', source: 'x', target: 'conv0' },
    { id: 'conv0->norm0', source: 'conv0', target: 'norm0' },
    { id: 'norm0->relu0', source: 'norm0', target: 'relu0' },
    { id: 'relu0->pool0', source: 'relu0', target: 'pool0' },
  ],
};

function densenet121(): Design {
  const t = new BlockSheet('DenseNet-121', {
    description: {
      en: 'Densely connected network (2017): inside each of four dense blocks, every layer reads the concatenation of all earlier layers\' outputs (torchvision version).',
      es: 'Red densamente conectada (2017): dentro de cada uno de sus cuatro bloques densos, cada capa lee la concatenación de las salidas de todas las capas anteriores (versión de torchvision).',
    },
  });
  const x = t.layer('Input', { shape: [224, 224, 3] }, null, 'input', 0);
  let h = t.block(DENSENET_STEM, x, 'stem', 0);
  let channels = 64;
  // Each dense block is a stage of the library's DenseLayer (growth rate 32, bottleneck 4·32), its layers
  // named as torchvision names them (denseblock2.denselayer7). torchvision concatenates [input, new_1, …,
  // new_k] before each layer; each DenseLayer appending its new slice to the running concatenation gives
  // the same tensor in the same channel order.
  const denseLayer = library('DenseLayer');
  [6, 12, 24, 16].forEach((layers, bi) => {
    const members = Array.from({ length: layers }, (_, li) => ({ id: `denselayer${li + 1}` }));
    t.define(denseLayer);
    // Columns: input, stem, denseblock1, transition1, denseblock2 | transition2 … denseblock4 | the head.
    h = t.block(stageOf(`DenseBlock${layers}`, denseLayer, members), h, `denseblock${bi + 1}`, bi < 2 ? 0 : 1);
    channels += layers * 32;
    if (bi < 3) {
      channels /= 2;
      h = t.block(library('Transition'), h, `transition${bi + 1}`, bi < 1 ? 0 : 1, { args: { out_channels: channels } });
    }
  });
  h = t.layer('BatchNorm', BN, h, 'norm5', 2);
  h = t.layer('Activation', act('relu'), h, 'relu5', 2);
  h = t.layer('GlobalAvgPool2D', {}, h, 'avgpool', 2);
  t.layer('Dense', dense(1000), h, 'classifier', 2);
  const d = t.build();
  const s = stats(d);
  return withNotes(
    d,
    `DenseNet (Huang, Liu, van der Maaten and Weinberger, CVPR 2017 best paper) takes ResNet's shortcut ` +
      `further: inside a dense block each layer adds only 32 new channels (the growth rate) and passes on the ` +
      `concatenation of everything before it, so later layers read all earlier features directly and nothing ` +
      `has to be relearned. The first block grows 64 → 64 + 6·32 = 256 channels; a transition (BatchNorm, ReLU, ` +
      `1×1 convolution halving the channels, 2×2 average pool) shrinks map and channels between blocks; the last ` +
      `block ends at 1024. Each layer first squeezes its wide input to 128 channels with a 1×1 convolution, ` +
      `then makes its 32 channels with a 3×3 one. 121 layers with weights but only ${fmt(s.params)} trainable ` +
      `parameters (${millions(s.params)}), a third of ResNet-50's, for ${(s.macs / 1e9).toFixed(1)} billion ` +
      `multiply-accumulates per image. ` +
      STEM_POOL_NOTE +
      ' ' +
      FOLDED_NOTE,
    `DenseNet (Huang, Liu, van der Maaten y Weinberger, mejor artículo de CVPR 2017) lleva más lejos el atajo ` +
      `de ResNet: dentro de un bloque denso cada capa añade solo 32 canales nuevos (la tasa de crecimiento) y pasa ` +
      `la concatenación de todo lo anterior, así que las capas posteriores leen directamente todas las ` +
      `características previas y nada tiene que volver a aprenderse. El primer bloque crece de 64 a 64 + 6·32 = 256 ` +
      `canales; una transición (BatchNorm, ReLU, convolución 1×1 que divide los canales a la mitad y average pool de ` +
      `2×2) reduce mapa y canales entre bloques; el último bloque termina en 1024. Cada capa primero comprime su ` +
      `ancha entrada a 128 canales con una convolución 1×1 y después crea sus 32 canales con una de 3×3. 121 capas ` +
      `con pesos pero solo ${fmtEs(s.params)} parámetros entrenables (${millionsEs(s.params)}), un tercio de los de ` +
      `ResNet-50, para ${decEs((s.macs / 1e9).toFixed(1))} mil millones de multiplicaciones-acumulaciones por imagen. ` +
      STEM_POOL_NOTE_ES +
      ' ' +
      FOLDED_NOTE_ES,
  );
}

export const TEMPLATES: readonly { file: string; level: TemplateLevel; make: () => Design }[] = [
  { file: 'mnist-cnn.json', level: 'beginner', make: mnistCnn },
  { file: 'mlp.json', level: 'beginner', make: mlp },
  { file: 'lenet-5.json', level: 'classic', make: lenet5 },
  { file: 'alexnet.json', level: 'classic', make: alexnet },
  { file: 'vgg-16.json', level: 'classic', make: vgg16 },
  { file: 'resnet-18.json', level: 'classic', make: resnet18 },
  { file: 'mobilenet-v2.json', level: 'classic', make: mobilenetV2 },
  { file: 'resnet-50.json', level: 'classic', make: resnet50 },
  { file: 'googlenet.json', level: 'classic', make: googlenet },
  { file: 'densenet-121.json', level: 'classic', make: densenet121 },
];

/**
 * Flat templates open laid out as the canvas's "Tidy up" would (branches side by side), not as one
 * column; block templates keep their own columns (stem, stages, head), which fit one screen.
 */
function laidOut(design: Design): Design {
  return design.instances?.length ? design : moveNodes(design, layoutDesign(design));
}

export function buildTemplates(): Template[] {
  return TEMPLATES.map(({ file, level, make }) => ({ file, level, design: laidOut(make()) }));
}

export function templateIndex(templates: readonly Template[]): TemplateIndexEntry[] {
  return templates.map(({ file, level, design }) => {
    const { totals } = inferShapes(flattenDesign(design));
    const input = design.nodes.find((n) => n.kind === 'Input')?.params.shape;
    return {
      file,
      name: design.name,
      description: design.description ?? {},
      level,
      notes: design.notes ?? {},
      layers: flattenDesign(design).nodes.length,
      params: totals.totalParams,
      macs: totals.macs,
      input: Array.isArray(input) ? [...input] : [],
    };
  });
}

/** The exact text of every generated file, keyed by file name (index.json included). */
export function renderTemplates(): Map<string, string> {
  const templates = buildTemplates();
  const files = new Map<string, string>();
  for (const { file, design } of templates) files.set(file, serializeDesign(design));
  files.set('index.json', `${JSON.stringify(templateIndex(templates), null, 2)}\n`);
  return files;
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const dir = path.join(root, 'templates');
  mkdirSync(dir, { recursive: true });
  let failed = false;
  for (const { file, design } of buildTemplates()) {
    const r = inferShapes(flattenDesign(design));
    const errors = [...r.designIssues, ...[...r.nodes.values()].flatMap((n) => n.issues)].filter((i) => i.severity === 'error');
    for (const e of errors) console.error(`${file}: ${formatIssue(e)}`);
    failed ||= errors.length > 0;
    console.log(
      `${file.padEnd(18)} ${String(design.nodes.length + (design.instances?.length ?? 0)).padStart(4)} shown  ` +
        `${String(r.order.length).padStart(4)} layers  ${fmt(r.totals.trainableParams).padStart(12)} params  ` +
        `${r.totals.warnings} warning(s)`,
    );
  }
  if (failed) {
    console.error('not written: fix the errors above');
    process.exit(1);
  }
  for (const [file, text] of renderTemplates()) writeFileSync(path.join(dir, file), text);
  console.log(`wrote ${dir}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
