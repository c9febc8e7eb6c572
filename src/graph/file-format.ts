/**
 * The NetCanvas file format: `{"format": "netcanvas", "version": 1, name, nodes, edges, …}`.
 * `parseDesign` validates anything (text or a parsed value) with zod plus the graph rules, migrates
 * older versions, and returns either a normalised design or the list of what is wrong. It never throws,
 * so the caller can keep the design that is open when a file is bad.
 */
import { z } from 'zod';
import { isLayerKind, layerSpec } from './layers/index.ts';
import type { Issue } from './messages.ts';
import { describeValue, resolveParams } from './params.ts';
import { cycleIssue, findCycles } from './topology.ts';
import { FORMAT_VERSION, type BlockDefinition, type BlockInstance, type Design, type DesignEdge, type DesignNode, type LayerKind, type Lesson } from './types.ts';
import { inferShapes } from './infer.ts';
import { checkBlocks, flattenBlocks, MAX_REPEAT } from './blocks.ts';
import { lessonIssues } from './lesson-check.ts';
import { lockFileIssues } from './locks.ts';
import { LANGUAGE_CODE, textsFromPlain } from './texts.ts';
import { decodeTensor, serializeWeights, type DesignWeights, type WeightTensor } from './weights.ts';

export { FORMAT_VERSION };
export const MAX_NODES = 20_000;
export const MAX_EDGES = 60_000;
/**
 * A design nests about six levels (design → weights → tensors → node → tensor → shape). The limit sits far
 * above that and far below what recursive code (JSON.stringify, zod) survives: 8,000 levels overflow the stack.
 */
export const MAX_DEPTH = 64;

/**
 * Upgraders from version N to N+1, applied in a chain (a version-1 file runs 1→2, then any later ones).
 * 1→2: version 2 only added optional fields (blocks, instances, edge ports), so a version-1 document is
 * already a version-2 one; the step exists so the chain has no gap and the version is rewritten.
 */
export const MIGRATIONS: Readonly<Record<number, (doc: Record<string, unknown>) => Record<string, unknown>>> = {
  1: (doc) => doc,
  2: textsPerLanguage,
  // 3→4 only added the optional `locks`: a version-3 document is a version-4 one without them.
  3: (doc) => doc,
  4: notesPerLanguage,
};

/** A plain text as texts per language, as 2→3 did it; a blank one is dropped; anything else is left for the schema. */
function plainToTexts<T extends Record<string, unknown>>(holder: T): T {
  const value = holder.notes;
  if (typeof value !== 'string') return holder;
  const { notes: _, ...rest } = holder;
  return (value.trim() === '' ? rest : { ...rest, notes: textsFromPlain(value) }) as T;
}

const eachObject = (value: unknown, f: (o: Record<string, unknown>) => Record<string, unknown>): unknown =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? f(v as Record<string, unknown>) : v)) : value;

/**
 * 4→5: the notes of layers, block instances and block definitions (and of the layers and instances inside
 * definitions) become texts per language, each plain string in the language it is written in, as 2→3 did
 * for the design's own texts.
 */
function notesPerLanguage(doc: Record<string, unknown>): Record<string, unknown> {
  const inside = (holder: Record<string, unknown>) => ({
    ...holder,
    ...(holder.nodes !== undefined ? { nodes: eachObject(holder.nodes, plainToTexts) } : {}),
    ...(holder.instances !== undefined ? { instances: eachObject(holder.instances, plainToTexts) } : {}),
  });
  const next = inside(doc);
  return doc.blocks === undefined ? next : { ...next, blocks: eachObject(doc.blocks, (b) => inside(plainToTexts(b))) };
}

/**
 * 2→3: the description and notes become texts per language. A plain string becomes the text of the
 * language it is written in (texts.ts guesses English or Spanish; files before version 3 were written in
 * English). Anything else is left for the schema to refuse with its path, so nothing is lost silently.
 */
function textsPerLanguage(doc: Record<string, unknown>): Record<string, unknown> {
  const next = { ...doc };
  for (const key of ['description', 'notes'] as const) {
    const value = doc[key];
    if (typeof value !== 'string') continue;
    if (value.trim() === '') delete next[key];
    else next[key] = textsFromPlain(value);
  }
  return next;
}

