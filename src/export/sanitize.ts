/**
 * The one gate between user text and generated Python. Every name that reaches code (design name, node
 * ids and labels) becomes an identifier through `PyNamer`; every piece of free text (descriptions, notes)
 * becomes a string literal, a docstring or a comment through the escapers below. Nothing else in the
 * exporters may splice user text into code.
 *
 * Identifiers are ASCII (accents are folded: "Capa ñ" → "capa_n"), never a keyword, builtin or a name the
 * generated code relies on (torch, nn, F, self…, and nn.Module's own attributes such as `train`), never
 * start with a digit or an underscore (a leading "__" would be name-mangled inside the class), and are
 * unique within one namer.
 */

export const PYTHON_KEYWORDS: readonly string[] = [
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
  // Soft keywords: legal names, but confusing ones.
  'match', 'case', 'type', '_',
];

/** `dir(builtins)` of Python 3.11, without the dunders. */
export const PYTHON_BUILTINS: readonly string[] = [
  'ArithmeticError', 'AssertionError', 'AttributeError', 'BaseException', 'BaseExceptionGroup', 'BlockingIOError',
  'BrokenPipeError', 'BufferError', 'BytesWarning', 'ChildProcessError', 'ConnectionAbortedError', 'ConnectionError',
  'ConnectionRefusedError', 'ConnectionResetError', 'DeprecationWarning', 'EOFError', 'Ellipsis', 'EncodingWarning',
  'EnvironmentError', 'Exception', 'ExceptionGroup', 'FileExistsError', 'FileNotFoundError', 'FloatingPointError',
  'FutureWarning', 'GeneratorExit', 'IOError', 'ImportError', 'ImportWarning', 'IndentationError', 'IndexError',
  'InterruptedError', 'IsADirectoryError', 'KeyError', 'KeyboardInterrupt', 'LookupError', 'MemoryError',
  'ModuleNotFoundError', 'NameError', 'NotADirectoryError', 'NotImplemented', 'NotImplementedError', 'OSError',
  'OverflowError', 'PendingDeprecationWarning', 'PermissionError', 'ProcessLookupError', 'RecursionError',
  'ReferenceError', 'ResourceWarning', 'RuntimeError', 'RuntimeWarning', 'StopAsyncIteration', 'StopIteration',
  'SyntaxError', 'SyntaxWarning', 'SystemError', 'SystemExit', 'TabError', 'TimeoutError', 'TypeError',
  'UnboundLocalError', 'UnicodeDecodeError', 'UnicodeEncodeError', 'UnicodeError', 'UnicodeTranslateError',
  'UnicodeWarning', 'UserWarning', 'ValueError', 'Warning', 'ZeroDivisionError', 'abs', 'aiter', 'all', 'anext',
  'any', 'ascii', 'bin', 'bool', 'breakpoint', 'bytearray', 'bytes', 'callable', 'chr', 'classmethod', 'compile',
  'complex', 'copyright', 'credits', 'delattr', 'dict', 'dir', 'divmod', 'enumerate', 'eval', 'exec', 'exit',
  'filter', 'float', 'format', 'frozenset', 'getattr', 'globals', 'hasattr', 'hash', 'help', 'hex', 'id', 'input',
  'int', 'isinstance', 'issubclass', 'iter', 'len', 'license', 'list', 'locals', 'map', 'max', 'memoryview', 'min',
  'next', 'object', 'oct', 'open', 'ord', 'pow', 'print', 'property', 'quit', 'range', 'repr', 'reversed', 'round',
  'set', 'setattr', 'slice', 'sorted', 'staticmethod', 'str', 'sum', 'super', 'tuple', 'vars', 'zip',
];

/**
 * Public attributes of torch.nn.Module (1.13, plus a few later versions add): a submodule named `train`
 * or `to` would replace the method.
 */
export const MODULE_ATTRIBUTES: readonly string[] = [
  'add_module', 'apply', 'bfloat16', 'buffers', 'call_super_init', 'children', 'compile', 'cpu', 'cuda', 'double',
  'dump_patches', 'eval', 'extra_repr', 'float', 'forward', 'get_buffer', 'get_extra_state', 'get_parameter',
  'get_submodule', 'half', 'ipu', 'load_state_dict', 'modules', 'mtia', 'named_buffers', 'named_children',
  'named_modules', 'named_parameters', 'parameters', 'register_backward_hook', 'register_buffer',
  'register_forward_hook', 'register_forward_pre_hook', 'register_full_backward_hook',
  'register_full_backward_pre_hook', 'register_load_state_dict_post_hook', 'register_load_state_dict_pre_hook',
  'register_module', 'register_parameter', 'register_state_dict_post_hook', 'register_state_dict_pre_hook',
  'requires_grad_', 'set_extra_state', 'set_submodule', 'share_memory', 'state_dict', 'to', 'to_empty', 'train',
  'training', 'xpu', 'zero_grad', 'T_destination',
];

