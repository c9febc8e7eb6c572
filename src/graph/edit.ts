/**
 * Edits of a design as pure functions: each takes an immutable design and returns a new one (sharing every
 * node and edge it did not touch, so incremental inference keeps their results). The store wraps each in
 * a named command with an undo policy; the canvas never builds designs itself.
 */
import { displayName } from './infer.ts';
import { layerSpec } from './layers/index.ts';
import { DEFAULT_BOX } from './layout-box.ts';
import type { Issue } from './messages.ts';
import { defaultParams } from './params.ts';
import { FORMAT_VERSION, type BlockDefinition, type Design, type DesignEdge, type DesignNode, type LayerKind, type Lesson, type Localized, type Params } from './types.ts';
import { cleanTexts, withText, type Texts } from './texts.ts';

export type Point = { readonly x: number; readonly y: number };

/** Vertical distance between a node and one added after it (node faces are ~80 px tall). */
export const ROW_GAP = 120;
/**
 * A layer's box as the synchronous layout (dagre) and the edits space it: the face as drawn (DEFAULT_BOX)
 * and a margin, so labels on edges have room. Here rather than in layout.ts so edits can keep boxes apart
 * without loading dagre.
 */
export const NODE_BOX = { width: DEFAULT_BOX.width + 10, height: DEFAULT_BOX.height + 16 };

/** The name a new design starts with, in the page's language (a file without a name reads as the English one). */
export const UNTITLED: Localized = { en: 'Untitled', es: 'Sin título' };

/** Whether `name` is the name a new design starts with, in any language. */
export function isUntitled(name: string): boolean {
  return Object.values(UNTITLED).includes(name);
}

export function emptyDesign(name = UNTITLED.en): Design {
  return { format: 'netcanvas', version: FORMAT_VERSION, name, nodes: [], edges: [] };
}

/** A fresh id from the kind ("conv2d_3"), never one the design already uses. */
export function freshId(taken: ReadonlySet<string>, kind: string): string {
  const base = kind.toLowerCase();
  for (let i = 1; ; i++) {
    const id = `${base}_${i}`;
    if (!taken.has(id)) return id;
  }
}

function edgeId(source: string, target: string, slot: number, taken: ReadonlySet<string>): string {
  const base = `${source}->${target}${slot > 0 ? `#${slot}` : ''}`;
  let id = base;
  for (let i = 1; taken.has(id); i++) id = `${base}~${i}`;
  return id;
}

export interface AddResult {
  readonly design: Design;
  readonly id: string;
}

/**
 * Adds a layer of `kind` with default parameters (over which `params` go). With `after`, the new layer is wired to take `after`'s
 * output; when `after` fed exactly one layer, the new one is inserted between them (so "add after" on a
 * chain extends or splits the chain, as a user expects), and the nodes below shift down to make room.
 */
export function addNode(design: Design, kind: LayerKind, opts: { position?: Point; after?: string; params?: Params } = {}): AddResult {
  const id = freshId(new Set(design.nodes.map((n) => n.id)), kind);
  const after = opts.after ? design.nodes.find((n) => n.id === opts.after) : undefined;
  const canTakeInput = layerSpec(kind).inputs.max > 0;
  const position = opts.position ?? (after ? { x: after.position.x, y: after.position.y + ROW_GAP } : { x: 0, y: 0 });
  const node: DesignNode = { id, kind, params: { ...defaultParams(layerSpec(kind).params), ...opts.params }, position };
  if (!after || !canTakeInput) return { design: { ...design, nodes: [...design.nodes, node] }, id };

  const outgoing = design.edges.filter((e) => e.source === after.id);
  const feed: DesignEdge = { id: edgeId(after.id, id, 0, new Set(design.edges.map((e) => e.id))), source: after.id, target: id };
  if (outgoing.length !== 1 || layerSpec(kind).inputs.min > 1) {
    return { design: { ...design, nodes: [...design.nodes, node], edges: [...design.edges, feed] }, id };
  }
  return insertOnEdge({ ...design, nodes: [...design.nodes, node], edges: [...design.edges, feed] }, outgoing[0], id);
}

/**
 * Re-routes `edge` through the (already added and fed) node `id`: its target now reads from `id`, and
 * everything downstream of the target moves down a row to make room.
 */
