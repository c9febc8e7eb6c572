/**
 * Lesson checks evaluated against a design: pure, total (any design, valid or not, gives a verdict and never
 * a throw), and reading every number from the design's own inference, so a step can never disagree with
 * what the canvas and the status bar show. A failing check comes with a hint (an Issue of the message
 * catalogue, so it reads in English and Spanish) that says what the design has and what the step wants.
 */
import { designErrors, displayName, type DesignInference } from './infer.ts';
import { isLayerKind } from './layers/index.ts';
import type { Issue, IssueCode, IssueValues } from './messages.ts';
import { receptiveFields } from './receptive-field.ts';
import { formatShape } from './shape-math.ts';
import type { Design, Lesson, LessonCheck, NodeRef } from './types.ts';

export interface CheckResult {
  readonly pass: boolean;
  /** Why it does not pass yet (absent when it passes). */
  readonly hint?: Issue;
}

/**
 * The results of the training run on screen, as an accuracy check needs them. `sameDesign` is whether the run
 * trained the design as it is now (the training store's record, by the model fingerprint: moving or renaming
 * a layer keeps it, changing a parameter or a wire does not).
 */
export interface LessonRun {
  readonly sameDesign: boolean;
  /** The name of the data the run was measured on ("mnist", a folder's name). */
  readonly dataset: string;
  /** 0 … 1, as the run reports it. */
  readonly testAccuracy: number;
}

/** What a check reads: the unfolded design (blocks expanded), its inference and, when there is one, the run's results. */
export interface CheckContext {
  readonly design: Design;
  readonly inference: DesignInference;
  readonly run?: LessonRun | null;
}

const PASS: CheckResult = { pass: true };
const hint = (code: IssueCode, values: IssueValues = {}): CheckResult => ({ pass: false, hint: { severity: 'warning', code, values } });

/** Ids of the layers of `kind`, in the order the data flows through them. */
function ofKind(ctx: CheckContext, kind: string): string[] {
  return ctx.inference.order.filter((id) => ctx.inference.nodes.get(id)?.kind === kind);
}

function hasKind(ctx: CheckContext, kind: string, want: number, after: string | undefined): CheckResult {
  const found = ofKind(ctx, kind);
  if (found.length < want) return hint('lesson-missing-kind', { kind, want, got: found.length });
  if (after === undefined) return PASS;
  const kindOf = new Map(ctx.design.nodes.map((n) => [n.id, n.kind as string]));
  const fed = new Set(ctx.design.edges.filter((e) => kindOf.get(e.source) === after).map((e) => e.target));
  const got = found.filter((id) => fed.has(id)).length;
  return got >= want ? PASS : hint('lesson-not-after', { kind, after, want, got });
}

/** The node a reference names, or the hint that says why there is none. */
export function resolveNodeRef(ctx: CheckContext, ref: NodeRef): { id: string } | CheckResult {
  if ('name' in ref) {
    const node = ctx.design.nodes.find((n) => displayName(n) === ref.name) ?? ctx.design.nodes.find((n) => n.id === ref.name);
    return node ? { id: node.id } : hint('lesson-no-name', { name: ref.name });
  }
  const found = ofKind(ctx, ref.kind);
  const id = found[ref.nth - 1];
  return id !== undefined ? { id } : hint('lesson-no-kind-nth', { kind: ref.kind, nth: ref.nth, got: found.length });
}

function outputShape(ctx: CheckContext, ref: NodeRef, want: readonly number[]): CheckResult {
  const found = resolveNodeRef(ctx, ref);
  if (!('id' in found)) return found;
  const info = ctx.inference.nodes.get(found.id);
  const node = info?.name ?? found.id;
  const shape = info?.outputShape ?? null;
  if (shape === null || shape.some((d) => d === null)) return hint('lesson-shape-unknown', { node, want: formatShape(want) });
  const same = shape.length === want.length && shape.every((d, i) => d === want[i]);
  return same ? PASS : hint('lesson-shape', { node, got: formatShape(shape), want: formatShape(want) });
}

function compare(got: number, op: 'le' | 'eq', want: number): boolean {
  return op === 'eq' ? got === want : got <= want;
}

/** Totals are lower bounds while any layer's shape is unknown (infer.ts), too weak to pass a step on. */
function totalsKnown(ctx: CheckContext): boolean {
  return ctx.inference.totals.unknownLayers === 0 && ctx.inference.totals.errors === 0;
}

function noErrors(ctx: CheckContext): CheckResult {
  const errors = designErrors(ctx.design, ctx.inference);
  if (errors.length === 0) return PASS;
  const first = errors.find((e) => e.nodeId !== undefined)?.nodeId;
  const name = first === undefined ? '' : (ctx.inference.nodes.get(first)?.name ?? first);
  return hint('lesson-has-errors', { count: errors.length, node: name });
}

/**
 * The field per axis on the image input; 'whole' (after Flatten or global pooling) sees every pixel, so it
 * passes any size the image has.
 */
