import { groupIntoBlock } from '../block-edit.ts';
import { buildTopology } from '../topology.ts';
import type { Design } from '../types.ts';
import { randomValidDesign } from './random-design.ts';
import { Rng } from './rng.ts';
/**
 * Test support: designs written with blocks, as a file would hold them (plain JSON, loaded through
 * parseDesign by the tests). ResNet-18 here is built the way torchvision builds it: a BasicBlock
 * definition with arguments (planes, stride, downsample), four stages of two copies each, the first copy
 * of stages 2–4 overridden to stride 2 with a downsample branch. Its unfolded ids are torchvision's module
 * names, so the test can match it against the torchvision reference row by row, by name.
 */

const at = (y: number, x = 0) => ({ x, y });
const BN = { momentum: 0.9, epsilon: 1e-5, center: true, scale: true };
const pads = (p: number) => (p > 0 ? { padding: 'explicit', pads: [p, p, p, p] } : { padding: 'valid' });
const conv = (filters: number, k: number, stride: number, pad: number) => ({
  filters,
  kernel_size: [k, k],
  strides: [stride, stride],
  ...pads(pad),
  use_bias: false,
  activation: 'linear',
});

/** torchvision's BasicBlock: two 3×3 convs, a skip, and a 1×1 downsample where the shape changes. */
export const BASIC_BLOCK = {
  id: 'BasicBlock',
  inputs: ['x'],
  outputs: [{ name: 'out', source: 'relu_out' }],
  args: [
    { name: 'planes', default: 64 },
    { name: 'stride', default: [1, 1] },
    { name: 'downsample', default: false },
  ],
  nodes: [
    { id: 'conv1', kind: 'Conv2D', params: conv(64, 3, 1, 1), bind: { filters: 'planes', strides: 'stride' }, position: at(0) },
    { id: 'bn1', kind: 'BatchNorm', params: BN, position: at(100) },
    { id: 'relu', kind: 'Activation', params: { activation: 'relu' }, position: at(200) },
    { id: 'conv2', kind: 'Conv2D', params: conv(64, 3, 1, 1), bind: { filters: 'planes' }, position: at(300) },
    { id: 'bn2', kind: 'BatchNorm', params: BN, position: at(400) },
    { id: 'downsample.0', kind: 'Conv2D', params: conv(64, 1, 1, 0), bind: { filters: 'planes', strides: 'stride' }, when: 'downsample', position: at(0, 260) },
    { id: 'downsample.1', kind: 'BatchNorm', params: BN, when: 'downsample', position: at(100, 260) },
    { id: 'add', kind: 'Add', params: {}, position: at(500) },
    { id: 'relu_out', kind: 'Activation', params: { activation: 'relu' }, position: at(600) },
  ],
  edges: [
    { source: 'x', target: 'conv1' },
    { source: 'conv1', target: 'bn1' },
    { source: 'bn1', target: 'relu' },
    { source: 'relu', target: 'conv2' },
    { source: 'conv2', target: 'bn2' },
    { source: 'x', target: 'downsample.0' },
    { source: 'downsample.0', target: 'downsample.1' },
    { source: 'bn2', target: 'add', targetSlot: 0 },
    { source: 'downsample.1', target: 'add', targetSlot: 1 },
    { source: 'add', target: 'relu_out' },
  ],
};

export function resnet18WithBlocks(): Record<string, unknown> {
  const stage = (i: number, planes: number) => ({
    id: `layer${i}`,
    block: 'BasicBlock',
    repeat: 2,
    args: { planes },
    ...(i > 1 ? { overrides: { '0': { stride: [2, 2], downsample: true } } } : {}),
    position: at(300 + i * 100),
  });
  return {
    format: 'netcanvas',
    version: 2,
    name: 'ResNet-18 (blocks)',
    blocks: [BASIC_BLOCK],
    nodes: [
      { id: 'input', kind: 'Input', params: { shape: [224, 224, 3] }, position: at(0) },
      { id: 'conv1', kind: 'Conv2D', params: { ...conv(64, 7, 2, 3) }, position: at(100) },
      { id: 'bn1', kind: 'BatchNorm', params: BN, position: at(200) },
      { id: 'relu', kind: 'Activation', params: { activation: 'relu' }, position: at(250) },
      { id: 'maxpool', kind: 'MaxPool2D', params: { pool_size: [3, 3], strides: [2, 2], padding: 'explicit', pads: [1, 1, 1, 1] }, position: at(300) },
      { id: 'avgpool', kind: 'GlobalAvgPool2D', params: {}, position: at(900) },
      { id: 'fc', kind: 'Dense', params: { units: 1000, activation: 'linear', use_bias: true }, position: at(1000) },
    ],
    instances: [stage(1, 64), stage(2, 128), stage(3, 256), stage(4, 512)],
    edges: [
      { source: 'input', target: 'conv1' },
      { source: 'conv1', target: 'bn1' },
      { source: 'bn1', target: 'relu' },
      { source: 'relu', target: 'maxpool' },
      { source: 'maxpool', target: 'layer1' },
      { source: 'layer1', target: 'layer2' },
      { source: 'layer2', target: 'layer3' },
      { source: 'layer3', target: 'layer4' },
      { source: 'layer4', target: 'avgpool' },
      { source: 'avgpool', target: 'fc' },
    ],
  };
}

