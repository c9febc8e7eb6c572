/**
 * A Keras model → a NetCanvas design (and, from a `.keras` file, its weights): the Keras export run
 * backwards. Reads Keras 3's `model.to_json()` (and NetCanvas's own model_config.json, which is that),
 * tf.keras 2's layout (inbound_nodes as [name, 0, 0, {}], batch_input_shape), Functional and Sequential.
 * Pure TypeScript on the document model: the app, the CLI and the tests run the same code.
 *
 * How a layer becomes a node. There is no second table of Keras classes here: the layer files say how
 * each kind becomes Keras (`keras()`), and this reader inverts them by trial. Keras layers are grouped
 * into a node's chain the way the export names them (helpers `<node>_<suffix>` read only by their
 * node, e.g. `conv1_pad` ZeroPadding2D before the Conv2D `conv1`); for each group, every kind whose
 * layer file can end in the group's last class is a candidate, its parameters read from the Keras
 * config by parameter name (the layer files use Keras's argument names), the rest tried over their
 * choices; a candidate is accepted only when its layer file, rendered on the inferred input shapes,
 * writes exactly the group's layers, names, wiring and arguments. A group no candidate writes is
 * imported as its layers one by one, and a layer no kind writes is refused with its class and name.
 *
 * Arguments the design does not hold are checked rather than ignored: channels_first, custom classes
 * (a registered_name of their own) and layers called twice are refused; regularisers and constraints
 * (they change training only) are dropped with a warning. Nothing is half-imported.
 */
import { unzipSync } from 'fflate';
import {
  designErrors,
  FORMAT_VERSION,
  inferShapes,
  keras2Spelling,
  LAYER_KINDS,
  layerSpec,
  resolveParams,
  type Design,
  type DesignEdge,
  type DesignNode,
  type Issue,
  type IssueCode,
  type IssueValues,
  type KerasLayer,
  type LayerKind,
  type ParamValue,
  type Shape,
} from '../graph/index.ts';
import { layoutDesign } from '../graph/layout.ts';
import { sameInEveryLanguage } from '../graph/texts.ts';
import type { DesignWeights, WeightTensor } from '../graph/weights.ts';
import { fail, ImportFailure, MAX_IMPORT_MB, refuse, type ImportRefusal } from './result.ts';

export { MAX_IMPORT_MB };

type Json = Record<string, unknown>;

export interface KerasImport {
  readonly ok: true;
  readonly design: Design;
  /** Empty for a JSON config; a `.keras` file's variables, as declared weights, otherwise. */
  readonly weights: DesignWeights;
  readonly summary: { readonly format: string; readonly kerasVersion: string; readonly layers: number; readonly nodes: number };
  /** What was read but dropped (regularisers, constraints): warnings, each naming the layer. */
  readonly warnings: readonly Issue[];
}
export type KerasImportResult = KerasImport | ImportRefusal;


/** One Keras layer as read: its class, name, config in the layer files' spelling, and the layers it reads. */
interface KLayer {
  readonly className: string;
  readonly name: string;
  readonly config: Json;
  readonly inputs: readonly string[];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a parsed JSON is a Keras model config (rather than a NetCanvas design or something else). */
export function looksLikeKerasConfig(json: unknown): boolean {
  if (!isObject(json)) return false;
  const model = isObject(json.model_config) ? json.model_config : json;
  return typeof model.class_name === 'string' && isObject(model.config) && (typeof model.module === 'string' || Array.isArray((model.config as Json).layers));
}

/** The layer names a layer call reads: Keras 3's call arguments (tensors with keras_history) or tf.keras 2's [name, 0, 0, {}]. */
function inboundNames(layer: Json, name: string): string[] {
  const nodes = layer.inbound_nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  if (nodes.length > 1) fail('import-keras-shared', { layer: name, calls: nodes.length });
  const node = nodes[0];
  const names: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      // tf.keras 2: [name, node index, tensor index, kwargs]
      if (typeof v[0] === 'string' && typeof v[1] === 'number') names.push(v[0]);
      else v.forEach(walk);
    } else if (isObject(v)) {
      const history = isObject(v.config) ? v.config.keras_history : undefined;
      if (v.class_name === '__keras_tensor__' && Array.isArray(history)) names.push(String(history[0]));
    }
  };
  walk(isObject(node) ? node.args : node);
  return names;
}