const text = (max: number) => z.string().max(max);
/** Texts per language: at most 20 languages, each keyed by its code (`en`, `es`, `pt-BR`). */
const texts = (max: number) =>
  z
    .record(z.string().regex(LANGUAGE_CODE, 'Invalid language code: expected one like "en", "es" or "pt-BR"'), z.string().max(max))
    .refine((r) => Object.keys(r).length <= 20, { message: 'Too many languages: at most 20' });
/**
 * A plain object passed through as it is: z.record copies keys and silently drops `__proto__`, which would
 * hide an unknown parameter of that name from `resolveParams`' check.
 */
const plainObject = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  { message: 'Invalid input: expected an object' },
);
const nodeSchema = z.object({
  id: z.string().min(1).max(200),
  kind: z.string().min(1).max(100),
  params: plainObject.default({}),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }).default({ x: 0, y: 0 }),
  label: text(200).optional(),
  notes: texts(20_000).optional(),
  bind: z.record(z.string().min(1).max(100), z.string().min(1).max(100)).optional(),
  when: z.string().min(1).max(100).optional(),
});
const portName = z.string().min(1).max(100);
const edgeSchema = z.object({
  id: z.string().min(1).max(400).optional(),
  source: z.string().min(1).max(200),
  target: z.string().min(1).max(200),
  targetSlot: z.number().int().min(0).max(1000).optional(),
  sourcePort: portName.optional(),
  targetPort: portName.optional(),
});
const argValue = z.union([z.number().finite(), z.string().max(200), z.boolean(), z.array(z.number().finite()).max(8)]);
const argValues = z.record(z.string().min(1).max(100), argValue);
const instanceSchema = z.object({
  id: z.string().min(1).max(200),
  block: z.string().min(1).max(200),
  args: argValues.optional(),
  repeat: z.number().int().min(1).max(MAX_REPEAT).optional(),
  overrides: z.record(z.string().max(10), argValues).optional(),
  bind: z.record(z.string().min(1).max(100), z.string().min(1).max(100)).optional(),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }).default({ x: 0, y: 0 }),
  label: text(200).optional(),
  notes: texts(20_000).optional(),
});
const blockSchema = z.object({
  id: z.string().min(1).max(200),
  label: text(200).optional(),
  notes: texts(20_000).optional(),
  inputs: z.array(portName).max(100),
  outputs: z.array(z.object({ name: portName, source: z.string().min(1).max(200), sourcePort: portName.optional() })).min(1).max(100),
  args: z.array(z.object({ name: z.string().min(1).max(100), default: argValue })).max(100).optional(),
  nodes: z.array(nodeSchema).max(MAX_NODES),
  instances: z.array(instanceSchema).max(MAX_NODES).optional(),
  edges: z.array(edgeSchema).max(MAX_EDGES).default([]),
});
const count = z.number().finite().min(0).max(1e15);
const nodeRefSchema = z.union([
  z.object({ kind: z.string().min(1).max(100), nth: z.number().int().min(1).max(MAX_NODES) }).strict(),
  z.object({ name: z.string().min(1).max(200) }).strict(),
]);
const checkSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('has-kind'), kind: z.string().min(1).max(100), count: z.number().int().min(1).max(MAX_NODES).optional(), after: z.string().min(1).max(100).optional() }),
  z.object({ type: z.literal('output-shape'), node: nodeRefSchema, shape: z.array(z.number().int().min(1).max(1e9)).min(1).max(8) }),
  z.object({ type: z.literal('params'), which: z.enum(['total', 'trainable']), op: z.enum(['le', 'eq']), value: count }),
  z.object({ type: z.literal('macs'), op: z.enum(['le', 'eq']), value: count }),
  z.object({ type: z.literal('no-errors') }),
  z.object({ type: z.literal('choice'), options: z.array(texts(2_000)).min(2).max(10), answer: z.number().int().min(0).max(9) }),
  z.object({ type: z.literal('number'), answer: z.number().finite(), tolerance: z.number().finite().min(0).optional() }),
  z.object({ type: z.literal('receptive-field'), node: nodeRefSchema, min: z.number().int().min(1).max(1e9) }),
  z.object({ type: z.literal('skip'), count: z.number().int().min(1).max(MAX_NODES).optional() }),
  z.object({ type: z.literal('accuracy'), dataset: z.string().min(1).max(200), min: z.number().finite().min(0).max(100) }),
]);
const lessonSchema = z.object({
  title: texts(200),
  steps: z.array(z.object({ text: texts(20_000), check: checkSchema })).min(1).max(200),
});
const lockSchema = z
  .object({ node: z.string().min(1).max(200), block: z.string().min(1).max(200).optional(), params: z.array(z.string().min(1).max(100)).max(100).optional() })
  .strict();
