import { describe, expect, it } from 'vitest';
import { DesignBuilder } from '../graph/index.ts';
import type { Design } from '../graph/types.ts';
import type { DataSummary } from '../train/protocol.ts';
import {
  dataIdentity,
  designFingerprint,
  isDigitLike,
  RESULT_VIEWS,
  staleReasons,
  viewState,
  type OpenState,
  type ResultView,
  type RunRecord,
  type ViewState,
} from './run-record.ts';

function design(units = 10): Design {
  const b = new DesignBuilder('Net');
  const input = b.add('Input', { shape: [28, 28, 1] }, [], { id: 'in' });
  b.chain(input, [['Flatten', {}, { id: 'flat' }], ['Dense', { units, activation: 'softmax' }, { id: 'out' }]]);
  return b.build();
}

const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const fashion = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

function summary(name: string, classes: readonly string[], patch: Partial<DataSummary> = {}): DataSummary {
  return { name, classes, shape: [28, 28, 1], trainCount: 100, testCount: 20, perClass: classes.map(() => 10), testPerClass: classes.map(() => 2), ...patch };
}

const mnist = dataIdentity(summary('mnist', digits));
const base = design();
const record: RunRecord = { designKey: designFingerprint(base), data: mnist, origin: 'trained', hasCurves: true };

/** Every kind of change after a run on MNIST, as what is open afterwards. */
const changes: Record<string, OpenState> = {
  'nothing changed': { designKey: designFingerprint(base), data: mnist },
  'the same dataset loaded again': { designKey: designFingerprint(base), data: dataIdentity(summary('mnist', digits)) },
  'a layer moved, the design renamed, notes written': {
    designKey: designFingerprint({ ...base, name: 'Renamed', notes: { en: 'n' }, nodes: base.nodes.map((n) => ({ ...n, position: { x: n.position.x + 50, y: 3 }, notes: { en: 'x' } })) }),
    data: mnist,
  },
  'Fashion-MNIST chosen': { designKey: designFingerprint(base), data: dataIdentity(summary('fashion-mnist', fashion)) },
  'own images with other classes under the same name': { designKey: designFingerprint(base), data: dataIdentity(summary('mnist', ['a', 'b'])) },
  'the same name and classes but other images': { designKey: designFingerprint(base), data: dataIdentity(summary('mnist', digits, { fingerprint: 'other' })) },
  'no data loaded (the worker lost it)': { designKey: designFingerprint(base), data: null },
  'a parameter edited': { designKey: designFingerprint(design(12)), data: mnist },
  'another design opened': { designKey: designFingerprint({ ...base, nodes: base.nodes.filter((n) => n.id !== 'flat') }), data: mnist },
  'no design open': { designKey: null, data: mnist },
};

const CURRENT: Record<ResultView, ViewState> = {
  accuracy: 'current',
  curves: 'current',
  confusion: 'current',
  misclassified: 'current',
  'predict-test': 'current',
  'predict-upload': 'current',
  'draw-pad': 'current',
};
const PREVIOUS: Record<ResultView, ViewState> = {
  accuracy: 'previous',
  curves: 'previous',
  confusion: 'previous',
  misclassified: 'previous',
  'predict-test': 'hidden',
  'predict-upload': 'hidden',
  'draw-pad': 'hidden',
};

const expected: Record<string, Record<ResultView, ViewState>> = {
  'nothing changed': CURRENT,
  'the same dataset loaded again': CURRENT,
  'a layer moved, the design renamed, notes written': CURRENT,
  'Fashion-MNIST chosen': PREVIOUS,
  'own images with other classes under the same name': PREVIOUS,
  'the same name and classes but other images': PREVIOUS,
  'no data loaded (the worker lost it)': PREVIOUS,
  'a parameter edited': PREVIOUS,
  'another design opened': PREVIOUS,
  'no design open': PREVIOUS,
};

describe('run record: which results views stay after each kind of change', () => {
  for (const [change, now] of Object.entries(changes)) {
    it(`after "${change}"`, () => {
      const states = Object.fromEntries(RESULT_VIEWS.map((v) => [v, viewState(v, record, now, true)]));
      expect(states).toEqual(expected[change]);
    });
  }

  it('names why results are stale: the design, the data, or both', () => {
    expect(staleReasons(record, changes['nothing changed'])).toEqual([]);
    expect(staleReasons(record, changes['Fashion-MNIST chosen'])).toEqual(['data']);
    expect(staleReasons(record, changes['a parameter edited'])).toEqual(['design']);
    expect(staleReasons(record, { designKey: changes['a parameter edited'].designKey, data: null })).toEqual(['design', 'data']);
  });

  it('without a run nothing is shown', () => {
    for (const v of RESULT_VIEWS) expect(viewState(v, null, changes['nothing changed'], true)).toBe('hidden');
  });

  it('loaded weights not yet evaluated show nothing; once evaluated on the open data, everything but curves', () => {
    const loaded: RunRecord = { designKey: record.designKey, data: null, origin: 'loaded', hasCurves: false };
    for (const v of RESULT_VIEWS) expect(viewState(v, loaded, changes['nothing changed'], false)).toBe('hidden');
    const evaluated: RunRecord = { ...loaded, data: mnist };
    const states = Object.fromEntries(RESULT_VIEWS.map((v) => [v, viewState(v, evaluated, changes['nothing changed'], true)]));
    expect(states).toEqual({ ...CURRENT, curves: 'hidden' });
  });

  it('the draw pad is only for digit-like data: gray images of the classes 0 … 9', () => {
    expect(isDigitLike(mnist)).toBe(true);
    expect(isDigitLike(dataIdentity(summary('fashion-mnist', fashion)))).toBe(false);
    expect(isDigitLike(dataIdentity(summary('shapes', ['circle', 'square', 'triangle'])))).toBe(false);
    expect(isDigitLike(dataIdentity(summary('rgb digits', digits, { shape: [28, 28, 3] })))).toBe(false);
    const fashionRun: RunRecord = { ...record, data: dataIdentity(summary('fashion-mnist', fashion)) };
    expect(viewState('draw-pad', fashionRun, { designKey: record.designKey, data: fashionRun.data }, true)).toBe('hidden');
    expect(viewState('predict-upload', fashionRun, { designKey: record.designKey, data: fashionRun.data }, true)).toBe('current');
  });

  it('the fingerprint ignores parameter key order but not parameter values or wiring', () => {
    const reordered: Design = { ...base, nodes: base.nodes.map((n) => ({ ...n, params: Object.fromEntries(Object.entries(n.params).reverse()) })) };
    expect(designFingerprint(reordered)).toBe(designFingerprint(base));
    const rewired: Design = { ...base, edges: base.edges.map((e, i) => (i === 0 ? { ...e, targetSlot: 1 } : e)) };
    expect(designFingerprint(rewired)).not.toBe(designFingerprint(base));
  });
});
