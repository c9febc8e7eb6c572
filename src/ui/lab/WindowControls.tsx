import { useId, type Dispatch } from 'react';
import { formatIssue } from '../../graph/messages.ts';
import type { Lang } from '../../graph/types.ts';
import type { Padding2D } from '../../graph/shape-math.ts';
import { MAX_DILATION, MAX_STRIDE, type LabAction, type LabState } from './lab-state.ts';
import type { LabStrings } from './lab-strings.ts';
import type { LabWindowExplanation } from './lab-window.ts';

interface Props {
  readonly state: LabState;
  readonly dispatch: Dispatch<LabAction>;
  readonly explained: LabWindowExplanation | null;
  readonly pads: Padding2D | null;
  readonly lang: Lang;
  readonly t: LabStrings;
}

/** Stride, padding and dilation, and the output-size arithmetic src/graph writes for them. */
export function WindowControls({ state, dispatch, explained, pads, lang, t }: Props) {
  const strideId = useId();
  const paddingId = useId();
  const dilationId = useId();
  const { settings } = state;
  const number = (id: string, value: number, max: number, key: 'stride' | 'dilation') => (
    <input
      id={id}
      type="number"
      min={1}
      max={max}
      step={1}
      value={value}
      onChange={(e) => e.target.value !== '' && dispatch({ type: 'settings', settings: { [key]: Number(e.target.value) } })}
    />
  );
  // Square images and kernels: both axes share the arithmetic unless the sizes differ.
  const axes = explained ? explained.sizes.filter((e, i) => i === 0 || e.formula !== explained.sizes[0].formula) : [];
  return (
    <fieldset className="lab-card lab-window">
      <legend>{t.window}</legend>
      <div className="lab-row">
        <label htmlFor={strideId}>{t.stride}</label>
        {number(strideId, settings.stride, MAX_STRIDE, 'stride')}
        <label htmlFor={paddingId}>{t.padding}</label>
        <select id={paddingId} value={settings.padding} onChange={(e) => dispatch({ type: 'settings', settings: { padding: e.target.value as 'valid' | 'same' } })}>
          <option value="valid">{t.valid}</option>
          <option value="same">{t.same}</option>
        </select>
        <label htmlFor={dilationId}>{t.dilation}</label>
        {number(dilationId, settings.dilation, MAX_DILATION, 'dilation')}
      </div>
      {explained && (
        <div className="lab-size" data-testid="output-size">
          <h4>{t.outputSizeTitle}</h4>
          {axes.map((e) => (
            <p key={e.axis}>
              <code>{e.rule}</code>
              <br />
              <code className="formula">{e.formula}</code>
              {e.effectiveKernel && (
                <>
                  <br />
                  {t.effectiveKernel} <code>{e.effectiveKernel.formula}</code>
                </>
              )}
              {e.samePadding && (
                <>
                  <br />
                  <code>{e.samePadding.formula}</code>
                </>
              )}
            </p>
          ))}
          {pads && settings.padding === 'same' && <p className="inspector-note">{t.padSplit(...pads)}</p>}
          {explained.issues.map((issue) => (
            <p key={issue.code} className={issue.severity === 'error' ? 'lab-error' : 'lab-warning'} role={issue.severity === 'error' ? 'alert' : undefined}>
              {formatIssue(issue, lang)}
            </p>
          ))}
        </div>
      )}
    </fieldset>
  );
}
