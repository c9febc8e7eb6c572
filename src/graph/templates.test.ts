/**
 * The gallery under templates/ against two things it must agree with: our own loader and inference (every
 * template loads and infers without an error), and torchvision 0.14 as recorded in
 * ../shared/reference/torchvision-summaries.json (the classic templates reproduce it module by module).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTemplates, TEMPLATES } from '../../scripts/build-templates.ts';
import {
  buildTopology,
  designErrors,
  formatIssue,
  formatShape,
  FORMAT_VERSION,
  inferShapes,
  parseDesign,
  shapesEqual,
  type Design,
  type DesignInference,
  type Shape,
} from './index.ts';
import {
  loadTemplate,
  loadTemplateDocument,
  readTemplateIndex,
  REPO_ROOT,
  TEMPLATE_DIR,
  templateFileNames,
  TORCHVISION_PATHS,
  torchvisionPath,
} from './testing/templates.ts';
import { guessLanguage } from './texts.ts';
import { libraryBlock } from './block-library.ts';

// CI checks out shared/ beside the repository, as on the development machines.
const REFERENCE_FILE = path.resolve(REPO_ROOT, '../shared/reference/torchvision-summaries.json');
const LOCAL_REFERENCE_FILE = path.join(REPO_ROOT, 'src/graph/testing/torchvision-summaries.json');

const templateFiles = templateFileNames();

/** The design's errors as messages: a failure then says what is wrong. */
function errorsOf(design: Design, inference: DesignInference): string[] {
  return designErrors(design, inference).map((i) => formatIssue(i));
}

describe('templates', () => {
  it('the gallery holds the beginner and classic designs, and index.json lists each with its own name and description', () => {
    const expected = TEMPLATES.map((t) => t.file).sort();
    expect(templateFiles).toEqual(expect.arrayContaining(expected));
    const index = readTemplateIndex() as {
      file: string;
      name: string;
      description: string;
      level: string;
    }[];
    expect(index.map((e) => e.file).sort()).toEqual(templateFiles);
    for (const entry of index) {
      const design = loadTemplateDocument(entry.file);
      expect(entry.name, entry.file).toBe(design.name);
      expect(entry.description, entry.file).toEqual(design.description);
      expect(['beginner', 'classic'], entry.file).toContain(entry.level);
    }
    expect(index.filter((e) => e.level === 'beginner').length).toBeGreaterThanOrEqual(2);
  });

  it('the generated files are exactly what scripts/build-templates.ts writes (run `npm run templates`)', () => {
    for (const [file, text] of renderTemplates()) {
      expect(readFileSync(path.join(TEMPLATE_DIR, file), 'utf8'), `${file} is stale: run npm run templates`).toBe(text);
    }
  });

  describe.each(templateFiles)('%s', (file) => {
    it('loads, infers with no error, and reads well: name, description, notes, readable ids, distinct positions', () => {
      const document = loadTemplateDocument(file);
      const design = loadTemplate(file);
      const inference = inferShapes(design);
      expect(errorsOf(design, inference)).toEqual([]);
      expect(inference.order).toHaveLength(design.nodes.length);
      for (const node of inference.nodes.values()) expect(node.outputShape, node.id).not.toBeNull();
      expect(design.name.trim()).not.toBe('');
      // Every text in both languages the app speaks, each written (not a copy of the other).
      for (const lang of ['en', 'es']) {
        expect(design.description?.[lang]?.trim() ?? '', lang).not.toBe('');
        expect(design.notes?.[lang]?.trim().length ?? 0, lang).toBeGreaterThan(100);
        expect(guessLanguage(design.notes?.[lang] ?? ''), lang).toBe(lang);
        expect(guessLanguage(design.description?.[lang] ?? ''), lang).toBe(lang);
      }
      // What the canvas shows first: the top level (layers and collapsed blocks), each in its own place.
      const shown = [...document.nodes, ...(document.instances ?? [])];
      for (const node of shown) expect(node.id).toMatch(/^[a-z][a-z0-9_]*$/);
      const cells = new Set(shown.map((n) => `${n.position.x},${n.position.y}`));
      expect(cells.size).toBe(shown.length);
    });
  });

  it.each(['resnet-18.json', 'mobilenet-v2.json', 'resnet-50.json', 'googlenet.json', 'densenet-121.json'])(
    '%s opens folded to stem, stages and head: at most 15 nodes shown, every stage a block of the library',
    (file) => {
      const document = loadTemplateDocument(file);
      const shown = document.nodes.length + (document.instances ?? []).length;
      expect(shown).toBeLessThanOrEqual(15);
      // Folding is the point: the file unfolds to the whole network (its layers 5–40× what is shown).
      expect(loadTemplate(file).nodes.length).toBeGreaterThan(4 * shown);
      // The blocks torchvision has come from the block library unchanged (one source of truth).
      const used = new Set((document.blocks ?? []).map((b) => b.id));
      for (const def of document.blocks ?? []) {
        const entry = libraryBlock(def.id);
        if (!entry) continue;
        // Loaded as a file loads it (defaults filled in), so the two compare as the app sees them.
        const alone = parseDesign(JSON.stringify({ format: 'netcanvas', version: FORMAT_VERSION, name: 'x', nodes: [], edges: [], blocks: [entry.definition] }));
        expect(alone.ok && alone.design.blocks![0], def.id).toEqual(def);
      }
      expect([...used].filter((id) => libraryBlock(id)).length, file).toBeGreaterThan(0);
    },
  );

  it('the MNIST CNN stays inside the 20,000-parameter exercise budget', () => {
    const inference = inferShapes(loadTemplate('mnist-cnn.json'));
    expect(inference.totals.trainableParams).toBeGreaterThan(0);
    expect(inference.totals.trainableParams).toBeLessThan(20_000);
  });
});

