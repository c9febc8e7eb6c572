/**
 * The block library against torchvision: each block, inserted after an Input, infers without errors and
 * has the parameter count and output shape of the torchvision module it is written after (real torch,
 * Debian's torchvision, random initialisation). And insertion: wired after a layer, spliced into a
 * connection, the definition reused or renamed.
 */
import { describe, expect, it } from 'vitest';
import { findPython, runPython } from '../export/testing/python.ts';
import { BLOCK_LIBRARY, insertLibraryBlock } from './block-library.ts';
import { flattenDesign } from './blocks.ts';
import { emptyDesign } from './edit.ts';
import { inferShapes } from './infer.ts';
import type { Design } from './types.ts';

/** Each block's torchvision counterpart: the input (H, W, C), the instance's arguments and the module. */
/** `concat`: torchvision's _DenseLayer returns its new channels and _DenseBlock concatenates them onto the input; the block does both. */
const CASES: Record<string, { input: [number, number, number]; torch: string; concat?: true }> = {
  BasicBlock: { input: [56, 56, 64], torch: 'torchvision.models.resnet.BasicBlock(64, 64)' },
  Bottleneck: {
    input: [56, 56, 64],
   
    torch: 'torchvision.models.resnet.Bottleneck(64, 64, downsample=nn.Sequential(nn.Conv2d(64, 256, 1, bias=False), nn.BatchNorm2d(256)))',
  },
  BasicConv2d: { input: [56, 56, 64], torch: 'importlib.import_module("torchvision.models.googlenet").BasicConv2d(64, 64, kernel_size=1)' },
  Inception: { input: [28, 28, 192], torch: 'importlib.import_module("torchvision.models.googlenet").Inception(192, 64, 96, 128, 16, 32, 32)' },
  InvertedResidual: { input: [56, 56, 16], torch: 'torchvision.models.mobilenetv2.InvertedResidual(16, 16, 1, 6)' },
  DenseLayer: { input: [56, 56, 64], torch: 'torchvision.models.densenet._DenseLayer(64, 32, 4, 0.0)', concat: true },
  Transition: { input: [56, 56, 256], torch: 'torchvision.models.densenet._Transition(256, 128)' },
  VGGStage: {
    input: [112, 112, 64],
   
    torch: 'nn.Sequential(nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2))',
  },
};

function withInput(shape: readonly number[]): Design {
  return { ...emptyDesign('t'), nodes: [{ id: 'input', kind: 'Input', params: { shape: [...shape] }, position: { x: 0, y: 0 } }] };
}

const torchPython = findPython(['torch', 'torchvision']);

describe('the block library', () => {
  it('has a torchvision case for every block', () => {
    expect(Object.keys(CASES).sort()).toEqual(BLOCK_LIBRARY.map((b) => b.definition.id).sort());
  });

  it.skipIf(!torchPython)("gives each block torchvision's parameters and output shape", () => {
    const script = [
      'import importlib, json, sys, torch, torchvision',
      'from torch import nn',
      'out = {}',
      'for name, (expr, shape) in json.loads(sys.stdin.read()).items():',
      '    m = eval(expr).eval()',
      '    y = m(torch.zeros(1, shape[2], shape[0], shape[1]))',
      '    out[name] = {"params": sum(p.numel() for p in m.parameters()), "shape": [y.shape[2], y.shape[3], y.shape[1]]}',
      'print(json.dumps(out))',
    ].join('\n');
    const input = Object.fromEntries(Object.entries(CASES).map(([id, c]) => [id, [c.torch, c.input]]));
    const torch = JSON.parse(runPython(torchPython!, script, JSON.stringify(input))) as Record<string, { params: number; shape: number[] }>;
    for (const { definition } of BLOCK_LIBRARY) {
      const c = CASES[definition.id];
      const inserted = insertLibraryBlock(withInput(c.input), definition.id, { after: 'input' })!;
      const flat = flattenDesign(inserted.design);
      const inference = inferShapes(flat);
      const problems = [...inference.nodes.values()].flatMap((n) => n.issues.filter((i) => i.severity === 'error').map((i) => `${n.id}: ${i.code}`));
      expect(problems, definition.id).toEqual([]);
      expect(inference.totals.trainableParams, `${definition.id} trainable parameters`).toBe(torch[definition.id].params);
      const last = inference.order.at(-1)!;
      const [h, w, ch] = torch[definition.id].shape;
      expect(inference.nodes.get(last)!.outputShape, `${definition.id} output shape`).toEqual([h, w, c.concat ? ch + c.input[2] : ch]);
    }
  });

  it('splices a block into the connection after a layer and moves what follows down', () => {
    const d: Design = {
      ...withInput([56, 56, 64]),
      nodes: [
        { id: 'input', kind: 'Input', params: { shape: [56, 56, 64] }, position: { x: 0, y: 0 } },
        { id: 'pool', kind: 'GlobalAvgPool2D', params: {}, position: { x: 0, y: 120 } },
      ],
      edges: [{ id: 'e', source: 'input', target: 'pool' }],
    };
    const r = insertLibraryBlock(d, 'BasicBlock', { after: 'input' })!;
    expect(r.design.edges.map((e) => `${e.source}->${e.target}`).sort()).toEqual(['basic_block->pool', 'input->basic_block']);
    expect(r.design.nodes.find((n) => n.id === 'pool')!.position.y).toBe(240);
    expect(inferShapes(flattenDesign(r.design)).nodes.get('pool')!.outputShape).toEqual([64]);
    // A second one reuses the definition; a different definition of that name is kept and the new one renamed.
    const again = insertLibraryBlock(r.design, 'BasicBlock', { after: 'basic_block' })!;
    expect(again.design.blocks!.map((b) => b.id)).toEqual(['BasicBlock']);
    expect(again.id).toBe('basic_block_2');
    const clash: Design = { ...d, blocks: [{ ...BLOCK_LIBRARY[0].definition, args: [] }] };
    expect(insertLibraryBlock(clash, 'BasicBlock')!.design.blocks!.map((b) => b.id)).toEqual(['BasicBlock', 'BasicBlock2']);
    expect(insertLibraryBlock(d, 'NoSuchBlock')).toBeNull();
  });
});
