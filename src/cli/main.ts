/**
 * The `netcanvas` command line. Commands are rows of one table (name, synopsis, options, run); adding
 * one (e.g. `export`) means adding a row. Every failure a user can cause — a missing file, bad JSON, a
 * future file version, a cycle, an unknown option — ends as a short message and an exit status, never a
 * stack trace: exit 0 success, 1 invalid or unreadable design (or an export that could not be written),
 * 2 usage error.
 */
import { open, stat } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { inferShapes } from '../graph/infer.ts';
import { flattenDesign } from '../graph/blocks.ts';
import { formatIssue, type Issue } from '../graph/messages.ts';
import { parseDesign, type ParseResult } from '../graph/file-format.ts';
import { bytesSource, type ByteSource } from '../graph/byte-source.ts';
import { isNetcanvasName, MAX_CONTAINER_MB, netcanvasChunks, readNetcanvas, readSafetensorsFor, startsLikeZip } from '../graph/netcanvas-file.ts';
import { fileSource, writeChunks } from './node-files.ts';
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
  /** Reads standard input whole, for FILE "-" (a JSON design or a .netcanvas, told apart by its first bytes). */
  stdin(): Promise<Uint8Array>;
}

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
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

/**
 * JSON design files larger than this are refused before reading: the format's own node/edge limits fit well
 * under it. Weights that make a file larger belong in a .netcanvas (up to MAX_CONTAINER_MB).
 */
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
  // The summary and the checks need the design only: a .netcanvas's weights are checked against it, not loaded.
  return (await loadDesignFile(file, lang, io, { readWeights: false })).design;
}

interface LoadOptions {
  /** Load a .netcanvas's weight data (export), or only check its header against the design (summary). */
  readonly readWeights?: boolean;
  /** A .safetensors file whose tensors become the design's weights (`export --weights FILE`). */
  readonly weightsFile?: string;
}

/**
 * Reads and validates a design file: a JSON design, or a .netcanvas (told apart by its first bytes, not its
 * name). I/O problems and every load error (bad JSON, wrong or future version, schema, unknown kind,
 * dangling edge, cycle, bad parameter, a truncated container, weights that do not fit) become a CliError
 * whose message has one line per problem, each naming the file.
 */
async function loadDesignFile(file: string, lang: Lang, io: CliIo, options: LoadOptions = {}): Promise<LoadedDesign> {
  const name = file === '-' ? '(stdin)' : file;
  const readWeights = options.readWeights ?? true;
  const parsed = file === '-' ? await readDesignBytes(bytesSource(await io.stdin()), name, readWeights) : await readDesignPath(file, readWeights);
  // Container and weight messages name their file themselves; the others get the design file's name.
  const lines = (issues: readonly Issue[], named = name) =>
    issues.map((issue) => {
      const text = oneLine(formatIssue(issue, lang));
      return text.startsWith(named) ? text : `${named}: ${text}`;
    });
  if (!parsed.ok) throw new CliError(lines(parsed.errors), EXIT.invalid);
  let weights = parsed.weights;
  if (options.weightsFile !== undefined) {
    if (weights) {
      throw new CliError([`${name}: already carries trained weights; --weights ${options.weightsFile} would replace them (use one or the other)`], EXIT.invalid);
    }
    const attached = await withFile(options.weightsFile, MAX_CONTAINER_MB * 2 ** 20, (src) =>
      readSafetensorsFor(parsed.design, src, 0, src.size, options.weightsFile!),
    );
    if (!attached.ok) throw new CliError(lines(attached.errors, options.weightsFile), EXIT.invalid);
    weights = attached.weights ?? undefined;
  }
  return { design: parsed.design, ...(weights ? { weights } : {}), warnings: parsed.warnings };
}

/** Opens `file` as a ByteSource for `use`, after the checks every input file gets (exists, regular, size). */
async function withFile<T>(
  file: string,
  maxBytes: number,
  use: (src: ByteSource) => Promise<T>,
  tooLarge = (size: number) => `is ${size} bytes; the limit is ${maxBytes} (${Math.round(maxBytes / 2 ** 20)} MiB)`,
): Promise<T> {
  const fail = (why: string) => new CliError([`${file}: ${why}`], EXIT.invalid);
  let info;
  try {
    info = await stat(file);
  } catch (e) {
    throw fail(describeFsError(e));
  }
  if (info.isDirectory()) throw fail('is a directory, not a design file');
  if (!info.isFile()) throw fail('is not a regular file');
  if (info.size > maxBytes) throw fail(tooLarge(info.size));
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    throw fail(describeFsError(e));
  }
  try {
    return await use(fileSource(handle, info.size));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw fail(describeFsError(e));
  } finally {
    await handle.close();
  }
}

