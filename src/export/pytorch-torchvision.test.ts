/**
 * The strongest check of the PyTorch export: the templates built from torchvision's definitions, exported,
 * against torchvision itself under real torch (Debian's python3-torch and python3-torchvision; random
 * initialisation, nothing downloaded), and ResNet-18 and ResNet-50 written with blocks (exported as one
 * class per block, src/export/pytorch-blocks.ts). Each export loads torchvision's state_dict with
 * strict=True (a flat export's keys renamed by the plain rules below, a block export's as they are),
 * computes the same logits, and — for ResNet-50 (flat and with blocks) and DenseNet-121, the networks whose
 * flat forward() held 14–19× torchvision's memory — runs inference within torchvision's peak memory
 * (src/export/schedule.ts releases each tensor after its last reader, in every class).
 *
 * One Python process for all cases (importing torch costs seconds). Without torch and torchvision the
 * test skips with a warning, except under CI, where findPython throws.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flattenDesign, hasBlocks } from '../graph/blocks.ts';
import { parseDesign } from '../graph/file-format.ts';
import { resnet18WithBlocks, resnet50WithBlocks } from '../graph/testing/block-designs.ts';
import { loadTemplate, loadTemplateDocument, REPO_ROOT, TORCHVISION_PATHS } from '../graph/testing/templates.ts';
import type { Design } from '../graph/types.ts';
import { exportPytorch, planPytorch } from './pytorch.ts';
import { findPython } from './testing/python.ts';
import { spawnSync } from 'node:child_process';

/**
 * torchvision's state_dict key → ours: the templates' own path table (TORCHVISION_PATHS: none for the
 * ResNets, whose stages and blocks are torchvision's), then module path dots become underscores
 * (`layer1.0.conv1.weight` → `layer1_0_conv1.weight`).
 */
const CASES = [
  { file: 'resnet-18.json', torchvision: 'resnet18', renames: TORCHVISION_PATHS['resnet-18.json'], memory: false },
  { file: 'resnet-50.json', torchvision: 'resnet50', renames: TORCHVISION_PATHS['resnet-50.json'], memory: true },
  { file: 'googlenet.json', torchvision: 'googlenet', renames: TORCHVISION_PATHS['googlenet.json'], memory: false },
  { file: 'densenet-121.json', torchvision: 'densenet121', renames: TORCHVISION_PATHS['densenet-121.json'], memory: true },
  // The ResNet templates as drawn (stages of library blocks) export per-block classes whose module paths
  // are torchvision's: strict load with no rename.
  { file: 'resnet-18.json as drawn', torchvision: 'resnet18', renames: [], memory: false },
  { file: 'resnet-50.json as drawn', torchvision: 'resnet50', renames: [], memory: false },
  // Written with blocks (a BasicBlock definition, stages of two copies): its unfolded layers carry
  // torchvision's module paths, so its keys need no rename at all.
  { file: 'ResNet-18 with blocks', torchvision: 'resnet18', renames: [], memory: false },
  { file: 'ResNet-50 with blocks', torchvision: 'resnet50', renames: [], memory: true },
] as const;

/**
 * The blocks ResNet-18 of src/graph/testing/block-designs.ts with torchvision's stem pool written exactly,
 * as the templates write it (scripts/build-templates.ts, stemMaxPool): that design's 'same' pool gives the
 * right shape but TensorFlow's window placement.
 */
function resnet18FromBlocks(): Design {
  const doc = resnet18WithBlocks() as {
    nodes: { id: string; kind: string; params: Record<string, unknown>; position: { x: number; y: number } }[];
    edges: { source: string; target: string }[];
  };
  const pool = doc.nodes.find((n) => n.id === 'maxpool')!;
  pool.params = { ...pool.params, padding: 'valid' };
  doc.nodes.push({ id: 'maxpool_pad', kind: 'ZeroPadding2D', params: { padding: [1, 0, 1, 0] }, position: { x: 260, y: 300 } });
  doc.edges = doc.edges.map((e) => (e.source === 'relu' && e.target === 'maxpool' ? { source: 'relu', target: 'maxpool_pad' } : e));
  doc.edges.push({ source: 'maxpool_pad', target: 'maxpool' });
  const parsed = parseDesign(JSON.stringify(doc));
  if (!parsed.ok) throw new Error(`the blocks ResNet-18 does not load: ${JSON.stringify(parsed.errors)}`);
  return parsed.design;
}

function resnet50FromBlocks(): Design {
  const parsed = parseDesign(JSON.stringify(resnet50WithBlocks()));
  if (!parsed.ok) throw new Error(`the blocks ResNet-50 does not load: ${JSON.stringify(parsed.errors)}`);
  return parsed.design;
}

