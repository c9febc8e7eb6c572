/**
 * Loading data is asynchronous and can fail part-way (a download, a damaged file, a folder without
 * classes), so loaders throw a `DatasetError` carrying a catalogue `Issue`: the UI renders it in the
 * user's language with `formatIssue`; `message` is the English sentence for logs and the worker protocol.
 * Problems that only skip some files are not thrown: they come back as warnings next to the data.
 */
import { formatIssue, type Issue, type IssueCode, type IssueValues } from '../../graph/messages.ts';

export class DatasetError extends Error {
  readonly issue: Issue;

  constructor(code: IssueCode, values: IssueValues) {
    const issue: Issue = { severity: 'error', code, values };
    super(formatIssue(issue, 'en'));
    this.name = 'DatasetError';
    this.issue = issue;
  }
}

export function dataWarning(code: IssueCode, values: IssueValues): Issue {
  return { severity: 'warning', code, values };
}

/** A short, language-neutral list of examples for a message: the first few, then "… (+N)". */
export function examples(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} … (+${names.length - max})` : shown;
}

export function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
