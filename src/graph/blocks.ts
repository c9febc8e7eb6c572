/**
 * Blocks are structure over the flat layer graph, never new math: `flattenDesign` unfolds every block
 * instance into plain layers whose ids follow the block path (`layer1.0.conv1`, PyTorch's module names),
 * and inference, compile, training and export run on that flat design unchanged. `blockInference` then
 * sums the flat results back per instance (shapes in and out, params, MACs) for the canvas and the CLI.
 *
 * `checkBlocks` runs first and bounds the work: definitions that contain themselves, nesting deeper than
 * MAX_BLOCK_DEPTH and designs that unfold to more than MAX_FLAT_LAYERS layers are refused before a single
 * layer is copied (a hostile file of eight levels ×1000 would otherwise unfold to 10²⁴ layers).
 */
import type { DesignInference, NodeInference } from './infer.ts';
import type { Issue } from './messages.ts';
import { describeValue } from './params.ts';
import type { BlockDefinition, BlockInstance, Design, DesignEdge, DesignNode, ParamValue, Params, Shape } from './types.ts';

export const MAX_BLOCK_DEPTH = 8;
/** The same ceiling as a flat file's node count (file-format.ts MAX_NODES). */
export const MAX_FLAT_LAYERS = 20_000;
export const MAX_REPEAT = 1_000;

/** The elements of one level: the design's top level or a definition's body. */
interface Scope {
  readonly nodes: readonly DesignNode[];
  readonly instances?: readonly BlockInstance[];
  readonly edges: readonly DesignEdge[];
  readonly inputs?: readonly string[];
  readonly outputs?: BlockDefinition['outputs'];
  readonly args?: BlockDefinition['args'];
}

export function hasBlocks(design: Design): boolean {
  return (design.instances?.length ?? 0) > 0;
}

function definitions(design: Design): Map<string, BlockDefinition> {
  const defs = new Map<string, BlockDefinition>();
  for (const d of design.blocks ?? []) if (!defs.has(d.id)) defs.set(d.id, d);
  return defs;
}

/** How a message names a level: "design" or "block BasicBlock". */
const whereOf = (def: BlockDefinition | null) => (def ? `block ${def.id}` : 'design');
const copiesOf = (inst: BlockInstance) => inst.repeat ?? 1;

/**
 * Every rule a design's blocks must keep, as issues (empty when they keep them all). Per level: unique
 * names, real edge ends and ports, known arguments, repeats only of one-in one-out blocks; across levels:
 * no block inside itself, at most MAX_BLOCK_DEPTH levels, at most MAX_FLAT_LAYERS layers unfolded.
 */
export function checkBlocks(design: Design): Issue[] {
  const issues: Issue[] = [];
  const defs = definitions(design);
  const seenDefs = new Set<string>();
  for (const d of design.blocks ?? []) {
    if (seenDefs.has(d.id)) issues.push(err('block-duplicate-id', { where: 'design', id: d.id }));
    seenDefs.add(d.id);
  }
  checkScope(design, null, defs, issues);
  for (const d of defs.values()) checkScope(d, d, defs, issues);
  if (issues.length > 0) return issues;

  // Sizes and depths per definition, depth first; a definition met again on the current path contains itself.
  const size = new Map<string, number>();
  const depth = new Map<string, number>();
  const onPath: string[] = [];
  const visit = (def: BlockDefinition): boolean => {
    if (size.has(def.id)) return true;
    const at = onPath.indexOf(def.id);
    if (at >= 0) {
      issues.push(err('block-self', { block: def.id, path: [...onPath.slice(at), def.id].join(' → ') }));
      return false;
    }
    onPath.push(def.id);
    let n = def.nodes.length;
    let deepest = 0;
    for (const inst of def.instances ?? []) {
      const child = defs.get(inst.block)!;
      if (!visit(child)) return false;
      n += copiesOf(inst) * size.get(child.id)!;
      deepest = Math.max(deepest, depth.get(child.id)!);
    }
    onPath.pop();
    size.set(def.id, Math.min(n, Number.MAX_SAFE_INTEGER));
    depth.set(def.id, deepest + 1);
    return true;
  };
  for (const d of defs.values()) if (!visit(d)) return issues;
  for (const d of defs.values()) {
    if (depth.get(d.id)! > MAX_BLOCK_DEPTH) {
      issues.push(err('block-too-deep', { depth: depth.get(d.id)!, path: deepestPath(d, defs, depth), max: MAX_BLOCK_DEPTH }));
      return issues;
    }
  }
  let total = design.nodes.length;
  let biggest: BlockInstance | null = null;
  for (const inst of design.instances ?? []) {
    const part = copiesOf(inst) * size.get(inst.block)!;
    total += part;
    if (!biggest || part > copiesOf(biggest) * size.get(biggest.block)!) biggest = inst;
  }
  if (total > MAX_FLAT_LAYERS && biggest) {
    const part = copiesOf(biggest) * size.get(biggest.block)!;
    issues.push(err('block-too-large', { count: total, where: `${biggest.id} (${biggest.block} ×${copiesOf(biggest)})`, part, max: MAX_FLAT_LAYERS }));
  }
  return issues;
}