/** Module-level names of the generated files (imports and helpers). */
export const GENERATED_NAMES: readonly string[] = [
  'torch', 'nn', 'F', 'np', 'numpy', 'self', 'os', 'sys', 'math', 'argparse', 'dist', 'DDP', 'load_weights', 'main',
];

const RESERVED = new Set([...PYTHON_KEYWORDS, ...PYTHON_BUILTINS, ...MODULE_ATTRIBUTES, ...GENERATED_NAMES]);

/** Folds accents and drops everything that is not an ASCII letter, digit or underscore. */
function asciiWords(raw: string): string[] {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** A snake_case identifier for `raw` (not yet checked for reserved words or uniqueness). */
export function toIdentifier(raw: string, fallback = 'layer'): string {
  let name = asciiWords(raw).join('_').toLowerCase();
  if (name === '') name = fallback;
  if (/^[0-9]/.test(name)) name = `n${name}`;
  return name;
}

/** A CamelCase class name for `raw`: "LeNet-5" → "LeNet5", "mnist cnn" → "MnistCnn". */
export function toClassName(raw: string, fallback = 'Net'): string {
  let name = asciiWords(raw)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  if (name === '') name = fallback;
  if (/^[0-9]/.test(name)) name = `${fallback}${name}`;
  return name;
}

export function isReserved(name: string): boolean {
  return RESERVED.has(name);
}

/**
 * Hands out valid, unique Python identifiers. A reserved name gets a trailing underscore (PEP 8's `class_`),
 * a taken one a numeric suffix.
 */
export class PyNamer {
  private readonly used = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.used.add(r);
  }

  /** Claims an exact identifier (already valid), e.g. a class name; returns a variant if it is taken. */
  claimExact(name: string): string {
    let candidate = RESERVED.has(name) ? `${name}_` : name;
    for (let i = 2; this.used.has(candidate); i++) candidate = `${name}_${i}`;
    this.used.add(candidate);
    return candidate;
  }

  /** A fresh snake_case identifier for user text. */
  claim(raw: string, fallback = 'layer'): string {
    return this.claimExact(toIdentifier(raw, fallback));
  }

  has(name: string): boolean {
    return this.used.has(name);
  }
}

/** Code points that must never appear raw in generated source: controls, format (bidi), separators, surrogates, unassigned. */
const UNSAFE = /[\p{C}\p{Zl}\p{Zp}]/u;

function escapeCodePoint(cp: number): string {
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** Lone UTF-16 surrogates (possible in any JS string, not encodable as UTF-8) become U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A double-quoted Python string literal holding exactly `text`. Everything outside printable ASCII is
 * escaped, so the literal is plain ASCII and reads the same in any editor.
 */
export function pyString(text: string): string {
  let out = '"';
  for (const ch of wellFormed(text)) {
    const cp = ch.codePointAt(0)!;
    if (SIMPLE_ESCAPES[ch]) out += SIMPLE_ESCAPES[ch];
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else out += escapeCodePoint(cp);
  }
  return `${out}"`;
}

/**
 * A triple-quoted docstring holding `text` with its line breaks, readable in the source: quotes and
 * backslashes are escaped (so nothing can close the string early), and so is every invisible or
 * direction-changing character; letters in any script stay as they are.
 */
export function pyDocstring(text: string, indent = ''): string {
  let out = '';
  let lineStart = false;
  for (const ch of wellFormed(text).replace(/\r\n?/g, '\n')) {
    // Continuation lines get the indent, blank ones stay empty.
    if (lineStart && ch !== '\n') out += indent;
    lineStart = ch === '\n';
    if (ch === '\n') out += '\n';
    else if (SIMPLE_ESCAPES[ch]) out += SIMPLE_ESCAPES[ch];
    else if (UNSAFE.test(ch)) out += escapeCodePoint(ch.codePointAt(0)!);
    else out += ch;
  }
  return `"""${out}"""`;
}

/**
 * Text safe to follow `# ` on one line: line breaks become spaces and invisible or direction-changing
 * characters are dropped, so a comment can neither end early nor display differently from what runs.
 */
export function pyComment(text: string): string {
  return wellFormed(text)
    .replace(/[\r\n\u2028\u2029\u0085\v\f]+/g, ' ')
    .replace(/[\p{C}\p{Zl}\p{Zp}]/gu, '')
    .trim();
}

/** Free text of several lines as comment lines (each already prefixed with `# `), blank lines kept. */
export function pyCommentLines(text: string, indent = ''): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/[\n\u2028\u2029\u0085]/)
    .map((line) => {
      const clean = pyComment(line);
      return clean ? `${indent}# ${clean}` : `${indent}#`;
    });
}

/** Greedy word wrap of the lines longer than `width`, so docstrings read well; no word is lost. */
export function wrapText(text: string, width = 96): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.length <= width) return line;
      const out: string[] = [];
      let current = '';
      for (const word of line.split(' ')) {
        if (current && current.length + 1 + word.length > width) {
          out.push(current);
          current = word;
        } else current = current ? `${current} ${word}` : word;
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}
