/**
 * Graph structure of a design: inputs per node in slot order, consumers, a topological order, and the
 * nodes caught in cycles (reported, never looped over).
 */
import type { Design, DesignEdge } from './types.ts';

export interface Topology {
  /** Source node ids feeding each node, ordered by target slot (then by edge order). */
  readonly inputsOf: ReadonlyMap<string, readonly string[]>;
  readonly consumersOf: ReadonlyMap<string, readonly string[]>;
  /** Acyclic nodes in a topological order (Kahn; ties keep document order, so output is stable). */
  readonly order: readonly string[];
  /** Each node on a cycle, with one cycle through it for the message (nodes only behind a cycle are absent). */
  readonly cycles: ReadonlyMap<string, readonly string[]>;
}

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

  const cycles = new Map<string, string[]>();
  if (order.length < design.nodes.length) {
    const stuck = new Set(design.nodes.map((n) => n.id).filter((id) => indegree.get(id)! > 0));
    // A stuck node is either on a cycle or merely downstream of one; only the former is reported.
    for (const id of stuck) {
      const cycle = findCycle(id, stuck, consumers);
      if (cycle) cycles.set(id, cycle);
    }
  }
  return { inputsOf, consumersOf: consumers, order, cycles };
}

/** A shortest cycle through `start` among the stuck nodes (BFS back to start), for the message. */
function findCycle(start: string, stuck: ReadonlySet<string>, consumers: ReadonlyMap<string, readonly string[]>): string[] | null {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    for (const c of consumers.get(id) ?? []) {
      if (!stuck.has(c)) continue;
      if (c === start) {
        const path = [id];
        while (path[0] !== start) path.unshift(parent.get(path[0])!);
        return path;
      }
      if (!parent.has(c)) {
        parent.set(c, id);
        queue.push(c);
      }
    }
  }
  return null;
}