function deepestPath(def: BlockDefinition, defs: Map<string, BlockDefinition>, depth: Map<string, number>): string {
  const path = [def.id];
  for (let d: BlockDefinition | undefined = def; d && path.length <= MAX_BLOCK_DEPTH + 1; ) {
    const next: BlockInstance | undefined = (d.instances ?? []).reduce<BlockInstance | undefined>(
      (best, i) => (!best || depth.get(i.block)! > depth.get(best.block)! ? i : best),
      undefined,
    );
    if (!next) break;
    path.push(next.block);
    d = defs.get(next.block);
  }
  return path.join(' → ') + (path.length > MAX_BLOCK_DEPTH + 1 ? ' → …' : '');
}

function err(code: Issue['code'], values: Record<string, string | number>, nodeId?: string): Issue {
  return { severity: 'error', code, values, ...(nodeId !== undefined ? { nodeId } : {}) };
}

function checkScope(scope: Scope, def: BlockDefinition | null, defs: Map<string, BlockDefinition>, issues: Issue[]): void {
  const where = whereOf(def);
  const names = new Map<string, 'port' | 'layer' | 'instance'>();
  const claim = (id: string, what: 'port' | 'layer' | 'instance') => {
    if (names.has(id)) issues.push(err('block-duplicate-id', { where, id }));
    else names.set(id, what);
  };
  for (const p of scope.inputs ?? []) claim(p, 'port');
  for (const n of scope.nodes) claim(n.id, 'layer');
  for (const i of scope.instances ?? []) claim(i.id, 'instance');
  const argNames = new Set((scope.args ?? []).map((a) => a.name));
  const seenArgs = new Set<string>();
  for (const a of scope.args ?? []) {
    if (seenArgs.has(a.name)) issues.push(err('block-duplicate-id', { where, id: a.name }));
    seenArgs.add(a.name);
  }
  if (def && def.outputs.length === 0) issues.push(err('block-no-outputs', { block: def.id }));
  const outNames = new Set<string>();
  for (const o of def?.outputs ?? []) {
    if (outNames.has(o.name)) issues.push(err('block-duplicate-id', { where, id: o.name }));
    outNames.add(o.name);
  }

  const argRef = (arg: string, node: string) => {
    if (!def) return;
    if (!argNames.has(arg)) issues.push(err('block-arg-unknown', { where: node, block: def.id, arg }));
  };
  for (const n of scope.nodes) {
    for (const field of ['bind', 'when'] as const) {
      if (n[field] !== undefined && !def) issues.push(err('block-outside', { node: n.id, field }, n.id));
    }
    for (const arg of Object.values(n.bind ?? {})) argRef(arg, `${where}: ${n.id}`);
    if (n.when !== undefined) argRef(n.when, `${where}: ${n.id}`);
  }
  const instances = new Map((scope.instances ?? []).map((i) => [i.id, i] as const));
  for (const inst of scope.instances ?? []) {
    const name = def ? `${where}: ${inst.id}` : inst.id;
    if (inst.bind !== undefined && !def) issues.push(err('block-outside', { node: inst.id, field: 'bind' }, inst.id));
    const child = defs.get(inst.block);
    if (!child) {
      issues.push(err('block-unknown', { where: name, block: inst.block }, def ? undefined : inst.id));
      continue;
    }
    const childArgs = new Set((child.args ?? []).map((a) => a.name));
    const known = (arg: string) => {
      if (!childArgs.has(arg)) issues.push(err('block-arg-unknown', { where: name, block: child.id, arg }));
    };
    for (const arg of Object.keys(inst.args ?? {})) known(arg);
    for (const [arg, parent] of Object.entries(inst.bind ?? {})) {
      known(arg);
      argRef(parent, name);
    }
    if (inst.repeat !== undefined && (child.inputs.length !== 1 || child.outputs.length !== 1)) {
      issues.push(err('block-repeat-ports', { node: name, block: child.id, inputs: child.inputs.length, outputs: child.outputs.length }));
    }
    for (const [copy, values] of Object.entries(inst.overrides ?? {})) {
      const k = Number(copy);
      if (!Number.isInteger(k) || k < 0 || k >= copiesOf(inst) || String(k) !== copy) {
        issues.push(err('block-override-range', { node: name, copy, repeat: copiesOf(inst) }));
      }
      for (const arg of Object.keys(values)) known(arg);
    }
  }

  const portOf = (id: string, port: string | undefined, side: 'input' | 'output', edge: string) => {
    const inst = instances.get(id);
    const what = names.get(id);
    if (port === undefined) {
      if (side === 'input' && inst && defs.get(inst.block)?.inputs.length === 0) {
        issues.push(err('block-port-unknown', { where, node: id, side, port: '(none)' }));
      }
      return;
    }
    const child = inst ? defs.get(inst.block) : undefined;
    const ports = child ? (side === 'input' ? child.inputs : child.outputs.map((o) => o.name)) : [];
    if (!inst && what !== undefined) issues.push(err('block-port-unknown', { where, node: id, side, port }));
    else if (child && !ports.includes(port)) issues.push(err('block-port-unknown', { where: `${where}, ${edge}`, node: id, side, port }));
  };
  const fed = new Set<string>();
  scope.edges.forEach((e, i) => {
    const id = e.id || `e${i}`;
    const src = names.get(e.source);
    const dst = names.get(e.target);
    if (src === undefined) issues.push(err('block-missing-end', { where, edge: id, missing: e.source }));
    if (dst === undefined || dst === 'port') issues.push(err('block-missing-end', { where, edge: id, missing: e.target }));
    if (src === 'instance') portOf(e.source, e.sourcePort, 'output', id);
    else if (e.sourcePort !== undefined && src !== undefined) portOf(e.source, e.sourcePort, 'output', id);
    if (dst === 'instance') {
      portOf(e.target, e.targetPort, 'input', id);
      const child = defs.get(instances.get(e.target)!.block);
      const key = `${e.target}\u0000${e.targetPort ?? child?.inputs[0]}`;
      if (fed.has(key)) issues.push(err('block-port-twice', { where, node: e.target, port: e.targetPort ?? child?.inputs[0] ?? '' }));
      fed.add(key);
    } else if (e.targetPort !== undefined && dst !== undefined) portOf(e.target, e.targetPort, 'input', id);
  });
  for (const o of def?.outputs ?? []) {
    const src = names.get(o.source);
    if (src === undefined) issues.push(err('block-missing-end', { where, edge: `output ${o.name}`, missing: o.source }));
    else if (src === 'instance' || o.sourcePort !== undefined) portOf(o.source, o.sourcePort, 'output', `output ${o.name}`);
  }
}

