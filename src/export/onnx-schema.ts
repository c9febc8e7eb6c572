/**
 * ONNX's protobuf schema (onnx/onnx.proto, proto2, as shipped with onnx 1.12), the messages and fields
 * NetCanvas reads and writes, as a protobufjs JSON descriptor: the one definition through which the
 * importer (src/import/onnx-read.ts) decodes and the exporter (onnx-proto.ts) encodes. Names are
 * protobufjs's camelCase of the schema's, numbers and types the schema's own; a field left out is skipped
 * when read, as protobuf readers must.
 *
 * Left out on purpose: nested graphs (AttributeProto.g / graphs: If and Loop bodies, never descended into),
 * and FunctionProto and sparse initializers, declared as plain bytes so that the reader can count and
 * refuse them without decoding them.
 *
 * proto2 matters for writing: its repeated scalars (dims, ints, floats) are unpacked unless the schema says
 * `[packed = true]` (float_data, int32_data, int64_data), which is what onnx's own writer does. Reading
 * accepts both, as protobuf readers must.
 *
 * protobufjs/light: reflection from this descriptor, without the .proto parser. It is loaded only with the
 * importer and the ONNX exporter (lazy chunks in the app).
 */
import protobuf from 'protobufjs/light.js';

const one = (type: string, id: number) => ({ type, id });
const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });
const packed = (type: string, id: number) => ({ rule: 'repeated', type, id, options: { packed: true } });
/** A proto2 message: without the edition protobufjs's JSON descriptors pack repeated scalars (proto3's rule). */
const message = (fields: Record<string, object>, nested?: Record<string, object>) => ({ edition: 'proto2', fields, ...(nested && { nested }) });

const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: message({
          irVersion: one('int64', 1),
          producerName: one('string', 2),
          producerVersion: one('string', 3),
          docString: one('string', 6),
          graph: one('GraphProto', 7),
          opsetImport: repeated('OperatorSetIdProto', 8),
          metadataProps: repeated('StringStringEntryProto', 14),
          functions: repeated('bytes', 25),
        }),
        OperatorSetIdProto: message({ domain: one('string', 1), version: one('int64', 2) }),
        StringStringEntryProto: message({ key: one('string', 1), value: one('string', 2) }),
        GraphProto: message({
          node: repeated('NodeProto', 1),
          name: one('string', 2),
          initializer: repeated('TensorProto', 5),
          docString: one('string', 10),
          input: repeated('ValueInfoProto', 11),
          output: repeated('ValueInfoProto', 12),
          sparseInitializer: repeated('bytes', 15),
        }),
        NodeProto: message({
          input: repeated('string', 1),
          output: repeated('string', 2),
          name: one('string', 3),
          opType: one('string', 4),
          attribute: repeated('AttributeProto', 5),
          domain: one('string', 7),
        }),
        AttributeProto: message({
          name: one('string', 1),
          f: one('float', 2),
          i: one('int64', 3),
          s: one('bytes', 4),
          t: one('TensorProto', 5),
          floats: repeated('float', 7),
          ints: repeated('int64', 8),
          // AttributeType, an enum: the same varint on the wire.
          type: one('int32', 20),
        }),
        TensorProto: message({
          dims: repeated('int64', 1),
          dataType: one('int32', 2),
          floatData: packed('float', 4),
          int32Data: packed('int32', 5),
          int64Data: packed('int64', 7),
          name: one('string', 8),
          rawData: one('bytes', 9),
          externalData: repeated('StringStringEntryProto', 13),
          // DataLocation, an enum: 1 is EXTERNAL.
          dataLocation: one('int32', 14),
        }),
        ValueInfoProto: message({ name: one('string', 1), type: one('TypeProto', 2) }),
        TypeProto: message({ tensorType: one('Tensor', 1) }, { Tensor: message({ elemType: one('int32', 1), shape: one('TensorShapeProto', 2) }) }),
        TensorShapeProto: message({ dim: repeated('Dimension', 1) }, { Dimension: message({ dimValue: one('int64', 1), dimParam: one('string', 2) }) }),
      },
    },
  },
});

/** ModelProto: `decode(bytes or reader)` and `encode(message).finish()`. */
export const ModelProto = root.lookupType('onnx.ModelProto');

/** A reader over `bytes` to decode from: where it stopped (`pos`) is where a decoding error happened. */
export const readerOf = (bytes: Uint8Array) => protobuf.Reader.create(bytes);

/** An int64 as protobufjs decodes it: a Long where the `long` package loads (Node), else a number. */
export type Int64 = number | { toNumber(): number };
export const int64 = (v: Int64 | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : v.toNumber());

/*
 * The messages as plain objects, named as in the descriptor above. Decoded, absent scalars read as their
 * defaults (from the prototype: `Object.hasOwn` tells a set field); encoded, an absent field is not written.
 */
export interface ModelMessage {
  irVersion: Int64;
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph?: GraphMessage | null;
  opsetImport: OperatorSetMessage[];
  metadataProps: EntryMessage[];
  functions?: Uint8Array[];
}
export interface OperatorSetMessage {
  domain: string;
  version: Int64;
}
export interface EntryMessage {
  key: string;
  value: string;
}
export interface GraphMessage {
  node: NodeMessage[];
  name: string;
  initializer: TensorMessage[];
  docString?: string;
  input: ValueInfoMessage[];
  output: ValueInfoMessage[];
  sparseInitializer?: Uint8Array[];
}
export interface NodeMessage {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: AttributeMessage[];
  domain?: string;
}
export interface AttributeMessage {
  name: string;
  f?: number | null;
  i?: Int64 | null;
  s?: Uint8Array | null;
  t?: TensorMessage | null;
  floats?: number[];
  ints?: Int64[];
  type: number;
}
export interface TensorMessage {
  dims: Int64[];
  dataType: number;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: Int64[];
  name: string;
  rawData?: Uint8Array | null;
  externalData?: EntryMessage[];
  dataLocation?: number;
}
export interface DimensionMessage {
  dimValue?: Int64 | null;
  dimParam?: string | null;
}
export interface ValueInfoMessage {
  name: string;
  type?: { tensorType?: { elemType: number; shape?: { dim: DimensionMessage[] } | null } | null } | null;
}
