/**
 * One parameter of the inspector's form, generated from its schema: int/float → a number input, an
 * integer list → one small input per entry, choice → a select, bool → a checkbox. The text typed is kept
 * here as a draft and checked as it is typed (param-draft.ts); only valid values reach `onValue`, at
 * once, so shapes update live. A value changed elsewhere (undo, a one-click fix) replaces the draft.
 */
import { useId, useState, type KeyboardEvent } from 'react';
import type { BoolParam, ChoiceParam, FloatParam, IntParam, IntsParam, ParamSpec } from '../../graph/params.ts';
import type { Lang, ParamValue } from '../../graph/types.ts';
import { formatNumber, inspectorStrings, type InspectorStrings } from './inspector-strings.ts';
import { LockIcon } from '../lesson/LockControls.tsx';
import {
  acceptable,
  isDefault,
  listTexts,
  parseListDraft,
  parseNumberDraft,
  sameValue,
  storedProblem,
  valueText,
  type DraftProblem,
} from './param-draft.ts';

export interface ParamFieldProps {
  readonly name: string;
  readonly spec: ParamSpec;
  /** The value in effect: the node's own (normalised) or the default. */
  readonly value: unknown;
  readonly lang: Lang;
  readonly onValue: (name: string, value: ParamValue) => void;
  /** Ids of other elements that describe this field (the node's issues about this parameter). */
  readonly describedBy?: string;
  /** The worst severity of those issues, to mark the field. */
  readonly flagged?: 'error' | 'warning';
  /**
   * Typed numbers reach the design as they are typed (true, the default), or only when the field is
   * left or Enter is pressed (false: while a training run is active each edit asks to stop the run, so
   * it must ask once, with the whole number, not "units = 9" on the way to 90).
   */
  readonly live?: boolean;
  /** Why the lesson locks this parameter: the field is then disabled, with a padlock saying so. */
  readonly locked?: string;
}

interface ControlProps<S extends ParamSpec> {
  readonly id: string;
  readonly name: string;
  readonly spec: S;
  readonly value: unknown;
  readonly t: InspectorStrings;
  readonly describedBy: string;
  readonly problemId: string;
  readonly commit: (value: ParamValue) => void;
  readonly live: boolean;
}

function defaultText(spec: ParamSpec, lang: Lang): string {
  switch (spec.type) {
    case 'int':
    case 'float':
      return formatNumber(spec.default, lang);
    case 'ints':
      return `[${spec.default.join(', ')}]`;
    default:
      return String(spec.default);
  }
}

function Problem({ id, messages }: { readonly id: string; readonly messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <p id={id} className="param-problem">
      {messages.join(' ')}
    </p>
  );
}

/** Escape drops the draft and shows the value in effect again; Enter commits it (`enter`, when given). */
function onEscape(reset: () => void, enter?: () => void) {
  return (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      reset();
    } else if (e.key === 'Enter' && enter) {
      // Without this the same key press goes on to "click" whatever the commit focuses next: the
      // stop-the-run dialog's first button, which would answer the question before it is read.
      e.preventDefault();
      enter();
    }
  };
}

function NumberControl({ id, name, spec, value, t, describedBy, problemId, commit, live }: ControlProps<IntParam | FloatParam>) {
  const stored = valueText(value);
  const [draft, setDraft] = useState<string | null>(null);
  // A number input reports text it cannot read as "" with validity.badInput set.
  const [bad, setBad] = useState(false);
  const [seen, setSeen] = useState(stored);
  if (seen !== stored) {
    setSeen(stored);
    const d = draft === null ? null : parseNumberDraft(spec, draft);
    if (d && !(d.ok && d.value === value)) {
      setDraft(null);
      setBad(false);
    }
  }
  const text = draft ?? stored;
  const parsed = bad ? ({ ok: false, problem: { kind: 'not-number' } } as const) : parseNumberDraft(spec, text);
  const problem = parsed.ok ? null : parsed.problem;
  /** Not live: the whole number goes to the design once, when the field is left or Enter is pressed. */
  const finish = () => {
    if (parsed.ok && parsed.value !== value && acceptable(name, spec, parsed.value)) commit(parsed.value);
    setDraft(null);
  };
  return (
    <>
      <input
        id={id}
        className="param-input"
        type="number"
        inputMode={spec.type === 'int' ? 'numeric' : 'decimal'}
        min={spec.min}
        max={spec.max}
        step={spec.type === 'int' ? 1 : 'any'}
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby={[problem ? problemId : '', describedBy].filter(Boolean).join(' ')}
        onChange={(e) => {
          const next = e.target.value;
          const isBad = e.target.validity.badInput;
          setDraft(next);
          setBad(isBad);
          if (isBad) return;
          const d = parseNumberDraft(spec, next);
          if (live && d.ok && d.value !== value && acceptable(name, spec, d.value)) commit(d.value);
        }}
        onBlur={() => {
          if (problem) return;
          if (!live) finish();
          setDraft(null);
        }}
        onKeyDown={onEscape(
          () => {
            setDraft(null);
            setBad(false);
          },
          live ? undefined : finish,
        )}
      />
      <Problem id={problemId} messages={problem ? [t.problem(problem)] : []} />
    </>
  );
}