/** Where each instance (and each copy of a repeated one) landed in the flat design. */
export interface FlatInstance {
  /** The path: `layer1` for the instance, `layer1.0` for its first copy. */
  readonly path: string;
  readonly block: string;
  /** Copies for the instance itself (its `repeat`, 1 when absent); null for one copy of a repeat. */
  readonly repeat: number | null;
  /** Nesting level: 0 for an instance on the top level. */
  readonly depth: number;
  /** The flat layers inside, nested instances' layers included, in the flat design's order. */
  readonly nodeIds: readonly string[];
  /** The flat layer feeding each input port (null where nothing is connected). */
  readonly inputs: readonly (string | null)[];
  /** The flat layer behind each output port (null where it resolves to nothing). */
  readonly outputs: readonly (string | null)[];
  /**
   * The argument values this copy was unfolded with (defaults, the instance's args, bindings, overrides);
   * null for the entry of a repeated instance as a whole, whose copies each carry their own.
   */
  readonly args: Readonly<Record<string, ParamValue>> | null;
}

export interface FlattenResult {
  readonly design: Design;
  /** Every instance and every copy of a repeat, parents before children. */
  readonly instances: readonly FlatInstance[];
  readonly issues: readonly Issue[];
}

const NO_BLOCKS: Pick<FlattenResult, 'instances' | 'issues'> = { instances: [], issues: [] };

