/**
 * The `netcanvas` command line. Commands are rows of one table (name, synopsis, options, run); adding
 * one (e.g. `export`) means adding a row. Every failure a user can cause — a missing file, bad JSON, a
 * future file version, a cycle, an unknown option — ends as a short message and an exit status, never a
 * stack trace: exit 0 success, 1 invalid or unreadable design (or an export that could not be written),
 * 2 usage error.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { inferShapes } from '../graph/infer.ts';
import { flattenDesign } from '../graph/blocks.ts';
import { formatIssue, type Issue } from '../graph/messages.ts';
import { parseDesign } from '../graph/file-format.ts';
import type { Design, Lang } from '../graph/types.ts';
import type { DesignWeights } from '../graph/weights.ts';
import type { ExportTarget } from '../export/types.ts';
import { exportReport, TARGET_NAMES, writeExportFiles, WriteError } from './export-files.ts';
import { formatIssueLines, formatSummaryTable, summaryJson, validationReport } from './summary.ts';

export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** Where output goes; the real process streams by default, anything that collects text in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads standard input, for FILE "-". */
  stdin(): Promise<string>;
}

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface CommandContext {
  readonly positionals: readonly string[];
  readonly values: Values;
  readonly lang: Lang;
  readonly io: CliIo;
}

interface Command {
  readonly name: string;
  /** Arguments after the command name, as the usage line shows them. */
  readonly synopsis: string;
  /** Indented lines under the usage line. */
  readonly description: readonly string[];
  readonly options: Options;
  /** Exactly how many positionals the command takes (all current commands take one FILE). */
  readonly positionals: readonly string[];
  run(ctx: CommandContext): Promise<number>;
}

const LANG_OPTION: Options = { lang: { type: 'string', default: 'en' } };

/** Files larger than this are refused before reading: the format's own node/edge limits fit well under it. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** A failure the user caused: one stderr line per problem (each prefixed "netcanvas: "), then an optional hint. */
class CliError extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly exitCode: number,
    readonly hint?: string,
  ) {
    super(problems.join('\n'));
  }
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

interface LoadedDesign {
  readonly design: Design;
  /** Trained weights saved in the file, when it carries weights that fit the design. */
  readonly weights?: DesignWeights;
  /** What did not stop the load (weights that do not fit are dropped with a warning). */
  readonly warnings: readonly Issue[];
}

async function loadDesign(file: string, lang: Lang, io: CliIo): Promise<Design> {
  return (await loadDesignFile(file, lang, io)).design;
}

/**
 * Reads and validates a design file. I/O problems and every load error from `parseDesign` (bad JSON,
 * wrong or future version, schema, unknown kind, dangling edge, cycle, bad parameter) become a CliError
 * whose message has one line per problem, each prefixed with the file name.
 */
async function loadDesignFile(file: string, lang: Lang, io: CliIo): Promise<LoadedDesign> {
  let text: string;
  if (file === '-') {
    text = await io.stdin();
  } else {
    const fail = (why: string) => new CliError([`${file}: ${why}`], EXIT.invalid);
    let info;
    try {
      info = await stat(file);
    } catch (e) {
      throw fail(describeFsError(e));
    }
    if (info.isDirectory()) throw fail('is a directory, not a design file');
    if (!info.isFile()) throw fail('is not a regular file');
    if (info.size > MAX_FILE_BYTES) throw fail(`is ${info.size} bytes; the limit for a design file is ${MAX_FILE_BYTES}`);
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw fail(describeFsError(e));
    }
  }
  const parsed = parseDesign(text);
  if (!parsed.ok) {
    const name = file === '-' ? '(stdin)' : file;
    throw new CliError(parsed.errors.map((issue) => `${name}: ${oneLine(formatIssue(issue, lang))}`), EXIT.invalid);
  }
  return { design: parsed.design, ...(parsed.weights ? { weights: parsed.weights } : {}), warnings: parsed.warnings };
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a design file';
    case 'ENOTDIR':
      return 'no such file (a part of the path is not a directory)';
    default:
      return `cannot read the file${code ? ` (${code})` : ''}: ${oneLine((e as Error)?.message ?? String(e))}`;
  }
}

const EXPORT_TARGETS = Object.keys(TARGET_NAMES) as ExportTarget[];
const isExportTarget = (value: unknown): value is ExportTarget => EXPORT_TARGETS.includes(value as ExportTarget);
const TARGETS = EXPORT_TARGETS.join('|');

