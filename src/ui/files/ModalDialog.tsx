import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';

/** What a dialog built on ModalDialog takes from whoever opens it. */
export interface DialogProps {
  readonly open: boolean;
  readonly onClose: () => void;
  /** Where focus goes when the dialog closes (the control that opened it may be gone by then). */
  readonly returnFocus?: RefObject<HTMLElement | null>;
}

interface Props extends DialogProps {
  readonly title: string;
  /** The accessible name of the × button ("Close" in the page language). */
  readonly closeLabel: string;
  readonly className?: string;
  readonly children: ReactNode;
  readonly testId?: string;
}

/**
 * A native modal <dialog>: showModal() makes the rest of the page inert (the focus trap) and Escape
 * closes it; closing puts focus back on `returnFocus`, or on whatever had it before.
 */
export function ModalDialog({ open, onClose, title, closeLabel, className, returnFocus, children, testId }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const before = useRef<Element | null>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      before.current = document.activeElement;
      dialog.showModal();
      // showModal focuses the first focusable element (the × button); a field marked data-autofocus is
      // where typing should start. (React's autoFocus fires before the dialog is open, so it is lost.)
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
    if (!open && before.current) {
      const target = returnFocus?.current ?? before.current;
      before.current = null;
      if (target instanceof HTMLElement && target.isConnected) target.focus();
    }
  }, [open, returnFocus]);
  return (
    <dialog
      ref={ref}
      className={className ? `dialog files-dialog ${className}` : 'dialog files-dialog'}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        // Escape: React state decides whether the dialog is open.
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        // A click on the backdrop lands on the <dialog> element itself (its body fills the box).
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="files-dialog-body">
        <div className="files-dialog-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="files-dialog-close" onClick={onClose} aria-label={closeLabel} title={closeLabel}>
            ×
          </button>
        </div>
        {open ? children : null}
      </div>
    </dialog>
  );
}