/** Regularisers and constraints: read, and dropped with a warning (they change training, not the model). */
const DROPPED = /_(regularizer|constraint)$/;

function readLayers(model: Json, warnings: Issue[]): KLayer[] {
  const config = model.config as Json;
  const raw = Array.isArray(config.layers) ? (config.layers as unknown[]) : [];
  const sequential = model.class_name === 'Sequential';
  const layers: KLayer[] = [];
  for (const item of raw) {
    if (!isObject(item) || typeof item.class_name !== 'string' || !isObject(item.config)) fail('import-keras-not-model', { file: 'config' });
    const className = item.class_name;
    const name = String(item.name ?? item.config.name ?? `${className.toLowerCase()}_${layers.length}`);
    if (typeof item.registered_name === 'string' && item.registered_name !== className) {
      fail('import-keras-custom', { layer: name, class: className, registered: item.registered_name });
    }
    if (typeof item.module === 'string' && !item.module.startsWith('keras')) fail('import-keras-custom', { layer: name, class: className, registered: item.module });
    if (item.config.data_format !== undefined && item.config.data_format !== null && item.config.data_format !== 'channels_last') {
      fail('import-keras-channels-first', { layer: name, class: className, format: String(item.config.data_format) });
    }
    const cfg: Json = {};
    for (const [k, v] of Object.entries(item.config)) {
      if (DROPPED.test(k) && v !== null && v !== undefined) {
        warnings.push({ severity: 'warning', code: 'import-keras-dropped', values: { layer: name, argument: k } });
        continue;
      }
      cfg[k] = v;
    }
    let inputs: string[];
    if (sequential) {
      // A Sequential's first layer may carry the input shape itself (tf.keras 2's batch_input_shape).
      const shape = cfg.batch_input_shape ?? cfg.batch_shape;
      if (layers.length === 0 && className !== 'InputLayer' && Array.isArray(shape)) {
        layers.push({ className: 'InputLayer', name: `${name}_input`, config: { batch_input_shape: shape }, inputs: [] });
      }
      inputs = className === 'InputLayer' ? [] : layers.length > 0 ? [layers[layers.length - 1].name] : [];
      if (className !== 'InputLayer' && inputs.length === 0) fail('import-keras-input', { layer: name, shape: 'none' });
    } else {
      inputs = inboundNames(item, name);
    }
    layers.push({ className, name, config: keras2Spelling(className, cfg), inputs });
  }
  if (layers.length === 0) fail('import-keras-not-model', { file: 'config' });
  const names = new Set(layers.map((l) => l.name));
  for (const l of layers) for (const src of l.inputs) if (!names.has(src)) fail('import-keras-wiring', { layer: l.name, source: src });
  return layers;
}

// ——— which kinds can write which class: read off the layer files by rendering them ———

/** Every choice/bool parameter's values, one at a time over the defaults: the classes a kind can end in. */
function kindsByClass(): Map<string, LayerKind[]> {
  const byClass = new Map<string, LayerKind[]>();
  const probe: Shape = [12, 12, 4];
  for (const kind of LAYER_KINDS) {
    const spec = layerSpec(kind);
    const defaults = resolveParams(kind, kind, kind, spec.params, {}).values;
    const variants: Record<string, ParamValue>[] = [defaults];
    for (const [name, def] of Object.entries(spec.params)) {
      if (def.type === 'choice') for (const o of def.options) variants.push({ ...defaults, [name]: o });
      if (def.type === 'bool') variants.push({ ...defaults, [name]: !defaults[name] });
    }
    for (const params of variants) {
      const inputs = Array.from({ length: Math.max(spec.inputs.min, 1) }, () => probe);
      let chain: readonly KerasLayer[];
      try {
        const out = spec.outputShape({ name: kind, nodeId: kind, params, inputs });
        if (!out.shape) continue;
        chain = spec.keras({ name: kind, nodeId: kind, params, inputs, output: out.shape });
      } catch {
        continue;
      }
      const cls = chain.at(-1)!.className;
      const list = byClass.get(cls) ?? [];
      if (!list.includes(kind)) list.push(kind);
      byClass.set(cls, list);
    }
  }
  return byClass;
}
let classIndex: Map<string, LayerKind[]> | undefined;