const exportCommand: Command = {
  name: 'export',
  synopsis: `FILE --to ${TARGETS} --out DIR [--lang en|es]`,
  description: [
    'Write the design as code into DIR (created when missing; files of the same names are replaced):',
    'pytorch: model.py, train.py, README.txt; keras: model.py, model_config.json, README.txt; onnx: model.onnx,',
    'onnx-summary.txt. Trained weights saved in FILE go along (weights.npz, or inside model.onnx).',
    'A design with errors is not exported: its errors go to stderr, nothing is written, exit 1.',
  ],
  options: { to: { type: 'string' }, out: { type: 'string' }, ...LANG_OPTION },
  positionals: ['FILE'],
  async run({ positionals: [file], values, lang, io }) {
    const { to, out } = values;
    if (to === undefined) throw usageError(`export: missing --to ${TARGETS}`, exportCommand);
    if (!isExportTarget(to)) throw usageError(`export: --to must be one of ${EXPORT_TARGETS.join(', ')}, got "${String(to)}"`, exportCommand);
    if (typeof out !== 'string' || out.trim() === '') throw usageError('export: missing --out DIR', exportCommand);

    const { design, weights, warnings } = await loadDesignFile(file, lang, io);
    if (warnings.length) io.stderr(`${formatIssueLines(warnings, lang).join('\n')}\n`);
    // The exporters (and fflate) load only for this command, so `summary` and `validate` start as fast as before.
    const { exportDesign } = await import('../export/index.ts');
    const result = await exportDesign(design, to, weights ? { weights, lang } : { lang });
    const report = exportReport({ design, target: to, out, lang, withWeights: weights !== undefined, result });
    if (!result.ok) {
      io.stderr(`${report.join('\n')}\n`);
      return EXIT.invalid;
    }
    try {
      await writeExportFiles(out, result.files);
    } catch (e) {
      if (e instanceof WriteError) throw new CliError([e.message], EXIT.invalid);
      throw e;
    }
    io.stdout(`${report.join('\n')}\n`);
    return EXIT.ok;
  },
};

const importCommand: Command = {
  name: 'import',
  synopsis: 'FILE.onnx --out DESIGN.json [--without-weights] [--lang en|es]',
  description: [
    'Read an ONNX model (PyTorch torch.onnx.export, NetCanvas, other exporters; opsets 11–17) and write',
    'it as a NetCanvas design, laid out, with its weights inside (base64 float32) unless',
    '--without-weights. What cannot be imported is named (op, node, why); nothing is written, exit 1.',
  ],
  options: { out: { type: 'string' }, 'without-weights': { type: 'boolean', default: false }, ...LANG_OPTION },
  positionals: ['FILE'],
  async run({ positionals: [file], values, lang, io }) {
    const { out } = values;
    if (typeof out !== 'string' || out.trim() === '') throw usageError('import: missing --out DESIGN.json', importCommand);
    const { importOnnx, MAX_IMPORT_MB } = await import('../import/onnx.ts');
    const fail = (why: string) => new CliError([`${file}: ${why}`], EXIT.invalid);
    let info;
    try {
      info = await stat(file);
    } catch (e) {
      throw fail(describeFsError(e));
    }
    if (!info.isFile()) throw fail('is not a regular file');
    if (info.size > MAX_IMPORT_MB * 2 ** 20) throw fail(`is ${Math.round(info.size / 2 ** 20)} MB; NetCanvas imports models up to ${MAX_IMPORT_MB} MB`);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (e) {
      throw fail(describeFsError(e));
    }
    const result = importOnnx(bytes, file);
    if (!result.ok) throw new CliError([oneLine(formatIssue(result.issue, lang))], EXIT.invalid);
    const { serializeDesign } = await import('../graph/file-format.ts');
    let text: string;
    try {
      text = serializeDesign(result.design, values['without-weights'] ? undefined : result.weights);
    } catch {
      // V8 strings stop near 512 MiB: a VGG's weights in base64 do not fit in one design file.
      throw fail('its weights are too large to keep inside a design file; run again with --without-weights');
    }
    const { writeFile } = await import('node:fs/promises');
    try {
      await writeFile(out, text);
    } catch (e) {
      throw new CliError([`${out}: ${describeFsError(e)}`], EXIT.invalid);
    }
    const totals = inferShapes(result.design).totals;
    const { producer, opset } = result.summary;
    io.stdout(
      `${file}: ${producer || 'unknown producer'}, opset ${opset} → ${out}: ${result.design.nodes.length} layers, ` +
        `${totals.totalParams.toLocaleString('en-US')} parameters${values['without-weights'] ? ' (weights left out)' : ', weights included'}\n`,
    );
    return EXIT.ok;
  },
};

