/**
 * Receptive fields in src/graph: the textbook field (size, jump, start) against the exact box that follows
 * one position back through the graph, on every template; the tfjs gradient oracle lives in
 * src/compile/receptive-field.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { inferShapes } from './infer.ts';
import { LAYER_KINDS, layerSpec } from './layers/index.ts';
import { explainReceptiveField, fieldBox, fieldBoxAt, receptiveFields } from './receptive-field.ts';
import { loadTemplates } from './testing/templates.ts';

describe('receptive fields', () => {
  it("declares a 'window' field exactly for the kinds that have a window", () => {
    for (const kind of LAYER_KINDS) expect([kind, layerSpec(kind).field === 'window']).toEqual([kind, layerSpec(kind).window !== null]);
  });

  it.each(loadTemplates().map((t) => [t.file, t.design] as const))(
    'on %s, the textbook box of every position whose field lies inside the image is the box fieldBox follows back',
    (_, design) => {
      const inference = inferShapes(design);
      const fields = receptiveFields(design, inference);
      let compared = 0;
      for (const id of inference.order) {
        const out = inference.nodes.get(id)!.outputShape!;
        for (const [input, field] of fields.get(id)!) {
          if (field.kind !== 'local' || out.length !== 3) continue;
          const [h, w] = inference.nodes.get(input)!.outputShape! as number[];
          const position: [number, number] = [Math.floor((out[0] as number) / 2), Math.floor((out[1] as number) / 2)];
          const textbook = fieldBoxAt(field.axes, position);
          if (textbook.rows[0] < 0 || textbook.cols[0] < 0 || textbook.rows[1] >= h || textbook.cols[1] >= w) continue;
          expect([id, fieldBox(design, inference, id, position).get(input)]).toEqual([id, textbook]);
          compared++;
        }
      }
      const image = [...inference.nodes.values()].some((n) => n.inputShapes.length === 0 && n.outputShape?.length === 3);
      if (image) expect(compared).toBeGreaterThan(0);
    },
  );

  it("explains LeNet-5's C3 from pool1's field: r = 6 + (5 − 1)·1·2 = 14, j = 2·1 = 2", () => {
    const { design } = loadTemplates().find((t) => t.file === 'lenet-5.json')!;
    const inference = inferShapes(design);
    const [e] = explainReceptiveField(design, inference, receptiveFields(design, inference), 'conv2');
    expect(e.how).toBe('steps');
    expect(e.axes![0].size.formula).toBe('r_out = 6 + (5 − 1)·1·2 = 14');
    expect(e.axes![0].jump.formula).toBe('j_out = 2·1 = 2');
    expect(e.axes![0].start.formula).toBe('start_out = 2.5 + ((5 − 1)·1 / 2 − 0)·2 = 6.5');
  });
});