const equalJson = (a: unknown, b: unknown): boolean => {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.fround(a) === Math.fround(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => equalJson(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => equalJson(a[k], b[k]));
  }
  return a === b;
};

/** A Keras value as a parameter of this definition: nested pairs flattened, an int for a pair repeated. */
function paramValue(def: { type: string; minLength?: number }, v: unknown): unknown {
  if (def.type === 'ints') {
    if (typeof v === 'number') return Array.from({ length: def.minLength ?? 2 }, () => v);
    if (Array.isArray(v)) return v.flat(2);
  }
  return v;
}

/** Candidate parameter sets: read by name from the node's own layer, free choices and pads tried in turn. */
function* candidates(kind: LayerKind, own: KLayer, group: readonly KLayer[]): Generator<Record<string, unknown>> {
  const spec = layerSpec(kind);
  const base: Record<string, unknown> = {};
  const free: [string, unknown[]][] = [];
  for (const [name, def] of Object.entries(spec.params)) {
    if (kind === 'Input' && name === 'shape') {
      const shape = own.config.batch_input_shape ?? own.config.batch_shape ?? own.config.shape;
      base.shape = Array.isArray(shape) ? (own.config.shape !== undefined && own.config.batch_input_shape === undefined && own.config.batch_shape === undefined ? shape : shape.slice(1)) : shape;
      continue;
    }
    // The node's own layer first, then its helpers from the last (a pool's arguments sit on its 'pool' helper).
    const from = [own, ...group.filter((l) => l !== own).reverse()].find((l) => Object.hasOwn(l.config, name));
    const value = from?.config[name];
    if (from && !(def.type === 'choice' && !def.options.includes(value as string))) {
      base[name] = paramValue(def as { type: string; minLength?: number }, value);
      if (def.type === 'choice' && group.length > 1) free.push([name, [base[name], ...def.options.filter((o) => o !== base[name])]]);
      continue;
    }
    if (def.type === 'choice') free.push([name, [def.default, ...def.options.filter((o) => o !== def.default)]]);
    else if (def.type === 'bool') free.push([name, [def.default, !def.default]]);
    else if (def.type === 'ints' && name === 'pads' && group.length > 1) free.push([name, padCandidates(own, group)]);
  }
  const pick = (i: number, acc: Record<string, unknown>): Generator<Record<string, unknown>> =>
    (function* () {
      if (i === free.length) {
        yield acc;
        return;
      }
      for (const v of free[i][1]) yield* pick(i + 1, { ...acc, [free[i][0]]: v });
    })();
  yield* pick(0, base);
}

/** Pads a chain may stand for: its ZeroPadding2D's, then (pools) every [t, b, l, r] below the window. */
function padCandidates(own: KLayer, group: readonly KLayer[]): number[][] {
  const out: number[][] = [];
  for (const l of group) if (l.className === 'ZeroPadding2D' && Array.isArray(l.config.padding)) out.push((l.config.padding as number[][]).flat());
  // A max pool's pads are copies of its edge rows and columns (layers/shared/pooling.ts): count them.
  const named = new Map(group.map((l) => [l.name, l] as const));
  const copies = (side: string) => {
    if (!named.has(`${own.name}_edge_${side}`)) return 0;
    const up = named.get(`${own.name}_copies_${side}`);
    return up && Array.isArray(up.config.size) ? Math.max(...(up.config.size as number[])) : 1;
  };
  out.push(['top', 'bottom', 'left', 'right'].map(copies));
  // A convolution's pads are its ZeroPadding2D's; a pool's chain shows only the pads its windows reach.
  const window = [own, ...group].find((l) => Array.isArray(l.config.pool_size))?.config.pool_size as number[] | undefined;
  if (Array.isArray(window)) {
    // Even pads first: pads no window reaches write the same chain, and a drawn design mostly has even ones.
    const [mh, mw] = [window[0] - 1, window[1] - 1];
    for (let t = 0; t <= mh; t++) for (let l = 0; l <= mw; l++) out.push([t, t, l, l]);
    for (let t = 0; t <= mh; t++) for (let b = 0; b <= mh; b++) for (let l = 0; l <= mw; l++) for (let r = 0; r <= mw; r++) if (t !== b || l !== r) out.push([t, b, l, r]);
  }
  return out;
}

