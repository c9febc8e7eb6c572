import { IssueList } from './IssueList.tsx';
import { useApp, useStrings } from './store-context.ts';

/** Why the last load failed. Lives in a live region so screen readers hear it; the design stays shown. */
export function LoadProblemAlert() {
  const problem = useApp((s) => s.problem);
  const dismiss = useApp((s) => s.dismissProblem);
  const t = useStrings();
  return (
    <div role="alert" className={problem ? 'alert' : undefined}>
      {problem && (
        <>
          <div className="alert-head">
            <strong>{t.loadFailed(problem.source)}</strong>
            <button type="button" className="button small" onClick={dismiss}>
              {t.dismiss}
            </button>
          </div>
          {problem.kind === 'invalid' && <IssueList issues={problem.issues} />}
          {problem.kind === 'too-large' && <p>{t.fileTooLarge(problem.limitMb)}</p>}
          {problem.kind === 'unreadable' && <p>{t.unreadable(problem.detail)}</p>}
        </>
      )}
    </div>
  );
}
