/**
 * Lesson locks (format version 4): what an instructor fixes in place so a lesson's starting point survives
 * whatever a student does. A lock names a top-level layer; that layer cannot be deleted, renamed, moved into
 * a block or disconnected, and the parameters the lock lists cannot change. Since version 5 a lock may also
 * name a top-level block instance (it stays exactly as it is, its definitions included) or, with `block`, a
 * layer inside a block definition (held as a top-level layer is, inside its definition, and every use of
 * that block stays a use of it: unfolding, ungrouping or making one unique would leave the layer behind).
 *
 * Locks are enforced on the result of an edit, not on each command: `lockViolation(before, after)` compares
 * two designs, so every command the store has or will have (delete, paste, group, undo, a fix…) is held to
 * the same rule by the one place that commits designs, and no command can forget it.
 */
import { isLayerKind, layerSpec } from './layers/index.ts';
import type { Issue } from './messages.ts';
import type { BlockDefinition, BlockInstance, Design, DesignNode, NodeLock, ParamValue } from './types.ts';

/** The lock of the top-level layer or instance `nodeId`, or of the layer `nodeId` inside the definition `block`. */
export function lockOf(design: Pick<Design, 'locks'> | null | undefined, nodeId: string, block?: string): NodeLock | undefined {
  return design?.locks?.find((l) => l.node === nodeId && l.block === block);
}

/** The layer a lock holds: on the top level, or inside the block definition it names. */
function lockedLayer(design: Design, lock: NodeLock): DesignNode | undefined {
  const nodes = lock.block === undefined ? design.nodes : design.blocks?.find((b) => b.id === lock.block)?.nodes;
  return nodes?.find((n) => n.id === lock.node);
}

function lockedInstance(design: Design, lock: NodeLock): BlockInstance | undefined {
  return lock.block === undefined ? design.instances?.find((i) => i.id === lock.node) : undefined;
}

/** Every use of the definition `block`, as "container/instance" ("" is the top level). */
function usesOf(design: Design, block: string): string[] {
  const top = (design.instances ?? []).filter((i) => i.block === block).map((i) => `/${i.id}`);
  const inner = (design.blocks ?? []).flatMap((b) => (b.instances ?? []).filter((i) => i.block === block).map((i) => `${b.id}/${i.id}`));
  return [...top, ...inner];
}

/** The definitions an instance of `block` unfolds through: its own and those of the blocks nested in it. */
function definitionsUnder(design: Design, block: string): string[] {
  const seen = new Set<string>();
  const stack = [block];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const i of design.blocks?.find((b) => b.id === id)?.instances ?? []) stack.push(i.block);
  }
  return [...seen];
}

/** Edges in and out of `id` among `edges`. */
function degree(edges: Design['edges'], id: string): { into: number; out: number } {
  return { into: edges.filter((e) => e.target === id).length, out: edges.filter((e) => e.source === id).length };
}

/** What an instance lock holds still: everything but its place on the canvas and its notes. */
const instanceBody = ({ position: _, notes: __, ...rest }: BlockInstance) => JSON.stringify(rest);

/** What a locked instance's definitions hold still: everything but the notes (words about it, not it). */
const definitionBody = (b: BlockDefinition | undefined) =>
  b && JSON.stringify({ ...b, notes: undefined, nodes: b.nodes.map(({ notes: _, ...n }) => n), instances: b.instances?.map(({ notes: _, ...i }) => i) });

export function isParamLocked(design: Pick<Design, 'locks'> | null | undefined, nodeId: string, param: string): boolean {
  return lockOf(design, nodeId)?.params?.includes(param) ?? false;
}

/** The design with `locks` (sorted by node, params in the kind's order); no `locks` field when empty. */
export function setLocks(design: Design, locks: readonly NodeLock[]): Design {
  const { locks: _old, ...rest } = design;
  if (locks.length === 0) return rest;
  const order = new Map(design.nodes.map((n, i) => [n.id, i] as const));
  const sorted = [...locks]
    .map((l) => {
      const at = { node: l.node, ...(l.block !== undefined ? { block: l.block } : {}) };
      return l.params && l.params.length > 0 ? { ...at, params: paramsInOrder(design, l, l.params) } : at;
    })
    .sort((a, b) => (order.get(a.node) ?? 0) - (order.get(b.node) ?? 0));
  return { ...rest, locks: sorted };
}

function paramsInOrder(design: Design, lock: NodeLock, params: readonly string[]): string[] {
  const kind = lockedLayer(design, lock)?.kind;
  const declared = kind && isLayerKind(kind) ? Object.keys(layerSpec(kind).params) : [];
  const known = declared.filter((p) => params.includes(p));
  return [...known, ...params.filter((p) => !declared.includes(p))];
}

