/**
 * Imported networks grouped into blocks by their module paths: a flat design whose layers carry the names
 * PyTorch gives modules (`layer1.0.conv1`) comes back as nested blocks following that hierarchy (stage →
 * block → layers), so a ResNet-50 arrives as a dozen collapsed nodes instead of a column of 176 layers.
 *
 * Pure structure over the flat graph (blocks.ts): the grouped design flattens back to the very layers it
 * came from, each under the id `path.join('.')`, which is also how `flattenDesign` names a block's
 * layers; so weights keyed by those ids follow their layers unchanged.
 *
 * How. The paths make a tree; every subtree holding two or more layers is a group. A group becomes a
 * block definition whose input ports are the outside tensors its layers read and whose output ports are
 * its layers read from outside (or read by nobody: the network's outputs). Groups whose bodies are equal
 * (layers, parameters, wiring, names) share one definition; a group that is only a chain of copies of one
 * one-in one-out definition named `0 … N−1` (an `nn.Sequential` of identical blocks) is that definition
 * repeated N times. Paths that do not nest cleanly never fail the import: a group whose tensors leave it
 * and come back (a cycle between groups of one level), a group with a layer of its own name, or one nested
 * deeper than blocks allow is dissolved, its members joining the level above under their longer names; and
 * the result is checked by flattening it, falling back to the flat design if anything differs.
 */
import { layoutDesign as dagreLayout } from './layout.ts';
import { flattenBlocks, MAX_BLOCK_DEPTH } from './blocks.ts';
import type { BlockDefinition, BlockInstance, BlockOutput, Design, DesignEdge, DesignNode, Params } from './types.ts';
import type { DesignWeights } from './weights.ts';

export interface AutoBlocksResult {
  readonly design: Design;
  /** The weights keyed by the new (flattened) ids. */
  readonly weights: DesignWeights;
  /** Old layer id → the id the layer has in the flattened grouped design. */
  readonly ids: ReadonlyMap<string, string>;
  /** False when nothing was grouped (no hierarchy, or the fallback to the flat design). */
  readonly grouped: boolean;
}

interface Group {
  /** The name in the enclosing group's body (dotted when groups between were dissolved). */
  local: string;
  /** The dotted path of the group from the top: what its layers' ids start with. */
  readonly path: string;
  members: Member[];
}

type Member = { readonly kind: 'layer'; readonly id: string; local: string } | { readonly kind: 'group'; readonly group: Group };

interface Trie {
  readonly children: Map<string, Trie>;
  /** The layer whose path ends here. */
  layer?: string;
  count: number;
}

const localOf = (m: Member) => (m.kind === 'layer' ? m.local : m.group.local);

/**
 * A flat design's layers as the module paths say: `paths` gives each layer's path (segments, the last
 * naming the layer in its module); layers without one stay on the top level under their own id. Never
 * fails: what cannot be grouped stays flat.
 */
export function autoBlocks(design: Design, paths: ReadonlyMap<string, readonly string[]>, weights: DesignWeights = new Map()): AutoBlocksResult {
  const flat: AutoBlocksResult = { design, weights, ids: new Map(design.nodes.map((n) => [n.id, n.id])), grouped: false };
  if ((design.instances?.length ?? 0) > 0 || (design.blocks?.length ?? 0) > 0) return flat;
  const segments = new Map<string, readonly string[]>();
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of design.nodes) {
    const p = paths.get(n.id);
    const segs = p && p.length > 0 && p.every((s) => s.length > 0) ? p : [n.id];
    const id = segs.join('.');
    if (taken.has(id)) return flat;
    taken.add(id);
    segments.set(n.id, segs);
    ids.set(n.id, id);
  }
  const root = trieOf(design, segments);
  const top = groupOf(root, '', '');
  // The top level is no group: its members are the design's own layers and instances.
  settle(top, design, 0);
  if (!top.members.some((m) => m.kind === 'group')) return flat;
  const built = assemble(design, top, ids);
  if (!flattensBack(design, built, ids)) return flat;
  const moved = new Map([...weights].map(([id, w]) => [ids.get(id) ?? id, w] as const));
  return { design: built, weights: moved, ids, grouped: true };
}