/** A block with two inputs and two outputs (sum and difference paths), used twice side by side. */
export function twoPortDesign(): Record<string, unknown> {
  return {
    format: 'netcanvas',
    version: 2,
    name: 'ports',
    blocks: [
      {
        id: 'Mix',
        inputs: ['a', 'b'],
        outputs: [
          { name: 'sum', source: 'add' },
          { name: 'cat', source: 'cat' },
        ],
        nodes: [
          { id: 'add', kind: 'Add', params: {}, position: at(0) },
          { id: 'cat', kind: 'Concatenate', params: {}, position: at(0, 200) },
        ],
        edges: [
          { source: 'a', target: 'add', targetSlot: 0 },
          { source: 'b', target: 'add', targetSlot: 1 },
          { source: 'b', target: 'cat', targetSlot: 0 },
          { source: 'a', target: 'cat', targetSlot: 1 },
        ],
      },
    ],
    nodes: [
      { id: 'in', kind: 'Input', params: { shape: [8, 8, 3] }, position: at(0) },
      { id: 'c1', kind: 'Conv2D', params: { filters: 3, kernel_size: [1, 1] }, position: at(100) },
      { id: 'gap', kind: 'GlobalAvgPool2D', params: {}, position: at(400) },
    ],
    instances: [{ id: 'mix', block: 'Mix', position: at(200) }],
    edges: [
      { source: 'in', target: 'c1' },
      { source: 'in', target: 'mix', targetPort: 'a' },
      { source: 'c1', target: 'mix', targetPort: 'b' },
      { source: 'mix', sourcePort: 'cat', target: 'gap' },
    ],
  };
}

/** torchvision's Bottleneck (v1.5: the stride on the 3×3), `out` = 4 × planes. */
export const BOTTLENECK = {
  id: 'Bottleneck',
  inputs: ['x'],
  outputs: [{ name: 'out', source: 'relu3' }],
  args: [
    { name: 'planes', default: 64 },
    { name: 'out', default: 256 },
    { name: 'stride', default: [1, 1] },
    { name: 'downsample', default: false },
  ],
  nodes: [
    { id: 'conv1', kind: 'Conv2D', params: conv(64, 1, 1, 0), bind: { filters: 'planes' }, position: at(0) },
    { id: 'bn1', kind: 'BatchNorm', params: BN, position: at(100) },
    { id: 'relu1', kind: 'Activation', params: { activation: 'relu' }, position: at(150) },
    { id: 'conv2', kind: 'Conv2D', params: conv(64, 3, 1, 1), bind: { filters: 'planes', strides: 'stride' }, position: at(200) },
    { id: 'bn2', kind: 'BatchNorm', params: BN, position: at(300) },
    { id: 'relu2', kind: 'Activation', params: { activation: 'relu' }, position: at(350) },
    { id: 'conv3', kind: 'Conv2D', params: conv(256, 1, 1, 0), bind: { filters: 'out' }, position: at(400) },
    { id: 'bn3', kind: 'BatchNorm', params: BN, position: at(500) },
    { id: 'downsample.0', kind: 'Conv2D', params: conv(256, 1, 1, 0), bind: { filters: 'out', strides: 'stride' }, when: 'downsample', position: at(0, 260) },
    { id: 'downsample.1', kind: 'BatchNorm', params: BN, when: 'downsample', position: at(100, 260) },
    { id: 'add', kind: 'Add', params: {}, position: at(600) },
    { id: 'relu3', kind: 'Activation', params: { activation: 'relu' }, position: at(700) },
  ],
  edges: [
    { source: 'x', target: 'conv1' },
    { source: 'conv1', target: 'bn1' },
    { source: 'bn1', target: 'relu1' },
    { source: 'relu1', target: 'conv2' },
    { source: 'conv2', target: 'bn2' },
    { source: 'bn2', target: 'relu2' },
    { source: 'relu2', target: 'conv3' },
    { source: 'conv3', target: 'bn3' },
    { source: 'x', target: 'downsample.0' },
    { source: 'downsample.0', target: 'downsample.1' },
    { source: 'bn3', target: 'add', targetSlot: 0 },
    { source: 'downsample.1', target: 'add', targetSlot: 1 },
    { source: 'add', target: 'relu3' },
  ],
};

