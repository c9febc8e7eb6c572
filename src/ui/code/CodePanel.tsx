/**
 * The code panel: the design as PyTorch, Keras, an ONNX summary and its own JSON, read-only in Monaco,
 * regenerated (in a worker, debounced) as the design changes; copy one file, or download everything as
 * a zip. Loaded with React.lazy by DesignView the first time its tab opens, Monaco a step later.
 */
import { useEffect, useRef, useState } from 'react';
import type { Design, Lang } from '../../graph/types.ts';
import type { DesignWeights } from '../../graph/weights.ts';
import { formatBytes, formatCount } from '../../graph/number-format.ts';
import { IssueList } from '../IssueList.tsx';
import { useApp, useStrings } from '../store-context.ts';
import { CodeEditor } from './CodeEditor.tsx';
import { CodeJobs } from './code-jobs.ts';
import { CODE_TABS, zipFileName, type CodeTab, type CodeViews, type TabNote, type TextFile } from './code-tabs.ts';
import './code.css';

/** Edits arrive as fast as a user types; the code follows once they pause. */
export const CODE_DEBOUNCE_MS = 300;

type Generation = { readonly state: 'generating' } | { readonly state: 'ready' } | { readonly state: 'failed'; readonly message: string };

/**
 * The views of the latest design (generated off the page's thread), and whether newer ones are coming.
 * While the panel is hidden nothing is generated; showing it again catches up once.
 */
