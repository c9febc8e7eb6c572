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

/**
 * Design ids as dense numbers, the edges between them as compressed adjacency lists (CSR) in edge order.
 * Every pass below runs over typed arrays: on a 20,000-node cycle, string-keyed maps, per-node arrays and
 * closures cost ~10 µs a node in allocation and garbage collection, most of the 200 ms a refusal may take.
 */
interface Indexed {
  /** Distinct ids in document order; a duplicated id is one node here, as it is in the maps returned. */
  readonly ids: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** Edges kept (both ends known), as parallel arrays in edge order. */
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** Node i's consumers are `succ[succStart[i] .. succStart[i + 1])`, one per edge, in edge order. */
  readonly succStart: Int32Array;
  readonly succ: Int32Array;
}

function indexGraph(design: Pick<Design, 'nodes' | 'edges'>): Indexed & { readonly edges: readonly DesignEdge[] } {
  const indexOf = new Map<string, number>();
  const ids: string[] = [];
  for (const n of design.nodes) {
    if (indexOf.has(n.id)) continue;
    indexOf.set(n.id, ids.length);
    ids.push(n.id);
  }
  // Dangling edges are the loader's to report; structure just ignores them.
  const kept: DesignEdge[] = [];
  const fromList: number[] = [];
  const toList: number[] = [];
  for (const e of design.edges) {
    const s = indexOf.get(e.source);
    const t = indexOf.get(e.target);
    if (s === undefined || t === undefined) continue;
    kept.push(e);
    fromList.push(s);
    toList.push(t);
  }
  const from = Int32Array.from(fromList);
  const to = Int32Array.from(toList);
  const succStart = new Int32Array(ids.length + 1);
  for (let k = 0; k < from.length; k++) succStart[from[k] + 1]++;
  for (let i = 0; i < ids.length; i++) succStart[i + 1] += succStart[i];
  const fill = succStart.slice(0, ids.length);
  const succ = new Int32Array(from.length);
  for (let k = 0; k < from.length; k++) succ[fill[from[k]]++] = to[k];
  return { ids, indexOf, from, to, succStart, succ, edges: kept };
}

/** Kahn's topological order (ties keep document order) and what it left: indegree > 0 marks the stuck. */
function kahn(design: Pick<Design, 'nodes'>, g: Indexed): { order: string[]; indegree: Int32Array; stuck: number } {
  const { ids, succStart, succ } = g;
  const indegree = new Int32Array(ids.length);
  for (let k = 0; k < g.to.length; k++) indegree[g.to[k]]++;
  const order: string[] = [];
  const ready: number[] = [];
  for (const node of design.nodes) {
    const i = g.indexOf.get(node.id)!;
    if (indegree[i] === 0) ready.push(i);
  }
  for (let head = 0; head < ready.length; head++) {
    const i = ready[head];
    order.push(ids[i]);
    for (let k = succStart[i]; k < succStart[i + 1]; k++) if (--indegree[succ[k]] === 0) ready.push(succ[k]);
  }
  let stuck = 0;
  for (let i = 0; i < ids.length; i++) if (indegree[i] > 0) stuck++;
  return { order, indegree, stuck };
}

/**
 * Only the cycles of `buildTopology`: what the file reader needs to refuse a design, without the per-node
 * input and consumer lists it would throw away.
 */
export function findCycles(design: Pick<Design, 'nodes' | 'edges'>): ReadonlyMap<string, Cycle> {
  const g = indexGraph(design);
  const { indegree, stuck } = kahn(design, g);
  // What Kahn's algorithm could not order is on a cycle or merely behind one; only the former is reported.
  return stuck > 0 ? cyclesOf(g, indegree) : new Map<string, Cycle>();
}

export function buildTopology(design: Pick<Design, 'nodes' | 'edges'>): Topology {
  const g = indexGraph(design);
  const { ids, succStart, succ } = g;
  const n = ids.length;

  const consumersOf = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    const list: string[] = [];
    for (let k = succStart[i]; k < succStart[i + 1]; k++) list.push(ids[succ[k]]);
    consumersOf.set(ids[i], list);
  }
  const incoming: DesignEdge[][] = [];
  for (let i = 0; i < n; i++) incoming.push([]);
  for (let k = 0; k < g.edges.length; k++) incoming[g.to[k]].push(g.edges[k]);
  const inputsOf = new Map<string, string[]>();
  for (let i = 0; i < n; i++) inputsOf.set(ids[i], sourcesBySlot(incoming[i]));

  const { order, indegree, stuck } = kahn(design, g);
  const cycles = stuck > 0 ? cyclesOf(g, indegree) : new Map<string, Cycle>();
  return { inputsOf, consumersOf, order, cycles };
}

/** Sources in target-slot order, then edge order (most lists already are: then nothing is sorted). */
function sourcesBySlot(edges: readonly DesignEdge[]): string[] {
  let sorted = true;
  for (let j = 1; j < edges.length && sorted; j++) sorted = (edges[j - 1].targetSlot ?? 0) <= (edges[j].targetSlot ?? 0);
  const list = sorted ? edges : [...edges].sort((a, b) => (a.targetSlot ?? 0) - (b.targetSlot ?? 0)); // stable
  const out: string[] = [];
  for (const e of list) out.push(e.source);
  return out;
}

