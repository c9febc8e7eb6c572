import { useEffect, useRef, useState } from 'react';
import { useStrings } from '../store-context.ts';
import type { CodeLanguage } from './code-tabs.ts';
import type { Viewer } from './monaco.ts';

interface Props {
  /** What to show; `path` identifies the file across updates (its scroll position is kept while its text changes). */
  readonly file: { readonly path: string; readonly language: CodeLanguage; readonly text: string } | null;
}

/**
 * A read-only Monaco viewer. Monaco arrives by a dynamic import when the first editor mounts (the
 * panel opening), never with the page; if it cannot load, the code is shown as plain text.
 */
export function CodeEditor({ file }: Props) {
  const t = useStrings();
  const host = useRef<HTMLDivElement>(null);
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [failed, setFailed] = useState(false);
  const label = t.readOnlyCode;

  useEffect(() => {
    let cancelled = false;
    let created: Viewer | null = null;
    import('./monaco.ts').then(
      ({ createViewer }) => {
        if (cancelled || !host.current) return;
        created = createViewer(host.current, label);
        setViewer(created);
      },
      () => {
        if (!cancelled) setFailed(true);
      },
    );
    return () => {
      cancelled = true;
      created?.dispose();
      setViewer(null);
    };
  }, [label]);

  const { path = '', language = 'plaintext', text = '' } = file ?? {};
  const shown = file !== null;
  useEffect(() => {
    if (shown) viewer?.show(path, language, text);
  }, [viewer, shown, path, language, text]);

  if (failed) {
    return (
      <div className="code-editor">
        <p className="code-note">{t.editorFailed}</p>
        <pre className="code-plain" tabIndex={0} aria-label={`${label}: ${path}`}>
          {text}
        </pre>
      </div>
    );
  }
  return (
    <div className="code-editor" aria-busy={!viewer}>
      <div ref={host} className="code-editor-host" data-testid="code-editor" data-path={path} />
      {!viewer && <p className="code-loading">{t.editorLoading}</p>}
    </div>
  );
}
