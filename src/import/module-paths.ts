/**
 * The module path of each imported layer, for grouping the import into blocks (graph/auto-blocks.ts).
 *
 * PyTorch's exporter names each ONNX node after the modules it ran in, each scope carrying its full
 * dotted name, then the op: `/layer1/layer1.0/conv1/Conv`, `/layer1/layer1.0/Add_1`. That is the path
 * `layer1 · 0 · conv1` for a layer that is its module (a module that made one layer and holds nothing
 * else), and `layer1 · 0 · add_1` for an op a module's forward() applies itself (the Add of a residual).
 * NetCanvas's own files name layers by their flattened ids, which already are such paths (`layer1.0.conv1`).
 */
import { autoBlocks, type AutoBlocksResult } from '../graph/auto-blocks.ts';
import type { Design } from '../graph/types.ts';
import type { DesignWeights } from '../graph/weights.ts';

/** The ONNX node a layer was read from (its last op): its name and op type. */
export interface LayerOrigin {
  readonly name: string;
  readonly op: string;
}

/** A node name split into its module scopes (relative: `layer1.0` under `layer1` is `0`) and the op's own name. */
function scopesOf(origin: LayerOrigin): { scopes: string[]; op: string | null } | null {
  if (!origin.name.startsWith('/')) return null;
  const parts = origin.name.split('/').slice(1);
  if (parts.length === 0 || parts.some((p) => p.length === 0)) return null;
  const last = parts[parts.length - 1];
  const isOp = last === origin.op || new RegExp(`^${origin.op}_\\d+$`).test(last);
  const scopeNames = isOp ? parts.slice(0, -1) : parts;
  const scopes: string[] = [];
  scopeNames.forEach((s, k) => {
    const parent = scopeNames[k - 1];
    const rel = parent !== undefined && s.startsWith(`${parent}.`) ? s.slice(parent.length + 1) : s;
    scopes.push(...rel.split('.').filter(Boolean));
  });
  return { scopes, op: isOp ? last.toLowerCase() : null };
}

/**
 * Paths for the layers of a PyTorch export, by layer id. A layer alone in its module is named by the
 * module; an op beside other layers or modules in one module is named by the op (`add`, `add_1`).
 */
export function torchModulePaths(origins: ReadonlyMap<string, LayerOrigin>): Map<string, string[]> {
  const split = new Map<string, { scopes: string[]; op: string | null }>();
  for (const [id, o] of origins) {
    const s = scopesOf(o);
    if (s) split.set(id, s);
  }
  // How many layers sit exactly in each scope, and which scopes hold deeper ones.
  const exact = new Map<string, number>();
  const container = new Set<string>();
  for (const { scopes } of split.values()) {
    const key = scopes.join('/');
    exact.set(key, (exact.get(key) ?? 0) + 1);
    for (let k = 0; k < scopes.length; k++) container.add(scopes.slice(0, k).join('/'));
  }
  const paths = new Map<string, string[]>();
  const taken = new Set<string>();
  for (const [id, { scopes, op }] of split) {
    const key = scopes.join('/');
    const own = scopes.length > 0 && exact.get(key) === 1 && !container.has(key);
    let path = own || op === null ? scopes : [...scopes, op];
    if (path.length === 0) continue;
    for (let k = 2; taken.has(path.join('/')); k++) path = [...path.slice(0, -1), `${path[path.length - 1].replace(/_\d+$/, '')}_${k}`];
    taken.add(path.join('/'));
    paths.set(id, path);
  }
  return paths;
}

/** NetCanvas's own files: a layer's id is its flattened path. */
export function idPaths(design: Design): Map<string, string[]> {
  return new Map(design.nodes.map((n) => [n.id, n.id.split('.')]));
}

/** The import grouped by its module paths (the flat import when they give no hierarchy). */
export function groupImport(design: Design, weights: DesignWeights, origins: ReadonlyMap<string, LayerOrigin> | null): AutoBlocksResult {
  return autoBlocks(design, origins ? torchModulePaths(origins) : idPaths(design), weights);
}
