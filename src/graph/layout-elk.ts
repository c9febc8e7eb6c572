/**
 * Tidy up by ELK's layered algorithm (elkjs), top to bottom. Why ELK and not dagre (layout.ts, still used
 * where a layout must be synchronous: imports, auto-blocks):
 * - every box is laid out at the size the canvas draws it (`boxes`: React Flow's measured size, or the
 *   estimate of layout-box.ts), so a layer whose error message makes it taller never overlaps the next row;
 * - a collapsed block instance is one node with a port per input and output, where the canvas draws its
 *   handles, so the wires into a block with two inputs arrive in port order;
 * - a long edge (a skip connection) becomes a chain of dummy nodes that Brandes–Köpf places in a lane of
 *   its own, so the residual branch is pushed beside the line from the skip's source to its merge, and the
 *   straight wire no longer runs through the layers in between.
 *
 * - an unfolded block (block-frames.ts) is laid out as a compound node: its layers on their own, with
 *   room for the frame the canvas draws around them, then as one box with ports in the level around it;
 *   nested blocks nest (`layoutFramed`).
 *
 * elkjs (about 1.5 MB of JavaScript) is imported lazily: it never weighs on the first page.
 */
import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api';
import type { Point } from './edit.ts';
import { layoutDesign as dagreLayout } from './layout.ts';
import { blockFrames, type BlockFrame } from './block-frames.ts';
import { DEFAULT_BOX, FRAME_HEAD, FRAME_PAD, wireCrossings, type Box, type Rect, type Wire } from './layout-box.ts';
import type { Design, DesignEdge } from './types.ts';

type LayoutInput = Pick<Design, 'nodes' | 'edges' | 'instances' | 'blocks'>;

/** Gaps between boxes, in canvas pixels: the same air dagre's layout gave (layout.ts). */
const NODE_GAP = 40;
const ROW_GAP = 56;
/** Room between a skip connection's lane and a box beside it. */
const EDGE_GAP = 30;

const OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.spacing.nodeNode': String(NODE_GAP),
  'elk.layered.spacing.nodeNodeBetweenLayers': String(ROW_GAP),
  'elk.spacing.edgeNode': String(EDGE_GAP),
  'elk.spacing.edgeEdge': '20',
  'elk.layered.spacing.edgeNodeBetweenLayers': '20',
  // Brandes–Köpf straightens long edges first (their dummies win alignment conflicts), which is what puts
  // a skip connection in its own lane; balanced keeps the main column in the middle.
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  // Of BK's four candidate placements the narrowest: measured on the templates, the balanced one lets
  // a skip's target drift off its lane (ResNet-50: 52 wires through boxes, none with this).
  'elk.layered.nodePlacement.bk.fixedAlignment': 'NONE',
  // The design's order (merge inputs by slot, layers as written) breaks ties, so a tidied design reads as drawn.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.padding': '[top=0,left=0,bottom=0,right=0]',
};

/** Ports stay where the canvas draws the handles (a node option: the root's would not reach its children). */
const NODE = { 'elk.portConstraints': 'FIXED_POS' };
const SKIP_EDGE = { 'elk.layered.priority.straightness': '10' };
/**
 * An input of a merge (Concatenate, Add) is kept one row long by the layering, so parallel branches end
 * on the row above their merge, and a short branch (GoogLeNet's pool branch: 2 layers beside 6) takes
 * its slack inside its own column, where the wire runs straight down, instead of on the fan-out: there
 * it starts a row lower and the wire into it ran diagonally through its neighbours' boxes (18 such
 * wires on a flat GoogLeNet, none with this).
 */
const MERGE_INPUT = 'elk.layered.priority.shortness';
const MERGE_INPUT_PRIORITY = '10';

const IN = 'in';
const OUT = 'out';
const portId = (node: string, side: typeof IN | typeof OUT, port = '') => `${node}\u0000${side}\u0000${port}`;

/** Where the canvas draws a block's i-th of n handles along its width (BlockNode's `spread`). */
const spread = (i: number, n: number, width: number) => ((i + 1) / (n + 1)) * width;

function port(id: string, x: number, y: number): ElkPort {
  return { id, x, y, width: 0, height: 0, layoutOptions: { 'elk.port.side': y === 0 ? 'NORTH' : 'SOUTH' } };
}

