/**
 * A `.keras` file's model.weights.h5 as design weights. Keras 3 stores each layer's variables as
 * `layers/<class in snake case>[_<n>]/vars/<i>` (keras.ts weightPaths), in the order of `layer.weights`, which is the order the layer files
 * declare them in (`weights()`: kernel then bias; γ, β, mean, variance; depthwise then pointwise); so
 * variable i of a node's own layer is its declared weight i, its shape checked against the declaration.
 * Loaded only with a `.keras` file (jsfive is not in the main bundle).
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
  try {
    root = new hdf5.File(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, file);
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
      let values: ArrayLike<number>;
      try {
        values = data.value;
      } catch (e) {
        return fail('import-keras-weights', { file, at: `${path}: ${e instanceof Error ? e.message : String(e)}` });
      }
      named[w.name] = { shape: [...shape], data: Float32Array.from(values) };
    });
    weights.set(node.id, named);
  }
  return weights;
}
