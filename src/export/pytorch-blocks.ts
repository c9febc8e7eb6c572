/**
 * The PyTorch export of a design written with blocks: one nn.Module class per block definition, a
 * repeated instance as an nn.Sequential of its copies, the main class composing them, as torchvision's
 * ResNet reads (BasicBlock, `self.layer1 = nn.Sequential(BasicBlock(…), BasicBlock(…))`).
 *
 * Nothing here maps a layer: every copy's layers are printed from the flat design by the layer files' own
 * `torch()` mappings (./pytorch.ts `torchMappings`), and ./block-code.ts folds the copies' lines into one
 * class whose differing literals become constructor parameters (block arguments, the input's channels).
 * So the module paths are the flat design's ids (`layer1.0.conv1`), and a layer group `downsample.0`,
 * `downsample.1` that runs as a chain becomes `self.downsample = nn.Sequential(…)`: torchvision's
 * state_dict loads with strict=True. A layer switched by a `when` argument is `None` where it is off and
 * forward hands its input on. forward() is planned per class by ./schedule.ts (branches contiguous, `del`
 * after the last reader).
 *
 * Copies whose lines differ beyond literals (a padding F.pad in one copy only) get a class of their own
 * (`BasicBlock2`). Anything this plan cannot say exactly (an Input inside a block, an unconnected port, a
 * dead-end layer inside a block that the flat model returns) makes it answer null: the exporter then
 * writes the flat class, which is always right.
 */
import { flattenBlocks, type FlatInstance } from '../graph/blocks.ts';
import type { DesignInference } from '../graph/infer.ts';
import type { TorchMapping } from '../graph/layer-spec.ts';
import type { BlockDefinition, BlockInstance, Design, DesignEdge, DesignNode, ParamValue } from '../graph/types.ts';
import { Unifier, skeleton, splitLiterals, pyValue, type Quantity } from './block-code.ts';
import { layerSpec } from '../graph/layers/index.ts';
import { mappingContext } from '../graph/infer.ts';
import { torchShape } from './pytorch-train.ts';
import { PyNamer, pyComment, pyCommentLines, pyDocstring, toClassName } from './sanitize.ts';
import { scheduleForward, type ScheduleNode } from './schedule.ts';
import { fillTorchTemplate } from './torch-fill.ts';
import { plainText } from '../graph/texts.ts';

/** What the exporter needs from the flat plan. */
export interface FlatTorch {
  readonly design: Design;
  readonly inference: DesignInference;
  readonly mappings: ReadonlyMap<string, TorchMapping>;
  /** Input node id → forward()'s argument name; the model's outputs (flat ids, forward()'s order). */
  readonly inputNames: ReadonlyMap<string, string>;
  readonly outputs: readonly string[];
  /** Names the main class must not take (its own name, module-level names). */
  readonly className: string;
}

export interface TorchBlocksPlan {
  readonly classes: string[];
  readonly init: string[];
  readonly forward: string[];
  /** Flat node id → its module path in the nested model (`layer1.0.conv1`), and each helper's. */
  readonly keys: Map<string, { name: string; helpers: Map<string, string> }>;
}

class Unsupported extends Error {}

/** A layer, or a chain `P.0 … P.m-1` printed as one nn.Sequential named P. */
interface LayerUnit {
  readonly type: 'layer';
  readonly ids: readonly string[];
  readonly attr: string;
  readonly when: string | undefined;
  readonly nodes: readonly DesignNode[];
}
interface InstanceUnit {
  readonly type: 'instance';
  readonly inst: BlockInstance;
  readonly def: BlockDefinition;
  readonly attr: string;
}
type Unit = LayerUnit | InstanceUnit;

/** One level: the design's top or a block definition. */
interface Scope {
  readonly def: BlockDefinition | null;
  readonly nodes: readonly DesignNode[];
  readonly instances: readonly BlockInstance[];
  readonly edges: readonly DesignEdge[];
}

/** One copy of a scope in the flat design. */
interface Copy {
  readonly flatPrefix: string;
  readonly args: Readonly<Record<string, ParamValue>>;
  /** The flat layer feeding each input port. */
  readonly inputs: readonly (string | null)[];
}

interface ScopePlan {
  readonly scope: Scope;
  readonly units: readonly Unit[];
  readonly unitOf: ReadonlyMap<string, Unit>;
  /** Helper suffix → attribute, per layer id. */
  readonly helpers: Map<string, Map<string, string>>;
  readonly namer: PyNamer;
}