function insertOnEdge(design: Design, edge: DesignEdge, id: string): AddResult {
  const edgeIds = new Set(design.edges.map((e) => e.id));
  const rewired: DesignEdge = { ...edge, id: edgeId(id, edge.target, edge.targetSlot ?? 0, edgeIds), source: id };
  const below = downstream(design, edge.target);
  const nodes = design.nodes.map((n) => (below.has(n.id) ? { ...n, position: { x: n.position.x, y: n.position.y + ROW_GAP } } : n));
  return { design: { ...design, nodes, edges: [...design.edges.filter((e) => e !== edge), rewired] }, id };
}

/** `from` and every node reachable from it. */
export function downstream(design: Pick<Design, 'edges'>, from: string): Set<string> {
  const out = new Map<string, string[]>();
  for (const e of design.edges) {
    const list = out.get(e.source);
    if (list) list.push(e.target);
    else out.set(e.source, [e.target]);
  }
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length > 0) {
    for (const next of out.get(stack.pop()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

export type ConnectResult = { readonly ok: true; readonly design: Design; readonly edgeId: string } | { readonly ok: false; readonly reason: Issue };

/**
 * Connects `source`'s output to `target`. Refused, with the reason, when it would make a cycle, feed an
 * Input, give a single-input layer a second input, or repeat an existing connection into a single-input
 * layer. A merge layer takes the next free slot, so inputs keep the order they were connected in.
 */
export function connect(design: Design, source: string, target: string): ConnectResult {
  const src = design.nodes.find((n) => n.id === source);
  const dst = design.nodes.find((n) => n.id === target);
  if (!src || !dst) return refuse('connect-missing', { node: src ? target : source });
  const values = { source: displayName(src), node: displayName(dst) };
  if (source === target) return refuse('connect-self', values);
  const { max } = layerSpec(dst.kind).inputs;
  if (max === 0) return refuse('connect-into-input', values);
  if (downstream(design, target).has(source)) return refuse('connect-cycle', values);
  const incoming = design.edges.filter((e) => e.target === target);
  if (incoming.length >= max) {
    const current = design.nodes.find((n) => n.id === incoming[0]?.source);
    return refuse('connect-occupied', { ...values, max, current: current ? displayName(current) : '?' });
  }
  const slot = incoming.reduce((m, e) => Math.max(m, (e.targetSlot ?? 0) + 1), 0);
  const id = edgeId(source, target, slot, new Set(design.edges.map((e) => e.id)));
  const edge: DesignEdge = max > 1 ? { id, source, target, targetSlot: slot } : { id, source, target };
  return { ok: true, design: { ...design, edges: [...design.edges, edge] }, edgeId: id };
}

function refuse(code: Issue['code'], values: Record<string, string | number>): ConnectResult {
  return { ok: false, reason: { severity: 'error', code, values } };
}

/**
 * Removes nodes (with every edge touching them) and edges. The inputs left on a merge layer are
 * renumbered 0, 1, … in their old order, so the order the user sees is kept and slots stay dense.
 */
export function removeElements(design: Design, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): Design {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  const keptEdges = design.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target));
  const instances = design.instances?.filter((i) => !nodes.has(i.id));
  if (nodes.size === 0 && keptEdges.length === design.edges.length) return design;
  const touched = new Set(design.edges.filter((e) => !keptEdges.includes(e)).map((e) => e.target));
  const renumbered = keptEdges.map((e) => e);
  for (const target of touched) {
    const into = keptEdges.filter((e) => e.target === target && e.targetSlot !== undefined).sort((a, b) => a.targetSlot! - b.targetSlot!);
    into.forEach((e, slot) => {
      if (e.targetSlot !== slot) renumbered[renumbered.indexOf(e)] = { ...e, targetSlot: slot };
    });
  }
  // Block instances are deleted like layers (their definition stays in the design's library).
  const kept = { ...design, nodes: design.nodes.filter((n) => !nodes.has(n.id)), edges: renumbered };
  return instances && instances.length !== design.instances!.length ? { ...kept, instances } : kept;
}

/** Moves nodes; unchanged positions keep their node object (a move never re-infers anything). */
export function moveNodes(design: Design, positions: ReadonlyMap<string, Point>): Design {
  let changed = false;
  const nodes = design.nodes.map((n) => {
    const p = positions.get(n.id);
    if (!p || (p.x === n.position.x && p.y === n.position.y)) return n;
    changed = true;
    return { ...n, position: { x: p.x, y: p.y } };
  });
  const instances = design.instances?.map((i) => {
    const p = positions.get(i.id);
    if (!p || (p.x === i.position.x && p.y === i.position.y)) return i;
    changed = true;
    return { ...i, position: { x: p.x, y: p.y } };
  });
  return changed ? { ...design, nodes, ...(instances ? { instances } : {}) } : design;
}

export function updateParams(design: Design, nodeId: string, params: Params): Design {
  return { ...design, nodes: design.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, ...params } } : n)) };
}

