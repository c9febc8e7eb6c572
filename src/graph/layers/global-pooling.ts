/** GlobalAvgPool2D and GlobalMaxPool2D share their shape rule (H×W×C → C) and differ only in Keras class. */
import { defineLayer } from '../layer-spec.ts';
import type { LayerKind, Localized } from '../types.ts';
import { requireImage } from './common.ts';

export function globalPoolingLayer(kind: LayerKind, kerasClass: string, doc: Localized) {
  return defineLayer({
    kind,
    category: 'pooling',
    title: { en: kind, es: kind },
    doc,
    params: {},
    inputs: { min: 1, max: 1 },
    summary: () => '',
    outputShape: ({ name, nodeId, inputs: [x] }) => {
      const shapeIssue = requireImage(name, nodeId, kind, x);
      return shapeIssue ? { shape: null, issues: [shapeIssue] } : { shape: [x[2]] };
    },
    weights: () => [],
    macs: () => 0,
    keras: () => [{ className: kerasClass, config: {} }],
  });
}
