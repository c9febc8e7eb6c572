/**
 * Graph structure of a design: inputs per node in slot order, consumers, a topological order, and the
 * nodes caught in cycles (reported, never looped over).
 */
import type { Issue } from './messages.ts';
import type { Design, DesignEdge } from './types.ts';

/** One cycle to show for a node: closed `path` (its first node not repeated at the end) in its `members`. */
export interface Cycle {
  /** The strongly connected part: each of these nodes feeds every other, in document order. */
  readonly members: readonly string[];
  /** A shortest cycle through the node when the part is short, else one shared cycle through `members[0]`. */
  readonly path: readonly string[];
}

export interface Topology {
  /** Source node ids feeding each node, ordered by target slot (then by edge order). */
  readonly inputsOf: ReadonlyMap<string, readonly string[]>;
  readonly consumersOf: ReadonlyMap<string, readonly string[]>;
  /** Acyclic nodes in a topological order (Kahn; ties keep document order, so output is stable). */
  readonly order: readonly string[];
  /** Each node on a cycle, in document order (nodes only behind a cycle are absent). */
  readonly cycles: ReadonlyMap<string, Cycle>;
}

/**
 * Up to this many nodes a part gets a shortest cycle per node, named whole in its message. Beyond it one
 * cycle is found for the whole part: a cycle per node would cost time and memory quadratic in its length.
 */
export const SHORT_CYCLE = 16;

function slotOf(edge: DesignEdge): number {
  return edge.targetSlot ?? 0;
}

export function buildTopology(design: Pick<Design, 'nodes' | 'edges'>): Topology {
  const ids = new Set(design.nodes.map((n) => n.id));
  const incoming = new Map<string, DesignEdge[]>();
  const consumers = new Map<string, string[]>();
  for (const n of design.nodes) {
    incoming.set(n.id, []);
    consumers.set(n.id, []);
  }
  // Dangling edges are the loader's to report; structure just ignores them.
  for (const e of design.edges) {
    if (!ids.has(e.source) || !ids.has(e.target)) continue;
    incoming.get(e.target)!.push(e);
    consumers.get(e.source)!.push(e.target);
  }
  const inputsOf = new Map<string, string[]>();
  for (const [id, edges] of incoming) {
    inputsOf.set(
      id,
      edges
        .map((e, i) => ({ e, i }))
        .sort((a, b) => slotOf(a.e) - slotOf(b.e) || a.i - b.i)
        .map(({ e }) => e.source),
    );
  }

  const indegree = new Map<string, number>();
  for (const [id, srcs] of inputsOf) indegree.set(id, srcs.length);
  const order: string[] = [];
  const ready = design.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  for (let head = 0; head < ready.length; head++) {
    const id = ready[head];
    order.push(id);
    for (const c of consumers.get(id)!) {
      const d = indegree.get(c)! - 1;
      indegree.set(c, d);
      if (d === 0) ready.push(c);
    }
  }

  // What Kahn's algorithm could not order is on a cycle or merely behind one; only the former is reported.
  const stuck = design.nodes.map((n) => n.id).filter((id) => indegree.get(id)! > 0);
  const cycles = stuck.length > 0 ? findCycles(stuck, consumers) : new Map<string, Cycle>();
  return { inputsOf, consumersOf: consumers, order, cycles };
}

/** The cycle of every node on one, from the strongly connected parts of the stuck nodes (linear overall). */
function findCycles(stuck: readonly string[], consumers: ReadonlyMap<string, readonly string[]>): Map<string, Cycle> {
  const part = strongParts(stuck, consumers);
  const members = new Map<number, string[]>();
  for (const id of stuck) {
    const p = part.get(id)!;
    const list = members.get(p);
    if (list) list.push(id);
    else members.set(p, [id]);
  }
  const cycles = new Map<string, Cycle>();
  const shared = new Map<number, Cycle>();
  for (const id of stuck) {
    const p = part.get(id)!;
    const list = members.get(p)!;
    const next = (x: string) => (consumers.get(x) ?? []).filter((c) => part.get(c) === p);
    if (list.length === 1 && !next(id).includes(id)) continue; // alone and not feeding itself: behind a cycle
    if (list.length <= SHORT_CYCLE) {
      cycles.set(id, { members: list, path: shortestCycle(id, next) });
      continue;
    }
    if (!shared.has(p)) shared.set(p, { members: list, path: shortestCycle(list[0], next) });
    cycles.set(id, shared.get(p)!);
  }
  return cycles;
}

/**
 * Tarjan's strongly connected components over `ids` (edges to other nodes ignored), iteratively so that a
 * cycle of 20,000 nodes cannot overflow the stack. Returns each node's part number.
 */
function strongParts(ids: readonly string[], consumers: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const within = new Set(ids);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const part = new Map<string, number>();
  let counter = 0;
  let parts = 0;
  const open = (id: string) => {
    index.set(id, counter);
    low.set(id, counter++);
    stack.push(id);
    onStack.add(id);
  };
  for (const root of ids) {
    if (index.has(root)) continue;
    open(root);
    const work = [{ id: root, next: 0 }];
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const succ = consumers.get(frame.id) ?? [];
      if (frame.next < succ.length) {
        const w = succ[frame.next++];
        if (!within.has(w)) continue;
        if (!index.has(w)) {
          open(w);
          work.push({ id: w, next: 0 });
        } else if (onStack.has(w)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          part.set(w, parts);
        } while (w !== frame.id);
        parts++;
      }
    }
  }
  return part;
}

/** A shortest cycle through `start` (BFS back to it), its first node not repeated at the end. */
function shortestCycle(start: string, next: (id: string) => readonly string[]): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    for (const c of next(id)) {
      if (c === start) {
        const path = [id];
        while (path[path.length - 1] !== start) path.push(parent.get(path[path.length - 1])!);
        return path.reverse();
      }
      if (!parent.has(c)) {
        parent.set(c, id);
        queue.push(c);
      }
    }
  }
  return [start]; // unreachable: every node handed in lies on a cycle
}

/** How many names a long cycle's message shows: the first few, then the last one back to the first. */
const SHOWN_HEAD = 3;

/** A cycle as a message shows it: whole when short, else "a → b → c → … → z → a". */
function cyclePath(path: readonly string[], nameOf: (id: string) => string): string {
  const names = path.length <= SHORT_CYCLE ? path.map(nameOf) : [...path.slice(0, SHOWN_HEAD).map(nameOf), '…', nameOf(path[path.length - 1])];
  return [...names, nameOf(path[0])].join(' → ');
}

/**
 * The issue for a node on a cycle, `name` being how messages name it. A long part is reported with its
 * size and a short excerpt, so the message stays a line whatever the cycle's length.
 */
export function cycleIssue(nodeId: string, name: string, cycle: Cycle, nameOf: (id: string) => string): Issue {
  const path = cyclePath(cycle.path, nameOf);
  return cycle.members.length <= SHORT_CYCLE
    ? { severity: 'error', code: 'cycle', nodeId, values: { node: name, path } }
    : { severity: 'error', code: 'cycle-long', nodeId, values: { node: name, count: cycle.members.length, path } };
}
