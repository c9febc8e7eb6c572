/**
 * ONNX file bytes → plain objects: the part of onnx/onnx.proto an importer needs, decoded by protobufjs
 * through the descriptor the exporter encodes with (src/export/onnx-schema.ts), then flattened into the
 * shapes below.
 *
 * Bounded: protobufjs checks every length against the bytes that remain and caps nesting, so a truncated
 * or corrupt file fails with a `ProtoError` (a message, never an out-of-range read or a hang); nested
 * graphs (If/Loop bodies), functions and sparse initializers are not in the descriptor, so they are skipped
 * or only counted. Tensor bytes are views into the file, not copies: protobufjs hands `bytes` fields out as
 * `subarray`s of a Uint8Array (and `slice`s, also views, of a Node Buffer); onnx.test.ts pins both.
 */
import {
  int64,
  ModelProto,
  readerOf,
  type AttributeMessage,
  type GraphMessage,
  type ModelMessage,
  type NodeMessage,
  type TensorMessage,
  type ValueInfoMessage,
} from '../export/onnx-schema.ts';

export class ProtoError extends Error {}

const TEXT = new TextDecoder('utf-8', { fatal: false });

export type OnnxAttr =
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'floats'; readonly value: number[] }
  | { readonly type: 'ints'; readonly value: number[] }
  | { readonly type: 'tensor'; readonly value: RawTensor }
  | { readonly type: 'other'; readonly value: string };

/** TensorProto: `raw` is a view into the file (little-endian), or the typed fields' values. */
export interface RawTensor {
  readonly name: string;
  readonly dims: number[];
  readonly dataType: number;
  readonly raw?: Uint8Array;
  /**
   * How many bytes of the file just before `raw` belong to its own field's header (tag and length), and
   * so may be overwritten once the file is read: room to move `raw` onto a 4-byte boundary in place.
   */
  readonly rawRoom: number;
  readonly floats: number[];
  readonly ints: number[];
  /** data_location = EXTERNAL, or external_data entries. */
  readonly external: boolean;
}

export interface RawNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: string[];
  readonly outputs: string[];
  readonly attributes: Map<string, OnnxAttr>;
}

export interface RawValueInfo {
  readonly name: string;
  /** Known sizes as numbers, symbolic or missing ones as null; null for a value without a tensor type. */
  readonly dims: (number | null)[] | null;
  readonly elemType: number;
}

export interface RawGraph {
  readonly name: string;
  readonly nodes: RawNode[];
  readonly initializers: RawTensor[];
  readonly inputs: RawValueInfo[];
  readonly outputs: RawValueInfo[];
  readonly sparseInitializers: number;
}

export interface RawModel {
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly opsets: Map<string, number>;
  readonly metadata: Map<string, string>;
  readonly graph: RawGraph | null;
  readonly functions: number;
}

/** Whether a decoded message carries `field` (protobufjs keeps absent fields' defaults on the prototype). */
const has = (m: object, field: string) => Object.prototype.hasOwnProperty.call(m, field);

/** Bytes of the varint that holds `n`, as a protobuf writer writes it: the shortest. */
const varintLength = (n: number) => {
  let bytes = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    bytes++;
  }
  return bytes;
};

function readTensor(t: TensorMessage): RawTensor {
  const raw = has(t, 'rawData') && t.rawData ? t.rawData : undefined;
  return {
    name: t.name,
    dims: t.dims.map(int64),
    dataType: t.dataType,
    raw,
    // raw_data's header sits just before its bytes: the one-byte tag of field 9 and the length. A writer
    // that pads either varint leaves more room than this, never less.
    rawRoom: raw ? 1 + varintLength(raw.length) : 0,
    floats: t.floatData ?? [],
    ints: [...(t.int32Data ?? []), ...(t.int64Data ?? []).map(int64)],
    external: (t.externalData ?? []).length > 0 || t.dataLocation === 1,
  };
}

const ATTR_TYPE: Record<number, string> = { 1: 'float', 2: 'int', 3: 'string', 4: 'tensor', 5: 'graph', 6: 'floats', 7: 'ints', 8: 'strings', 9: 'tensors', 10: 'graphs', 11: 'sparse_tensor', 12: 'sparse_tensors', 13: 'type_proto', 14: 'type_protos' };