const IND = '        ';

/** The block classes and the main class's body, or null where the flat export must be written instead. */
export function planTorchBlocks(design: Design, flat: FlatTorch): TorchBlocksPlan | null {
  try {
    return plan(design, flat);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

function plan(design: Design, flat: FlatTorch): TorchBlocksPlan {
  const unfolded = flattenBlocks(design);
  if (unfolded.issues.length > 0) throw new Unsupported('blocks');
  const defs = new Map((design.blocks ?? []).map((d) => [d.id, d] as const));
  const flatNodes = new Map(flat.design.nodes.map((n) => [n.id, n] as const));
  const byPath = new Map(unfolded.instances.map((i) => [i.path, i] as const));
  const copiesOf = new Map<string, Copy[]>();
  for (const i of unfolded.instances) {
    if (i.args === null) continue;
    const list = copiesOf.get(i.block) ?? [];
    list.push({ flatPrefix: `${i.path}.`, args: i.args, inputs: i.inputs });
    copiesOf.set(i.block, list);
  }
  const top: Scope = { def: null, nodes: design.nodes, instances: design.instances ?? [], edges: design.edges };
  if (design.nodes.some((n) => n.kind === 'Input') === false) throw new Unsupported('no input');
  for (const d of defs.values()) if (d.nodes.some((n) => n.kind === 'Input')) throw new Unsupported('input in a block');

  const classNamer = new PyNamer(['Path', 'WEIGHTS_FILE', flat.className]);
  const scopes = new Map<BlockDefinition | null, ScopePlan>();
  const scopeOf = (def: BlockDefinition | null): ScopePlan => {
    let s = scopes.get(def);
    if (!s) {
      const sc: Scope = def ? { def, nodes: def.nodes, instances: def.instances ?? [], edges: def.edges } : top;
      const copies = def ? (copiesOf.get(def.id) ?? []) : [{ flatPrefix: '', args: {}, inputs: [] }];
      s = nameScope(sc, copies, flat, defs, flatNodes);
      scopes.set(def, s);
    }
    return s;
  };

  // Module paths of every flat layer, from the top down.
  const keys = new Map<string, { name: string; helpers: Map<string, string> }>();
  // Copy flat prefix → the arguments its instance binds to its parent's.
  const boundBy = new Map<string, Set<string>>();
  const walk = (def: BlockDefinition | null, flatPrefix: string, modPrefix: string) => {
    const s = scopeOf(def);
    for (const u of s.units) {
      if (u.type === 'layer') {
        u.ids.forEach((id, k) => {
          const flatId = `${flatPrefix}${id}`;
          if (!flatNodes.has(flatId)) return;
          const name = u.ids.length > 1 ? `${modPrefix}${u.attr}.${k}` : `${modPrefix}${u.attr}`;
          const helpers = new Map([...(s.helpers.get(id) ?? [])].map(([suffix, attr]) => [suffix, `${modPrefix}${attr}`] as const));
          keys.set(flatId, { name, helpers });
        });
        continue;
      }
      const bound = new Set(Object.keys(u.inst.bind ?? {}));
      const copy = (flatAt: string, modAt: string) => {
        boundBy.set(flatAt, bound);
        walk(u.def, flatAt, modAt);
      };
      if (u.inst.repeat === undefined) copy(`${flatPrefix}${u.inst.id}.`, `${modPrefix}${u.attr}.`);
      else for (let k = 0; k < u.inst.repeat; k++) copy(`${flatPrefix}${u.inst.id}.${k}.`, `${modPrefix}${u.attr}.${k}.`);
    }
  };
  walk(null, '', '');
  for (const n of flat.design.nodes) if (n.kind !== 'Input' && !keys.has(n.id)) throw new Unsupported(`unplaced ${n.id}`);

  // Classes bottom-up: a class's lines call its children's classes.
  const calls = new Map<string, string>(); // flat path of a copy → its constructor call
  const classes: string[] = [];
  const done = new Set<string>();
  const emit = (def: BlockDefinition) => {
    if (done.has(def.id)) return;
    done.add(def.id);
    for (const i of def.instances ?? []) emit(defs.get(i.block)!);
    classes.push(...emitClass(def, copiesOf.get(def.id) ?? [], scopeOf(def), flat, flatNodes, byPath, calls, classNamer, boundBy));
  };
  for (const i of design.instances ?? []) emit(defs.get(i.block)!);

  const main = scopeBody(scopeOf(null), [{ flatPrefix: '', args: {}, inputs: [] }], [], flat, flatNodes, byPath, calls, null);
  return { classes, init: main.init, forward: main.forward, keys };
}

/** Attribute names of a level's layers, chains and instances; the helpers' names. */
function nameScope(
  scope: Scope,
  copies: readonly Copy[],
  flat: FlatTorch,
  defs: ReadonlyMap<string, BlockDefinition>,
  flatNodes: ReadonlyMap<string, DesignNode>,
): ScopePlan {
  const namer = new PyNamer(['weights']);
  const mappingsOf = (id: string) => copies.map((c) => flat.mappings.get(`${c.flatPrefix}${id}`) ?? null);
  const chains = scope.def ? findChains(scope, mappingsOf) : new Map<string, string[]>();
  const units: Unit[] = [];
  const unitOf = new Map<string, Unit>();
  const helpers = new Map<string, Map<string, string>>();
  const inChain = new Set([...chains.values()].flat());
  for (const [prefix, ids] of chains) {
    const nodes = ids.map((id) => scope.nodes.find((n) => n.id === id)!);
    const u: LayerUnit = { type: 'layer', ids, attr: namer.claim(prefix), when: nodes[0].when, nodes };
    units.push(u);
    for (const id of ids) unitOf.set(id, u);
  }
  for (const n of scope.nodes) {
    if (inChain.has(n.id) || n.kind === 'Input') continue;
    const u: LayerUnit = { type: 'layer', ids: [n.id], attr: namer.claim(scope.def ? n.id : (n.label?.trim() || n.id)), when: n.when, nodes: [n] };
    units.push(u);
    unitOf.set(n.id, u);
  }
  for (const inst of scope.instances) {
    const u: InstanceUnit = { type: 'instance', inst, def: defs.get(inst.block)!, attr: namer.claim(inst.id) };
    units.push(u);
    unitOf.set(inst.id, u);
  }
  for (const u of units) {
    if (u.type !== 'layer' || u.ids.length > 1) continue;
    const id = u.ids[0];
    const map = new Map<string, string>();
    for (const m of mappingsOf(id)) for (const mod of m?.modules ?? []) if (mod.suffix && !map.has(mod.suffix)) map.set(mod.suffix, namer.claimExact(`${u.attr}_${mod.suffix}`));
    helpers.set(id, map);
  }
  void flatNodes;
  return { scope, units, unitOf, helpers, namer };
}

/**
 * Layer groups `P.0 … P.m-1` that run as one chain (each the next one's only input, only the last read
 * elsewhere, one module called plainly, one `when`): printed as `self.P = nn.Sequential(…)`, whose
 * state_dict keys are `P.0.weight`, as torchvision's downsample.
 */
function findChains(scope: Scope, mappingsOf: (id: string) => (TorchMapping | null)[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const n of scope.nodes) {
    const m = /^(.+)\.(\d+)$/.exec(n.id);
    if (!m) continue;
    groups.set(m[1], [...(groups.get(m[1]) ?? []), n.id]);
  }
  const out = new Map<string, string[]>();
  for (const [prefix, members] of groups) {
    const ids = members.map((_, k) => `${prefix}.${k}`);
    if (members.length < 2 || !ids.every((id) => members.includes(id))) continue;
    const nodes = ids.map((id) => scope.nodes.find((n) => n.id === id)!);
    if (nodes.some((n) => n.when !== nodes[0].when)) continue;
    const plain = ids.every((id) => mappingsOf(id).every((m) => m === null || (m.modules.length === 1 && !m.modules[0].suffix && m.forward === '{m}({x})')));
    const into = (id: string) => scope.edges.filter((e) => e.target === id);
    const from = (id: string) => scope.edges.filter((e) => e.source === id);
    const chained = ids.every((id, k) => (k === 0 ? into(id).length === 1 : into(id).length === 1 && into(id)[0].source === ids[k - 1]) && (k === ids.length - 1 || from(id).length === 1));
    const outputs = scope.def?.outputs.some((o) => ids.slice(0, -1).includes(o.source)) ?? false;
    if (plain && chained && !outputs) out.set(prefix, ids);
  }
  return out;
}

/** The lines of one copy's unit, for unifying: constructor lines, then forward and note verbatim. */
interface UnitCode {
  readonly ctors: readonly string[];
  /** What must be equal in every copy that shares the class. */
  readonly fixed: string;
  readonly shape: string;
}

function unitCode(
  u: Unit,
  copy: Copy,
  flat: FlatTorch,
  flatNodes: ReadonlyMap<string, DesignNode>,
  calls: ReadonlyMap<string, string>,
): UnitCode | null {
  if (u.type === 'layer') {
    const ids = u.ids.map((id) => `${copy.flatPrefix}${id}`);
    if (!flatNodes.has(ids[0])) return null;
    const maps = ids.map((id) => flat.mappings.get(id)!);
    const last = ids[ids.length - 1];
    const shape = torchShape(flat.inference.nodes.get(last)!.outputShape!);
    if (u.ids.length > 1) {
      return { ctors: maps.map((m) => m.modules[0].ctor), fixed: `seq:${u.ids.length}`, shape };
    }
    const m = maps[0];
    return { ctors: m.modules.map((mod) => mod.ctor), fixed: JSON.stringify([m.modules.map((mod) => mod.suffix ?? ''), m.forward, m.note ?? '']), shape };
  }
  const paths = u.inst.repeat === undefined ? [`${copy.flatPrefix}${u.inst.id}`] : Array.from({ length: u.inst.repeat }, (_, k) => `${copy.flatPrefix}${u.inst.id}.${k}`);
  const ctors = paths.map((p) => {
    const c = calls.get(p);
    if (c === undefined) throw new Unsupported(`no call for ${p}`);
    return c;
  });
  return { ctors, fixed: `inst:${ctors.length}`, shape: '' };
}

function emitClass(
  def: BlockDefinition,
  copies: readonly Copy[],
  scope: ScopePlan,
  flat: FlatTorch,
  flatNodes: ReadonlyMap<string, DesignNode>,
  byPath: ReadonlyMap<string, FlatInstance>,
  calls: Map<string, string>,
  classNamer: PyNamer,
  boundBy: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  // Copies that can share code: per unit, the same skeleton wherever both have it.
  const codes = copies.map((c) => scope.units.map((u) => unitCode(u, c, flat, flatNodes, calls)));
  const sig = (code: UnitCode | null) => (code === null ? null : `${code.fixed}|${code.ctors.map(skeleton).join('|')}`);
  const groups: { rep: (string | null)[]; members: number[] }[] = [];
  codes.forEach((code, i) => {
    const s = code.map(sig);
    const g = groups.find((gr) => gr.rep.every((r, k) => r === null || s[k] === null || r === s[k]));
    if (g) {
      g.members.push(i);
      s.forEach((v, k) => (g.rep[k] ??= v));
    } else groups.push({ rep: s, members: [i] });
  });
  const lines: string[] = [];
  for (const g of groups) {
    const className = classNamer.claimExact(toClassName(def.id, 'Block'));
    const members = g.members.map((i) => copies[i]);
    const paramNamer = new PyNamer();
    const args = (def.args ?? []).map((a) => ({ name: a.name, py: paramNamer.claim(a.name, 'arg'), values: members.map((c) => c.args[a.name] ?? a.default), def: a.default }));
    const known: Quantity[] = def.inputs.map((p, k) => ({
      name: def.inputs.length === 1 ? 'in_channels' : `${p}_channels`,
      values: members.map((c) => {
        const src = c.inputs[k];
        const shape = src === null ? null : flat.inference.nodes.get(src)?.outputShape;
        return shape && shape.length > 0 && shape[shape.length - 1] !== null ? String(shape[shape.length - 1]) : null;
      }),
    }));
    const unifier = new Unifier(members.length, args, known, paramNamer);
    const body = scopeBody(scope, members, args.map((a) => ({ arg: a.name, py: a.py })), flat, flatNodes, byPath, calls, unifier);
    const params = [...unifier.derived.map((d) => d.name), ...args.map((a) => `${a.py}=${pyValue(a.def)}`)];
    const doc = [`Block ${def.id}${groups.length > 1 ? ` (copies ${members.map((c) => c.flatPrefix.slice(0, -1)).join(', ')})` : ''}.`];
    if (plainText(def.notes)) doc.push('', plainText(def.notes));
    lines.push(`class ${className}(nn.Module):`, `    ${pyDocstring(doc.join('\n'), '    ')}`, '');
    lines.push(`    def __init__(${['self', ...params].join(', ')}):`, '        super().__init__()', ...body.init, '');
    lines.push(`    def forward(self, ${body.ports.join(', ')}):`, ...body.forward, '', '');
    members.forEach((c, i) => {
      const given = [
        ...unifier.derived.map((d) => d.values[i] ?? 'None'),
        // An argument the parent passes on (bind) is printed even at its default, so the parent's class can name it.
        ...args.filter((a) => pyValue(a.values[i]) !== pyValue(a.def) || boundBy.get(c.flatPrefix)?.has(a.name)).map((a) => `${a.py}=${pyValue(a.values[i])}`),
      ];
      calls.set(c.flatPrefix.slice(0, -1), `${className}(${given.join(', ')})`);
    });
  }
  return lines;
}

/**
 * __init__ and forward statements of a level, shared by the copies `members` (one for the main class).
 * `unifier` is null for the main class, whose single copy needs none.
 */
function scopeBody(
  scope: ScopePlan,
  members: readonly Copy[],
  args: readonly { arg: string; py: string }[],
  flat: FlatTorch,
  flatNodes: ReadonlyMap<string, DesignNode>,
  byPath: ReadonlyMap<string, FlatInstance>,
  calls: ReadonlyMap<string, string>,
  unifier: Unifier | null,
): { init: string[]; forward: string[]; ports: string[] } {
  const { scope: sc, units, unitOf } = scope;
  const def = sc.def;
  const codes = scope.units.map((u) => members.map((c) => unitCode(u, c, flat, flatNodes, calls)));
  const presence = (k: number) => {
    const n = codes[k].filter((c) => c !== null).length;
    return n === 0 ? 'never' : n === members.length ? 'always' : 'some';
  };

  // Values: input ports, a unit's output (its last layer), an instance's output ports.
  const locals = new PyNamer();
  const ports = def ? def.inputs.map((p) => locals.claim(p, 'x')) : [];
  const argNames = new Map<string, string>();
  if (def) def.inputs.forEach((p, k) => argNames.set(`p:${p}`, ports[k]));
  else for (const n of sc.nodes) if (n.kind === 'Input') argNames.set(`n:${n.id}`, locals.claimExact(flat.inputNames.get(n.id)!));
  const valueOf = (source: string, port: string | undefined): string => {
    if (def?.inputs.includes(source)) return `p:${source}`;
    const u = unitOf.get(source);
    if (!u) {
      if (!def && argNames.has(`n:${source}`)) return `n:${source}`;
      throw new Unsupported(`unknown source ${source}`);
    }
    if (u.type === 'layer') return `n:${u.ids[u.ids.length - 1]}`;
    if (u.def.outputs.length === 1) return `i:${u.inst.id}`;
    const k = port === undefined ? 0 : u.def.outputs.findIndex((o) => o.name === port);
    return `i:${u.inst.id}:${k}`;
  };
  const into = (id: string) =>
    sc.edges
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => e.target === id)
      .sort((a, b) => (a.e.targetSlot ?? 0) - (b.e.targetSlot ?? 0) || a.i - b.i)
      .map(({ e }) => e);

  // Layers off in every copy hand their input on.
  const alias = new Map<string, string>();
  const resolve = (v: string, seen = new Set<string>()): string => {
    const a = alias.get(v);
    if (a === undefined) return v;
    if (seen.has(v)) throw new Unsupported('bypass loop');
    seen.add(v);
    return resolve(a, seen);
  };
  units.forEach((u, k) => {
    if (u.type === 'layer' && presence(k) === 'never') {
      const feed = sc.edges.find((e) => e.target === u.ids[0]);
      if (!feed) throw new Unsupported('bypass of nothing');
      alias.set(`n:${u.ids[u.ids.length - 1]}`, valueOf(feed.source, feed.sourcePort));
    }
  });

  const nodes: ScheduleNode[] = [];
  const unitOfValue = new Map<string, number>();
  units.forEach((u, k) => {
    if (u.type === 'layer') {
      if (presence(k) === 'never') return;
      const id = `n:${u.ids[u.ids.length - 1]}`;
      nodes.push({ id, inputs: into(u.ids[0]).map((e) => valueOf(e.source, e.sourcePort)) });
      unitOfValue.set(id, k);
      return;
    }
    const feeds = u.def.inputs.map((p) => {
      const e = sc.edges.find((x) => x.target === u.inst.id && (x.targetPort ?? u.def.inputs[0]) === p);
      if (!e) throw new Unsupported(`unfed port ${p}`);
      return valueOf(e.source, e.sourcePort);
    });
    const id = u.def.outputs.length === 1 ? `i:${u.inst.id}` : `t:${u.inst.id}`;
    nodes.push({ id, inputs: feeds });
    unitOfValue.set(id, k);
    if (u.def.outputs.length > 1) u.def.outputs.forEach((_, j) => nodes.push({ id: `i:${u.inst.id}:${j}`, inputs: [id] }));
  });
  const resolved = nodes.map((n) => ({ id: n.id, inputs: n.inputs.map((v) => resolve(v)) }));
  // Port reads nobody needs would only keep a tuple alive.
  const read = new Set(resolved.flatMap((n) => n.inputs));

  let outputs: string[];
  if (def) outputs = def.outputs.map((o) => resolve(valueOf(o.source, o.sourcePort)));
  else {
    const valueOfFlat = new Map<string, string>();
    for (const n of sc.nodes) valueOfFlat.set(n.id, resolve(`n:${n.id}`));
    for (const u of units) {
      if (u.type !== 'instance') continue;
      const fi = byPath.get(u.inst.id);
      fi?.outputs.forEach((f, j) => f !== null && !valueOfFlat.has(f) && valueOfFlat.set(f, u.def.outputs.length === 1 ? `i:${u.inst.id}` : `i:${u.inst.id}:${j}`));
    }
    outputs = flat.outputs.map((f) => {
      const v = valueOfFlat.get(f);
      if (v === undefined) throw new Unsupported(`output ${f} inside a block`);
      return v;
    });
  }
  for (const o of outputs) read.add(o);
  const scheduled = resolved.filter((n) => !/^i:.*:\d+$/.test(n.id) || read.has(n.id));
  const localNames: string[] = [];
  const schedule = scheduleForward({
    nodes: scheduled,
    args: argNames,
    outputs,
    local: (i) => (localNames[i] ??= locals.claimExact(i === 0 ? (ports.includes('x') ? 'out' : 'x') : `x${i}`)),
  });

  const init: string[] = [];
  const forward: string[] = [];
  const flags = new Map<string, string>();
  const conditionOf = (u: LayerUnit, k: number): string | null => {
    if (presence(k) !== 'some') return null;
    const arg = args.find((a) => a.arg === u.when);
    if (!arg) throw new Unsupported('condition without argument');
    return arg.py;
  };
  for (const step of schedule.steps) {
    const k = unitOfValue.get(step.id);
    if (k === undefined) {
      // An instance's output port, read from its tuple.
      const j = Number(step.id.slice(step.id.lastIndexOf(':') + 1));
      forward.push(`${IND}${step.target} = ${step.inputs[0]}[${j}]`);
    } else {
      const u = units[k];
      const code = codes[k];
      const present = code.filter((c) => c !== null);
      const ctorCount = present[0]!.ctors.length;
      const ctor = (j: number) => {
        const texts = code.map((c) => (c === null ? null : c.ctors[j]));
        // A layer's bound arguments name its literals even where every copy has the same value, so the
        // class stays right for values no copy uses (a downsample's stride).
        const bound: [string, string][] = u.type === 'layer' ? u.nodes.flatMap((n) => Object.entries(n.bind ?? {})) : Object.entries(u.inst.bind ?? {});
        const probeNode = u.type === 'layer' ? u.nodes[u.ids.length > 1 ? j : 0] : null;
        const probeCopy = members[code.findIndex((c) => c !== null)];
        const positions = probeNode ? boundPositions(`${probeCopy.flatPrefix}${probeNode.id}`, probeNode, u.type === 'layer' && u.ids.length > 1 ? 0 : j, flat) : new Map<string, number[]>();
        const preferred = args.flatMap((a) => {
          const params = bound.filter(([, arg]) => arg === a.arg).map(([param]) => param);
          return params.length === 0 ? [] : [{ py: a.py, keywords: [a.py, ...params, ...params.map((p) => p.replace(/s$/, ''))], positions: positions.get(a.arg) ?? [] }];
        });
        return unifier ? unifier.unify(texts, u.type === 'layer' ? u.attr : `${u.attr}_${j}`, preferred) : present[0]!.ctors[j];
      };
      const shapes = new Set(present.map((c) => c!.shape));
      const shape = shapes.size === 1 ? present[0]!.shape : '';
      if (u.type === 'instance') {
        const made = Array.from({ length: ctorCount }, (_, j) => ctor(j));
        if (u.inst.repeat === undefined) init.push(`${IND}self.${u.attr} = ${made[0]}`);
        else init.push(`${IND}self.${u.attr} = nn.Sequential(`, ...made.map((m) => `${IND}    ${m},`), `${IND})`);
        forward.push(`${IND}${step.target} = self.${u.attr}(${step.inputs.join(', ')})`);
      } else {
        const cond = conditionOf(u, k);
        const node = u.nodes[0];
        if (plainText(node.notes)) init.push(...pyCommentLines(plainText(node.notes), IND));
        const mapping = flat.mappings.get(`${members[codes[k].findIndex((c) => c !== null)].flatPrefix}${u.ids[0]}`)!;
        const helpers = scope.helpers.get(u.ids[0]) ?? new Map<string, string>();
        const suffixes = u.ids.length > 1 ? [undefined] : mapping.modules.map((m) => m.suffix);
        const made = Array.from({ length: ctorCount }, (_, j) => ctor(j));
        const tail = cond ? ` if ${cond} else None` : '';
        if (u.ids.length > 1) {
          init.push(`${IND}self.${u.attr} = nn.Sequential(`, ...made.map((m) => `${IND}    ${m},`), `${IND})${tail}`);
        } else {
          suffixes.forEach((s, j) => init.push(`${IND}self.${s ? helpers.get(s)! : u.attr} = ${made[j]}${tail}`));
        }
        let flag: string | null = null;
        if (cond && ctorCount === 0) {
          flag = flags.get(cond) ?? scope.namer.claimExact(`use_${cond}`);
          if (!flags.has(cond)) init.push(`${IND}self.${flag} = ${cond}`);
          flags.set(cond, flag);
        }
        if (mapping.note) forward.push(`${IND}# ${pyComment(mapping.note)}`);
        const template = u.ids.length > 1 ? '{m}({x})' : mapping.forward;
        const expr = fillTorchTemplate(template, node.kind, u.attr, helpers, step.inputs);
        const label = /\{m[}.]/.test(template) ? '' : `${u.attr}: `;
        const comment = shape ? `  # ${label}${shape}` : label ? `  # ${label.slice(0, -2)}` : '';
        if (cond) {
          const test = flag ? `self.${flag}` : `self.${u.attr} is not None`;
          // Off, a layer hands on its first wire's input (blocks.ts: the first edge into it, not slot 0).
          const first = sc.edges.find((e) => e.target === u.ids[0])!;
          const bypass = step.inputs[into(u.ids[0]).indexOf(first)];
          forward.push(`${IND}${step.target} = ${expr} if ${test} else ${bypass}${comment}`);
        } else forward.push(`${IND}${step.target} = ${expr}${comment}`);
      }
    }
    if (step.release.length > 0) forward.push(`${IND}del ${step.release.join(', ')}`);
  }
  forward.push(`${IND}return ${schedule.returns.join(', ')}`);
  return { init, forward, ports };
}

/**
 * The literal positions of a module's constructor that each bound argument sets, found by asking the
 * layer's own mapping again with that parameter moved (a positional `out_channels` has no keyword to go
 * by). Only a probe that keeps the line's shape counts; the unifier still checks every copy's value.
 */
function boundPositions(flatId: string, node: DesignNode, module: number, flat: FlatTorch): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const info = flat.inference.nodes.get(flatId);
  const base = flat.mappings.get(flatId)?.modules[module]?.ctor;
  if (!info || base === undefined) return out;
  for (const [param, arg] of Object.entries(node.bind ?? {})) {
    const v = info.params[param];
    const moved = typeof v === 'number' ? v + 7 : Array.isArray(v) && v.every((x) => typeof x === 'number') ? v.map((x) => (x as number) + 7) : undefined;
    if (moved === undefined) continue;
    let probe: string | undefined;
    try {
      probe = layerSpec(node.kind).torch({ ...mappingContext(info), params: { ...info.params, [param]: moved } }).modules[module]?.ctor;
    } catch {
      continue;
    }
    if (probe === undefined) continue;
    const a = splitLiterals(base);
    const b = splitLiterals(probe);
    if (a.parts.join('\u00a7') !== b.parts.join('\u00a7')) continue;
    const at = a.values.flatMap((x, i) => (x !== b.values[i] ? [i] : []));
    out.set(arg, [...(out.get(arg) ?? []), ...at]);
  }
  return out;
}
