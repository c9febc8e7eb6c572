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
 * elkjs (about 1.5 MB of JavaScript) is imported lazily: it never weighs on the first page.
 */
import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api';
import type { Point } from './edit.ts';
import { layoutDesign as dagreLayout } from './layout.ts';
import { DEFAULT_BOX, type Box } from './layout-box.ts';
import type { Design } from './types.ts';

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

/**
 * The ELK graph of the design's top level. Each layer gets one port in the middle of its top edge and one
 * in the middle of its bottom edge (its handles), each instance one per input and output; so the layout
 * routes to the points the canvas draws wires from.
 */
export function elkGraph(design: LayoutInput, boxes: ReadonlyMap<string, Box> = new Map()): ElkNode {
  const children: ElkNode[] = [];
  const ports = new Set<string>();
  const firstPort = new Map<string, { in: string; out: string }>();
  for (const n of design.nodes) {
    const { width, height } = boxes.get(n.id) ?? DEFAULT_BOX;
    const ins = portId(n.id, IN);
    const outs = portId(n.id, OUT);
    ports.add(ins).add(outs);
    firstPort.set(n.id, { in: ins, out: outs });
    children.push({ id: n.id, width, height, layoutOptions: NODE, ports: [port(ins, width / 2, 0), port(outs, width / 2, height)] });
  }
  for (const inst of design.instances ?? []) {
    const { width, height } = boxes.get(inst.id) ?? DEFAULT_BOX;
    const def = design.blocks?.find((b) => b.id === inst.block);
    const inputs = def?.inputs ?? [];
    const outputs = def?.outputs.map((o) => o.name) ?? [];
    const ps = [
      ...inputs.map((p, i) => port(portId(inst.id, IN, p), spread(i, inputs.length, width), 0)),
      ...outputs.map((p, i) => port(portId(inst.id, OUT, p), spread(i, outputs.length, width), height)),
    ];
    // A definition that went missing still gets a port each way, so its wires keep it in the column.
    if (inputs.length === 0) ps.push(port(portId(inst.id, IN), width / 2, 0));
    if (outputs.length === 0) ps.push(port(portId(inst.id, OUT), width / 2, height));
    for (const p of ps) ports.add(p.id);
    firstPort.set(inst.id, { in: ps.find((p) => p.y === 0)!.id, out: ps.find((p) => p.y !== 0)!.id });
    children.push({ id: inst.id, width, height, layoutOptions: NODE, ports: ps });
  }
  const edges: ElkExtendedEdge[] = [];
  const rank = longestPathRanks([...firstPort.keys()], design.edges);
  const sorted = [...design.edges].sort((a, b) => (a.targetSlot ?? 0) - (b.targetSlot ?? 0));
  const inputs = new Map<string, number>();
  for (const e of design.edges) inputs.set(e.target, (inputs.get(e.target) ?? 0) + 1);
  for (const e of sorted) {
    const s = firstPort.get(e.source);
    const t = firstPort.get(e.target);
    if (!s || !t || e.source === e.target) continue;
    const sp = e.sourcePort !== undefined && ports.has(portId(e.source, OUT, e.sourcePort)) ? portId(e.source, OUT, e.sourcePort) : s.out;
    const tp = e.targetPort !== undefined && ports.has(portId(e.target, IN, e.targetPort)) ? portId(e.target, IN, e.targetPort) : t.in;
    // A skip connection (it jumps over a row) is drawn straight first: its lane then runs beside the
    // branch it skips, and the branch moves aside instead of sitting on the wire.
    const skip = (rank.get(e.target) ?? 0) - (rank.get(e.source) ?? 0) > 1;
    const options = { ...(skip ? SKIP_EDGE : {}), ...((inputs.get(e.target) ?? 0) > 1 ? { [MERGE_INPUT]: MERGE_INPUT_PRIORITY } : {}) };
    edges.push({ id: e.id, sources: [sp], targets: [tp], ...(Object.keys(options).length > 0 ? { layoutOptions: options } : {}) });
  }
  return { id: '\u0000root', layoutOptions: OPTIONS, children, edges };
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
  const laid = await (engine ?? (await bundledElk())).layout(elkGraph(design, boxes));
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
