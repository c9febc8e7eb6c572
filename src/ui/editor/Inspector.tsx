/**
 * The inspector: the one selected node's label, kind, shapes, parameters (a form generated from the
 * layer's schema), output-size arithmetic, weights in both frameworks' orders, cost and problems. It
 * renders what src/graph computes (explain.ts, the inference) and dispatches store commands; it does no
 * arithmetic of its own.
 */
import { lazy, Suspense, useId, useMemo, useState } from 'react';
import { denseEquivalent, explainOutputSize, weightLayouts, type SizeExplanation } from '../../graph/explain.ts';
import type { NodeInference } from '../../graph/infer.ts';
import { explainReceptiveField, receptiveFields, type FieldExplanation } from '../../graph/receptive-field.ts';
import { isLayerKind, layerSpec } from '../../graph/layers/index.ts';
import { formatFixLabel, formatIssue, type Issue } from '../../graph/messages.ts';
import type { DesignNode, Lang, ParamValue } from '../../graph/types.ts';
import { formatCount } from '../../graph/number-format.ts';
import { shapeText } from '../layer-rows.ts';
import { useApp } from '../store-context.ts';
import { formatNumber, inspectorStrings, type InspectorStrings } from './inspector-strings.ts';
import { ParamField } from './ParamField.tsx';
import { BlockInspector } from './BlockInspector.tsx';
import { lockOf } from '../../graph/locks.ts';
import { NodeLockSection } from '../lesson/LockControls.tsx';
import { NotesField } from './NotesField.tsx';
import { lockStrings } from '../lesson/lock-strings.ts';
import './inspector.css';

// The look views (filters, feature maps, top images) load the first time a layer is inspected.
const LookPanel = lazy(() => import('../look/LookPanel.tsx'));

/** Input problems (type, range, choice) are shown by the field itself as it is typed. */
const FIELD_CODES: ReadonlySet<string> = new Set(['param-type', 'param-range', 'param-choice']);

export function Inspector() {
  const lang = useApp((s) => s.lang);
  const hasDesign = useApp((s) => s.design !== null);
  const selection = useApp((s) => s.selection);
  const t = inspectorStrings(lang);
  const headingId = useId();
  const only = selection.length === 1 ? selection[0] : null;
  const exists = useApp((s) => (only === null ? false : (s.design?.nodes.some((n) => n.id === only) ?? false)));
  const isBlock = useApp((s) => (only === null ? false : (s.design?.instances?.some((i) => i.id === only) ?? false)));

  let body;
  if (!hasDesign) body = <p className="inspector-hint">{t.noDesign}</p>;
  else if (selection.length === 0) body = <p className="inspector-hint">{t.noSelection}</p>;
  else if (selection.length > 1) body = <p className="inspector-hint">{t.manySelected(selection.length)}</p>;
  else if (isBlock) body = <BlockInspector key={only} instanceId={only!} lang={lang} t={t} />;
  else if (!exists) body = <p className="inspector-hint">{t.gone}</p>;
  // Keyed by node: drafts and half-typed labels never carry over to another node.
  else body = <NodeInspector key={only} nodeId={only!} lang={lang} t={t} />;

  return (
    <section className="inspector" aria-labelledby={headingId}>
      <h2 id={headingId} className="inspector-heading">
        {t.heading}
      </h2>
      {body}
    </section>
  );
}

interface NodeProps {
  readonly nodeId: string;
  readonly lang: Lang;
  readonly t: InspectorStrings;
}