/** A JSON design (up to 64 MiB) or a .netcanvas (up to MAX_CONTAINER_MB), whichever the first bytes say. */
async function readDesignBytes(src: ByteSource, file: string, readWeights: boolean): Promise<ParseResult> {
  const head = await src.read(0, Math.min(4, src.size));
  if (startsLikeZip(head)) return readNetcanvas(src, file, { readWeights });
  if (src.size > MAX_FILE_BYTES) {
    throw new CliError(
      [`${file}: is ${src.size} bytes; the limit for a JSON design file is ${MAX_FILE_BYTES} (64 MiB): keep large weights in a .netcanvas file`],
      EXIT.invalid,
    );
  }
  return parseDesign(new TextDecoder().decode(await src.read(0, src.size)));
}

async function readDesignPath(file: string, readWeights: boolean): Promise<ParseResult> {
  return withFile(file, MAX_CONTAINER_MB * 2 ** 20, (src) => readDesignBytes(src, file, readWeights));
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
  synopsis: `FILE --to ${TARGETS} --out DIR [--weights FILE.safetensors] [--lang en|es]`,
  description: [
    'Write the design as code into DIR (created when missing; files of the same names are replaced):',
    'pytorch: model.py, train.py, README.txt; keras: model.py, model_config.json, README.txt; onnx: model.onnx,',
    'onnx-summary.txt. Trained weights saved in FILE (a .json or .netcanvas) go along (weights.npz, or',
    'inside model.onnx); --weights attaches a .safetensors (tensors named "<layer id>.<weight>") to a design.',
    'A design with errors is not exported: its errors go to stderr, nothing is written, exit 1.',
  ],
  options: { to: { type: 'string' }, out: { type: 'string' }, weights: { type: 'string' }, ...LANG_OPTION },
  positionals: ['FILE'],
  async run({ positionals: [file], values, lang, io }) {
    const { to, out } = values;
    if (to === undefined) throw usageError(`export: missing --to ${TARGETS}`, exportCommand);
    if (!isExportTarget(to)) throw usageError(`export: --to must be one of ${EXPORT_TARGETS.join(', ')}, got "${String(to)}"`, exportCommand);
    if (typeof out !== 'string' || out.trim() === '') throw usageError('export: missing --out DIR', exportCommand);

    const weightsFile = typeof values.weights === 'string' ? values.weights : undefined;
    const { design, weights, warnings } = await loadDesignFile(file, lang, io, weightsFile !== undefined ? { weightsFile } : {});
    if (warnings.length) io.stderr(`${formatIssueLines(warnings, lang).join('\n')}\n`);
    // The exporters (and fflate) load only for this command, so `summary` and `validate` start as fast as before.
    const { exportDesign } = await import('../export/index.ts');
    // chunked: weights.npz is converted and written one array at a time, never whole in memory.
    const result = await exportDesign(design, to, weights ? { weights, lang, chunked: true } : { lang });
    const reportOf = (sizes?: readonly number[]) => exportReport({ design, target: to, out, lang, withWeights: weights !== undefined, result, sizes });
    if (!result.ok) {
      io.stderr(`${reportOf().join('\n')}\n`);
      return EXIT.invalid;
    }
    let sizes: number[];
    try {
      sizes = await writeExportFiles(out, result.files);
    } catch (e) {
      if (e instanceof WriteError) throw new CliError([e.message], EXIT.invalid);
      throw e;
    }
    io.stdout(`${reportOf(sizes).join('\n')}\n`);
    return EXIT.ok;
  },
};

/**
 * The importer a file asks for: a `.keras` (a zip) or a Keras JSON config (`.json`, or text that opens
 * with `{`) goes to the Keras reader, anything else to the ONNX one. Loaded on use.
 */
