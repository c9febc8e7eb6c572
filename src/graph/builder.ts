/**
 * A small fluent builder for designs written in code: template generators, random designs in tests,
 * benchmarks. It fills default parameters and lays nodes out top to bottom.
 */
import { layerSpec } from './layers/index.ts';
import { defaultParams } from './params.ts';
import { hasText, type Texts } from './texts.ts';
import { FORMAT_VERSION, type Design, type DesignEdge, type DesignNode, type LayerKind, type ParamValue } from './types.ts';

export class DesignBuilder {
  private readonly nodes: DesignNode[] = [];
  private readonly edges: DesignEdge[] = [];
  private readonly used = new Set<string>();
  private row = 0;

  constructor(
    private readonly name: string,
    private readonly meta: { description?: Texts; notes?: Texts } = {},
  ) {}

  /** Adds a node fed by `inputs` (in slot order) and returns its id. */
  add(
    kind: LayerKind,
    params: Record<string, ParamValue> = {},
    inputs: readonly string[] = [],
    opts: { id?: string; label?: string; notes?: Texts; column?: number } = {},
  ): string {
    const base = opts.id ?? kind.toLowerCase();
    let id = base;
    for (let i = 1; this.used.has(id); i++) id = `${base}_${i}`;
    this.used.add(id);
    this.nodes.push({
      id,
      kind,
      params: { ...defaultParams(layerSpec(kind).params), ...params },
      position: { x: (opts.column ?? 0) * 260, y: this.row++ * 110 },
      ...(opts.label ? { label: opts.label } : {}),
      ...(opts.notes ? { notes: opts.notes } : {}),
    });
    inputs.forEach((source, slot) => {
      this.edges.push({ id: `${source}->${id}${inputs.length > 1 ? `#${slot}` : ''}`, source, target: id, ...(inputs.length > 1 ? { targetSlot: slot } : {}) });
    });
    return id;
  }

  /** Adds a chain of single-input layers after `from`; returns the last id. */
  chain(from: string, layers: readonly [LayerKind, Record<string, ParamValue>?, { id?: string; label?: string }?][]): string {
    let last = from;
    for (const [kind, params, opts] of layers) last = this.add(kind, params ?? {}, [last], opts ?? {});
    return last;
  }

  build(): Design {
    return {
      format: 'netcanvas',
      version: FORMAT_VERSION,
      name: this.name,
      ...(hasText(this.meta.description) ? { description: this.meta.description } : {}),
      ...(hasText(this.meta.notes) ? { notes: this.meta.notes } : {}),
      nodes: [...this.nodes],
      edges: [...this.edges],
    };
  }
}
