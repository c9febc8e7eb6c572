/**
 * The Keras import against NetCanvas's own Keras export: every template and RANDOM_DESIGNS seeded random
 * designs go out as model_config.json (src/export/keras.ts) and come back as the same design, node by
 * node in flow order: kind, every parameter, output shape and parameter count. Then bad input.
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { flattenDesign } from '../graph/blocks.ts';
import { inferShapes, layerSpec, mappingContext, type Design, type LayerKind } from '../graph/index.ts';
import { randomValidDesign } from '../graph/testing/random-design.ts';
import { loadTemplates } from '../graph/testing/templates.ts';
import { planKeras } from '../export/keras.ts';
import { importKerasConfig, importKerasFile, looksLikeKerasConfig } from './keras.ts';

const RANDOM_DESIGNS = 300;

/** What the design computes, node by node in flow order (ids aside: the export renames them). */
export function flowSignature(design: Design) {
  const inference = inferShapes(design);
  return inference.order.map((id) => {
    const n = inference.nodes.get(id)!;
    return { kind: n.kind, params: n.params, shape: n.outputShape, count: n.trainableParams + n.nonTrainableParams, context: mappingContext(n) };
  });
}

const kerasOf = (n: ReturnType<typeof flowSignature>[number]) => 
  // What the file holds of each layer: class and arguments (a chain's last layer carries the node's own name).
  layerSpec(n.kind as LayerKind)
    .keras({ ...n.context, name: '', nodeId: '' })
    .map((l, i, chain) => ({ className: l.className, config: l.config, ...(i < chain.length - 1 ? { suffix: l.suffix, reads: l.reads } : {}) }));

function roundTrip(design: Design) {
  const flat = flattenDesign(design);
  const config = planKeras(flat, inferShapes(flat)).config;
  const text = JSON.stringify(config);
  expect(looksLikeKerasConfig(JSON.parse(text))).toBe(true);
  const result = importKerasConfig(text, 'model_config.json');
  if (!result.ok) throw new Error(`${design.name}: ${result.issue.code} ${JSON.stringify(result.issue.values)}`);
  const got = flowSignature(result.design);
  const want = flowSignature(flat);
  const plain = (sig: typeof got) => sig.map(({ kind, shape, count }) => ({ kind, shape, count }));
  expect(plain(got), design.name).toEqual(plain(want));
  // Parameters equal, except where the file cannot tell them apart: pads no window reaches or a ceil
  // mode that adds no window write the same Keras layers (checked by rendering both with the layer file).
  let equivalent = 0;
  got.forEach((g, i) => {
    if (JSON.stringify(g.params) === JSON.stringify(want[i].params)) return;
    expect(kerasOf(g), `${design.name} node ${i} (${g.kind})`).toEqual(kerasOf(want[i]));
    equivalent++;
  });
  return { result, equivalent };
}

describe('Keras import: round trip through the Keras export', () => {
  for (const { file, design } of loadTemplates()) {
    it(`template ${file}`, () => {
      roundTrip(design);
    });
  }
  it(`${RANDOM_DESIGNS} random designs`, () => {
    let equivalent = 0;
    for (let seed = 1; seed <= RANDOM_DESIGNS; seed++) equivalent += roundTrip(randomValidDesign(seed)).equivalent;
    console.log(`Keras round trip: ${equivalent} nodes of ${RANDOM_DESIGNS} random designs came back with other parameters that write the same Keras layers`);
  }, 120_000);
});

describe('Keras import: bad input is a message, never a throw', () => {
  it('malformed JSON', () => {
    const r = importKerasConfig('{"class_name": "Functional", "config": {', 'broken.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue.code).toBe('import-keras-unreadable');
  });
  it('JSON that is neither a design nor a Keras config', () => {
    const r = importKerasConfig('{"hello": [1, 2, 3]}', 'other.json');
    expect(!r.ok && r.issue.code).toBe('import-keras-not-model');
  });
  it('an unknown class names the class and the layer', () => {
    const config = planKeras(randomValidDesign(3), inferShapes(randomValidDesign(3))).config;
    const layers = config.config.layers as unknown as Record<string, unknown>[];
    const victim = layers[layers.length - 1];
    victim.class_name = 'GRU';
    const r = importKerasConfig(JSON.stringify(config), 'm.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue).toMatchObject({ code: 'import-keras-class', values: { layer: victim.name, class: 'GRU' } });
  });
  it('channels_first and a custom class are refused by layer name', () => {
    const design = randomValidDesign(5);
    const config = planKeras(design, inferShapes(design)).config;
    const layers = config.config.layers as unknown as { name: string; config: Record<string, unknown>; registered_name: unknown }[];
    const withFormat = layers.find((l) => 'data_format' in l.config);
    if (withFormat) {
      withFormat.config.data_format = 'channels_first';
      const r = importKerasConfig(JSON.stringify(config), 'm.json');
      expect(!r.ok && r.issue).toMatchObject({ code: 'import-keras-channels-first', values: { layer: withFormat.name } });
      withFormat.config.data_format = 'channels_last';
    }
    layers[1].registered_name = 'my_package>MyLayer';
    const r = importKerasConfig(JSON.stringify(config), 'm.json');
    expect(!r.ok && r.issue).toMatchObject({ code: 'import-keras-custom', values: { layer: layers[1].name } });
  });
  it('a regulariser is dropped with a warning naming the layer', () => {
    const design = loadTemplates()[0].design;
    const flat = flattenDesign(design);
    const config = planKeras(flat, inferShapes(flat)).config;
    const layers = config.config.layers as unknown as { name: string; class_name: string; config: Record<string, unknown> }[];
    const dense = layers.find((l) => l.class_name === 'Dense' || l.class_name === 'Conv2D')!;
    dense.config.kernel_regularizer = { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 } };
    const r = importKerasConfig(JSON.stringify(config), 'm.json');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.warnings).toEqual([expect.objectContaining({ code: 'import-keras-dropped', values: { layer: dense.name, argument: 'kernel_regularizer' } })]);
  });
  it('a zip that is not a .keras, and a .keras with a missing or corrupt h5', async () => {
    const notZip = await importKerasFile(new Uint8Array([1, 2, 3, 4, 5]), 'x.keras');
    expect(!notZip.ok && notZip.issue.code).toBe('import-keras-zip');
    const other = await importKerasFile(zipSync({ 'readme.txt': new TextEncoder().encode('hi') }), 'y.keras');
    expect(!other.ok && other.issue).toMatchObject({ code: 'import-keras-zip', values: { file: 'y.keras' } });
    const design = randomValidDesign(7);
    const config = new TextEncoder().encode(JSON.stringify(planKeras(design, inferShapes(design)).config));
    const noH5 = await importKerasFile(zipSync({ 'config.json': config }), 'z.keras');
    expect(!noH5.ok && noH5.issue.code).toBe('import-keras-weights');
    const badH5 = await importKerasFile(zipSync({ 'config.json': config, 'model.weights.h5': new Uint8Array(64).fill(7) }), 'w.keras');
    expect(!badH5.ok && badH5.issue.code).toBe('import-keras-weights');
  });
});
