/**
 * The networks `npm run bench:train` trains, as NetCanvas designs: the browser trains the design and
 * native PyTorch trains NetCanvas's own PyTorch export of the same design (src/export/pytorch.ts), so the
 * two sides cannot drift apart (the bench checks that their parameter counts agree).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { libraryBlock } from '../src/graph/block-library.ts';
import { parseDesign } from '../src/graph/file-format.ts';
import type { Design } from '../src/graph/types.ts';

export type BenchModel = 'lenet-5' | 'resnet18-cifar';
export const BENCH_MODELS: readonly BenchModel[] = ['lenet-5', 'resnet18-cifar'];

export interface BenchModelSpec {
  readonly design: Design;
  readonly batch: number;
  /** Input [H, W, C] of the random data. */
  readonly shape: readonly [number, number, number];
}

const BN = { momentum: 0.9, epsilon: 1e-5, center: true, scale: true };
const at = (y: number) => ({ x: 0, y });

/**
 * A ResNet-18 for CIFAR-sized images (32×32×3), as the CIFAR ResNet papers and most CIFAR code adapt
 * torchvision's: a 3×3 stride-1 stem without the max pool (a 7×7/2 stem and a pool would leave an 8×8 map
 * after the stem), then torchvision's four stages of two basic blocks (64-128-256-512; the first block of
 * stages 2–4 halves the map and carries a 1×1 downsample), global average pool, 10 classes. The blocks are
 * the palette's own ResNet basic block (src/graph/block-library.ts).
 */
export function resnet18Cifar(): Design {
  const block = libraryBlock('BasicBlock')!.definition;
  const stage = (i: number, planes: number) => ({
    id: `layer${i}`,
    block: block.id,
    repeat: 2,
    args: { planes },
    ...(i > 1 ? { overrides: { '0': { stride: [2, 2], downsample: true } } } : {}),
    position: at(300 + i * 100),
  });
  const chain = ['input', 'conv1', 'bn1', 'relu', 'layer1', 'layer2', 'layer3', 'layer4', 'avgpool', 'fc'];
  const parsed = parseDesign({
    format: 'netcanvas',
    version: 2,
    name: 'ResNet-18 (CIFAR, 32×32×3)',
    blocks: [block],
    nodes: [
      { id: 'input', kind: 'Input', params: { shape: [32, 32, 3] }, position: at(0) },
      {
        id: 'conv1',
        kind: 'Conv2D',
        params: { filters: 64, kernel_size: [3, 3], strides: [1, 1], padding: 'explicit', pads: [1, 1, 1, 1], use_bias: false, activation: 'linear' },
        position: at(100),
      },
      { id: 'bn1', kind: 'BatchNorm', params: BN, position: at(200) },
      { id: 'relu', kind: 'Activation', params: { activation: 'relu' }, position: at(250) },
      { id: 'avgpool', kind: 'GlobalAvgPool2D', params: {}, position: at(900) },
      { id: 'fc', kind: 'Dense', params: { units: 10, activation: 'linear', use_bias: true }, position: at(1000) },
    ],
    instances: [stage(1, 64), stage(2, 128), stage(3, 256), stage(4, 512)],
    edges: chain.slice(1).map((target, i) => ({ source: chain[i], target })),
  });
  if (!parsed.ok) throw new Error(`resnet18-cifar: the design does not parse: ${JSON.stringify(parsed.errors)}`);
  return parsed.design;
}

export function benchModel(model: BenchModel, root: string): BenchModelSpec {
  if (model === 'resnet18-cifar') return { design: resnet18Cifar(), batch: 32, shape: [32, 32, 3] };
  const parsed = parseDesign(readFileSync(join(root, 'templates', 'lenet-5.json'), 'utf8'));
  if (!parsed.ok) throw new Error(`templates/lenet-5.json does not parse: ${JSON.stringify(parsed.errors)}`);
  return { design: parsed.design, batch: 64, shape: [32, 32, 1] };
}

/** The names `--model` takes: each model's own name, `lenet5` for LeNet-5, and `all` (every model, in order). */
const MODEL_ALIASES: Readonly<Record<string, readonly BenchModel[]>> = {
  all: BENCH_MODELS,
  lenet5: ['lenet-5'],
  'lenet-5': ['lenet-5'],
  'resnet18-cifar': ['resnet18-cifar'],
};

/** The models `--model NAME` asks for (no flag: all); an unknown name says which ones exist. */
export function modelsFromArgs(argv: readonly string[]): readonly BenchModel[] {
  const at = argv.indexOf('--model');
  if (at < 0) return BENCH_MODELS;
  const name = argv[at + 1];
  const models = name === undefined ? undefined : MODEL_ALIASES[name.toLowerCase()];
  if (!models) throw new Error(`--model ${name ?? '(missing)'}: expected one of ${Object.keys(MODEL_ALIASES).join(', ')}`);
  return models;
}
