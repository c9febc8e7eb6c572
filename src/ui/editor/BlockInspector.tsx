/**
 * The inspector for a selected block instance: its definition (and how many instances share it), copies,
 * arguments (per instance), the subtotals src/graph computed for it, and the block commands. Renders the
 * store and dispatches its commands; no arithmetic of its own.
 */
import { useId, useState } from 'react';
import { lockOf } from '../../graph/locks.ts';
import { NodeLockSection } from '../lesson/LockControls.tsx';
import { lockStrings } from '../lesson/lock-strings.ts';
import { NotesField } from './NotesField.tsx';
import { isLayerKind, layerSpec } from '../../graph/layers/index.ts';
import type { BlockDefinition } from '../../graph/types.ts';
import { ParamField } from './ParamField.tsx';
import { formatShape } from '../../graph/shape-math.ts';
import { formatCount } from '../../graph/number-format.ts';
import type { Lang, ParamValue } from '../../graph/types.ts';
import { useApp, useAppStore } from '../store-context.ts';
import type { InspectorStrings } from './inspector-strings.ts';

/** What the user typed as an argument: true/false, a number, a list of numbers, else the text itself. */
export function parseArgText(text: string): ParamValue {
  const v = text.trim();
  if (v === 'true' || v === 'false') return v === 'true';
  if (v !== '' && Number.isFinite(Number(v))) return Number(v);
  const parts = v.split(/[\s,×x]+/).filter(Boolean);
  if (parts.length > 1 && parts.every((p) => Number.isFinite(Number(p)))) return parts.map(Number);
  return v;
}

const argText = (v: ParamValue | undefined) => (v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v));

export function BlockInspector({ instanceId, lang, t }: { readonly instanceId: string; readonly lang: Lang; readonly t: InspectorStrings }) {
  const inst = useApp((s) => s.design?.instances?.find((i) => i.id === instanceId));
  const def = useApp((s) => s.design?.blocks?.find((b) => b.id === inst?.block));
  const shared = useApp((s) => s.design?.instances?.filter((i) => i.block === inst?.block).length ?? 0);
  const summary = useApp((s) => s.blockSummaries.find((b) => b.path === instanceId));
  const store = useAppStore();
  const app = () => store.getState();
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  if (!inst || !def) return null;
  const commit = (name: string) => {
    const text = drafts[name];
    if (text === undefined) return;
    setDrafts(({ [name]: _gone, ...rest }) => rest);
    app().setBlockArg(instanceId, name, parseArgText(text));
  };
  // Only a block with one input and one output can stack copies (each feeds the next).
  const canRepeat = def.inputs.length === 1 && def.outputs.length === 1;
  const commitCopies = () => {
    const text = drafts['\u0000copies'];
    if (text === undefined) return;
    setDrafts(({ '\u0000copies': _gone, ...rest }) => rest);
    const n = Number(text);
    if (Number.isInteger(n) && n >= 1 && n <= 1000 && n !== (inst.repeat ?? 1)) app().setBlockRepeat(instanceId, n);
  };
  return (
    <div className="block-inspector" data-testid="block-inspector">
      <h3>
        {inst.label ?? inst.id} <span className="inspector-kind">{t.block(def.id)}</span>
      </h3>
      <p className="inspector-hint">{t.blockShared(shared)}</p>
      <NodeLockSection nodeId={inst.id} />
      <NotesField nodeId={inst.id} notes={inst.notes} t={t} />
      <dl className="inspector-facts">
        <dt>{t.blockShapes}</dt>
        <dd>
          {(summary?.inputShapes ?? []).map((x) => formatShape(x)).join(', ') || '–'} → {(summary?.outputShapes ?? []).map((x) => formatShape(x)).join(', ')}
        </dd>
        <dt>
          <label htmlFor={`${instanceId}-copies`}>{t.blockCopies}</label>
        </dt>
        <dd>
          {canRepeat ? (
            <input
              id={`${instanceId}-copies`}
              type="number"
              min={1}
              max={1000}
              className="block-copies"
              data-testid="block-inspector-repeat"
              value={drafts['\u0000copies'] ?? String(inst.repeat ?? 1)}
              onChange={(e) => setDrafts((d) => ({ ...d, '\u0000copies': e.target.value }))}
              onBlur={commitCopies}
              onKeyDown={(e) => e.key === 'Enter' && commitCopies()}
            />
          ) : (
            (inst.repeat ?? 1)
          )}
        </dd>
        <dt>{t.blockLayers}</dt>
        <dd>{formatCount(summary?.layers ?? 0, lang)}</dd>
        <dt>{t.blockParams}</dt>
        <dd>{formatCount(summary?.totalParams ?? 0, lang)}</dd>
        <dt>{t.blockMacs}</dt>
        <dd>{summary?.macs == null ? '?' : formatCount(summary.macs, lang)}</dd>
      </dl>
      {(def.args ?? []).length > 0 && (
        <fieldset className="block-args">
          <legend>{t.blockArgs}</legend>
          {def.args!.map((a) => (
            <label key={a.name} title={t.blockArgHint}>
              <span>{a.name}</span>
              <input
                value={drafts[a.name] ?? argText(inst.args?.[a.name] ?? a.default)}
                onChange={(e) => setDrafts((d) => ({ ...d, [a.name]: e.target.value }))}
                onBlur={() => commit(a.name)}
                onKeyDown={(e) => e.key === 'Enter' && commit(a.name)}
              />
            </label>
          ))}
        </fieldset>
      )}
      <NotesField nodeId={def.id} definition notes={def.notes} t={t} />
      <DefinitionEditor def={def} lang={lang} t={t} />
      <div className="block-actions">
        <button type="button" onClick={() => app().ungroupSelection()}>
          {t.ungroup}
        </button>
        <button type="button" onClick={() => app().expandBlock(instanceId)}>
          {t.expand}
        </button>
        <button type="button" onClick={() => app().makeBlockUnique(instanceId)} disabled={shared < 2}>
          {t.makeUnique}
        </button>
      </div>
    </div>
  );
}

