/**
 * Design → PyTorch: `model.py` (one nn.Module; a design written with blocks gets a class per block
 * definition too, from ./pytorch-blocks.ts), `train.py` (single process or DDP under torchrun),
 * `weights.npz` when the design carries weights, and a README (those two scripts' templates live in
 * ./pytorch-train.ts).
 *
 * What each layer becomes is the layer file's `torch()` mapping; this module only plans names and order,
 * decides the one layout question that spans several nodes (below), fills the mappings' templates and
 * converts weights. User text reaches the files only through ./sanitize.ts.
 *
 * Layout: PyTorch tensors are channels-first ([N, C, H, W]); Keras's Flatten reads channels-last order.
 * Where a flattened image feeds only Dense layers (possibly through Dropout and Activation), the export
 * keeps PyTorch's own `torch.flatten(x, 1)` and permutes those Dense kernels' rows instead, as torchvision's
 * models do, so the code is the code a PyTorch user would write (and torchvision-layout weights fit it).
 * Anywhere else (a flattened vector that is an output, reshaped, added or concatenated) the Flatten
 * permutes the activations to Keras's order, which is correct whatever comes next.
 */
import {
  buildTopology,
  designErrors,
  displayName,
  inferShapes,
  layerSpec,
  mappingContext,
  toChannelsFirst,
  type Design,
  type DesignInference,
  type DesignNode,
  type Issue,
  type LayerKind,
  type Shape,
  type TorchMapping,
  type TorchWeight,
  type WeightDecl,
} from '../graph/index.ts';
import type { DesignWeights, WeightTensor } from '../graph/weights.ts';
import { npzChunks, reshape, transposeSlabs, type NdArray, type NdPieces } from './npz.ts';
import { readme, torchShape, trainSource } from './pytorch-train.ts';
import { scheduleForward, type Schedule } from './schedule.ts';
import { planTorchBlocks, type TorchBlocksPlan } from './pytorch-blocks.ts';
import { fillTorchTemplate } from './torch-fill.ts';
import { flattenDesign, hasBlocks } from '../graph/blocks.ts';
import { PyNamer, pyComment, pyCommentLines, pyDocstring, toClassName, wrapText } from './sanitize.ts';
import { plainText } from '../graph/texts.ts';
import { wholeContent, type ChunkedContent, type ExportFile, type ExportOptions, type ExportResult } from './types.ts';

export interface TorchNodePlan {
  readonly node: DesignNode;
  /** The node's Python name: its module attribute (`self.<name>`) and its output variable in forward. */
  readonly name: string;
  /** Helper module suffix → attribute name. */
  readonly helpers: ReadonlyMap<string, string>;
  /** Python names of the inputs, in slot order. */
  readonly inputs: readonly string[];
  readonly mapping: TorchMapping;
  /** Output shape, Keras order (channels last), no batch. */
  readonly shape: Shape;
  /** The node's declared weights (Keras layout), for converting trained ones. */
  readonly weights: readonly WeightDecl[];
}

export interface TorchPlan {
  readonly className: string;
  /** Every node: the Input nodes, then the rest in forward()'s order (./schedule.ts: branches contiguous). */
  readonly nodes: readonly TorchNodePlan[];
  /** forward()'s statements: the local each node writes and the locals released after it. */
  readonly schedule: Schedule;
  /** The Input nodes in document order: forward()'s arguments. */
  readonly inputs: readonly TorchNodePlan[];
  /** The nodes nothing consumes, in topological order: forward()'s results. */
  readonly outputs: readonly TorchNodePlan[];
}

export type PlanResult = { readonly ok: true; readonly plan: TorchPlan } | { readonly ok: false; readonly issues: readonly Issue[] };


/**
 * The Flatten nodes whose output may stay in PyTorch's flatten order, and for each Dense they feed, the
 * image shape its kernel rows must be permuted from. Only when every path out of the Flatten ends in a
 * Dense (through order-blind layers that are not themselves outputs) is the order invisible.
 */
