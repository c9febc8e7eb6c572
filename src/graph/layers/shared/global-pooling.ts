/** GlobalAvgPool2D and GlobalMaxPool2D share their shape rule (H×W×C → C) and differ only in their Keras class and ONNX op. */
import { defineLayer } from '../../layer-spec.ts';
import type { LayerKind, Localized } from '../../types.ts';
import { requireImage } from './common.ts';

/** `onnxOp` is the ONNX global pooling op; its [N, C, 1, 1] result is flattened to [N, C] as in Keras. */
export function globalPoolingLayer(kind: LayerKind, kerasClass: string, doc: Localized, onnxOp: 'GlobalAveragePool' | 'GlobalMaxPool') {
  return defineLayer({
    kind,
    category: 'pooling',
    title: { en: kind, es: kind },
    doc,
    params: {},
    inputs: { min: 1, max: 1 },
    accepts: 'image',
    window: null,
    explainSize: null,
    field: 'whole',
    flow: { keepsHead: true, keepsChannels: true, orderBlind: false, channelsParam: null, linear: onnxOp === 'GlobalMaxPool' ? 'never' : 'always' },
    summary: () => '',
    outputShape: ({ name, nodeId, inputs: [x] }) => {
      const shapeIssue = requireImage(name, nodeId, kind, x);
      return shapeIssue ? { shape: null, issues: [shapeIssue] } : { shape: [x[2]] };
    },
    weights: () => [],
    macs: () => 0,
    onnx: () => ({
      layout: 'channels-first',
      ops: [
        { op: onnxOp, inputs: [{ input: 0 }] },
        { op: 'Flatten', inputs: [{ step: 0 }], attributes: { axis: { int: 1 } } },
      ],
    }),
    keras: () => [{ className: kerasClass, config: {} }],
    torch: () => ({ modules: [], forward: kind === 'GlobalMaxPool2D' ? '{x}.amax(dim=(2, 3))' : '{x}.mean(dim=(2, 3))', weights: [] }),
  });
}