function ListControl({ id, name, spec, value, t, describedBy, problemId, commit, live }: ControlProps<IntsParam>) {
  const stored = listTexts(value);
  const storedKey = JSON.stringify(stored);
  const [drafts, setDrafts] = useState<readonly string[] | null>(null);
  const [bad, setBad] = useState<readonly boolean[]>([]);
  const [seen, setSeen] = useState(storedKey);
  if (seen !== storedKey) {
    setSeen(storedKey);
    const d = drafts === null ? null : parseListDraft(spec, drafts);
    if (d && !(d.value && sameValue(d.value, value))) {
      setDrafts(null);
      setBad([]);
    }
  }
  const texts = drafts ?? stored;
  const parsed = parseListDraft(spec, texts);
  const entries: (DraftProblem | null)[] = parsed.entries.map((p, i) => (bad[i] ? { kind: 'not-number' } : p));
  const names = t.entryNames(name, texts.length);
  const messages = [
    ...(parsed.list ? [t.problem(parsed.list)] : []),
    ...entries.flatMap((p, i) => (p ? [`${names[i]}: ${t.problem(p)}`] : [])),
  ];
  const valid = messages.length === 0;

  const update = (next: readonly string[], nextBad: readonly boolean[]) => {
    setDrafts(next);
    setBad(nextBad);
    if (nextBad.some(Boolean)) return;
    const d = parseListDraft(spec, next);
    if (live && d.value && !sameValue(d.value, value) && acceptable(name, spec, d.value)) commit(d.value);
  };
  /** Not live: the whole list goes to the design once, when an entry is left or Enter is pressed. */
  const finish = () => {
    if (!live || !valid) return;
    if (parsed.value && !sameValue(parsed.value, value) && acceptable(name, spec, parsed.value)) commit(parsed.value);
    setDrafts(null);
    setBad([]);
  };
  const variable = spec.minLength !== spec.maxLength;

  return (
    <>
      <div className="param-entries">
        {texts.map((text, i) => (
          <label key={i} className="param-entry">
            <span className="param-entry-name" aria-hidden="true">
              {names[i]}
            </span>
            <input
              id={i === 0 ? id : undefined}
              className="param-input"
              type="number"
              inputMode="numeric"
              min={spec.allowMinusOne ? -1 : spec.min}
              max={spec.max}
              step={1}
              value={text}
              aria-label={`${name} (${names[i]})`}
              aria-invalid={entries[i] || parsed.list ? true : undefined}
              aria-describedby={[valid ? '' : problemId, describedBy].filter(Boolean).join(' ')}
              onChange={(e) => {
                const next = [...texts];
                next[i] = e.target.value;
                const nextBad = texts.map((_, j) => (j === i ? e.target.validity.badInput : (bad[j] ?? false)));
                update(next, nextBad);
              }}
              onBlur={() => {
                if (!live) finish();
                else if (valid) {
                  setDrafts(null);
                  setBad([]);
                }
              }}
              onKeyDown={onEscape(
                () => {
                  setDrafts(null);
                  setBad([]);
                },
                live ? undefined : finish,
              )}
            />
          </label>
        ))}
        {variable && (
          <span className="param-entry-buttons">
            <button
              type="button"
              className="icon-button"
              aria-label={t.removeEntry(name)}
              title={t.removeEntry(name)}
              disabled={texts.length <= spec.minLength}
              onClick={() => update(texts.slice(0, -1), bad.slice(0, texts.length - 1))}
            >
              −
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={t.addEntry(name)}
              title={t.addEntry(name)}
              disabled={texts.length >= spec.maxLength}
              onClick={() => update([...texts, String(Math.max(spec.min, 1))], [...bad, false])}
            >
              +
            </button>
          </span>
        )}
      </div>
      <Problem id={problemId} messages={messages} />
    </>
  );
}