function NodeInspector({ nodeId, lang, t }: NodeProps) {
  const node = useApp((s) => s.design?.nodes.find((n) => n.id === nodeId));
  const inf = useApp((s) => s.inference?.nodes.get(nodeId));
  const channelsFirst = useApp((s) => s.channelsFirst);
  const updateNodeParams = useApp((s) => s.updateNodeParams);
  const applyFix = useApp((s) => s.applyFix);
  const base = useId();
  if (!node) return null;

  const kind = isLayerKind(node.kind) ? layerSpec(node.kind) : null;
  const issues = inf?.issues ?? [];
  const issueId = (i: number) => `${base}-issue-${i}`;

  return (
    <div className="inspector-node">
      <header className="inspector-header">
        <p className="inspector-kind">
          <span className="visually-hidden">{t.kind}: </span>
          {kind ? kind.title[lang] : node.kind}
        </p>
        {kind && <p className="inspector-doc">{kind.doc[lang]}</p>}
        <LabelField node={node} t={t} />
      </header>

      <NodeLockSection nodeId={node.id} />
      <NotesField nodeId={node.id} notes={node.notes} t={t} />

      <section aria-labelledby={`${base}-shapes`}>
        <h3 id={`${base}-shapes`}>{t.shapes}</h3>
        <Shapes inf={inf} needsInput={(kind?.inputs.min ?? 0) > 0} channelsFirst={channelsFirst} t={t} />
      </section>

      {/* An Input's "activation" is the image itself: the panel starts at the first layer. */}
      {inf?.outputShape && node.kind !== 'Input' && (
        <Suspense fallback={null}>
          <LookPanel nodeId={node.id} />
        </Suspense>
      )}

      {inf && <Explanation node={node} inf={inf} t={t} />}

      {inf?.outputShape && <ReceptiveField nodeId={node.id} lang={lang} t={t} />}

      {issues.length > 0 && (
        <section aria-labelledby={`${base}-issues`}>
          <h3 id={`${base}-issues`}>{t.issues}</h3>
          <ul className="inspector-issues">
            {issues.map((issue, i) => (
              <li key={i} id={issueId(i)} className={`issue ${issue.severity}`}>
                <span className="issue-icon" aria-hidden="true">
                  {issue.severity === 'error' ? '✖' : '⚠'}
                </span>
                <span className="visually-hidden">{issue.severity === 'error' ? t.error : t.warning}: </span>
                <span>{formatIssue(issue, lang)}</span>
                {issue.fix && (
                  <button type="button" className="inspector-fix" onClick={() => applyFix(node.id, issue.fix!)}>
                    {t.fix(formatFixLabel(issue, lang) ?? '')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      {kind && (
        <Parameters
          node={node}
          inf={inf}
          issues={issues}
          issueId={issueId}
          lang={lang}
          t={t}
          onValue={(name, value) => updateNodeParams(node.id, { [name]: value })}
        />
      )}

      {inf && <Cost node={node} inf={inf} lang={lang} t={t} />}
    </div>
  );
}

/** The label, committed when the field is left or Enter is pressed (one undo step, not one per key). */
function LabelField({ node, t }: { readonly node: DesignNode; readonly t: InspectorStrings }) {
  const setNodeLabel = useApp((s) => s.setNodeLabel);
  // A lesson's locked layer keeps its name (checks may find it by name): the field says why it is fixed.
  const locked = useApp((s) => (lockOf(s.design, node.id) ? lockStrings(s.lang).lockedLabel : undefined));
  const id = useId();
  const stored = node.label ?? '';
  const [draft, setDraft] = useState<string | null>(null);
  const [seen, setSeen] = useState(stored);
  if (seen !== stored) {
    setSeen(stored);
    setDraft(null);
  }
  const commit = () => {
    if (draft !== null && draft.trim() !== stored) setNodeLabel(node.id, draft.trim());
    setDraft(null);
  };
  return (
    <div className="inspector-label">
      <label htmlFor={id} className="param-name">
        {t.label}
      </label>
      <input
        id={id}
        className="param-input"
        type="text"
        value={draft ?? stored}
        placeholder={node.id}
        disabled={locked !== undefined}
        title={locked}
        aria-describedby={`${id}-hint`}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            e.stopPropagation();
            setDraft(null);
          }
        }}
      />
      <p id={`${id}-hint`} className="param-doc">
        {t.labelHint(node.id)}
      </p>
    </div>
  );
}

interface ShapesProps {
  readonly inf: NodeInference | undefined;
  readonly needsInput: boolean;
  readonly channelsFirst: boolean;
  readonly t: InspectorStrings;
}

function Shapes({ inf, needsInput, channelsFirst, t }: ShapesProps) {
  const inputs = inf?.inputShapes ?? [];
  const shape = (s: Parameters<typeof shapeText>[0]) => shapeText(s, channelsFirst) ?? t.unknown;
  return (
    <dl className="inspector-facts">
      {inputs.length === 0 && needsInput && (
        <div>
          <dt>{t.input}</dt>
          <dd className="muted">{t.noInput}</dd>
        </div>
      )}
      {inputs.map((s, i) => (
        <div key={i}>
          <dt>{inputs.length > 1 ? t.inputN(i + 1) : t.input}</dt>
          <dd className="shape">{shape(s)}</dd>
        </div>
      ))}
      <div>
        <dt>{t.output}</dt>
        <dd className="shape">{shape(inf?.outputShape ?? null)}</dd>
      </div>
    </dl>
  );
}

interface ParametersProps {
  readonly node: DesignNode;
  readonly inf: NodeInference | undefined;
  readonly issues: readonly Issue[];
  readonly issueId: (index: number) => string;
  readonly lang: Lang;
  readonly t: InspectorStrings;
  readonly onValue: (name: string, value: ParamValue) => void;
}

function Parameters({ node, inf, issues, issueId, lang, t, onValue }: ParametersProps) {
  // While a run is active each edit asks first (the store's guard): fields then commit when left, not per key.
  const runActive = useApp((s) => s.runActive);
  const lockedParams = useApp((s) => lockOf(s.design, node.id)?.params);
  const headingId = useId();
  const spec = isLayerKind(node.kind) ? layerSpec(node.kind) : null;
  // The values in effect, as inference resolved them: the node's own, normalised (kernel_size: 5 → [5, 5]), or the defaults.
  const values = inf?.params ?? {};
  if (!spec) return null;
  const entries = Object.entries(spec.params);
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{t.parameters}</h3>
      {entries.length === 0 ? (
        <p className="inspector-hint">{t.noParameters}</p>
      ) : (
        <form className="inspector-form" onSubmit={(e) => e.preventDefault()}>
          {entries.map(([name, paramSpec]) => {
            const related = issues.flatMap((issue, i) => (issue.param === name && !FIELD_CODES.has(issue.code) ? [i] : []));
            const flagged = related.some((i) => issues[i].severity === 'error') ? 'error' : related.length > 0 ? 'warning' : undefined;
            return (
              <ParamField
                key={name}
                name={name}
                spec={paramSpec}
                value={values[name]}
                lang={lang}
                onValue={onValue}
                describedBy={related.map(issueId).join(' ')}
                flagged={flagged}
                live={!runActive}
                locked={lockedParams?.includes(name) ? lockStrings(lang).lockedParam(name) : undefined}
              />
            );
          })}
        </form>
      )}
    </section>
  );
}

/** Height and width often share their arithmetic; then it is shown once. */
function mergeAxes(size: readonly SizeExplanation[]): { label: 'both' | SizeExplanation['axis']; e: SizeExplanation }[] {
  const same = (a: SizeExplanation, b: SizeExplanation) =>
    a.formula === b.formula &&
    a.effectiveKernel?.formula === b.effectiveKernel?.formula &&
    a.samePadding?.formula === b.samePadding?.formula &&
    a.samePadding?.before === b.samePadding?.before;
  if (size.length === 2 && same(size[0], size[1])) return [{ label: 'both', e: size[0] }];
  return size.map((e) => ({ label: e.axis, e }));
}

function Explanation({ node, inf, t }: { readonly node: DesignNode; readonly inf: NodeInference; readonly t: InspectorStrings }) {
  const headingId = useId();
  const size = useMemo(() => explainOutputSize(node, inf), [node, inf]);
  if (size.length === 0) return null;
  const rows = mergeAxes(size);
  const rules = [...new Set(size.map((e) => e.rule))];
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{t.outputSize}</h3>
      <p className="inspector-rule">
        <span className="visually-hidden">{t.rule}: </span>
        {rules.map((r) => (
          <code key={r}>{r}</code>
        ))}
      </p>
      <dl className="inspector-math">
        {rows.map(({ label, e }) => (
          <div key={label}>
            <dt>{label === 'both' ? t.bothAxes : t.axis(label)}</dt>
            <dd>
              <code className="formula">{e.formula}</code>
              {e.effectiveKernel && (
                <span className="inspector-note">
                  {t.effectiveKernel} <code>{e.effectiveKernel.formula}</code>
                </span>
              )}
              {e.samePadding && (
                <span className="inspector-note">
                  {t.samePadding} <code>{e.samePadding.formula}</code>:{' '}
                  {t.sameSplit(e.samePadding.before, e.samePadding.after, e.axis)}
                  {label === 'both' && `; ${t.sameSplit(e.samePadding.before, e.samePadding.after, 'width')}`}
                </span>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** A pixel count or coordinate as the page prints it: "13×13" when both axes agree, "13×7" otherwise. */
function pair(h: number, w: number, lang: Lang, sep = '×'): string {
  return `${formatNumber(h, lang)}${sep}${formatNumber(w, lang)}`;
}

function ReceptiveField({ nodeId, lang, t }: { readonly nodeId: string; readonly lang: Lang; readonly t: InspectorStrings }) {
  const headingId = useId();
  const design = useApp((s) => s.flat);
  const inference = useApp((s) => s.inference);
  const fields = useMemo(() => (design && inference ? receptiveFields(design, inference) : null), [design, inference]);
  const explained = useMemo(
    () => (design && inference && fields ? explainReceptiveField(design, inference, fields, nodeId) : []),
    [design, inference, fields, nodeId],
  );
  if (explained.length === 0) return null;
  return (
    <section aria-labelledby={headingId} className="inspector-field">
      <h3 id={headingId}>{t.receptiveField}</h3>
      <p className="inspector-note">{t.fieldHint}</p>
      {explained.map((e) => (
        <FieldOnInput key={e.input} e={e} lang={lang} t={t} />
      ))}
    </section>
  );
}

function FieldOnInput({ e, lang, t }: { readonly e: FieldExplanation; readonly lang: Lang; readonly t: InspectorStrings }) {
  const { field } = e;
  const summary =
    field.kind === 'local' ? (
      <p className="inspector-field-summary">
        {t.fieldSummary(
          e.inputName,
          pair(field.axes[0].size, field.axes[1].size, lang),
          pair(field.axes[0].jump, field.axes[1].jump, lang),
          `(${pair(field.axes[0].start, field.axes[1].start, lang, ', ')})`,
        )}
      </p>
    ) : null;
  if (e.how !== 'steps') {
    return (
      <>
        {summary}
        <p className="inspector-note">{t.fieldHow(e.how, e.inputName)}</p>
      </>
    );
  }
  const [h, w] = e.axes!;
  const same = (['size', 'jump', 'start'] as const).every((k) => h[k].formula === w[k].formula);
  const rows = same ? [{ label: t.bothAxes, a: h }] : [{ label: t.axis('height'), a: h }, { label: t.axis('width'), a: w }];
  return (
    <>
      {summary}
      <p className="inspector-rule">
        <span className="visually-hidden">{t.rule}: </span>
        {[h.size.rule, h.jump.rule, h.start.rule].map((r) => (
          <code key={r}>{r}</code>
        ))}
      </p>
      <dl className="inspector-math">
        {rows.map(({ label, a }) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              <code className="formula">{a.size.formula}</code>
              <code className="formula">{a.jump.formula}</code>
              <code className="formula">{a.start.formula}</code>
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}

function Cost({ node, inf, lang, t }: { readonly node: DesignNode; readonly inf: NodeInference; readonly lang: Lang; readonly t: InspectorStrings }) {
  const costId = useId();
  const weightsId = useId();
  const denseId = useId();
  const layouts = useMemo(() => weightLayouts(node, inf), [node, inf]);
  const dense = useMemo(() => denseEquivalent(inf), [inf]);
  const count = (n: number) => formatCount(n, lang);
  const sized = inf.outputShape !== null;
  const dims = (shape: readonly number[] | null) => (shape ? `[${shape.join(', ')}]` : t.unknown);
  return (
    <>
      <section aria-labelledby={costId}>
        <h3 id={costId}>{t.cost}</h3>
        <dl className="inspector-facts">
          <div>
            <dt>{t.trainable}</dt>
            <dd className="num">{sized ? count(inf.trainableParams) : t.unknown}</dd>
          </div>
          <div>
            <dt>{t.nonTrainable}</dt>
            <dd className="num">{sized ? count(inf.nonTrainableParams) : t.unknown}</dd>
          </div>
          <div>
            <dt>{t.macs}</dt>
            <dd className="num">{inf.macs === null ? t.unknown : count(inf.macs)}</dd>
          </div>
        </dl>
      </section>

      {layouts.length > 0 && (
        <section aria-labelledby={weightsId}>
          <h3 id={weightsId}>{t.weights}</h3>
          <table className="inspector-weights">
            <caption className="param-doc">{t.weightsHint}</caption>
            <thead>
              <tr>
                <th scope="col">{t.colKeras}</th>
                <th scope="col">{t.colPytorch}</th>
              </tr>
            </thead>
            <tbody>
              {layouts.map((w) => (
                <tr key={w.name}>
                  <td>
                    <span className="weight-name">{w.name}</span>
                    <code className="weight-shape">{dims(w.keras)}</code>
                    {!w.trainable && <span className="inspector-note">{t.notTrained}</span>}
                  </td>
                  <td>
                    {w.torchName && <span className="weight-name">{w.torchName}</span>}
                    <code className="weight-shape">{dims(w.torch)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {dense && (
        <section aria-labelledby={denseId}>
          <h3 id={denseId}>{t.denseTitle}</h3>
          <p className="inspector-dense">
            {t.dense(count(dense.inputs), count(dense.outputs), count(dense.denseParams), count(dense.convParams), t.denseRatio(dense.ratio))}
          </p>
        </section>
      )}
    </>
  );
}
