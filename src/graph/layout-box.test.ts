import { describe, expect, it } from 'vitest';
import { blockBox, DEFAULT_BOX, FRAME_HEAD, FRAME_PAD, frameProblems, frameRects, layerBox, overlappingPairs, rectsOverlap, segmentCrossesRect, type Rect } from './layout-box.ts';
import type { Issue } from './messages.ts';

describe('layout geometry', () => {
  it('finds a segment through a box exactly when some point of it lies strictly inside (checked by sampling)', () => {
    let s = 11;
    const rnd = () => (s = (s * 48271) % 2147483647) / 2147483647;
    const r: Rect = { x: 100, y: 100, width: 200, height: 80 };
    let hits = 0;
    for (let k = 0; k < 2000; k++) {
      const p = { x: rnd() * 400, y: rnd() * 300 };
      const q = { x: rnd() * 400, y: rnd() * 300 };
      let sampled = false;
      for (let i = 0; i <= 4000 && !sampled; i++) {
        const t = i / 4000;
        const x = p.x + t * (q.x - p.x);
        const y = p.y + t * (q.y - p.y);
        // 1.5 px in from each side: the function ignores a graze of the 1 px border, sampling needs a margin.
        sampled = x > r.x + 1.5 && x < r.x + r.width - 1.5 && y > r.y + 1.5 && y < r.y + r.height - 1.5;
      }
      if (sampled) {
        hits++;
        expect(segmentCrossesRect(p, q, r), JSON.stringify({ p, q })).toBe(true);
      }
      // A segment that stays out of the box (by more than the margin) never counts.
      const far = (pt: { x: number; y: number }) => pt.x < r.x || pt.x > r.x + r.width || pt.y < r.y || pt.y > r.y + r.height;
      if (!sampled && far(p) && far(q) && (Math.max(p.y, q.y) < r.y || Math.min(p.y, q.y) > r.y + r.height || Math.max(p.x, q.x) < r.x || Math.min(p.x, q.x) > r.x + r.width)) {
        expect(segmentCrossesRect(p, q, r)).toBe(false);
      }
    }
    expect(hits).toBeGreaterThan(100);
  });

  it('counts overlapping boxes in pairs, touching edges not', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    const rects = new Map<string, Rect>([
      ['a', a],
      ['touch', { x: 10, y: 0, width: 10, height: 10 }],
      ['over', { x: 5, y: 5, width: 10, height: 10 }],
    ]);
    expect(rectsOverlap(a, rects.get('touch')!)).toBe(false);
    expect(overlappingPairs(rects).map((p) => p.sort().join('+')).sort()).toEqual(['a+over', 'over+touch']);
  });

  it('estimates a layer showing an error taller than one without, more for a long message and a fix', () => {
    const short: Issue = { severity: 'error', code: 'cycle', values: {} } as Issue;
    expect(layerBox([]).height).toBe(DEFAULT_BOX.height);
    expect(layerBox([short]).height).toBeGreaterThan(DEFAULT_BOX.height);
    expect(blockBox(1, 1).height).toBeGreaterThan(blockBox(2, 1).height);
  });
});

describe('frames around unfolded blocks', () => {
  const frames = [
    { id: 'b', parent: null, members: ['b.0.x', 'b.1.x'] },
    { id: 'b.0', parent: 'b', members: ['b.0.x'] },
    { id: 'b.1', parent: 'b', members: ['b.1.x'] },
  ];
  const rects = new Map<string, Rect>([
    ['b.0.x', { x: 0, y: 100, width: 210, height: 80 }],
    ['b.1.x', { x: 0, y: 300, width: 210, height: 80 }],
    ['out', { x: 0, y: 500, width: 210, height: 80 }],
  ]);

  it('wraps members with padding and a title, and a frame wraps the frames inside it', () => {
    const boxes = frameRects(frames, rects);
    expect(boxes.get('b.0')).toEqual({ x: -FRAME_PAD, y: 100 - FRAME_PAD - FRAME_HEAD, width: 210 + 2 * FRAME_PAD, height: 80 + 2 * FRAME_PAD + FRAME_HEAD });
    expect(boxes.get('b')).toEqual({ x: -2 * FRAME_PAD, y: 100 - 2 * FRAME_PAD - 2 * FRAME_HEAD, width: 210 + 4 * FRAME_PAD, height: 280 + 4 * FRAME_PAD + 2 * FRAME_HEAD });
    expect(frameProblems(frames, boxes, rects)).toEqual([]);
  });

  it('names a box inside a frame it does not belong to, a member outside its frame, and sibling frames that overlap', () => {
    const crowded = new Map(rects).set('out', { x: 0, y: 200, width: 210, height: 80 });
    expect(frameProblems(frames, frameRects(frames, crowded), crowded)).toContain('out overlaps frame b');
    const close = new Map(rects).set('b.1.x', { x: 100, y: 150, width: 210, height: 80 });
    expect(frameProblems(frames, frameRects(frames, close), close)).toContain('frames b.0 and b.1 overlap');
    const boxes = frameRects(frames, rects);
    expect(frameProblems(frames, new Map(boxes).set('b.1', { x: 500, y: 0, width: 10, height: 10 }), rects)).toContain('b.1.x sticks out of frame b.1');
  });
});