// ---- torchvision ------------------------------------------------------------------------------------

interface ReferenceRow {
  readonly module: string;
  readonly type: string;
  readonly out?: readonly number[];
  readonly params: number;
}
interface ReferenceModel {
  readonly input: readonly number[];
  readonly output: readonly number[];
  readonly params: number;
  readonly trainable: number;
  readonly bn_buffers: number;
  readonly layers: readonly ReferenceRow[];
}

/**
 * The shared reference plus the models this repository summarised itself (scripts/torchvision_summaries.py,
 * same format; its rows also name the ReLUs torchvision applies as functions).
 */
function loadReference(): Record<string, ReferenceModel> {
  const local = JSON.parse(readFileSync(LOCAL_REFERENCE_FILE, 'utf8')) as Record<string, ReferenceModel>;
  return { ...loadSharedReference(), ...local };
}

function loadSharedReference(): Record<string, ReferenceModel> {
  if (!existsSync(REFERENCE_FILE)) {
    throw new Error(
      `The torchvision reference is missing: expected ${REFERENCE_FILE} (shared/ checked out next to the ` +
        `repository root, as ../shared). The classic templates cannot be verified without it.`,
    );
  }
  return JSON.parse(readFileSync(REFERENCE_FILE, 'utf8')) as Record<string, ReferenceModel>;
}

/** torch [1, C, H, W] / [1, N] (with the batch) → our channels-last [H, W, C] / [N]. */
function toChannelsLast(torchShape: readonly number[]): number[] {
  if (torchShape[0] !== 1) throw new Error(`reference shape ${JSON.stringify(torchShape)} should have batch 1`);
  const rest = torchShape.slice(1);
  return rest.length === 3 ? [rest[1], rest[2], rest[0]] : rest;
}

