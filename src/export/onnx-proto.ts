/**
 * The part of ONNX's protobuf schema (onnx/onnx.proto, proto2) that a NetCanvas model needs, as plain
 * objects, and their encoding. Field numbers are the schema's; nothing here knows about layers.
 */
import type { OnnxAttribute } from '../graph/layer-spec.ts';
import { ProtoWriter } from './protobuf.ts';

export type OnnxDataType = 'float' | 'int64';

export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly type: OnnxDataType;
  readonly data: Float32Array | BigInt64Array;
}

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  /** Tensor names; '' leaves an optional input out. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
}

/** A float tensor's name and shape; a string dimension is symbolic (the batch, "N"). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly dims: readonly (number | string)[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly docString?: string;
}

export interface OnnxModel {
  readonly irVersion: number;
  readonly opsetVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly graph: OnnxGraph;
}

/** TensorProto.DataType */
const DATA_TYPE: Readonly<Record<OnnxDataType, number>> = { float: 1, int64: 7 };
/** AttributeProto.AttributeType */
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The tensor's values as little-endian bytes (TensorProto.raw_data). */
function rawData(tensor: OnnxTensor): Uint8Array {
  const { data } = tensor;
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  data.forEach((v: number | bigint, i: number) =>
    typeof v === 'bigint' ? view.setBigInt64(i * 8, v, true) : view.setFloat32(i * 4, v, true),
  );
  return out;
}

function tensorProto(tensor: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of tensor.dims) w.int(1, d);
  w.int(2, DATA_TYPE[tensor.type]);
  w.string(8, tensor.name);
  w.bytes(9, rawData(tensor));
  return w;
}

function attributeProto(name: string, value: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if ('int' in value) w.int(3, value.int).int(20, ATTR.INT);
  else if ('float' in value) w.float(2, value.float).int(20, ATTR.FLOAT);
  else if ('string' in value) w.string(4, value.string).int(20, ATTR.STRING);
  else if ('ints' in value) {
    for (const v of value.ints) w.int(8, v);
    w.int(20, ATTR.INTS);
  } else {
    for (const v of value.floats) w.float(7, v);
    w.int(20, ATTR.FLOATS);
  }
  return w;
}

function nodeProto(node: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) w.message(5, attributeProto(name, value));
  return w;
}

function valueInfoProto(info: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of info.dims) {
    shape.message(1, typeof d === 'string' ? new ProtoWriter().string(2, d) : new ProtoWriter().int(1, d));
  }
  const tensorType = new ProtoWriter().int(1, DATA_TYPE.float).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, info.name).message(2, type);
}

function graphProto(graph: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter();
  for (const node of graph.nodes) w.message(1, nodeProto(node));
  w.string(2, graph.name);
  for (const t of graph.initializers) w.message(5, tensorProto(t));
  if (graph.docString) w.string(10, graph.docString);
  for (const v of graph.inputs) w.message(11, valueInfoProto(v));
  for (const v of graph.outputs) w.message(12, valueInfoProto(v));
  return w;
}

/** The model as ONNX file bytes (a serialised ModelProto). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, graphProto(model.graph));
  // The default domain ("") at the opset the mappings are written for.
  w.message(8, new ProtoWriter().string(1, '').int(2, model.opsetVersion));
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    w.message(14, new ProtoWriter().string(1, key).string(2, value));
  }
  return w.finish();
}