/**
 * The design with one layer's lock replaced: `params` null unlocks the layer, a list (maybe empty: the layer
 * only) locks it with those parameters.
 */
export function setNodeLock(design: Design, nodeId: string, params: readonly string[] | null, block?: string): Design {
  const others = (design.locks ?? []).filter((l) => l.node !== nodeId || l.block !== block);
  return setLocks(design, params === null ? others : [...others, { node: nodeId, ...(block !== undefined ? { block } : {}), params }]);
}

/**
 * Problems of a file's locks: a lock must name, once, a top-level layer or block instance or a layer of the
 * block definition it names, and only parameters that layer's kind has (a block instance has none to list).
 */
export function lockFileIssues(design: Design): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  (design.locks ?? []).forEach((lock, index) => {
    const node = lockedLayer(design, lock);
    const instance = node ? undefined : lockedInstance(design, lock);
    const values = { index, node: lock.node, block: lock.block ?? '' };
    if (!node && !instance) return void issues.push({ severity: 'error', code: 'lock-unknown-node', values });
    const nodeId = node && lock.block === undefined ? { nodeId: node.id } : {};
    const key = `${lock.block ?? ''}/${lock.node}`;
    if (seen.has(key)) issues.push({ severity: 'error', code: 'lock-duplicate', ...nodeId, values });
    seen.add(key);
    const kind = node?.kind ?? instance!.block;
    const declared = node && isLayerKind(node.kind) ? Object.keys(layerSpec(node.kind).params) : [];
    for (const param of lock.params ?? []) {
      if (!declared.includes(param)) {
        issues.push({ severity: 'error', code: 'lock-unknown-param', ...nodeId, param, values: { ...values, kind, param } });
      }
    }
  });
  return issues;
}

const nodeName = (n: DesignNode) => n.label || n.id;
const sameValue = (a: ParamValue | undefined, b: ParamValue | undefined) => JSON.stringify(a) === JSON.stringify(b);
const showValue = (v: ParamValue | undefined) => (v === undefined ? '—' : Array.isArray(v) ? v.join('×') : String(v));

export type ConnectionCounts = ReadonlyMap<string, { readonly into: number; readonly out: number }>;

/** How many connections enter and leave each node of an unfolded design. */
export function connectionCounts(flat: Pick<Design, 'edges'>): ConnectionCounts {
  const out = new Map<string, { into: number; out: number }>();
  const at = (id: string) => out.get(id) ?? (out.set(id, { into: 0, out: 0 }), out.get(id)!);
  for (const e of flat.edges) {
    at(e.target).into++;
    at(e.source).out++;
  }
  return out;
}

export interface LockCheckOptions {
  /** The unfolded designs (blocks flattened), when the caller has them; `before`/`after` otherwise. */
  readonly beforeFlat?: Pick<Design, 'edges'>;
  readonly afterFlat?: Pick<Design, 'edges'>;
  /**
   * The connections the lesson gave each layer (counted when it was opened or its locks were set): an edit
   * may take away connections a student added to a locked layer, and undo them, but not go below these.
   * Without it, no edit may take away any connection of a locked layer.
   */
  readonly floor?: ConnectionCounts;
  /** Only the instructor's lock command may change the locks themselves. */
  readonly locksMayChange?: boolean;
}

/**
 * Why `after` breaks a lock of `before`, or null when it keeps them all: every locked layer is still on the
 * top level with its kind, name and locked parameter values; no locked layer loses connections in or out
 * below what it had (or, with `floor`, below what the lesson gave it), counted on the unfolded graph so
 * that unfolding a block beside it is no disconnection; a locked layer inside a block definition and a locked
 * block instance hold as `layerViolation` and `instanceViolation` say; and the locks are the same unless
 * `locksMayChange`.
 */
export function lockViolation(before: Design, after: Design, opts: LockCheckOptions = {}): Issue | null {
  const locks = before.locks ?? [];
  // Edits carry the locks over by reference; only a new list is compared by value.
  if (!opts.locksMayChange && after.locks !== before.locks && JSON.stringify(after.locks ?? []) !== JSON.stringify(locks)) {
    return { severity: 'error', code: 'lock-locks', values: {} };
  }
  if (locks.length === 0) return null;
  // The layer the edit acts on is named first: deleting a layer fed by a locked one is about that layer.
  for (const lock of locks) {
    const broken = lock.block === undefined && lockedInstance(before, lock) ? instanceViolation(before, after, lock) : layerViolation(before, after, lock);
    if (broken) return broken;
  }
  if (before.edges === after.edges && opts.beforeFlat === opts.afterFlat) return null;
  const degBefore = connectionCounts(opts.beforeFlat ?? before);
  const degAfter = connectionCounts(opts.afterFlat ?? after);
  const none = { into: 0, out: 0 };
  for (const lock of locks) {
    if (lock.block !== undefined) continue; // held inside its definition (layerViolation)
    const old = before.nodes.find((n) => n.id === lock.node);
    if (!old) continue;
    const a = degBefore.get(old.id) ?? none;
    const b = degAfter.get(old.id) ?? none;
    const min = opts.floor ? (opts.floor.get(old.id) ?? none) : a;
    if ((b.into < a.into && b.into < min.into) || (b.out < a.out && b.out < min.out)) {
      return { severity: 'error', code: 'lock-wire', nodeId: old.id, values: { node: nodeName(old) } };
    }
  }
  return null;
}

