/**
 * The Keras export of a design written with blocks: one Python function per block definition, taking its
 * inputs, a `name` and the block's arguments, and returning its outputs; a repeated instance is a loop of
 * calls (`for i in range(1, 2): layer2 = basic_block(layer2, f"layer2_{i}", planes=128)`). Layer names
 * nest: a layer `conv1` of copy `layer1.0` is `layer1_0_conv1`, exactly the flat export's name, so
 * model_config.json and weights.npz stay the flat export's and the model is the same model.
 *
 * As for PyTorch (./pytorch-blocks.ts), no layer is mapped here: each copy's Keras layers come from the flat
 * plan (./keras.ts planKeras), and ./block-code.ts folds the copies' arguments into one function whose
 * differing literals are the block's arguments or parameters of their own; copies that differ beyond
 * literals get a function of their own. What it cannot say exactly makes it answer null, and the export
 * is the flat build_model.
 */
import { flattenBlocks } from '../graph/blocks.ts';
import { buildTopology } from '../graph/topology.ts';
import type { BlockDefinition, BlockInstance, Design, DesignNode, ParamValue } from '../graph/types.ts';
import { Unifier, pyValue, skeleton } from './block-code.ts';
import type { KerasCall, KerasPlan } from './keras.ts';
import { PyNamer, pyComment, pyDocstring, pyString, toIdentifier } from './sanitize.ts';

class Unsupported extends Error {}

export interface KerasBlocks {
  readonly functions: string[];
  /** build_model's statements before `model = keras.Model(…)`, indented. */
  readonly body: string[];
  /** The variables holding the model's outputs (plan.outputs' order). */
  readonly outputs: string[];
}

interface Copy {
  readonly path: string;
  readonly args: Readonly<Record<string, ParamValue>>;
  readonly inputs: readonly (string | null)[];
  readonly outputs: readonly (string | null)[];
}

/** What one element of a level prints in one copy: the text to unify and what must be equal. */
interface Line {
  readonly text: string;
  readonly fixed: string;
}

interface ElementCode {
  readonly lines: readonly Line[];
  /** For a layer switched off by `when` in this copy: what it passes on instead. */
  readonly off?: string;
}

type Element = { readonly type: 'layer'; readonly node: DesignNode } | { readonly type: 'instance'; readonly inst: BlockInstance; readonly def: BlockDefinition };

const elementId = (e: Element) => (e.type === 'layer' ? e.node.id : e.inst.id);

/** A function name for a definition: "BasicBlock" → "basic_block". */
function functionName(id: string): string {
  return toIdentifier(id.replace(/([a-z0-9])([A-Z])/g, '$1_$2'), 'block');
}

