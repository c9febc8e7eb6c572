/**
 * Trained weights as they travel between training, the session, saved files and exporters.
 * Layout is Keras/tfjs order (a Conv2D kernel is [kh, kw, in/groups, filters]), keyed by node id and the
 * weight names each layer file declares in `weights()` (kernel, bias, gamma, moving_mean…). Exporters
 * convert layouts; nothing else does.
 */

export interface WeightTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** nodeId → weight name → tensor. */
export type DesignWeights = ReadonlyMap<string, Readonly<Record<string, WeightTensor>>>;

/** How weights sit inside a design file: little-endian float32, base64, per node and weight name. */
export interface SerializedWeights {
  readonly encoding: 'float32-le-base64';
  readonly tensors: Readonly<Record<string, Readonly<Record<string, { readonly shape: readonly number[]; readonly data: string }>>>>;
}

const CHUNK = 0x8000;

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // String.fromCharCode over a whole large array overflows the call stack; chunks do not.
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array | null {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Float32 values as little-endian bytes whatever the host's byte order (DataView fixes the order). */
function toLittleEndianBytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytes;
}

export function serializeWeights(weights: DesignWeights): SerializedWeights {
  const tensors: Record<string, Record<string, { shape: readonly number[]; data: string }>> = {};
  for (const [nodeId, named] of weights) {
    tensors[nodeId] = {};
    for (const [name, t] of Object.entries(named)) {
      tensors[nodeId][name] = { shape: [...t.shape], data: bytesToBase64(toLittleEndianBytes(t.data)) };
    }
  }
  return { encoding: 'float32-le-base64', tensors };
}

/** Decodes one tensor; returns a message when its bytes do not make `shape` (the caller names the node). */
export function decodeTensor(shape: readonly number[], data: string): WeightTensor | string {
  const bytes = base64ToBytes(data);
  if (!bytes) return 'data is not base64';
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== count * 4) {
    return `holds ${bytes.length} bytes but shape [${shape.join(', ')}] needs ${count * 4} (${count} float32 values)`;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
  return { shape: [...shape], data: values };
}