function receptiveField(ctx: CheckContext, ref: NodeRef, want: number): CheckResult {
  const found = resolveNodeRef(ctx, ref);
  if (!('id' in found)) return found;
  const node = ctx.inference.nodes.get(found.id)?.name ?? found.id;
  const fields = [...(receptiveFields(ctx.design, ctx.inference).get(found.id)?.values() ?? [])];
  if (fields.length === 0) return hint('lesson-field-unknown', { node, want });
  if (fields.some((f) => f.kind === 'whole')) return PASS;
  const local = fields.find((f) => f.kind === 'local');
  if (!local || local.kind !== 'local') return hint('lesson-field-irregular', { node, want });
  const [h, w] = local.axes.map((a) => a.size);
  return h >= want && w >= want ? PASS : hint('lesson-field-small', { node, got: h, got2: w, want });
}

/** Every layer that `id` reaches along the edges (itself excluded). */
function descendants(design: Design, id: string): Set<string> {
  const out = new Map<string, string[]>();
  for (const e of design.edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [...(out.get(id) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(out.get(next) ?? []));
  }
  return seen;
}

/**
 * Adds where one input is an ancestor of another: the shortcut carries a layer's output past the layers that
 * then compute the other input. Two branches that merely share an input (Inception-style) are not skips.
 */
function skips(ctx: CheckContext, want: number): CheckResult {
  const adds = ctx.design.nodes.filter((n) => n.kind === 'Add');
  const got = adds.filter((add) => {
    const sources = ctx.design.edges.filter((e) => e.target === add.id).map((e) => e.source);
    return sources.some((s) => {
      const below = descendants(ctx.design, s);
      return sources.some((other) => other !== s && below.has(other));
    });
  }).length;
  return got >= want ? PASS : hint('lesson-no-skip', { want, got, adds: adds.length });
}

/** A run counts only when it trained this very design on the named data. */
function accuracy(ctx: CheckContext, dataset: string, min: number): CheckResult {
  const run = ctx.run;
  if (!run) return hint('lesson-no-run', { dataset });
  if (!run.sameDesign) return hint('lesson-run-stale');
  if (run.dataset !== dataset) return hint('lesson-run-dataset', { got: run.dataset, want: dataset });
  const got = run.testAccuracy * 100;
  return Number.isFinite(got) && got >= min ? PASS : hint('lesson-accuracy', { got, want: min, dataset });
}

/**
 * Whether `check` passes on the design; `answer` is the student's answer to a question step (an option's
 * index, or a number), absent while unanswered.
 */
export function evaluateCheck(check: LessonCheck, ctx: CheckContext, answer?: number): CheckResult {
  switch (check.type) {
    case 'has-kind':
      return hasKind(ctx, check.kind, check.count ?? 1, check.after);
    case 'output-shape':
      return outputShape(ctx, check.node, check.shape);
    case 'params': {
      if (!totalsKnown(ctx)) return hint('lesson-totals-unknown');
      const got = check.which === 'trainable' ? ctx.inference.totals.trainableParams : ctx.inference.totals.totalParams;
      return compare(got, check.op, check.value) ? PASS : hint('lesson-params', { got, want: check.value, op: check.op, which: check.which });
    }
    case 'macs': {
      if (!totalsKnown(ctx)) return hint('lesson-totals-unknown');
      const got = ctx.inference.totals.macs;
      return compare(got, check.op, check.value) ? PASS : hint('lesson-macs', { got, want: check.value, op: check.op });
    }
    case 'no-errors':
      return noErrors(ctx);
    case 'choice':
      if (answer === undefined) return hint('lesson-no-answer');
      return answer === check.answer ? PASS : hint('lesson-wrong-answer', { got: String.fromCharCode(65 + answer) });
    case 'number': {
      if (answer === undefined || !Number.isFinite(answer)) return hint('lesson-no-answer');
      return Math.abs(answer - check.answer) <= (check.tolerance ?? 0) ? PASS : hint('lesson-wrong-answer', { got: answer });
    }
    case 'receptive-field':
      return receptiveField(ctx, check.node, check.min);
    case 'skip':
      return skips(ctx, check.count ?? 1);
    case 'accuracy':
      return accuracy(ctx, check.dataset, check.min);
  }
}

/** Every step's verdict, in order; `answers` holds the student's answers by step index. */
export function evaluateLesson(lesson: Lesson, ctx: CheckContext, answers: Readonly<Record<number, number>> = {}): CheckResult[] {
  return lesson.steps.map((step, i) => evaluateCheck(step.check, ctx, Object.hasOwn(answers, i) ? answers[i] : undefined));
}

/** What the schema cannot see in a lesson: kinds that are not layer kinds, answers past the options. */
export function lessonIssues(lesson: Lesson): Issue[] {
  const issues: Issue[] = [];
  lesson.steps.forEach(({ check }, i) => {
    const step = i + 1;
    const kinds =
      check.type === 'has-kind'
        ? [check.kind, ...(check.after !== undefined ? [check.after] : [])]
        : (check.type === 'output-shape' || check.type === 'receptive-field') && 'kind' in check.node
          ? [check.node.kind]
          : [];
    for (const kind of kinds) if (!isLayerKind(kind)) issues.push({ severity: 'error', code: 'lesson-unknown-kind', values: { step, kind } });
    if (check.type === 'choice' && check.answer >= check.options.length) {
      issues.push({ severity: 'error', code: 'lesson-bad-answer', values: { step, answer: check.answer + 1, count: check.options.length } });
    }
  });
  return issues;
}