/** ResNet-50 as torchvision builds it: Bottleneck stages of 3, 4, 6 and 3 copies; ids are its module names. */
export function resnet50WithBlocks(): Record<string, unknown> {
  const stage = (i: number, planes: number, copies: number) => ({
    id: `layer${i}`,
    block: 'Bottleneck',
    repeat: copies,
    args: { planes, out: planes * 4 },
    overrides: { '0': { stride: i > 1 ? [2, 2] : [1, 1], downsample: true } },
    position: at(300 + i * 100),
  });
  const r18 = resnet18WithBlocks() as { nodes: unknown[]; edges: unknown[] };
  return {
    ...r18,
    name: 'ResNet-50 (blocks)',
    blocks: [BOTTLENECK],
    instances: [stage(1, 64, 3), stage(2, 128, 4), stage(3, 256, 6), stage(4, 512, 3)],
  };
}

/**
 * Blocks inside blocks, with arguments passed down (`bind`) and repeats at two levels: a Stage holds a
 * first Unit with a projection and a ×2 repeat of plain Units. Unit's first conv pads 'same' with a
 * stride bound to an argument: with stride 2 TensorFlow pads unevenly (an F.pad in PyTorch), so copies
 * with stride 1 and 2 differ beyond literals.
 */
export function nestedBlocksDesign(): Record<string, unknown> {
  const same = (filters: number) => ({ filters, kernel_size: [3, 3], strides: [1, 1], padding: 'same', use_bias: true, activation: 'linear' });
  return {
    format: 'netcanvas',
    version: 2,
    name: 'Nested stages',
    blocks: [
      {
        id: 'Unit',
        inputs: ['x'],
        outputs: [{ name: 'y', source: 'relu2' }],
        args: [
          { name: 'width', default: 8 },
          { name: 'stride', default: [1, 1] },
          { name: 'proj', default: false },
        ],
        nodes: [
          { id: 'conv1', kind: 'Conv2D', params: same(8), bind: { filters: 'width', strides: 'stride' }, position: at(0) },
          { id: 'bn', kind: 'BatchNorm', params: BN, position: at(100) },
          { id: 'relu', kind: 'Activation', params: { activation: 'relu' }, position: at(200) },
          { id: 'conv2', kind: 'Conv2D', params: same(8), bind: { filters: 'width' }, position: at(300) },
          { id: 'proj', kind: 'Conv2D', params: { ...same(8), kernel_size: [1, 1], padding: 'valid' }, bind: { filters: 'width', strides: 'stride' }, when: 'proj', position: at(100, 260) },
          { id: 'add', kind: 'Add', params: {}, position: at(400) },
          { id: 'relu2', kind: 'Activation', params: { activation: 'relu' }, position: at(500) },
        ],
        edges: [
          { source: 'x', target: 'conv1' },
          { source: 'conv1', target: 'bn' },
          { source: 'bn', target: 'relu' },
          { source: 'relu', target: 'conv2' },
          { source: 'x', target: 'proj' },
          { source: 'conv2', target: 'add', targetSlot: 0 },
          { source: 'proj', target: 'add', targetSlot: 1 },
          { source: 'add', target: 'relu2' },
        ],
      },
      {
        id: 'Stage',
        inputs: ['x'],
        outputs: [{ name: 'y', source: 'blocks' }],
        args: [
          { name: 'width', default: 8 },
          { name: 'stride', default: [1, 1] },
        ],
        nodes: [{ id: 'drop', kind: 'Dropout', params: { rate: 0.1 }, position: at(0) }],
        instances: [
          { id: 'first', block: 'Unit', args: { proj: true }, bind: { width: 'width', stride: 'stride' }, position: at(100) },
          { id: 'blocks', block: 'Unit', repeat: 2, bind: { width: 'width' }, position: at(200) },
        ],
        edges: [
          { source: 'x', target: 'drop' },
          { source: 'drop', target: 'first' },
          { source: 'first', target: 'blocks' },
        ],
      },
    ],
    nodes: [
      { id: 'input', kind: 'Input', params: { shape: [16, 16, 3] }, position: at(0) },
      { id: 'stem', kind: 'Conv2D', params: same(8), position: at(100) },
      { id: 'gap', kind: 'GlobalAvgPool2D', params: {}, position: at(600) },
      { id: 'fc', kind: 'Dense', params: { units: 10, activation: 'softmax', use_bias: true }, position: at(700) },
    ],
    instances: [
      { id: 'stage1', block: 'Stage', args: { width: 8 }, position: at(200) },
      { id: 'stage2', block: 'Stage', args: { width: 16, stride: [2, 2] }, position: at(300) },
      { id: 'stage3', block: 'Stage', args: { width: 24, stride: [2, 2] }, position: at(400) },
    ],
    edges: [
      { source: 'input', target: 'stem' },
      { source: 'stem', target: 'stage1' },
      { source: 'stage1', target: 'stage2' },
      { source: 'stage2', target: 'stage3' },
      { source: 'stage3', target: 'gap' },
      { source: 'gap', target: 'fc' },
    ],
  };
}

