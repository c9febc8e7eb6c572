/**
 * How big each box on the canvas is, for layout, and the geometry that checks a layout: boxes that
 * overlap, wires that run through boxes. Pure: the store estimates sizes from a node's content when the
 * canvas has not measured it (Node tests, a design tidied before it was drawn); the canvas's measured sizes
 * win where it has them.
 */
import { formatFixLabel, formatIssue, type Issue } from './messages.ts';
import type { Design, Lang } from './types.ts';

export interface Box {
  readonly width: number;
  readonly height: number;
}
export interface Rect extends Box {
  readonly x: number;
  readonly y: number;
}

/**
 * A layer's face without an issue (LayerNode's CSS: 210 px wide, four short rows): the one size the
 * canvas (centring, bounds, drop targets), the layouts and the edits' spacing (NODE_BOX) all start from.
 */
export const DEFAULT_BOX: Box = { width: 210, height: 80 };
/** A collapsed block's face: wider, a row more, and its repeat control. */
const BLOCK_BOX: Box = { width: 230, height: 84 };
const BLOCK_REPEAT_ROW = 26;
/** The issue strip: its rule and padding, one 16 px line per ~26 characters at 12 px, clamped to 3 lines. */
const ISSUE_STRIP = 11;
const ISSUE_LINE = 16;
const ISSUE_CHARS_PER_LINE = 26;
const ISSUE_MAX_LINES = 3;
const FIX_BUTTON = 26;

/** The issue a layer's face shows: the first error, else the first warning; a fixable one wins among equals. */
export function headlineIssue(issues: readonly Issue[]): Issue | null {
  const errors = issues.filter((i) => i.severity === 'error');
  const pool = errors.length > 0 ? errors : issues;
  return pool.find((i) => i.fix) ?? pool[0] ?? null;
}

/** A layer's box from what its face shows: taller by the issue strip (and its fix button) when it has one. */
export function layerBox(issues: readonly Issue[], lang: Lang = 'en'): Box {
  const issue = headlineIssue(issues);
  if (!issue) return DEFAULT_BOX;
  const lines = Math.min(ISSUE_MAX_LINES, Math.max(1, Math.ceil((formatIssue(issue, lang).length + 8) / ISSUE_CHARS_PER_LINE)));
  const fix = issue.fix && formatFixLabel(issue, lang) ? FIX_BUTTON : 0;
  return { width: DEFAULT_BOX.width, height: DEFAULT_BOX.height + ISSUE_STRIP + lines * ISSUE_LINE + fix };
}

/** A collapsed block's box: its repeat control shows only on a one-in one-out block. */
export function blockBox(inputs: number, outputs: number): Box {
  return { width: BLOCK_BOX.width, height: BLOCK_BOX.height + (inputs === 1 && outputs === 1 ? BLOCK_REPEAT_ROW : 0) };
}

/** Estimated boxes for every top-level layer and instance; `issuesOf` gives a layer's issues (inference). */
export function estimateBoxes(design: Pick<Design, 'nodes' | 'instances' | 'blocks'>, issuesOf: (id: string) => readonly Issue[], lang: Lang = 'en'): Map<string, Box> {
  const out = new Map<string, Box>();
  for (const n of design.nodes) out.set(n.id, layerBox(issuesOf(n.id), lang));
  for (const inst of design.instances ?? []) {
    const def = design.blocks?.find((b) => b.id === inst.block);
    out.set(inst.id, blockBox(def?.inputs.length ?? 1, def?.outputs.length ?? 1));
  }
  return out;
}