export function setLabel(design: Design, nodeId: string, label: string): Design {
  const trimmed = label.trim();
  return {
    ...design,
    nodes: design.nodes.map((n) => {
      if (n.id !== nodeId) return n;
      const { label: _old, ...rest } = n;
      return trimmed ? { ...rest, label: trimmed } : rest;
    }),
  };
}

/**
 * The design with the note of the layer or block instance `id` in `lang` replaced: the other languages'
 * notes stay, a blank text removes that language's, and a note with no language left is dropped.
 */
export function setNodeNotes(design: Design, id: string, lang: string, text: string): Design {
  const edit = <T extends { readonly id: string; readonly notes?: Texts }>(x: T): T => (x.id === id ? withNotes(x, lang, text) : x);
  return { ...design, nodes: design.nodes.map(edit), ...(design.instances ? { instances: design.instances.map(edit) } : {}) };
}

/** The design with the note of the block definition `blockId` in `lang` replaced, as setNodeNotes does for a layer. */
export function setBlockNotes(design: Design, blockId: string, lang: string, text: string): Design {
  if (!design.blocks?.some((b) => b.id === blockId)) return design;
  return { ...design, blocks: design.blocks.map((b) => (b.id === blockId ? withNotes(b, lang, text) : b)) };
}

function withNotes<T extends { readonly notes?: Texts }>(x: T, lang: string, text: string): T {
  const { notes, ...rest } = x;
  const next = withText(notes, lang, text);
  return (next ? { ...rest, notes: next } : rest) as T;
}

/**
 * The selected nodes and block instances and the edges between them, as a design of their own (what copy
 * puts on the clipboard), with the block definitions those instances need (nested ones included).
 */
export function extractFragment(design: Design, nodeIds: Iterable<string>): Design {
  const ids = new Set(nodeIds);
  const instances = (design.instances ?? []).filter((i) => ids.has(i.id));
  const defs = new Map((design.blocks ?? []).map((b) => [b.id, b] as const));
  const needed = new Set<string>();
  const need = (block: string) => {
    const def = defs.get(block);
    if (!def || needed.has(block)) return;
    needed.add(block);
    for (const inner of def.instances ?? []) need(inner.block);
  };
  for (const i of instances) need(i.block);
  return {
    ...emptyDesign(design.name),
    nodes: design.nodes.filter((n) => ids.has(n.id)),
    edges: design.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
    ...(instances.length > 0 ? { instances, blocks: (design.blocks ?? []).filter((b) => needed.has(b.id)) } : {}),
  };
}

/**
 * Adds a fragment's nodes, block instances and internal edges under fresh ids (labels kept), offset by
 * `offset`. A block definition the design already holds identically is shared; one whose name is taken
 * by a different definition comes in renamed (`BasicBlock_2`). Returns the new ids so the caller can
 * select what was pasted.
 */