function readAttribute(a: AttributeMessage): [string, OnnxAttr] {
  const floats = a.floats ?? [];
  const ints = a.ints ?? [];
  // Old writers leave the type out; infer it from the field that is set.
  const type = a.type || (has(a, 'f') ? 1 : has(a, 'i') ? 2 : has(a, 's') ? 3 : a.t ? 4 : floats.length ? 6 : ints.length ? 7 : 0);
  switch (type) {
    case 1:
      return [a.name, { type: 'float', value: a.f ?? 0 }];
    case 2:
      return [a.name, { type: 'int', value: int64(a.i) }];
    case 3:
      return [a.name, { type: 'string', value: a.s ? TEXT.decode(a.s) : '' }];
    case 4:
      return [a.name, a.t ? { type: 'tensor', value: readTensor(a.t) } : { type: 'other', value: 'tensor' }];
    case 6:
      return [a.name, { type: 'floats', value: floats }];
    case 7:
      return [a.name, { type: 'ints', value: ints.map(int64) }];
    default:
      return [a.name, { type: 'other', value: ATTR_TYPE[type] ?? `type ${type}` }];
  }
}

function readNode(n: NodeMessage): RawNode {
  return { name: n.name, opType: n.opType, domain: n.domain ?? '', inputs: n.input, outputs: n.output, attributes: new Map(n.attribute.map(readAttribute)) };
}

function readValueInfo(v: ValueInfoMessage): RawValueInfo {
  const tensorType = v.type?.tensorType;
  // A dimension is known when dim_value is set; dim_param (a name) or nothing leaves it open.
  const dims = tensorType?.shape ? tensorType.shape.dim.map((d) => (has(d, 'dimValue') ? int64(d.dimValue) : null)) : null;
  return { name: v.name, dims, elemType: tensorType?.elemType ?? 0 };
}

function readGraph(g: GraphMessage): RawGraph {
  return {
    name: g.name,
    nodes: g.node.map(readNode),
    initializers: g.initializer.map(readTensor),
    inputs: g.input.map(readValueInfo),
    outputs: g.output.map(readValueInfo),
    sparseInitializers: (g.sparseInitializer ?? []).length,
  };
}

/**
 * What protobufjs says of bytes it cannot decode, as the reader's message: what went wrong and at which
 * byte (where its reader stopped). The import's message around it already says "truncated or corrupt".
 */
function unreadable(e: unknown, at: number, length: number): ProtoError {
  const text = e instanceof Error ? e.message : String(e);
  // protobufjs: "index out of range: POS + WANTED > LENGTH" where a length points past the end.
  const range = /index out of range: (\d+) \+ (\d+) > (\d+)/.exec(text);
  if (range) {
    const [pos, wanted, end] = range.slice(1).map(Number);
    return new ProtoError(`at byte ${pos} a field needs ${wanted} bytes but only ${Math.max(0, end - pos)} remain`);
  }
  // Bare where a nested message, a packed list or a string overran the message that holds it.
  if (text === 'index out of range') return new ProtoError(`a field runs past the end of the message or file that holds it, at byte ${at} of ${length}`);
  // Some name the byte themselves ("invalid wire type 4 at offset 1"): said once, the same way.
  const offset = / at offset (\d+)$/.exec(text);
  return new ProtoError(`${offset ? text.slice(0, offset.index) : text}, at byte ${offset ? offset[1] : at} of ${length}`);
}

/** Reads a ModelProto; throws `ProtoError` with a message on bytes that are not one. */
export function readOnnxModel(bytes: Uint8Array): RawModel {
  const reader = readerOf(bytes);
  let m: ModelMessage;
  try {
    m = ModelProto.decode(reader) as unknown as ModelMessage;
  } catch (e) {
    throw unreadable(e, reader.pos, bytes.length);
  }
  return {
    irVersion: int64(m.irVersion),
    producerName: m.producerName,
    producerVersion: m.producerVersion,
    opsets: new Map(m.opsetImport.map((o) => [o.domain === 'ai.onnx' ? '' : o.domain, int64(o.version)])),
    metadata: new Map(m.metadataProps.map((p) => [p.key, p.value])),
    graph: m.graph ? readGraph(m.graph) : null,
    functions: (m.functions ?? []).length,
  };
}