/** Random designs grouped as a user would: an interval of the order, then an interval around that block. */
export function randomGrouped(seed: number): Design {
  const rng = new Rng(5000 + seed);
  let design = randomValidDesign(seed);
  for (const name of ['Block', 'Stage']) {
    const fake = (design.instances ?? []).map((i) => ({ id: i.id, kind: 'Dropout' as const, params: {}, position: i.position }));
    const order = buildTopology({ nodes: [...design.nodes, ...fake], edges: design.edges }).order.filter(
      (id) => design.nodes.find((n) => n.id === id)?.kind !== 'Input',
    );
    const a = rng.int(0, order.length - 1);
    const b = rng.int(a, Math.min(order.length - 1, a + rng.int(1, 8)));
    const grouped = groupIntoBlock(design, order.slice(a, b + 1), name);
    if (grouped.ok) design = grouped.design;
  }
  return design;
}

/**
 * The nested stages with names no Python code may use as they are: definitions `class` and
 * `Stage 2 — ñ`, arguments `lambda` and `self`, layers `def` and `forward`, an instance `import`.
 */
export function hostileBlocksDesign(): Record<string, unknown> {
  const renames: [string, string][] = [
    ['Unit', 'class'],
    ['Stage', 'Stage 2 — ñ'],
    ['width', 'lambda'],
    ['stride', 'self'],
    ['conv1', 'def'],
    ['drop', 'forward'],
    ['first', 'import'],
  ];
  let text = JSON.stringify(nestedBlocksDesign());
  for (const [from, to] of renames) text = text.split(JSON.stringify(from)).join(JSON.stringify(to));
  return { ...(JSON.parse(text) as Record<string, unknown>), name: 'import os' };
}

/**
 * MobileNetV2's pattern: a residual Add switched by an argument (`when`), its wires listed with the
 * conv's (slot 1) first, so a copy without the residual passes the conv's output on, not the block's input.
 */
export function switchedJoinDesign(): Record<string, unknown> {
  return {
    format: 'netcanvas',
    version: 2,
    name: 'Switched residual',
    blocks: [
      {
        id: 'Residual',
        inputs: ['x'],
        outputs: [{ name: 'y', source: 'add' }],
        args: [{ name: 'residual', default: true }],
        nodes: [
          { id: 'conv', kind: 'Conv2D', params: { filters: 4, kernel_size: [3, 3], padding: 'same', activation: 'relu' }, position: at(0) },
          { id: 'add', kind: 'Add', params: {}, when: 'residual', position: at(100) },
        ],
        edges: [
          { source: 'x', target: 'conv' },
          { source: 'conv', target: 'add', targetSlot: 1 },
          { source: 'x', target: 'add', targetSlot: 0 },
        ],
      },
    ],
    nodes: [
      { id: 'in', kind: 'Input', params: { shape: [8, 8, 4] }, position: at(0) },
      { id: 'gap', kind: 'GlobalAvgPool2D', params: {}, position: at(300) },
    ],
    instances: [{ id: 'stack', block: 'Residual', repeat: 3, overrides: { '1': { residual: false } }, position: at(100) }],
    edges: [
      { source: 'in', target: 'stack' },
      { source: 'stack', target: 'gap' },
    ],
  };
}
