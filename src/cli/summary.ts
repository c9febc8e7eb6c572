/**
 * What `netcanvas summary` and `netcanvas validate` print, as pure functions of a design and its
 * inference: a torchinfo-like table, its JSON twin, and the validation report. No I/O here, so the
 * formats are testable without spawning the CLI. Numbers are written as the page writes them
 * (graph/number-format.ts).
 */
import { displayName, type DesignInference, type NodeInference } from '../graph/infer.ts';
import { formatIssue, type Issue, type Severity } from '../graph/messages.ts';
import { formatBytes, formatCount, formatSI } from '../graph/number-format.ts';
import { formatShape } from '../graph/shape-math.ts';
import type { Design, Lang, Shape } from '../graph/types.ts';
import { blockInference, flattenBlocks, type BlockSummary } from '../graph/blocks.ts';

const TEXT = {
  en: {
    design: 'Design',
    node: 'Node',
    kind: 'Kind',
    shape: 'Output shape',
    params: 'Params',
    macs: 'MACs',
    issues: 'Issues',
    total: 'Total params',
    trainable: 'Trainable params',
    nonTrainable: 'Non-trainable params',
    totalMacs: 'MACs (multiply-accumulates)',
    memory: 'Activation memory (per sample, float32)',
    bytes: 'bytes',
    errors: 'Errors',
    warnings: 'Warnings',
    error: 'error',
    warning: 'warning',
    layers: (n: number) => (n === 1 ? '1 layer' : `${n} layers`),
    copy: 'copy',
    ok: (layers: string, params: string, warnings: number) =>
      `OK: ${layers}, ${params} params${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`,
    invalid: (errors: number) => `Invalid: ${errors} error${errors === 1 ? '' : 's'}`,
  },
  es: {
    design: 'Diseño',
    node: 'Nodo',
    kind: 'Tipo',
    shape: 'Forma de salida',
    params: 'Parámetros',
    macs: 'MACs',
    issues: 'Problemas',
    total: 'Parámetros totales',
    trainable: 'Parámetros entrenables',
    nonTrainable: 'Parámetros no entrenables',
    totalMacs: 'MACs (multiplicaciones-acumulaciones)',
    memory: 'Memoria de activaciones (por muestra, float32)',
    bytes: 'bytes',
    errors: 'Errores',
    warnings: 'Avisos',
    error: 'error',
    warning: 'aviso',
    layers: (n: number) => (n === 1 ? '1 capa' : `${n} capas`),
    copy: 'copia',
    ok: (layers: string, params: string, warnings: number) =>
      `OK: ${layers}, ${params} parámetros${warnings ? `, ${warnings} aviso${warnings === 1 ? '' : 's'}` : ''}`,
    invalid: (errors: number) => `No válido: ${errors} error${errors === 1 ? '' : 'es'}`,
  },
} as const;

export interface IssueJson {
  readonly severity: Severity;
  readonly code: string;
  readonly nodeId?: string;
  readonly param?: string;
  readonly message: string;
}

export interface NodeSummaryJson {
  readonly id: string;
  readonly kind: string;
  readonly label?: string;
  /** Channels-last [H, W, C] without the batch; null dims are unknown; null when the shape is unknown. */
  readonly outputShape: Shape | null;
  /** Counted from the declared weights; 0 for a node whose shape is unknown. */
  readonly params: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  readonly macs: number | null;
  readonly activationBytes: number | null;
  readonly weights: readonly { readonly name: string; readonly shape: readonly number[]; readonly trainable: boolean }[];
  readonly issues: readonly IssueJson[];
}

export interface SummaryJson {
  readonly name: string;
  readonly layers: number;
  readonly totalParams: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  readonly macs: number;
  readonly activationBytes: number;
  readonly nodes: readonly NodeSummaryJson[];
  /** Per block instance and per copy of a repeat: shapes in and out and subtotals (absent without blocks). */
  readonly blocks?: readonly BlockSummary[];
  /** Every error, pinned to a node (nodeId) or design-wide. */
  readonly errors: readonly IssueJson[];
  readonly warnings: readonly IssueJson[];
}

function issueJson(issue: Issue, lang: Lang): IssueJson {
  return {
    severity: issue.severity,
    code: issue.code,
    ...(issue.nodeId !== undefined ? { nodeId: issue.nodeId } : {}),
    ...(issue.param !== undefined ? { param: issue.param } : {}),
    message: formatIssue(issue, lang),
  };
}

/** All issues of an inference in table order: design-wide first, then per node in topological order. */
export function allIssues(inference: DesignInference): Issue[] {
  const out = [...inference.designIssues];
  for (const id of inference.order) out.push(...(inference.nodes.get(id)?.issues ?? []));
  return out;
}