function ChoiceControl({ id, spec, value, t, describedBy, problemId, commit }: ControlProps<ChoiceParam>) {
  const problem = storedProblem(spec, value);
  const current = valueText(value);
  return (
    <>
      <select
        id={id}
        className="param-input"
        value={current}
        aria-invalid={problem ? true : undefined}
        aria-describedby={[problem ? problemId : '', describedBy].filter(Boolean).join(' ')}
        onChange={(e) => commit(e.target.value)}
      >
        {problem && (
          <option value={current} disabled>
            {current}
          </option>
        )}
        {spec.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
      <Problem id={problemId} messages={problem ? [t.problem(problem)] : []} />
    </>
  );
}

function BoolControl({ id, value, describedBy, commit }: ControlProps<BoolParam>) {
  return (
    <input
      id={id}
      className="param-check"
      type="checkbox"
      checked={value === true}
      aria-describedby={describedBy || undefined}
      onChange={(e) => commit(e.target.checked)}
    />
  );
}

function ChangedMark({ name, spec, lang, t, commit }: {
  readonly name: string;
  readonly spec: ParamSpec;
  readonly lang: Lang;
  readonly t: InspectorStrings;
  readonly commit: (value: ParamValue) => void;
}) {
  const reset = t.resetTo(name, defaultText(spec, lang));
  return (
    <>
      <span className="param-changed" title={t.changed}>
        <span aria-hidden="true">●</span>
        <span className="visually-hidden">{t.changed}</span>
      </span>
      <button
        type="button"
        className="icon-button param-reset"
        aria-label={reset}
        title={reset}
        onClick={() => commit(spec.type === 'ints' ? [...spec.default] : spec.default)}
      >
        ↺
      </button>
    </>
  );
}

/** A locked parameter: every control inside a disabled fieldset is disabled, reset button included. */
export function ParamField(props: ParamFieldProps) {
  if (!props.locked) return <ParamFieldBody {...props} />;
  return (
    <fieldset disabled className="param-locked" title={props.locked} data-testid={`param-locked-${props.name}`}>
      <ParamFieldBody {...props} />
    </fieldset>
  );
}

function ParamFieldBody({ name, spec, value, lang, onValue, describedBy, flagged, live = true, locked }: ParamFieldProps) {
  const base = useId();
  const t = inspectorStrings(lang);
  const id = `${base}-input`;
  const nameId = `${base}-name`;
  const docId = `${base}-doc`;
  const problemId = `${base}-problem`;
  const described = [docId, describedBy ?? ''].filter(Boolean).join(' ');
  const changed = !isDefault(spec, value);
  const commit = (v: ParamValue) => onValue(name, v);
  const control = { id, name, value, t, describedBy: described, problemId, commit, live };
  const mark = (
    <>
      {changed && <ChangedMark name={name} spec={spec} lang={lang} t={t} commit={commit} />}
      {locked && (
        <span className="param-lock" role="img" aria-label={locked} title={locked}>
          <LockIcon />
        </span>
      )}
    </>
  );
  const doc = (
    <p id={docId} className="param-doc">
      {spec.doc[lang]}
    </p>
  );
  const className = `param param-${spec.type}${changed ? ' is-changed' : ''}${flagged ? ` has-${flagged}` : ''}`;

  switch (spec.type) {
    case 'ints':
      // A group named by the parameter; each entry's own label says which entry it is.
      return (
        <div className={className} role="group" aria-labelledby={nameId}>
          <div className="param-header">
            <span id={nameId} className="param-name">
              {name}
            </span>
            {mark}
          </div>
          <ListControl {...control} spec={spec} />
          {doc}
        </div>
      );
    case 'bool':
      return (
        <div className={className}>
          <div className="param-header">
            <BoolControl {...control} spec={spec} />
            <label className="param-name" htmlFor={id}>
              {name}
            </label>
            {mark}
          </div>
          {doc}
        </div>
      );
    default:
      return (
        <div className={className}>
          <div className="param-header">
            <label className="param-name" htmlFor={id}>
              {name}
            </label>
            {mark}
          </div>
          {spec.type === 'choice' ? <ChoiceControl {...control} spec={spec} /> : <NumberControl {...control} spec={spec} />}
          {doc}
        </div>
      );
  }
}