function designOf(file: string): Design {
  if (file.endsWith('.json')) return loadTemplate(file);
  if (file.endsWith(' as drawn')) return loadTemplateDocument(file.replace(/ as drawn$/, ''));
  return file.startsWith('ResNet-50') ? resnet50FromBlocks() : resnet18FromBlocks();
}
/** Logits: batch 2 at the templates' 224×224. Memory: batch 2 at 64×64 keeps the CPU pass short. */
const LOGITS = { batch: 2, size: 224 };
const MEMORY = { batch: 2, size: 64 };
/** The issue's bound; the measured ratios are printed (0.9–1.0 expected). */
const MAX_MEMORY_RATIO = 1.3;
const TOLERANCE = 1e-4;

interface Result {
  name: string;
  error?: string;
  keys: number;
  logits_shape: number[];
  max_abs_diff: number;
  max_abs_logit: number;
  forward_s: number;
  peak_torchvision?: number;
  peak_export?: number;
  peak_torchvision_retaining?: number;
}

const python = findPython(['torch', 'torchvision', 'numpy']);
const work = mkdtempSync(path.join(tmpdir(), 'netcanvas-torchvision-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let results: Map<string, Result> | null = null;
function runAll(): Map<string, Result> {
  if (results) return results;
  const manifest = {
    cases: CASES.map((c, i) => {
      const design = designOf(c.file);
      const planned = planPytorch(flattenDesign(design));
      if (!planned.ok) throw new Error(`${c.file} does not plan: ${JSON.stringify(planned.issues)}`);
      const exported = exportPytorch(design);
      if (!exported.ok) throw new Error(`${c.file} does not export`);
      const dir = path.join(work, `case${i}`);
      mkdirSync(dir, { recursive: true });
      for (const f of exported.files) if (typeof f.content === 'string') writeFileSync(path.join(dir, f.path), f.content);
      return {
        name: c.file,
        dir,
        className: planned.plan.className,
        torchvision: c.torchvision,
        // A design with blocks exports torchvision's module paths as they are (no rename, dots kept).
        renames: hasBlocks(design) ? null : c.renames,
        seed: 100 + i,
        ...LOGITS,
        ...(c.memory ? { memory: MEMORY } : {}),
      };
    }),
  };
  const manifestFile = path.join(work, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify(manifest));
  const run = spawnSync(python!, [path.join(REPO_ROOT, 'src/export/testing/check_torchvision.py'), manifestFile], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0) throw new Error(`check_torchvision.py failed (${run.status}): ${run.stderr}`);
  results = new Map(
    run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Result)
      .map((r) => [r.name, r] as const),
  );
  for (const r of results.values()) {
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    const memory = r.peak_export
      ? `, peak memory ${(r.peak_export / r.peak_torchvision!).toFixed(2)}× torchvision's (${mib(r.peak_export)} vs ` +
        `${mib(r.peak_torchvision!)} MiB; torchvision keeping every layer's output: ${mib(r.peak_torchvision_retaining!)} MiB)`
      : '';
    console.log(`${r.name}: ${r.error ?? `${r.keys} state_dict keys, max |logit diff| ${r.max_abs_diff} (logits up to ${r.max_abs_logit.toFixed(2)})${memory}`}`);
  }
  return results;
}

describe.skipIf(python === null)('PyTorch export against torchvision (real torch)', () => {
  it.each(CASES)(
    '$file loads torchvision $torchvision state_dict with strict=True and computes its logits',
    ({ file }) => {
      const r = runAll().get(file)!;
      expect(r.error).toBeUndefined();
      expect(r.keys).toBeGreaterThan(100);
      expect(r.logits_shape).toEqual([LOGITS.batch, 1000]);
      expect(r.max_abs_logit).toBeGreaterThan(0);
      expect(r.max_abs_diff).toBeLessThanOrEqual(TOLERANCE);
    },
    600_000,
  );

  it.each(CASES.filter((c) => c.memory))(
    '$file runs inference within torchvision $torchvision peak memory (live tensors counted on the CPU)',
    ({ file }) => {
      const r = runAll().get(file)!;
      expect(r.error).toBeUndefined();
      expect(r.peak_torchvision).toBeGreaterThan(0);
      expect(r.peak_export! / r.peak_torchvision!).toBeLessThanOrEqual(MAX_MEMORY_RATIO);
      // The meter can fail this: torchvision's own model with every layer's output held (as a forward
      // with a local per layer holds them) reads well above the bound (measured at batch 2, 64×64:
      // ResNet-50 2.8×, its in-place ReLUs sharing storage; DenseNet-121 4.6×).
      expect(r.peak_torchvision_retaining! / r.peak_torchvision!).toBeGreaterThan(2 * MAX_MEMORY_RATIO);
    },
    600_000,
  );
});
