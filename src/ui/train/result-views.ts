/** Which results views the panel shows for the current record, against the open design and data. */
import { useMemo } from 'react';
import { dataIdentity, designFingerprint, RESULT_VIEWS, staleReasons, viewState, type ResultView, type StaleReason, type ViewState } from '../../store/run-record.ts';
import { useApp } from '../store-context.ts';
import { useTraining } from './training-context.ts';

export interface ResultViews {
  readonly views: Readonly<Record<ResultView, ViewState>>;
  readonly stale: readonly StaleReason[];
}

export function useResultViews(): ResultViews {
  const design = useApp((s) => s.flat);
  const summary = useTraining((s) => s.dataSummary);
  const record = useTraining((s) => s.record);
  const evaluated = useTraining((s) => s.result !== null);
  return useMemo(() => {
    const now = { designKey: design ? designFingerprint(design) : null, data: summary ? dataIdentity(summary) : null };
    const views = Object.fromEntries(RESULT_VIEWS.map((v) => [v, viewState(v, record, now, evaluated)])) as Record<ResultView, ViewState>;
    return { views, stale: record ? staleReasons(record, now) : [] };
  }, [design, summary, record, evaluated]);
}