/** One box of a level's graph: a layer, a collapsed block (a port per input and output), a frame or a frame's stub. */
interface Item {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** Named ports along the top and bottom edges; none: one port in the middle of each (a layer's handles). */
  readonly ins: readonly ItemPort[];
  readonly outs: readonly ItemPort[];
  /** A frame's stub stays in the first (or last) row, so the wire from it runs the frame's whole height. */
  readonly layer?: 'FIRST' | 'LAST';
}
/** `deep`: a frame's port whose wire runs on inside, past a row or more, to a layer further down (or up). */
type ItemPort = { readonly name: string; readonly x: number; readonly deep?: boolean };
type LevelEdge = Pick<DesignEdge, 'id' | 'source' | 'target' | 'sourcePort' | 'targetPort' | 'targetSlot'>;

/**
 * The ELK graph of the design's top level. Each layer gets one port in the middle of its top edge and one
 * in the middle of its bottom edge (its handles), each instance one per input and output; so the layout
 * routes to the points the canvas draws wires from.
 */
export function elkGraph(design: LayoutInput, boxes: ReadonlyMap<string, Box> = new Map()): ElkNode {
  return levelGraph(elementItems(design, design.nodes.map((n) => n.id), (design.instances ?? []).map((i) => i.id), boxes), design.edges);
}

/** The items for some of a design's layers and instances, at their drawn sizes. */
function elementItems(design: LayoutInput, layers: readonly string[], instances: readonly string[], boxes: ReadonlyMap<string, Box>): Item[] {
  const items: Item[] = layers.map((id) => ({ id, ...(boxes.get(id) ?? DEFAULT_BOX), ins: [], outs: [] }));
  for (const id of instances) {
    const { width, height } = boxes.get(id) ?? DEFAULT_BOX;
    const inst = design.instances?.find((i) => i.id === id);
    const def = inst && design.blocks?.find((b) => b.id === inst.block);
    const inputs = def?.inputs ?? [];
    const outputs = def?.outputs.map((o) => o.name) ?? [];
    items.push({
      id,
      width,
      height,
      ins: inputs.map((name, i) => ({ name, x: spread(i, inputs.length, width) })),
      outs: outputs.map((name, i) => ({ name, x: spread(i, outputs.length, width) })),
    });
  }
  return items;
}

function levelGraph(items: readonly Item[], levelEdges: readonly LevelEdge[]): ElkNode {
  const children: ElkNode[] = [];
  const ports = new Set<string>();
  const firstPort = new Map<string, { in: string; out: string }>();
  const deep = new Set<string>();
  for (const it of items) {
    for (const p of it.ins) if (p.deep) deep.add(portId(it.id, IN, p.name));
    for (const p of it.outs) if (p.deep) deep.add(portId(it.id, OUT, p.name));
    const { id, width, height } = it;
    const ps = [...it.ins.map((p) => port(portId(id, IN, p.name), p.x, 0)), ...it.outs.map((p) => port(portId(id, OUT, p.name), p.x, height))];
    // A layer (or a definition that went missing) gets a port each way, so its wires keep it in the column.
    if (it.ins.length === 0) ps.push(port(portId(id, IN), width / 2, 0));
    if (it.outs.length === 0) ps.push(port(portId(id, OUT), width / 2, height));
    for (const p of ps) ports.add(p.id);
    firstPort.set(id, { in: ps.find((p) => p.y === 0)!.id, out: ps.find((p) => p.y !== 0)!.id });
    children.push({ id, width, height, layoutOptions: it.layer ? { ...NODE, 'elk.layered.layering.layerConstraint': it.layer } : NODE, ports: ps });
  }
  const edges: ElkExtendedEdge[] = [];
  const rank = longestPathRanks([...firstPort.keys()], levelEdges);
  const sorted = [...levelEdges].sort((a, b) => (a.targetSlot ?? 0) - (b.targetSlot ?? 0));
  const inputs = new Map<string, number>();
  for (const e of levelEdges) inputs.set(e.target, (inputs.get(e.target) ?? 0) + 1);
  for (const e of sorted) {
    const s = firstPort.get(e.source);
    const t = firstPort.get(e.target);
    if (!s || !t || e.source === e.target) continue;
    const sp = e.sourcePort !== undefined && ports.has(portId(e.source, OUT, e.sourcePort)) ? portId(e.source, OUT, e.sourcePort) : s.out;
    const tp = e.targetPort !== undefined && ports.has(portId(e.target, IN, e.targetPort)) ? portId(e.target, IN, e.targetPort) : t.in;
    // A skip connection (it jumps over a row) is drawn straight first: its lane then runs beside the
    // branch it skips, and the branch moves aside instead of sitting on the wire.
    // A wire that runs on into a frame to a layer rows down is one too.
    const skip = (rank.get(e.target) ?? 0) - (rank.get(e.source) ?? 0) > 1 || deep.has(sp) || deep.has(tp);
    // A frame's stub wires are kept short like a merge's inputs: a short branch takes its slack inside.
    const short = (inputs.get(e.target) ?? 0) > 1 || e.source.startsWith(STUB_IN) || e.target.startsWith(STUB_OUT);
    const options = { ...(skip ? SKIP_EDGE : {}), ...(short ? { [MERGE_INPUT]: MERGE_INPUT_PRIORITY } : {}) };
    edges.push({ id: e.id, sources: [sp], targets: [tp], ...(Object.keys(options).length > 0 ? { layoutOptions: options } : {}) });
  }
  return { id: '\u0000root', layoutOptions: OPTIONS, children, edges };
}

/**
 * Of Brandes–Köpf's four placements (and the narrowest of them, ELK's pick), the first that runs no wire
 * through a box of this level: inside a frame, a stub's lane down to a merge (a DenseNet layer's
 * Concatenate, a ResNet block's Add) competes with the branch for the merge's column, and which one wins
 * depends on the placement. A level with no such wire costs one layout.
 */
async function layoutLevel(elk: ElkLike, items: readonly Item[], edges: readonly LevelEdge[], stubs: ReadonlySet<string>): Promise<ElkNode> {
  const graph = levelGraph(items, edges);
  const deep = new Set(items.flatMap((it) => [...it.ins.filter((p) => p.deep).map((p) => portId(it.id, IN, p.name)), ...it.outs.filter((p) => p.deep).map((p) => portId(it.id, OUT, p.name))]));
  let best: { laid: ElkNode; crossings: number } | null = null;
  for (const alignment of ['NONE', 'LEFTDOWN', 'RIGHTDOWN', 'LEFTUP', 'RIGHTUP']) {
    const laid = await elk.layout({ ...graph, layoutOptions: { ...graph.layoutOptions, 'elk.layered.nodePlacement.bk.fixedAlignment': alignment } });
    const crossings = levelCrossings(laid, stubs, deep);
    if (!best || crossings < best.crossings) best = { laid, crossings };
    if (crossings === 0) break;
  }
  return best!.laid;
}

/**
 * `layoutLevel` through a cache of levels already laid out, keyed by their shape: the names renamed in the
 * order they first appear, so every copy of a definition (ResNet-50's sixteen bottlenecks, DenseNet-121's
 * 58 dense layers) is laid out once. Sizes and ports are part of the key: a copy that differs is laid out
 * on its own.
 */
async function layoutLevelOnce(elk: ElkLike, items: readonly Item[], edges: readonly LevelEdge[], stubs: ReadonlySet<string>, cache: Map<string, ElkNode>): Promise<Map<string, { x: number; y: number; width: number }>> {
  const names = new Map<string, string>();
  const back = new Map<string, string>();
  const node = (id: string) => {
    let n = names.get(id);
    if (n === undefined) {
      n = `n${names.size}`;
      names.set(id, n);
      back.set(n, id);
    }
    return n;
  };
  const ports = new Map<string, string>();
  const portName = (name: string) => {
    let n = ports.get(name);
    if (n === undefined) ports.set(name, (n = `p${ports.size}`));
    return n;
  };
  const rename = (list: readonly ItemPort[]) => list.map((p) => ({ ...p, name: portName(p.name) }));
  const localItems = items.map((it) => ({ ...it, id: node(it.id), ins: rename(it.ins), outs: rename(it.outs) }));
  const localEdges = edges.map((e, i) => ({
    id: `e${i}`,
    source: node(e.source),
    target: node(e.target),
    ...(e.sourcePort !== undefined ? { sourcePort: portName(e.sourcePort) } : {}),
    ...(e.targetPort !== undefined ? { targetPort: portName(e.targetPort) } : {}),
    ...(e.targetSlot !== undefined ? { targetSlot: e.targetSlot } : {}),
  }));
  const key = JSON.stringify([localItems, localEdges]);
  let laid = cache.get(key);
  if (!laid) {
    laid = await layoutLevel(elk, localItems, localEdges, new Set([...stubs].map(node)));
    cache.set(key, laid);
  }
  return new Map((laid.children ?? []).map((c) => [back.get(c.id)!, { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0 }] as const));
}

/** Straight wires (port to port) through a box of a laid-out level, stubs aside. */
function levelCrossings(laid: ElkNode, stubs: ReadonlySet<string>, deep: ReadonlySet<string>): number {
  const rects = new Map<string, Rect>();
  const portAt = new Map<string, { x: number; y: number }>();
  for (const c of laid.children ?? []) {
    const x = c.x ?? 0;
    const y = c.y ?? 0;
    if (!stubs.has(c.id)) rects.set(c.id, { x, y, width: c.width ?? 0, height: c.height ?? 0 });
    for (const p of c.ports ?? []) portAt.set(p.id, { x: x + (p.x ?? 0), y: y + (p.y ?? 0) });
  }
  const wires: Wire[] = [];
  let slanted = 0;
  for (const e of laid.edges ?? []) {
    const from = portAt.get(e.sources[0]);
    const to = portAt.get(e.targets[0]);
    // A wire into a frame's deep port runs on down a lane inside: unless it arrives straight, it cuts across the frame.
    if (from && to && (deep.has(e.sources[0]) || deep.has(e.targets[0])) && Math.abs(from.x - to.x) > 1) slanted++;
    if (from && to) wires.push({ source: e.sources[0].split('\u0000')[0], target: e.targets[0].split('\u0000')[0], from, to });
  }
  return wireCrossings(wires, rects).length + slanted;
}

const FRAME_ITEM = '\u0000frame\u0000';
const STUB_IN = '\u0000entry\u0000';
const STUB_OUT = '\u0000exit\u0000';
/** A wire's source as a frame's port names it: the element (and port) it comes from. */
const endKey = (id: string, port: string | undefined) => `${id}\u0000${port ?? ''}`;

interface LaidFrame {
  readonly item: Item;
  /** Its items' top-left corners relative to the frame's. */
  readonly at: ReadonlyMap<string, Point>;
}

/**
 * Tidy up with frames: each unfolded block is laid out on its own, innermost first, as a graph of its
 * layers and inner frames with a stub above for each wire coming in and one below for each going out (so
 * a wire into a layer deep inside gets a lane of its own down to it); then it is one box in the level
 * around it, with ports where its stubs were. Frames never overlap what is outside them, by construction.
 * (ELK's own hierarchy mode, INCLUDE_CHILDREN, was tried first: 4–7 s for a ResNet with one stage
 * unfolded, with 5–26 wires through boxes; and its model-order tie-break throws on a hierarchy.)
 */
async function layoutFramed(design: LayoutInput, frames: readonly BlockFrame[], boxes: ReadonlyMap<string, Box>, elk: ElkLike): Promise<Map<string, Point>> {
  const home = new Map<string, string>();
  // Outermost first: a deeper frame claims its members last.
  for (const f of frames) for (const m of f.members) home.set(m, f.id);
  const parentOf = new Map(frames.map((f) => [f.id, f.parent] as const));
  /** The item at `level` that holds element `id`: itself, or the frame around it there; undefined if outside. */
  const itemAt = (id: string, level: string | null): string | undefined => {
    let item = id;
    for (let cur = home.get(id) ?? null; cur !== level; cur = parentOf.get(cur) ?? null) {
      if (cur === null) return undefined;
      item = FRAME_ITEM + cur;
    }
    return item;
  };
  const laid = new Map<string, LaidFrame>();
  const cache = new Map<string, ElkNode>();
  const depth = (f: BlockFrame) => f.id.split('.').length;
  const levels: (string | null)[] = [...[...frames].sort((a, b) => depth(b) - depth(a)).map((f) => f.id), null];
  let top = new Map<string, Point>();
  for (const level of levels) {
    const here = (id: string) => (home.get(id) ?? null) === level;
    const items = elementItems(design, design.nodes.map((n) => n.id).filter(here), (design.instances ?? []).map((i) => i.id).filter(here), boxes);
    for (const f of frames) if (f.parent === level) items.push(laid.get(f.id)!.item);
    const edges: LevelEdge[] = [];
    const seen = new Set<string>();
    const stubs = new Set<string>();
    const add = (e: LevelEdge) => {
      const key = [e.source, e.sourcePort, e.target, e.targetPort].join('\u0000');
      if (seen.has(key)) return;
      seen.add(key);
      edges.push(e);
    };
    for (const e of design.edges) {
      const s = itemAt(e.source, level);
      const t = itemAt(e.target, level);
      if (s === undefined && t === undefined) continue;
      const from = endKey(e.source, e.sourcePort);
      // A frame's input port is one per outside source and inner item it feeds (a ResNet block's input
      // feeds its first conv and, rows down, its Add: each gets a lane of its own); an output port, one per inner source.
      const entry = (frameItem: string) => `${from}\u0000${itemAt(e.target, frameItem.slice(FRAME_ITEM.length))}`;
      const sourcePort = s === undefined ? undefined : s === e.source ? e.sourcePort : from;
      const targetPort = t === undefined ? undefined : t === e.target ? e.targetPort : entry(t);
      const ends = { ...(sourcePort !== undefined ? { sourcePort } : {}), ...(targetPort !== undefined ? { targetPort } : {}), ...(t === e.target && e.targetSlot !== undefined ? { targetSlot: e.targetSlot } : {}) };
      if (s !== undefined && t !== undefined) {
        if (s !== t) add({ id: e.id, source: s, target: t, ...ends });
      } else if (t !== undefined) {
        const stub = `${STUB_IN}${from}\u0000${t}`;
        stubs.add(stub);
        add({ id: e.id, source: stub, target: t, ...ends });
      } else {
        stubs.add(STUB_OUT + from);
        add({ id: e.id, source: s!, target: STUB_OUT + from, ...ends });
      }
    }
    // A stub into a merge (a ResNet block's Add, a DenseNet layer's Concatenate) is held in the first row, so
    // its wire gets a lane past the branch beside it; any other stub sits where the layering puts it,
    // right above its layer (GoogLeNet's branches then start on one row, as on a flat canvas).
    const merging = new Set(edges.filter((e) => edges.filter((f) => f.target === e.target).length > 1).map((e) => e.target));
    const layerOf = (id: string) => (id.startsWith(STUB_OUT) ? 'LAST' : edges.some((e) => e.source === id && merging.has(e.target)) ? 'FIRST' : undefined);
    for (const id of stubs) items.push({ id, width: 1, height: 1, ins: [], outs: [], ...(layerOf(id) ? { layer: layerOf(id) } : {}) });
    const at = await layoutLevelOnce(elk, items, edges, stubs, cache);
    if (level === null) {
      top = new Map([...at].map(([id, p]) => [id, { x: p.x, y: p.y }]));
      break;
    }
    // The frame: around its own items (stubs aside), with room for its title; its ports where the stubs were.
    const real = items.filter((it) => !stubs.has(it.id));
    const x0 = Math.min(...real.map((it) => at.get(it.id)!.x));
    const y0 = Math.min(...real.map((it) => at.get(it.id)!.y));
    const x1 = Math.max(...real.map((it) => at.get(it.id)!.x + it.width));
    const y1 = Math.max(...real.map((it) => at.get(it.id)!.y + it.height));
    const width = x1 - x0 + 2 * FRAME_PAD;
    const height = y1 - y0 + 2 * FRAME_PAD + FRAME_HEAD;
    const portX = (id: string) => Math.min(width, Math.max(0, at.get(id)!.x + at.get(id)!.width / 2 - x0 + FRAME_PAD));
    // A stub whose item is not in the frame's first row (last, for an output) has rows to pass inside.
    const size = new Map(items.map((it) => [it.id, it.height] as const));
    const far = (id: string) =>
      edges.some((e) => (e.source === id && at.get(e.target)!.y > y0) || (e.target === id && at.get(e.source)!.y + size.get(e.source)! < y1));
    const ports = (prefix: string) => [...stubs].filter((id) => id.startsWith(prefix)).map((id) => ({ name: id.slice(prefix.length), x: portX(id), ...(far(id) ? { deep: true } : {}) }));
    laid.set(level, {
      item: { id: FRAME_ITEM + level, width, height, ins: ports(STUB_IN), outs: ports(STUB_OUT) },
      at: new Map(real.map((it) => [it.id, { x: at.get(it.id)!.x - x0 + FRAME_PAD, y: at.get(it.id)!.y - y0 + FRAME_PAD + FRAME_HEAD }])),
    });
  }
  const out = new Map<string, Point>();
  const place = (id: string, p: Point) => {
    // Whole pixels keep saved files tidy.
    if (!id.startsWith(FRAME_ITEM)) return void out.set(id, { x: Math.round(p.x), y: Math.round(p.y) });
    for (const [child, q] of laid.get(id.slice(FRAME_ITEM.length))!.at) place(child, { x: p.x + q.x, y: p.y + q.y });
  };
  for (const [id, p] of top) if (!id.startsWith(STUB_IN) && !id.startsWith(STUB_OUT)) place(id, p);
  return out;
}

/**
 * Each element's row if every element sat one row below its lowest input (Kahn's order). Elements on a
 * cycle (a broken file) get no rank and their edges no special treatment.
 */
export function longestPathRanks(ids: readonly string[], edges: readonly { source: string; target: string }[]): Map<string, number> {
  const known = new Set(ids);
  const outs = new Map<string, string[]>(ids.map((id) => [id, []]));
  const waiting = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of edges) {
    if (!known.has(e.source) || !known.has(e.target) || e.source === e.target) continue;
    outs.get(e.source)!.push(e.target);
    waiting.set(e.target, waiting.get(e.target)! + 1);
  }
  const rank = new Map<string, number>();
  const ready = ids.filter((id) => waiting.get(id) === 0);
  for (const id of ready) rank.set(id, 0);
  while (ready.length > 0) {
    const id = ready.pop()!;
    for (const t of outs.get(id)!) {
      rank.set(t, Math.max(rank.get(t) ?? 0, rank.get(id)! + 1));
      waiting.set(t, waiting.get(t)! - 1);
      if (waiting.get(t) === 0) ready.push(t);
    }
  }
  for (const [id, n] of waiting) if (n > 0) rank.delete(id);
  return rank;
}