const TORCH_ACTIVATIONS: Readonly<Record<string, string>> = {
  ReLU: 'relu',
  ReLU6: 'relu6',
  Tanh: 'tanh',
  Sigmoid: 'sigmoid',
  ELU: 'elu',
  GELU: 'gelu',
  SiLU: 'swish',
  Softmax: 'softmax',
};
/** Our kinds a torch module may be. A depthwise convolution is torch's Conv2d with groups = channels. */
const TORCH_KINDS: Readonly<Record<string, readonly string[]>> = {
  Conv2d: ['Conv2D', 'DepthwiseConv2D'],
  Linear: ['Dense'],
  BatchNorm2d: ['BatchNorm'],
  MaxPool2d: ['MaxPool2D'],
  AvgPool2d: ['AvgPool2D'],
  Dropout: ['Dropout'],
  Flatten: ['Flatten'],
};
/**
 * Kinds torchvision computes with functional calls in `forward` (`out += identity`, `torch.cat`,
 * `torch.flatten`, `adaptive_avg_pool2d`) or inside another module (the padding of the stem MaxPool2d,
 * which our templates write as a ZeroPadding2D before the pool): no module, so no reference row. Only parameter-free nodes of these kinds may stay
 * unmatched; any other node of ours without a torch counterpart is a layer torchvision does not have.
 */
const FUNCTIONAL_KINDS = new Set(['Input', 'Add', 'Concatenate', 'Flatten', 'GlobalAvgPool2D', 'ZeroPadding2D']);
/**
 * How far (in topological positions) from the last matched node a row may find its node. Forward order and
 * our topological order agree on a chain but interleave differently around branches (ResNet's downsample;
 * an Inception module's four branches, 19 nodes that Kahn's order visits breadth-first).
 */
const WINDOW = 24;

interface Match {
  readonly row: ReferenceRow;
  /** Our node; null for torch's identity AdaptiveAvgPool2d. */
  readonly node: string | null;
  readonly how: 'node' | 'fused-activation' | 'identity';
}

/**
 * Walks the reference rows in forward order and binds each to one of our nodes: same role (kind and, for
 * activations, function), same output shape, same parameter count (BatchNorm: also its running statistics).
 * A node is bound at most once, only within WINDOW positions of the previous binding, and only once all
 * that feeds it is bound (looking through unbound functional nodes), so the data flow must follow torch's
 * forward order: a BatchNorm placed after its ReLU instead of before cannot match. Among the nodes that
 * fit, one fed by the previous binding wins. A fused activation binds to the row right after its layer's.
 */
