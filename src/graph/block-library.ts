/**
 * The block library: the building blocks of the course's architectures as block definitions with
 * arguments, written the way torchvision writes them (module names, bias-free convs before BatchNorm,
 * torchvision's default epsilons), so that a block's parameters equal its torchvision module's. The palette
 * offers them; `insertLibraryBlock` puts one into a design: its definition (reused when the design already
 * holds the same one) and one instance, wired after a layer as a layer from the palette would be. Shapes and
 * parameters come from the same inference as everything else: a block is structure, not new math.
 */
import { downstream, ROW_GAP } from './edit.ts';
import type { BlockDefinition, BlockInstance, Design, DesignEdge, DesignNode, Localized, Params } from './types.ts';

export interface LibraryBlock {
  readonly definition: BlockDefinition;
  readonly title: Localized;
  readonly doc: Localized;
}

// A row's gap as the editor leaves it, so an expanded block's layers and their connection labels do not crowd.
const at = (row: number, column = 0) => ({ x: column * 260, y: row * ROW_GAP });
const bn = (epsilon = 1e-5): Params => ({ momentum: 0.9, epsilon, center: true, scale: true });
const relu: Params = { activation: 'relu' };
const conv = (filters: number, k: number, o: { stride?: number; pad?: number; bias?: boolean } = {}): Params => ({
  filters,
  kernel_size: [k, k],
  strides: [o.stride ?? 1, o.stride ?? 1],
  ...(o.pad ? { padding: 'explicit', pads: [o.pad, o.pad, o.pad, o.pad] } : { padding: 'valid' }),
  use_bias: o.bias ?? false,
  activation: 'linear',
});
type NodeSpec = Omit<DesignNode, 'position'> & { readonly at: { x: number; y: number } };
const node = ({ at: position, ...rest }: NodeSpec): DesignNode => ({ ...rest, position });
/** A chain of edges through `ids`, in order. */
const chain = (...ids: string[]): DesignEdge[] => ids.slice(1).map((target, i) => ({ id: `${ids[i]}->${target}`, source: ids[i], target }));
const merge = (target: string, sources: readonly string[]): DesignEdge[] => sources.map((source, i) => ({ id: `${source}->${target}`, source, target, targetSlot: i }));

/** torchvision's BasicBlock (ResNet-18/34): two 3×3 convs and a skip; a 1×1 downsample where the shape changes. */
const basicBlock: BlockDefinition = {
  id: 'BasicBlock',
  inputs: ['x'],
  outputs: [{ name: 'out', source: 'relu_out' }],
  args: [
    { name: 'planes', default: 64 },
    { name: 'stride', default: [1, 1] },
    { name: 'downsample', default: false },
  ],
  nodes: [
    node({ id: 'conv1', kind: 'Conv2D', params: conv(64, 3, { pad: 1 }), bind: { filters: 'planes', strides: 'stride' }, at: at(0) }),
    node({ id: 'bn1', kind: 'BatchNorm', params: bn(), at: at(1) }),
    node({ id: 'relu', kind: 'Activation', params: relu, at: at(2) }),
    node({ id: 'conv2', kind: 'Conv2D', params: conv(64, 3, { pad: 1 }), bind: { filters: 'planes' }, at: at(3) }),
    node({ id: 'bn2', kind: 'BatchNorm', params: bn(), at: at(4) }),
    node({ id: 'downsample.0', kind: 'Conv2D', params: conv(64, 1), bind: { filters: 'planes', strides: 'stride' }, when: 'downsample', at: at(0, 1) }),
    node({ id: 'downsample.1', kind: 'BatchNorm', params: bn(), when: 'downsample', at: at(1, 1) }),
    node({ id: 'add', kind: 'Add', params: {}, at: at(5) }),
    node({ id: 'relu_out', kind: 'Activation', params: relu, at: at(6) }),
  ],
  edges: [...chain('x', 'conv1', 'bn1', 'relu', 'conv2', 'bn2'), ...chain('x', 'downsample.0', 'downsample.1'), ...merge('add', ['bn2', 'downsample.1']), ...chain('add', 'relu_out')],
};

