import { useState } from 'react';
import { formatIssue } from '../../graph/messages.ts';
import type { DataSource } from '../../train/protocol.ts';
import type { DataChoice } from '../../store/training-store.ts';
import { useApp } from '../store-context.ts';
import { fromDataTransfer, fromFileList, isSingleZip, type PathFile } from './dropped-files.ts';
import { useTraining } from './training-context.ts';
import { inputImageShape } from '../../train/input-shape.ts';
import { useTrainStrings } from './train-strings.ts';
import { NumberField } from './TrainSettings.tsx';

export function DataPicker({ disabled = false }: { disabled?: boolean }) {
  const t = useTrainStrings();
  const lang = useApp((s) => s.lang);
  const design = useApp((s) => s.flat);
  const data = useTraining((s) => s.data);
  const loadingData = useTraining((s) => s.loadingData);
  const summary = useTraining((s) => s.dataSummary);
  const progress = useTraining((s) => s.dataProgress);
  const error = useTraining((s) => s.dataError);
  const chooseData = useTraining((s) => s.chooseData);
  const testShare = useTraining((s) => s.testShare);
  const setTestShare = useTraining((s) => s.setTestShare);
  const [dragging, setDragging] = useState(false);

  const input = design?.nodes.find((n) => n.kind === 'Input');
  const shape = inputImageShape(input?.params.shape as readonly number[] | undefined);

  const pick = (choice: DataChoice, source: DataSource) => void chooseData(choice, source);
  const loadFiles = (files: PathFile[]) => {
    if (files.length === 0) return;
    if (isSingleZip(files)) {
      const name = files[0].file.name.replace(/\.zip$/i, '');
      pick({ kind: 'folder', name }, { kind: 'zip', file: files[0].file, name, shape });
    } else {
      const name = files[0].path.includes('/') ? files[0].path.slice(0, files[0].path.indexOf('/')) : 'images';
      pick({ kind: 'folder', name }, { kind: 'folder', files, shape, name });
    }
  };

  const options: { id: string; label: string; choice: DataChoice; source: DataSource }[] = [
    { id: 'mnist', label: t.dataMnist, choice: { kind: 'bundled', name: 'mnist' }, source: { kind: 'bundled', name: 'mnist' } },
    { id: 'fashion-mnist', label: t.dataFashion, choice: { kind: 'bundled', name: 'fashion-mnist' }, source: { kind: 'bundled', name: 'fashion-mnist' } },
    {
      id: 'shapes',
      label: t.dataShapes,
      choice: { kind: 'synthetic' },
      source: { kind: 'synthetic', size: shape[0] === shape[1] ? shape[0] : 28, channels: shape[2] === 3 ? 3 : 1 },
    },
  ];
  // While new data loads, its choice shows as selected; the data in use stays until it has loaded.
  const shown = loadingData ?? data;
  const selected = shown?.kind === 'bundled' ? shown.name : shown?.kind === 'synthetic' ? 'shapes' : shown?.kind === 'folder' ? 'folder' : null;

  return (
    <section className="train-card data-picker" aria-labelledby="data-heading">
      <h3 id="data-heading">{t.data}</h3>
      <fieldset className="data-fieldset" disabled={disabled}>
        <div role="radiogroup" aria-labelledby="data-heading" className="data-options">
          {options.map((o) => (
            <label key={o.id} className={selected === o.id ? 'chip selected' : 'chip'}>
              <input type="radio" name="dataset" value={o.id} checked={selected === o.id} onChange={() => pick(o.choice, o.source)} />
              {o.label}
            </label>
          ))}
        </div>
        <div
          className={dragging ? 'dropzone dragging' : 'dropzone'}
          data-testid="dropzone"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            if (disabled) return;
            void fromDataTransfer(e.dataTransfer).then(loadFiles);
          }}
        >
          <strong>{t.dataFolder}:</strong> {t.folderHint}{' '}
          <label className="file-button">
            {t.chooseFolder}
            <input
              type="file"
              className="visually-hidden"
              data-testid="folder-input"
              multiple
              {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
              onChange={(e) => {
                if (e.target.files) loadFiles(fromFileList(e.target.files));
                e.target.value = '';
              }}
            />
          </label>{' '}
          <label className="file-button">
            {t.chooseZip}
            <input
              type="file"
              className="visually-hidden"
              data-testid="zip-input"
              accept=".zip,application/zip"
              onChange={(e) => {
                if (e.target.files) loadFiles(fromFileList(e.target.files));
                e.target.value = '';
              }}
            />
          </label>
          <NumberField label={t.testShare} value={testShare} min={0.05} max={0.5} step={0.05} onChange={setTestShare} testId="test-share" />
        </div>
      </fieldset>
      {progress !== null && (
        <label className="data-progress">
          {t.loadingData}
          <progress value={progress} max={1} data-testid="data-progress" />
        </label>
      )}
      {error && (
        <p role="alert" className="train-error data-error" data-testid="data-error">
          {error.issue ? formatIssue(error.issue, lang) : error.message}
          {summary && <span className="data-kept">{t.dataKept(summary.name)}</span>}
        </p>
      )}
      {summary && (
        <div className="data-summary" data-testid="data-summary">
          <p>
            <strong>{summary.name}</strong>: {t.dataSummary(summary.trainCount, summary.testCount, summary.shape.join('×'), summary.classes.length)}
          </p>
          {summary.found && (
            <p className="hint" data-testid="found-images">
              {t.found(summary.found, summary.shape.join('×'))}
            </p>
          )}
          <details open={summary.classes.length <= 12}>
            <summary>{t.perClass}</summary>
            <table className="per-class" data-testid="per-class">
              <thead>
                <tr>
                  <th scope="col">{t.classCol}</th>
                  <th scope="col">{t.trainCol}</th>
                  <th scope="col">{t.testCol}</th>
                </tr>
              </thead>
              <tbody>
                {summary.classes.map((c, i) => (
                  <tr key={c} data-class={c}>
                    <th scope="row">{c}</th>
                    <td>{summary.perClass[i]}</td>
                    <td>{summary.testPerClass[i]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
          {summary.warnings && summary.warnings.length > 0 && (
            <div className="data-warnings" role="status">
              <strong>{t.warningsTitle}</strong>
              <ul>
                {summary.warnings.map((w, i) => (
                  <li key={i}>{formatIssue(w, lang)}</li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