export function planKerasBlocks(design: Design, plan: KerasPlan, callLine: (call: KerasCall) => string, reserved: readonly string[]): KerasBlocks | null {
  try {
    return build(design, plan, callLine, reserved);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

function build(design: Design, plan: KerasPlan, callLine: (call: KerasCall) => string, reserved: readonly string[]): KerasBlocks {
  const unfolded = flattenBlocks(design);
  if (unfolded.issues.length > 0) throw new Unsupported('blocks');
  const defs = new Map((design.blocks ?? []).map((d) => [d.id, d] as const));
  const flatInputsOf = buildTopology(unfolded.design).inputsOf;
  const callsOf = new Map<string, KerasCall[]>();
  plan.calls.forEach((c) => callsOf.set(c.nodeId, [...(callsOf.get(c.nodeId) ?? []), c]));
  const firstCall = new Map<string, number>();
  plan.calls.forEach((c, i) => {
    if (!firstCall.has(c.nodeId)) firstCall.set(c.nodeId, i);
  });
  const copiesOf = new Map<string, Copy[]>();
  for (const i of unfolded.instances) {
    if (i.args === null) continue;
    copiesOf.set(i.block, [...(copiesOf.get(i.block) ?? []), { path: i.path, args: i.args, inputs: i.inputs, outputs: i.outputs }]);
  }
  for (const d of defs.values()) if (d.nodes.some((n) => n.kind === 'Input')) throw new Unsupported('input in a block');
  // Copy path → the arguments its instance takes from its parent's (bind): printed even at their default,
  // so the parent's function names them.
  const boundBy = new Map<string, Set<string>>();
  for (const d of defs.values()) {
    for (const inst of d.instances ?? []) {
      const keys = new Set(Object.keys(inst.bind ?? {}));
      for (const c of copiesOf.get(d.id) ?? []) {
        if (inst.repeat === undefined) boundBy.set(`${c.path}.${inst.id}`, keys);
        else for (let k = 0; k < inst.repeat; k++) boundBy.set(`${c.path}.${inst.id}.${k}`, keys);
      }
    }
  }

  const moduleNamer = new PyNamer([...reserved, ...plan.calls.map((c) => c.name)]);
  // A function's parameters: its input ports (valid identifiers, never `name`), then name and the arguments.
  const portParams = new Map<string, string[]>();
  const portsOf = (def: BlockDefinition): string[] => {
    let ps = portParams.get(def.id);
    if (!ps) {
      const namer = new PyNamer(['name', 'keras', 'np']);
      ps = def.inputs.map((p) => namer.claim(p, 'x'));
      portParams.set(def.id, ps);
    }
    return ps;
  };
  const fnNames = new Map<string, string[]>();
  /** Flat path of a copy → its function's call (arguments after its inputs and name). */
  const callOf = new Map<string, { fn: string; args: string }>();
  const functions: string[] = [];
  const done = new Set<string>();

  // Where each copy starts in the flat order (its first layer's call): a level's ties are broken by it.
  const firstUnder = new Map<string, number>();
  plan.calls.forEach((c, i) => {
    const parts = c.nodeId.split('.');
    for (let k = 1; k < parts.length; k++) {
      const at = `${parts.slice(0, k).join('.')}.`;
      if (!firstUnder.has(at)) firstUnder.set(at, i);
    }
  });
  const firstOf = (flatPrefix: string, e: Element): number =>
    (e.type === 'layer' ? firstCall.get(`${flatPrefix}${e.node.id}`) : firstUnder.get(`${flatPrefix}${e.inst.id}.`)) ?? Infinity;
  const byPath = new Map(unfolded.instances.map((i) => [i.path, i] as const));

  /** A level's elements in an order its edges allow, ties as the flat model orders them. */
  const order = (scope: { nodes: readonly DesignNode[]; instances?: readonly BlockInstance[]; edges: Design['edges'] }, flatPrefix: string): Element[] => {
    const els: Element[] = [
      ...scope.nodes.map((node): Element => ({ type: 'layer', node })),
      ...(scope.instances ?? []).map((inst): Element => ({ type: 'instance', inst, def: defs.get(inst.block)! })),
    ];
    const pos = new Map(els.map((e) => [elementId(e), firstOf(flatPrefix, e)] as const));
    const indeg = new Map<string, number>(els.map((e) => [elementId(e), 0] as const));
    for (const e of scope.edges) if (indeg.has(e.target) && indeg.has(e.source)) indeg.set(e.target, indeg.get(e.target)! + 1);
    const out: Element[] = [];
    const ready = els.filter((e) => indeg.get(elementId(e)) === 0);
    while (ready.length > 0) {
      ready.sort((a, b) => pos.get(elementId(a))! - pos.get(elementId(b))!);
      const e = ready.shift()!;
      out.push(e);
      for (const edge of scope.edges) {
        if (edge.source !== elementId(e) || !indeg.has(edge.target)) continue;
        indeg.set(edge.target, indeg.get(edge.target)! - 1);
        if (indeg.get(edge.target) === 0) ready.push(els.find((x) => elementId(x) === edge.target)!);
      }
    }
    if (out.length !== els.length) throw new Unsupported('cycle');
    return out;
  };

  /**
   * One copy's lines for a level. `prefix` is the copy's name prefix ("layer1_0_"; "" on the top level);
   * `vars` names the level's values: a layer's layers by their name in the block, an instance's result.
   */
  const copyLines = (
    els: readonly Element[],
    scopeEdges: Design['edges'],
    flatPrefix: string,
    prefix: string,
    ports: ReadonlyMap<string, string>,
    portFeeds: readonly (string | null)[],
    portNames: readonly string[],
    vars: PyNamer,
    varOf: Map<string, string>,
    exprOfName: Map<string, string> = new Map(),
    outputsOf: BlockDefinition['outputs'] | null = null,
  ): { codes: (ElementCode | null)[]; outputs: string[] } => {
    portFeeds.forEach((f, k) => {
      if (f !== null && plan.layerOf.has(f)) exprOfName.set(plan.layerOf.get(f)!, ports.get(portNames[k])!);
    });
    const varFor = (local: string) => {
      let v = varOf.get(local);
      if (v === undefined) {
        v = vars.claim(local, 'layer');
        varOf.set(local, v);
      }
      return v;
    };
    // Inside a block, a layer reads its block-level sources by their variables, whatever is switched off
    // in this copy, so copies with and without a `when` layer print the same lines.
    const inBlock = prefix !== '';
    const exprOfSource = (source: string, port: string | undefined): string => {
      const k = portNames.indexOf(source);
      if (k >= 0) return ports.get(source)!;
      const el = els.find((x) => elementId(x) === source);
      if (!el) throw new Unsupported(`source ${source}`);
      if (el.type === 'layer') {
        const calls = callsOf.get(`${flatPrefix}${source}`);
        return varFor(calls ? calls[calls.length - 1].name.slice(prefix.length) : toIdentifier(source));
      }
      const local = toIdentifier(el.inst.id);
      return varFor(el.def.outputs.length === 1 ? local : `${local}_${port ?? el.def.outputs[0].name}`);
    };
    const scopeInputs = (id: string) =>
      scopeEdges
        .map((edge, i) => ({ edge, i }))
        .filter(({ edge }) => edge.target === id)
        .sort((a, b) => (a.edge.targetSlot ?? 0) - (b.edge.targetSlot ?? 0) || a.i - b.i)
        .map(({ edge }) => exprOfSource(edge.source, edge.sourcePort));
    // Off, a layer hands on its first wire's input (blocks.ts: the first edge into it, not slot 0).
    const bypassOf = (id: string) => {
      const first = scopeEdges.find((edge) => edge.target === id);
      return first ? exprOfSource(first.source, first.sourcePort) : undefined;
    };
    const codes = els.map((e): ElementCode | null => {
      if (e.type === 'layer') {
        const flatId = `${flatPrefix}${e.node.id}`;
        const calls = callsOf.get(flatId);
        const fromScope = inBlock ? scopeInputs(e.node.id) : [];
        if (!calls) {
          if (!inBlock || e.node.when === undefined || fromScope.length === 0) return null;
          varFor(toIdentifier(e.node.id));
          return { lines: [], off: bypassOf(e.node.id)! };
        }
        const flatInputs = (flatInputsOf.get(flatId) ?? []).map((f) => plan.layerOf.get(f));
        if (inBlock && flatInputs.length !== fromScope.length) throw new Unsupported(`inputs of ${flatId}`);
        const own = new Set(calls.map((c) => c.name));
        const lines = calls.map((c): Line => {
          if (!c.name.startsWith(prefix)) throw new Unsupported(`name ${c.name}`);
          const local = c.name.slice(prefix.length);
          const v = prefix === '' ? c.name : varFor(local);
          const inputs = c.inputs.map((n) => {
            const slot = inBlock && !own.has(n) ? flatInputs.indexOf(n) : -1;
            const x = slot >= 0 ? fromScope[slot] : exprOfName.get(n);
            if (x === undefined) throw new Unsupported(`input ${n} of ${c.name}`);
            return x;
          });
          exprOfName.set(c.name, v);
          if (c.className === 'InputLayer') return { text: '', fixed: callLine(c) };
          const line = callLine({ ...c, name: '\u0000', inputs });
          const open = line.indexOf('(');
          const nameAt = line.lastIndexOf('name="\\x00"');
          const args = line.slice(open + 1, nameAt).replace(/, $/, '');
          const head = `${v} = ${line.slice(line.indexOf('keras.layers'), open)}`;
          const nameExpr = prefix === '' ? pyString(c.name) : `f"{name}_${local}"`;
          const tail = `name=${nameExpr})(${keras3Inputs(line, inputs)})`;
          return { text: args, fixed: `${c.note ? `# ${pyComment(c.note)}.\n` : ''}${head}(\u00a7, ${tail}` };
        });
        return { lines };
      }
      // An instance: its copies' calls, in order, each reading the value before it.
      const repeat = e.inst.repeat;
      const paths = repeat === undefined ? [`${flatPrefix}${e.inst.id}`] : Array.from({ length: repeat }, (_, k) => `${flatPrefix}${e.inst.id}.${k}`);
      const feeds = e.def.inputs.map((p) => {
        const edge = scopeEdges.find((x) => x.target === e.inst.id && (x.targetPort ?? e.def.inputs[0]) === p);
        if (!edge) throw new Unsupported(`unfed ${p}`);
        return edge;
      });
      const feedExprs = feeds.map((edge) => {
        if (inBlock) return exprOfSource(edge.source, edge.sourcePort);
        const flatFeed = byPath.get(paths[0])!.inputs[e.def.inputs.indexOf(edge.targetPort ?? e.def.inputs[0])];
        const x = flatFeed === null ? undefined : exprOfName.get(plan.layerOf.get(flatFeed)!);
        if (x === undefined) throw new Unsupported(`feed of ${e.inst.id}`);
        return x;
      });
      const local = toIdentifier(e.inst.id);
      const result = e.def.outputs.length === 1 ? [varFor(local)] : e.def.outputs.map((o) => varFor(`${local}_${o.name}`));
      const lines = paths.map((p, k): Line => {
        const c = callOf.get(p);
        if (!c) throw new Unsupported(`no call for ${p}`);
        const inputs = k === 0 ? feedExprs : result;
        const nameArg = prefix === '' ? `"${toIdentifier(p)}"` : `f"{name}_${toIdentifier(p.slice(flatPrefix.length))}"`;
        return { text: c.args, fixed: `${result.join(', ')} = ${c.fn}(${inputs.join(', ')}, ${nameArg}|\u00a7)` };
      });
      // The last copy's outputs are the instance's: its flat layers are read by what follows.
      const last = byPath.get(paths[paths.length - 1])!;
      last.outputs.forEach((f, j) => {
        if (f !== null && plan.layerOf.has(f)) exprOfName.set(plan.layerOf.get(f)!, result[j]);
      });
      return { lines };
    });
    return { codes, outputs: outputsOf ? outputsOf.map((o) => exprOfSource(o.source, o.sourcePort)) : [] };
  };

  const emitDef = (def: BlockDefinition) => {
    if (done.has(def.id)) return;
    done.add(def.id);
    for (const i of def.instances ?? []) emitDef(defs.get(i.block)!);
    const copies = copiesOf.get(def.id) ?? [];
    if (copies.length === 0) return;
    // One order for every copy (a layer switched off must keep its place): the fullest copy's.
    const fullest = copies.reduce((best, c) => {
      const n = (x: Copy) => def.nodes.filter((nd) => callsOf.has(`${x.path}.${nd.id}`)).length;
      return n(c) > n(best) ? c : best;
    });
    const els = order(def, `${fullest.path}.`);
    const per = copies.map((c) => {
      const vars = new PyNamer(['name', ...portsOf(def), ...(def.args ?? []).map((a) => toIdentifier(a.name, 'arg')), 'keras', 'np']);
      const varOf = new Map<string, string>();
      const ports = new Map(def.inputs.map((p, k) => [p, portsOf(def)[k]] as const));
      const made = copyLines(els, def.edges, `${c.path}.`, `${toIdentifier(c.path)}_`, ports, c.inputs, def.inputs, vars, varOf, new Map(), def.outputs);
      return { els, varOf, code: made.codes, outputs: made.outputs };
    });
    // Copies share a function where every element prints alike; a layer switched off fits any copy.
    const sig = (code: ElementCode | null) =>
      code === null ? 'missing' : code.off !== undefined ? null : code.lines.map((l) => `${l.fixed}|${skeleton(l.text)}`).join('\n');
    const groups: { rep: (string | null)[]; members: number[] }[] = [];
    per.forEach((p, i) => {
      const s = p.code.map(sig);
      const g = groups.find((gr) => gr.rep.every((r, k) => r === null || s[k] === null || r === s[k]));
      if (g) {
        g.members.push(i);
        s.forEach((v, k) => (g.rep[k] ??= v));
      } else groups.push({ rep: s, members: [i] });
    });
    for (const g of groups) {
      const fn = moduleNamer.claimExact(functionName(def.id));
      fnNames.set(def.id, [...(fnNames.get(def.id) ?? []), fn]);
      const members = g.members.map((i) => copies[i]);
      const ids = per[g.members[0]].els.map(elementId);
      const paramNamer = new PyNamer(['name', ...portsOf(def)]);
      const args = (def.args ?? []).map((a) => ({ name: a.name, py: paramNamer.claim(a.name, 'arg'), values: members.map((c) => c.args[a.name] ?? a.default), def: a.default }));
      const unifier = new Unifier(members.length, args, [], paramNamer);
      const body: string[] = [];
      ids.forEach((id, k) => {
        const codes = g.members.map((i) => per[i].code[k]);
        if (codes.some((c) => c === null)) throw new Unsupported(`${id} missing`);
        const present = codes.filter((c) => c!.off === undefined);
        const offs = codes.filter((c) => c!.off !== undefined).map((c) => c!.off!);
        const el = per[g.members[0]].els[k];
        const bound = el.type === 'layer' ? Object.entries(el.node.bind ?? {}) : Object.entries(el.inst.bind ?? {});
        const preferred = args.flatMap((a) => {
          const params = bound.filter(([, arg]) => arg === a.name).map(([param]) => param);
          return params.length === 0 ? [] : [{ py: a.py, keywords: [a.py, ...params] }];
        });
        if (offs.length > 0) {
          if (new Set(offs).size > 1) throw new Unsupported(`${id} passes on different values`);
          const v = per[g.members[0]].varOf.get(toIdentifier(id));
          if (present.length === 0) {
            body.push(`${v} = ${offs[0]}`);
            return;
          }
          // A layer switched by `when`: built where its argument is true, its input passed on where not.
          const cond = el.type === 'layer' ? args.find((a) => a.name === el.node.when)?.py : undefined;
          if (!cond || present[0]!.lines.length !== 1) throw new Unsupported(`${id} switched with helpers`);
          const line = renderLine(present[0]!.lines[0].fixed, unifier.unify(codes.map((c) => (c!.off === undefined ? c!.lines[0].text : null)), id, preferred));
          line[line.length - 1] += ` if ${cond} else ${offs[0]}`;
          body.push(...line);
          return;
        }
        const rendered = present[0]!.lines.map((line, j) => renderLine(line.fixed, unifier.unify(codes.map((c) => c!.lines[j].text), id, preferred)));
        if (el.type === 'instance') body.push(...loops(rendered.map((r) => r[0]), el.inst));
        else body.push(...rendered.flat());
      });
      const outputs = per[g.members[0]].outputs;
      const params = [...portsOf(def), 'name', ...unifier.derived.map((d) => d.name), ...args.map((a) => `${a.py}=${pyValue(a.def)}`)];
      functions.push(
        `def ${fn}(${params.join(', ')}):`,
        `    ${pyDocstring(`Block ${def.id}; each layer is named after name and its own name in the block (name_conv1).`, '    ')}`,
        ...body.map((l) => `    ${l}`),
        `    return ${outputs.join(', ')}`,
        '',
        '',
      );
      members.forEach((c, i) => {
        const given = [
          ...unifier.derived.map((d) => d.values[i] ?? 'None'),
          ...args.filter((a) => pyValue(a.values[i]) !== pyValue(a.def) || boundBy.get(c.path)?.has(a.name)).map((a) => `${a.py}=${pyValue(a.values[i])}`),
        ];
        callOf.set(c.path, { fn, args: given.join(', ') });
      });
    }
  };
  for (const i of design.instances ?? []) emitDef(defs.get(i.block)!);

  // build_model: the top level, repeats as loops over runs of equal calls.
  const vars = new PyNamer([...reserved, ...plan.calls.map((c) => c.name), ...functions.flatMap((l) => (/^def (\w+)/.exec(l) ?? []).slice(1))]);
  const topEls = order({ nodes: design.nodes, instances: design.instances ?? [], edges: design.edges }, '');
  const exprOfName = new Map<string, string>();
  const code = copyLines(topEls, design.edges, '', '', new Map(), [], [], vars, new Map(), exprOfName).codes;
  const body: string[] = [];
  topEls.forEach((e, k) => {
    const c = code[k];
    if (c === null) throw new Unsupported('top layer missing');
    if (e.type === 'layer') {
      for (const line of c.lines) body.push(...(line.text === '' && !line.fixed.includes('\u00a7') ? [line.fixed] : renderLine(line.fixed, line.text)));
      return;
    }
    body.push(...loops(c.lines.map((l) => renderLine(l.fixed, l.text)[0]), e.inst));
  });
  const outputs = plan.outputs.map((n) => {
    const x = exprOfName.get(n);
    if (x === undefined) throw new Unsupported(`output ${n} inside a block`);
    return x;
  });
  return { functions, body: body.map((l) => `    ${l}`), outputs };
}

/** A line's fixed part with its unified arguments in place (an instance call's are optional). */
function renderLine(fixed: string, text: string): string[] {
  if (fixed.includes('|\u00a7)')) return [fixed.replace('|\u00a7)', text ? `, ${text})` : ')')];
  return fixed.replace('\u00a7, ', text ? `${text}, ` : '').split('\n');
}

/**
 * A repeated instance's calls as loops: runs of copies whose calls differ only by their index become
 * `for i in range(a, b):` with the name `f"layer1_{i}"`; a run of one is a plain call.
 */
function loops(calls: readonly string[], inst: BlockInstance): string[] {
  if (inst.repeat === undefined) return [...calls];
  const base = toIdentifier(inst.id);
  // Each call with its index and its input made the running variable (`layer1 = basic_block(layer1, …)`).
  const generic = calls.map((c, k) =>
    c.replace(new RegExp(`(f?)"((?:\\{name\\}_)?)${base}_${k}"`), (_m, _f, pre: string) => `f"${pre}${base}_{i}"`).replace(/^(\w+) = (\w+)\(\w+(?=[,)])/, '$1 = $2($1'),
  );
  const out: string[] = [];
  for (let k = 0; k < calls.length; ) {
    let end = k + 1;
    while (end < calls.length && generic[end] === generic[k]) end++;
    if (end - k === 1) out.push(calls[k]);
    else {
      if (k === 0) {
        const [, result, feed] = /^(\w+) = \w+\((\w+)/.exec(calls[0])!;
        if (result !== feed) out.push(`${result} = ${feed}`);
      }
      out.push(`for i in range(${k === 0 ? '' : `${k}, `}${end}):`, `    ${generic[k]}`);
    }
    k = end;
  }
  return out;
}

/** The input part of a rendered Keras call line: `(x)` or `([a, b])`. */
function keras3Inputs(line: string, inputs: readonly string[]): string {
  return line.endsWith(`([${inputs.join(', ')}])`) ? `[${inputs.join(', ')}]` : inputs[0];
}
