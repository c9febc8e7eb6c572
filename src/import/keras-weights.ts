/**
 * A `.keras` file's model.weights.h5 as design weights. Keras 3 stores each layer's variables as
 * `layers/<class in snake case>[_<n>]/vars/<i>` (keras.ts weightPaths), in the order of `layer.weights`, which is the order the layer files
 * declare them in (`weights()`: kernel then bias; γ, β, mean, variance; depthwise then pointwise); so
 * variable i of a node's own layer is its declared weight i, its shape checked against the declaration.
 * Loaded only with a `.keras` file (jsfive is not in the main bundle).
 *
 * jsfive reads a dataset's `value` element by element into a plain Array (8 bytes a number, boxed reads):
 * VGG-16's 553 MB took ~2 minutes and 4.5 GB. h5py, which Keras saves with, stores float32 variables
 * contiguous and unfiltered (filters need chunked storage), so those are taken as views of the file
 * instead; anything else (chunked, compressed, big-endian, float64) goes through jsfive's `value`.
 */
import * as hdf5 from 'jsfive';
import { inferShapes, type Design, type IssueCode, type IssueValues } from '../graph/index.ts';
import type { DesignWeights, WeightTensor } from '../graph/weights.ts';
import type { KerasImportLayer } from './keras.ts';

export function readKerasWeights(
  bytes: Uint8Array,
  design: Design,
  nodeLayer: ReadonlyMap<string, KerasImportLayer>,
  /** Layer name → its group in the file (`layers/conv2d_1`). */
  paths: ReadonlyMap<string, string>,
  file: string,
  fail: (code: IssueCode, values: IssueValues) => never,
): DesignWeights {
  let root: hdf5.File;
  // jsfive wants an ArrayBuffer of the file alone: the unzipped entry normally is one (no copy).
  const buffer = (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
  try {
    root = new hdf5.File(buffer, file);
    void root.keys;
  } catch (e) {
    return fail('import-keras-weights', { file, at: e instanceof Error ? e.message : String(e) });
  }
  const inference = inferShapes(design);
  const weights = new Map<string, Record<string, WeightTensor>>();
  for (const node of design.nodes) {
    const declared = inference.nodes.get(node.id)!.weights;
    if (declared.length === 0) continue;
    const layer = nodeLayer.get(node.id)!.name;
    const named: Record<string, WeightTensor> = {};
    declared.forEach((w, i) => {
      const path = `${paths.get(layer)}/vars/${i}`;
      let data: hdf5.Dataset | hdf5.Group | undefined;
      try {
        data = root.get(path);
      } catch (e) {
        fail('import-keras-weights', { file, at: `${path}: ${e instanceof Error ? e.message : String(e)}` });
      }
      if (!data || !('shape' in data)) return fail('import-keras-weight-missing', { file, layer, variable: path, weight: w.name });
      const shape = data.shape;
      if (shape.length !== w.shape.length || shape.some((d, k) => d !== w.shape[k])) {
        return fail('import-keras-weight-shape', { file, layer, variable: path, got: shape.join('×'), want: w.shape.join('×') });
      }
      let values: Float32Array;
      try {
        values = contiguousFloat32(data, buffer) ?? Float32Array.from(data.value);
      } catch (e) {
        return fail('import-keras-weights', { file, at: `${path}: ${e instanceof Error ? e.message : String(e)}` });
      }
      named[w.name] = { shape: [...shape], data: values };
    });
    weights.set(node.id, named);
  }
  return weights;
}

/** HDF5's data layout message (type 8) and its contiguous class; an address of all ones means "never written". */
const DATA_LAYOUT_MESSAGE = 8;
const CONTIGUOUS = 1;
const UNDEFINED_ADDRESS = 0xffff_ffff_ffff_ffffn;

/**
 * A little-endian float32 dataset stored contiguously, as a Float32Array over the file's bytes (a view when
 * its address is 4-byte aligned, else one copy); null when the dataset is stored any other way.
 */
export function contiguousFloat32(data: hdf5.Dataset, buffer: ArrayBuffer): Float32Array | null {
  if (data.dtype !== '<f4') return null;
  const objects = data._dataobjects;
  const layout = objects.find_msg_type(DATA_LAYOUT_MESSAGE)[0];
  if (!layout) return null;
  const [, , layoutClass, propertyOffset] = objects._get_data_message_properties(layout.get('offset_to_message'));
  if (layoutClass !== CONTIGUOUS) return null;
  const address = new DataView(buffer).getBigUint64(propertyOffset, true);
  if (address === UNDEFINED_ADDRESS) return null;
  const start = Number(address);
  const length = data.shape.reduce((a, b) => a * b, 1);
  if (start + length * 4 > buffer.byteLength) throw new Error(`data at byte ${start} runs past the end of the file (${buffer.byteLength} bytes)`);
  return start % 4 === 0 ? new Float32Array(buffer, start, length) : new Float32Array(buffer.slice(start, start + length * 4));
}
