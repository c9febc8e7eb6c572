/**
 * The Keras export, run under a real Keras 3 (../shared/keras: Keras 3.16, numpy backend) and compared
 * with the PyTorch export of the same design and weights under real torch. Every template, two designs
 * written with blocks and RANDOM_DESIGNS seeded random designs are built twice — from model.py (`build_model()`, which loads the
 * weights beside it, called from another working directory) and from model_config.json
 * (`keras.models.model_from_json`) — with Keras configured channels_first, so a layer that does not
 * state its data_format fails. Parameter counts and every node's output shape must equal the summary,
 * and the outputs must equal torch's within TOLERANCE (relative to the output's scale); model_config.json
 * must hold what Keras's own `to_json()` writes for the model model.py built.
 *
 * One Python process runs every case of a test (src/export/testing/check_keras.py): importing Keras and
 * torch costs seconds. Without the real Keras the test skips with a warning, except under CI, where it fails.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flattenDesign } from '../graph/blocks.ts';
import { parseDesign } from '../graph/file-format.ts';
import { inferShapes, type Design } from '../graph/index.ts';
import { hostileBlocksDesign, nestedBlocksDesign, randomGrouped, resnet18WithBlocks, switchedJoinDesign, twoPortDesign } from '../graph/testing/block-designs.ts';
import { randomValidDesign } from '../graph/testing/random-design.ts';
import { randomDesignWeights } from '../graph/testing/random-weights.ts';
import { loadTemplates, REPO_ROOT } from '../graph/testing/templates.ts';
import { exportKeras, planKeras } from './keras.ts';
import { exportPytorch, planPytorch } from './pytorch.ts';
import { findKerasPython } from './testing/python.ts';
import { wholeContent, type ExportFile } from './types.ts';

const RANDOM_DESIGNS = 100;
/** |Keras − torch| ≤ TOLERANCE · max(1, max |torch output|). */
const TOLERANCE = 1e-4;
/** Keras builds every case on the numpy backend: minutes of wall clock on a loaded 2-core machine (CPU time is logged). */
const PYTHON_TIMEOUT = 900_000;
/**
 * Built, counted and shape-checked without weights: VGG-16's 138 M and AlexNet's 61 M weights make a
 * 553 MB and a 244 MB weights.npz per target and three full models in memory. With AlexNet's values
 * compared, the templates took 89 s instead of 60 on a loaded machine (13 s of it in Python, most of the
 * rest writing its weights); its layers (Conv2D, MaxPool2D, Flatten → Dense, Dropout) are compared on
 * values in LeNet-5, the MNIST CNN and the random designs. The whole file: 37 s on a quiet 2-core machine.
 */
const SHAPES_ONLY = new Set(['vgg-16.json', 'alexnet.json']);
const CHECK_SCRIPT = path.join(REPO_ROOT, 'src/export/testing/check_keras.py');

const kerasPython = findKerasPython(REPO_ROOT);
let work = '';

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'netcanvas-keras-real-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Case {
  readonly name: string;
  readonly dir: string;
  readonly torchDir: string;
  readonly torchClass: string;
  readonly inputShapes: readonly (readonly number[])[];
  readonly weights: boolean;
  /** Keras layer name of every node → its inferred output shape. */
  readonly layers: Readonly<Record<string, readonly (number | null)[]>>;
  readonly params: number;
  readonly trainable: number;
}

interface KerasSide {
  params: number;
  trainable: number;
  layerShapes: Record<string, (number | null)[]>;
}

interface Outcome {
  case: string;
  error?: string;
  pyError?: string;
  jsonError?: string;
  pyRunError?: string;
  jsonRunError?: string;
  /** Where model_config.json differs from Keras's own `to_json()` of the model model.py built. */
  configDiffs?: string[];
  py?: KerasSide;
  json?: KerasSide;
  scale?: number;
  pyVsTorch?: number;
  jsonVsTorch?: number;
  seconds?: number;
  cpuSeconds?: number;
}

