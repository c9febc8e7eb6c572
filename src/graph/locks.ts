/**
 * Lesson locks (format version 4): what an instructor fixes in place so a lesson's starting point survives
 * whatever a student does. A lock names a top-level layer; that layer cannot be deleted, renamed, moved into
 * a block or disconnected, and the parameters the lock lists cannot change.
 *
 * Locks are enforced on the result of an edit, not on each command: `lockViolation(before, after)` compares
 * two designs, so every command the store has or will have (delete, paste, group, undo, a fix…) is held to
 * the same rule by the one place that commits designs, and no command can forget it.
 */
import { isLayerKind, layerSpec } from './layers/index.ts';
import type { Issue } from './messages.ts';
import type { Design, DesignNode, NodeLock, ParamValue } from './types.ts';

export function lockOf(design: Pick<Design, 'locks'> | null | undefined, nodeId: string): NodeLock | undefined {
  return design?.locks?.find((l) => l.node === nodeId);
}

export function isParamLocked(design: Pick<Design, 'locks'> | null | undefined, nodeId: string, param: string): boolean {
  return lockOf(design, nodeId)?.params?.includes(param) ?? false;
}

/** The design with `locks` (sorted by node, params in the kind's order); no `locks` field when empty. */
export function setLocks(design: Design, locks: readonly NodeLock[]): Design {
  const { locks: _old, ...rest } = design;
  if (locks.length === 0) return rest;
  const order = new Map(design.nodes.map((n, i) => [n.id, i] as const));
  const sorted = [...locks]
    .map((l) => (l.params && l.params.length > 0 ? { node: l.node, params: paramsInOrder(design, l.node, l.params) } : { node: l.node }))
    .sort((a, b) => (order.get(a.node) ?? 0) - (order.get(b.node) ?? 0));
  return { ...rest, locks: sorted };
}

function paramsInOrder(design: Design, nodeId: string, params: readonly string[]): string[] {
  const kind = design.nodes.find((n) => n.id === nodeId)?.kind;
  const declared = kind && isLayerKind(kind) ? Object.keys(layerSpec(kind).params) : [];
  const known = declared.filter((p) => params.includes(p));
  return [...known, ...params.filter((p) => !declared.includes(p))];
}

/**
 * The design with one layer's lock replaced: `params` null unlocks the layer, a list (maybe empty: the layer
 * only) locks it with those parameters.
 */
export function setNodeLock(design: Design, nodeId: string, params: readonly string[] | null): Design {
  const others = (design.locks ?? []).filter((l) => l.node !== nodeId);
  return setLocks(design, params === null ? others : [...others, { node: nodeId, params }]);
}

/** Problems of a file's locks: a lock must name a top-level layer once, and parameters its kind has. */
export function lockFileIssues(design: Design): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  (design.locks ?? []).forEach((lock, index) => {
    const node = design.nodes.find((n) => n.id === lock.node);
    if (!node) return void issues.push({ severity: 'error', code: 'lock-unknown-node', values: { index, node: lock.node } });
    if (seen.has(lock.node)) issues.push({ severity: 'error', code: 'lock-duplicate', nodeId: node.id, values: { index, node: lock.node } });
    seen.add(lock.node);
    const declared = isLayerKind(node.kind) ? Object.keys(layerSpec(node.kind).params) : [];
    for (const param of lock.params ?? []) {
      if (!declared.includes(param)) {
        issues.push({ severity: 'error', code: 'lock-unknown-param', nodeId: node.id, param, values: { index, node: lock.node, kind: node.kind, param } });
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
 * that unfolding a block beside it is no disconnection; and the locks are the same unless `locksMayChange`.
 */
export function lockViolation(before: Design, after: Design, opts: LockCheckOptions = {}): Issue | null {
  const locks = before.locks ?? [];
  // Edits carry the locks over by reference; only a new list is compared by value.
  if (!opts.locksMayChange && after.locks !== before.locks && JSON.stringify(after.locks ?? []) !== JSON.stringify(locks)) {
    return { severity: 'error', code: 'lock-locks', values: {} };
  }
  if (locks.length === 0) return null;
  const was = new Map(before.nodes.map((n) => [n.id, n] as const));
  const now = new Map(after.nodes.map((n) => [n.id, n] as const));
  // The layer the edit acts on is named first: deleting a layer fed by a locked one is about that layer.
  for (const lock of locks) {
    const old = was.get(lock.node);
    if (!old) continue; // a lock the file check would refuse; nothing to hold
    const node = now.get(lock.node);
    if (node === old) continue; // an edit keeps every node it does not touch as the same object
    const values = { node: nodeName(old) };
    if (!node || node.kind !== old.kind) return { severity: 'error', code: 'lock-node', nodeId: old.id, values };
    if ((node.label ?? '') !== (old.label ?? '')) return { severity: 'error', code: 'lock-label', nodeId: old.id, values };
    for (const param of lock.params ?? []) {
      if (!sameValue(node.params[param], old.params[param])) {
        return { severity: 'error', code: 'lock-param', nodeId: old.id, param, values: { ...values, param, value: showValue(old.params[param]) } };
      }
    }
  }
  if (before.edges === after.edges && opts.beforeFlat === opts.afterFlat) return null;
  const degBefore = connectionCounts(opts.beforeFlat ?? before);
  const degAfter = connectionCounts(opts.afterFlat ?? after);
  const none = { into: 0, out: 0 };
  for (const lock of locks) {
    const old = was.get(lock.node);
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
