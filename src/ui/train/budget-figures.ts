/**
 * The figures the budget check shows, derived from the stores (no math of its own: that is
 * src/graph/training-memory.ts): the memory advice at the current settings and device ceiling, and the
 * time per epoch from a measured speed when this design has one on this backend, else an estimate.
 */
import { useEffect, useMemo, useState } from 'react';
import { budgetAdvice, estimateStepSeconds, predictEpochSeconds, type BudgetAdvice, type DeviceCeiling } from '../../graph/training-memory.ts';
import { splitPlan } from '../../train/batches.ts';
import { learnedCeiling, probeCeiling } from '../../train/device-ceiling.ts';
import type { BackendChoice, BackendMeasurement, BackendName } from '../../train/protocol.ts';
import { designFingerprint, type RunRecord } from '../../store/run-record.ts';
import type { RunView } from '../../store/training-store.ts';
import { useApp } from '../store-context.ts';
import { useTraining } from './training-context.ts';

export interface MeasuredSpeed {
  readonly samplesPerSec: number;
  readonly backend: BackendName;
}

/**
 * A training speed measured on this design (the last run's, or Auto's measurement of a backend), on the
 * backend the next run will use; null when none was measured there. Auto runs where the last run ran.
 */
export function measuredSpeed(run: Pick<RunView, 'backend' | 'samplesPerSec' | 'measurements'> | null, record: RunRecord | null, designKey: string | null, choice: BackendChoice): MeasuredSpeed | null {
  if (!run || !record || designKey === null || record.designKey !== designKey) return null;
  const backend = choice === 'auto' ? run.backend : choice;
  if (!backend) return null;
  if (run.backend === backend && run.samplesPerSec) return { samplesPerSec: run.samplesPerSec, backend };
  const m = run.measurements.find((x: BackendMeasurement) => x.backend === backend && x.samplesPerSec);
  return m?.samplesPerSec ? { samplesPerSec: m.samplesPerSec, backend } : null;
}

export interface BudgetFigures {
  readonly advice: BudgetAdvice;
  /** Seconds per epoch, or null without data to count the epoch's steps. */
  readonly epochSeconds: number | null;
  /** Where the speed came from; null: estimated from the MACs. */
  readonly measured: MeasuredSpeed | null;
}

/** The device ceiling for the chosen backend, read once per choice (the adapter query is async). */
function useDeviceCeiling(choice: BackendChoice): DeviceCeiling | null {
  const [ceiling, setCeiling] = useState<DeviceCeiling | null>(null);
  useEffect(() => {
    let live = true;
    void probeCeiling(choice).then((c) => live && setCeiling(c));
    return () => {
      live = false;
    };
  }, [choice]);
  return ceiling;
}

export function useBudgetFigures(): BudgetFigures | null {
  const design = useApp((s) => s.flat);
  const inference = useApp((s) => s.inference);
  const config = useTraining((s) => s.config);
  const choice = useTraining((s) => s.backendChoice);
  const summary = useTraining((s) => s.dataSummary);
  const record = useTraining((s) => s.record);
  // Only what the speed needs: progress arrives 10×/s and would re-render the check with it.
  const backend = useTraining((s) => s.run?.backend ?? null);
  const samplesPerSec = useTraining((s) => s.run?.samplesPerSec ?? null);
  const measurements = useTraining((s) => s.run?.measurements);
  const probed = useDeviceCeiling(choice);
  const learned = useTraining((s) => s.learnedCeilings);
  return useMemo(() => {
    if (!design || !inference || inference.totals.errors > 0) return null;
    const ceilings = [probed, learnedCeiling(learned, choice)].filter((c): c is DeviceCeiling => c !== null);
    const advice = budgetAdvice(inference, config.batchSize, config.optimizer, ceilings);
    const run = measurements ? { backend, samplesPerSec, measurements } : null;
    const measured = measuredSpeed(run, record, designFingerprint(design), choice);
    const plan = summary ? splitPlan(summary.trainCount, summary.testCount, config) : null;
    const stepSeconds = measured ? config.batchSize / measured.samplesPerSec : estimateStepSeconds(inference, config.batchSize);
    const epochSeconds = plan ? predictEpochSeconds({ stepSeconds, steps: plan.stepsPerEpoch, batchSize: config.batchSize, valCount: plan.val }) : null;
    return { advice, epochSeconds, measured };
  }, [design, inference, config, choice, summary, record, backend, samplesPerSec, measurements, probed, learned]);
}
