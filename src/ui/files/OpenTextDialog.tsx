import { useEffect, useId, useState, type RefObject } from 'react';
import { formatIssue, parseDesign, type Issue } from '../../graph/index.ts';
import { useApp } from '../store-context.ts';
import { useFilesStrings } from './files-strings.ts';
import { ModalDialog } from './ModalDialog.tsx';

interface Props {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly returnFocus?: RefObject<HTMLElement | null>;
}

/**
 * Opens a whole design from pasted JSON. The text is checked here first, so a bad paste shows its
 * problems beside the text (which stays, to be fixed) and the design on the canvas is untouched.
 */
export function OpenTextDialog({ open, onClose, returnFocus }: Props) {
  const t = useFilesStrings();
  const lang = useApp((s) => s.lang);
  const openText = useApp((s) => s.openText);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<readonly Issue[] | string | null>(null);
  const fieldId = useId();
  const helpId = useId();
  const errorId = useId();

  useEffect(() => {
    if (open) setErrors(null);
  }, [open]);

  const submit = () => {
    const parsed = parseDesign(text);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    openText(text, { type: 'paste' }, t.pastedText);
    setText('');
    onClose();
  };

  const pasteFromClipboard = async () => {
    try {
      setText(await navigator.clipboard.readText());
      setErrors(null);
    } catch {
      setErrors(t.clipboardRefused);
    }
  };

  return (
    <ModalDialog open={open} onClose={onClose} title={t.openTextTitle} closeLabel={t.close} className="open-text" returnFocus={returnFocus} testId="open-text-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <p id={helpId} className="files-dialog-intro">
          {t.openTextHelp}
        </p>
        <label htmlFor={fieldId} className="files-label">
          {t.openTextLabel}
        </label>
        <textarea
          id={fieldId}
          className="open-text-field"
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={12}
          spellCheck={false}
          data-autofocus
          aria-describedby={errors ? `${helpId} ${errorId}` : helpId}
          aria-invalid={Array.isArray(errors) ? 'true' : undefined}
        />
        {errors && (
          <div id={errorId} role="alert" className="files-error">
            {typeof errors === 'string' ? (
              <p>{errors}</p>
            ) : (
              <>
                <p>{t.notADesign}</p>
                <ul>
                  {errors.slice(0, 8).map((issue, i) => (
                    <li key={i}>{formatIssue(issue, lang)}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
        <div className="files-dialog-buttons">
          {typeof navigator.clipboard?.readText === 'function' && (
            <button type="button" className="btn" onClick={() => void pasteFromClipboard()}>
              {t.pasteFromClipboard}
            </button>
          )}
          <span className="files-spacer" />
          <button type="button" className="btn" onClick={onClose}>
            {t.cancel}
          </button>
          <button type="submit" className="button" disabled={text.trim() === ''}>
            {t.openButton}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
