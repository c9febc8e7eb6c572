import { defineLayer } from '../layer-spec.ts';
import { formatShape } from '../shape-math.ts';
import type { Dim } from '../types.ts';
import { channelAxis } from './shared/onnx-common.ts';

declare module '../types.ts' {
  interface LayerKindRegistry {
    Concatenate: true;
  }
}

export const concatenate = defineLayer({
  kind: 'Concatenate',
  category: 'merge',
  title: { en: 'Concatenate', es: 'Concatenate (concatenar)' },
  doc: {
    en: 'Stacks its inputs along the channel (last) axis, in input order (Inception, DenseNet, U-Net).',
    es: 'Apila sus entradas en el eje de canales (el último), en el orden de las entradas (Inception, DenseNet, U-Net).',
  },
  params: {},
  accepts: 'any',
  window: null,
  explainSize: null,
  field: 'pointwise',
  flow: { keepsHead: false, keepsChannels: false, orderBlind: false, channelsParam: null, linear: 'always' },
  inputs: { min: 2, max: 64 },
  summary: () => '',
  outputShape: ({ name, nodeId, inputs }) => {
    const first = inputs[0];
    const lead: Dim[] = [...first.slice(0, -1)];
    let channels: Dim = 0;
    for (const x of inputs) {
      if (x.length !== first.length) {
        return {
          shape: null,
          issues: [{ severity: 'error', code: 'rank-mismatch', nodeId, values: { node: name, a: formatShape(first), b: formatShape(x) } }],
        };
      }
      for (let i = 0; i < lead.length; i++) {
        if (lead[i] !== null && x[i] !== null && lead[i] !== x[i]) {
          return {
            shape: null,
            issues: [{ severity: 'error', code: 'concat-mismatch', nodeId, values: { node: name, a: formatShape(first), b: formatShape(x) } }],
          };
        }
        lead[i] = lead[i] ?? x[i];
      }
      const c = x[x.length - 1];
      channels = channels === null || c === null ? null : channels + c;
    }
    return { shape: [...lead, channels] };
  },
  weights: () => [],
  macs: () => 0,
  onnx: ({ inputs, layout }) => ({
    layout: 'any',
    ops: [{ op: 'Concat', inputs: inputs.map((_, slot) => ({ input: slot })), attributes: { axis: { int: channelAxis(layout) } } }],
  }),
  keras: () => [{ className: 'Concatenate', config: { axis: -1 } }],
  // Keras concatenates on the last axis, the channels: dim 1 in PyTorch's layout (and a vector's only axis).
  torch: () => ({ modules: [], forward: 'torch.cat([{xs}], dim=1)', weights: [] }),
});