/**
 * The summary as JSON. `design` is the document; `inference` is that of its unfolded layers (the same
 * design when it has no blocks), whose ids are block paths (`layer1.0.conv1`).
 */
export function summaryJson(document: Design, inference: DesignInference, lang: Lang = 'en'): SummaryJson {
  const unfolded = flattenBlocks(document);
  const design = unfolded.design;
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  const nodes = inference.order.map((id): NodeSummaryJson => {
    const r = inference.nodes.get(id)!;
    const label = byId.get(id)?.label;
    return {
      id,
      kind: r.kind,
      ...(label ? { label } : {}),
      outputShape: r.outputShape,
      params: r.trainableParams + r.nonTrainableParams,
      trainableParams: r.trainableParams,
      nonTrainableParams: r.nonTrainableParams,
      macs: r.macs,
      activationBytes: r.activationBytes,
      weights: r.weights.map((w) => ({ name: w.name, shape: [...w.shape], trainable: w.trainable })),
      issues: r.issues.map((i) => issueJson(i, lang)),
    };
  });
  const issues = allIssues(inference).map((i) => issueJson(i, lang));
  const t = inference.totals;
  return {
    name: design.name,
    layers: design.nodes.length,
    totalParams: t.totalParams,
    trainableParams: t.trainableParams,
    nonTrainableParams: t.nonTrainableParams,
    macs: t.macs,
    activationBytes: t.activationBytes,
    nodes,
    ...(unfolded.instances.length > 0 ? { blocks: blockInference(unfolded, inference) } : {}),
    errors: issues.filter((i) => i.severity === 'error'),
    warnings: issues.filter((i) => i.severity === 'warning'),
  };
}

const MAX_NAME = 40;

function nodeName(id: string, label: string | undefined): string {
  const text = label && label.trim() && label !== id ? `${id} (${label.trim()})` : id;
  return text.length > MAX_NAME ? `${text.slice(0, MAX_NAME - 1)}…` : text;
}

function issueCount(r: NodeInference, lang: Lang): string {
  const t = TEXT[lang];
  const errors = r.issues.filter((i) => i.severity === 'error').length;
  const warnings = r.issues.length - errors;
  return [errors ? `${errors} ${t.error}` : '', warnings ? `${warnings} ${t.warning}` : ''].filter(Boolean).join(', ');
}

/** "✖ error [code] message" lines, errors first, as the CLI prints them after a table or on validate. */
export function formatIssueLines(issues: readonly Issue[], lang: Lang = 'en'): string[] {
  const t = TEXT[lang];
  const sorted = [...issues.filter((i) => i.severity === 'error'), ...issues.filter((i) => i.severity === 'warning')];
  return sorted.map((i) => `${i.severity === 'error' ? `✖ ${t.error}` : `⚠ ${t.warning}`} [${i.code}] ${formatIssue(i, lang)}`);
}

/**
 * The torchinfo-like table: one row per node in topological order, then totals, then the issues.
 * A node whose shape is unknown (broken, or behind a broken node) shows "?" for shape, params and MACs.
 */
export function formatSummaryTable(document: Design, inference: DesignInference, lang: Lang = 'en', source?: string): string {
  const t = TEXT[lang];
  const unfolded = flattenBlocks(document);
  const design = unfolded.design;
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  const layerRow = (id: string, name: string) => {
    const r = inference.nodes.get(id)!;
    const known = r.outputShape !== null;
    return [
      name,
      r.kind,
      formatShape(r.outputShape),
      known ? formatCount(r.trainableParams + r.nonTrainableParams, lang) : '?',
      known && r.macs !== null ? formatCount(r.macs, lang) : '?',
      issueCount(r, lang),
    ];
  };
  const rows =
    unfolded.instances.length === 0
      ? inference.order.map((id) => layerRow(id, nodeName(id, byId.get(id) ? displayName(byId.get(id)!) : undefined)))
      : blockRows(unfolded, inference, lang, layerRow);
  const header = [t.node, t.kind, t.shape, t.params, t.macs, t.issues];
  const showIssues = rows.some((r) => r[5] !== '');
  const columns = showIssues ? 6 : 5;
  const rightAligned = [false, false, false, true, true, false];
  const widths = header.slice(0, columns).map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) =>
    cells
      .slice(0, columns)
      .map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  const width = widths.reduce((a, b) => a + b, 0) + 2 * (columns - 1);
  const rule = '='.repeat(Math.max(width, 60));
  const thin = '-'.repeat(Math.max(width, 60));

  const tot = inference.totals;
  const totals: [string, string][] = [
    [t.total, formatCount(tot.totalParams, lang)],
    [t.trainable, formatCount(tot.trainableParams, lang)],
    [t.nonTrainable, formatCount(tot.nonTrainableParams, lang)],
    [t.totalMacs, `${formatCount(tot.macs, lang)}${tot.macs >= 1000 ? ` (${formatSI(tot.macs, lang)})` : ''}`],
    [t.memory, `${formatBytes(tot.activationBytes, lang)}${tot.activationBytes >= 1000 ? ` (${formatCount(tot.activationBytes, lang)} ${t.bytes})` : ''}`],
    [t.errors, String(tot.errors)],
    [t.warnings, String(tot.warnings)],
  ];
  const labelWidth = Math.max(...totals.map(([k]) => k.length)) + 1;

  const out: string[] = [];
  out.push(`${t.design}: ${design.name}${source ? `  (${source})` : ''}`);
  out.push(rule, line(header), rule);
  for (const r of rows) out.push(line(r));
  out.push(rule);
  for (const [k, v] of totals) out.push(`${`${k}:`.padEnd(labelWidth)} ${v}`);
  out.push(rule);
  const issues = allIssues(inference);
  if (issues.length > 0) {
    out.push(...formatIssueLines(issues, lang));
    out.push(thin);
  }
  return `${out.join('\n')}\n`;
}