/**
 * A locked layer, on the top level or inside a definition: still there with its kind, name and locked
 * values. Inside a definition also: no fewer connections there, and every use of the block kept.
 */
function layerViolation(before: Design, after: Design, lock: NodeLock): Issue | null {
  const old = lockedLayer(before, lock);
  if (!old) return null; // a lock the file check would refuse; nothing to hold
  const node = lockedLayer(after, lock);
  if (node === old && lock.block === undefined) return null; // an edit keeps every node it does not touch as the same object
  const at = lock.block === undefined ? { nodeId: old.id } : {};
  const values = { node: lock.block === undefined ? nodeName(old) : `${lock.block}/${nodeName(old)}` };
  if (!node || node.kind !== old.kind) return { severity: 'error', code: 'lock-node', ...at, values };
  if ((node.label ?? '') !== (old.label ?? '')) return { severity: 'error', code: 'lock-label', ...at, values };
  for (const param of lock.params ?? []) {
    if (!sameValue(node.params[param], old.params[param])) {
      return { severity: 'error', code: 'lock-param', ...at, param, values: { ...values, param, value: showValue(old.params[param]) } };
    }
  }
  if (lock.block === undefined) return null;
  const defBefore = before.blocks!.find((b) => b.id === lock.block)!;
  const defAfter = after.blocks!.find((b) => b.id === lock.block)!;
  const [a, b] = [degree(defBefore.edges, old.id), degree(defAfter.edges, old.id)];
  if (b.into < a.into || b.out < a.out) return { severity: 'error', code: 'lock-wire', values };
  const kept = new Set(usesOf(after, lock.block));
  const lost = usesOf(before, lock.block).find((use) => !kept.has(use));
  if (lost !== undefined) return { severity: 'error', code: 'lock-block-use', values: { ...values, block: lock.block, instance: lost.replace(/^\//, '') } };
  // A locked parameter bound to a block argument takes its value from each use: those values are locked too.
  // (One level: a use inside another definition that binds the argument to that block's own argument is
  // held by its bind, not by the outer block's instances.)
  for (const param of lock.params ?? []) {
    const arg = old.bind?.[param];
    if (arg === undefined) continue;
    for (const use of usesOf(before, lock.block)) {
      if (argValues(findUse(before, use), arg) !== argValues(findUse(after, use), arg)) {
        return { severity: 'error', code: 'lock-param', param, values: { ...values, param, value: showValue(old.params[param]) } };
      }
    }
  }
  return null;
}

function findUse(design: Design, use: string): BlockInstance | undefined {
  const [container, id] = use.split(/\/(?=[^/]*$)/);
  const instances = container === '' ? design.instances : design.blocks?.find((b) => b.id === container)?.instances;
  return instances?.find((i) => i.id === id);
}

/** What an instance gives the argument `arg`: its value, each copy's override, and its bind. */
function argValues(instance: BlockInstance | undefined, arg: string): string {
  const overrides = Object.entries(instance?.overrides ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([copy, values]) => [copy, values[arg]]);
  return JSON.stringify([instance?.args?.[arg], overrides, instance?.bind?.[arg]]);
}

/** A locked block instance: the same use of the same definitions, nothing it reaches edited, no fewer connections. */
function instanceViolation(before: Design, after: Design, lock: NodeLock): Issue | null {
  const old = lockedInstance(before, lock)!;
  const now = lockedInstance(after, lock);
  const broken: Issue = { severity: 'error', code: 'lock-instance', values: { node: old.label || old.id } };
  if (!now || (now !== old && instanceBody(now) !== instanceBody(old))) return broken;
  if (before.blocks !== after.blocks) {
    for (const id of definitionsUnder(before, old.block)) {
      const [was, is] = [before.blocks?.find((b) => b.id === id), after.blocks?.find((b) => b.id === id)];
      if (was !== is && definitionBody(was) !== definitionBody(is)) return broken;
    }
  }
  if (before.edges === after.edges) return null;
  const [a, b] = [degree(before.edges, old.id), degree(after.edges, old.id)];
  return b.into < a.into || b.out < a.out ? broken : null;
}
