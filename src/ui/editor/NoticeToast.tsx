/**
 * The store's latest notice (a refused connection, a paste that held no layers), shown once near the
 * bottom of the page, announced to screen readers (role="alert"), dismissable, gone after a few seconds.
 */
import { useEffect } from 'react';
import { formatIssue } from '../../graph/messages.ts';
import { useApp } from '../store-context.ts';
import { useEditorStrings } from './editor-strings.ts';

export const NOTICE_MS = 7000;

export function NoticeToast() {
  const notice = useApp((s) => s.notice);
  const lang = useApp((s) => s.lang);
  const dismiss = useApp((s) => s.dismissNotice);
  const t = useEditorStrings();
  const seq = notice?.seq;
  useEffect(() => {
    if (seq === undefined) return;
    const timer = setTimeout(dismiss, NOTICE_MS);
    return () => clearTimeout(timer);
  }, [seq, dismiss]);
  if (!notice) return null;
  return (
    // Keyed by seq: the same message twice is a new alert, announced again.
    <div key={notice.seq} className={`notice-toast ${notice.issue.severity}`} role="alert" data-testid="notice">
      <p>{formatIssue(notice.issue, lang)}</p>
      <button type="button" className="notice-dismiss" onClick={dismiss} aria-label={t.dismiss} title={t.dismiss}>
        ×
      </button>
    </div>
  );
}