/**
 * torchinfo's depth view: a row per block instance (and per copy of a repeat) with its output shape and
 * subtotals, its layers indented below it and named relative to it. Rows follow the unfolded design's
 * order, where each instance's layers are contiguous.
 */
function blockRows(
  unfolded: ReturnType<typeof flattenBlocks>,
  inference: DesignInference,
  lang: Lang,
  layerRow: (id: string, name: string) => string[],
): string[][] {
  const t = TEXT[lang];
  const summaries = new Map(blockInference(unfolded, inference).map((b) => [b.path, b] as const));
  // The instances holding each layer, outermost first.
  const chain = new Map<string, string[]>();
  for (const inst of unfolded.instances) for (const id of inst.nodeIds) chain.set(id, [...(chain.get(id) ?? []), inst.path]);
  const rows: string[][] = [];
  let open: string[] = [];
  const indent = (depth: number, text: string) => {
    const name = `${'  '.repeat(depth)}${text}`;
    return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
  };
  for (const n of unfolded.design.nodes) {
    if (!inference.nodes.has(n.id)) continue;
    const paths = chain.get(n.id) ?? [];
    let keep = 0;
    while (keep < open.length && keep < paths.length && open[keep] === paths[keep]) keep++;
    open = open.slice(0, keep);
    for (const path of paths.slice(keep)) {
      const b = summaries.get(path)!;
      const parent = open.at(-1);
      const errors = b.errors > 0 ? `${b.errors} ${t.error}` : '';
      const out = b.outputShapes.length === 1 ? formatShape(b.outputShapes[0]) : b.outputShapes.map((x) => formatShape(x)).join(', ');
      rows.push([
        indent(open.length, parent ? path.slice(parent.length + 1) : path),
        b.repeat === null ? `${b.block} (${t.copy})` : b.repeat > 1 ? `${b.block} ×${b.repeat}` : b.block,
        out,
        formatCount(b.totalParams, lang),
        b.macs === null ? '?' : formatCount(b.macs, lang),
        errors,
      ]);
      open.push(path);
    }
    const parent = open.at(-1);
    rows.push(layerRow(n.id, indent(open.length, parent ? n.id.slice(parent.length + 1) : nodeName(n.id, n.label))));
  }
  return rows;
}

export interface ValidationReport {
  readonly ok: boolean;
  /** Lines for stdout (the verdict). */
  readonly stdout: string[];
  /** Lines for stderr (the diagnostics). */
  readonly stderr: string[];
}

/** validate's verdict: OK with the size of the design, or every error (and warning) with its message. */
export function validationReport(document: Design, inference: DesignInference, lang: Lang = 'en'): ValidationReport {
  const t = TEXT[lang];
  const design = flattenBlocks(document).design;
  const issues = allIssues(inference);
  const diagnostics = formatIssueLines(issues, lang);
  if (inference.totals.errors > 0) {
    return { ok: false, stdout: [], stderr: [...diagnostics, t.invalid(inference.totals.errors)] };
  }
  return {
    ok: true,
    stdout: [t.ok(t.layers(design.nodes.length), formatCount(inference.totals.totalParams, lang), inference.totals.warnings)],
    stderr: diagnostics,
  };
}