async function importModel(file: string, flat: boolean, bytes: Uint8Array) {
  const lower = file.toLowerCase();
  const { isZip } = await import('../import/keras.ts');
  if (lower.endsWith('.keras') || (!lower.endsWith('.onnx') && isZip(bytes))) {
    const { importKerasFile } = await import('../import/keras.ts');
    const r = await importKerasFile(bytes, file);
    return r.ok ? { ...r, what: `Keras ${r.summary.kerasVersion} ${r.summary.format}` } : r;
  }
  const firstChar = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (lower.endsWith('.json') || (!lower.endsWith('.onnx') && firstChar === 0x7b)) {
    const { importKerasConfig } = await import('../import/keras.ts');
    const r = importKerasConfig(new TextDecoder().decode(bytes), file);
    return r.ok ? { ...r, what: `Keras ${r.summary.kerasVersion} ${r.summary.format}` } : r;
  }
  const { importOnnx } = await import('../import/onnx.ts');
  // The bytes were read for this import alone: it may rearrange them rather than copy the weights.
  const r = importOnnx(bytes, file, { consume: true, flat });
  return r.ok ? { ...r, warnings: [], what: `${r.summary.producer || 'unknown producer'}, opset ${r.summary.opset}` } : r;
}

const importCommand: Command = {
  name: 'import',
  synopsis: 'FILE.onnx|FILE.keras|MODEL_CONFIG.json --out DESIGN.json|DESIGN.netcanvas [--without-weights] [--flat] [--lang en|es]',
  description: [
    'Read an ONNX model (PyTorch torch.onnx.export, NetCanvas, other exporters; opsets 11–17), a Keras',
    '.keras file or a Keras JSON config (model.to_json(), model_config.json; no weights) and write',
    'it as a NetCanvas design, laid out, with its weights inside (base64 float32 in a .json; in a .netcanvas,',
    'weights.safetensors, for models of any size) unless --without-weights. What cannot be imported is',
    'named (op, node, why); nothing is written, exit 1. An ONNX import arrives grouped into blocks by its',
    'module paths (layer1.0.conv1: stages, blocks, repeats); --flat keeps every layer on the top level.',
  ],
  options: { out: { type: 'string' }, 'without-weights': { type: 'boolean', default: false }, flat: { type: 'boolean', default: false }, ...LANG_OPTION },
  positionals: ['FILE'],
  async run({ positionals: [file], values, lang, io }) {
    const { out } = values;
    if (typeof out !== 'string' || out.trim() === '') throw usageError('import: missing --out DESIGN.json', importCommand);
    const { MAX_IMPORT_MB } = await import('../import/onnx.ts');
    const fail = (why: string) => new CliError([`${file}: ${why}`], EXIT.invalid);
    const bytes = await withFile(
      file,
      MAX_IMPORT_MB * 2 ** 20,
      (src) => src.read(0, src.size),
      (size) => `is ${Math.round(size / 2 ** 20)} MB; NetCanvas imports models up to ${MAX_IMPORT_MB} MB`,
    );
    const result = await importModel(file, values.flat === true, bytes);
    if (!result.ok) throw new CliError([oneLine(formatIssue(result.issue, lang))], EXIT.invalid);
    for (const w of result.warnings) io.stderr(`${oneLine(formatIssue(w, lang))}\n`);
    const weights = values['without-weights'] ? undefined : result.weights;
    try {
      if (isNetcanvasName(out)) {
        await writeChunks(out, netcanvasChunks(result.design, weights));
      } else {
        const { serializeDesign } = await import('../graph/file-format.ts');
        let text: string;
        try {
          text = serializeDesign(result.design, weights);
        } catch {
          // V8 strings stop near 512 MiB: a VGG's weights in base64 do not fit in one design file.
          throw fail('its weights are too large to keep inside a .json design file; write a .netcanvas (--out model.netcanvas) or run again with --without-weights');
        }
        const { writeFile } = await import('node:fs/promises');
        await writeFile(out, text);
      }
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError([`${out}: ${describeFsError(e)}`], EXIT.invalid);
    }
    // Blocks add no math: the totals and the layer count are the unfolded design's.
    const unfolded = flattenDesign(result.design);
    const totals = inferShapes(unfolded).totals;
    io.stdout(
      `${file}: ${result.what} → ${out}: ${unfolded.nodes.length} layers${(result.design.instances?.length ?? 0) > 0 ? ` in ${result.design.blocks?.length ?? 0} block definitions` : ''}, ` +
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
    'netcanvas — inspect and export NetCanvas designs (.json, .netcanvas) from the command line',
    '',
    'Usage:',
    ...COMMANDS.map(commandUsage),
    '  netcanvas help [COMMAND]',
    '',
    'FILE is a NetCanvas design file: .json (up to 64 MiB) or .netcanvas (a zip of design.json and',
    `weights.safetensors, up to ${MAX_CONTAINER_MB} MiB); "-" reads a .json or a .netcanvas from standard input.`,
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