function planFlattens(
  design: Design,
  inference: DesignInference,
  consumersOf: ReadonlyMap<string, readonly string[]>,
): { flattens: Set<string>; denseFrom: Map<string, Shape> } {
  const kindOf = new Map(design.nodes.map((n) => [n.id, n.kind] as const));
  // Layers a flattened vector may pass on its way to a Dense without its order mattering (LayerFlow).
  const orderBlind = (kind: LayerKind | undefined) => kind !== undefined && layerSpec(kind).flow.orderBlind;
  const flattens = new Set<string>();
  const denseFrom = new Map<string, Shape>();
  for (const node of design.nodes) {
    if (node.kind !== 'Flatten') continue;
    const image = inference.nodes.get(node.id)!.inputShapes[0]!;
    if (image.length < 2) continue;
    const dense: string[] = [];
    let blind = true;
    const stack = [...(consumersOf.get(node.id) ?? [])];
    if (stack.length === 0) blind = false;
    while (blind && stack.length > 0) {
      const id = stack.pop()!;
      const kind = kindOf.get(id);
      const next = consumersOf.get(id) ?? [];
      if (kind === 'Dense') dense.push(id);
      else if (orderBlind(kind) && next.length > 0) stack.push(...next);
      else blind = false;
    }
    if (!blind) continue;
    flattens.add(node.id);
    for (const id of dense) denseFrom.set(id, image);
  }
  return { flattens, denseFrom };
}

/** Each node's PyTorch mapping (its layer file's `torch()`), with the Flatten layout decided across nodes. */
export function torchMappings(
  design: Design,
  inference: DesignInference,
  consumersOf: ReadonlyMap<string, readonly string[]>,
): Map<string, TorchMapping> {
  const { flattens, denseFrom } = planFlattens(design, inference, consumersOf);
  return new Map(
    design.nodes.map((node) => {
      const id = node.id;
      const mapping = layerSpec(node.kind).torch({
        ...mappingContext(inference.nodes.get(id)!),
        ...(flattens.has(id) ? { flatten: 'channels-first' as const } : {}),
        ...(denseFrom.has(id) ? { flattenedFrom: denseFrom.get(id)! } : {}),
      });
      return [id, mapping] as const;
    }),
  );
}

/**
 * Names, order and each node's mapping. Fails with the inference's errors on an invalid design.
 * `inference` must be the design's own, when the caller already has it.
 */
export function planPytorch(design: Design, inference: DesignInference = inferShapes(design)): PlanResult {
  const issues = designErrors(design, inference);
  if (issues.length > 0) return { ok: false, issues };
  const topology = buildTopology(design);
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  const mappings = torchMappings(design, inference, topology.consumersOf);

  const namer = new PyNamer(['Path', 'WEIGHTS_FILE']);
  const className = namer.claimExact(toClassName(design.name || 'Net'));
  const names = new Map<string, string>();
  for (const id of inference.order) names.set(id, namer.claim(displayName(byId.get(id)!)));

  const nodes: TorchNodePlan[] = inference.order.map((id) => {
    const node = byId.get(id)!;
    const info = inference.nodes.get(id)!;
    const name = names.get(id)!;
    const mapping = mappings.get(id)!;
    const helpers = new Map<string, string>();
    for (const m of mapping.modules) if (m.suffix) helpers.set(m.suffix, namer.claimExact(`${name}_${m.suffix}`));
    return {
      node,
      name,
      helpers,
      inputs: (topology.inputsOf.get(id) ?? []).map((src) => names.get(src)!),
      mapping,
      shape: info.outputShape!,
      weights: info.weights,
    };
  });
  const planOf = new Map(nodes.map((p) => [p.node.id, p] as const));
  const inputs = design.nodes.filter((n) => n.kind === 'Input').map((n) => planOf.get(n.id)!);
  const outputs = nodes.filter((p) => (topology.consumersOf.get(p.node.id) ?? []).length === 0);
  // forward()'s locals are claimed apart from the attributes (self.<name> cannot clash with a local) but
  // never shadow an argument or a name the code relies on (torch, F…).
  const locals = new PyNamer(inputs.map((p) => p.name));
  const localNames: string[] = [];
  const schedule = scheduleForward({
    nodes: nodes
      .filter((p) => p.node.kind !== 'Input')
      .map((p) => ({ id: p.node.id, inputs: topology.inputsOf.get(p.node.id) ?? [] })),
    args: new Map(inputs.map((p) => [p.node.id, p.name] as const)),
    outputs: outputs.map((p) => p.node.id),
    local: (i) => (localNames[i] ??= locals.claimExact(i === 0 ? 'x' : `x${i}`)),
  });
  return {
    ok: true,
    plan: {
      className,
      nodes: [...inputs, ...schedule.steps.map((s) => planOf.get(s.id)!)],
      schedule,
      inputs,
      outputs,
    },
  };
}