/** What lays a graph out: the bundled ELK (in this thread) or one behind a Web Worker (src/store/elk-engine.ts). */
export type ElkLike = { layout(graph: ElkNode): Promise<ElkNode> };
let bundled: Promise<ElkLike> | null = null;

/** The bundled ELK, loaded on first use; it runs in Node too (unit tests, the CLI). */
function bundledElk(): Promise<ElkLike> {
  bundled ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default());
  return bundled;
}

/**
 * Top-left positions for the top-level layers and collapsed block instances, laid out by ELK. `boxes`
 * gives each element's size as drawn (missing ones: DEFAULT_BOX). Rejects only if ELK itself fails.
 */
export async function layoutDesignElk(design: LayoutInput, boxes: ReadonlyMap<string, Box> = new Map(), engine?: ElkLike): Promise<Map<string, Point>> {
  const elk = engine ?? (await bundledElk());
  const frames = blockFrames(design);
  if (frames.length > 0) return layoutFramed(design, frames, boxes, elk);
  const laid = await elk.layout(elkGraph(design, boxes));
  const out = new Map<string, Point>();
  // Whole pixels keep saved files tidy.
  for (const c of laid.children ?? []) out.set(c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) });
  return out;
}

/**
 * Tidy up's layout: ELK's (`engine`, else the bundled one), or dagre's if ELK fails (a bug in it, a chunk
 * or worker that did not load), so the user always gets a layout and never loses the design; the failure
 * goes to the console for a bug report.
 */
export async function tidyLayout(design: LayoutInput, boxes: ReadonlyMap<string, Box> = new Map(), engine?: () => Promise<ElkLike | undefined>): Promise<Map<string, Point>> {
  try {
    return await layoutDesignElk(design, boxes, await engine?.());
  } catch (e) {
    console.warn('Tidy up: ELK layout failed, using dagre instead.', e);
    return dagreLayout(design);
  }
}