function trieOf(design: Design, segments: ReadonlyMap<string, readonly string[]>): Trie {
  const root: Trie = { children: new Map(), count: 0 };
  for (const n of design.nodes) {
    let t = root;
    t.count++;
    for (const s of segments.get(n.id)!) {
      let next = t.children.get(s);
      if (!next) t.children.set(s, (next = { children: new Map(), count: 0 }));
      t = next;
      t.count++;
    }
    t.layer = n.id;
  }
  return root;
}

/**
 * The groups of a subtree: a node of two or more layers is a group unless a layer ends on it (the
 * layer and the group would share one name); what is not a group hands its members up with longer names.
 */
function groupOf(t: Trie, local: string, path: string): Group {
  const members: Member[] = [];
  const collect = (node: Trie, name: string, at: string) => {
    if (node.layer !== undefined) members.push({ kind: 'layer', id: node.layer, local: name });
    for (const [seg, child] of node.children) {
      const childName = name ? `${name}.${seg}` : seg;
      const childPath = at ? `${at}.${seg}` : seg;
      if (child.count >= 2 && child.layer === undefined) members.push({ kind: 'group', group: groupOf(child, childName, childPath) });
      else collect(child, childName, childPath);
    }
  };
  collect(t, '', path);
  return { local, path, members };
}

/** The group's members with `g` dissolved into them, its members renamed `g.local`. */
function dissolve(members: Member[], g: Group): Member[] {
  return members.flatMap((m): Member[] => {
    if (m.kind !== 'group' || m.group !== g) return [m];
    return g.members.map((c) => {
      if (c.kind === 'layer') return { ...c, local: `${g.local}.${c.local}` };
      c.group.local = `${g.local}.${c.group.local}`;
      return c;
    });
  });
}

/** Every layer id under a member. */
function layersOf(m: Member, out: string[] = []): string[] {
  if (m.kind === 'layer') out.push(m.id);
  else for (const c of m.group.members) layersOf(c, out);
  return out;
}

/**
 * Makes the group a level blocks can hold, top down: its members' graph acyclic (dissolving a group on a
 * cycle until none is left: layers alone are acyclic, as the flat design is), no group nested deeper than
 * blocks allow, no group of one member.
 */
function settle(g: Group, design: Design, depth: number): void {
  for (;;) {
    const single = g.members.find((m) => m.kind === 'group' && (depth + 1 > MAX_BLOCK_DEPTH || m.group.members.length < 2));
    if (single && single.kind === 'group') {
      g.members = dissolve(g.members, single.group);
      continue;
    }
    const onCycle = groupOnCycle(g.members, design);
    if (!onCycle) break;
    g.members = dissolve(g.members, onCycle);
  }
  for (const m of g.members) if (m.kind === 'group') settle(m.group, design, depth + 1);
}

/** A group member on a cycle of the members' graph (edges between layers of different members), if any. */
function groupOnCycle(members: readonly Member[], design: Design): Group | undefined {
  const owner = new Map<string, number>();
  members.forEach((m, i) => layersOf(m).forEach((id) => owner.set(id, i)));
  const out = members.map(() => new Set<number>());
  for (const e of design.edges) {
    const s = owner.get(e.source);
    const t = owner.get(e.target);
    if (s !== undefined && t !== undefined && s !== t) out[s].add(t);
  }
  // Iterative DFS: white 0, grey 1, black 2; a grey node met again closes a cycle.
  const colour = members.map(() => 0);
  const parent = members.map(() => -1);
  for (let start = 0; start < members.length; start++) {
    if (colour[start] !== 0) continue;
    const stack: [number, Iterator<number>][] = [[start, out[start].values()]];
    colour[start] = 1;
    while (stack.length > 0) {
      const [v, it] = stack[stack.length - 1];
      const next = it.next();
      if (next.done) {
        colour[v] = 2;
        stack.pop();
        continue;
      }
      const w = next.value;
      if (colour[w] === 0) {
        colour[w] = 1;
        parent[w] = v;
        stack.push([w, out[w].values()]);
      } else if (colour[w] === 1) {
        for (let x = v; ; x = parent[x]) {
          const m = members[x];
          if (m.kind === 'group') return m.group;
          if (x === w) break;
        }
      }
    }
  }
  return undefined;
}

