/**
 * Design → PyTorch: `model.py` (one nn.Module), `train.py` (single process or DDP under torchrun),
 * `weights.npz` when the design carries weights, and a README.
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
  type Shape,
  type TorchMapping,
  type TorchWeight,
  type WeightDecl,
} from '../graph/index.ts';
import type { DesignWeights, WeightTensor } from '../graph/weights.ts';
import { npz, reshape, transpose, type NdArray } from './npz.ts';
import { PyNamer, pyComment, pyCommentLines, pyDocstring, pyString, toClassName, wrapText } from './sanitize.ts';
import type { ExportFile, ExportOptions, ExportResult } from './types.ts';

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
  /** Every node in topological order. */
  readonly nodes: readonly TorchNodePlan[];
  /** The Input nodes in document order: forward()'s arguments. */
  readonly inputs: readonly TorchNodePlan[];
  /** The nodes nothing consumes, in topological order: forward()'s results. */
  readonly outputs: readonly TorchNodePlan[];
}

export type PlanResult = { readonly ok: true; readonly plan: TorchPlan } | { readonly ok: false; readonly issues: readonly Issue[] };

/** Kinds a flattened vector may pass through on its way to a Dense without its order mattering. */
const ORDER_BLIND = new Set(['Dropout', 'Activation']);

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
      else if (kind && ORDER_BLIND.has(kind) && next.length > 0) stack.push(...next);
      else blind = false;
    }
    if (!blind) continue;
    flattens.add(node.id);
    for (const id of dense) denseFrom.set(id, image);
  }
  return { flattens, denseFrom };
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
  const { flattens, denseFrom } = planFlattens(design, inference, topology.consumersOf);

  const namer = new PyNamer();
  const className = namer.claimExact(toClassName(design.name || 'Net'));
  const names = new Map<string, string>();
  for (const id of inference.order) names.set(id, namer.claim(displayName(byId.get(id)!)));

  const nodes: TorchNodePlan[] = inference.order.map((id) => {
    const node = byId.get(id)!;
    const info = inference.nodes.get(id)!;
    const spec = layerSpec(node.kind);
    const name = names.get(id)!;
    const mapping = spec.torch({
      ...mappingContext(info),
      ...(flattens.has(id) ? { flatten: 'channels-first' as const } : {}),
      ...(denseFrom.has(id) ? { flattenedFrom: denseFrom.get(id)! } : {}),
    });
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
  return {
    ok: true,
    plan: {
      className,
      nodes,
      inputs: design.nodes.filter((n) => n.kind === 'Input').map((n) => planOf.get(n.id)!),
      outputs: nodes.filter((p) => (topology.consumersOf.get(p.node.id) ?? []).length === 0),
    },
  };
}

/** Substitutes a mapping template's names (see TorchMapping in layer-spec.ts). */
function fill(template: string, plan: TorchNodePlan): string {
  return template.replace(/\{(x\d*|xs|m(?:\.[a-z_]+)?)\}/g, (_, key: string) => {
    if (key === 'x') return plan.inputs[0];
    if (key === 'xs') return plan.inputs.join(', ');
    if (key === 'm') return `self.${plan.name}`;
    if (key.startsWith('m.')) {
      const attr = plan.helpers.get(key.slice(2));
      if (!attr) throw new Error(`${plan.node.kind} mapping names an undeclared helper ${key}`);
      return `self.${attr}`;
    }
    const input = plan.inputs[Number(key.slice(1))];
    if (input === undefined) throw new Error(`${plan.node.kind} mapping reads input ${key} of ${plan.inputs.length}`);
    return input;
  });
}

/** "[8, 24, 24]": a Keras shape in PyTorch's order, without the batch. */
export function torchShape(shape: Shape): string {
  return `[${toChannelsFirst(shape).join(', ')}]`;
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

function modelSource(design: Design, plan: TorchPlan, withWeights: boolean): string {
  const lines: string[] = [];
  const moduleDoc = [`${design.name || 'Untitled'}: a PyTorch model exported by NetCanvas.`];
  if (design.description) moduleDoc.push('', wrapText(design.description));
  if (design.notes) moduleDoc.push('', 'Notes:', wrapText(design.notes));
  moduleDoc.push(
    '',
    'Tensors are channels-first as PyTorch expects ([N, C, H, W] for images); the shape comments leave',
    'out the batch dimension N. Padding that PyTorch cannot express in a layer (TensorFlow\'s uneven',
    "'same') is an explicit F.pad, so the numbers equal the NetCanvas (TensorFlow.js) model's.",
  );
  lines.push(pyDocstring(moduleDoc.join('\n')), 'import torch', 'import torch.nn as nn', 'import torch.nn.functional as F', '', '');

  const classDoc = [design.name || 'Untitled'];
  if (design.description) classDoc.push('', wrapText(design.description, 92));
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
  for (const p of plan.nodes) {
    if (p.mapping.modules.length === 0) continue;
    if (p.node.notes) lines.push(...pyCommentLines(p.node.notes, '        '));
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
  for (const p of plan.nodes) {
    if (p.node.kind === 'Input') continue;
    if (p.mapping.note) lines.push(`        # ${pyComment(p.mapping.note)}`);
    lines.push(`        ${p.name} = ${fill(p.mapping.forward, p)}  # ${torchShape(p.shape)}`);
  }
  lines.push(`        return ${plan.outputs.map((p) => p.name).join(', ')}`, '');

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
    `    model = ${plan.className}(${withWeights ? 'weights="weights.npz"' : ''}).eval()`,
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

const TRAINING_DEFAULTS = { optimizer: 'adam', learningRate: 0.001, momentum: 0.9, batchSize: 64, epochs: 5 } as const;

function positive(value: number | undefined, fallback: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return fallback;
  return integer ? Math.max(1, Math.round(value)) : value;
}

function trainSource(design: Design, plan: TorchPlan, options: ExportOptions, withWeights: boolean): string {
  const t = options.training ?? {};
  const optimizer = t.optimizer === 'sgd' ? 'sgd' : t.optimizer === 'adam' ? 'adam' : TRAINING_DEFAULTS.optimizer;
  const lr = positive(t.learningRate, TRAINING_DEFAULTS.learningRate);
  const momentum = typeof t.momentum === 'number' && Number.isFinite(t.momentum) && t.momentum >= 0 && t.momentum < 1 ? t.momentum : TRAINING_DEFAULTS.momentum;
  const batch = positive(t.batchSize, TRAINING_DEFAULTS.batchSize, true);
  const epochs = positive(t.epochs, TRAINING_DEFAULTS.epochs, true);
  const title = `Trains ${design.name || 'Untitled'} (model.py); generated by NetCanvas.`;
  return `${pyDocstring(`${title}

  python train.py --mnist                        MNIST digits (torchvision downloads them)
  python train.py --data DIR                     an image folder: DIR/<class>/<image>
  python train.py --synthetic 512                random tensors of the right shapes (offline smoke test)
  torchrun --nproc_per_node=4 train.py --mnist   the same, data parallel over 4 processes (DDP)

The hyper-parameters default to those chosen in NetCanvas; --help lists them. Each epoch writes
<out>/checkpoint.pt (model, optimiser, epoch); --resume continues from one.`)}
import argparse
import os
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

from model import ${plan.className} as Model

OPTIMIZER = ${pyString(optimizer)}
LEARNING_RATE = ${lr}
MOMENTUM = ${momentum}
BATCH_SIZE = ${batch}
EPOCHS = ${epochs}
WEIGHTS = ${withWeights ? 'os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights.npz")' : 'None'}

INPUT_SHAPES = Model.INPUT_SHAPES
OUTPUT_SHAPES = Model.OUTPUT_SHAPES
# One input and one vector output: a classifier, the output's size being the number of classes.
CLASSIFIER = len(INPUT_SHAPES) == 1 and len(OUTPUT_SHAPES) == 1 and len(OUTPUT_SHAPES[0]) == 1


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", metavar="DIR", help="image folder (torchvision ImageFolder): DIR/<class>/<image>")
    source.add_argument("--mnist", action="store_true", help="torchvision's MNIST, downloaded to --data-root")
    source.add_argument("--synthetic", type=int, metavar="N", help="N random samples of the model's shapes (no download)")
    parser.add_argument("--data-root", default="data", help="where --mnist keeps its files")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="per process")
    parser.add_argument("--optimizer", choices=["sgd", "adam"], default=OPTIMIZER)
    parser.add_argument("--lr", type=float, default=LEARNING_RATE)
    parser.add_argument("--momentum", type=float, default=MOMENTUM, help="SGD only")
    parser.add_argument("--weights", default=WEIGHTS, help="initial weights (.npz exported by NetCanvas)")
    parser.add_argument("--out", default="checkpoints", help="checkpoint folder")
    parser.add_argument("--resume", metavar="CHECKPOINT", help="continue from a checkpoint.pt")
    parser.add_argument("--workers", type=int, default=2, help="data loading processes")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def setup():
    """(rank, world size, local rank, device); joins the process group when torchrun started us."""
    if "RANK" in os.environ and "WORLD_SIZE" in os.environ:
        rank, world_size = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
        local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        if torch.cuda.is_available():
            torch.cuda.set_device(local_rank)
            device, backend = torch.device("cuda", local_rank), "nccl"
        else:
            device, backend = torch.device("cpu"), "gloo"
        dist.init_process_group(backend=backend)
        return rank, world_size, local_rank, device
    return 0, 1, 0, torch.device("cuda" if torch.cuda.is_available() else "cpu")


def image_transform(shape, mnist):
    """Images as the model's input: resized, with its channel count, values in [0, 1]."""
    from torchvision import transforms  # only the image datasets need torchvision

    if len(shape) == 1 and mnist and shape[0] == 28 * 28:
        return transforms.Compose([transforms.ToTensor(), transforms.Lambda(torch.flatten)])
    if len(shape) != 3 or shape[0] not in (1, 3):
        raise SystemExit(f"image datasets need an image input with 1 or 3 channels; this model's input is {shape}")
    channels, height, width = shape
    steps = [transforms.Grayscale(channels)] if mnist or channels == 1 else []
    return transforms.Compose([*steps, transforms.Resize((height, width)), transforms.ToTensor()])


def make_dataset(args, world_size):
    if args.synthetic:
        generator = torch.Generator().manual_seed(args.seed)
        inputs = [torch.randn(args.synthetic, *shape, generator=generator) for shape in INPUT_SHAPES]
        if CLASSIFIER:
            targets = [torch.randint(OUTPUT_SHAPES[0][0], (args.synthetic,), generator=generator)]
        else:
            targets = [torch.randn(args.synthetic, *shape, generator=generator) for shape in OUTPUT_SHAPES]
        return TensorDataset(*inputs, *targets)
    if not CLASSIFIER:
        raise SystemExit("--data and --mnist train a classifier (one input, one vector output); use --synthetic or adapt make_dataset")
    from torchvision import datasets

    transform = image_transform(INPUT_SHAPES[0], args.mnist)
    if args.mnist:
        if world_size > 1 and dist.get_rank() != 0:
            dist.barrier()  # rank 0 downloads first
        dataset = datasets.MNIST(args.data_root, train=True, download=True, transform=transform)
        if world_size > 1 and dist.get_rank() == 0:
            dist.barrier()
        classes = 10
    else:
        dataset = datasets.ImageFolder(args.data, transform=transform)
        classes = len(dataset.classes)
    if classes > OUTPUT_SHAPES[0][0]:
        raise SystemExit(f"the data has {classes} classes but the model outputs {OUTPUT_SHAPES[0][0]}")
    return dataset


def loss_function(outputs, targets):
    if CLASSIFIER:
        if Model.OUTPUT_IS_PROBABILITY[0]:
            # The model ends in softmax (as Keras models do), so the loss takes the log itself.
            return F.nll_loss(torch.log(outputs[0].clamp_min(1e-12)), targets[0])
        return F.cross_entropy(outputs[0], targets[0])
    return sum(F.mse_loss(output, target) for output, target in zip(outputs, targets))


def save_checkpoint(path, model, optimizer, epoch):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict()}, path + ".tmp")
    os.replace(path + ".tmp", path)


def main():
    args = parse_args()
    rank, world_size, local_rank, device = setup()
    torch.manual_seed(args.seed)
    model = Model()
    if args.weights and os.path.exists(args.weights):
        model.load_weights(args.weights)
    model.to(device)
    if args.optimizer == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    start_epoch = 0
    if args.resume:
        checkpoint = torch.load(args.resume, map_location="cpu")
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        start_epoch = checkpoint["epoch"]
    net = model
    if world_size > 1:
        net = DistributedDataParallel(model, device_ids=[local_rank] if device.type == "cuda" else None)

    dataset = make_dataset(args, world_size)
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, seed=args.seed) if world_size > 1 else None
    per_process = len(sampler) if sampler is not None else len(dataset)
    # Whole batches only: BatchNorm cannot train on a batch of one.
    batch_size = max(1, min(args.batch_size, per_process))
    loader = DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=sampler is None,
        sampler=sampler,
        drop_last=True,
        num_workers=0 if args.synthetic else args.workers,
        pin_memory=device.type == "cuda",
    )
    checkpoint_path = os.path.join(args.out, "checkpoint.pt")
    for epoch in range(start_epoch, args.epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        net.train()
        totals = torch.zeros(3, dtype=torch.float64, device=device)  # loss·n, correct, n
        started = time.time()
        for batch in loader:
            batch = [tensor.to(device, non_blocking=True) for tensor in batch]
            inputs, targets = batch[: len(INPUT_SHAPES)], batch[len(INPUT_SHAPES):]
            outputs = net(*inputs)
            outputs = outputs if isinstance(outputs, tuple) else (outputs,)
            loss = loss_function(outputs, targets)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            n = targets[0].shape[0]
            totals[0] += loss.item() * n
            totals[2] += n
            if CLASSIFIER:
                totals[1] += (outputs[0].argmax(dim=1) == targets[0]).sum().item()
        if world_size > 1:
            dist.all_reduce(totals)
        if rank == 0:
            loss_sum, correct, seen = totals.tolist()
            seen = max(seen, 1)
            accuracy = f", accuracy {correct / seen:.4f}" if CLASSIFIER else ""
            speed = seen / max(time.time() - started, 1e-9)
            print(f"epoch {epoch + 1}/{args.epochs}: loss {loss_sum / seen:.4f}{accuracy} ({speed:.0f} samples/s)", flush=True)
            save_checkpoint(checkpoint_path, model, optimizer, epoch + 1)
    if world_size > 1:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
}

function readme(design: Design, plan: TorchPlan, withWeights: boolean): string {
  const title = `${pyComment(design.name || 'Untitled')}: PyTorch export from NetCanvas`;
  return `${title}
${'='.repeat(Math.min(title.length, 100))}

Files
  model.py      class ${plan.className}(nn.Module): the network, channels-first ([N, C, H, W]).
  train.py      training script: single process, or data parallel (DDP) under torchrun.
${withWeights ? '  weights.npz   the trained weights in PyTorch layout, keyed like model.state_dict().\n' : ''}  README.txt    this file.

Requirements
  Python 3.8+, PyTorch (https://pytorch.org), NumPy${withWeights ? '' : ' (only to load weights)'};
  torchvision for the --mnist and --data datasets.

Use the model
  from model import ${plan.className}
  model = ${plan.className}(${withWeights ? 'weights="weights.npz"' : ''}).eval()
  python model.py       prints the model, its parameter count and output shapes

  Inputs: ${plan.inputs.map((p) => `${p.name} ${torchShape(p.shape)}`).join(', ')} (plus the batch dimension first)
  Outputs: ${plan.outputs.map((p) => `${p.name} ${torchShape(p.shape)}`).join(', ')}

Train
  python train.py --mnist                          MNIST (downloaded to ./data)
  python train.py --data path/to/images            an image folder: one sub-folder per class
  python train.py --synthetic 512 --epochs 1       random data, to check that everything runs
  torchrun --nproc_per_node=2 train.py --mnist     2 processes (gloo on CPU, nccl on GPUs)
  torchrun --nnodes=2 --node_rank=0 --master_addr=HOST --nproc_per_node=8 train.py --data DIR
                                                   several machines: run on each, node_rank 0, 1, …
  (torch 1.13 under Python 3.11, e.g. Debian's, has a torchrun bug: if it stops with "'NoneType' object
  has no attribute 'get'", add --redirects 2 --tee 2 after --nproc_per_node.)
  Checkpoints go to checkpoints/checkpoint.pt every epoch; --resume checkpoints/checkpoint.pt continues.
  python train.py --help lists every option (optimiser, learning rate, batch size, epochs, seed…).
${withWeights ? '  Training starts from weights.npz (--weights to choose another file).\n' : ''}
Layout notes
  NetCanvas (TensorFlow.js) is channels-last; this code is channels-first. Weights are converted
  (conv kernels HWIO -> OIHW, dense kernels transposed, BatchNorm statistics as running_mean/var), and a
  Flatten that feeds Dense layers uses PyTorch's flatten order with the Dense weights permuted to match.
  TensorFlow's 'same' padding can be uneven; where PyTorch cannot express it the code pads explicitly.
`;
}

/** The PyTorch state_dict of `weights`: each declared weight converted to its PyTorch layout. */
export function torchStateDict(plan: TorchPlan, weights: DesignWeights): { ok: true; arrays: Map<string, NdArray> } | { ok: false; issues: Issue[] } {
  const arrays = new Map<string, NdArray>();
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
      let array: NdArray = { shape: tensor.shape, data: tensor.data };
      if (target.view) array = reshape(array, target.view);
      if (target.perm) array = transpose(array, target.perm);
      if (target.reshape) array = reshape(array, target.reshape);
      arrays.set(stateKey(p, target), array);
    }
  }
  if (problems.length > 0) {
    const detail = problems.length > 3 ? `${problems.slice(0, 3).join('; ')} (and ${problems.length - 3} more)` : problems.join('; ');
    return { ok: false, issues: [{ severity: 'error', code: 'export-weights-mismatch', values: { detail } }] };
  }
  return { ok: true, arrays };
}

/**
 * The PyTorch export of a design: model.py, train.py, README.txt and, when `options.weights` is given,
 * weights.npz. An invalid design (or weights that do not fit it) gives its issues instead.
 */
export function exportPytorch(design: Design, options: ExportOptions = {}): ExportResult {
  const planned = planPytorch(design, options.inference);
  if (!planned.ok) return planned;
  const { plan } = planned;
  const files: ExportFile[] = [];
  const withWeights = options.weights !== undefined;
  if (options.weights) {
    const state = torchStateDict(plan, options.weights);
    if (!state.ok) return state;
    files.push({ path: 'weights.npz', content: npz(state.arrays) });
  }
  files.unshift(
    { path: 'model.py', content: modelSource(design, plan, withWeights) },
    { path: 'train.py', content: trainSource(design, plan, options, withWeights) },
    { path: 'README.txt', content: readme(design, plan, withWeights) },
  );
  return { ok: true, files };
}
