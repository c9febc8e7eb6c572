import { useMemo, useState } from 'react';
import { fieldBox } from '../../graph/receptive-field.ts';
import type { TopLook } from '../../train/look-protocol.ts';
import { Outline, PixelCanvas } from '../lab/PixelCanvas.tsx';
import { useApp } from '../store-context.ts';
import { useTraining } from '../train/training-context.ts';
import { formatValue, imageRgba } from './look-math.ts';
import { useLookStrings } from './look-strings.ts';

/** The 9 test images that drive one channel of the layer hardest, each with the patch that position sees. */
export function TopImagesView({ nodeId }: { readonly nodeId: string }) {
  const t = useLookStrings();
  const look = useTraining((s) => s.look);
  const summary = useTraining((s) => s.dataSummary);
  const design = useApp((s) => s.flat);
  const inference = useApp((s) => s.inference);
  const outShape = inference?.nodes.get(nodeId)?.outputShape ?? null;
  const channels = outShape && (outShape.length === 3 || outShape.length === 1) ? (outShape[outShape.length - 1] ?? 0) : 0;
  const [channel, setChannel] = useState(0);
  const [state, setState] = useState<{ result: TopLook | null; error: string | null; busy: boolean }>({ result: null, error: null, busy: false });
  const inputId = useMemo(() => design?.nodes.find((n) => n.kind === 'Input')?.id ?? null, [design]);

  if (!summary) return <p className="look-hint">{t.needsData}</p>;
  if (channels === 0) return <p className="look-hint">{t.noChannels}</p>;
  const find = async () => {
    setState((s) => ({ ...s, busy: true }));
    try {
      const result = await look({ kind: 'top', nodeId, channel, k: 9, limit: null });
      setState({ result, error: null, busy: false });
    } catch (e) {
      setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e), busy: false }));
    }
  };
  const result = state.result?.nodeId === nodeId ? state.result : null;
  const [h, w] = result?.imageShape ?? [0, 0];
  const size = h * w * (result?.imageShape[2] ?? 1);
  const boxOf = (position: readonly [number, number]) => {
    if (!design || !inference || !inputId) return null;
    return fieldBox(design, inference, nodeId, position).get(inputId) ?? null;
  };
  return (
    <div className="look-top" data-testid="look-top">
      <p className="look-hint">{t.topIntro}</p>
      <form
        className="look-test-form"
        onSubmit={(e) => {
          e.preventDefault();
          void find();
        }}
      >
        <label>
          {t.topChannel}
          <input
            type="number"
            data-testid="look-top-channel"
            min={0}
            max={channels - 1}
            value={channel}
            onChange={(e) => setChannel(Math.max(0, Math.min(channels - 1, Math.floor(Number(e.target.value)) || 0)))}
          />
        </label>
        <button type="submit" disabled={state.busy} data-testid="look-top-find">
          {state.busy ? t.loading : t.find}
        </button>
      </form>
      {state.error && <p role="alert" className="look-error">{state.error}</p>}
      {result && (
        <>
          <p className="look-hint">{t.searched(result.searched)}</p>
          {outShape?.length !== 3 && <p className="look-hint">{t.wholeImage}</p>}
          <ol className="look-top-grid" data-testid="look-top-grid">
            {result.hits.map((hit, i) => {
              const box = outShape?.length === 3 ? boxOf(hit.position) : null;
              return (
                <li key={hit.index} className="look-top-item">
                  <PixelCanvas rgba={imageRgba(result.pixels.subarray(i * size, (i + 1) * size), result.imageShape)} w={w} h={h} width={84} label={t.hitLabel(i + 1, hit.index)}>
                    {box && (
                      <Outline
                        className="look-field-box"
                        top={box.rows[0]}
                        left={box.cols[0]}
                        height={box.rows[1] - box.rows[0] + 1}
                        width={box.cols[1] - box.cols[0] + 1}
                        h={h}
                        w={w}
                      />
                    )}
                  </PixelCanvas>
                  <span className="look-hint">{t.hit(i + 1, formatValue(hit.value), summary.classes[hit.label] ?? String(hit.label))}</span>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </div>
  );
}
