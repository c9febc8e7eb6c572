import { FEW_STEPS, splitPlan } from '../../train/batches.ts';
import type { TrainConfig } from '../../train/protocol.ts';
import { useTraining } from './training-context.ts';
import { useTrainStrings } from './train-strings.ts';

/** A number field that only reports valid values within bounds. */
export function NumberField({ label, value, min, max, step, onChange, disabled, testId }: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number | 'any';
  onChange: (v: number) => void;
  disabled?: boolean;
  testId?: string;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        value={value}
        min={min}
        max={max}
        step={step}
        disabled={disabled}
        data-testid={testId}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (e.target.value !== '' && Number.isFinite(v) && v >= min && v <= max) onChange(v);
        }}
      />
    </label>
  );
}

export function TrainSettings({ disabled }: { disabled: boolean }) {
  const t = useTrainStrings();
  const config = useTraining((s) => s.config);
  const setConfig = useTraining((s) => s.setConfig);
  const summary = useTraining((s) => s.dataSummary);
  const plan = summary ? splitPlan(summary.trainCount, summary.testCount, config) : null;
  const set = (patch: Partial<TrainConfig>) => setConfig(patch);
  return (
    <fieldset className="train-card settings" disabled={disabled}>
      <legend>{t.settings}</legend>
      <div className="settings-grid">
        <label className="field">
          <span>{t.optimizer}</span>
          <select value={config.optimizer} onChange={(e) => set({ optimizer: e.target.value as TrainConfig['optimizer'] })} data-testid="optimizer">
            <option value="adam">{t.adam}</option>
            <option value="sgd">{t.sgd}</option>
          </select>
        </label>
        <NumberField label={t.learningRate} value={config.learningRate} min={0} max={10} step="any" onChange={(v) => set({ learningRate: v })} testId="learning-rate" />
        {config.optimizer === 'sgd' && <NumberField label={t.momentum} value={config.momentum} min={0} max={0.999} step={0.05} onChange={(v) => set({ momentum: v })} />}
        <NumberField label={t.batchSize} value={config.batchSize} min={1} max={4096} step={1} onChange={(v) => set({ batchSize: Math.round(v) })} testId="batch-size" />
        <NumberField label={t.epochs} value={config.epochs} min={1} max={1000} step={1} onChange={(v) => set({ epochs: Math.round(v) })} testId="epochs" />
        <NumberField label={t.validationSplit} value={config.validationSplit} min={0} max={0.5} step={0.05} onChange={(v) => set({ validationSplit: v })} testId="validation-split" />
        <NumberField label={t.augmentShift} value={config.augment.shift} min={0} max={8} step={1} onChange={(v) => set({ augment: { ...config.augment, shift: Math.round(v) } })} />
        <label className="field check">
          <input type="checkbox" checked={config.augment.flip} onChange={(e) => set({ augment: { ...config.augment, flip: e.target.checked } })} />
          <span>{t.augmentFlip}</span>
        </label>
        <label className="field check">
          <input type="checkbox" checked={config.patience !== null} onChange={(e) => set({ patience: e.target.checked ? 3 : null })} />
          <span>{t.earlyStopping}</span>
        </label>
        {config.patience !== null && <NumberField label={t.patience} value={config.patience} min={1} max={100} step={1} onChange={(v) => set({ patience: Math.round(v) })} />}
        <label className="field">
          <span>{t.batchLimit}</span>
          <input
            type="number"
            min={1}
            step={1}
            data-testid="batch-limit"
            value={config.maxBatchesPerEpoch ?? ''}
            onChange={(e) => {
              const v = Math.round(Number(e.target.value));
              set({ maxBatchesPerEpoch: e.target.value === '' || !(v >= 1) ? null : v });
            }}
          />
        </label>
      </div>
      {plan && (
        <div className="split-sizes" data-testid="split-sizes">
          <p>{t.splitSizes(plan.train, plan.val, plan.test)}</p>
          <p className="hint">{t.steps(plan.stepsPerEpoch, plan.steps)}</p>
          {plan.steps < FEW_STEPS && (
            <p className="data-warnings" role="status" data-testid="few-steps">
              {t.fewSteps(plan.steps)}
            </p>
          )}
        </div>
      )}
    </fieldset>
  );
}