/** The cycle of every node on one, from the strongly connected parts of the stuck nodes (linear overall). */
function cyclesOf(g: Indexed, indegree: Int32Array): Map<string, Cycle> {
  const { ids, succStart, succ } = g;
  const n = ids.length;
  const part = strongParts(g, indegree);
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) if (part[i] >= 0) size[part[i]]++;
  // Indexed by part number; a part has an entry only if it holds a cycle.
  const members: (string[] | undefined)[] = [];
  const shared: (Cycle | undefined)[] = [];
  const cycles = new Map<string, Cycle>();
  const selfLoop = (i: number) => {
    for (let k = succStart[i]; k < succStart[i + 1]; k++) if (succ[k] === i) return true;
    return false;
  };
  for (let i = 0; i < n; i++) {
    const p = part[i];
    if (p < 0) continue;
    if (size[p] === 1 && !selfLoop(i)) continue; // alone and not feeding itself: behind a cycle
    const list = members[p];
    if (list) list.push(ids[i]);
    else members[p] = [ids[i]];
  }
  // Second pass, once every part's members list is whole (in document order).
  const parent = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const p = part[i];
    const list = p < 0 ? undefined : members[p];
    if (!list) continue;
    if (list.length <= SHORT_CYCLE) {
      cycles.set(ids[i], { members: list, path: shortestCycle(g, i, part, parent) });
      continue;
    }
    shared[p] ??= { members: list, path: shortestCycle(g, i, part, parent) };
    cycles.set(ids[i], shared[p]);
  }
  return cycles;
}

/**
 * Tarjan's strongly connected components over the stuck nodes (indegree left > 0; edges to other nodes
 * ignored), iteratively so that a cycle of 20,000 nodes cannot overflow the stack. Returns each node's
 * part number, −1 for nodes not stuck.
 */
function strongParts(g: Indexed, indegree: Int32Array): Int32Array {
  const { succStart, succ } = g;
  const n = g.ids.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const part = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let top = 0;
  // The depth-first path: the node and the position of its next successor to look at.
  const workNode = new Int32Array(n);
  const workNext = new Int32Array(n);
  let counter = 0;
  let parts = 0;
  let depth = 0;
  const open = (v: number) => {
    index[v] = low[v] = counter++;
    stack[top++] = v;
    onStack[v] = 1;
    workNode[depth] = v;
    workNext[depth++] = succStart[v];
  };
  for (let root = 0; root < n; root++) {
    if (indegree[root] === 0 || index[root] >= 0) continue;
    open(root);
    while (depth > 0) {
      const v = workNode[depth - 1];
      if (workNext[depth - 1] < succStart[v + 1]) {
        const w = succ[workNext[depth - 1]++];
        if (indegree[w] === 0) continue;
        if (index[w] < 0) open(w);
        else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      depth--;
      if (depth > 0) {
        const parent = workNode[depth - 1];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--top];
          onStack[w] = 0;
          part[w] = parts;
        } while (w !== v);
        parts++;
      }
    }
  }
  return part;
}

/**
 * A shortest cycle through `start` inside its part (BFS back to it), its first node not repeated at the end.
 * `parent` is all −1 on entry and is left so: only the entries this search set are reset, so calling it for
 * every node of many small parts stays linear overall.
 */
function shortestCycle(g: Indexed, start: number, part: Int32Array, parent: Int32Array): string[] {
  const { ids, succStart, succ } = g;
  const queue = [start];
  let path: number[] = [start]; // stays so only if `start` were on no cycle, which never happens
  search: for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    for (let k = succStart[v]; k < succStart[v + 1]; k++) {
      const c = succ[k];
      if (part[c] !== part[start]) continue;
      if (c === start) {
        path = [v];
        while (path[path.length - 1] !== start) path.push(parent[path[path.length - 1]]);
        path.reverse();
        break search;
      }
      if (parent[c] < 0) {
        parent[c] = v;
        queue.push(c);
      }
    }
  }
  for (const v of queue) parent[v] = -1;
  return path.map((i) => ids[i]);
}

/** How many names a long cycle's message shows: the first few, then the last one back to the first. */
const SHOWN_HEAD = 3;

const writtenPaths = new WeakMap<Cycle, { readonly nameOf: (id: string) => string; readonly path: string }>();

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
  // Every node of a long part shares its Cycle: its path is written once per naming, not once per node.
  const known = writtenPaths.get(cycle);
  const path = known?.nameOf === nameOf ? known.path : cyclePath(cycle.path, nameOf);
  if (known?.nameOf !== nameOf) writtenPaths.set(cycle, { nameOf, path });
  return cycle.members.length <= SHORT_CYCLE
    ? { severity: 'error', code: 'cycle', nodeId, values: { node: name, path } }
    : { severity: 'error', code: 'cycle-long', nodeId, values: { node: name, count: cycle.members.length, path } };
}
