/**
 * The PyTorch export of designs written with blocks (./pytorch-blocks.ts) under real torch: each design's
 * per-block model.py (one class per definition, repeats as nn.Sequential) and its flat export, given the
 * same random weights (each export writes them under its own state_dict keys), compute the same outputs.
 * The flat export is the one held to tfjs and torchvision elsewhere (pytorch.test.ts,
 * pytorch-torchvision.test.ts), so equal outputs carry that proof over. Designs: ResNet-18 and ResNet-50
 * written with blocks (arguments, `when`, overrides per copy), blocks nested three deep with bound
 * arguments and copies that need classes of their own, a block with two inputs and two outputs, and
 * random designs grouped twice (nesting) by the editor's own Group command.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flattenDesign } from '../graph/blocks.ts';
import { parseDesign } from '../graph/file-format.ts';
import { inferShapes } from '../graph/infer.ts';
import { hostileBlocksDesign, nestedBlocksDesign, randomGrouped, resnet18WithBlocks, resnet50WithBlocks, switchedJoinDesign, twoPortDesign } from '../graph/testing/block-designs.ts';
import { randomDesignWeights } from '../graph/testing/random-weights.ts';
import { REPO_ROOT } from '../graph/testing/templates.ts';
import type { Design } from '../graph/types.ts';
import { exportPytorch } from './pytorch.ts';
import { toClassName } from './sanitize.ts';
import { findPython, runPython } from './testing/python.ts';

function load(doc: unknown): Design {
  const r = parseDesign(JSON.stringify(doc));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.design;
}

const RANDOM = 16;
/**
 * `oneClassEach`: every definition is exactly one class (its copies differ only by numbers and by `when`);
 * the nested stages need two classes for Unit (an F.pad where the stride is 2) and so two for Stage.
 */
const CASES: { name: string; design: () => Design; mustUseClasses: boolean; oneClassEach?: boolean }[] = [
  { name: 'ResNet-18 with blocks', design: () => load(resnet18WithBlocks()), mustUseClasses: true, oneClassEach: true },
  { name: 'ResNet-50 with blocks', design: () => load(resnet50WithBlocks()), mustUseClasses: true, oneClassEach: true },
  { name: 'nested stages', design: () => load(nestedBlocksDesign()), mustUseClasses: true },
  { name: 'a residual switched off in one copy', design: () => load(switchedJoinDesign()), mustUseClasses: true, oneClassEach: true },
  { name: 'names Python reserves', design: () => load(hostileBlocksDesign()), mustUseClasses: false },
  { name: 'two inputs, two outputs', design: () => load(twoPortDesign()), mustUseClasses: true, oneClassEach: true },
  ...Array.from({ length: RANDOM }, (_, seed) => ({ name: `random ${seed}`, design: () => randomGrouped(seed), mustUseClasses: false })),
];
const TOLERANCE = 1e-5;

const python = findPython(['torch', 'numpy']);
const work = mkdtempSync(path.join(tmpdir(), 'netcanvas-blocks-export-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Result {
  name: string;
  error?: string;
  classes: string[];
  keys: string[];
  shapes: number[][];
  flat_shapes: number[][];
  max_abs_diff: number;
  max_abs: number;
}

let results: Map<string, Result> | null = null;
function runAll(): Map<string, Result> {
  if (results) return results;
  const cases = CASES.map((c, i) => {
    const design = c.design();
    const flat = flattenDesign(design);
    const inference = inferShapes(flat);
    const weights = randomDesignWeights(inference, 700 + i);
    const write = (folder: string, d: Design) => {
      const out = exportPytorch(d, { weights, inference });
      if (!out.ok) throw new Error(`${c.name} does not export: ${out.issues.map((x) => x.code).join(', ')}`);
      const dir = path.join(work, `case${i}`, folder);
      mkdirSync(dir, { recursive: true });
      for (const f of out.files) writeFileSync(path.join(dir, f.path), f.content as string | Uint8Array);
      return dir;
    };
    return { name: c.name, blocks: write('blocks', design), flat: write('flat', flat), className: toClassName(design.name || 'Net'), seed: i };
  });
  const manifest = path.join(work, 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ cases }));
  const script = `import runpy, sys; sys.argv = ["check", ${JSON.stringify(manifest)}]; runpy.run_path(${JSON.stringify(path.join(REPO_ROOT, 'src/export/testing/check_block_export.py'))}, run_name="__main__")`;
  results = new Map(
    runPython(python!, script)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Result)
      .map((r) => [r.name, r] as const),
  );
  return results;
}

describe.skipIf(python === null)('PyTorch export with blocks (real torch)', () => {
  it.each(CASES)('$name: the per-block classes compute what the flat export computes', ({ name, design, mustUseClasses, oneClassEach }) => {
    const r = runAll().get(name)!;
    expect(r.error).toBeUndefined();
    expect(r.shapes).toEqual(r.flat_shapes);
    expect(r.max_abs).toBeGreaterThan(0);
    expect(r.max_abs_diff).toBeLessThanOrEqual(TOLERANCE);
    const d = design();
    if (mustUseClasses) for (const def of d.blocks ?? []) expect(r.classes.some((c) => c.startsWith(toClassName(def.id))), def.id).toBe(true);
    if (oneClassEach) expect(r.classes.length, r.classes.join(', ')).toBe((d.blocks?.length ?? 0) + 1);
  }, 600_000);

  it('gives most random groupings their block classes (the flat fallback is for what classes cannot say)', () => {
    const r = [...runAll().values()].filter((x) => x.name.startsWith('random'));
    const withClasses = r.filter((x) => x.classes.length > 1).length;
    console.log(`random groupings exported with block classes: ${withClasses} of ${r.length}`);
    expect(withClasses).toBeGreaterThan(r.length / 2);
  }, 600_000);

  it('names ResNet-50 with blocks as torchvision does (layer1.0.downsample.0.weight)', () => {
    const keys = runAll().get('ResNet-50 with blocks')!.keys;
    expect(keys).toContain('layer1.0.downsample.0.weight');
    expect(keys).toContain('layer4.2.conv3.weight');
    expect(keys.filter((k) => k.startsWith('layer3.')).map((k) => k.split('.')[1])).toContain('5');
  }, 600_000);
});