/**
 * The design with every block instance unfolded into plain layers (`design` itself when it has none).
 * Layer ids follow the block path; a layer whose `when` argument is false is bypassed. A design whose
 * blocks break a rule (`checkBlocks`) comes back without its instances, with the issues.
 */
export function flattenBlocks(design: Design): FlattenResult {
  if (!hasBlocks(design) && !design.blocks?.length) return { design, ...NO_BLOCKS };
  const plain: Design = stripBlocks(design);
  if (!hasBlocks(design)) return { design: plain, ...NO_BLOCKS };
  const issues = checkBlocks(design);
  if (issues.length > 0) return { design: { ...plain, nodes: [...design.nodes], edges: design.edges.filter((e) => !isBlockEdge(design, e)) }, instances: [], issues };
  const ctx: FlattenCtx = { defs: definitions(design), nodes: [], edges: [], instances: [], issues: [] };
  flattenScope(ctx, design, null, '', {}, new Map(), { x: 0, y: 0 }, 0);
  const seen = new Set<string>();
  for (const n of ctx.nodes) {
    if (seen.has(n.id)) ctx.issues.push(err('block-flat-clash', { id: n.id }, n.id));
    seen.add(n.id);
  }
  return { design: { ...plain, nodes: ctx.nodes, edges: ctx.edges }, instances: ctx.instances, issues: ctx.issues };
}

/** The plain design downstream code works on (inference, compile, training, export). */
export function flattenDesign(design: Design): Design {
  return flattenBlocks(design).design;
}

function stripBlocks(design: Design): Design {
  const { blocks: _b, instances: _i, ...rest } = design;
  return rest;
}

function isBlockEdge(design: Design, e: DesignEdge): boolean {
  return (design.instances ?? []).some((i) => i.id === e.source || i.id === e.target);
}

interface FlattenCtx {
  readonly defs: Map<string, BlockDefinition>;
  readonly nodes: DesignNode[];
  readonly edges: DesignEdge[];
  readonly instances: FlatInstance[];
  readonly issues: Issue[];
}

type Args = Readonly<Record<string, ParamValue>>;

/**
 * Unfolds one level into `ctx`; returns the flat layer behind each of the scope's outputs. `ports` maps
 * the scope's input port names to the flat layers feeding them; `args` are the block's argument values.
 */
