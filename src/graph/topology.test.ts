/**
 * The graph structure against a brute-force oracle: on small random graphs (self-loops, repeated and
 * dangling edges, slots out of order, several cycles, nodes behind cycles) every answer of buildTopology
 * and findCycles is checked against plain reachability, which is too slow for big designs but obviously right.
 */
import { describe, expect, it } from 'vitest';
import { buildTopology, findCycles, SHORT_CYCLE } from './topology.ts';
import { Rng } from './testing/rng.ts';
import type { Design, DesignEdge } from './types.ts';

function randomGraph(seed: number): Pick<Design, 'nodes' | 'edges'> {
  const r = new Rng(seed);
  const count = r.int(1, r.bool(0.2) ? 40 : 12);
  const nodes = Array.from({ length: count }, (_, i) => ({ id: `n${i}`, kind: 'Add', params: {}, position: { x: 0, y: 0 } }) as Design['nodes'][number]);
  const edges: DesignEdge[] = [];
  const edgeCount = r.int(0, Math.round(count * r.pick([0.8, 1.2, 2])));
  for (let k = 0; k < edgeCount; k++) {
    const source = r.bool(0.03) ? 'ghost' : r.pick(nodes).id;
    const target = r.bool(0.03) ? 'ghost' : r.pick(nodes).id;
    edges.push({ id: `e${k}`, source, target, ...(r.bool(0.7) ? { targetSlot: r.int(0, 3) } : {}) });
  }
  return { nodes, edges };
}

/** Who reaches whom by one or more steps (edges to unknown nodes ignored). */
function reachability(g: Pick<Design, 'nodes' | 'edges'>): Map<string, Set<string>> {
  const ids = new Set(g.nodes.map((n) => n.id));
  const reach = new Map<string, Set<string>>();
  for (const { id } of g.nodes) {
    const seen = new Set<string>();
    const queue = [id];
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const e of g.edges) {
        if (e.source === v && ids.has(e.target) && !seen.has(e.target)) (seen.add(e.target), queue.push(e.target));
      }
    }
    reach.set(id, seen);
  }
  return reach;
}

function shortestCycleLength(g: Pick<Design, 'nodes' | 'edges'>, start: string): number {
  const dist = new Map<string, number>([[start, 0]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const e of g.edges) {
      if (e.source !== v) continue;
      if (e.target === start) return dist.get(v)! + 1;
      if (!dist.has(e.target) && g.nodes.some((n) => n.id === e.target)) (dist.set(e.target, dist.get(v)! + 1), queue.push(e.target));
    }
  }
  return Infinity;
}

describe('graph structure', () => {
  it('agrees with brute-force reachability on 300 random graphs', () => {
    let withCycles = 0;
    let longParts = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const g = randomGraph(seed);
      const t = buildTopology(g);
      const reach = reachability(g);
      const ids = g.nodes.map((n) => n.id);
      const known = new Set(ids);
      for (const id of ids) {
        const incoming = g.edges.map((e, i) => ({ e, i })).filter(({ e }) => e.target === id && known.has(e.source));
        incoming.sort((a, b) => (a.e.targetSlot ?? 0) - (b.e.targetSlot ?? 0) || a.i - b.i);
        expect(t.inputsOf.get(id)).toEqual(incoming.map(({ e }) => e.source));
        expect(t.consumersOf.get(id)).toEqual(g.edges.filter((e) => e.source === id && known.has(e.target)).map((e) => e.target));
      }
      // The order holds exactly the nodes nothing cyclic lies upstream of, each after all its producers.
      const upstreamOfCycle = (id: string) => ids.some((x) => reach.get(x)!.has(x) && (x === id || reach.get(x)!.has(id)));
      expect(new Set(t.order)).toEqual(new Set(ids.filter((id) => !upstreamOfCycle(id))));
      const position = new Map(t.order.map((id, i) => [id, i]));
      for (const id of t.order) for (const src of t.inputsOf.get(id)!) expect(position.get(src)!).toBeLessThan(position.get(id)!);

      const onCycle = ids.filter((id) => reach.get(id)!.has(id));
      expect([...t.cycles.keys()]).toEqual(onCycle);
      for (const id of onCycle) {
        const cycle = t.cycles.get(id)!;
        expect(cycle.members).toEqual(ids.filter((x) => x === id || (reach.get(id)!.has(x) && reach.get(x)!.has(id))));
        // The path is a real closed walk inside the part, through the node when the part is short.
        const closed = [...cycle.path, cycle.path[0]];
        for (let i = 0; i + 1 < closed.length; i++) {
          expect(g.edges.some((e) => e.source === closed[i] && e.target === closed[i + 1])).toBe(true);
          expect(cycle.members).toContain(closed[i]);
        }
        if (cycle.members.length <= SHORT_CYCLE) {
          expect(cycle.path[0]).toBe(id);
          expect(cycle.path.length).toBe(shortestCycleLength(g, id));
        } else longParts++;
      }
      expect(findCycles(g)).toEqual(t.cycles);
      if (onCycle.length > 0) withCycles++;
    }
    // The generator must actually make cycles, and parts too long to name whole.
    expect(withCycles).toBeGreaterThan(100);
    expect(longParts).toBeGreaterThan(0);
  });
});
