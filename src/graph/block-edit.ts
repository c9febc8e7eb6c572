/**
 * Block edits as pure functions over the document, like edit.ts: group a selection into a block, ungroup
 * (one level, inner names kept where free), expand in place (unfold fully, path names), repeat ×N, make a
 * copy unique, and edit a definition (every instance follows). Each returns a new design or the reason it
 * cannot; the store wraps each in one undo step.
 */
import { checkBlocks } from './blocks.ts';
import { displayName } from './infer.ts';
import { downstream, NODE_BOX, ROW_GAP } from './edit.ts';
import { FRAME_HEAD, FRAME_PAD } from './layout-box.ts';
import { layerSpec } from './layers/index.ts';
import type { Issue } from './messages.ts';
import type { BlockDefinition, BlockInstance, Design, DesignEdge, DesignNode, ParamValue } from './types.ts';

export type BlockEditResult = { readonly ok: true; readonly design: Design; readonly id: string } | { readonly ok: false; readonly reason: Issue };

const refuse = (code: Issue['code'], values: Record<string, string | number> = {}): BlockEditResult => ({
  ok: false,
  reason: { severity: 'error', code, values },
});

function freshName(taken: ReadonlySet<string>, base: string, first = base): string {
  if (!taken.has(first)) return first;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

const topIds = (design: Design) => new Set([...design.nodes.map((n) => n.id), ...(design.instances ?? []).map((i) => i.id)]);
const endKey = (id: string, port: string | undefined) => `${id}\u0000${port ?? ''}`;

/**
 * Moves the selected top-level layers and instances into a new block definition and puts one instance of
 * it in their place. Each distinct outside source read by the selection becomes an input port (`in`,
 * `in_2`, …), each inner layer read from outside an output port (`out`, `out_2`, …); a selection nothing
 * reads from exposes its last layer. Refused when an unselected layer lies on a path between two
 * selected ones (the block would feed itself).
 */
export function groupIntoBlock(design: Design, ids: Iterable<string>, name = 'Block'): BlockEditResult {
  const picked = new Set(ids);
  const nodes = design.nodes.filter((n) => picked.has(n.id));
  const insts = (design.instances ?? []).filter((i) => picked.has(i.id));
  if (nodes.length + insts.length === 0) return refuse('group-empty');
  const inside = new Set([...nodes.map((n) => n.id), ...insts.map((i) => i.id)]);

  const between = outsideBetween(design, inside);
  if (between) return refuse('group-not-convex', { node: between });

  const inPorts = new Map<string, string>();
  const outPorts = new Map<string, string>();
  const portTaken = new Set(inside);
  const innerEdges: DesignEdge[] = [];
  const outerEdges: DesignEdge[] = [];
  const blockNames = new Set((design.blocks ?? []).map((b) => b.id));
  const defId = freshName(blockNames, name);
  const instId = freshName(new Set([...topIds(design)].filter((id) => !inside.has(id))), defId.toLowerCase());
  for (const e of design.edges) {
    const s = inside.has(e.source);
    const t = inside.has(e.target);
    if (s && t) innerEdges.push(e);
    else if (t) {
      const key = endKey(e.source, e.sourcePort);
      let port = inPorts.get(key);
      if (!port) {
        port = freshName(portTaken, 'in');
        portTaken.add(port);
        inPorts.set(key, port);
      }
      innerEdges.push(strip({ ...e, source: port }, 'sourcePort'));
    } else if (s) {
      const key = endKey(e.source, e.sourcePort);
      let port = outPorts.get(key);
      if (!port) {
        port = freshName(portTaken, 'out');
        portTaken.add(port);
        outPorts.set(key, port);
      }
      outerEdges.push({ ...e, source: instId, sourcePort: port });
    } else outerEdges.push(e);
  }
  const outputs: BlockDefinition['outputs'][number][] = [...outPorts].map(([key, port]) => {
    const [source, sp] = key.split('\u0000');
    return { name: port, source, ...(sp ? { sourcePort: sp } : {}) };
  });
  if (outputs.length === 0) {
    // Nothing outside reads the selection (it holds the network's ends): its sinks become the outputs.
    const feeding = new Set(design.edges.map((e) => e.source));
    for (const el of [...nodes, ...insts].filter((x) => !feeding.has(x.id))) {
      const port = freshName(portTaken, 'out');
      portTaken.add(port);
      outputs.push({ name: port, source: el.id });
    }
    if (outputs.length === 0) return refuse('group-no-output');
  }
  // Edges into the new instance: one per input port (from its outside source).
  const single = (list: Map<string, string>) => list.size === 1;
  for (const [key, port] of inPorts) {
    const [source, sp] = key.split('\u0000');
    outerEdges.push({
      id: freshName(new Set(outerEdges.map((e) => e.id)), `${source}->${instId}${single(inPorts) ? '' : `:${port}`}`),
      source,
      target: instId,
      ...(sp ? { sourcePort: sp } : {}),
      ...(single(inPorts) ? {} : { targetPort: port }),
    });
  }
  // A port named by a single-port block's edges is implied (its first port); keep files small and plain.
  const finalEdges = outputs.length === 1 ? outerEdges.map((e) => (e.source === instId ? strip(e, 'sourcePort') : e)) : outerEdges;
  const origin = topLeft([...nodes, ...insts]);
  const rel = <T extends { position: { x: number; y: number } }>(x: T): T => ({ ...x, position: { x: x.position.x - origin.x, y: x.position.y - origin.y } });
  const def: BlockDefinition = {
    id: defId,
    inputs: [...inPorts.values()],
    outputs,
    nodes: nodes.map(rel),
    ...(insts.length > 0 ? { instances: insts.map(rel) } : {}),
    edges: innerEdges,
  };
  const instance: BlockInstance = { id: instId, block: defId, position: origin };
  // The block stands where its top layer stood; what lay below the group moves up by the height the group
  // took, so no gap is left (expanding moves it down again by as much).
  const bottom = Math.max(...[...nodes, ...insts].map((x) => x.position.y));
  const next: Design = shiftBelow(
    {
      ...design,
      nodes: design.nodes.filter((n) => !inside.has(n.id)),
      edges: finalEdges,
      blocks: [...(design.blocks ?? []), def],
      instances: (design.instances ?? []).filter((i) => !inside.has(i.id)),
    },
    bottom,
    origin.y - bottom,
  );
  return { ok: true, design: { ...next, instances: [...(next.instances ?? []), instance] }, id: instId };
}

/** The design with every layer and instance placed lower than `y` moved down by `dy` (up when negative). */
/** Space between two columns of boxes when an expansion pushes a column aside. */
const COLUMN_GAP = 40;

/**
 * Moves what lies below `y` down by `dy`; with `column`, only what is in that column (columns to its
 * left keep their place: an expansion reaches right and down only).
 */
function shiftBelow(design: Design, y: number, dy: number, column?: number): Design {
  if (dy === 0) return design;
  const inColumn = (x: number) => column === undefined || Math.abs(x - column) < NODE_BOX.width / 2;
  const move = <T extends { position: { x: number; y: number } }>(x: T): T =>
    x.position.y > y && inColumn(x.position.x) ? { ...x, position: { x: x.position.x, y: x.position.y + dy } } : x;
  return { ...design, nodes: design.nodes.map(move), ...(design.instances ? { instances: design.instances.map(move) } : {}) };
}

/** Moves the columns right of `column` right, all by one amount, so that the nearest starts at `reach` or beyond. */
function shiftRightOf(design: Design, column: number, reach: number): Design {
  const isRight = (x: number) => x >= column + NODE_BOX.width / 2;
  const elements = [...design.nodes, ...(design.instances ?? [])].filter((e) => isRight(e.position.x));
  const dx = elements.length === 0 ? 0 : reach - Math.min(...elements.map((e) => e.position.x));
  if (dx <= 0) return design;
  const move = <T extends { position: { x: number; y: number } }>(x: T): T => (isRight(x.position.x) ? { ...x, position: { x: x.position.x + dx, y: x.position.y } } : x);
  return { ...design, nodes: design.nodes.map(move), ...(design.instances ? { instances: design.instances.map(move) } : {}) };
}

function strip<T extends object, K extends keyof T>(x: T, key: K): Omit<T, K> {
  const { [key]: _gone, ...rest } = x;
  return rest;
}

function topLeft(items: readonly { position: { x: number; y: number } }[]): { x: number; y: number } {
  return { x: Math.min(...items.map((i) => i.position.x)), y: Math.min(...items.map((i) => i.position.y)) };
}

/** An unselected element on a path from the selection back into it, or null (the selection is convex). */
function outsideBetween(design: Design, inside: ReadonlySet<string>): string | null {
  const out = new Map<string, string[]>();
  for (const e of design.edges) {
    const list = out.get(e.source);
    if (list) list.push(e.target);
    else out.set(e.source, [e.target]);
  }
  // Outside elements reachable from the selection; if one of them reaches back in, it is between.
  const reach = new Set<string>();
  const stack = [...inside].flatMap((id) => (out.get(id) ?? []).filter((t) => !inside.has(t)));
  for (const id of stack) reach.add(id);
  while (stack.length > 0) {
    for (const t of out.get(stack.pop()!) ?? []) {
      if (inside.has(t) || reach.has(t)) continue;
      reach.add(t);
      stack.push(t);
    }
  }
  for (const id of reach) if ((out.get(id) ?? []).some((t) => inside.has(t))) return nameOf(design, id);
  return null;
}

function nameOf(design: Design, id: string): string {
  const n = design.nodes.find((x) => x.id === id);
  return n ? displayName(n) : id;
}

/**
 * Replaces an instance by its definition's contents, one level: layers and nested instances come back
 * on the top level with their own names where free (`conv1`), else prefixed (`block_1.conv1`); a repeat
 * comes back as its copies (`layer1.0.conv1` …). Arguments are applied, so nothing refers to them any more.
 * The definition stays in the library.
 */
export function ungroupBlock(design: Design, instanceId: string): BlockEditResult {
  return inline(design, instanceId, false);
}

/** Unfolds an instance completely in place (nested blocks too), with path names (`layer1.0.conv1`). */
export function expandInPlace(design: Design, instanceId: string): BlockEditResult {
  const first = inline(design, instanceId, true);
  if (!first.ok) return first;
  let next = first.design;
  const before = new Set((design.instances ?? []).map((i) => i.id));
  for (let guard = 0; guard < 100_000; guard++) {
    const nested = (next.instances ?? []).find((i) => !before.has(i.id));
    if (!nested) break;
    const step = inline(next, nested.id, true);
    if (!step.ok) return step;
    next = step.design;
  }
  return { ok: true, design: next, id: first.id };
}

type Ref = { readonly id: string; readonly port?: string };
const IN = '\u0000in:';

function inline(design: Design, instanceId: string, pathNames: boolean): BlockEditResult {
  const inst = (design.instances ?? []).find((i) => i.id === instanceId);
  const def = inst && (design.blocks ?? []).find((b) => b.id === inst.block);
  if (!inst || !def) return refuse('connect-missing', { node: instanceId });
  const taken = new Set([...topIds(design)].filter((id) => id !== instanceId));
  // Unfolded in place, the layers are drawn in a frame (block-frames.ts), each copy of a repeat in one of
  // its own: room for the titles above, the padding below and between copies, so no frame lands on a box.
  const copies = inst.repeat !== undefined;
  const room: FrameRoom = pathNames
    ? { top: (FRAME_HEAD + FRAME_PAD) * (copies ? 2 : 1), between: copies ? FRAME_HEAD + 2 * FRAME_PAD : 0, bottom: FRAME_PAD * (copies ? 2 : 1) }
    : NO_ROOM;
  const unfolded = oneLevel(inst, def, room);
  const rename = new Map<string, string>();
  for (const el of [...unfolded.nodes, ...unfolded.instances]) {
    const plain = el.id.slice(`${inst.id}.`.length);
    const id = !pathNames && inst.repeat === undefined && !taken.has(plain) ? plain : el.id;
    if (taken.has(id)) return refuse('block-flat-clash', { id });
    taken.add(id);
    rename.set(el.id, id);
  }
  // What feeds each input port from outside; inner edges read it through a placeholder source.
  const feeds = new Map<string, Ref | null>();
  for (const p of def.inputs) feeds.set(`${IN}${p}`, null);
  for (const e of design.edges) {
    if (e.target === inst.id) feeds.set(`${IN}${e.targetPort ?? def.inputs[0]}`, { id: e.source, ...(e.sourcePort !== undefined ? { port: e.sourcePort } : {}) });
  }
  const place = (ref: Ref | null): Ref | null => (ref === null ? null : feeds.has(ref.id) ? feeds.get(ref.id)! : { ...ref, id: rename.get(ref.id) ?? ref.id });
  const edges: DesignEdge[] = [];
  const ids = new Set(design.edges.map((e) => e.id));
  const add = (e: DesignEdge, source: Ref | null) => {
    if (!source) return;
    const { sourcePort: _s, ...rest } = e;
    let id = e.id;
    for (let i = 1; ids.has(id); i++) id = `${e.id}~${i}`;
    ids.add(id);
    edges.push({ ...rest, id, source: source.id, ...(source.port !== undefined ? { sourcePort: source.port } : {}) });
  };
  for (const e of design.edges) {
    if (e.target === inst.id) continue;
    if (e.source !== inst.id) {
      edges.push(e);
      continue;
    }
    const at = e.sourcePort === undefined ? 0 : def.outputs.findIndex((o) => o.name === e.sourcePort);
    add(e, place(unfolded.outputs[at] ?? null));
  }
  for (const e of unfolded.edges) add({ ...e, target: rename.get(e.target) ?? e.target }, place({ id: e.source, ...(e.sourcePort !== undefined ? { port: e.sourcePort } : {}) }));
  const nodes = unfolded.nodes.map((n) => ({ ...n, id: rename.get(n.id)! }));
  // What lay below the block moves down by the height its layers take, so they do not land on it; columns
  // to its right (a template's stages beside its stem) move right as far as its layers now reach.
  const inner = [...unfolded.nodes, ...unfolded.instances];
  const bottom = Math.max(inst.position.y, ...inner.map((x) => x.position.y));
  const reach = Math.max(inst.position.x, ...inner.map((x) => x.position.x)) + NODE_BOX.width + COLUMN_GAP;
  const without = { ...design, instances: (design.instances ?? []).filter((i) => i.id !== inst.id) };
  const { instances: _i, ...rest } = shiftRightOf(shiftBelow(without, inst.position.y, bottom - inst.position.y + room.bottom, inst.position.x), inst.position.x, reach);
  const instances = (_i ?? []).concat(unfolded.instances.map((i) => ({ ...i, id: rename.get(i.id)! })));
  return {
    ok: true,
    design: { ...rest, nodes: [...rest.nodes, ...nodes], edges, ...(instances.length > 0 ? { instances } : {}) },
    id: nodes[0]?.id ?? instances.at(-1)?.id ?? inst.id,
  };
}

/** How far apart copies of a definition stack: the height of its body plus a row's gap. */
function copyHeight(def: BlockDefinition): number {
  const ys = [...def.nodes, ...(def.instances ?? [])].map((x) => x.position.y);
  return ys.length === 0 ? ROW_GAP : Math.max(...ys) - Math.min(...ys) + ROW_GAP;
}

interface OneLevel {
  readonly nodes: DesignNode[];
  readonly instances: BlockInstance[];
  /** Inner edges; a source `\0in:<port>` reads the instance's input port. */
  readonly edges: DesignEdge[];
  outputs: (Ref | null)[];
}

/** The copies of one instance's definition with arguments applied, nested instances kept (ids prefixed). */
/** Extra space an unfolding leaves for frames: above the first row, between copies, below the last row. */
interface FrameRoom {
  readonly top: number;
  readonly between: number;
  readonly bottom: number;
}
const NO_ROOM: FrameRoom = { top: 0, between: 0, bottom: 0 };

function oneLevel(inst: BlockInstance, def: BlockDefinition, room: FrameRoom = NO_ROOM): OneLevel {
  const out: OneLevel = { nodes: [], instances: [], edges: [], outputs: [] };
  for (let k = 0; k < (inst.repeat ?? 1); k++) {
    const args: Record<string, ParamValue> = {};
    for (const a of def.args ?? []) args[a.name] = a.default;
    Object.assign(args, inst.args ?? {}, inst.overrides?.[String(k)] ?? {});
    const prefix = inst.repeat === undefined ? `${inst.id}.` : `${inst.id}.${k}.`;
    // Copies stack down the column, each below the last one's lowest box, so none lands on another.
    const shift = { x: inst.position.x, y: inst.position.y + room.top + k * (copyHeight(def) + room.between) };
    const kept = new Set<string>();
    for (const n of def.nodes) {
      if (n.when !== undefined && args[n.when] === false) continue;
      kept.add(n.id);
      const params = { ...n.params };
      for (const [p, a] of Object.entries(n.bind ?? {})) if (Object.hasOwn(args, a)) params[p] = args[a];
      const { bind: _b, when: _w, ...rest } = n;
      out.nodes.push({ ...rest, id: `${prefix}${n.id}`, params, position: { x: shift.x + n.position.x, y: shift.y + n.position.y } });
    }
    for (const c of def.instances ?? []) {
      const bound: Record<string, ParamValue> = { ...(c.args ?? {}) };
      for (const [a, parent] of Object.entries(c.bind ?? {})) if (Object.hasOwn(args, parent)) bound[a] = args[parent];
      const { bind: _b, args: _a, ...rest } = c;
      kept.add(c.id);
      out.instances.push({ ...rest, id: `${prefix}${c.id}`, ...(Object.keys(bound).length > 0 ? { args: bound } : {}), position: { x: shift.x + c.position.x, y: shift.y + c.position.y } });
    }
    // A bypassed layer hands on its first input, as flattening does (blocks.ts): a skipped Add reads the
    // branch, not the shortcut (MobileNetV2's first block used to unfold with its layers cut off).
    const into = new Map<string, DesignEdge>();
    for (const e of def.edges) if (!into.has(e.target)) into.set(e.target, e);
    const previous = out.outputs;
    const resolve = (id: string, port: string | undefined, seen = new Set<string>()): Ref | null => {
      if (def.inputs.includes(id)) return k === 0 ? { id: `${IN}${id}` } : (previous[0] ?? null);
      if (kept.has(id)) return { id: `${prefix}${id}`, ...(port !== undefined ? { port } : {}) };
      // A bypassed layer hands its single input on.
      const feed = into.get(id);
      if (!feed || seen.has(id)) return null;
      seen.add(id);
      return resolve(feed.source, feed.sourcePort, seen);
    };
    def.edges.forEach((e, i) => {
      if (!kept.has(e.target)) return;
      const src = resolve(e.source, e.sourcePort);
      if (!src) return;
      const { sourcePort: _s, ...rest } = e;
      out.edges.push({ ...rest, id: `${prefix}${e.id || `e${i}`}`, source: src.id, ...(src.port !== undefined ? { sourcePort: src.port } : {}), target: `${prefix}${e.target}` });
    });
    out.outputs = def.outputs.map((o) => resolve(o.source, o.sourcePort));
  }
  return out;
}

/** Sets how many copies an instance stacks (1 … 1000); `null` makes it a single, unnumbered copy again. */
export function setRepeat(design: Design, instanceId: string, repeat: number | null): BlockEditResult {
  const inst = (design.instances ?? []).find((i) => i.id === instanceId);
  if (!inst) return refuse('connect-missing', { node: instanceId });
  const { repeat: _r, overrides, ...rest } = inst;
  const n = repeat === null ? null : Math.max(1, Math.min(1000, Math.round(repeat)));
  const keptOverrides = overrides ? Object.fromEntries(Object.entries(overrides).filter(([k]) => n !== null && Number(k) < n)) : undefined;
  const next: BlockInstance = {
    ...rest,
    ...(n !== null ? { repeat: n } : {}),
    ...(keptOverrides && Object.keys(keptOverrides).length > 0 ? { overrides: keptOverrides } : {}),
  };
  return checked({ ...design, instances: design.instances!.map((i) => (i.id === instanceId ? next : i)) }, instanceId);
}

/** Sets one argument on an instance (all copies), or on one copy when `copy` is given. */
export function setBlockArg(design: Design, instanceId: string, arg: string, value: ParamValue, copy?: number): BlockEditResult {
  const inst = (design.instances ?? []).find((i) => i.id === instanceId);
  if (!inst) return refuse('connect-missing', { node: instanceId });
  const next: BlockInstance =
    copy === undefined
      ? { ...inst, args: { ...inst.args, [arg]: value } }
      : { ...inst, overrides: { ...inst.overrides, [String(copy)]: { ...inst.overrides?.[String(copy)], [arg]: value } } };
  return checked({ ...design, instances: design.instances!.map((i) => (i.id === instanceId ? next : i)) }, instanceId);
}

/** Gives an instance its own copy of its definition (`BasicBlock_2`), so editing it changes only it. */
export function makeUnique(design: Design, instanceId: string): BlockEditResult {
  const inst = (design.instances ?? []).find((i) => i.id === instanceId);
  const def = inst && (design.blocks ?? []).find((b) => b.id === inst.block);
  if (!inst || !def) return refuse('connect-missing', { node: instanceId });
  const id = freshName(new Set((design.blocks ?? []).map((b) => b.id)), def.id, `${def.id}_2`);
  return {
    ok: true,
    design: {
      ...design,
      blocks: [...design.blocks!, { ...def, id }],
      instances: design.instances!.map((i) => (i.id === instanceId ? { ...i, block: id } : i)),
    },
    id: instanceId,
  };
}

/**
 * Edits a definition's body with any edit of edit.ts (updateParams, connect, removeElements, …): the body
 * is handed over as a design of its own, and every instance of the definition follows.
 */
export function editDefinition(design: Design, blockId: string, edit: (body: Design) => Design): BlockEditResult {
  const def = (design.blocks ?? []).find((b) => b.id === blockId);
  if (!def) return refuse('block-unknown', { where: 'design', block: blockId });
  const body: Design = { ...design, nodes: def.nodes, edges: def.edges, instances: def.instances ?? [] };
  const after = edit(body);
  if (after === body) return { ok: true, design, id: blockId };
  const { instances: _old, ...rest } = def;
  const nextDef: BlockDefinition = { ...rest, nodes: after.nodes, edges: after.edges, ...(after.instances?.length ? { instances: after.instances } : {}) };
  return checked({ ...design, blocks: design.blocks!.map((b) => (b.id === blockId ? nextDef : b)) }, blockId);
}

function checked(design: Design, id: string): BlockEditResult {
  const issues = checkBlocks(design);
  return issues.length > 0 ? { ok: false, reason: issues[0] } : { ok: true, design, id };
}

/**
 * Connects two top-level elements where at least one is a block instance, through its ports (`sourcePort`
 * an output of the source block, `targetPort` an input of the target block; their first when absent).
 * Refused like `connect`: a cycle, an Input or an already fed block input or single-input layer.
 */
export function connectElements(design: Design, source: string, target: string, ports: { sourcePort?: string; targetPort?: string } = {}): BlockEditResult {
  const instances = new Map((design.instances ?? []).map((i) => [i.id, i] as const));
  const layers = new Map(design.nodes.map((n) => [n.id, n] as const));
  const src = layers.get(source) ?? instances.get(source);
  const dst = layers.get(target) ?? instances.get(target);
  if (!src || !dst) return refuse('connect-missing', { node: src ? target : source });
  const name = (x: DesignNode | BlockInstance) => ('kind' in x ? displayName(x) : x.label || x.id);
  const values = { source: name(src), node: name(dst) };
  if (source === target) return refuse('connect-self', values);
  if (downstream(design, target).has(source)) return refuse('connect-cycle', values);
  const defs = new Map((design.blocks ?? []).map((b) => [b.id, b] as const));
  const srcDef = 'block' in src ? defs.get(src.block) : undefined;
  const sourcePort = srcDef ? (ports.sourcePort ?? srcDef.outputs[0]?.name) : undefined;
  if (srcDef && !srcDef.outputs.some((o) => o.name === sourcePort)) return refuse('block-port-unknown', { where: 'design', node: source, side: 'output', port: String(sourcePort) });
  const edge: { -readonly [K in keyof DesignEdge]: DesignEdge[K] } = { id: '', source, target };
  if (srcDef && srcDef.outputs.length > 1) edge.sourcePort = sourcePort;
  const incoming = design.edges.filter((e) => e.target === target);
  if ('block' in dst) {
    const def = defs.get(dst.block);
    const port = ports.targetPort ?? def?.inputs[0];
    if (!def || port === undefined || !def.inputs.includes(port)) return refuse('block-port-unknown', { where: 'design', node: target, side: 'input', port: String(port) });
    const feeding = incoming.find((e) => (e.targetPort ?? def.inputs[0]) === port);
    if (feeding) return refuse('connect-occupied', { ...values, max: 1, current: feeding.source });
    if (def.inputs.length > 1) edge.targetPort = port;
  } else {
    const { max } = layerSpec(dst.kind).inputs;
    if (max === 0) return refuse('connect-into-input', values);
    if (incoming.length >= max) return refuse('connect-occupied', { ...values, max, current: incoming[0]?.source ?? '?' });
    if (max > 1) edge.targetSlot = incoming.reduce((m, e) => Math.max(m, (e.targetSlot ?? 0) + 1), 0);
  }
  const taken = new Set(design.edges.map((e) => e.id));
  edge.id = freshName(taken, `${source}->${target}${edge.targetPort ? `:${edge.targetPort}` : ''}`);
  return { ok: true, design: { ...design, edges: [...design.edges, edge] }, id: edge.id };
}
