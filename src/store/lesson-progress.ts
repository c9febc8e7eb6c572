/**
 * A student's place in a lesson: the step on screen and their answers to question steps (by step index).
 * Not part of the design (sharing a lesson shares it unstarted); autosaved beside it. Pure.
 */
import { evaluateLesson, type CheckResult, type LessonRun } from '../graph/lesson-check.ts';
import type { RunResult } from '../train/protocol.ts';
import { designFingerprint, type RunRecord } from './run-record.ts';
import { parseDesign } from '../graph/file-format.ts';
import { inferShapes, type DesignInference } from '../graph/infer.ts';
import { FORMAT_VERSION, type Design, type Lesson } from '../graph/types.ts';

export interface LessonProgress {
  readonly step: number;
  readonly answers: Readonly<Record<number, number>>;
  /** The design as it was when the student entered `step`: what "reset the step" brings back. */
  readonly start?: Design;
}

export const NO_PROGRESS: LessonProgress = { step: 0, answers: {} };

/** Progress that fits `lesson`: the step within it, answers only for its steps. */
export function clampProgress(progress: LessonProgress, lesson: Lesson | undefined): LessonProgress {
  const steps = lesson?.steps.length ?? 0;
  if (steps === 0) return NO_PROGRESS;
  const step = Math.min(Math.max(0, Math.trunc(progress.step) || 0), steps - 1);
  const answers = Object.fromEntries(Object.entries(progress.answers).filter(([i, v]) => Number(i) >= 0 && Number(i) < steps && Number.isFinite(v)));
  if (step === progress.step && Object.keys(answers).length === Object.keys(progress.answers).length) return progress;
  return { step, answers, ...(progress.start ? { start: progress.start } : {}) };
}

/** Progress read back from storage, or nothing when it is not shaped like progress. Never throws. */
export function readProgress(value: unknown): LessonProgress | null {
  if (typeof value !== 'object' || value === null) return null;
  const { step, answers } = value as Record<string, unknown>;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) return null;
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) return null;
  const kept = Object.entries(answers).filter((e): e is [string, number] => /^\d+$/.test(e[0]) && typeof e[1] === 'number' && Number.isFinite(e[1]));
  // The step's start goes through the file loader like any design; one that does not load is dropped (the
  // reset is then offered from the next step on), never half-read.
  const { start } = value as Record<string, unknown>;
  const parsed = start === undefined ? null : parseDesign(start);
  return { step, answers: Object.fromEntries(kept), ...(parsed?.ok ? { start: parsed.design } : {}) };
}

/**
 * The progress after the student moves to `next`: entering another step records the design as it is now as
 * that step's start, unless `next` brings its own (a progress read back from autosave).
 */
export function enterStep(current: LessonProgress, next: LessonProgress, design: Design | null): LessonProgress {
  if (next.start !== undefined && next.start !== current.start) return next;
  if (next.step !== current.step && design) return { ...next, start: design };
  return next.start === undefined && current.start ? { ...next, start: current.start } : next;
}

/** The design "reset the step" commits: the step's start, with the lesson as it is now; null when there is no start. */
export function stepStartDesign(progress: LessonProgress, design: Design | null): Design | null {
  if (!progress.start || !design) return null;
  const { lesson: _, ...body } = progress.start;
  return design.lesson ? { ...body, lesson: design.lesson } : body;
}

/**
 * The training store's results as an accuracy check reads them: none until a run (or an evaluation of loaded
 * weights) has measured the test split; `sameDesign` compares the run's record with the open design's model
 * fingerprint, so results from another design, or from this one before an edit, never tick a step.
 */
export function lessonRun(record: RunRecord | null, result: Pick<RunResult, 'testAccuracy'> | null, flat: Design | null): LessonRun | null {
  if (!record || !result || !record.data) return null;
  return { sameDesign: flat !== null && designFingerprint(flat) === record.designKey, dataset: record.data.name, testAccuracy: result.testAccuracy };
}

/** Every step's verdict on the open design (its unfolded layers and their inference); no design reads as empty. */
export function lessonResults(
  lesson: Lesson,
  flat: Design | null,
  inference: DesignInference | null,
  progress: LessonProgress,
  run: LessonRun | null = null,
): CheckResult[] {
  if (flat && inference) return evaluateLesson(lesson, { design: flat, inference, run }, progress.answers);
  const empty: Design = { format: 'netcanvas', version: FORMAT_VERSION, name: '', nodes: [], edges: [] };
  return evaluateLesson(lesson, { design: empty, inference: inferShapes(empty), run }, progress.answers);
}
