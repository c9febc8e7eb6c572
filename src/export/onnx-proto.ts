/**
 * A NetCanvas model as ONNX needs it, as plain objects, and its encoding: the objects become the messages
 * of onnx-schema.ts (the descriptor the importer decodes with) and protobufjs encodes them. Nothing here
 * knows about layers.
 *
 * Memory: the weights are not copied on the way in. Each tensor's raw_data is a view of its typed array
 * (on little-endian machines, which is every machine a browser runs on), and protobufjs's writer keeps
 * references to the bytes it is given until `finish()`, which copies them once into the file: the peak is
 * the weights plus the file, as with the hand-written writer this replaced.
 */
import type { OnnxAttribute } from '../graph/layer-spec.ts';
import { ModelProto, type AttributeMessage, type ModelMessage, type NodeMessage, type TensorMessage, type ValueInfoMessage } from './onnx-schema.ts';

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
const UTF8 = new TextEncoder();

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

function tensorMessage(tensor: OnnxTensor): TensorMessage {
  return { dims: [...tensor.dims], dataType: DATA_TYPE[tensor.type], name: tensor.name, rawData: rawData(tensor) };
}

function attributeMessage(name: string, value: OnnxAttribute): AttributeMessage {
  if ('int' in value) return { name, i: value.int, type: ATTR.INT };
  if ('float' in value) return { name, f: value.float, type: ATTR.FLOAT };
  // AttributeProto.s is bytes: UTF-8.
  if ('string' in value) return { name, s: UTF8.encode(value.string), type: ATTR.STRING };
  if ('ints' in value) return { name, ints: [...value.ints], type: ATTR.INTS };
  return { name, floats: [...value.floats], type: ATTR.FLOATS };
}

function nodeMessage(node: OnnxNode): NodeMessage {
  return {
    input: [...node.inputs],
    output: [...node.outputs],
    name: node.name,
    opType: node.opType,
    attribute: Object.entries(node.attributes ?? {}).map(([name, value]) => attributeMessage(name, value)),
  };
}

/** A float tensor's type; a string dimension is symbolic (dim_param), a number fixed (dim_value). */
function valueInfoMessage(info: OnnxValueInfo): ValueInfoMessage {
  const dim = info.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name: info.name, type: { tensorType: { elemType: DATA_TYPE.float, shape: { dim } } } };
}

/**
 * The file in a buffer of its own, as a plain Uint8Array: protobufjs carves outputs under 4 KiB from a
 * shared slab (which `.buffer` would expose) and, in Node, returns a Buffer. Larger files are not copied.
 */
const ownBuffer = (bytes: Uint8Array): Uint8Array =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? new Uint8Array(bytes.buffer) : new Uint8Array(bytes);

/** The model as ONNX file bytes (a serialised ModelProto). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const { graph } = model;
  const message: ModelMessage = {
    irVersion: model.irVersion,
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    ...(model.docString && { docString: model.docString }),
    graph: {
      node: graph.nodes.map(nodeMessage),
      name: graph.name,
      initializer: graph.initializers.map(tensorMessage),
      ...(graph.docString && { docString: graph.docString }),
      input: graph.inputs.map(valueInfoMessage),
      output: graph.outputs.map(valueInfoMessage),
    },
    // The default domain ("") at the opset the mappings are written for.
    opsetImport: [{ domain: '', version: model.opsetVersion }],
    metadataProps: Object.entries(model.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  return ownBuffer(ModelProto.encode(message).finish());
}
