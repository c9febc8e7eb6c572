/**
 * Test support: the seeded generator with the conveniences test-case builders want (integers, picks,
 * weighted choices, shuffles, value arrays), on top of the project's one PRNG (graph/random.ts), so a
 * failing case can be replayed from its seed on every machine.
 */
import { mulberry32, shuffleInPlace } from '../random.ts';

export class Rng {
  private readonly random: () => number;
  constructor(seed: number) {
    this.random = mulberry32(seed);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.random();
  }
  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.next() * entries.reduce((a, [, w]) => a + w, 0);
    for (const [k, w] of entries) if ((r -= w) < 0) return k;
    return entries[entries.length - 1][0];
  }
  shuffle<T>(items: readonly T[]): T[] {
    return shuffleInPlace([...items], () => this.next());
  }
  /** `n` values uniform in [−1, 1): inputs and weights for numeric comparisons. */
  values(n: number): Float32Array {
    return Float32Array.from({ length: n }, () => this.next() * 2 - 1);
  }
}
