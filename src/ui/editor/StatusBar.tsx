/**
 * The design's totals along the bottom of the page (trainable and non-trainable parameters, MACs and
 * activation memory per sample, errors and warnings) and the problems list: a click on a problem selects
 * its layer and centres it on the canvas.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatIssue, type Issue } from '../../graph/messages.ts';
import { formatBytes, formatCount, formatSI } from '../../graph/number-format.ts';
import { strings } from '../i18n.ts';
import { useApp } from '../store-context.ts';
import { useEditorStrings } from './editor-strings.ts';

interface Problem {
  readonly key: string;
  readonly nodeId: string | null;
  readonly issue: Issue;
}

export interface StatusBarProps {
  /** Called before a problem's layer is focused, so the page can show the canvas first. */
  readonly onShowLayer?: () => void;
}

export function StatusBar({ onShowLayer }: StatusBarProps) {
  const inference = useApp((s) => s.inference);
  // Layers as they run: a block counts the layers it unfolds to.
  const layers = useApp((s) => s.flat?.nodes.length ?? 0);
  const selected = useApp((s) => s.selection.length);
  const lang = useApp((s) => s.lang);
  const focusNode = useApp((s) => s.focusNode);
  const t = useEditorStrings();
  const page = strings(lang);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const bar = useRef<HTMLElement>(null);

  const problems = useMemo<Problem[]>(() => {
    if (!inference) return [];
    const out: Problem[] = inference.designIssues.map((issue, i) => ({ key: `design-${i}`, nodeId: null, issue }));
    for (const id of inference.order) {
      inference.nodes.get(id)?.issues.forEach((issue, i) => out.push({ key: `${id}-${i}`, nodeId: id, issue }));
    }
    // Errors first: they stop training and export; warnings only advise.
    return out.sort((a, b) => (a.issue.severity === b.issue.severity ? 0 : a.issue.severity === 'error' ? -1 : 1));
  }, [inference]);

  useEffect(() => {
    if (problems.length === 0) setOpen(false);
  }, [problems.length]);
  // The list is a popover: a press anywhere else closes it.
  useEffect(() => {
    if (!open) return;
    const close = (e: PointerEvent) => {
      if (!bar.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [open]);

  if (!inference) return <footer className="status-bar" data-testid="status-bar" />;
  const { totals } = inference;
  const show = (p: Problem) => {
    if (!p.nodeId) return;
    setOpen(false);
    onShowLayer?.();
    focusNode(p.nodeId);
  };
  // While part of the design has no shape, its totals are those of the valid part: lower bounds, marked so.
  const partial = totals.unknownLayers > 0 && layers > totals.unknownLayers;
  const atLeast = partial ? '≥ ' : '';
  const items = [
    { id: 'trainable', label: t.trainable, value: atLeast + formatCount(totals.trainableParams, lang), hint: page.trainableParams },
    { id: 'non-trainable', label: t.nonTrainable, value: atLeast + formatCount(totals.nonTrainableParams, lang), hint: page.nonTrainableParams },
    { id: 'macs', label: t.macs, value: atLeast + formatSI(totals.macs, lang), hint: `${page.macs}: ${formatCount(totals.macs, lang)}` },
    { id: 'memory', label: t.activations, value: atLeast + formatBytes(totals.activationBytes, lang), hint: page.memory },
  ];

  return (
    <footer ref={bar} className="status-bar" data-testid="status-bar" aria-label={t.status}>
      <span className="status-item status-layers">
        {t.layers(layers)}
        {selected > 0 && <span className="status-selected"> · {t.selected(selected)}</span>}
      </span>
      {items.map((item) => (
        <span key={item.id} className="status-item" title={item.hint}>
          <span className="status-label">{item.label}</span>{' '}
          <span className="status-value" data-testid={`status-${item.id}`}>
            {item.value}
          </span>
        </span>
      ))}
      {partial && (
        <span className="status-item status-incomplete" data-testid="status-incomplete" title={t.incompleteHint(totals.unknownLayers)}>
          {t.incomplete}
        </span>
      )}
      <span className="status-spacer" />
      <button
        ref={button}
        type="button"
        className={`status-problems${totals.errors > 0 ? ' has-errors' : totals.warnings > 0 ? ' has-warnings' : ''}`}
        aria-expanded={open}
        aria-controls="problems-list"
        disabled={problems.length === 0}
        onClick={() => setOpen((o) => !o)}
        data-testid="status-problems"
      >
        {problems.length === 0 ? (
          <>✓ {t.noProblems}</>
        ) : (
          <>
            <span aria-hidden="true">{totals.errors > 0 ? '✖' : '⚠'}</span> {t.problemCount(totals.errors, totals.warnings)}
          </>
        )}
      </button>
      {open && problems.length > 0 && (
        <section
          id="problems-list"
          className="problems-list"
          aria-labelledby="problems-heading"
          data-testid="problems-list"
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            setOpen(false);
            button.current?.focus();
          }}
        >
          <h2 id="problems-heading">{t.problems}</h2>
          <p className="problems-hint">{t.showOnCanvas}</p>
          <ul>
            {problems.map((p) => (
              <li key={p.key} className={`problem ${p.issue.severity}`}>
                {p.nodeId ? (
                  <button type="button" onClick={() => show(p)} data-node-id={p.nodeId}>
                    <span aria-hidden="true">{p.issue.severity === 'error' ? '✖' : '⚠'}</span>
                    <span className="visually-hidden">{p.issue.severity === 'error' ? page.error : page.warning}: </span>
                    {formatIssue(p.issue, lang)}
                  </button>
                ) : (
                  <span>
                    <span aria-hidden="true">{p.issue.severity === 'error' ? '✖' : '⚠'}</span> {formatIssue(p.issue, lang)}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </footer>
  );
}