/** Arguments that change nothing the design holds: a config may leave them out (Keras then uses float32, dense). */
const IGNORED = new Set(['dtype', 'sparse']);

const sameAxis = (axis: unknown, input: Shape | undefined) =>
  input !== undefined && ((Array.isArray(axis) && axis.length === 1 && axis[0] === input.length) || axis === input.length);

interface Placed {
  readonly kind: LayerKind;
  readonly params: Record<string, ParamValue>;
  readonly shape: Shape;
  readonly own: KLayer;
  readonly sources: readonly string[];
}

/**
 * Whether a kind with these parameters, on these inputs, writes exactly this group: the same classes,
 * names (`<node>_<suffix>` for helpers), wiring and every argument its layer file writes (arguments
 * Keras writes beyond those must hold their defaults, which the layer file's choice of them implies).
 */
function tryKind(kind: LayerKind, raw: Record<string, unknown>, own: KLayer, group: readonly KLayer[], sources: readonly string[], inputs: readonly Shape[]): Placed | null {
  const spec = layerSpec(kind);
  if (inputs.length < spec.inputs.min || inputs.length > spec.inputs.max) return null;
  const { values, issues } = resolveParams(own.name, own.name, kind, spec.params, raw as Record<string, ParamValue>);
  if (issues.some((i) => i.severity === 'error')) return null;
  let chain: readonly KerasLayer[];
  let shape: Shape | null;
  try {
    const out = spec.outputShape({ name: own.name, nodeId: own.name, params: values, inputs });
    shape = out.shape;
    if (!shape || (out.issues ?? []).some((i) => i.severity === 'error')) return null;
    chain = spec.keras({ name: own.name, nodeId: own.name, params: values, inputs, output: shape });
  } catch {
    return null;
  }
  if (chain.length !== group.length) return null;
  // The export names a helper `<node>_<suffix>`, or `<node>_<suffix>_<n>` when a node already has that name.
  const names = chain.map((l, i) => {
    if (i === chain.length - 1) return own.name;
    const base = `${own.name}_${l.suffix ?? `part${i}`}`;
    return group.find((g) => g.name === base)?.name ?? group.find((g) => g.name.startsWith(`${base}_`) && /^\d+$/.test(g.name.slice(base.length + 1)))?.name ?? base;
  });
  const byName = new Map(group.map((l) => [l.name, l] as const));
  let prev: readonly string[] = sources;
  for (let i = 0; i < chain.length; i++) {
    const layer = byName.get(names[i]);
    const want = chain[i];
    if (!layer || layer.className !== want.className) return null;
    const reads = want.reads ? want.reads.flatMap((r) => (r < 0 ? sources : [names[r]])) : prev;
    if (!equalJson(layer.inputs, reads)) return null;
    for (const [k, v] of Object.entries(want.config)) {
      if (IGNORED.has(k) && layer.config[k] === undefined) continue;
      // Keras 3 writes a normalisation's last axis as [rank] (batch counted): axis 3 of an image is -1.
      const got = k === 'axis' && v === -1 && i === 0 && sameAxis(layer.config[k], inputs[0]) ? -1 : layer.config[k];
      if (!equalJson(got, v)) return null;
    }
    prev = [names[i]];
  }
  return { kind, params: values, shape, own, sources };
}

