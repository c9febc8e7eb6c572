import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { inferShapes, serializeDesign } from '../graph/index.ts';
import { loadTemplate } from '../graph/testing/templates.ts';
import { lenet5Lesson } from '../lesson/lessons.ts';
import { createAppStore, type AppStore } from './app-store.ts';
import { memoryStorage, startAutosave } from './autosave.ts';
import { bootDesign } from './boot.ts';
import { clampProgress, lessonResults, lessonRun, NO_PROGRESS, readProgress } from './lesson-progress.ts';
import { designFingerprint, type RunRecord } from './run-record.ts';

function page(): AppStore {
  return createAppStore({
    lang: 'en',
    catalogue: [{ file: 'lesson.json', name: 'lesson' }],
    loaderFor: (file) => (file === 'lesson.json' ? async () => JSON.parse(serializeDesign(lenet5Lesson())) : undefined),
  });
}

describe('lesson progress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('survives a reload through autosave: the step and the answers come back with the design', async () => {
    const storage = memoryStorage();
    const before = page();
    startAutosave(before, storage, 500);
    await before.getState().loadTemplate('lesson.json');
    before.getState().addLayer('Input');
    before.getState().setLessonProgress({ step: 4, answers: { 4: 2416 } });
    await vi.advanceTimersByTimeAsync(600);

    const after = page();
    const saver = startAutosave(after, storage, 500);
    expect(await bootDesign(after, { hash: '', autosaver: saver, defaultTemplate: 'lesson.json', clearHash: () => {} })).toBe('autosave');
    expect(after.getState().lessonProgress).toMatchObject({ step: 4, answers: { 4: 2416 } });
    expect(after.getState().design?.lesson).toEqual(lenet5Lesson().lesson);
  });

  it('starts over when another design opens, and is clamped to the lesson when the lesson shrinks', async () => {
    const store = page();
    await store.getState().loadTemplate('lesson.json');
    store.getState().setLessonProgress({ step: 99, answers: { 3: 1, 50: 2 } });
    const steps = store.getState().design!.lesson!.steps;
    expect(store.getState().lessonProgress).toMatchObject({ step: steps.length - 1, answers: { 3: 1 } });
    store.getState().setLesson({ ...store.getState().design!.lesson!, steps: steps.slice(0, 2) });
    expect(store.getState().lessonProgress).toMatchObject({ step: 1, answers: {} });
    store.getState().undo();
    expect(store.getState().design!.lesson!.steps).toHaveLength(steps.length);
    store.getState().newDesign();
    expect(store.getState().lessonProgress).toBe(NO_PROGRESS);
  });

  it("resets the step to the design as the student entered it, in one undoable edit, and the start survives a reload", async () => {
    const storage = memoryStorage();
    const store = page();
    startAutosave(store, storage, 500);
    await store.getState().loadTemplate('lesson.json');
    const kinds = () => store.getState().design!.nodes.map((n) => n.kind);
    // Step 1 starts from the empty canvas it opened with.
    store.getState().addLayer('Input');
    store.getState().resetLessonStep();
    expect(kinds()).toEqual([]);
    store.getState().undo();
    expect(kinds()).toEqual(['Input']);
    // Entering step 2 records the design as it is then; work done in step 2 is what a reset undoes.
    store.getState().setLessonProgress({ ...store.getState().lessonProgress, step: 1 });
    store.getState().addLayer('Conv2D');
    store.getState().setLessonProgress({ ...store.getState().lessonProgress, answers: { 1: 7 } });
    expect(kinds()).toEqual(['Input', 'Conv2D']);
    await vi.advanceTimersByTimeAsync(600);

    const after = page();
    const saver = startAutosave(after, storage, 500);
    await bootDesign(after, { hash: '', autosaver: saver, defaultTemplate: 'lesson.json', clearHash: () => {} });
    expect(after.getState().design!.nodes.map((n) => n.kind)).toEqual(['Input', 'Conv2D']);
    after.getState().resetLessonStep();
    expect(after.getState().design!.nodes.map((n) => n.kind)).toEqual(['Input']);
    expect(after.getState().design!.lesson).toEqual(lenet5Lesson().lesson);
    expect(after.getState().lessonProgress).toMatchObject({ step: 1, answers: { 1: 7 } });
    // The reset design is what autosave keeps.
    await vi.advanceTimersByTimeAsync(600);
    const third = page();
    await bootDesign(third, { hash: '', autosaver: startAutosave(third, storage, 500), defaultTemplate: 'lesson.json', clearHash: () => {} });
    expect(third.getState().design!.nodes.map((n) => n.kind)).toEqual(['Input']);
  });

  it('reads back only what is shaped like progress', () => {
    expect(readProgress({ step: 2, answers: { 1: 3, x: 4, 2: 'no' } })).toEqual({ step: 2, answers: { 1: 3 } });
    for (const bad of [null, 3, { step: -1, answers: {} }, { step: 1.5, answers: {} }, { step: 1, answers: [] }]) expect(readProgress(bad)).toBeNull();
    // A step start that does not load as a design is dropped; the rest of the progress stays.
    expect(readProgress({ step: 1, answers: {}, start: { format: 'netcanvas', nodes: 'no' } })).toEqual({ step: 1, answers: {} });
    expect(clampProgress({ step: 3, answers: {} }, undefined)).toBe(NO_PROGRESS);
  });

  it("verdicts follow the open design's inference: the LeNet-5 template passes every building step", () => {
    const lesson = lenet5Lesson().lesson!;
    const reference = loadTemplate('lenet-5.json');
    const results = lessonResults(lesson, reference, inferShapes(reference), NO_PROGRESS);
    lesson.steps.forEach((s, i) => expect(results[i].pass, `step ${i + 1}`).toBe(s.check.type !== 'number' && s.check.type !== 'choice'));
    expect(lessonResults(lesson, null, null, NO_PROGRESS).every((r) => !r.pass)).toBe(true);
  });

  it("ticks an accuracy step only on the record of a run of the open design as it is now, on the named data", () => {
    const design = loadTemplate('mnist-cnn.json');
    const lesson = { title: { en: 't' }, steps: [{ text: { en: 's' }, check: { type: 'accuracy', dataset: 'mnist', min: 97 } as const }] };
    const record = (of: typeof design, name: string): RunRecord => ({
      designKey: designFingerprint(of),
      data: { key: name, name, classes: [], shape: [28, 28, 1] },
      origin: 'trained',
      hasCurves: true,
    });
    const verdict = (r: RunRecord | null, acc: number | null, open = design) =>
      lessonResults(lesson, open, inferShapes(open), NO_PROGRESS, lessonRun(r, acc === null ? null : { testAccuracy: acc }, open))[0];
    expect(verdict(record(design, 'mnist'), 0.981).pass).toBe(true);
    expect(verdict(record(design, 'mnist'), null).hint?.code).toBe('lesson-no-run');
    expect(verdict(null, 0.981).hint?.code).toBe('lesson-no-run');
    expect(verdict(record(design, 'fashion-mnist'), 0.981).hint?.code).toBe('lesson-run-dataset');
    // Moving a layer keeps the run the design's; changing a filter count makes it an earlier version's.
    const moved = { ...design, nodes: design.nodes.map((n) => ({ ...n, position: { x: n.position.x + 10, y: n.position.y } })) };
    expect(verdict(record(design, 'mnist'), 0.981, moved).pass).toBe(true);
    const edited = { ...design, nodes: design.nodes.map((n) => (n.id === 'conv1' ? { ...n, params: { ...n.params, filters: 4 } } : n)) };
    expect(verdict(record(design, 'mnist'), 0.981, edited).hint?.code).toBe('lesson-run-stale');
  });
});
