/**
 * MaxPool2D and AvgPool2D differ only in what they compute inside a window, not in their shape rule,
 * weights or mappings; this factory keeps that rule in one place. Each kind still has its own file.
 *
 * Padding follows PyTorch where TensorFlow has no word for it: explicit pads that a max never takes
 * (−∞) and an average counts only with count_include_pad, and ceil mode. Every target is given the same
 * windows: the exact padding each axis needs (`poolAxes`: the pads before, and how far the last window
 * reaches past the input, which ceil mode extends and the floor may cut short), so none relies on a
 * ceil mode of its own.
 */
import { defineLayer, type KerasLayer, type OnnxOp, type TorchMapping, type Window } from '../../layer-spec.ts';
import type { Issue } from '../../messages.ts';
import type { BoolParam, ParamSchema } from '../../params.ts';
import { windowOutputSize, windowReach } from '../../shape-math.ts';
import type { LayerKind, Localized, Shape } from '../../types.ts';
import {
  ceilModeParam,
  countIncludePadParam,
  hasErrors,
  pairParam,
  poolingPaddingParam,
  poolPadsParam,
  poolWindow,
  requireImage,
  sizeLabel,
  strideLabel,
  stridesParam,
  windowOutput,
  windowPads,
} from './common.ts';
import { zeroPadOp } from './onnx-common.ts';
import { fPad, pyBool, pyTuple } from './torch-common.ts';

/** One spatial axis of a pooling window over a known input size. */
export interface PoolAxis {
  readonly size: number;
  readonly k: number;
  readonly s: number;
  /** Declared padding before and after the input ('same': TensorFlow's split). */
  readonly before: number;
  readonly after: number;
  /** Padding after the input that the windows actually read (≥ 0): the floor may read less than `after`, ceil mode more. */
  readonly reach: number;
  readonly out: number;
}

/** Both axes (height, width) of a pooling window over an input whose sizes are known. */
export function poolAxes(input: Shape, win: Window): [PoolAxis, PoolAxis] {
  const pads = windowPads(input, win)!;
  const axis = (a: 0 | 1): PoolAxis => {
    const size = input[a] as number;
    const [k, s, before, after] = [win.kernel[a], win.strides[a], pads[a * 2], pads[a * 2 + 1]];
    const out = windowOutputSize(size, k, s, before, after, 1, win.ceil) as number;
    return { size, k, s, before, after, reach: Math.max(windowReach(size, k, s, before, after, 1, win.ceil), 0), out };
  };
  return [axis(0), axis(1)];
}

/**
 * How many values output `o` of an average divides by: its window within the padded input when the pads
 * count (PyTorch's count_include_pad, whose padded input ends at the declared pads, not at ceil mode's
 * reach), within the real input otherwise (TensorFlow's 'same', PyTorch's count_include_pad=False).
 */
export function poolDivisor(a: PoolAxis, o: number, includePad: boolean): number {
  const start = o * a.s - a.before;
  const [lo, hi] = includePad ? [-a.before, a.size + a.after] : [0, a.size];
  return Math.min(start + a.k, hi) - Math.max(start, lo);
}

/** Runs of consecutive outputs whose window divides by the same count: [first, last + 1, k / count]. */
function divisorRuns(a: PoolAxis, includePad: boolean): [number, number, number][] {
  const runs: [number, number, number][] = [];
  for (let o = 0; o < a.out; o++) {
    const factor = a.k / poolDivisor(a, o, includePad);
    const last = runs.at(-1);
    if (last && last[2] === factor) last[1] = o + 1;
    else runs.push([o, o + 1, factor]);
  }
  return runs;
}

interface PoolParams {
  readonly pool_size: readonly number[];
  readonly strides: readonly number[];
  readonly padding: 'valid' | 'same' | 'explicit';
  readonly pads: readonly number[];
  readonly ceil_mode: boolean;
  readonly count_include_pad?: boolean;
}

/** A pooling kind's parameters; AvgPool2D adds count_include_pad to the shared schema (the factory's `extra`). */
const pool = (params: object): PoolParams => params as PoolParams;