/** True when two boxes share area (touching edges do not count). */
export function rectsOverlap(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Every pair of ids whose boxes overlap. */
export function overlappingPairs(rects: ReadonlyMap<string, Rect>): [string, string][] {
  const list = [...rects].sort((a, b) => a[1].y - b[1].y);
  const out: [string, string][] = [];
  // Sorted by top, a box can only meet the boxes that start above its bottom.
  for (let i = 0; i < list.length; i++) {
    const [ia, a] = list[i];
    for (let j = i + 1; j < list.length && list[j][1].y < a.y + a.height; j++) if (rectsOverlap(a, list[j][1])) out.push([ia, list[j][0]]);
  }
  return out;
}

/** True when the segment p→q passes through the inside of the box (Liang–Barsky clipping). */
export function segmentCrossesRect(p: { x: number; y: number }, q: { x: number; y: number }, r: Rect): boolean {
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  let t0 = 0;
  let t1 = 1;
  const clip = (den: number, num: number): boolean => {
    if (den === 0) return num > 0;
    const t = num / den;
    if (den < 0) {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    }
    return true;
  };
  // Strictly inside: a wire that grazes a box's border does not hide it.
  const ok =
    clip(-dx, p.x - (r.x + 1)) && clip(dx, r.x + r.width - 1 - p.x) && clip(-dy, p.y - (r.y + 1)) && clip(dy, r.y + r.height - 1 - p.y);
  return ok && t1 - t0 > 1e-9;
}

/** A wire as the layout check sees it: a straight line from its source's handle to its target's. */
export interface Wire {
  readonly source: string;
  readonly target: string;
  readonly from: { x: number; y: number };
  readonly to: { x: number; y: number };
}

/**
 * Each top-level edge as a straight wire from the middle of its source's bottom to the middle of its
 * target's top (a block's ports spread along its edge, as the canvas draws them).
 */
export function wiresOf(design: Pick<Design, 'edges' | 'blocks' | 'instances'>, rects: ReadonlyMap<string, Rect>): Wire[] {
  const ports = (id: string, side: 'in' | 'out'): readonly string[] => {
    const inst = design.instances?.find((i) => i.id === id);
    const def = inst && design.blocks?.find((b) => b.id === inst.block);
    return def ? (side === 'in' ? def.inputs : def.outputs.map((o) => o.name)) : [];
  };
  const along = (r: Rect, names: readonly string[], name: string | undefined) => {
    const i = name === undefined ? 0 : Math.max(0, names.indexOf(name));
    return names.length === 0 ? r.x + r.width / 2 : r.x + ((i + 1) / (names.length + 1)) * r.width;
  };
  const out: Wire[] = [];
  for (const e of design.edges) {
    const s = rects.get(e.source);
    const t = rects.get(e.target);
    if (!s || !t) continue;
    out.push({
      source: e.source,
      target: e.target,
      from: { x: along(s, ports(e.source, 'out'), e.sourcePort), y: s.y + s.height },
      to: { x: along(t, ports(e.target, 'in'), e.targetPort), y: t.y },
    });
  }
  return out;
}

/** Every (wire, box) where a straight wire runs through a box other than its own two ends. */
export function wireCrossings(wires: readonly Wire[], rects: ReadonlyMap<string, Rect>): { wire: Wire; box: string }[] {
  const out: { wire: Wire; box: string }[] = [];
  for (const w of wires) {
    for (const [id, r] of rects) if (id !== w.source && id !== w.target && segmentCrossesRect(w.from, w.to, r)) out.push({ wire: w, box: id });
  }
  return out;
}

/**
 * A frame around an unfolded block (block-frames.ts): its title bar and the air between it and its members.
 * The canvas draws frames with these and Tidy up lays them out as ELK compound nodes with the same room.
 */
export const FRAME_HEAD = 24;
export const FRAME_PAD = 10;

/**
 * Each frame's box: around its members' boxes and its inner frames' boxes, with FRAME_PAD on every side
 * and FRAME_HEAD above. `frames` in any order; members without a box are left out.
 */
export function frameRects(frames: readonly { readonly id: string; readonly parent: string | null; readonly members: readonly string[] }[], rects: ReadonlyMap<string, Rect>): Map<string, Rect> {
  const out = new Map<string, Rect>();
  const depth = (f: { parent: string | null }): number => {
    let d = 0;
    for (let p = f.parent; p !== null; p = frames.find((g) => g.id === p)?.parent ?? null) d++;
    return d;
  };
  // Innermost first, so a frame can wrap the frames inside it.
  for (const f of [...frames].sort((a, b) => depth(b) - depth(a))) {
    const parts: Rect[] = [];
    const inner = frames.filter((g) => g.parent === f.id);
    const framed = new Set(inner.flatMap((g) => g.members));
    for (const g of inner) if (out.has(g.id)) parts.push(out.get(g.id)!);
    for (const m of f.members) if (!framed.has(m) && rects.has(m)) parts.push(rects.get(m)!);
    if (parts.length === 0) continue;
    const x0 = Math.min(...parts.map((r) => r.x));
    const y0 = Math.min(...parts.map((r) => r.y));
    const x1 = Math.max(...parts.map((r) => r.x + r.width));
    const y1 = Math.max(...parts.map((r) => r.y + r.height));
    out.set(f.id, { x: x0 - FRAME_PAD, y: y0 - FRAME_PAD - FRAME_HEAD, width: x1 - x0 + 2 * FRAME_PAD, height: y1 - y0 + 2 * FRAME_PAD + FRAME_HEAD });
  }
  return out;
}

/**
 * What a drawing of frames gets wrong: a box that is not a frame's member but overlaps it, and two frames
 * that overlap without one holding the other. Empty when every frame encloses exactly its members.
 */
export function frameProblems(
  frames: readonly { readonly id: string; readonly parent: string | null; readonly members: readonly string[] }[],
  frameBoxes: ReadonlyMap<string, Rect>,
  rects: ReadonlyMap<string, Rect>,
): string[] {
  const out: string[] = [];
  const within = (a: string, b: string): boolean => {
    for (let p = frames.find((f) => f.id === a)?.parent ?? null; p !== null; p = frames.find((f) => f.id === p)?.parent ?? null) if (p === b) return true;
    return false;
  };
  for (const f of frames) {
    const box = frameBoxes.get(f.id);
    if (!box) continue;
    const members = new Set(f.members);
    for (const [id, r] of rects) {
      const overlaps = rectsOverlap(box, r);
      const inside = r.x >= box.x && r.y >= box.y && r.x + r.width <= box.x + box.width && r.y + r.height <= box.y + box.height;
      if (members.has(id) && !inside) out.push(`${id} sticks out of frame ${f.id}`);
      if (!members.has(id) && overlaps) out.push(`${id} overlaps frame ${f.id}`);
    }
    for (const g of frames) {
      const other = frameBoxes.get(g.id);
      if (g.id <= f.id || !other || within(f.id, g.id) || within(g.id, f.id)) continue;
      if (rectsOverlap(box, other)) out.push(`frames ${f.id} and ${g.id} overlap`);
    }
  }
  return out;
}