/** `<node>_<suffix>` with a word for suffix (pad, pool, edge_top…): `conv_2` is another node, not a helper. */
const isHelperName = (name: string, node: string) => name.length > node.length + 1 && name.startsWith(`${node}_`) && /[A-Za-z]/.test(name[node.length + 1]);

/** A node's helpers: layers named `<own>_…` before it, read only by the group (so the group has one output). */
function groupOf(own: KLayer, index: number, layers: readonly KLayer[], readers: ReadonlyMap<string, readonly string[]>, outputs: ReadonlySet<string>, taken: ReadonlySet<string>): KLayer[] {
  const group = new Set([own.name]);
  let grew = true;
  while (grew) {
    grew = false;
    for (let i = index - 1; i >= 0; i--) {
      const l = layers[i];
      if (group.has(l.name) || taken.has(l.name) || !isHelperName(l.name, own.name) || outputs.has(l.name)) continue;
      const r = readers.get(l.name) ?? [];
      if (r.length > 0 && r.every((x) => group.has(x))) {
        group.add(l.name);
        grew = true;
      }
    }
  }
  return layers.filter((l) => group.has(l.name));
}

function place(group: readonly KLayer[], own: KLayer, shapes: ReadonlyMap<string, Shape>, nodeOf: ReadonlyMap<string, string>): Placed | null {
  const inGroup = new Set(group.map((l) => l.name));
  const sources: string[] = [];
  for (const l of group) for (const s of l.inputs) if (!inGroup.has(s) && !sources.includes(s)) sources.push(s);
  // A merge reads its sources in its own call's order.
  const ordered = group.length === 1 ? own.inputs : sources;
  if (ordered.some((s) => !nodeOf.has(s))) return null;
  const inputs = ordered.map((s) => shapes.get(nodeOf.get(s)!)!);
  classIndex ??= kindsByClass();
  // The node's own class first, then any its helpers show (an exact pool's chain may end in a Concatenate).
  const kinds = [...new Set([own, ...group].flatMap((l) => classIndex!.get(l.className) ?? []))];
  for (const kind of kinds) {
    let tries = 0;
    for (const raw of candidates(kind, own, group)) {
      const placed = tryKind(kind, raw, own, group, ordered, inputs);
      if (placed) return placed;
      if (++tries > 20_000) break;
    }
  }
  return null;
}

/** Why a lone layer no kind writes is refused: an unknown class, or the argument its nearest kind differs in. */
function refuseLayer(layer: KLayer): never {
  classIndex ??= kindsByClass();
  const kinds = classIndex.get(layer.className);
  if (!kinds) fail('import-keras-class', { layer: layer.name, class: layer.className });
  const spec = layerSpec(kinds[0]);
  const chain = (() => {
    try {
      const values = resolveParams(layer.name, layer.name, kinds[0], spec.params, {}).values;
      return spec.keras({ name: layer.name, nodeId: layer.name, params: values, inputs: [[12, 12, 4]], output: [12, 12, 4] }).at(-1)!;
    } catch {
      return undefined;
    }
  })();
  const key = Object.keys(chain?.config ?? {}).find((k) => !Object.hasOwn(layer.config, k)) ?? Object.keys(layer.config).find((k) => k !== 'name' && k !== 'trainable' && k !== 'dtype') ?? 'config';
  fail('import-keras-config', { layer: layer.name, class: layer.className, argument: key, value: JSON.stringify(layer.config[key] ?? null) });
}

interface Built {
  design: Design;
  nodeLayer: Map<string, KLayer>;
  layersRead: number;
}