function matchReference(design: Design, inference: DesignInference, rows: readonly ReferenceRow[]) {
  const { inputsOf } = buildTopology(design);
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  const order = inference.order;
  const position = new Map(order.map((id, i) => [id, i] as const));
  const info = (id: string) => inference.nodes.get(id)!;
  const bound = new Set<string>();
  const fusedBound = new Set<string>();
  const matches: Match[] = [];
  const problems: string[] = [];

  let anchor = order.findIndex((id) => byId.get(id)!.kind === 'Input');
  let previous: string | null = order[anchor] ?? null;
  const describeNode = (id: string) =>
    `${id} (${byId.get(id)!.kind}, ${formatShape(info(id).outputShape)}, ${info(id).trainableParams} params)`;

  const ready = (id: string): boolean =>
    inputsOf.get(id)!.every((src) => bound.has(src) || (FUNCTIONAL_KINDS.has(byId.get(src)!.kind) && ready(src)));

  const bind = (row: ReferenceRow, kinds: readonly string[], want: Shape, activation?: string): string | null => {
    const lo = Math.max(0, anchor - WINDOW);
    const nearby = order.slice(lo, anchor + WINDOW + 1).filter((id) => !bound.has(id) && kinds.includes(byId.get(id)!.kind));
    const fits = nearby.filter((id) => {
      const node = info(id);
      return (
        ready(id) &&
        (activation === undefined || byId.get(id)!.params.activation === activation) &&
        shapesEqual(node.outputShape, want) &&
        node.trainableParams === row.params &&
        node.nonTrainableParams === (row.type === 'BatchNorm2d' ? row.params : 0)
      );
    });
    const chosen = fits.find((id) => previous !== null && inputsOf.get(id)!.includes(previous)) ?? fits[0];
    if (chosen === undefined) {
      problems.push(
        `${row.module} (${row.type}, ${formatShape(want)}, ${row.params} params) has no counterpart near ` +
          `${order[anchor]}; unbound ${kinds.join('/')} nodes there: ` +
          (nearby.map((id) => `${describeNode(id)}${ready(id) ? '' : ' fed by a layer not matched yet'}`).join('; ') || 'none'),
      );
      return null;
    }
    bound.add(chosen);
    anchor = position.get(chosen)!;
    previous = chosen;
    return chosen;
  };

  for (const [i, row] of rows.entries()) {
    // Past the first miss every later binding would fail too; one precise message beats a cascade.
    if (problems.length > 0) {
      problems.push(`${rows.length - i} later reference rows not checked`);
      break;
    }
    if (!row.out) continue;
    const want = toChannelsLast(row.out);
    const previousShape = previous === null ? null : info(previous).outputShape;

    if (row.type === 'AdaptiveAvgPool2d') {
      if (shapesEqual(want, previousShape)) {
        matches.push({ row, node: null, how: 'identity' });
        continue;
      }
      // Pooled to 1×1 then flattened by torch.flatten: our GlobalAvgPool2D does both at once.
      const squeezed = want.length === 3 && want[0] === 1 && want[1] === 1 ? [want[2]] : want;
      const node = bind(row, ['GlobalAvgPool2D'], squeezed);
      if (node) matches.push({ row, node, how: 'node' });
      continue;
    }

    const activation = TORCH_ACTIVATIONS[row.type];
    if (activation !== undefined && previous !== null) {
      const layer = byId.get(previous)!;
      if (
        layer.kind !== 'Activation' &&
        layer.params.activation === activation &&
        !fusedBound.has(previous) &&
        shapesEqual(previousShape, want)
      ) {
        fusedBound.add(previous);
        matches.push({ row, node: previous, how: 'fused-activation' });
        continue;
      }
    }
    const kinds = activation !== undefined ? ['Activation'] : TORCH_KINDS[row.type];
    if (!kinds) {
      problems.push(`${row.module}: no NetCanvas kind is known for torch ${row.type}`);
      continue;
    }
    const node = bind(row, kinds, want, activation);
    if (node) matches.push({ row, node, how: 'node' });
  }

  for (const id of problems.length > 0 ? [] : order) {
    const node = byId.get(id)!;
    const { trainableParams, nonTrainableParams } = info(id);
    if (!bound.has(id) && (trainableParams + nonTrainableParams > 0 || !FUNCTIONAL_KINDS.has(node.kind))) {
      problems.push(`${describeNode(id)} has no torchvision counterpart`);
    }
    const fused = node.params.activation;
    if (node.kind !== 'Activation' && typeof fused === 'string' && fused !== 'linear' && !fusedBound.has(id)) {
      problems.push(`${id}: its fused ${fused} has no torchvision counterpart`);
    }
  }
  return { matches, problems };
}

const CLASSIC = [
  { file: 'lenet-5.json', key: 'lenet5_32', params: 61_706 },
  { file: 'alexnet.json', key: 'alexnet', params: 61_100_840 },
  { file: 'vgg-16.json', key: 'vgg16', params: 138_357_544 },
  { file: 'resnet-18.json', key: 'resnet18', params: 11_689_512 },
  { file: 'mobilenet-v2.json', key: 'mobilenet_v2', params: 3_504_872 },
  { file: 'resnet-50.json', key: 'resnet50', params: 25_557_032 },
  { file: 'googlenet.json', key: 'googlenet', params: 6_624_904 },
  { file: 'densenet-121.json', key: 'densenet121', params: 7_978_856 },
] as const;