const designSchema = z.object({
  format: z.literal('netcanvas'),
  version: z.literal(FORMAT_VERSION),
  name: text(200).default('Untitled'),
  description: texts(20_000).optional(),
  notes: texts(100_000).optional(),
  nodes: z.array(nodeSchema).max(MAX_NODES),
  edges: z.array(edgeSchema).max(MAX_EDGES).default([]),
  lesson: lessonSchema.optional(),
  locks: z.array(lockSchema).max(MAX_NODES).optional(),
  blocks: z.array(blockSchema).max(1000).optional(),
  instances: z.array(instanceSchema).max(MAX_NODES).optional(),
  weights: z
    .object({
      encoding: z.literal('float32-le-base64'),
      tensors: z.record(
        z.string(),
        z.record(z.string(), z.object({ shape: z.array(z.number().int().min(1)).max(8), data: z.string() })),
      ),
    })
    .optional(),
});

export type ParseResult =
  | {
      readonly ok: true;
      readonly design: Design;
      /** Trained weights saved with the design, when the file carries them and they fit it. */
      readonly weights?: DesignWeights;
      /** Problems that did not stop the design from loading (weights that do not fit are dropped). */
      readonly warnings: readonly Issue[];
    }
  | { readonly ok: false; readonly errors: readonly Issue[] };

const fail = (...errors: Issue[]): ParseResult => ({ ok: false, errors });

function zodPath(path: readonly PropertyKey[], doc: Record<string, unknown>): string {
  // "nodes[3].position.x" reads better with the node's id: "nodes[3] (conv1).position.x".
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (typeof key === 'number') {
      out += `[${key}]`;
      if (path[i - 1] === 'nodes') {
        const node = (doc.nodes as unknown[])[key] as { id?: unknown } | undefined;
        if (node && typeof node.id === 'string') out += ` (${node.id})`;
      }
    } else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(file)';
}

/** Windows Notepad starts UTF-8 files with a byte-order mark; JSON.parse refuses it, so it is dropped. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

interface Step {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Step | null;
  readonly key: string | number;
}

/**
 * Where a value nests deeper than `max` levels ("version[0][0][0]…"), or null. Iterative, so that a hostile
 * depth cannot overflow the stack here, and it keeps that depth away from the recursive code that follows.
 */
export function tooDeepAt(value: unknown, max: number): string | null {
  // Only objects and lists are stacked: a design is mostly leaves, and a step per leaf was most of the cost.
  const stack: Step[] = [{ value, depth: 0, parent: null, key: '' }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (typeof step.value !== 'object' || step.value === null) continue; // the root only
    if (step.depth >= max) return stepPath(step);
    const container = step.value as Record<string, unknown> | unknown[];
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) {
        const child = container[i];
        if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: step.depth + 1, parent: step, key: i });
      }
    } else {
      for (const key of Object.keys(container)) {
        const child = container[key];
        if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: step.depth + 1, parent: step, key });
      }
    }
  }
  return null;
}

/**
 * Whether JSON text nests deeper than `max` levels, read off the brackets outside strings: the same verdict
 * as `tooDeepAt(JSON.parse(text), max) !== null` for valid JSON, at the cost of one pass over the characters
 * and no allocation, so the reader walks the parsed value (to name the path) only when it must.
 */