function buildDesign(model: Json, layers: readonly KLayer[], format: string): Built {
  const readers = new Map<string, string[]>();
  for (const l of layers) for (const s of l.inputs) readers.set(s, [...(readers.get(s) ?? []), l.name]);
  const config = model.config as Json;
  const outRefs = config.output_layers;
  const outputs = new Set<string>(
    Array.isArray(outRefs) ? (typeof outRefs[0] === 'string' ? [outRefs[0] as string] : (outRefs as unknown[][]).map((r) => String(r[0]))) : [layers[layers.length - 1].name],
  );
  const taken = new Set<string>();
  const shapes = new Map<string, Shape>();
  const nodeOf = new Map<string, string>();
  const placed: Placed[] = [];
  const nodeLayer = new Map<string, KLayer>();
  // Groups first, from the last layer back: a node claims its helpers before they could stand alone.
  const groups = new Map<string, KLayer[]>();
  const claimed = new Set<string>();
  for (let index = layers.length - 1; index >= 0; index--) {
    const l = layers[index];
    if (claimed.has(l.name)) continue;
    const group = groupOf(l, index, layers, readers, outputs, claimed);
    for (const m of group) claimed.add(m.name);
    groups.set(l.name, group);
  }
  for (const l of layers) {
    const group = groups.get(l.name);
    if (!group) continue;
    let p = place(group, l, shapes, nodeOf);
    let members = group;
    if (!p && group.length > 1) {
      // Not a chain any layer file writes: its layers one by one, in file order.
      for (const h of group.slice(0, -1)) {
        const hp = place([h], h, shapes, nodeOf);
        if (!hp) refuseLayer(h);
        record(hp, [h]);
      }
      members = [l];
      p = place([l], l, shapes, nodeOf);
    }
    if (!p) refuseLayer(l);
    record(p, members);
  }

  function record(p: Placed, members: readonly KLayer[]): void {
    placed.push(p);
    for (const m of members) {
      taken.add(m.name);
      nodeOf.set(m.name, p.own.name);
    }
    shapes.set(p.own.name, p.shape);
    nodeLayer.set(p.own.name, p.own);
  }

  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const p of placed) {
    let id = p.own.name.trim() || p.kind.toLowerCase();
    for (let k = 2; used.has(id); k++) id = `${p.own.name}_${k}`;
    used.add(id);
    ids.set(p.own.name, id);
  }
  const nodes: DesignNode[] = placed.map((p) => {
    const defaults = resolveParams(p.kind, p.kind, p.kind, layerSpec(p.kind).params, {}).values;
    // Only what differs from the defaults: the file reads as one drawn by hand.
    const params = Object.fromEntries(Object.entries(p.params).filter(([k, v]) => !equalJson(v, defaults[k])));
    return { id: ids.get(p.own.name)!, kind: p.kind, params, position: { x: 0, y: 0 } };
  });
  const edges: DesignEdge[] = [];
  for (const p of placed) {
    const target = ids.get(p.own.name)!;
    const multi = p.sources.length > 1;
    p.sources.forEach((s, slot) => {
      const source = ids.get(nodeOf.get(s)!)!;
      edges.push({ id: `${source}->${target}${multi ? `#${slot}` : ''}`, source, target, ...(multi ? { targetSlot: slot } : {}) });
    });
  }
  const positions = layoutDesign({ nodes, edges });
  const name = typeof config.name === 'string' && config.name ? config.name : 'Imported Keras model';
  const design: Design = {
    format: 'netcanvas',
    version: FORMAT_VERSION,
    name,
    description: sameInEveryLanguage(`Keras · ${format}`),
    nodes: nodes.map((n) => ({ ...n, position: positions.get(n.id)! })),
    edges,
  };
  return { design, nodeLayer: new Map([...nodeLayer].map(([k, v]) => [ids.get(k)!, v])), layersRead: layers.length };
}

/** The model config inside a parsed JSON: the config itself, or a wrapper's `model_config`. */
function modelOf(json: Json): Json {
  return isObject(json.model_config) ? json.model_config : json;
}

/** Keras's own naming.to_snake_case: Conv2DTranspose → conv2d_transpose, DepthwiseConv2D → depthwise_conv2d. */
export function kerasSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Where Keras 3 saves each layer's variables in model.weights.h5: not under the layer's name but under
 * its class in snake case, numbered in the model's layer order (`conv2d`, `conv2d_1`…; saving_lib's
 * container walk), so a file's layer names never collide with its own structure.
 */
