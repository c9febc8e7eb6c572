/**
 * The frames the canvas draws around an unfolded block, and folding one back. Unfolding in place
 * (block-edit.ts `expandInPlace`) writes the block's layers with path names (`layer2.0.conv1`: instance,
 * copy, layer, as PyTorch names modules); the definition stays in the library. So a frame is read from the
 * document itself — a path prefix whose members are exactly what a library definition unfolds to — and
 * survives undo, saving and share links without a field of its own in the file.
 *
 * Folding back rebuilds the instance (its arguments read back from the parameters the unfolding bound and
 * from which optional layers are there) and keeps it only if unfolding it again gives the very layers and
 * wires on the canvas: an edit made since (a changed kernel, a new wire) is never folded away.
 */
import { expandInPlace, type BlockEditResult } from './block-edit.ts';
import type { BlockDefinition, BlockInstance, Design, DesignEdge, DesignNode, ParamValue } from './types.ts';

export interface BlockFrame {
  /** The unfolded instance's path (`layer2`, or `layer2.0` for one of its copies): members' ids start with it and a dot. */
  readonly id: string;
  /** The definition it unfolds (`Bottleneck`). */
  readonly block: string;
  /** How many copies it stacks (×N), null for a single copy. */
  readonly repeat: number | null;
  /** The enclosing frame (stage → block), null at the top. */
  readonly parent: string | null;
  /** True for one numbered copy of its parent's repeat (`layer2.0`). */
  readonly copy: boolean;
  /** Top-level layers and instances inside it, at any depth. */
  readonly members: readonly string[];
}

const isIndex = (s: string) => /^(0|[1-9]\d*)$/.test(s);

/** True when `suffix` (what follows a copy's prefix) names something `def` unfolds to. */
function fits(suffix: string, def: BlockDefinition, defs: ReadonlyMap<string, BlockDefinition>, isInstance: boolean, depth = 0): boolean {
  if (depth > 32) return false;
  if (!isInstance && def.nodes.some((n) => n.id === suffix)) return true;
  for (const c of def.instances ?? []) {
    if (suffix === c.id) return isInstance;
    if (!suffix.startsWith(`${c.id}.`)) continue;
    const inner = defs.get(c.block);
    if (!inner) return false;
    let rest = suffix.slice(c.id.length + 1);
    if (c.repeat !== undefined) {
      const dot = rest.indexOf('.');
      const k = dot < 0 ? rest : rest.slice(0, dot);
      if (!isIndex(k) || Number(k) >= c.repeat) return false;
      if (dot < 0) return isInstance;
      rest = rest.slice(dot + 1);
    }
    return fits(rest, inner, defs, isInstance, depth + 1);
  }
  return false;
}

/** True when a copy's member paths hold every layer `def` always has and every block it nests (so a bigger definition does not pass for a smaller one). */
function covers(def: BlockDefinition, paths: readonly string[]): boolean {
  const have = new Set(paths);
  const heads = new Set(paths.map((p) => p.split('.', 1)[0]));
  return def.nodes.every((n) => n.when !== undefined || have.has(n.id)) && (def.instances ?? []).every((c) => heads.has(c.id));
}

/** The definition and copies a path prefix unfolds, if its members are exactly such an unfolding. */
function frameAt(prefix: string, members: readonly string[], design: Pick<Design, 'blocks'>, defs: ReadonlyMap<string, BlockDefinition>, instances: ReadonlySet<string>) {
  const rests = members.map((id) => id.slice(prefix.length + 1));
  const heads = rests.map((r) => r.split('.', 1)[0]);
  for (const def of design.blocks ?? []) {
    if (heads.every(isIndex)) {
      // A repeat: every member sits in a numbered copy, 0 … N−1, and each copy is the definition.
      const copies = new Set(heads.map(Number));
      const n = Math.max(...copies) + 1;
      if (copies.size !== n) continue;
      const inner = rests.map((r, i) => r.slice(heads[i].length + 1));
      const ok = inner.every((r, i) => r !== '' && fits(r, def, defs, instances.has(members[i])));
      if (ok && covers(def, inner.filter((_, i) => heads[i] === '0'))) return { block: def.id, repeat: n };
    } else if (rests.every((r, i) => fits(r, def, defs, instances.has(members[i]))) && covers(def, rests)) return { block: def.id, repeat: null };
  }
  return null;
}

