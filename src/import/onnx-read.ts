/**
 * ONNX file bytes → plain objects: the part of onnx/onnx.proto (proto2) an importer needs, read from the
 * protobuf wire format. The inverse of src/export/onnx-proto.ts, with the same field numbers.
 *
 * Bounded by construction: every length is checked against the bytes that remain, so a truncated or
 * corrupt file fails with a `ProtoError` (a message, never an out-of-range read or a hang); nested
 * graphs (If/Loop bodies) are not descended into, only noted; tensor bytes are views into the file, not
 * copies. Unknown fields are skipped, as protobuf readers must.
 */

export class ProtoError extends Error {}

const TEXT = new TextDecoder('utf-8', { fatal: false });

/** A cursor over one message's bytes. */
class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint as a number; values past 2^53 (never a dimension or an attribute we read) lose precision. */
  varint(): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) throw new ProtoError('the file ends inside a number (truncated?)');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    // Past 49 bits: exact arithmetic; ten-byte varints are negative int64s in two's complement.
    this.pos = start;
    let big = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoError('the file ends inside a number (truncated?)');
      const b = this.buf[this.pos++];
      big |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) return Number(BigInt.asIntN(64, big));
    }
    throw new ProtoError('a number runs past ten bytes (corrupt file)');
  }

  fixed32(): number {
    if (this.pos + 4 > this.end) throw new ProtoError('the file ends inside a float (truncated?)');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }

  bytes(): Uint8Array {
    const n = this.varint();
    if (n < 0 || this.pos + n > this.end) throw new ProtoError(`a field claims ${n} bytes but only ${this.end - this.pos} remain (truncated or corrupt file)`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  sub(): Reader {
    const b = this.bytes();
    return new Reader(this.buf, b.byteOffset - this.buf.byteOffset, b.byteOffset - this.buf.byteOffset + b.length);
  }

  string(): string {
    return TEXT.decode(this.bytes());
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.advance(8);
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.advance(4);
    else throw new ProtoError(`unknown wire type ${wire} (not an ONNX file, or a corrupt one)`);
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new ProtoError('the file ends inside a field (truncated?)');
    this.pos += n;
  }

  /** Calls `each(field, wire)` for every field; `each` reads the value or returns false to skip it. */
  fields(each: (field: number, wire: number) => boolean): void {
    while (!this.done) {
      const key = this.varint();
      const field = Math.floor(key / 8);
      const wire = key & 7;
      if (field === 0) throw new ProtoError('field number 0 (not an ONNX file, or a corrupt one)');
      if (!each(field, wire)) this.skip(wire);
    }
  }

  /** A repeated scalar that may be packed (wire 2) or not. */
  repeated(wire: number, one: () => number, into: number[]): void {
    if (wire === 2) {
      const r = this.sub();
      while (!r.done) into.push(one.call(r));
    } else into.push(one.call(this));
  }
}

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

function readTensor(r: Reader): RawTensor {
  const t = { name: '', dims: [] as number[], dataType: 0, raw: undefined as Uint8Array | undefined, rawRoom: 0, floats: [] as number[], ints: [] as number[], external: false };
  r.fields((f, wire) => {
    if (f === 1) r.repeated(wire, r.varint, t.dims);
    else if (f === 2) t.dataType = r.varint();
    else if (f === 4) r.repeated(wire, r.fixed32, t.floats);
    else if (f === 5 || f === 7) r.repeated(wire, r.varint, t.ints);
    else if (f === 8) t.name = r.string();
    else if (f === 9) {
      // Field 9 of wire type 2 has a one-byte tag, just read.
      const tagAt = r.pos - 1;
      t.raw = r.bytes();
      t.rawRoom = r.pos - t.raw.length - tagAt;
    }
    else if (f === 13) {
      r.bytes();
      t.external = true;
    } else if (f === 14) t.external = r.varint() === 1 || t.external;
    else return false;
    return true;
  });
  return t;
}

const ATTR_TYPE: Record<number, string> = { 1: 'float', 2: 'int', 3: 'string', 4: 'tensor', 5: 'graph', 6: 'floats', 7: 'ints', 8: 'strings', 9: 'tensors', 10: 'graphs', 11: 'sparse_tensor', 12: 'sparse_tensors', 13: 'type_proto', 14: 'type_protos' };

function readAttribute(r: Reader): [string, OnnxAttr] {
  let name = '';
  let type = 0;
  let f32: number | undefined;
  let i64: number | undefined;
  let s: string | undefined;
  let tensor: RawTensor | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  r.fields((f, wire) => {
    if (f === 1) name = r.string();
    else if (f === 20) type = r.varint();
    else if (f === 2) f32 = r.fixed32();
    else if (f === 3) i64 = r.varint();
    else if (f === 4) s = r.string();
    else if (f === 5) tensor = readTensor(r.sub());
    else if (f === 7) r.repeated(wire, r.fixed32, floats);
    else if (f === 8) r.repeated(wire, r.varint, ints);
    else return false;
    return true;
  });
  // Old writers leave the type out; infer it from the field that is set.
  if (type === 0) type = f32 !== undefined ? 1 : i64 !== undefined ? 2 : s !== undefined ? 3 : tensor ? 4 : floats.length ? 6 : ints.length ? 7 : 0;
  switch (type) {
    case 1:
      return [name, { type: 'float', value: f32 ?? 0 }];
    case 2:
      return [name, { type: 'int', value: i64 ?? 0 }];
    case 3:
      return [name, { type: 'string', value: s ?? '' }];
    case 4:
      return [name, tensor ? { type: 'tensor', value: tensor } : { type: 'other', value: 'tensor' }];
    case 6:
      return [name, { type: 'floats', value: floats }];
    case 7:
      return [name, { type: 'ints', value: ints }];
    default:
      return [name, { type: 'other', value: ATTR_TYPE[type] ?? `type ${type}` }];
  }
}

function readNode(r: Reader): RawNode {
  const node = { name: '', opType: '', domain: '', inputs: [] as string[], outputs: [] as string[], attributes: new Map<string, OnnxAttr>() };
  r.fields((f) => {
    if (f === 1) node.inputs.push(r.string());
    else if (f === 2) node.outputs.push(r.string());
    else if (f === 3) node.name = r.string();
    else if (f === 4) node.opType = r.string();
    else if (f === 7) node.domain = r.string();
    else if (f === 5) {
      const [name, value] = readAttribute(r.sub());
      node.attributes.set(name, value);
    } else return false;
    return true;
  });
  return node;
}

function readValueInfo(r: Reader): RawValueInfo {
  let name = '';
  let dims: (number | null)[] | null = null;
  let elemType = 0;
  r.fields((f) => {
    if (f === 1) name = r.string();
    else if (f === 2) {
      // TypeProto.tensor_type (1) → elem_type (1), shape (2) → dim (1) → dim_value (1) | dim_param (2)
      const type = r.sub();
      type.fields((tf) => {
        if (tf !== 1) return false;
        const tensorType = type.sub();
        tensorType.fields((ff) => {
          if (ff === 1) elemType = tensorType.varint();
          else if (ff === 2) {
            dims = [];
            const shape = tensorType.sub();
            shape.fields((sf) => {
              if (sf !== 1) return false;
              let value: number | null = null;
              const dim = shape.sub();
              dim.fields((df) => {
                if (df === 1) value = dim.varint();
                else return false;
                return true;
              });
              dims!.push(value);
              return true;
            });
          } else return false;
          return true;
        });
        return true;
      });
    } else return false;
    return true;
  });
  return { name, dims, elemType };
}

function readGraph(r: Reader): RawGraph {
  const g = { name: '', nodes: [] as RawNode[], initializers: [] as RawTensor[], inputs: [] as RawValueInfo[], outputs: [] as RawValueInfo[], sparseInitializers: 0 };
  r.fields((f) => {
    if (f === 1) g.nodes.push(readNode(r.sub()));
    else if (f === 2) g.name = r.string();
    else if (f === 5) g.initializers.push(readTensor(r.sub()));
    else if (f === 11) g.inputs.push(readValueInfo(r.sub()));
    else if (f === 12) g.outputs.push(readValueInfo(r.sub()));
    else if (f === 15) {
      r.bytes();
      g.sparseInitializers++;
    } else return false;
    return true;
  });
  return g;
}

/** Reads a ModelProto; throws `ProtoError` with a message on bytes that are not one. */
export function readOnnxModel(bytes: Uint8Array): RawModel {
  const r = new Reader(bytes);
  const m = { irVersion: 0, producerName: '', producerVersion: '', opsets: new Map<string, number>(), metadata: new Map<string, string>(), graph: null as RawGraph | null, functions: 0 };
  r.fields((f, wire) => {
    if (f === 1 && wire === 0) m.irVersion = r.varint();
    else if (f === 2 && wire === 2) m.producerName = r.string();
    else if (f === 3 && wire === 2) m.producerVersion = r.string();
    else if (f === 7 && wire === 2) m.graph = readGraph(r.sub());
    else if (f === 8 && wire === 2) {
      const s = r.sub();
      let domain = '';
      let version = 0;
      s.fields((sf) => {
        if (sf === 1) domain = s.string();
        else if (sf === 2) version = s.varint();
        else return false;
        return true;
      });
      m.opsets.set(domain === 'ai.onnx' ? '' : domain, version);
    } else if (f === 14 && wire === 2) {
      const s = r.sub();
      let key = '';
      let value = '';
      s.fields((sf) => {
        if (sf === 1) key = s.string();
        else if (sf === 2) value = s.string();
        else return false;
        return true;
      });
      m.metadata.set(key, value);
    } else if (f === 25 && wire === 2) {
      r.bytes();
      m.functions++;
    } else return false;
    return true;
  });
  return m;
}
