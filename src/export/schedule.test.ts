/**
 * The forward scheduler on small graphs where the right answer is known by hand, plus a property check on
 * random DAGs: the order is topological, no step reads a local that was rebound or deleted since its value
 * was written, and no local outlives its value's last reader (the memory promise), except returned values.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32, shuffleInPlace } from '../graph/random.ts';
import { scheduleForward, type ScheduleNode, type ScheduleRequest } from './schedule.ts';

const local = (i: number) => (i === 0 ? 'x' : `x${i}`);
const request = (nodes: ScheduleNode[], outputs: string[], args: [string, string][] = [['in', 'input_']]): ScheduleRequest => ({
  nodes,
  args: new Map(args),
  outputs,
  local,
});
const lines = (r: ScheduleRequest) =>
  scheduleForward(r).steps.flatMap((s) => [`${s.target} = ${s.id}(${s.inputs.join(', ')})`, ...(s.release.length ? [`del ${s.release.join(', ')}`] : [])]);

describe('scheduleForward', () => {
  it('a chain reuses one local and never rebinds or deletes the argument', () => {
    const r = request(
      [
        { id: 'c', inputs: ['b'] },
        { id: 'a', inputs: ['in'] },
        { id: 'b', inputs: ['a'] },
      ],
      ['c'],
    );
    expect(lines(r)).toEqual(['x = a(input_)', 'x = b(x)', 'x = c(x)']);
    expect(scheduleForward(r).returns).toEqual(['x']);
  });

  it('a residual block: the main path in one stretch, then the shortcut, then the join, the dead local deleted', () => {
    // Document order interleaves the two branches (as a flat topological order did).
    const r = request(
      [
        { id: 'stem', inputs: ['in'] },
        { id: 'conv1', inputs: ['stem'] },
        { id: 'down', inputs: ['stem'] },
        { id: 'conv2', inputs: ['conv1'] },
        { id: 'add', inputs: ['conv2', 'down'] },
        { id: 'relu', inputs: ['add'] },
      ],
      ['relu'],
    );
    expect(lines(r)).toEqual(['x = stem(input_)', 'x1 = conv1(x)', 'x1 = conv2(x1)', 'x = down(x)', 'x = add(x1, x)', 'del x1', 'x = relu(x)']);
  });

  it('four parallel branches run one after the other and a value read twice by one node dies once', () => {
    const r = request(
      [
        { id: 'b1', inputs: ['in'] },
        { id: 'b2a', inputs: ['in'] },
        { id: 'b3a', inputs: ['in'] },
        { id: 'b2b', inputs: ['b2a'] },
        { id: 'b3b', inputs: ['b3a'] },
        { id: 'cat', inputs: ['b1', 'b2b', 'b3b'] },
        { id: 'sq', inputs: ['cat', 'cat'] },
      ],
      ['sq'],
    );
    expect(lines(r)).toEqual([
      'x = b1(input_)',
      'x1 = b2a(input_)',
      'x1 = b2b(x1)',
      'x2 = b3a(input_)',
      'x2 = b3b(x2)',
      'x = cat(x, x1, x2)',
      'del x1, x2',
      'x = sq(x, x)',
    ]);
  });

  it('a returned value is never rebound, even when a later layer reads it', () => {
    const r = request(
      [
        { id: 'a', inputs: ['in'] },
        { id: 'b', inputs: ['a'] },
      ],
      ['a', 'b', 'in'],
    );
    expect(lines(r)).toEqual(['x = a(input_)', 'x1 = b(x)']);
    expect(scheduleForward(r).returns).toEqual(['x', 'x1', 'input_']);
  });

  it('random DAGs: topological order, every read sees its own value, and no local outlives its last reader', () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(random() * 30);
      const nodes: ScheduleNode[] = [];
      for (let i = 0; i < n; i++) {
        const pool = ['in', 'in2', ...nodes.map((d) => d.id)];
        const k = 1 + Math.floor(random() * 3);
        nodes.push({ id: `n${i}`, inputs: Array.from({ length: k }, () => pool[Math.floor(random() * pool.length)]) });
      }
      const consumed = new Set(nodes.flatMap((d) => d.inputs));
      const outputs = nodes.filter((d) => !consumed.has(d.id)).map((d) => d.id);
      if (random() < 0.3) outputs.push(nodes[Math.floor(random() * n)].id);
      const shuffled = shuffleInPlace([...nodes], random);
      const args: [string, string][] = [
        ['in', 'input_'],
        ['in2', 'other'],
      ];
      const schedule = scheduleForward(request(shuffled, outputs, args));
      const byId = new Map(nodes.map((d) => [d.id, d] as const));
      expect(new Set(schedule.steps.map((s) => s.id)).size).toBe(n);

      // Simulate Python: which value each name holds; a deleted name holds nothing.
      const holds = new Map<string, string>(args.map(([id, name]) => [name, id]));
      const position = new Map(schedule.steps.map((s, i) => [s.id, i] as const));
      for (const [i, step] of schedule.steps.entries()) {
        const node = byId.get(step.id)!;
        node.inputs.forEach((input, slot) => expect(holds.get(step.inputs[slot])).toBe(input));
        holds.set(step.target, step.id);
        for (const name of step.release) holds.delete(name);
        // Every value still held by a local is read later or returned.
        for (const [name, value] of holds) {
          if (args.some(([, a]) => a === name)) continue;
          const readLater = nodes.some((d) => d.inputs.includes(value) && position.get(d.id)! > i);
          expect(readLater || outputs.includes(value), `${name} keeps ${value} alive after step ${i}`).toBe(true);
        }
      }
      schedule.returns.forEach((name, i) => expect(holds.get(name)).toBe(outputs[i]));
    }
  });
});