/**
 * Every unfolded block on the top level, outermost first; a frame inside another names it as `parent`.
 * Layers with dots in their names that no library definition accounts for get no frame.
 */
export function blockFrames(design: Pick<Design, 'nodes' | 'instances' | 'blocks'>): BlockFrame[] {
  const defs = new Map((design.blocks ?? []).map((b) => [b.id, b] as const));
  if (defs.size === 0) return [];
  const instances = new Set((design.instances ?? []).map((i) => i.id));
  const byPrefix = new Map<string, string[]>();
  for (const id of [...design.nodes.map((n) => n.id), ...instances]) {
    const parts = id.split('.');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('.');
      const list = byPrefix.get(prefix);
      if (list) list.push(id);
      else byPrefix.set(prefix, [id]);
    }
  }
  const frames: BlockFrame[] = [];
  const found = new Map<string, BlockFrame>();
  // Shorter prefixes first, so a frame's parent is already known when it is met.
  for (const prefix of [...byPrefix.keys()].sort((a, b) => a.split('.').length - b.split('.').length || a.localeCompare(b))) {
    const members = byPrefix.get(prefix)!;
    const parentId = [...found.keys()].filter((f) => prefix.startsWith(`${f}.`)).sort((a, b) => b.length - a.length)[0] ?? null;
    const parent = parentId === null ? null : found.get(parentId)!;
    if (instances.has(prefix)) continue;
    // Inside a frame only the paths its definition knows are blocks: a numbered copy, a nested instance.
    const copy = parent !== null && parent.repeat !== null && isIndex(prefix.slice(parent.id.length + 1));
    const nested = parent === null || copy ? undefined : nestedInstance(prefix, parent, defs);
    if (parent !== null && !copy && !nested) continue;
    const at = copy ? { block: parent!.block, repeat: null } : nested ? { block: nested.block, repeat: nested.repeat ?? null } : frameAt(prefix, members, design, defs, instances);
    if (!at) continue;
    const frame: BlockFrame = { id: prefix, ...at, parent: parentId, copy, members };
    frames.push(frame);
    found.set(prefix, frame);
  }
  return frames;
}

/** The instance inside `parent`'s definition that `prefix` names (so it is a frame of its own), if any. */
function nestedInstance(prefix: string, parent: BlockFrame, defs: ReadonlyMap<string, BlockDefinition>): BlockInstance | undefined {
  if (parent.repeat !== null) return undefined; // its children are its copies
  const rest = prefix.slice(parent.id.length + 1);
  return defs.get(parent.block)?.instances?.find((c) => c.id === rest);
}

type Refused = Extract<BlockEditResult, { ok: false }>;
const refused = (frame: string, block: string): Refused => ({ ok: false, reason: { severity: 'error', code: 'refold-edited', values: { node: frame, block } } });

/**
 * Folds an unfolded top-level frame back into one instance of its definition, its arguments read back from
 * its layers. Refused (`refold-edited`) when that instance would not unfold to exactly the layers, their
 * parameters and the wires now on the canvas.
 */
