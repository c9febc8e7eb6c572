/**
 * Trained weights as a safetensors file (the layout Hugging Face's `safetensors` reads and writes):
 * 8 bytes little-endian header length N, N bytes of JSON `{name: {dtype, shape, data_offsets: [start, end]}}`
 * (plus an optional `__metadata__` of strings), then the raw little-endian data, offsets counted from its
 * start. NetCanvas names each tensor `<layer id>.<weight name>` — the unfolded layer id (`layer1.0.conv1`)
 * and the name its layer file declares (`kernel`, `bias`, `gamma`, `moving_mean`…); no weight name holds a
 * dot, so the last dot splits them — in Keras/tfjs layout (a Conv2D kernel is [kh, kw, in/groups, filters]),
 * float32. Writing yields chunks that view the tensors' own memory; reading pulls one tensor at a time from
 * a ByteSource, so neither side ever holds the file as one buffer or one string.
 */
import type { ByteSource } from './byte-source.ts';
import type { DesignInference } from './infer.ts';
import type { Issue } from './messages.ts';
import type { DesignWeights, WeightTensor } from './weights.ts';

export const tensorName = (nodeId: string, weight: string) => `${nodeId}.${weight}`;

/** The Python library refuses headers above 100 MB; so do we, before allocating anything for one. */
export const MAX_HEADER_BYTES = 100_000_000;

const DTYPE_BYTES: Readonly<Record<string, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1, F8_E4M3: 1, F8_E5M2: 1,
};
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A tensor's float32 values as little-endian bytes: a view of its own memory on little-endian hosts. */
function littleEndianBytes(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}

/**
 * The file as chunks, in order: the length and header, then one chunk per tensor (nodes in map order,
 * weights in declared order). The header is padded with spaces to 8 bytes, as the Python library does,
 * so each tensor starts 4-aligned in the file.
 */
export function safetensorsChunks(weights: DesignWeights, metadata: Readonly<Record<string, string>> = {}): Uint8Array[] {
  const header: Record<string, unknown> = Object.keys(metadata).length > 0 ? { __metadata__: metadata } : {};
  const data: Uint8Array[] = [];
  let offset = 0;
  for (const [nodeId, named] of weights) {
    for (const [name, t] of Object.entries(named)) {
      const bytes = littleEndianBytes(t.data);
      header[tensorName(nodeId, name)] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + bytes.byteLength] };
      offset += bytes.byteLength;
      data.push(bytes);
    }
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((new TextEncoder().encode(json).length + 8) % 8)) % 8);
  const jsonBytes = new TextEncoder().encode(json);
  const head = new Uint8Array(8 + jsonBytes.length);
  new DataView(head.buffer).setUint32(0, jsonBytes.length, true); // the high 32 bits stay 0
  head.set(jsonBytes, 8);
  return [head, ...data];
}

interface Entry {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly start: number;
  readonly end: number;
}

export interface SafetensorsHeader {
  readonly entries: ReadonlyMap<string, Entry>;
  /** Where the data starts, from the start of the source. */
  readonly dataStart: number;
}

type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: Issue };
const err = (code: Issue['code'], values: Issue['values']): { ok: false; issue: Issue } => ({ ok: false, issue: { severity: 'error', code, values } });

const wholeNumber = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Reads and checks the header of the safetensors bytes at [base, base + length) of `src`: the length field,
 * the JSON, every entry's form, offsets inside the data, sizes that match dtype × shape, no overlaps.
 * `file` names the file in messages.
 */