export function insertFragment(design: Design, fragment: Pick<Design, 'nodes' | 'edges' | 'blocks' | 'instances'>, offset: Point): { design: Design; ids: string[] } {
  const taken = new Set([...design.nodes.map((n) => n.id), ...(design.instances ?? []).map((i) => i.id)]);
  const rename = new Map<string, string>();
  const nodes = fragment.nodes.map((n) => {
    const id = freshId(taken, n.kind);
    taken.add(id);
    rename.set(n.id, id);
    return { ...n, id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
  });
  const { blocks, blockName } = mergeDefinitions(design.blocks ?? [], fragment.blocks ?? []);
  const instances = (fragment.instances ?? []).map((i) => {
    const id = freshId(taken, blockName(i.block));
    taken.add(id);
    rename.set(i.id, id);
    return { ...i, id, block: blockName(i.block), position: { x: i.position.x + offset.x, y: i.position.y + offset.y } };
  });
  const edgeIds = new Set(design.edges.map((e) => e.id));
  const edges: DesignEdge[] = [];
  for (const e of fragment.edges) {
    const source = rename.get(e.source);
    const target = rename.get(e.target);
    if (!source || !target) continue;
    const id = edgeId(source, target, e.targetSlot ?? 0, edgeIds);
    edgeIds.add(id);
    edges.push({ ...e, id, source, target });
  }
  const next: Design = {
    ...design,
    nodes: [...design.nodes, ...nodes],
    edges: [...design.edges, ...edges],
    ...(blocks.length > 0 ? { blocks } : {}),
    ...(instances.length > 0 ? { instances: [...(design.instances ?? []), ...instances] } : {}),
  };
  return { design: next, ids: [...nodes.map((n) => n.id), ...instances.map((i) => i.id)] };
}

/** The design's definitions plus the fragment's: identical ones shared, clashing names made fresh. */
function mergeDefinitions(
  own: readonly BlockDefinition[],
  incoming: readonly BlockDefinition[],
): { blocks: BlockDefinition[]; blockName: (id: string) => string } {
  const byId = new Map(own.map((b) => [b.id, b] as const));
  const names = new Map<string, string>();
  const taken = new Set(byId.keys());
  for (const b of incoming) {
    const mine = byId.get(b.id);
    if (mine && JSON.stringify(mine) === JSON.stringify(b)) names.set(b.id, b.id);
    else if (!taken.has(b.id)) names.set(b.id, b.id);
    else {
      let i = 2;
      while (taken.has(`${b.id}_${i}`)) i++;
      names.set(b.id, `${b.id}_${i}`);
    }
    taken.add(names.get(b.id)!);
  }
  const blockName = (id: string) => names.get(id) ?? id;
  const added = incoming
    .filter((b) => !byId.has(names.get(b.id)!))
    .map((b) => ({ ...b, id: blockName(b.id), ...(b.instances ? { instances: b.instances.map((i) => ({ ...i, block: blockName(i.block) })) } : {}) }));
  return { blocks: [...own, ...added], blockName };
}

/** Copies of the given nodes (and the edges among them), placed a little to the right and below. */
export function duplicateNodes(design: Design, nodeIds: Iterable<string>): { design: Design; ids: string[] } {
  return insertFragment(design, extractFragment(design, nodeIds), { x: 40, y: 40 });
}

/**
 * The design's name and texts. A text given for one language (`{lang, description}`) replaces that
 * language's only, so editing the Spanish notes keeps the English ones; whole texts (`Texts`, from a pasted
 * design) replace all of them. A blank text removes it.
 */
export function setDesignInfo(
  design: Design,
  info: { name?: string; lang?: string; description?: string | Texts; notes?: string | Texts },
): Design {
  const next: Record<string, unknown> = { ...design };
  if (info.name !== undefined) next.name = info.name.trim() || design.name;
  for (const key of ['description', 'notes'] as const) {
    const value = info[key];
    if (value === undefined) continue;
    const texts = typeof value === 'string' ? withText(design[key], info.lang ?? 'en', value) : cleanTexts(value);
    if (texts === undefined) delete next[key];
    else next[key] = texts;
  }
  return next as unknown as Design;
}

/**
 * Puts a new layer of `kind` between `nodeId` and its input (the one-click "insert a Flatten" fix).
 * Returns the design unchanged when the node does not have exactly one input.
 */
export function insertBefore(design: Design, nodeId: string, kind: LayerKind): AddResult | null {
  const into = design.edges.filter((e) => e.target === nodeId);
  const node = design.nodes.find((n) => n.id === nodeId);
  if (into.length !== 1 || !node) return null;
  const [edge] = into;
  if (!design.nodes.some((n) => n.id === edge.source)) return null;
  const id = freshId(new Set(design.nodes.map((n) => n.id)), kind);
  const added: DesignNode = { id, kind, params: defaultParams(layerSpec(kind).params), position: node.position };
  const feed: DesignEdge = { id: edgeId(edge.source, id, 0, new Set(design.edges.map((e) => e.id))), source: edge.source, target: id };
  return insertOnEdge({ ...design, nodes: [...design.nodes, added], edges: [...design.edges, feed] }, edge, id);
}

/** Applies an issue's one-click fix to its node (and its parameters to the `also` nodes too). */
export function applyFix(design: Design, nodeId: string, fix: NonNullable<Issue['fix']>): Design {
  let next = design;
  if (Object.keys(fix.params).length > 0) {
    for (const id of [nodeId, ...(fix.also ?? [])]) next = updateParams(next, id, fix.params as Params);
  }
  if (fix.insertBefore) next = insertBefore(next, nodeId, fix.insertBefore)?.design ?? next;
  return next;
}

/** The design with `lesson` as its lesson (or none); the lesson is part of the document, so this is an edit. */
export function setLesson(design: Design, lesson: Lesson | undefined): Design {
  const { lesson: _old, ...rest } = design;
  return lesson ? { ...rest, lesson } : rest;
}
