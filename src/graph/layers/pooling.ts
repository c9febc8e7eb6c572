/**
 * MaxPool2D and AvgPool2D differ only in what they compute inside a window, not in their shape rule,
 * weights or Keras mapping; this factory keeps that rule in one place. Each kind still has its own file.
 */
import { defineLayer } from '../layer-spec.ts';
import type { LayerKind, Localized } from '../types.ts';
import {
  hasErrors,
  pairParam,
  poolPaddingParam,
  requireImage,
  sizeLabel,
  strideLabel,
  stridesParam,
  windowOutput,
} from './common.ts';

export function poolingLayer(kind: LayerKind, kerasClass: string, tag: string, doc: Localized) {
  return defineLayer({
    kind,
    category: 'pooling',
    title: { en: kind, es: kind },
    doc,
    params: {
      pool_size: pairParam(2, 1, {
        en: 'Height and width of each pooling window.',
        es: 'Alto y ancho de cada ventana de agrupación.',
      }),
      strides: stridesParam(2),
      padding: poolPaddingParam,
    },
    inputs: { min: 1, max: 1 },
    summary: (p) => [`${tag} ${sizeLabel(p.pool_size)}`, strideLabel(p.strides), p.padding].join(' · '),
    outputShape: ({ name, nodeId, params: p, inputs: [x] }) => {
      const shapeIssue = requireImage(name, nodeId, kind, x);
      if (shapeIssue) return { shape: null, issues: [shapeIssue] };
      const win = windowOutput(name, nodeId, x, { kernel: p.pool_size, strides: p.strides, padding: p.padding });
      if (hasErrors(win.issues)) return { shape: null, issues: win.issues };
      return { shape: [win.h, win.w, x[2]], issues: win.issues };
    },
    weights: () => [],
    macs: () => 0,
    keras: ({ params: p }) => [
      { className: kerasClass, config: { pool_size: [...p.pool_size], strides: [...p.strides], padding: p.padding } },
    ],
  });
}