export function refoldFrame(design: Design, frameId: string): BlockEditResult {
  const frame = blockFrames(design).find((f) => f.id === frameId && f.parent === null);
  const def = frame && design.blocks?.find((b) => b.id === frame.block);
  if (!frame || !def) return { ok: false, reason: { severity: 'error', code: 'connect-missing', values: { node: frameId } } };
  const defs = new Map((design.blocks ?? []).map((b) => [b.id, b] as const));
  const members = new Set(frame.members);
  const nodes = new Map(design.nodes.filter((n) => members.has(n.id)).map((n) => [n.id, n] as const));
  const insts = new Map((design.instances ?? []).filter((i) => members.has(i.id)).map((i) => [i.id, i] as const));
  const copies = frame.repeat ?? 1;
  const prefixOf = (k: number) => (frame.repeat === null ? `${frame.id}.` : `${frame.id}.${k}.`);

  const perCopy = Array.from({ length: copies }, (_, k) => readArgs(def, prefixOf(k), nodes, insts, defs));
  const { args, overrides } = splitArgs(def, perCopy);
  const members0 = [...nodes.values(), ...insts.values()];
  const instance: BlockInstance = {
    id: frame.id,
    block: def.id,
    ...(Object.keys(args).length > 0 ? { args } : {}),
    ...(frame.repeat !== null ? { repeat: frame.repeat } : {}),
    ...(Object.keys(overrides).length > 0 ? { overrides } : {}),
    position: { x: Math.min(...members0.map((m) => m.position.x)), y: Math.min(...members0.map((m) => m.position.y)) },
  };

  const edges: DesignEdge[] = [];
  const seen = new Set<string>();
  for (const e of design.edges) {
    const s = members.has(e.source);
    const t = members.has(e.target);
    if (s && t) continue;
    if (!s && !t) {
      edges.push(e);
      continue;
    }
    if (t) {
      const first = prefixOf(0);
      const port = e.target.startsWith(first) ? entryPort(def, e.target.slice(first.length), e.targetSlot, (p) => nodes.has(first + p) || insts.has(first + p), defs) : null;
      if (port === null) return refused(frame.id, def.id);
      const key = `${e.source}\u0000${e.sourcePort ?? ''}\u0000${port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const { targetSlot: _slot, targetPort: _port, ...rest } = e;
      edges.push({ ...rest, target: frame.id, ...(def.inputs.length > 1 ? { targetPort: port } : {}) });
    } else {
      const last = prefixOf(copies - 1);
      const exists = (p: string) => nodes.has(last + p) || insts.has(last + p);
      const port = def.outputs.find((o) => exitOf(def, o.name, exists, defs) === `${e.source.slice(last.length)}\u0000${e.sourcePort ?? ''}`);
      if (!port || !e.source.startsWith(last)) return refused(frame.id, def.id);
      const { sourcePort: _port, ...rest } = e;
      edges.push({ ...rest, source: frame.id, ...(def.outputs.length > 1 ? { sourcePort: port.name } : {}) });
    }
  }
  const others = (design.instances ?? []).filter((i) => !members.has(i.id));
  const candidate: Design = { ...design, nodes: design.nodes.filter((n) => !members.has(n.id)), edges, instances: [...others, instance] };
  const back = expandInPlace(candidate, frame.id);
  if (!back.ok || canonical(back.design) !== canonical(design)) return refused(frame.id, def.id);
  return { ok: true, design: candidate, id: frame.id };
}

/** One copy's arguments as its layers show them: a bound parameter's value, an optional layer's presence. */
function readArgs(def: BlockDefinition, prefix: string, nodes: ReadonlyMap<string, DesignNode>, insts: ReadonlyMap<string, BlockInstance>, defs: ReadonlyMap<string, BlockDefinition>, depth = 0): Map<string, ParamValue> {
  const out = new Map<string, ParamValue>();
  for (const n of def.nodes) {
    const m = nodes.get(prefix + n.id);
    if (n.when !== undefined) out.set(n.when, !!m);
    if (m) for (const [p, a] of Object.entries(n.bind ?? {})) if (Object.hasOwn(m.params, p)) out.set(a, m.params[p]);
  }
  for (const c of def.instances ?? []) {
    const m = insts.get(prefix + c.id);
    const inner = defs.get(c.block);
    // A nested instance still folded shows its arguments; an unfolded one, through its first copy's layers.
    const seen = m ? new Map(Object.entries(m.args ?? {})) : inner && depth < 32 ? readArgs(inner, `${prefix}${c.id}.${c.repeat !== undefined ? '0.' : ''}`, nodes, insts, defs, depth + 1) : new Map();
    for (const [a, parent] of Object.entries(c.bind ?? {})) if (seen.has(a)) out.set(parent, seen.get(a)!);
  }
  return out;
}

const same = (a: ParamValue | undefined, b: ParamValue | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** The value most copies share becomes the instance's argument (ties: the last copy's); the rest, per-copy overrides. */
function splitArgs(def: BlockDefinition, perCopy: readonly Map<string, ParamValue>[]) {
  const args: Record<string, ParamValue> = {};
  const overrides: Record<string, Record<string, ParamValue>> = {};
  for (const { name, default: fallback } of def.args ?? []) {
    const values = perCopy.map((c) => (c.has(name) ? c.get(name)! : fallback));
    let best = values[values.length - 1];
    let bestCount = 0;
    for (const v of [...values].reverse()) {
      const count = values.filter((w) => same(v, w)).length;
      if (count > bestCount) [best, bestCount] = [v, count];
    }
    if (!same(best, fallback)) args[name] = best;
    values.forEach((v, k) => {
      if (!same(v, best)) (overrides[String(k)] ??= {})[name] = v;
    });
  }
  return { args, overrides };
}

/**
 * The input port of `def` through which a wire from outside reaches `path` (a member's path inside one copy
 * of `def`), past layers the copy left out and through unfolded nested blocks; null when `path` is not fed
 * from outside. `exists` says whether a path inside this copy is on the canvas.
 */
function entryPort(def: BlockDefinition, path: string, slot: number | undefined, exists: (path: string) => boolean, defs: ReadonlyMap<string, BlockDefinition>, depth = 0): string | null {
  if (depth > 32) return null;
  const into = (id: string, port?: string, s?: number) =>
    def.edges.find((e) => e.target === id && (port === undefined || e.targetPort === port || (e.targetPort === undefined && port === firstInput(id))) && (s === undefined || (e.targetSlot ?? 0) === s));
  const firstInput = (id: string) => defs.get(def.instances?.find((c) => c.id === id)?.block ?? '')?.inputs[0];
  let edge: DesignEdge | undefined;
  if (def.nodes.some((n) => n.id === path)) edge = into(path, undefined, slot ?? 0) ?? into(path);
  else {
    const c = def.instances?.find((x) => path === x.id || path.startsWith(`${x.id}.`));
    const inner = c && defs.get(c.block);
    if (!c || !inner) return null;
    let rest = path.slice(c.id.length + 1);
    let copy = `${c.id}.`;
    if (c.repeat !== undefined) {
      const [k] = rest.split('.', 1);
      if (k !== '0') return null; // a later copy reads the one before it
      rest = rest.slice(k.length + 1);
      copy += '0.';
    }
    const port = path === c.id ? null : entryPort(inner, rest, slot, (p) => exists(copy + p), defs, depth + 1);
    if (port === null) return null;
    edge = into(c.id, port);
  }
  // Walk back past layers this copy left out (`when` false) to the input port.
  for (let guard = 0; edge && guard < 1000; guard++) {
    if (def.inputs.includes(edge.source)) return edge.source;
    const src = edge.source;
    const skipped = def.nodes.some((n) => n.id === src && n.when !== undefined) && !exists(src);
    if (!skipped) return null;
    edge = into(src);
  }
  return null;
}

/** The path (and port) inside one copy of `def` that produces the output `port`: `path\0port`, or null. */
function exitOf(def: BlockDefinition, port: string | undefined, exists: (path: string) => boolean, defs: ReadonlyMap<string, BlockDefinition>, depth = 0): string | null {
  const o = def.outputs.find((x) => x.name === port) ?? (port === undefined ? def.outputs[0] : undefined);
  if (!o || depth > 32) return null;
  let id = o.source;
  let sp = o.sourcePort;
  for (let guard = 0; guard < 1000; guard++) {
    if (exists(id)) return `${id}\u0000${sp ?? ''}`;
    const c = def.instances?.find((x) => x.id === id);
    const inner = c && defs.get(c.block);
    if (c && inner) {
      const last = `${c.id}.${c.repeat !== undefined ? `${c.repeat - 1}.` : ''}`;
      const r = exitOf(inner, sp, (p) => exists(last + p), defs, depth + 1);
      return r === null ? null : last + r;
    }
    // A layer this copy left out hands its single input on.
    const feed = def.edges.find((e) => e.target === id);
    if (!feed || def.inputs.includes(feed.source)) return null;
    [id, sp] = [feed.source, feed.sourcePort];
  }
  return null;
}

/** What unfolding must reproduce: every layer's kind and parameters, every instance, every wire (not positions or edge ids). */
function canonical(design: Design): string {
  const nodes = design.nodes.map((n) => JSON.stringify([n.id, n.kind, n.label ?? null, sortKeys(n.params)])).sort();
  const insts = (design.instances ?? []).map((i) => JSON.stringify([i.id, i.block, i.repeat ?? null, sortKeys(i.args ?? {}), sortKeys(i.overrides ?? {})])).sort();
  const edges = design.edges.map((e) => JSON.stringify([e.source, e.sourcePort ?? null, e.target, e.targetPort ?? null, e.targetSlot ?? 0])).sort();
  return JSON.stringify([nodes, insts, edges]);
}

function sortKeys(x: object): unknown {
  return Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)));
}
