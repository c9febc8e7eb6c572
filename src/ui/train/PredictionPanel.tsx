import { useEffect, useState } from 'react';
import { browserImageDecoder } from '../../train/datasets/decode-image.ts';
import type { Prediction } from '../../train/client.ts';
import { ImageCanvas } from './ImageCanvas.tsx';
import { Top5List } from './Top5List.tsx';
import { useTraining } from './training-context.ts';
import { useTrainStrings } from './train-strings.ts';

interface Props {
  readonly classes: readonly string[];
  readonly shape: readonly [number, number, number];
  /** Test images of the run's data that can be picked by number; 0 hides picking (the data changed). */
  readonly testCount: number;
  /** A test image chosen elsewhere (the gallery). */
  readonly picked: number | null;
}

/** Top-5 predictions for a test image by number, or for an uploaded image resized to the Input. */
export function PredictionPanel({ classes, shape, testCount, picked }: Props) {
  const t = useTrainStrings();
  const predict = useTraining((s) => s.predict);
  const [index, setIndex] = useState(0);
  const [prediction, setPrediction] = useState<Prediction | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (input: { testIndex: number } | { pixels: Float32Array }) => {
    try {
      setPrediction(await predict(input));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  useEffect(() => {
    if (picked === null) return;
    setIndex(picked);
    void run({ testIndex: picked });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [picked]);

  const upload = async (file: File) => {
    try {
      const bytes = await browserImageDecoder(new Uint8Array(await file.arrayBuffer()), file.name, shape);
      const pixels = new Float32Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) pixels[i] = bytes[i] / 255;
      await run({ pixels });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section className="predict" aria-labelledby="predict-heading">
      <h4 id="predict-heading">{t.predict}</h4>
      <form
        className="predict-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run({ testIndex: index });
        }}
      >
        {testCount > 0 && (
          <>
            <label>
              {t.testImage}
              <input type="number" min={0} max={Math.max(0, testCount - 1)} value={index} onChange={(e) => setIndex(Math.max(0, Math.min(testCount - 1, Number(e.target.value) || 0)))} />
            </label>
            <button type="submit">{t.show}</button>
          </>
        )}
        <label className="file-button">
          {t.uploadImage}
          <input
            type="file"
            accept="image/*"
            className="visually-hidden"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void upload(f);
              e.target.value = '';
            }}
          />
        </label>
      </form>
      {prediction && (
        <div className="predict-row" data-testid="prediction">
          <div>
            <ImageCanvas pixels={prediction.pixels} shape={shape} size={112} label={prediction.label !== null ? t.trueLabel(classes[prediction.label]) : t.uploadImage} />
            {prediction.label !== null && <p className="hint">{t.trueLabel(classes[prediction.label] ?? String(prediction.label))}</p>}
          </div>
          <Top5List top5={prediction.top5} classes={classes} title={t.top5} testId="prediction-top5" />
        </div>
      )}
      {error && <p role="alert" className="train-error">{error}</p>}
    </section>
  );
}