/** TensorFlow's own pooling computes it: 'valid' or 'same' in floor mode. */
function isNative(p: PoolParams): boolean {
  return p.padding !== 'explicit' && !(p.ceil_mode && p.padding === 'valid');
}

/** Whether an average divides by the padded window: explicit pads with count_include_pad ('same' never does). */
function includesPad(p: PoolParams): boolean {
  return p.padding === 'explicit' && p.count_include_pad === true;
}

/** A pad as large as the window would give a window of padding alone: −∞ for a max, 0/0 for an average. */
function padIssue(name: string, nodeId: string, p: PoolParams): Issue | null {
  if (p.padding !== 'explicit') return null;
  const bad = [0, 1, 2, 3].find((i) => p.pads[i] >= p.pool_size[i < 2 ? 0 : 1]);
  if (bad === undefined) return null;
  return {
    severity: 'error',
    code: 'pool-pad-too-large',
    nodeId,
    param: 'pads',
    values: { node: name, pads: `[${p.pads.join(', ')}]`, pool: sizeLabel(p.pool_size) },
  };
}

const KERAS_AXIS = [1, 2] as const;

/**
 * Rows (axis 0) or columns (axis 1) of the chain's layer `src`, from `start` to `end` (exclusive), of an
 * axis `size` long: a Cropping2D.
 */
function crop(src: number, axis: 0 | 1, size: number, start: number, end: number, suffix: string): KerasLayer {
  const keep = [start, size - end];
  return { className: 'Cropping2D', suffix, reads: [src], config: { cropping: axis === 0 ? [keep, [0, 0]] : [[0, 0], keep] } };
}

/**
 * The Keras layers of exact pooling, one node's small graph: TensorFlow pools only with 'valid' or
 * 'same' and pads only with zeros. A max reads no padding: every window holds a real pixel (pads <
 * window, and ceil mode drops a window that would start in the padding), so padding with copies of the
 * edge rows and columns (Cropping2D, UpSampling2D, Concatenate) gives the max of the real pixels, exactly.
 * An average pools the zero-padded input ('valid'), then rescales the edge rows and columns whose windows
 * divide by fewer values (Cropping2D, Rescaling by k/count, Concatenate). Every layer is a plain Keras
 * layer, so `model_from_json` and tfjs-layers load it.
 */
function kerasExactPooling(kerasClass: string, tag: string, p: PoolParams, x: Shape): KerasLayer[] {
  const chain = kerasExactPoolingChain(kerasClass, tag, p, x);
  const note =
    tag === 'max'
      ? 'PyTorch-style pads: copies of the edge rows and columns, which never win a max (as -inf pads), then a valid pool'
      : 'PyTorch-style pads: a valid pool over zero padding, then the edge rows and columns rescaled to divide by the values that count';
  return chain.length > 1 ? [{ ...chain[0], note }, ...chain.slice(1)] : chain;
}