export async function readSafetensorsHeader(src: ByteSource, base: number, length: number, file: string): Promise<Result<SafetensorsHeader>> {
  if (length < 8) return err('safetensors-header', { file, why: 'length', length: '?', size: Math.max(0, length) });
  const lengthBytes = await src.read(base, 8);
  const view = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const n = high * 2 ** 32 + low;
  if (high > 0x1fffff || n > length - 8 || n > MAX_HEADER_BYTES || n < 2) {
    return err('safetensors-header', { file, why: 'length', length: String(n), size: length - 8 });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await src.read(base + 8, n)));
  } catch (e) {
    return err('safetensors-header', { file, why: 'json', detail: (e as Error).message });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return err('safetensors-header', { file, why: 'object' });
  const dataSize = length - 8 - n;
  const entries = new Map<string, Entry>();
  for (const [name, raw] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    const offsets = e?.data_offsets;
    if (
      typeof e !== 'object' || e === null || typeof e.dtype !== 'string' ||
      !Array.isArray(e.shape) || !e.shape.every(wholeNumber) ||
      !Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(wholeNumber)
    ) {
      return err('safetensors-header', { file, why: 'entry', tensor: name });
    }
    const [start, end] = offsets as [number, number];
    const shape = e.shape as number[];
    if (start > end || end > dataSize) return err('safetensors-offsets', { file, tensor: name, start, end, why: 'range', size: dataSize });
    const width = DTYPE_BYTES[e.dtype];
    if (width === undefined) return err('safetensors-dtype', { file, tensor: name, dtype: e.dtype });
    const need = shape.reduce((a, b) => a * b, 1) * width;
    if (end - start !== need) return err('safetensors-offsets', { file, tensor: name, start, end, why: 'size', shape: shape.join(', '), need });
    entries.set(name, { dtype: e.dtype, shape, start, end });
  }
  // Overlapping tensors would alias each other's bytes: the format forbids it, and so do we.
  const byStart = [...entries].filter(([, e]) => e.end > e.start).sort((a, b) => a[1].start - b[1].start);
  for (let i = 1; i < byStart.length; i++) {
    const [name, e] = byStart[i];
    const [prevName, prev] = byStart[i - 1];
    if (e.start < prev.end) return err('safetensors-offsets', { file, tensor: name, start: e.start, end: e.end, why: 'overlap', other: prevName });
  }
  return { ok: true, value: { entries, dataStart: base + 8 + n } };
}

/** Little-endian float32 bytes as values; a read that returned its own buffer is viewed, not copied. */
function toFloat32(bytes: Uint8Array): Float32Array {
  const count = bytes.byteLength / 4;
  if (LITTLE_ENDIAN && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return new Float32Array(bytes.buffer, 0, count);
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/**
 * The design's weights from a checked header: every weight the inferred design declares must be there, F32,
 * in the declared shape, and nothing else; the first problem is returned (naming the tensor) before any
 * data is read, so a bad file costs only its header. Then each tensor is read on its own (unless
 * `readData` is false: a summary checks the weights fit without loading them).
 */
export async function readDesignWeights(
  src: ByteSource,
  header: SafetensorsHeader,
  inference: DesignInference,
  file: string,
  readData = true,
): Promise<Result<DesignWeights | null>> {
  if (inference.totals.errors > 0) return err('safetensors-design-errors', { file });
  const wanted: { nodeId: string; name: string; entry: Entry }[] = [];
  const known = new Set<string>();
  for (const nodeId of inference.order) {
    for (const w of inference.nodes.get(nodeId)!.weights) {
      const tensor = tensorName(nodeId, w.name);
      known.add(tensor);
      const entry = header.entries.get(tensor);
      if (!entry) return err('safetensors-missing', { file, tensor, node: nodeId });
      if (entry.dtype !== 'F32') return err('safetensors-dtype', { file, tensor, dtype: entry.dtype });
      if (entry.shape.join(',') !== w.shape.join(',')) return err('safetensors-shape', { file, tensor, got: entry.shape.join(', '), want: w.shape.join(', ') });
      wanted.push({ nodeId, name: w.name, entry });
    }
  }
  for (const name of header.entries.keys()) if (!known.has(name)) return err('safetensors-extra', { file, tensor: name });
  if (!readData) return { ok: true, value: null };
  const out = new Map<string, Record<string, WeightTensor>>();
  for (const { nodeId, name, entry } of wanted) {
    const bytes = await src.read(header.dataStart + entry.start, entry.end - entry.start);
    const named = out.get(nodeId) ?? {};
    named[name] = { shape: [...entry.shape], data: toFloat32(bytes) };
    out.set(nodeId, named);
  }
  return { ok: true, value: out };
}