/** torchvision's Bottleneck (ResNet-50/101/152): 1×1 narrows to `planes`, 3×3 (the stride), 1×1 widens to 4·planes. */
const bottleneck: BlockDefinition = {
  id: 'Bottleneck',
  inputs: ['x'],
  outputs: [{ name: 'out', source: 'relu_out' }],
  args: [
    { name: 'planes', default: 64 },
    { name: 'out_channels', default: 256 },
    { name: 'stride', default: [1, 1] },
    { name: 'downsample', default: true },
  ],
  nodes: [
    node({ id: 'conv1', kind: 'Conv2D', params: conv(64, 1), bind: { filters: 'planes' }, at: at(0) }),
    node({ id: 'bn1', kind: 'BatchNorm', params: bn(), at: at(1) }),
    node({ id: 'relu1', kind: 'Activation', params: relu, at: at(2) }),
    node({ id: 'conv2', kind: 'Conv2D', params: conv(64, 3, { pad: 1 }), bind: { filters: 'planes', strides: 'stride' }, at: at(3) }),
    node({ id: 'bn2', kind: 'BatchNorm', params: bn(), at: at(4) }),
    node({ id: 'relu2', kind: 'Activation', params: relu, at: at(5) }),
    node({ id: 'conv3', kind: 'Conv2D', params: conv(256, 1), bind: { filters: 'out_channels' }, at: at(6) }),
    node({ id: 'bn3', kind: 'BatchNorm', params: bn(), at: at(7) }),
    node({ id: 'downsample.0', kind: 'Conv2D', params: conv(256, 1), bind: { filters: 'out_channels', strides: 'stride' }, when: 'downsample', at: at(0, 1) }),
    node({ id: 'downsample.1', kind: 'BatchNorm', params: bn(), when: 'downsample', at: at(1, 1) }),
    node({ id: 'add', kind: 'Add', params: {}, at: at(8) }),
    node({ id: 'relu_out', kind: 'Activation', params: relu, at: at(9) }),
  ],
  edges: [
    ...chain('x', 'conv1', 'bn1', 'relu1', 'conv2', 'bn2', 'relu2', 'conv3', 'bn3'),
    ...chain('x', 'downsample.0', 'downsample.1'),
    ...merge('add', ['bn3', 'downsample.1']),
    ...chain('add', 'relu_out'),
  ],
};

/**
 * torchvision's InvertedResidual (MobileNetV2): 1×1 expands to `hidden`, 3×3 depthwise, linear 1×1
 * projection; a skip when the shape stays. `expand` false drops the expansion (the first block, t = 1).
 */
const invertedResidual: BlockDefinition = {
  id: 'InvertedResidual',
  inputs: ['x'],
  outputs: [{ name: 'out', source: 'add' }],
  args: [
    { name: 'hidden', default: 96 },
    { name: 'out_channels', default: 16 },
    { name: 'stride', default: [1, 1] },
    { name: 'residual', default: true },
    { name: 'expand', default: true },
  ],
  nodes: [
    node({ id: 'conv.0.0', kind: 'Conv2D', params: conv(96, 1), bind: { filters: 'hidden' }, when: 'expand', at: at(0) }),
    node({ id: 'conv.0.1', kind: 'BatchNorm', params: bn(), when: 'expand', at: at(1) }),
    node({ id: 'conv.0.2', kind: 'Activation', params: { activation: 'relu6' }, when: 'expand', at: at(2) }),
    node({ id: 'conv.1.0', kind: 'DepthwiseConv2D', params: { kernel_size: [3, 3], strides: [1, 1], padding: 'explicit', pads: [1, 1, 1, 1], depth_multiplier: 1, use_bias: false, activation: 'linear' }, bind: { strides: 'stride' }, at: at(3) }),
    node({ id: 'conv.1.1', kind: 'BatchNorm', params: bn(), at: at(4) }),
    node({ id: 'conv.1.2', kind: 'Activation', params: { activation: 'relu6' }, at: at(5) }),
    node({ id: 'conv.2', kind: 'Conv2D', params: conv(16, 1), bind: { filters: 'out_channels' }, at: at(6) }),
    node({ id: 'conv.3', kind: 'BatchNorm', params: bn(), at: at(7) }),
    node({ id: 'add', kind: 'Add', params: {}, when: 'residual', at: at(8) }),
  ],
  edges: [...chain('x', 'conv.0.0', 'conv.0.1', 'conv.0.2', 'conv.1.0', 'conv.1.1', 'conv.1.2', 'conv.2', 'conv.3'), ...merge('add', ['conv.3', 'x'])],
};