function weightPaths(layers: readonly KLayer[]): Map<string, string> {
  const used = new Map<string, number>();
  return new Map(
    layers.map((l) => {
      const base = kerasSnakeCase(l.className);
      const n = used.has(base) ? used.get(base)! + 1 : 0;
      used.set(base, n);
      return [l.name, n === 0 ? `layers/${base}` : `layers/${base}_${n}`] as const;
    }),
  );
}

function importParsed(
  json: unknown,
  file: string,
  weightsFile?: (design: Design, nodeLayer: Map<string, KLayer>, layers: readonly KLayer[]) => DesignWeights,
): KerasImportResult {
  if (!looksLikeKerasConfig(json)) return refuse('import-keras-not-model', { file });
  const model = modelOf(json as Json);
  const cls = String(model.class_name);
  if (cls !== 'Functional' && cls !== 'Sequential' && cls !== 'Model') return refuse('import-keras-class', { layer: String((model.config as Json).name ?? file), class: cls });
  try {
    const warnings: Issue[] = [];
    const layers = readLayers(model, warnings);
    const version = String((json as Json).keras_version ?? model.keras_version ?? (typeof model.module === 'string' ? '3' : '?'));
    const { design, nodeLayer, layersRead } = buildDesign(model, layers, `${cls} · ${version}`);
    const inference = inferShapes(design);
    const errors = designErrors(design, inference);
    if (errors.length > 0) return refuse('import-shape', { node: errors[0].nodeId ?? design.name, op: 'Keras', detail: `${errors[0].code} ${JSON.stringify(errors[0].values)}` });
    const weights = weightsFile ? weightsFile(design, nodeLayer, layers) : new Map();
    return { ok: true, design, weights, warnings, summary: { format: cls, kerasVersion: version, layers: layersRead, nodes: design.nodes.length } };
  } catch (e) {
    if (e instanceof ImportFailure) return { ok: false, issue: e.issue };
    return refuse('import-keras-unreadable', { file, at: e instanceof Error ? e.message : String(e) });
  }
}

/** A Keras JSON config (`model.to_json()`, model_config.json) as text. Never throws. */
export function importKerasConfig(text: string, file = 'The file'): KerasImportResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return refuse('import-keras-unreadable', { file, at: e instanceof Error ? e.message : String(e) });
  }
  return importParsed(json, file);
}

/** Whether bytes are a zip archive (a `.keras` file is one). */
export const isZip = (bytes: Uint8Array) => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/**
 * A `.keras` file: config.json read as above, model.weights.h5's variables (`layers/<layer>/vars/<i>`, in
 * the order of `layer.weights`) as each node's declared weights, in order, shapes checked. `size`: the
 * file's size when its bytes were not read (too large to). Never throws.
 */
export async function importKerasFile(bytes: Uint8Array, file = 'The file', size = bytes.length): Promise<KerasImportResult> {
  if (size > MAX_IMPORT_MB * 2 ** 20) return refuse('import-too-large', { file, size: Math.round(size / 2 ** 20), max: MAX_IMPORT_MB });
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    return refuse('import-keras-zip', { file, what: e instanceof Error ? e.message : String(e) });
  }
  const config = entries['config.json'];
  if (!config) return refuse('import-keras-zip', { file, what: 'config.json is missing' });
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(config));
  } catch (e) {
    return refuse('import-keras-unreadable', { file: `${file} › config.json`, at: e instanceof Error ? e.message : String(e) });
  }
  const h5 = entries['model.weights.h5'];
  if (!h5) return refuse('import-keras-weights', { file, at: 'model.weights.h5 is missing' });
  const { readKerasWeights } = await import('./keras-weights.ts');
  return importParsed(json, file, (design, nodeLayer, layers) => readKerasWeights(h5, design, nodeLayer, weightPaths(layers), `${file} › model.weights.h5`, fail));
}

export type { KLayer as KerasImportLayer };
export type { WeightTensor };