function flattenScope(
  ctx: FlattenCtx,
  scope: Scope,
  def: BlockDefinition | null,
  prefix: string,
  args: Args,
  ports: ReadonlyMap<string, string | null>,
  offset: { x: number; y: number },
  depth: number,
): (string | null)[] {
  const layers = new Map(scope.nodes.map((n) => [n.id, n] as const));
  const instances = new Map((scope.instances ?? []).map((i) => [i.id, i] as const));
  const into = new Map<string, DesignEdge[]>();
  for (const e of scope.edges) {
    const list = into.get(e.target);
    if (list) list.push(e);
    else into.set(e.target, [e]);
  }
  const enabled = (n: DesignNode): boolean => {
    if (n.when === undefined) return true;
    const v = args[n.when];
    if (typeof v === 'boolean') return v;
    ctx.issues.push(err('block-arg-not-bool', { node: `${prefix}${n.id}`, arg: n.when, got: describeValue(v) }));
    return true;
  };
  const expanded = new Map<string, (string | null)[]>();
  const expanding: string[] = [];

  const resolve = (id: string, port: string | undefined, seen: Set<string> = new Set()): string | null => {
    if (ports.has(id)) return ports.get(id)!;
    const layer = layers.get(id);
    if (layer) {
      if (enabled(layer)) return `${prefix}${id}`;
      // A bypassed layer hands on its single input; a loop of bypassed layers hands on nothing.
      if (seen.has(id)) return null;
      seen.add(id);
      const feed = into.get(id)?.[0];
      return feed ? resolve(feed.source, feed.sourcePort, seen) : null;
    }
    const inst = instances.get(id);
    if (!inst) return null;
    const outputs = expand(inst);
    const child = ctx.defs.get(inst.block)!;
    const at = port === undefined ? 0 : child.outputs.findIndex((o) => o.name === port);
    return outputs[at] ?? null;
  };

  const expand = (inst: BlockInstance): (string | null)[] => {
    const done = expanded.get(inst.id);
    if (done) return done;
    if (expanding.includes(inst.id)) {
      ctx.issues.push(err('block-cycle', { where: whereOf(def), path: [...expanding.slice(expanding.indexOf(inst.id)), inst.id].join(' → ') }));
      return [];
    }
    expanding.push(inst.id);
    const child = ctx.defs.get(inst.block)!;
    const feeds = child.inputs.map((p) => {
      const e = (into.get(inst.id) ?? []).find((x) => (x.targetPort ?? child.inputs[0]) === p);
      return e ? resolve(e.source, e.sourcePort) : null;
    });
    const base = `${prefix}${inst.id}`;
    const entry = ctx.instances.length;
    const nodeStart = ctx.nodes.length;
    const copies = copiesOf(inst);
    let inputs = feeds;
    let outputs: (string | null)[] = [];
    const copyEntries: number[] = [];
    let firstArgs: Args = {};
    for (let k = 0; k < copies; k++) {
      const copyArgs: Record<string, ParamValue> = {};
      for (const a of child.args ?? []) copyArgs[a.name] = a.default;
      Object.assign(copyArgs, inst.args ?? {});
      for (const [arg, parent] of Object.entries(inst.bind ?? {})) if (Object.hasOwn(args, parent)) copyArgs[arg] = args[parent];
      Object.assign(copyArgs, inst.overrides?.[String(k)] ?? {});
      if (k === 0) firstArgs = copyArgs;
      const path = inst.repeat === undefined ? base : `${base}.${k}`;
      const copyStart = ctx.nodes.length;
      const copyEntry = ctx.instances.length;
      if (inst.repeat !== undefined) ctx.instances.push(null as unknown as FlatInstance); // placeholder keeps parents first
      const at = { x: offset.x + inst.position.x + k * 40, y: offset.y + inst.position.y + k * 40 };
      const portMap = new Map(child.inputs.map((p, i) => [p, inputs[i] ?? null] as const));
      outputs = flattenScope(ctx, child, child, `${path}.`, copyArgs, portMap, at, depth + 1);
      if (inst.repeat !== undefined) {
        ctx.instances[copyEntry] = {
          path,
          block: child.id,
          repeat: null,
          depth: depth + 1,
          nodeIds: ctx.nodes.slice(copyStart).map((n) => n.id),
          inputs,
          outputs,
          args: copyArgs,
        };
        copyEntries.push(copyEntry);
      }
      inputs = outputs.slice(0, 1);
    }
    ctx.instances.splice(entry, 0, {
      path: base,
      block: child.id,
      repeat: copies,
      depth,
      nodeIds: ctx.nodes.slice(nodeStart).map((n) => n.id),
      inputs: feeds,
      outputs,
      args: inst.repeat === undefined ? firstArgs : null,
    });
    expanding.pop();
    expanded.set(inst.id, outputs);
    return outputs;
  };

  for (const el of scopeOrder(scope)) {
    if ('block' in el) {
      expand(el);
      continue;
    }
    const n = el;
    if (!enabled(n)) continue;
    let params: Params = n.params;
    if (n.bind) {
      const bound: Record<string, ParamValue> = { ...n.params };
      for (const [param, arg] of Object.entries(n.bind)) if (Object.hasOwn(args, arg)) bound[param] = args[arg];
      params = bound;
    }
    ctx.nodes.push({
      id: `${prefix}${n.id}`,
      kind: n.kind,
      params,
      position: def ? { x: offset.x + n.position.x, y: offset.y + n.position.y } : n.position,
      // Inside a block the path names the layer; a label would name every copy alike.
      ...(n.label !== undefined && !def ? { label: n.label } : {}),
      ...(n.notes !== undefined ? { notes: n.notes } : {}),
    });
  }
  scope.edges.forEach((e, i) => {
    const target = layers.get(e.target);
    if (!target || !enabled(target)) return;
    const source = resolve(e.source, e.sourcePort);
    if (source === null) return;
    const { sourcePort: _s, targetPort: _t, ...plain } = e;
    ctx.edges.push({ ...plain, id: `${prefix}${e.id || `e${i}`}`, source, target: `${prefix}${e.target}` });
  });
  return (scope.outputs ?? []).map((o) => resolve(o.source, o.sourcePort));
}