function writeExport(dir: string, files: readonly ExportFile[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(path.join(dir, f.path), wholeContent(f.content));
}

/** model.py of the Keras export of each case written with blocks, and how many definitions it has. */
const blockSources = new Map<string, { keras: string; blocks: number }>();

/** Names of the cases whose design up-samples bilinearly (the layer Keras 3 once computed differently). */
const bilinearCases = new Set<string>();

function prepare(name: string, document: Design, withWeights: boolean, seed: number): Case {
  // Both exporters take the design as written (with blocks: functions and classes per block); the
  // model, its layer names and weights are the unfolded design's.
  const design = flattenDesign(document);
  if (design.nodes.some((n) => n.kind === 'UpSampling2D' && n.params.interpolation === 'bilinear')) bilinearCases.add(name);
  const dir = path.join(work, name.replace(/[^A-Za-z0-9_-]/g, '_'));
  const inference = inferShapes(design);
  const weights = withWeights ? randomDesignWeights(inference, seed) : undefined;
  const keras = exportKeras(document, { inference, weights });
  const torch = exportPytorch(document, { inference, weights });
  const torchPlan = planPytorch(design, inference);
  if (!keras.ok || !torch.ok || !torchPlan.ok) throw new Error(`${name} does not export`);
  if (document.blocks?.length) blockSources.set(name, { keras: keras.files.find((f) => f.path === 'model.py')!.content as string, blocks: document.blocks.length });
  writeExport(path.join(dir, 'keras'), keras.files);
  writeExport(path.join(dir, 'torch'), torch.files);
  const plan = planKeras(design, inference);
  const layers = Object.fromEntries([...plan.layerOf].map(([id, layer]) => [layer, inference.nodes.get(id)!.outputShape!] as const));
  return {
    name,
    dir: path.join(dir, 'keras'),
    torchDir: path.join(dir, 'torch'),
    torchClass: torchPlan.plan.className,
    inputShapes: design.nodes.filter((n) => n.kind === 'Input').map((n) => inference.nodes.get(n.id)!.outputShape as number[]),
    weights: withWeights,
    layers,
    params: inference.totals.totalParams,
    trainable: inference.totals.trainableParams,
  };
}

function runChecks(cases: readonly Case[], manifestName: string): Map<string, Outcome> {
  const manifest = path.join(work, `${manifestName}.json`);
  writeFileSync(manifest, JSON.stringify(cases));
  const run = spawnSync(kerasPython!, [CHECK_SCRIPT, manifest], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  if (run.status !== 0) throw new Error(`check_keras.py failed: ${run.stderr}`);
  return new Map(
    run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Outcome)
      .map((o) => [o.case, o] as const),
  );
}

/** Everything that differs between a case and what Keras (and torch) reported, as readable lines. */
function problems(c: Case, o: Outcome | undefined): string[] {
  if (!o) return [`${c.name}: no result`];
  const errors = (['error', 'pyError', 'jsonError', 'pyRunError', 'jsonRunError'] as const).filter((k) => o[k]);
  if (errors.length > 0) return errors.map((k) => `${c.name}: ${k}: ${o[k]}`);
  const out: string[] = (o.configDiffs ?? ['no to_json() comparison']).map((d) => `${c.name}: model_config.json vs Keras's to_json(): ${d}`);
  for (const [from, side] of [['model.py', o.py!], ['model_config.json', o.json!]] as const) {
    if (side.params !== c.params) out.push(`${c.name} (${from}): ${side.params} parameters, summary says ${c.params}`);
    if (side.trainable !== c.trainable) out.push(`${c.name} (${from}): ${side.trainable} trainable, summary says ${c.trainable}`);
    for (const [layer, shape] of Object.entries(c.layers)) {
      if (JSON.stringify(side.layerShapes[layer]) !== JSON.stringify(shape)) {
        out.push(`${c.name} (${from}): ${layer} is ${JSON.stringify(side.layerShapes[layer])}, summary says ${JSON.stringify(shape)}`);
      }
    }
  }
  if (c.weights) {
    const bound = TOLERANCE * Math.max(1, o.scale!);
    if (!(o.pyVsTorch! <= bound)) out.push(`${c.name}: model.py vs torch ${o.pyVsTorch} (output scale ${o.scale})`);
    if (!(o.jsonVsTorch! <= bound)) out.push(`${c.name}: model_config.json vs torch ${o.jsonVsTorch} (output scale ${o.scale})`);
  }
  return out;
}

/** The measured figures of a run, for the log: the worst relative difference, overall and where bilinear up-sampling is in the design. */
function figures(cases: readonly Case[], outcomes: ReadonlyMap<string, Outcome>): string {
  const relative = (c: Case) => {
    const o = outcomes.get(c.name);
    return o?.pyVsTorch === undefined ? null : Math.max(o.pyVsTorch, o.jsonVsTorch ?? Infinity) / Math.max(1, o.scale!);
  };
  const worst = (list: readonly Case[]) => Math.max(0, ...list.map(relative).filter((v): v is number => v !== null));
  const compared = cases.filter((c) => c.weights);
  const bilinear = compared.filter((c) => bilinearCases.has(c.name));
  const seconds = [...outcomes.values()].reduce((a, o) => a + (o.seconds ?? 0), 0);
  const cpu = [...outcomes.values()].reduce((a, o) => a + (o.cpuSeconds ?? 0), 0);
  const slowest = [...outcomes.values()].reduce((a, o) => ((o.cpuSeconds ?? 0) > (a.cpuSeconds ?? 0) ? o : a));
  return (
    `${cases.length} cases built from model.py and model_config.json (Python: ${seconds.toFixed(1)} s, ${cpu.toFixed(1)} s CPU; ` +
    `slowest ${slowest.case}, ${slowest.cpuSeconds} s CPU); ` +
    `${compared.length} compared with torch: worst |Keras − torch| / max(1, scale) = ${worst(compared).toExponential(2)}; ` +
    `${bilinear.length} of them with bilinear up-sampling, worst ${worst(bilinear).toExponential(2)}`
  );
}

describe.skipIf(!kerasPython)('Keras export under real Keras 3, against the PyTorch export under torch', () => {
  it('every template: model.py and model_config.json build, count and compute what torch does', () => {
    const cases = loadTemplates().map(({ file, design }, i) => prepare(file, design, !SHAPES_ONLY.has(file), 1000 + i));
    const outcomes = runChecks(cases, 'templates');
    console.log(figures(cases, outcomes));
    expect(cases.flatMap((c) => problems(c, outcomes.get(c.name)))).toEqual([]);
  }, PYTHON_TIMEOUT);

  it('designs written with blocks (ResNet-18 as torchvision builds it, a two-port block, nested stages, random groupings): a function per block, the PyTorch classes\' numbers', () => {
    const load = (doc: unknown): Design => {
      const parsed = parseDesign(doc);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      return parsed.design;
    };
    const cases = [
      prepare('resnet-18 with blocks', load(resnet18WithBlocks()), true, 7),
      prepare('two ports', load(twoPortDesign()), true, 8),
      prepare('nested stages', load(nestedBlocksDesign()), true, 9),
      prepare('names Python reserves', load(hostileBlocksDesign()), true, 10),
      prepare('switched residual', load(switchedJoinDesign()), true, 11),
      ...Array.from({ length: 8 }, (_, i) => prepare(`random grouped ${i}`, randomGrouped(i), true, 20 + i)),
    ];
    const outcomes = runChecks(cases, 'blocks');
    console.log(figures(cases, outcomes));
    expect(cases.flatMap((c) => problems(c, outcomes.get(c.name)))).toEqual([]);
    // The designs written by hand print one function per definition (a `when` layer is switched inside it),
    // never the flat build_model.
    for (const name of ['resnet-18 with blocks', 'two ports', 'nested stages', 'names Python reserves', 'switched residual']) {
      const { keras, blocks } = blockSources.get(name)!;
      expect(keras.match(/^def (?!build_model\b|load_weights\b)\w+\(/gm)?.length ?? 0, name).toBe(blocks);
    }
  }, PYTHON_TIMEOUT);

  it(`${RANDOM_DESIGNS} random designs: both files build, count and compute what torch does`, () => {
    const cases = Array.from({ length: RANDOM_DESIGNS }, (_, i) => prepare(`random-${i + 1}`, randomValidDesign(i + 1), true, i + 1));
    const outcomes = runChecks(cases, 'random');
    console.log(figures(cases, outcomes));
    expect(cases.flatMap((c) => problems(c, outcomes.get(c.name)))).toEqual([]);
    // Bilinear up-sampling is held to the same tolerance as every other layer: some designs have one.
    expect(cases.filter((c) => bilinearCases.has(c.name)).length).toBeGreaterThan(3);
  }, PYTHON_TIMEOUT);
});
