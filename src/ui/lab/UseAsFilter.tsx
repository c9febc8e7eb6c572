import { useId, useMemo, useState } from 'react';
import { useApp } from '../store-context.ts';
import { convTargets, placeKernel } from './filter-target.ts';
import type { Kernel } from './kernel-math.ts';
import type { LabStrings } from './lab-strings.ts';

/** Copies the kernel (as it slides) into one filter of a Conv2D of the open design, through the store's commands. */
export function UseAsFilter({ kernel, t }: { readonly kernel: Kernel; readonly t: LabStrings }) {
  const layerId = useId();
  const filterId = useId();
  const design = useApp((s) => s.flat);
  const inference = useApp((s) => s.inference);
  const weights = useApp((s) => s.weights);
  const runActive = useApp((s) => s.runActive);
  const updateNodeParams = useApp((s) => s.updateNodeParams);
  const setWeights = useApp((s) => s.setWeights);
  const targets = useMemo(() => (design && inference ? convTargets(design, inference) : []), [design, inference]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [filter, setFilter] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const target = targets.find((x) => x.nodeId === chosen) ?? targets[0];
  if (!target) {
    return (
      <section className="lab-card lab-use">
        <h3>{t.useTitle}</h3>
        <p>{t.noConv}</p>
      </section>
    );
  }
  const f = Math.min(filter, target.filters - 1);
  const placement = placeKernel(weights, target, kernel, f);
  const size = `${kernel.size}×${kernel.size}`;
  return (
    <section className="lab-card lab-use" aria-labelledby={`${layerId}-title`}>
      <h3 id={`${layerId}-title`}>{t.useTitle}</h3>
      <p className="inspector-note">{t.useIntro}</p>
      <div className="lab-row">
        <label htmlFor={layerId}>{t.layer}</label>
        <select id={layerId} value={target.nodeId} onChange={(e) => {
            setChosen(e.target.value);
            setDone(null);
          }}>
          {targets.map((x) => (
            <option key={x.nodeId} value={x.nodeId}>
              {x.name} · {x.kernelSize.join('×')} · {x.filters}
            </option>
          ))}
        </select>
        <label htmlFor={filterId}>{t.filter}</label>
        <input id={filterId} type="number" min={0} max={target.filters - 1} step={1} value={f} onChange={(e) => {
            setFilter(Math.max(0, Math.round(Number(e.target.value)) || 0));
            setDone(null);
          }} />
      </div>
      {placement.kind === 'size-mismatch' && (
        <p>
          {t.sizeMismatch(target.name, target.kernelSize.join('×'), size)}{' '}
          <button type="button" className="btn" onClick={() => updateNodeParams(target.nodeId, { kernel_size: [kernel.size, kernel.size] })}>
            {t.setSize(target.name, size)}
          </button>
        </p>
      )}
      {placement.kind === 'no-weights' && <p>{t.noWeights(target.name)}</p>}
      {placement.kind === 'ready' && (
        <p>
          <button
            type="button"
            className="btn primary"
            disabled={runActive}
            onClick={() => {
              setWeights(placement.weights);
              setDone(t.copied(target.name, f));
            }}
          >
            {t.copy}
          </button>{' '}
          {runActive && t.runActive}
        </p>
      )}
      {done && <p role="status">{done}</p>}
    </section>
  );
}