/** Substitutes a mapping template's names (see TorchMapping in layer-spec.ts); `inputs` are the forward locals read. */
function fill(template: string, plan: TorchNodePlan, inputs: readonly string[]): string {
  return fillTorchTemplate(template, plan.node.kind, plan.name, plan.helpers, inputs);
}

const pyShapeTuple = (shape: Shape) => (shape.length === 1 ? `(${shape[0]},)` : `(${toChannelsFirst(shape).join(', ')})`);

/** The state_dict key of a weight: `<name>[_<helper>][.<param>]`. */
function stateKey(plan: TorchNodePlan, w: TorchWeight): string {
  const owner = w.module ? plan.helpers.get(w.module)! : plan.name;
  return w.param ? `${owner}.${w.param}` : owner;
}

function isProbability(plan: TorchNodePlan): boolean {
  return plan.node.params?.activation === 'softmax';
}

/**
 * The main class's body when the design is written with blocks (./pytorch-blocks.ts): the block classes
 * printed before it, and its own __init__ and forward statements (indented, after `super().__init__()`
 * and after forward's docstring, `return` included).
 */
export interface TorchBody {
  readonly classes: readonly string[];
  readonly init: readonly string[];
  readonly forward: readonly string[];
}

function modelSource(design: Design, plan: TorchPlan, withWeights: boolean, body?: TorchBody): string {
  const lines: string[] = [];
  const moduleDoc = [`${design.name || 'Untitled'}: a PyTorch model exported by NetCanvas.`];
  // Generated code is written in English, so it carries the English texts (or the only ones written).
  const description = plainText(design.description);
  const notes = plainText(design.notes);
  if (description) moduleDoc.push('', wrapText(description));
  if (notes) moduleDoc.push('', 'Notes:', wrapText(notes));
  moduleDoc.push(
    '',
    'Tensors are channels-first as PyTorch expects ([N, C, H, W] for images); the shape comments leave',
    'out the batch dimension N. Padding that PyTorch cannot express in a layer (TensorFlow\'s uneven',
    "'same') is an explicit F.pad, so the numbers equal the NetCanvas (TensorFlow.js) model's.",
  );
  lines.push(pyDocstring(moduleDoc.join('\n')), 'from pathlib import Path', '', 'import torch', 'import torch.nn as nn', 'import torch.nn.functional as F', '');
  // Beside this file, wherever Python was started from.
  lines.push('WEIGHTS_FILE = Path(__file__).resolve().parent / "weights.npz"', '', '');

  if (body) lines.push(...body.classes);
  const classDoc = [design.name || 'Untitled'];
  if (description) classDoc.push('', wrapText(description, 92));
  classDoc.push(
    '',
    `Inputs: ${plan.inputs.map((p) => `${p.name} ${torchShape(p.shape)}`).join(', ')}.`,
    `Outputs: ${plan.outputs.map((p) => `${p.name} ${torchShape(p.shape)}`).join(', ')}.`,
  );
  lines.push(`class ${plan.className}(nn.Module):`, `    ${pyDocstring(classDoc.join('\n'), '    ')}`, '');
  lines.push(`    INPUT_SHAPES = (${plan.inputs.map((p) => pyShapeTuple(p.shape)).join(', ')},)`);
  lines.push(`    OUTPUT_SHAPES = (${plan.outputs.map((p) => pyShapeTuple(p.shape)).join(', ')},)`);
  lines.push(`    OUTPUT_IS_PROBABILITY = (${plan.outputs.map((p) => (isProbability(p) ? 'True' : 'False')).join(', ')},)`, '');

  lines.push('    def __init__(self, weights=None):', '        super().__init__()');
  if (body) lines.push(...body.init);
  else for (const p of plan.nodes) {
    if (p.mapping.modules.length === 0) continue;
    if (plainText(p.node.notes)) lines.push(...pyCommentLines(plainText(p.node.notes), '        '));
    const label = displayName(p.node);
    const tag = label === p.name ? '' : `  # ${pyComment(label)}`;
    for (const m of p.mapping.modules) {
      const attr = m.suffix ? p.helpers.get(m.suffix)! : p.name;
      lines.push(`        self.${attr} = ${m.ctor}${m.suffix ? '' : tag}`);
    }
  }
  lines.push('        if weights is not None:', '            self.load_weights(weights)', '');

  const args = plan.inputs.map((p) => p.name);
  lines.push(`    def forward(self, ${args.join(', ')}):`);
  lines.push(
    `        ${pyDocstring(
      `${plan.inputs.map((p) => `${p.name}: ${torchShape(p.shape)}`).join(', ')} -> ${plan.outputs.map((p) => `${p.name}: ${torchShape(p.shape)}`).join(', ')}`,
    )}`,
  );
  const planOf = new Map(plan.nodes.map((p) => [p.node.id, p] as const));
  if (body) lines.push(...body.forward);
  else for (const step of plan.schedule.steps) {
    const p = planOf.get(step.id)!;
    if (p.mapping.note) lines.push(`        # ${pyComment(p.mapping.note)}`);
    // A line that calls self.<name> names its layer; one that does not (x1 + x, torch.cat) says which it is.
    const label = /\{m[}.]/.test(p.mapping.forward) ? '' : `${p.name}: `;
    lines.push(`        ${step.target} = ${fill(p.mapping.forward, p, step.inputs)}  # ${label}${torchShape(p.shape)}`);
    if (step.release.length > 0) lines.push(`        del ${step.release.join(', ')}`);
  }
  if (!body) lines.push(`        return ${plan.schedule.returns.join(', ')}`);
  lines.push('');

  lines.push(
    '    def load_weights(self, path):',
    '        """Copies a NetCanvas weights file (.npz of PyTorch-layout arrays named like state_dict keys) into the model."""',
    '        import numpy as np',
    '',
    '        with np.load(path) as arrays:',
    '            state = {key: torch.from_numpy(arrays[key]) for key in arrays.files}',
    '        missing, unexpected = self.load_state_dict(state, strict=False)',
    '        missing = [key for key in missing if not key.endswith("num_batches_tracked")]',
    '        if missing or unexpected:',
    '            raise ValueError(f"{path} does not fit {type(self).__name__}: missing {missing}, unexpected {unexpected}")',
    '        return self',
    '',
    '',
    'if __name__ == "__main__":',
    `    model = ${plan.className}(${withWeights ? 'weights=WEIGHTS_FILE' : ''}).eval()`,
    '    with torch.no_grad():',
    `        outputs = model(*[torch.zeros(1, *shape) for shape in ${plan.className}.INPUT_SHAPES])`,
    '    print(model)',
    '    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")',
    '    for output in outputs if isinstance(outputs, tuple) else (outputs,):',
    '        print("output", tuple(output.shape))',
    '',
  );
  return lines.join('\n');
}

