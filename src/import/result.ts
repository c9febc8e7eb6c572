/**
 * What every importer (ONNX, Keras) answers: the design it read, or one refusal that names what and where.
 * Importers throw `ImportFailure` deep inside their readers (via `fail`) and turn it into a refusal at their
 * one entry point, so nothing is ever half-imported.
 */
import type { Issue, IssueCode, IssueValues } from '../graph/index.ts';

/** The largest model file an importer reads (it holds the file and the weights it decodes from it). */
export const MAX_IMPORT_MB = 768;

export type ImportRefusal = { readonly ok: false; readonly issue: Issue };

export class ImportFailure extends Error {
  constructor(readonly issue: Issue) {
    super(issue.code);
  }
}

export function fail(code: IssueCode, values: IssueValues): never {
  throw new ImportFailure({ severity: 'error', code, values });
}

export const refuse = (code: IssueCode, values: IssueValues): ImportRefusal => ({ ok: false, issue: { severity: 'error', code, values } });