/**
 * The order a level unfolds in: producers before consumers (Kahn over layers and instances), depth
 * first, ties by vertical position then by document order, so the flat design reads like the canvas.
 */
function scopeOrder(scope: Scope): (DesignNode | BlockInstance)[] {
  const els: (DesignNode | BlockInstance)[] = [...scope.nodes, ...(scope.instances ?? [])];
  const index = new Map(els.map((e, i) => [e.id, i] as const));
  const indeg = els.map(() => 0);
  const out = els.map((): number[] => []);
  for (const e of scope.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined) continue;
    out[s].push(t);
    indeg[t]++;
  }
  const before = (a: number, b: number) => els[a].position.y - els[b].position.y || a - b;
  // Depth first: what an element just made ready comes next, so a branch stays contiguous (conv1 … bn2,
  // then the downsample branch, then the add), as torchvision's modules read.
  const ready = els.map((_, i) => i).filter((i) => indeg[i] === 0).sort(before);
  const order: number[] = [];
  const placed = new Set<number>();
  while (ready.length > 0) {
    const i = ready.shift()!;
    order.push(i);
    placed.add(i);
    const next = out[i].filter((t) => --indeg[t] === 0).sort(before);
    ready.unshift(...next);
  }
  // Elements on a cycle keep document order at the end; inference reports the cycle on the flat design.
  for (let i = 0; i < els.length; i++) if (!placed.has(i)) order.push(i);
  return order.map((i) => els[i]);
}

/** What the canvas and the CLI show for an instance (or one copy): its shapes and the sums of its layers. */
export interface BlockSummary {
  readonly path: string;
  readonly block: string;
  readonly repeat: number | null;
  readonly depth: number;
  readonly layers: number;
  readonly inputShapes: readonly (Shape | null)[];
  readonly outputShapes: readonly (Shape | null)[];
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  readonly totalParams: number;
  /** Null when a layer inside has an unknown MAC count. */
  readonly macs: number | null;
  readonly errors: number;
}

/** Per-instance subtotals, from the inference of the flat design (blocks add no math of their own). */
export function blockInference(flat: FlattenResult, inference: DesignInference): BlockSummary[] {
  const shape = (id: string | null): Shape | null => (id === null ? null : (inference.nodes.get(id)?.outputShape ?? null));
  return flat.instances.map((inst) => {
    let trainable = 0;
    let nonTrainable = 0;
    let macs: number | null = 0;
    let errors = 0;
    for (const id of inst.nodeIds) {
      const n: NodeInference | undefined = inference.nodes.get(id);
      if (!n) continue;
      trainable += n.trainableParams;
      nonTrainable += n.nonTrainableParams;
      macs = macs === null || n.macs === null ? null : macs + n.macs;
      errors += n.issues.filter((i) => i.severity === 'error').length;
    }
    return {
      path: inst.path,
      block: inst.block,
      repeat: inst.repeat,
      depth: inst.depth,
      layers: inst.nodeIds.length,
      inputShapes: inst.inputs.map(shape),
      outputShapes: inst.outputs.map(shape),
      trainableParams: trainable,
      nonTrainableParams: nonTrainable,
      totalParams: trainable + nonTrainable,
      macs,
      errors,
    };
  });
}