const COMMANDS: readonly Command[] = [
  {
    name: 'summary',
    synopsis: 'FILE [--json] [--lang en|es]',
    description: [
      'Print a table of every layer: output shape (H×W×C), parameters and MACs, then the totals',
      '(parameters, multiply-accumulates, activation memory per sample) and every error and warning.',
      '--json prints the same as one JSON object. Exits 0 whenever the summary could be printed, even',
      'for a design with shape errors (broken layers show "?"); use `validate` as the gate.',
    ],
    options: { json: { type: 'boolean', default: false }, ...LANG_OPTION },
    positionals: ['FILE'],
    async run({ positionals: [file], values, lang, io }) {
      const design = await loadDesign(file, lang, io);
      const inference = inferShapes(flattenDesign(design));
      if (values.json) io.stdout(`${JSON.stringify(summaryJson(design, inference, lang))}\n`);
      else io.stdout(formatSummaryTable(design, inference, lang, file === '-' ? undefined : file));
      return EXIT.ok;
    },
  },
  {
    name: 'validate',
    synopsis: 'FILE [--lang en|es]',
    description: [
      'Check a design: exits 0 when it loads and every layer has a shape (warnings are allowed and',
      'printed), 1 with every error on stderr otherwise.',
    ],
    options: { ...LANG_OPTION },
    positionals: ['FILE'],
    async run({ positionals: [file], lang, io }) {
      const design = await loadDesign(file, lang, io);
      const report = validationReport(design, inferShapes(flattenDesign(design)), lang);
      if (report.stdout.length) io.stdout(`${report.stdout.join('\n')}\n`);
      if (report.stderr.length) io.stderr(`${report.stderr.join('\n')}\n`);
      return report.ok ? EXIT.ok : EXIT.invalid;
    },
  },
  exportCommand,
  importCommand,
];

function commandUsage(c: Command): string {
  return [`  netcanvas ${c.name} ${c.synopsis}`, ...c.description.map((l) => `      ${l}`)].join('\n');
}

export function usage(): string {
  return [
    'netcanvas — inspect and export NetCanvas designs (.json) from the command line',
    '',
    'Usage:',
    ...COMMANDS.map(commandUsage),
    '  netcanvas help [COMMAND]',
    '',
    'FILE is a NetCanvas design file; "-" reads it from standard input.',
    'Shapes are channels-last H×W×C without the batch dimension.',
    'Exit status: 0 success, 1 invalid or unreadable design (or output that could not be written),',
    '2 usage error.',
    '',
  ].join('\n');
}

function usageError(message: string, command?: Command): CliError {
  const hint = command ? `usage: netcanvas ${command.name} ${command.synopsis}` : "run 'netcanvas --help' for usage";
  return new CliError([message], EXIT.usage, hint);
}

function parseCommandArgs(command: Command, args: readonly string[]): { positionals: string[]; values: Values; lang: Lang } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    // Node's messages carry advice about '--' that does not apply here; keep the first sentence.
    throw usageError(`${command.name}: ${oneLine((e as Error).message).split('. ')[0]}`, command);
  }
  const values = parsed.values as Values;
  if (values.help) return { positionals: [], values, lang: 'en' };
  const lang = values.lang ?? 'en';
  if (lang !== 'en' && lang !== 'es') throw usageError(`${command.name}: --lang must be en or es, got "${String(lang)}"`, command);
  const want = command.positionals.length;
  if (parsed.positionals.length < want) throw usageError(`${command.name}: missing ${command.positionals.slice(parsed.positionals.length).join(' ')}`, command);
  if (parsed.positionals.length > want) throw usageError(`${command.name}: unexpected argument "${parsed.positionals[want]}"`, command);
  return { positionals: parsed.positionals, values, lang };
}

/** Runs the CLI on the arguments after `netcanvas` (process.argv.slice(2)) and returns the exit status. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined) {
      io.stderr(usage());
      return EXIT.usage;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      const command = topic ? COMMANDS.find((c) => c.name === topic) : undefined;
      if (topic && !command) throw usageError(`unknown command "${topic}"`);
      io.stdout(command ? `usage:\n${commandUsage(command)}\n` : usage());
      return EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === first);
    if (!command) throw usageError(first.startsWith('-') ? `unknown option "${first}"` : `unknown command "${first}"`);
    const { positionals, values, lang } = parseCommandArgs(command, rest);
    if (values.help) {
      io.stdout(`usage:\n${commandUsage(command)}\n`);
      return EXIT.ok;
    }
    return await command.run({ positionals, values, lang, io });
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr([...e.problems.map((p) => `netcanvas: ${p}`), ...(e.hint ? [e.hint] : [])].join('\n') + '\n');
      return e.exitCode;
    }
    throw e;
  }
}