/** How a built group is used by the level above: its definition (maybe repeated) and its ports by layer. */
interface Built {
  readonly block: string;
  readonly repeat?: number;
  /** Outside layer → the input port it feeds. */
  readonly inPort: ReadonlyMap<string, string>;
  /** Inner layer → the output port that exposes it. */
  readonly outPort: ReadonlyMap<string, string>;
}

interface Ctx {
  readonly design: Design;
  readonly node: ReadonlyMap<string, DesignNode>;
  /** Incoming edges per layer, in input-slot order. */
  readonly inputs: ReadonlyMap<string, readonly DesignEdge[]>;
  readonly consumers: ReadonlyMap<string, readonly DesignEdge[]>;
  readonly defs: BlockDefinition[];
  readonly byKey: Map<string, BlockDefinition>;
  readonly defNames: Set<string>;
}

function assemble(design: Design, top: Group, ids: ReadonlyMap<string, string>): Design {
  const inputs = new Map<string, DesignEdge[]>();
  const consumers = new Map<string, DesignEdge[]>();
  for (const e of design.edges) {
    (inputs.get(e.target) ?? inputs.set(e.target, []).get(e.target)!).push(e);
    (consumers.get(e.source) ?? consumers.set(e.source, []).get(e.source)!).push(e);
  }
  // The order inference reads a merge's inputs in: by slot, stably (topology.ts).
  for (const list of inputs.values()) list.sort((a, b) => (a.targetSlot ?? 0) - (b.targetSlot ?? 0));
  const ctx: Ctx = { design, node: new Map(design.nodes.map((n) => [n.id, n])), inputs, consumers, defs: [], byKey: new Map(), defNames: new Set() };
  const body = bodyOf(ctx, top, new Set(design.nodes.map((n) => n.id)), new Map(), ids);
  const positions = dagreLayout({ nodes: body.nodes, edges: body.edges, instances: body.instances });
  return {
    ...design,
    nodes: body.nodes.map((n) => ({ ...n, position: positions.get(n.id)! })),
    instances: body.instances.map((i) => ({ ...i, position: positions.get(i.id)! })),
    edges: body.edges,
    blocks: ctx.defs,
  };
}

interface Body {
  readonly nodes: DesignNode[];
  readonly instances: BlockInstance[];
  readonly edges: DesignEdge[];
}

/**
 * The body of a group: its layers (renamed to their local names), its groups as instances, the edges
 * between them and from `ports` (outside layer → input port name). Layers ids become `local` ids; the
 * flattened ids follow from the nesting.
 */
function bodyOf(ctx: Ctx, g: Group, inside: ReadonlySet<string>, ports: ReadonlyMap<string, string>, ids: ReadonlyMap<string, string>): Body {
  const nodes: DesignNode[] = [];
  const instances: BlockInstance[] = [];
  const edges: DesignEdge[] = [];
  // Where each layer under the group lives: its member index.
  const owner = new Map<string, number>();
  const built: (Built | null)[] = [];
  g.members.forEach((m, i) => {
    layersOf(m).forEach((id) => owner.set(id, i));
    if (m.kind === 'layer') {
      const n = ctx.node.get(m.id)!;
      nodes.push({ id: m.local, kind: n.kind, params: n.params, position: { x: 0, y: 0 } });
      built.push(null);
    } else {
      const b = buildGroup(ctx, m.group, ids);
      childPorts.set(m.group, b);
      built.push(b);
      instances.push({ id: m.group.local, block: b.block, ...(b.repeat !== undefined ? { repeat: b.repeat } : {}), position: { x: 0, y: 0 } });
    }
  });
  const sourceOf = (layer: string): { source: string; sourcePort?: string } => {
    const at = owner.get(layer);
    if (at === undefined || !inside.has(layer)) return { source: ports.get(layer)! };
    const m = g.members[at];
    if (m.kind === 'layer') return { source: m.local };
    return { source: m.group.local, sourcePort: built[at]!.outPort.get(layer)! };
  };
  const fed = new Set<string>();
  g.members.forEach((m, i) => {
    if (m.kind === 'layer') {
      const list = ctx.inputs.get(m.id) ?? [];
      list.forEach((e, slot) => {
        const src = sourceOf(e.source);
        const id = `${src.source}${src.sourcePort ? `:${src.sourcePort}` : ''}->${m.local}${list.length > 1 ? `#${slot}` : ''}`;
        edges.push({ id, ...src, target: m.local, ...(list.length > 1 ? { targetSlot: slot } : {}) });
      });
      return;
    }
    for (const [outside, port] of built[i]!.inPort) {
      const key = `${m.group.local}\u0000${port}`;
      if (fed.has(key)) continue;
      fed.add(key);
      const src = sourceOf(outside);
      edges.push({ id: `${src.source}${src.sourcePort ? `:${src.sourcePort}` : ''}->${m.group.local}:${port}`, ...src, target: m.group.local, targetPort: port });
    }
  });
  return { nodes, instances, edges };
}

