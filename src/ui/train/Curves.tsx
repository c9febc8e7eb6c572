import { useDeferredValue, useMemo } from 'react';
import type { CurvePoint } from '../../store/training-store.ts';
import { LineChart } from './LineChart.tsx';
import { useTraining } from './training-context.ts';
import { formatPercent, useTrainStrings } from './train-strings.ts';

const EMPTY: readonly CurvePoint[] = [];

/** Live loss and accuracy, train (per progress report) and validation (per epoch). */
export function Curves({ previous = false }: { previous?: boolean }) {
  const t = useTrainStrings();
  // Deferred: redrawing the charts never holds up the message that brought a point.
  const train = useDeferredValue(useTraining((s) => s.run?.train ?? EMPTY));
  const val = useDeferredValue(useTraining((s) => s.run?.val ?? EMPTY));
  const epochs = useTraining((s) => s.run?.epochs ?? 1);
  const [loss, acc] = useMemo(() => {
    const pick = (k: 'loss' | 'acc', pts: readonly CurvePoint[]) => pts.map((p) => ({ x: p.x, y: p[k] }));
    return [
      [{ name: t.trainSeries, points: pick('loss', train) }, { name: t.valSeries, points: pick('loss', val) }],
      [{ name: t.trainSeries, points: pick('acc', train) }, { name: t.valSeries, points: pick('acc', val) }],
    ];
  }, [train, val, t]);
  if (train.length === 0) return null;
  const lastTrain = train.at(-1);
  const lastVal = val.at(-1);
  return (
    <section className={previous ? 'curves previous' : 'curves'} aria-label={`${t.loss} / ${t.accuracy}`} data-state={previous ? 'previous' : 'current'}>
      <LineChart
        title={t.loss}
        series={loss}
        epochs={epochs}
        xLabel={t.epochAxis}
        format={(v) => (v >= 10 ? v.toFixed(0) : v.toFixed(2))}
        summary={t.chartSummary(t.loss, lastTrain ? lastTrain.loss.toFixed(3) : '—', lastVal ? lastVal.loss.toFixed(3) : '—')}
        testId="loss-chart"
      />
      <LineChart
        title={t.accuracy}
        series={acc}
        epochs={epochs}
        xLabel={t.epochAxis}
        yFixed={{ min: 0, max: 1 }}
        format={(v) => formatPercent(v, 0)}
        summary={t.chartSummary(t.accuracy, lastTrain ? formatPercent(lastTrain.acc) : '—', lastVal ? formatPercent(lastVal.acc) : '—')}
        testId="accuracy-chart"
      />
    </section>
  );
}