describe('classic templates reproduce torchvision 0.14 (../shared/reference)', () => {
  it.each(CLASSIC)('$file matches torchvision $key: totals, input, output and every module', ({ file, key, params }) => {
    const reference = loadReference()[key];
    expect(reference, `${key} is not in ${REFERENCE_FILE}`).toBeDefined();
    expect(reference.params).toBe(params);
    expect(reference.trainable).toBe(reference.params);

    const design = loadTemplate(file);
    const inference = inferShapes(design);
    expect(errorsOf(design, inference)).toEqual([]);
    const { matches, problems } = matchReference(design, inference, reference.layers);
    expect(problems).toEqual([]);
    expect(inference.totals.trainableParams).toBe(reference.params);
    expect(inference.totals.nonTrainableParams).toBe(reference.bn_buffers);

    const inputs = design.nodes.filter((n) => n.kind === 'Input');
    expect(inputs).toHaveLength(1);
    expect(inference.nodes.get(inputs[0].id)!.outputShape).toEqual(toChannelsLast(reference.input));
    const { consumersOf } = buildTopology(design);
    const outputs = inference.order.filter((id) => consumersOf.get(id)!.length === 0);
    expect(outputs).toHaveLength(1);
    expect(inference.nodes.get(outputs[0])!.outputShape).toEqual(toChannelsLast(reference.output));

    const rows = reference.layers.filter((r) => r.out);
    const paramRows = rows.filter((r) => r.params > 0);
    expect(paramRows.length).toBeGreaterThan(0);
    expect(matches).toHaveLength(rows.length);
    expect(new Set(matches.map((m) => m.row)).size).toBe(rows.length);
    expect(matches.filter((m) => m.row.params > 0)).toHaveLength(paramRows.length);
    const ourParamNodes = [...inference.nodes.values()].filter((n) => n.trainableParams + n.nonTrainableParams > 0);
    expect(ourParamNodes).toHaveLength(paramRows.length);
    expect(paramRows.reduce((sum, r) => sum + r.params, 0)).toBe(reference.params);
  });

  it.each(CLASSIC.filter((c) => c.file in TORCHVISION_PATHS))(
    '$file unfolds to torchvision\'s module paths: every layer with weights under its torchvision name, same shape and parameters',
    ({ file, key }) => {
      const reference = loadReference()[key];
      const design = loadTemplate(file);
      const inference = inferShapes(design);
      const rows = reference.layers.filter((r) => r.params > 0 && r.out);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const id = torchvisionPath(file, row.module);
        const node = inference.nodes.get(id);
        expect(node, `${row.module} → ${id}`).toBeDefined();
        expect([id, formatShape(node!.outputShape), node!.trainableParams]).toEqual([id, formatShape(toChannelsLast(row.out!)), row.params]);
      }
      // …and nothing else carries weights.
      const weighted = [...inference.nodes.values()].filter((n) => n.trainableParams > 0).map((n) => n.id).sort();
      expect(weighted).toEqual(rows.map((r) => torchvisionPath(file, r.module)).sort());
    },
  );

  it.each(CLASSIC)('$file pads every convolution explicitly and symmetrically, as torchvision does', ({ file }) => {
    // 'same' would give the right shapes but TensorFlow's split (the odd pixel at the bottom/right), so
    // weights loaded from torchvision would see shifted windows.
    const convs = loadTemplate(file).nodes.filter((n) => n.kind === 'Conv2D' || n.kind === 'DepthwiseConv2D');
    expect(convs.length).toBeGreaterThan(0);
    for (const node of convs) {
      expect(node.params.padding, node.id).not.toBe('same');
      const [top, bottom, left, right] = node.params.pads as readonly number[];
      expect([top === bottom, left === right, top === left], node.id).toEqual([true, true, true]);
    }
  });
});
