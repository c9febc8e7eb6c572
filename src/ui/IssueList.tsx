import { formatIssue, type Issue } from '../graph/index.ts';
import { useApp, useStrings } from './store-context.ts';

export function IssueList({ issues }: { readonly issues: readonly Issue[] }) {
  const lang = useApp((s) => s.lang);
  const t = useStrings();
  if (issues.length === 0) return null;
  return (
    <ul className="issues">
      {issues.map((issue, i) => (
        <li key={i} className={`issue ${issue.severity}`}>
          <span className="issue-icon" aria-hidden="true">
            {issue.severity === 'error' ? '✖' : '⚠'}
          </span>
          <span className="visually-hidden">{issue.severity === 'error' ? t.error : t.warning}: </span>
          {formatIssue(issue, lang)}
        </li>
      ))}
    </ul>
  );
}
