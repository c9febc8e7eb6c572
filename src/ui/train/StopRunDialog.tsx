import './dialog.css';
import { useEffect, useRef } from 'react';
import { useApp } from '../store-context.ts';
import { useTrainStrings } from './train-strings.ts';

/** Asks whether to stop the active run before an edit that changes the network is applied. */
export function StopRunDialog() {
  const t = useTrainStrings();
  const pending = useApp((s) => s.pendingEdit);
  const confirm = useApp((s) => s.confirmPendingEdit);
  const cancel = useApp((s) => s.cancelPendingEdit);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (pending && !dialog.open) dialog.showModal();
    if (!pending && dialog.open) dialog.close();
  }, [pending]);
  return (
    <dialog ref={ref} className="dialog confirm-dialog" aria-labelledby="confirm-title" onCancel={() => cancel()} data-testid="stop-run-dialog">
      <h2 id="confirm-title">{t.confirmTitle}</h2>
      <p>{pending ? t.confirmBody(pending.description) : null}</p>
      <div className="buttons">
        <button type="button" className="btn" onClick={() => cancel()} autoFocus>
          {t.confirmKeep}
        </button>
        <button type="button" className="btn primary" onClick={() => void confirm()}>
          {t.confirmStop}
        </button>
      </div>
    </dialog>
  );
}