function useCodeViews(design: Design | null, weights: DesignWeights | null, lang: Lang, active: boolean) {
  const [views, setViews] = useState<CodeViews | null>(null);
  const [generation, setGeneration] = useState<Generation>({ state: 'generating' });
  const jobs = useRef<CodeJobs | null>(null);
  const latest = useRef(0);
  const first = useRef(true);
  const generated = useRef<{ design: Design; weights: DesignWeights | null; lang: Lang } | null>(null);

  useEffect(() => {
    jobs.current = new CodeJobs();
    return () => {
      jobs.current?.dispose();
      jobs.current = null;
    };
  }, []);

  useEffect(() => {
    if (!design || !active) return;
    if (generated.current?.design === design && generated.current.weights === weights && generated.current.lang === lang) return;
    const ticket = ++latest.current;
    setGeneration({ state: 'generating' });
    const timer = setTimeout(
      () => {
        first.current = false;
        jobs.current?.run('views', design, weights, lang).then(
          (next) => {
            if (ticket !== latest.current) return;
            generated.current = { design, weights, lang };
            setViews(next);
            setGeneration({ state: 'ready' });
          },
          (e: unknown) => {
            if (ticket === latest.current) setGeneration({ state: 'failed', message: e instanceof Error ? e.message : String(e) });
          },
        );
      },
      first.current ? 0 : CODE_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [design, weights, lang, active]);

  return { views, generation };
}

type Status = { readonly kind: 'info' | 'error'; readonly text: string } | null;

export default function CodePanel({ active = true }: { readonly active?: boolean }) {
  const design = useApp((s) => s.design);
  const weights = useApp((s) => s.weights);
  const lang = useApp((s) => s.lang);
  const t = useStrings();
  const { views, generation } = useCodeViews(design, weights, lang, active);
  const [tab, setTab] = useState<CodeTab>('pytorch');
  const [chosen, setChosen] = useState<Partial<Record<CodeTab, string>>>({});
  const [status, setStatus] = useState<Status>(null);
  const [zipping, setZipping] = useState(false);

  // A status is about what the user just did; it goes stale once they look at something else.
  useEffect(() => {
    setStatus((current) => (current?.kind === 'info' && current.text === t.preparingZip ? current : null));
  }, [tab, design, t.preparingZip]);

  const view = views?.[tab];
  const files = view?.ok ? view.files : [];
  const file: TextFile | undefined = files.find((f) => f.path === chosen[tab]) ?? files[0];
  const exportable = views ? CODE_TABS.every((x) => views[x].ok) : false;

  async function copy() {
    if (!file) return;
    try {
      await navigator.clipboard.writeText(file.text);
      setStatus({ kind: 'info', text: t.copied(file.path) });
    } catch {
      setStatus({ kind: 'error', text: t.copyFailed });
    }
  }

  async function downloadAll() {
    if (!design || zipping) return;
    setZipping(true);
    setStatus({ kind: 'info', text: t.preparingZip });
    // A worker of its own, ended afterwards: an ONNX of a big design holds hundreds of MB while it is built.
    const jobs = new CodeJobs();
    try {
      const result = await jobs.run('download', design, weights, lang);
      if (!result.ok) {
        setStatus({ kind: 'error', text: t.codeHasErrors });
        return;
      }
      const name = zipFileName(design);
      const url = URL.createObjectURL(new Blob([result.zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      // The browser has the blob once the download starts; keep the URL a moment for slow starts.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setStatus({ kind: 'info', text: t.downloaded(name) });
    } catch (e) {
      setStatus({ kind: 'error', text: t.downloadFailed(e instanceof Error ? e.message : String(e)) });
    } finally {
      jobs.dispose();
      setZipping(false);
    }
  }

  const noteText = (note: TabNote) =>
    note.kind === 'onnx-on-download'
      ? t.onnxOnDownload(formatCount(note.params, lang), formatBytes(note.bytes, lang))
      : t.weightsLeftOut(note.tensors, formatBytes(note.bytes, lang));

  const onTabKey = (e: React.KeyboardEvent) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? CODE_TABS.length - 1 : 0;
    if (!step) return;
    const next = CODE_TABS[(CODE_TABS.indexOf(tab) + step) % CODE_TABS.length];
    setTab(next);
    document.getElementById(`code-tab-${next}`)?.focus();
  };

  return (
    <section className="code-panel" aria-labelledby="code-heading">
      <div className="code-toolbar">
        <h3 id="code-heading">{t.codeTabs}</h3>
        <span className="code-progress" aria-live="polite">
          {generation.state === 'generating' ? t.codeGenerating : ''}
        </span>
        <span className={`code-status ${status?.kind ?? ''}`} role="status">
          {status?.text}
        </span>
        <div className="code-actions">
          <button type="button" onClick={copy} disabled={!file}>
            {t.copyCode(file?.path ?? '')}
          </button>
          <button type="button" className="primary" onClick={downloadAll} disabled={!exportable || zipping} title={t.downloadHint}>
            {zipping ? t.preparingZip : t.downloadAll}
          </button>
        </div>
      </div>
      {generation.state === 'failed' && <p className="code-status error">{t.codeFailed(generation.message)}</p>}

      <div className="tabs code-tabs" role="tablist" aria-label={t.codeTabs}>
        {CODE_TABS.map((x) => (
          <button
            key={x}
            type="button"
            role="tab"
            id={`code-tab-${x}`}
            aria-selected={tab === x}
            aria-controls="code-tabpanel"
            tabIndex={tab === x ? 0 : -1}
            onClick={() => setTab(x)}
            onKeyDown={onTabKey}
          >
            {t.codeTab(x)}
          </button>
        ))}
      </div>
      <div className="code-tabpanel" role="tabpanel" id="code-tabpanel" aria-labelledby={`code-tab-${tab}`}>
        {!view && <p className="code-note">{t.codeGenerating}</p>}
        {view && !view.ok && (
          <div className="code-errors">
            <p>{t.codeHasErrors}</p>
            <IssueList issues={view.issues.filter((i) => i.severity === 'error')} />
          </div>
        )}
        {view?.ok && (
          <>
            {files.length > 1 && (
              <div className="code-files" role="group" aria-label={t.codeFiles}>
                {files.map((f) => (
                  <button
                    key={f.path}
                    type="button"
                    aria-pressed={f === file}
                    onClick={() => setChosen((c) => ({ ...c, [tab]: f.path }))}
                  >
                    {f.path}
                  </button>
                ))}
              </div>
            )}
            {view.note && <p className="code-note">{noteText(view.note)}</p>}
          </>
        )}
        {/* Mounted once and only hidden between files, so Monaco is created once per panel. */}
        {views && (
          <div hidden={!file}>
            <CodeEditor file={file ? { ...file, path: `${tab}/${file.path}` } : null} />
          </div>
        )}
        {view?.ok && (
          <>
            {view.binaries.length > 0 && (
              <p className="code-binaries">
                {t.alsoInDownload}{' '}
                {view.binaries.map((b, i) => (
                  <span key={b.path}>
                    {i > 0 && ', '}
                    <code>{b.path}</code> ({formatBytes(b.bytes, lang)})
                  </span>
                ))}
              </p>
            )}
          </>
        )}
      </div>
    </section>
  );
}