/** A VGG stage: two 3×3 convs with ReLU ("same" size), then a 2×2 max pool that halves the map. */
const vggStage: BlockDefinition = {
  id: 'VGGStage',
  inputs: ['x'],
  outputs: [{ name: 'out', source: 'pool' }],
  args: [{ name: 'filters', default: 64 }],
  nodes: [
    node({ id: 'conv1', kind: 'Conv2D', params: { ...conv(64, 3, { pad: 1, bias: true }), activation: 'relu' }, bind: { filters: 'filters' }, at: at(0) }),
    node({ id: 'conv2', kind: 'Conv2D', params: { ...conv(64, 3, { pad: 1, bias: true }), activation: 'relu' }, bind: { filters: 'filters' }, at: at(1) }),
    node({ id: 'pool', kind: 'MaxPool2D', params: { pool_size: [2, 2], strides: [2, 2], padding: 'valid' }, at: at(2) }),
  ],
  edges: chain('x', 'conv1', 'conv2', 'pool'),
};

/**
 * torchvision's BasicConv2d (GoogLeNet's stem and branches): a bias-free k×k conv, BatchNorm (ε = 0.001),
 * ReLU. `epsilon` and `activation` make it torchvision's Conv2dNormActivation too (MobileNetV2: 1e-5, relu6).
 */
const basicConv2d: BlockDefinition = {
  id: 'BasicConv2d',
  inputs: ['x'],
  outputs: [{ name: 'out', source: 'relu' }],
  args: [
    { name: 'filters', default: 64 },
    { name: 'kernel_size', default: [1, 1] },
    { name: 'strides', default: [1, 1] },
    // 'valid' or 'explicit' with `pads` [top, bottom, left, right], PyTorch's `padding=p` being [p, p, p, p].
    { name: 'padding', default: 'valid' },
    { name: 'pads', default: [0, 0, 0, 0] },
    { name: 'epsilon', default: 1e-3 },
    { name: 'activation', default: 'relu' },
  ],
  nodes: [
    node({
      id: 'conv',
      kind: 'Conv2D',
      params: conv(64, 1),
      bind: { filters: 'filters', kernel_size: 'kernel_size', strides: 'strides', padding: 'padding', pads: 'pads' },
      at: at(0),
    }),
    node({ id: 'bn', kind: 'BatchNorm', params: bn(1e-3), bind: { epsilon: 'epsilon' }, at: at(1) }),
    node({ id: 'relu', kind: 'Activation', params: relu, bind: { activation: 'activation' }, at: at(2) }),
  ],
  edges: chain('x', 'conv', 'bn', 'relu'),
};

/** torchvision's BasicConv2d inside GoogLeNet: a bias-free conv, BatchNorm (ε = 0.001), ReLU. */
function convBnRelu(prefix: string, filters: number, k: number, arg: string, row: number, column: number): DesignNode[] {
  return [
    node({ id: `${prefix}.conv`, kind: 'Conv2D', params: conv(filters, k, { pad: (k - 1) / 2 }), bind: { filters: arg }, at: at(row, column) }),
    node({ id: `${prefix}.bn`, kind: 'BatchNorm', params: bn(1e-3), at: at(row + 1, column) }),
    node({ id: `${prefix}.relu`, kind: 'Activation', params: relu, at: at(row + 2, column) }),
  ];
}
const cbr = (prefix: string) => [`${prefix}.conv`, `${prefix}.bn`, `${prefix}.relu`];

/** torchvision's Inception module (GoogLeNet): four branches side by side, concatenated along the channels. */
const inception: BlockDefinition = {
  id: 'Inception',
  inputs: ['x'],
  outputs: [{ name: 'out', source: 'cat' }],
  args: [
    { name: 'ch1x1', default: 64 },
    { name: 'ch3x3red', default: 96 },
    { name: 'ch3x3', default: 128 },
    { name: 'ch5x5red', default: 16 },
    { name: 'ch5x5', default: 32 },
    { name: 'pool_proj', default: 32 },
  ],
  nodes: [
    ...convBnRelu('branch1', 64, 1, 'ch1x1', 0, 0),
    ...convBnRelu('branch2.0', 96, 1, 'ch3x3red', 0, 1),
    ...convBnRelu('branch2.1', 128, 3, 'ch3x3', 3, 1),
    // torchvision's "5×5" branch uses a 3×3 kernel (a known slip it keeps for its weights' sake).
    ...convBnRelu('branch3.0', 16, 1, 'ch5x5red', 0, 2),
    ...convBnRelu('branch3.1', 32, 3, 'ch5x5', 3, 2),
    node({ id: 'branch4.0', kind: 'MaxPool2D', params: { pool_size: [3, 3], strides: [1, 1], padding: 'explicit', pads: [1, 1, 1, 1], ceil_mode: true }, at: at(0, 3) }),
    ...convBnRelu('branch4.1', 32, 1, 'pool_proj', 1, 3),
    node({ id: 'cat', kind: 'Concatenate', params: {}, at: at(6, 1) }),
  ],
  edges: [
    ...chain('x', ...cbr('branch1')),
    ...chain('x', ...cbr('branch2.0'), ...cbr('branch2.1')),
    ...chain('x', ...cbr('branch3.0'), ...cbr('branch3.1')),
    ...chain('x', 'branch4.0', ...cbr('branch4.1')),
    ...merge('cat', ['branch1.relu', 'branch2.1.relu', 'branch3.1.relu', 'branch4.1.relu']),
  ],
};

