/**
 * Leaving the page (reload, close, another address) during a run asks first: the run lives only in
 * this tab's worker. The browser shows its own wording; the page can only ask for the question.
 */
import { isRunning, type TrainingStore } from '../../store/training-store.ts';

type Target = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

export function guardUnload(target: Target, training: TrainingStore): () => void {
  const onBeforeUnload = (event: Event) => {
    if (!isRunning(training.getState().run)) return;
    event.preventDefault();
    // Older Chromium asks only when returnValue is set.
    if (typeof BeforeUnloadEvent !== 'undefined' && event instanceof BeforeUnloadEvent) event.returnValue = '';
  };
  target.addEventListener('beforeunload', onBeforeUnload);
  return () => target.removeEventListener('beforeunload', onBeforeUnload);
}