export function textTooDeep(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote, stepping over escapes (\" does not close it).
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The first few keys of the path to a step; the rest would be thousands of "[0]". */
function stepPath(step: Step): string {
  const keys: (string | number)[] = [];
  for (let s: Step | null = step; s?.parent; s = s.parent) keys.unshift(s.key);
  const shown = keys.slice(0, 4).map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`));
  return (shown.join('') || '(file)') + (keys.length > 4 ? '…' : '');
}

export function parseDesign(input: unknown): ParseResult {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(stripBom(input));
    } catch (e) {
      return fail({ severity: 'error', code: 'file-json', values: { detail: (e as Error).message } });
    }
  }
  const deep = typeof input === 'string' && !textTooDeep(input, MAX_DEPTH) ? null : tooDeepAt(raw, MAX_DEPTH);
  if (deep !== null) return fail({ severity: 'error', code: 'file-too-deep', values: { path: deep, max: MAX_DEPTH } });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail({ severity: 'error', code: 'file-format', values: { got: Array.isArray(raw) ? 'a list' : describeValue(raw) } });
  }
  let doc = raw as Record<string, unknown>;
  if (doc.format !== 'netcanvas') {
    return fail({ severity: 'error', code: 'file-format', values: { got: doc.format === undefined ? 'missing' : describeValue(doc.format) } });
  }
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return fail({ severity: 'error', code: 'file-version-bad', values: { got: version === undefined ? 'missing' : describeValue(version), max: FORMAT_VERSION } });
  }
  if (version > FORMAT_VERSION) {
    return fail({ severity: 'error', code: 'file-version-future', values: { got: version, max: FORMAT_VERSION } });
  }
  for (let v = version; v < FORMAT_VERSION; v++) doc = { ...MIGRATIONS[v](doc), version: v + 1 };
  for (const [what, list, max] of [['nodes', doc.nodes, MAX_NODES], ['edges', doc.edges, MAX_EDGES]] as const) {
    if (Array.isArray(list) && list.length > max) {
      return fail({ severity: 'error', code: 'file-too-large', values: { count: list.length, what, max } });
    }
  }

  // A cycle among plain layers is refused before the schema runs: on a 20,000-node ring the schema and the
  // parameter checks cost more than the whole 200 ms a refusal may take, and no fix elsewhere in the file
  // could make such a design valid. Cycles through block instances need the unfolded graph (checkGraph).
  const cycles = rawCycleIssues(doc);
  if (cycles.length > 0) return { ok: false, errors: cycles };
  const parsed = designSchema.safeParse(doc);
  if (!parsed.success) {
    return fail(
      ...parsed.error.issues.slice(0, 20).map(
        (i): Issue => ({ severity: 'error', code: 'file-schema', values: { path: zodPath(i.path, doc), detail: i.message } }),
      ),
    );
  }
  return checkGraph(parsed.data);
}

/** One issue per strongly connected part, pinned to its first node (a part shares its members list). */
function cycleIssues(design: Pick<Design, 'nodes' | 'edges'>): Issue[] {
  const errors: Issue[] = [];
  const reported = new Set<readonly string[]>();
  for (const [id, cycle] of findCycles(design)) {
    if (reported.has(cycle.members)) continue;
    reported.add(cycle.members);
    errors.push(cycleIssue(id, id, cycle, (x) => x));
  }
  return errors;
}

/**
 * The cycles among the plain layers of a document not yet validated: only what is certainly a node (an
 * object with a string id) and an edge (string ends) is read; the schema judges the rest afterwards.
 */
function rawCycleIssues(doc: Record<string, unknown>): Issue[] {
  if (!Array.isArray(doc.nodes) || !Array.isArray(doc.edges)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  const nodes = doc.nodes.filter((n): n is { id: string } => isObject(n) && typeof n.id === 'string');
  const edges = doc.edges.filter(
    (e): e is DesignEdge => isObject(e) && typeof e.source === 'string' && typeof e.target === 'string',
  );
  return cycleIssues({ nodes: nodes as unknown as DesignNode[], edges });
}

type NodeData = z.infer<typeof nodeSchema>;
type EdgeData = z.infer<typeof edgeSchema>;
type InstanceData = z.infer<typeof instanceSchema>;

/** Known kinds, unique ids and good parameters; `prefix` names a block's layers ("BasicBlock.conv1"). */
function checkNodes(list: readonly NodeData[], prefix: string, errors: Issue[]): DesignNode[] {
  const ids = new Set<string>();
  const nodes: DesignNode[] = [];
  for (const n of list) {
    if (ids.has(n.id)) errors.push({ severity: 'error', code: 'duplicate-id', nodeId: n.id, values: { what: 'nodes', id: `${prefix}${n.id}` } });
    ids.add(n.id);
    const name = `${prefix}${n.label?.trim() ? n.label : n.id}`;
    if (!isLayerKind(n.kind)) {
      errors.push({ severity: 'error', code: 'unknown-kind', nodeId: n.id, values: { node: name, kind: n.kind } });
      continue;
    }
    const resolved = resolveParams(name, n.id, n.kind, layerSpec(n.kind).params, n.params as DesignNode['params']);
    errors.push(...resolved.issues);
    nodes.push({
      id: n.id,
      kind: n.kind as LayerKind,
      params: resolved.values,
      position: n.position,
      ...(n.label !== undefined ? { label: n.label } : {}),
      ...(n.notes !== undefined ? { notes: n.notes } : {}),
      ...(n.bind !== undefined ? { bind: n.bind } : {}),
      ...(n.when !== undefined ? { when: n.when } : {}),
    });
  }
  return nodes;
}

/** Edges with their ids filled in (`e3:a->b` for an edge saved without one). */
function checkEdges(list: readonly EdgeData[], prefix: string, errors: Issue[]): DesignEdge[] {
  const edgeIds = new Set<string>();
  return list.map((e, i) => {
    const id = e.id ?? `e${i}:${e.source}->${e.target}`;
    if (edgeIds.has(id)) errors.push({ severity: 'error', code: 'duplicate-id', values: { what: 'connections', id: `${prefix}${id}` } });
    edgeIds.add(id);
    return {
      id,
      source: e.source,
      target: e.target,
      ...(e.targetSlot !== undefined ? { targetSlot: e.targetSlot } : {}),
      ...(e.sourcePort !== undefined ? { sourcePort: e.sourcePort } : {}),
      ...(e.targetPort !== undefined ? { targetPort: e.targetPort } : {}),
    };
  });
}

function cleanInstance(i: InstanceData): BlockInstance {
  return {
    id: i.id,
    block: i.block,
    ...(i.args !== undefined ? { args: i.args } : {}),
    ...(i.repeat !== undefined ? { repeat: i.repeat } : {}),
    ...(i.overrides !== undefined ? { overrides: i.overrides } : {}),
    ...(i.bind !== undefined ? { bind: i.bind } : {}),
    position: i.position,
    ...(i.label !== undefined ? { label: i.label } : {}),
    ...(i.notes !== undefined ? { notes: i.notes } : {}),
  };
}

/**
 * Graph rules on a schema-valid document: known kinds, unique ids, real endpoints, good params, the block
 * rules (blocks.ts), and no cycle in the unfolded graph.
 */
function checkGraph(data: z.infer<typeof designSchema>): ParseResult {
  const errors: Issue[] = [];
  const nodes = checkNodes(data.nodes, '', errors);
  const instances = (data.instances ?? []).map(cleanInstance);
  const ids = new Set([...data.nodes.map((n) => n.id), ...instances.map((i) => i.id)]);
  const edges = checkEdges(data.edges, '', errors);
  for (const e of edges) {
    for (const end of [e.source, e.target]) {
      if (!ids.has(end)) errors.push({ severity: 'error', code: 'dangling-edge', values: { edge: e.id, missing: end } });
    }
  }
  const blocks: BlockDefinition[] = (data.blocks ?? []).map((b) => ({
    id: b.id,
    ...(b.label !== undefined ? { label: b.label } : {}),
    ...(b.notes !== undefined ? { notes: b.notes } : {}),
    inputs: b.inputs,
    outputs: b.outputs.map((o) => ({ name: o.name, source: o.source, ...(o.sourcePort !== undefined ? { sourcePort: o.sourcePort } : {}) })),
    ...(b.args !== undefined ? { args: b.args } : {}),
    nodes: checkNodes(b.nodes, `${b.id}.`, errors),
    ...(b.instances !== undefined ? { instances: b.instances.map(cleanInstance) } : {}),
    edges: checkEdges(b.edges, `${b.id}.`, errors),
  }));
  const design: Design = {
    format: 'netcanvas',
    version: FORMAT_VERSION,
    name: data.name,
    ...(data.description !== undefined ? { description: data.description } : {}),
    ...(data.notes !== undefined ? { notes: data.notes } : {}),
    nodes,
    edges,
    ...(data.lesson !== undefined ? { lesson: data.lesson as Lesson } : {}),
    ...(data.locks !== undefined && data.locks.length > 0
      ? { locks: data.locks.map((l) => ({ node: l.node, ...(l.block !== undefined ? { block: l.block } : {}), ...(l.params !== undefined ? { params: l.params } : {}) })) }
      : {}),
    ...(blocks.length > 0 ? { blocks } : {}),
    ...(instances.length > 0 ? { instances } : {}),
  };
  if (design.lesson) errors.push(...lessonIssues(design.lesson));
  errors.push(...lockFileIssues(design));
  if (errors.length === 0 && (blocks.length > 0 || instances.length > 0)) errors.push(...checkBlocks(design));
  let flat = design;
  if (errors.length === 0) {
    const unfolded = flattenBlocks(design);
    errors.push(...unfolded.issues);
    flat = unfolded.design;
  }
  // Without blocks the unfolded graph is the plain one, whose cycles were refused before the schema ran.
  if (errors.length === 0 && flat !== design) errors.push(...cycleIssues(flat));
  if (errors.length > 0) return { ok: false, errors };
  if (!data.weights) return { ok: true, design, warnings: [] };
  // Weights belong to the layers as they run: keyed by the unfolded ids (`layer1.0.conv1`).
  const loaded = checkWeights(flat, data.weights.tensors);
  return typeof loaded === 'string'
    ? { ok: true, design, warnings: [{ severity: 'warning', code: 'weights-dropped', values: { detail: loaded } }] }
    : { ok: true, design, weights: loaded, warnings: [] };
}

/**
 * Saved weights must match what the design declares, node by node and tensor by tensor; otherwise they
 * are all dropped (a half-trained mix would be worse than none) and the reason returned.
 */
function checkWeights(
  design: Design,
  tensors: Readonly<Record<string, Readonly<Record<string, { shape: readonly number[]; data: string }>>>>,
): DesignWeights | string {
  const inference = inferShapes(design);
  if (inference.totals.errors > 0) return 'the design has errors, so its weight shapes are unknown';
  const out = new Map<string, Record<string, WeightTensor>>();
  for (const id of inference.order) {
    const declared = inference.nodes.get(id)!.weights;
    const saved = (Object.hasOwn(tensors, id) ? tensors[id] : undefined) ?? {};
    if (declared.length === 0 && Object.keys(saved).length === 0) continue;
    const named: Record<string, WeightTensor> = {};
    for (const w of declared) {
      const t = Object.hasOwn(saved, w.name) ? saved[w.name] : undefined;
      if (!t) return `${id} has no saved ${w.name}`;
      if (t.shape.join(',') !== w.shape.join(',')) {
        return `${id}.${w.name} was saved as [${t.shape.join(', ')}] but the design needs [${w.shape.join(', ')}]`;
      }
      const decoded = decodeTensor(t.shape, t.data);
      if (typeof decoded === 'string') return `${id}.${w.name}: ${decoded}`;
      named[w.name] = decoded;
    }
    const extra = Object.keys(saved).find((name) => !declared.some((w) => w.name === name));
    if (extra) return `${id} has a saved ${extra}, which it does not declare`;
    out.set(id, named);
  }
  // An empty entry saves nothing (a weightless layer listed anyway): only a tensor with no node is stray.
  const stray = Object.keys(tensors).find((id) => !out.has(id) && Object.keys(tensors[id]).length > 0);
  if (stray) return `weights are saved for "${stray}", which is not a node with weights`;
  return out;
}

/** The design as file text; with `weights`, they are saved beside it (base64 float32). */
export function serializeDesign(design: Design, weights?: DesignWeights): string {
  if (!weights) return `${JSON.stringify(design, null, 2)}\n`;
  return `${JSON.stringify({ ...design, weights: serializeWeights(weights) }, null, 2)}\n`;
}