/** torchvision's _DenseLayer (DenseNet): BN-ReLU-1×1 (4·k) then BN-ReLU-3×3 (k new channels), concatenated onto its input. */
const denseLayer: BlockDefinition = {
  id: 'DenseLayer',
  inputs: ['x'],
  outputs: [{ name: 'out', source: 'cat' }],
  args: [
    { name: 'growth_rate', default: 32 },
    { name: 'bottleneck', default: 128 },
  ],
  nodes: [
    node({ id: 'norm1', kind: 'BatchNorm', params: bn(), at: at(0) }),
    node({ id: 'relu1', kind: 'Activation', params: relu, at: at(1) }),
    node({ id: 'conv1', kind: 'Conv2D', params: conv(128, 1), bind: { filters: 'bottleneck' }, at: at(2) }),
    node({ id: 'norm2', kind: 'BatchNorm', params: bn(), at: at(3) }),
    node({ id: 'relu2', kind: 'Activation', params: relu, at: at(4) }),
    node({ id: 'conv2', kind: 'Conv2D', params: conv(32, 3, { pad: 1 }), bind: { filters: 'growth_rate' }, at: at(5) }),
    node({ id: 'cat', kind: 'Concatenate', params: {}, at: at(6) }),
  ],
  edges: [...chain('x', 'norm1', 'relu1', 'conv1', 'norm2', 'relu2', 'conv2'), ...merge('cat', ['x', 'conv2'])],
};

/** torchvision's _Transition (DenseNet): BN-ReLU-1×1 conv to fewer channels, then a 2×2 average pool. */
const transition: BlockDefinition = {
  id: 'Transition',
  inputs: ['x'],
  outputs: [{ name: 'out', source: 'pool' }],
  args: [{ name: 'out_channels', default: 128 }],
  nodes: [
    node({ id: 'norm', kind: 'BatchNorm', params: bn(), at: at(0) }),
    node({ id: 'relu', kind: 'Activation', params: relu, at: at(1) }),
    node({ id: 'conv', kind: 'Conv2D', params: conv(128, 1), bind: { filters: 'out_channels' }, at: at(2) }),
    node({ id: 'pool', kind: 'AvgPool2D', params: { pool_size: [2, 2], strides: [2, 2], padding: 'valid' }, at: at(3) }),
  ],
  edges: chain('x', 'norm', 'relu', 'conv', 'pool'),
};

export const BLOCK_LIBRARY: readonly LibraryBlock[] = [
  {
    definition: basicBlock,
    title: { en: 'ResNet basic block', es: 'Bloque básico de ResNet' },
    doc: {
      en: 'Two 3×3 convolutions whose result is added to the block’s input (ResNet-18/34). Set stride 2 and downsample for the first block of a stage.',
      es: 'Dos convoluciones 3×3 cuyo resultado se suma a la entrada del bloque (ResNet-18/34). Pon paso 2 y downsample en el primer bloque de una etapa.',
    },
  },
  {
    definition: bottleneck,
    title: { en: 'ResNet bottleneck', es: 'Cuello de botella de ResNet' },
    doc: {
      en: '1×1 narrows, 3×3 works on fewer channels, 1×1 widens again, plus the skip (ResNet-50/101/152).',
      es: 'Una 1×1 estrecha, la 3×3 trabaja con menos canales y otra 1×1 vuelve a ensanchar, más el atajo (ResNet-50/101/152).',
    },
  },
  {
    definition: inception,
    title: { en: 'Inception module', es: 'Módulo Inception' },
    doc: {
      en: 'GoogLeNet’s four parallel branches (1×1, 3×3, “5×5”, pooled), concatenated along the channels.',
      es: 'Las cuatro ramas paralelas de GoogLeNet (1×1, 3×3, «5×5», agrupación), concatenadas por canales.',
    },
  },
  {
    definition: invertedResidual,
    title: { en: 'MobileNetV2 inverted residual', es: 'Residual invertido de MobileNetV2' },
    doc: {
      en: 'Expand with a 1×1, filter each channel with a depthwise 3×3, project back with a linear 1×1; a skip when the shape stays.',
      es: 'Expande con una 1×1, filtra cada canal con una 3×3 en profundidad y proyecta con una 1×1 lineal; atajo cuando la forma no cambia.',
    },
  },
  {
    definition: denseLayer,
    title: { en: 'DenseNet dense layer', es: 'Capa densa de DenseNet' },
    doc: {
      en: 'Adds growth-rate new channels and concatenates them onto everything before it.',
      es: 'Añade tantos canales nuevos como la tasa de crecimiento y los concatena con todo lo anterior.',
    },
  },
  {
    definition: transition,
    title: { en: 'DenseNet transition', es: 'Transición de DenseNet' },
    doc: {
      en: 'Between dense blocks: a 1×1 convolution to fewer channels and a 2×2 average pool.',
      es: 'Entre bloques densos: una convolución 1×1 a menos canales y una agrupación media de 2×2.',
    },
  },
  {
    definition: basicConv2d,
    title: { en: 'Conv + BatchNorm + ReLU', es: 'Conv + BatchNorm + ReLU' },
    doc: {
      en: 'GoogLeNet’s basic unit: a convolution without bias, BatchNorm and ReLU. Set the filters, kernel, stride and pads.',
      es: 'La unidad básica de GoogLeNet: una convolución sin sesgo, BatchNorm y ReLU. Elige filtros, núcleo, paso y relleno.',
    },
  },
  {
    definition: vggStage,
    title: { en: 'VGG stage', es: 'Etapa de VGG' },
    doc: {
      en: 'Two 3×3 convolutions with ReLU, then a 2×2 max pool: two stacked 3×3 see 5×5 with fewer weights.',
      es: 'Dos convoluciones 3×3 con ReLU y una agrupación máxima de 2×2: dos 3×3 apiladas ven 5×5 con menos pesos.',
    },
  },
];