/** A port name that no member of the body takes. */
function portNames(base: string, count: number, taken: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let k = 1; out.length < count; k++) {
    const name = k === 1 ? base : `${base}${k}`;
    if (!taken.has(name)) out.push(name);
  }
  return out;
}

/** The group as a definition (shared with an equal one) and how its ports map to layers. */
function buildGroup(ctx: Ctx, g: Group, ids: ReadonlyMap<string, string>): Built {
  const layers = g.members.flatMap((m) => layersOf(m));
  const inside = new Set(layers);
  const localName = (id: string) => ids.get(id)!.slice(g.path.length + 1);
  // Inputs: the outside layers read, ordered by their first reader (by local name, then slot) so that
  // equal groups number their ports alike.
  const reads: { outside: string; reader: string; slot: number }[] = [];
  for (const id of layers) (ctx.inputs.get(id) ?? []).forEach((e, slot) => { if (!inside.has(e.source)) reads.push({ outside: e.source, reader: localName(id), slot }); });
  reads.sort((a, b) => (a.reader < b.reader ? -1 : a.reader > b.reader ? 1 : a.slot - b.slot));
  const outsides = [...new Set(reads.map((r) => r.outside))];
  const exposed = layers
    .filter((id) => { const c = ctx.consumers.get(id) ?? []; return c.length === 0 || c.some((e) => !inside.has(e.target)); })
    .sort((a, b) => (localName(a) < localName(b) ? -1 : 1));
  const taken = new Set(g.members.map(localOf));
  const inNames = portNames('x', outsides.length, taken);
  const outNames = portNames('out', exposed.length, taken);
  const ports = new Map(outsides.map((o, i) => [o, inNames[i]] as const));
  const body = bodyOf(ctx, g, inside, ports, ids);
  const owner = new Map<string, Member>();
  for (const m of g.members) for (const id of layersOf(m)) owner.set(id, m);
  const outputs: BlockOutput[] = exposed.map((id, i) => {
    const m = owner.get(id)!;
    if (m.kind === 'layer') return { name: outNames[i], source: m.local };
    return { name: outNames[i], source: m.group.local, sourcePort: childPorts.get(m.group)!.outPort.get(id)! };
  });
  const inPort = ports;
  const outPort = new Map(exposed.map((id, i) => [id, outNames[i]] as const));
  const chain = repeatOf(ctx, g, body, inNames, outputs);
  if (chain) {
    return { block: chain.block, repeat: chain.repeat, inPort: new Map([[outsides[0], chain.input]]), outPort: new Map([[exposed[0], chain.output]]) };
  }
  const def = share(ctx, g, { inputs: inNames, outputs, ...body });
  return { block: def.id, inPort, outPort };
}

/** How each group was built, for the level above that reads its ports. */
const childPorts = new WeakMap<Group, Built>();

/**
 * A group that is only copies `0 … N−1` of one definition of one input and one output, each feeding the
 * next: an `nn.Sequential` of equal blocks, which a repeated instance writes exactly.
 */
