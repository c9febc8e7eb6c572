import { describe, expect, it } from 'vitest';
import { DesignBuilder } from './builder.ts';
import { inferShapes } from './infer.ts';
import { buildKeras3Topology, buildKerasTopology, keras3VariableName, TF_KERAS_2, type KerasNaming } from './keras-topology.ts';
import type { Design, Shape } from './types.ts';

/** Names that show which call made them: nodes by id, helpers `${node}.${suffix}`, the model "m". */
function plainNaming(): KerasNaming {
  return {
    nodes: (_design, order) => new Map(order.map((id) => [id, id] as const)),
    helper: (node, suffix) => `${node}.${suffix}`,
    model: () => 'm',
  };
}

/** Input → padded conv (a two-layer chain: ZeroPadding2D + Conv2D) → Add(conv, conv) → Flatten → Dense. */
function design(): Design {
  const b = new DesignBuilder('t');
  const x = b.add('Input', { shape: [6, 6, 1] }, [], { id: 'x' });
  const c = b.add('Conv2D', { filters: 2, padding: 'explicit', pads: [1, 1, 1, 1] }, [x], { id: 'c' });
  const s = b.add('Add', {}, [c, c], { id: 's' });
  b.add('Dense', { units: 3 }, [b.add('Flatten', {}, [s], { id: 'f' })], { id: 'd' });
  return b.build();
}

describe('buildKerasTopology', () => {
  it("lays out each node's chain in topological order, wired by the names the target gives", () => {
    const d = design();
    const built = buildKerasTopology(d, inferShapes(d), { naming: plainNaming(), header: TF_KERAS_2 });
    expect(built.layers.map((l) => [l.nodeId, l.layer.className, l.name, l.inputs])).toEqual([
      ['x', 'InputLayer', 'x', []],
      ['c', 'ZeroPadding2D', 'c.pad', ['x']],
      ['c', 'Conv2D', 'c', ['c.pad']],
      ['s', 'Add', 's', ['c', 'c']],
      ['f', 'Flatten', 'f', ['s']],
      ['d', 'Dense', 'd', ['f']],
    ]);
    expect(built.names.get('c')).toEqual(['c.pad', 'c']);
    expect([built.modelName, built.inputs, built.outputs]).toEqual(['m', ['x'], ['d']]);
    const { json } = built;
    expect([json.class_name, json.keras_version, json.backend]).toEqual(['Functional', TF_KERAS_2.keras_version, TF_KERAS_2.backend]);
    expect(json.config.name).toBe('m');
    expect(json.config.input_layers).toEqual([['x', 0, 0]]);
    expect(json.config.output_layers).toEqual([['d', 0, 0]]);
    expect(json.config.layers[3]).toEqual({
      class_name: 'Add',
      name: 's',
      config: { name: 's', trainable: true },
      inbound_nodes: [[['c', 0, 0, {}], ['c', 0, 0, {}]]],
    });
    expect(json.config.layers[0].inbound_nodes).toEqual([]);
  });

  it("applies the target's rewrite with the chain's input shapes on its first layer and the output on its last", () => {
    const d = design();
    const inference = inferShapes(d);
    const seen: [string, readonly Shape[], Shape | null][] = [];
    const built = buildKerasTopology(d, inference, {
      naming: plainNaming(),
      header: TF_KERAS_2,
      rewrite: (layer, inputs, output) => {
        seen.push([layer.className, inputs, output]);
        return { ...layer, className: `My${layer.className}` };
      },
    });
    expect(seen.find(([cls]) => cls === 'ZeroPadding2D')).toEqual(['ZeroPadding2D', [[6, 6, 1]], null]);
    expect(seen.find(([cls]) => cls === 'Conv2D')).toEqual(['Conv2D', [], inference.nodes.get('c')!.outputShape]);
    expect(seen.find(([cls]) => cls === 'Add')).toEqual(['Add', [[6, 6, 2], [6, 6, 2]], [6, 6, 2]]);
    expect(built.json.config.layers.map((l) => l.class_name)).toEqual(['MyInputLayer', 'MyZeroPadding2D', 'MyConv2D', 'MyAdd', 'MyFlatten', 'MyDense']);
  });

  it("puts a target's inserted layers before the node, reading what the hook says, and counts them as the node's", () => {
    const d = design();
    const built = buildKerasTopology(d, inferShapes(d), {
      naming: plainNaming(),
      header: { keras_version: '3.0.0', backend: 'jax' },
      beforeNode: (sources, helper) => {
        if (sources.length < 2) return { layers: [], sources };
        const name = helper('copy');
        return { layers: [{ name, layer: { className: 'Identity', config: {} }, inputs: [sources[1]] }], sources: [sources[0], name] };
      },
    });
    expect(built.layers.slice(3, 5).map((l) => [l.nodeId, l.layer.className, l.name, l.inputs])).toEqual([
      ['s', 'Identity', 's.copy', ['c']],
      ['s', 'Add', 's', ['c', 's.copy']],
    ]);
    expect(built.names.get('s')).toEqual(['s.copy', 's']);
    expect([built.json.keras_version, built.json.backend]).toEqual(['3.0.0', 'jax']);
  });

  it('names every node before any helper, and the model last', () => {
    const calls: string[] = [];
    const naming: KerasNaming = {
      nodes: (_d, order) => (calls.push('nodes'), new Map(order.map((id) => [id, id] as const))),
      helper: (node, suffix) => (calls.push(`helper ${node}`), `${node}_${suffix}`),
      model: () => (calls.push('model'), 'm'),
    };
    const d = design();
    buildKerasTopology(d, inferShapes(d), { naming, header: TF_KERAS_2 });
    expect(calls).toEqual(['nodes', 'helper c', 'model']);
  });
});