export function libraryBlock(id: string): LibraryBlock | undefined {
  return BLOCK_LIBRARY.find((b) => b.definition.id === id);
}

const sameDefinition = (a: BlockDefinition, b: BlockDefinition) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The design with the library block `id` added: its definition (the design's own when it already holds
 * the same one; under a fresh name when it holds another of that name) and one instance with the default
 * arguments, placed and wired after the layer or instance `after` as a palette layer is (splicing it into
 * a single outgoing connection and moving what follows down a row), or at `position`.
 */
export function insertLibraryBlock(design: Design, id: string, opts: { after?: string; position?: { x: number; y: number } } = {}): { design: Design; id: string } | null {
  const entry = libraryBlock(id);
  if (!entry) return null;
  const blocks = design.blocks ?? [];
  let def = entry.definition;
  if (!blocks.some((b) => b.id === def.id && sameDefinition(b, def))) {
    let name = def.id;
    for (let i = 2; blocks.some((b) => b.id === name); i++) name = `${def.id}${i}`;
    def = { ...def, id: name };
  }
  const taken = new Set([...design.nodes.map((n) => n.id), ...(design.instances ?? []).map((i) => i.id)]);
  let instId = def.id.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  for (let i = 2; taken.has(instId); i++) instId = `${def.id.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}_${i}`;
  const after = opts.after ? [...design.nodes, ...(design.instances ?? [])].find((x) => x.id === opts.after) : undefined;
  const position = opts.position ?? (after ? { x: after.position.x, y: after.position.y + ROW_GAP } : { x: 0, y: 0 });
  const instance: BlockInstance = { id: instId, block: def.id, position };
  const withBlock: Design = {
    ...design,
    blocks: blocks.some((b) => b.id === def.id) ? blocks : [...blocks, def],
    instances: [...(design.instances ?? []), instance],
  };
  if (!after) return { design: withBlock, id: instId };
  const outgoing = design.edges.filter((e) => e.source === after.id);
  const feed: DesignEdge = { id: `${after.id}->${instId}`, source: after.id, target: instId };
  if (outgoing.length !== 1 || outgoing[0].sourcePort !== undefined) return { design: { ...withBlock, edges: [...design.edges, feed] }, id: instId };
  // Splice into the one connection: what it fed now reads the block, and moves down a row with all below it.
  const old = outgoing[0];
  const below = downstream(design, old.target);
  const move = <T extends { id: string; position: { x: number; y: number } }>(x: T): T => (below.has(x.id) ? { ...x, position: { x: x.position.x, y: x.position.y + ROW_GAP } } : x);
  return {
    design: {
      ...withBlock,
      nodes: withBlock.nodes.map(move),
      instances: withBlock.instances!.map(move),
      edges: [...design.edges.filter((e) => e !== old), feed, { ...old, id: `${instId}->${old.target}`, source: instId }],
    },
    id: instId,
  };
}
