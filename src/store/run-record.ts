/**
 * What a run (or a set of loaded weights) was trained on, and which results views may still be shown
 * against what is open now. Results are never relabelled: each view either shows the run's own data and
 * labels as current, shows them marked as the previous run's, or is hidden. Pure: no React, no tfjs.
 */
import type { Design } from '../graph/types.ts';
import type { DataSummary } from '../train/protocol.ts';

/** The data a run saw: its name, its classes in order, the image shape and a content fingerprint. */
export interface DataIdentity {
  readonly key: string;
  readonly name: string;
  readonly classes: readonly string[];
  readonly shape: readonly [number, number, number];
}

/** Where the weights behind a set of results came from. */
export type WeightsOrigin = 'trained' | 'continued' | 'loaded';

export interface RunRecord {
  /** designFingerprint of the design the weights belong to. */
  readonly designKey: string;
  /** The data the results were measured on; null for loaded weights not yet evaluated. */
  readonly data: DataIdentity | null;
  readonly origin: WeightsOrigin;
  /** Whether the run trained in this session (it has curves). */
  readonly hasCurves: boolean;
}

/** What is open now, in the same terms. */
export interface OpenState {
  readonly designKey: string | null;
  readonly data: DataIdentity | null;
}

export function dataIdentity(summary: DataSummary): DataIdentity {
  const key = JSON.stringify([summary.name, summary.classes, summary.shape, summary.trainCount, summary.testCount, summary.fingerprint ?? null]);
  return { key, name: summary.name, classes: summary.classes, shape: summary.shape };
}

const fingerprints = new WeakMap<Design, string>();

/**
 * The model-relevant part of a design: node ids, kinds and parameters, and the wiring. Positions, labels,
 * notes and the design's name do not change the model, so moving a layer keeps the results current.
 */
export function designFingerprint(design: Design): string {
  const cached = fingerprints.get(design);
  if (cached !== undefined) return cached;
  const nodes = [...design.nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((n) => [n.id, n.kind, sortedKeys(n.params)]);
  const edges = design.edges.map((e) => [e.source, e.target, e.targetSlot ?? 0].join('\u0000')).sort();
  const key = JSON.stringify([nodes, edges]);
  fingerprints.set(design, key);
  return key;
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export type StaleReason = 'design' | 'data';

/** Why the record's results no longer describe what is open (empty: they do). */
export function staleReasons(record: RunRecord, now: OpenState): StaleReason[] {
  const out: StaleReason[] = [];
  if (record.designKey !== now.designKey) out.push('design');
  if (record.data && record.data.key !== now.data?.key) out.push('data');
  return out;
}

export const RESULT_VIEWS = ['accuracy', 'curves', 'confusion', 'misclassified', 'predict-test', 'predict-upload', 'draw-pad'] as const;
export type ResultView = (typeof RESULT_VIEWS)[number];

/** current: show as this run's; previous: show, marked as the previous run's; hidden: do not show. */
export type ViewState = 'current' | 'previous' | 'hidden';

const MEASURED: readonly ResultView[] = ['accuracy', 'confusion', 'misclassified'];

/**
 * Measured views (accuracy, confusion matrix, misclassified images, curves) keep the run's own labels and
 * images, so they may stay up marked as the previous run's. Interactive views run the worker's model on
 * new input: they are offered only while that model is the design on the canvas and the data it was
 * measured on is the data loaded now, so a prediction is never the old model under new labels.
 */
export function viewState(view: ResultView, record: RunRecord | null, now: OpenState, evaluated: boolean): ViewState {
  if (!record) return 'hidden';
  const stale = staleReasons(record, now).length > 0;
  if (view === 'curves') return record.hasCurves ? (stale ? 'previous' : 'current') : 'hidden';
  if (!evaluated || !record.data) return 'hidden';
  if (MEASURED.includes(view)) return stale ? 'previous' : 'current';
  if (stale) return 'hidden';
  if (view === 'draw-pad') return isDigitLike(record.data) ? 'current' : 'hidden';
  return 'current';
}

/** Data a digit drawn in white on black stands for: one gray channel and the classes 0 … 9. */
export function isDigitLike(data: Pick<DataIdentity, 'classes' | 'shape'>): boolean {
  return data.shape[2] === 1 && data.classes.length === 10 && data.classes.every((c, i) => c.trim() === String(i));
}