describe('buildKeras3Topology', () => {
  const tensor = (layer: string, shape: (number | null)[]) => ({
    class_name: '__keras_tensor__',
    config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] },
  });

  it('renders the same layers as Keras 3 writes them: modules, build_config, call arguments with keras_history', () => {
    const d = design();
    const built = buildKeras3Topology(d, inferShapes(d), { naming: plainNaming() });
    const tfKeras2 = buildKerasTopology(d, inferShapes(d), { naming: plainNaming(), header: TF_KERAS_2 });
    expect(built.layers.map((l) => [l.name, l.inputs])).toEqual(tfKeras2.layers.map((l) => [l.name, l.inputs]));
    const { json } = built;
    expect([json.module, json.class_name, json.registered_name]).toEqual(['keras.src.models.functional', 'Functional', 'Functional']);
    // One input and one output: a single reference each, as Keras writes them.
    expect([json.config.input_layers, json.config.output_layers]).toEqual([['x', 0, 0], ['d', 0, 0]]);
    const [input, pad, conv, add, flatten, dense] = json.config.layers;
    expect(input).toEqual({
      module: 'keras.layers',
      class_name: 'InputLayer',
      config: { batch_shape: [null, 6, 6, 1], dtype: 'float32', sparse: false, name: 'x' },
      registered_name: null,
      name: 'x',
      inbound_nodes: [],
    });
    expect(pad.config).toEqual({ name: 'c.pad', trainable: true, dtype: 'float32', padding: [[1, 1], [1, 1]], data_format: 'channels_last' });
    expect(pad.build_config).toEqual({ input_shape: [null, 6, 6, 1] });
    // The helper's output shape (not inferred: the node's is the conv's) is the padded one.
    expect(conv.inbound_nodes).toEqual([{ args: [tensor('c.pad', [null, 8, 8, 1])], kwargs: {} }]);
    expect(conv.config.data_format).toBe('channels_last');
    // A merge is called on a list of tensors.
    expect(add.inbound_nodes).toEqual([{ args: [[tensor('c', [null, 6, 6, 2]), tensor('c', [null, 6, 6, 2])]], kwargs: {} }]);
    expect(add.build_config).toEqual({ input_shape: [[null, 6, 6, 2], [null, 6, 6, 2]] });
    expect(flatten.config.data_format).toBe('channels_last');
    expect(dense.config).not.toHaveProperty('data_format');
    expect(dense.inbound_nodes[0].args[0]).toEqual(tensor('f', [null, 72]));
  });

  it('writes Keras 3 names: LeakyReLU(negative_slope), silu, DepthwiseConv2D\'s variable "kernel"; several inputs as a list', () => {
    const b = new DesignBuilder('t');
    const x = b.add('Input', { shape: [4] }, [], { id: 'x' });
    const y = b.add('Input', { shape: [4] }, [], { id: 'y' });
    const l = b.add('Activation', { activation: 'leaky_relu', alpha: 0.1 }, [x], { id: 'l' });
    b.add('Dense', { units: 2, activation: 'swish' }, [b.add('Concatenate', {}, [l, y], { id: 'c' })], { id: 'd' });
    const d = b.build();
    const { json } = buildKeras3Topology(d, inferShapes(d), { naming: plainNaming() });
    const byName = new Map(json.config.layers.map((layer) => [layer.name, layer] as const));
    expect(byName.get('l')!.config).toEqual({ name: 'l', trainable: true, dtype: 'float32', negative_slope: 0.1 });
    expect(byName.get('d')!.config.activation).toBe('silu');
    expect(json.config.input_layers).toEqual([['x', 0, 0], ['y', 0, 0]]);
    expect(keras3VariableName('DepthwiseConv2D', 'depthwise_kernel')).toBe('kernel');
    expect(keras3VariableName('SeparableConv2D', 'depthwise_kernel')).toBe('depthwise_kernel');
    expect(() => keras3VariableName('NoSuchLayer', 'kernel')).toThrow(/no Keras 3 rendering for class NoSuchLayer/);
  });
});
