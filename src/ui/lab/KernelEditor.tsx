import { useId, type Dispatch } from 'react';
import { effectiveKernel, formatLabNumber, MAX_KERNEL, MIN_KERNEL, type Kernel, type Mode } from './kernel-math.ts';
import { PRESETS, type Preset } from './kernel-presets.ts';
import type { LabAction, LabState } from './lab-state.ts';
import type { LabStrings } from './lab-strings.ts';

/** Preset, size, the editable grid of weights, the operation, and (for convolution) the flipped kernel. */
export function KernelEditor({ state, dispatch, t }: { readonly state: LabState; readonly dispatch: Dispatch<LabAction>; readonly t: LabStrings }) {
  const presetId = useId();
  const sizeId = useId();
  const { kernel, mode } = state;
  return (
    <fieldset className="lab-card lab-kernel">
      <legend>{t.kernel}</legend>
      <div className="lab-row">
        <label htmlFor={presetId}>{t.preset}</label>
        <select
          id={presetId}
          value={state.preset ?? ''}
          onChange={(e) => e.target.value && dispatch({ type: 'preset', preset: e.target.value as Preset })}
        >
          {state.preset === null && <option value="">{t.custom}</option>}
          {PRESETS.map((p) => (
            <option key={p} value={p}>
              {t.presets[p]}
            </option>
          ))}
        </select>
        <label htmlFor={sizeId}>{t.size}</label>
        <input
          id={sizeId}
          type="number"
          min={MIN_KERNEL}
          max={MAX_KERNEL}
          step={1}
          value={kernel.size}
          onChange={(e) => e.target.value !== '' && dispatch({ type: 'size', size: Number(e.target.value) })}
        />
      </div>
      <div className="lab-kernel-grid" style={{ gridTemplateColumns: `repeat(${kernel.size}, 4.6em)` }} data-testid="kernel-grid">
        {kernel.values.map((v, i) => (
          <input
            key={`${kernel.size}-${i}`}
            type="number"
            step="any"
            value={v}
            aria-label={t.cell(Math.floor(i / kernel.size), i % kernel.size)}
            onChange={(e) => e.target.value !== '' && dispatch({ type: 'cell', index: i, value: Number(e.target.value) })}
          />
        ))}
      </div>
      <fieldset className="lab-mode">
        <legend>{t.operation}</legend>
        {(['correlation', 'convolution'] as const satisfies readonly Mode[]).map((m) => (
          <label key={m}>
            <input type="radio" name="lab-mode" value={m} checked={mode === m} onChange={() => dispatch({ type: 'mode', mode: m })} /> {t[m]}
          </label>
        ))}
      </fieldset>
      {mode === 'convolution' && <SlidKernel kernel={effectiveKernel(kernel, mode)} t={t} />}
    </fieldset>
  );
}

/** The flipped kernel, read-only: what convolution actually multiplies the pixels by. */
function SlidKernel({ kernel, t }: { readonly kernel: Kernel; readonly t: LabStrings }) {
  return (
    <figure className="lab-slid">
      <figcaption>{t.flippedNote}</figcaption>
      <div className="lab-kernel-grid lab-kernel-readonly" style={{ gridTemplateColumns: `repeat(${kernel.size}, 4.6em)` }} data-testid="slid-kernel" aria-label={t.kernelAsSlid} role="group">
        {kernel.values.map((v, i) => (
          <span key={i} className={v < 0 ? 'neg' : v > 0 ? 'pos' : undefined}>
            {formatLabNumber(v)}
          </span>
        ))}
      </div>
    </figure>
  );
}