function repeatOf(
  ctx: Ctx,
  g: Group,
  body: Body,
  inNames: readonly string[],
  outputs: readonly BlockOutput[],
): { block: string; repeat: number; input: string; output: string } | null {
  const n = g.members.length;
  if (n < 2 || body.nodes.length > 0 || inNames.length !== 1 || outputs.length !== 1) return null;
  const block = body.instances[0].block;
  const def = ctx.defs.find((d) => d.id === block)!;
  if (def.inputs.length !== 1 || def.outputs.length !== 1) return null;
  for (let k = 0; k < n; k++) {
    const inst = body.instances.find((i) => i.id === String(k));
    if (!inst || inst.block !== block || inst.repeat !== undefined) return null;
  }
  if (body.edges.length !== n) return null;
  for (let k = 0; k < n; k++) {
    const from = k === 0 ? inNames[0] : String(k - 1);
    if (!body.edges.some((e) => e.source === from && e.target === String(k))) return null;
  }
  if (outputs[0].source !== String(n - 1)) return null;
  return { block, repeat: n, input: def.inputs[0], output: def.outputs[0].name };
}

/** The definition with this body: an existing equal one, or a new one named after the group. */
function share(ctx: Ctx, g: Group, body: Omit<BlockDefinition, 'id'>): BlockDefinition {
  const key = JSON.stringify({
    inputs: body.inputs,
    outputs: body.outputs,
    nodes: body.nodes.map((n) => [n.id, n.kind, sortedParams(n.params)]),
    instances: (body.instances ?? []).map((i) => [i.id, i.block, i.repeat ?? 0]),
    edges: body.edges.map((e) => [e.source, e.sourcePort ?? '', e.target, e.targetPort ?? '', e.targetSlot ?? -1]),
  });
  const found = ctx.byKey.get(key);
  if (found) return found;
  const positions = dagreLayout({ nodes: body.nodes, edges: body.edges, instances: body.instances });
  const def: BlockDefinition = {
    id: defName(ctx, g),
    inputs: body.inputs,
    outputs: body.outputs,
    nodes: body.nodes.map((n) => ({ ...n, position: positions.get(n.id)! })),
    ...((body.instances ?? []).length > 0 ? { instances: body.instances!.map((i) => ({ ...i, position: positions.get(i.id)! })) } : {}),
    edges: body.edges,
  };
  ctx.byKey.set(key, def);
  ctx.defs.push(def);
  return def;
}

function sortedParams(p: Params): [string, unknown][] {
  return Object.keys(p)
    .sort()
    .map((k) => [k, p[k]]);
}

/**
 * A definition's name from its group's path, as a class name reads: `layer1.0` → `Layer1_0`, `features`
 * → `Features`; a second definition from the same name gets `_2`.
 */
function defName(ctx: Ctx, g: Group): string {
  const words = g.path.split('.').filter(Boolean);
  const base = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('_').replace(/[^A-Za-z0-9_]/g, '_') || 'Block';
  let name = base;
  for (let k = 2; ctx.defNames.has(name); k++) name = `${base}_${k}`;
  ctx.defNames.add(name);
  return name;
}

/**
 * Whether the grouped design unfolds to the flat one: every layer under its new id with its kind and
 * parameters, reading the same layers in the same order, and no block rule broken.
 */
function flattensBack(flat: Design, grouped: Design, ids: ReadonlyMap<string, string>): boolean {
  const unfolded = flattenBlocks(grouped);
  if (unfolded.issues.length > 0) return false;
  const back = unfolded.design;
  if (back.nodes.length !== flat.nodes.length) return false;
  const byId = new Map(back.nodes.map((n) => [n.id, n]));
  const readsOf = (d: Design, rename: (id: string) => string) => {
    const m = new Map<string, DesignEdge[]>();
    for (const e of d.edges) (m.get(rename(e.target)) ?? m.set(rename(e.target), []).get(rename(e.target))!).push(e);
    const out = new Map<string, string>();
    for (const [t, list] of m) out.set(t, [...list].sort((a, b) => (a.targetSlot ?? 0) - (b.targetSlot ?? 0)).map((e) => rename(e.source)).join('\u0000'));
    return out;
  };
  const was = readsOf(flat, (id) => ids.get(id)!);
  const now = readsOf(back, (id) => id);
  if (was.size !== now.size) return false;
  for (const n of flat.nodes) {
    const id = ids.get(n.id)!;
    const b = byId.get(id);
    if (!b || b.kind !== n.kind || JSON.stringify(sortedParams(b.params)) !== JSON.stringify(sortedParams(n.params))) return false;
    if ((was.get(id) ?? '') !== (now.get(id) ?? '')) return false;
  }
  return true;
}