/** Values per piece of a converted weight (16 MB): small beside any model whose weights matter to memory. */
const SLAB_VALUES = 1 << 22;

function joinFloats(pieces: readonly Float32Array[]): Float32Array {
  if (pieces.length === 1) return pieces[0];
  const out = new Float32Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The PyTorch state_dict of `weights`, each declared weight converted to its PyTorch layout when its
 * entry is called, a transposed one in pieces (a transpose is a copy: a writer that hands each piece on
 * never holds a second copy of the weights).
 * Every weight is checked against the design first.
 */
function torchStateEntries(plan: TorchPlan, weights: DesignWeights): { ok: true; entries: [string, () => NdArray | NdPieces][] } | { ok: false; issues: Issue[] } {
  const entries: [string, () => NdArray | NdPieces][] = [];
  const problems: string[] = [];
  for (const p of plan.nodes) {
    const declared = p.weights;
    if (declared.length === 0) continue;
    const given = weights.get(p.node.id);
    for (const decl of declared) {
      const tensor: WeightTensor | undefined = given?.[decl.name];
      if (!tensor) {
        problems.push(`${displayName(p.node)} has no ${decl.name}`);
        continue;
      }
      if (tensor.shape.join() !== decl.shape.join() || tensor.data.length !== decl.shape.reduce((a, b) => a * b, 1)) {
        problems.push(`${displayName(p.node)}.${decl.name} is [${tensor.shape.join(', ')}], the design needs [${decl.shape.join(', ')}]`);
        continue;
      }
      const target = p.mapping.weights.find((w) => w.keras === decl.name);
      if (!target) throw new Error(`${p.node.kind}'s torch mapping does not place weight ${decl.name}`);
      entries.push([
        stateKey(p, target),
        (): NdArray | NdPieces => {
          let array: NdArray = { shape: tensor.shape, data: tensor.data };
          if (target.view) array = reshape(array, target.view);
          if (!target.perm) return target.reshape ? reshape(array, target.reshape) : array;
          const shape = target.perm.map((axis) => array.shape[axis]);
          const pieces = transposeSlabs(array, target.perm, SLAB_VALUES);
          if (!target.reshape) return { shape, pieces };
          if (target.reshape.reduce((a, b) => a * b, 1) !== array.data.length) throw new Error(`reshape: ${array.data.length} values do not make [${target.reshape.join(', ')}]`);
          return { shape: target.reshape, pieces };
        },
      ]);
    }
  }
  if (problems.length > 0) {
    const detail = problems.length > 3 ? `${problems.slice(0, 3).join('; ')} (and ${problems.length - 3} more)` : problems.join('; ');
    return { ok: false, issues: [{ severity: 'error', code: 'export-weights-mismatch', values: { detail } }] };
  }
  return { ok: true, entries };
}

/** The PyTorch state_dict of `weights`: each declared weight converted to its PyTorch layout. */
export function torchStateDict(plan: TorchPlan, weights: DesignWeights): { ok: true; arrays: Map<string, NdArray> } | { ok: false; issues: Issue[] } {
  const state = torchStateEntries(plan, weights);
  if (!state.ok) return state;
  const whole = (a: NdArray | NdPieces): NdArray => ('data' in a ? a : { shape: a.shape, data: joinFloats([...a.pieces]) });
  return { ok: true, arrays: new Map(state.entries.map(([key, make]) => [key, whole(make())])) };
}

/**
 * The PyTorch export of a design: model.py, train.py, README.txt and, when `options.weights` is given,
 * weights.npz. An invalid design (or weights that do not fit it) gives its issues instead.
 */
export function exportPytorch(design: Design, options: ExportOptions = {}): ExportResult {
  const flat = flattenDesign(design);
  const planned = planPytorch(flat, options.inference);
  if (!planned.ok) return planned;
  const blocks = hasBlocks(design) ? blockPlan(design, flat, planned.plan, options.inference ?? inferShapes(flat)) : null;
  // With blocks, state_dict keys are module paths in the nested classes (`layer1.0.conv1.weight`).
  const plan = blocks ? withKeys(planned.plan, blocks) : planned.plan;
  const body: TorchBody | undefined = blocks ? { classes: blocks.classes, init: blocks.init, forward: blocks.forward } : undefined;
  const files: ExportFile[] = [];
  const withWeights = options.weights !== undefined;
  if (options.weights) {
    const state = torchStateEntries(plan, options.weights);
    if (!state.ok) return state;
    const { entries } = state;
    const content: ChunkedContent = { chunks: () => npzChunks(entries) };
    files.push({ path: 'weights.npz', content: options.chunked ? content : wholeContent(content) });
  }
  files.unshift(
    { path: 'model.py', content: modelSource(flat, plan, withWeights, body) },
    { path: 'train.py', content: trainSource(flat, plan, options, withWeights) },
    { path: 'README.txt', content: readme(flat, plan, withWeights) },
  );
  return { ok: true, files };
}

/** The block classes of a design written with blocks, or null where the flat class must be written. */
function blockPlan(design: Design, flat: Design, plan: TorchPlan, inference: DesignInference): TorchBlocksPlan | null {
  return planTorchBlocks(design, {
    design: flat,
    inference,
    mappings: new Map(plan.nodes.map((p) => [p.node.id, p.mapping] as const)),
    inputNames: new Map(plan.inputs.map((p) => [p.node.id, p.name] as const)),
    outputs: plan.outputs.map((p) => p.node.id),
    className: plan.className,
  });
}

function withKeys(plan: TorchPlan, blocks: TorchBlocksPlan): TorchPlan {
  const nodes = plan.nodes.map((p) => {
    const key = blocks.keys.get(p.node.id);
    return key ? { ...p, name: key.name, helpers: key.helpers } : p;
  });
  return { ...plan, nodes };
}