function kerasExactPoolingChain(kerasClass: string, tag: string, p: PoolParams, x: Shape): KerasLayer[] {
  const axes = poolAxes(x, poolWindow(p));
  const chain: KerasLayer[] = [];
  const add = (layer: KerasLayer) => chain.push(layer) - 1;
  const pool = (src: number) =>
    add({ className: kerasClass, suffix: 'pool', reads: [src], config: { pool_size: [...p.pool_size], strides: [...p.strides], padding: 'valid' } });
  if (tag === 'max') {
    let src = -1;
    const sizes = [axes[0].size, axes[1].size];
    for (const a of [0, 1] as const) {
      const { before, reach } = axes[a];
      if (before === 0 && reach === 0) continue;
      const n = sizes[a];
      const edge = (start: number, count: number, side: string) => {
        const row = add(crop(src, a, n, start, start + 1, `edge_${side}`));
        if (count === 1) return row;
        const size = a === 0 ? [count, 1] : [1, count];
        return add({ className: 'UpSampling2D', suffix: `copies_${side}`, reads: [row], config: { size, interpolation: 'nearest' } });
      };
      const parts = [...(before > 0 ? [edge(0, before, a === 0 ? 'top' : 'left')] : []), src, ...(reach > 0 ? [edge(n - 1, reach, a === 0 ? 'bottom' : 'right')] : [])];
      src = add({ className: 'Concatenate', suffix: a === 0 ? 'pad_h' : 'pad_w', reads: parts, config: { axis: KERAS_AXIS[a] } });
      sizes[a] = n + before + reach;
    }
    pool(src);
    return chain;
  }
  const [h, w] = axes;
  const pads = [h.before, h.reach, w.before, w.reach];
  let src = -1;
  if (pads.some((v) => v > 0)) {
    src = add({ className: 'ZeroPadding2D', suffix: 'pad', reads: [src], config: { padding: [[h.before, h.reach], [w.before, w.reach]] } });
  }
  src = pool(src);
  for (const a of [0, 1] as const) {
    const runs = divisorRuns(axes[a], includesPad(p));
    if (runs.every(([, , f]) => f === 1)) continue;
    const parts = runs.map(([start, end, factor], i) => {
      const part = add(crop(src, a, axes[a].out, start, end, `${a === 0 ? 'rows' : 'cols'}${i}`));
      return factor === 1 ? part : add({ className: 'Rescaling', suffix: `${a === 0 ? 'rows' : 'cols'}${i}_scale`, reads: [part], config: { scale: factor, offset: 0 } });
    });
    if (runs.length === 1) {
      // Every output divides alike (one window): a Rescaling of the whole map, no cut.
      chain.pop();
      chain.pop();
      src = add({ className: 'Rescaling', suffix: `${a === 0 ? 'rows' : 'cols'}_scale`, reads: [src], config: { scale: runs[0][2], offset: 0 } });
      continue;
    }
    src = add({ className: 'Concatenate', suffix: a === 0 ? 'rows' : 'cols', reads: parts, config: { axis: KERAS_AXIS[a] } });
  }
  return chain;
}

/**
 * The PyTorch form. PyTorch's own modules take symmetric pads up to half the window (every torchvision
 * pool, and TensorFlow's 'same' when it pads evenly): printed as written. Others (uneven pads, pads above half the window, TensorFlow's uneven 'same')
 * pad first with F.pad, exactly as far as the windows reach: −∞ for a max; for an average, window sums
 * divided by the sums of a mask that is 1 where a value counts.
 */
function torchPooling(tag: string, p: PoolParams, x: Shape): TorchMapping {
  const win = poolWindow(p);
  const axes = poolAxes(x, win);
  const [h, w] = axes;
  const base = `kernel_size=${pyTuple(p.pool_size)}, stride=${pyTuple(p.strides)}`;
  const symmetric = axes.every((a) => a.before === a.after && 2 * a.before <= a.k);
  if (symmetric) {
    const padded = h.before > 0 || w.before > 0;
    const args = [
      base,
      ...(padded ? [`padding=${pyTuple([h.before, w.before])}`] : []),
      ...(p.ceil_mode ? ['ceil_mode=True'] : []),
      ...(tag === 'avg' && (padded || p.ceil_mode) ? [`count_include_pad=${pyBool(includesPad(p))}`] : []),
    ];
    return { modules: [{ ctor: `nn.${tag === 'max' ? 'MaxPool2d' : 'AvgPool2d'}(${args.join(', ')})` }], forward: '{m}({x})', weights: [] };
  }
  const reach = [w.before, w.reach, h.before, h.reach];
  if (tag === 'max') {
    return {
      modules: [{ ctor: `nn.MaxPool2d(${base})` }],
      forward: `{m}(${fPad('{x}', reach, 'float("-inf")')})`,
      weights: [],
      note: 'PyTorch pads max pooling evenly and at most half the window: −∞ padding first (padding never wins a max), as far as the windows reach',
    };
  }
  const ones = 'torch.ones_like({x}[:, :1])';
  const mask = includesPad(p)
    ? fPad(fPad(ones, [w.before, w.after, h.before, h.after], '1.0'), [0, w.reach - w.after, 0, h.reach - h.after])
    : fPad(ones, reach);
  return {
    modules: [{ ctor: `nn.AvgPool2d(${base})` }],
    forward: `{m}(${fPad('{x}', reach)}) / {m}(${mask})`,
    weights: [],
    note: `PyTorch pads average pooling evenly and at most half the window: window sums / counts of the values that count (${includesPad(p) ? 'pads included' : 'real pixels'})`,
  };
}