/**
 * Edits one layer of the definition: every instance of it follows (makeUnique first to change one only).
 * Parameters an argument sets are shown as such, not as fields: the instance's argument is where they change.
 */
function DefinitionEditor({ def, lang, t }: { readonly def: BlockDefinition; readonly lang: Lang; readonly t: InspectorStrings }) {
  const store = useAppStore();
  const runActive = useApp((s) => s.runActive);
  const pickId = useId();
  const [picked, setPicked] = useState(def.nodes[0]?.id ?? '');
  const node = def.nodes.find((n) => n.id === picked) ?? def.nodes[0];
  const lockedParams = useApp((s) => (node ? lockOf(s.design, node.id, def.id)?.params : undefined));
  if (!node || !isLayerKind(node.kind)) return null;
  const spec = layerSpec(node.kind);
  return (
    <section className="block-definition">
      <h3>
        <label htmlFor={pickId}>{t.blockEdit(def.id)}</label>
      </h3>
      <select id={pickId} value={node.id} onChange={(e) => setPicked(e.target.value)} data-testid="block-layer-pick">
        {def.nodes.map((n) => (
          <option key={n.id} value={n.id}>
            {n.id} ({n.kind})
          </option>
        ))}
      </select>
      <NodeLockSection key={node.id} nodeId={node.id} block={def.id} />
      <form className="inspector-form" onSubmit={(e) => e.preventDefault()}>
        {Object.entries(spec.params).map(([name, paramSpec]) =>
          node.bind?.[name] !== undefined ? (
            <p key={name} className="inspector-hint">
              {t.blockBound(name, node.bind[name])}
            </p>
          ) : (
            <ParamField
              key={`${node.id}.${name}`}
              name={name}
              spec={paramSpec}
              value={node.params[name]}
              lang={lang}
              live={!runActive}
              locked={lockedParams?.includes(name) ? lockStrings(lang).lockedParam(name) : undefined}
              onValue={(param, value) => store.getState().updateBlockLayerParams(def.id, node.id, { [param]: value })}
            />
          ),
        )}
      </form>
    </section>
  );
}