/** The ONNX form: the pool's own pads as far as the windows reach (no ceil_mode, whose rule runtimes differ on). */
function onnxPooling(tag: string, p: PoolParams, x: Shape): OnnxOp[] {
  const [h, w] = poolAxes(x, poolWindow(p));
  const attrs = { kernel_shape: { ints: p.pool_size }, strides: { ints: p.strides } };
  if (tag === 'max') return [{ op: 'MaxPool', inputs: [{ input: 0 }], attributes: { ...attrs, pads: { ints: [h.before, w.before, h.reach, w.reach] } } }];
  if (!includesPad(p) || (h.reach <= h.after && w.reach <= w.after)) {
    return [{ op: 'AveragePool', inputs: [{ input: 0 }], attributes: { ...attrs, pads: { ints: [h.before, w.before, h.reach, w.reach] }, count_include_pad: { int: includesPad(p) ? 1 : 0 } } }];
  }
  // Counted pads are zeros; ceil mode's reach past them is not counted (PyTorch's divisor).
  const [bottom, right] = [Math.min(h.after, h.reach), Math.min(w.after, w.reach)];
  return [
    zeroPadOp({ input: 0 }, [h.before, w.before, bottom, right]),
    { op: 'AveragePool', inputs: [{ step: 0 }], attributes: { ...attrs, pads: { ints: [0, 0, h.reach - bottom, w.reach - right] }, count_include_pad: { int: 0 } } },
  ];
}

export function poolingLayer<E extends ParamSchema>(kind: LayerKind, kerasClass: string, tag: 'max' | 'avg', doc: Localized, extra: E) {
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
      padding: poolingPaddingParam,
      pads: poolPadsParam,
      ceil_mode: ceilModeParam,
      ...extra,
    },
    inputs: { min: 1, max: 1 },
    accepts: 'image',
    window: (p) => poolWindow(pool(p)),
    explainSize: null,
    field: 'window',
    flow: { keepsHead: false, keepsChannels: true, orderBlind: false, channelsParam: null, linear: tag === 'max' ? 'never' : 'always' },
    summary: (params) => {
      const p = pool(params);
      const padding = p.padding === 'explicit' ? `pad [${p.pads.join(', ')}]` : p.padding;
      return [`${tag} ${sizeLabel(p.pool_size)}`, strideLabel(p.strides), padding, ...(p.ceil_mode ? ['ceil'] : [])].join(' · ');
    },
    outputShape: ({ name, nodeId, params, inputs: [x] }) => {
      const p = pool(params);
      const shapeIssue = requireImage(name, nodeId, kind, x);
      if (shapeIssue) return { shape: null, issues: [shapeIssue] };
      const padTooLarge = padIssue(name, nodeId, p);
      if (padTooLarge) return { shape: null, issues: [padTooLarge] };
      const win = windowOutput(name, nodeId, x, poolWindow(p));
      if (hasErrors(win.issues)) return { shape: null, issues: win.issues };
      return { shape: [win.h, win.w, x[2]], issues: win.issues };
    },
    weights: () => [],
    macs: () => 0,
    onnx: ({ params, inputs: [x] }) => ({ layout: 'channels-first', ops: onnxPooling(tag, pool(params), x) }),
    keras: ({ params, inputs: [x] }) => {
      const p = pool(params);
      return isNative(p)
        ? [{ className: kerasClass, config: { pool_size: [...p.pool_size], strides: [...p.strides], padding: p.padding } }]
        : kerasExactPooling(kerasClass, tag, p, x);
    },
    torch: ({ params, inputs: [x] }) => torchPooling(tag, pool(params), x),
  });
}

/** AvgPool2D's own parameter. */
export const countIncludePad: { readonly count_include_pad: BoolParam } = { count_include_pad: countIncludePadParam };
