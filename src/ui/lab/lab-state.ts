/**
 * The Kernel lab's state and its one reducer: the panel renders the state and dispatches these actions.
 * Pure, so every rule (a preset fixes the size, values keep 4 decimals, the probe stays on the map)
 * is tested without a page.
 */
import { roundKernelValue, type Kernel, type Mode, type SlideSettings } from './kernel-math.ts';
import { clampKernelSize, presetKernel, presetResizes, resizeKernel, type Preset } from './kernel-presets.ts';

export interface LabState {
  readonly kernel: Kernel;
  /** The preset the kernel still equals, or null once a value was edited. */
  readonly preset: Preset | null;
  readonly mode: Mode;
  readonly settings: SlideSettings;
  /** The output value whose arithmetic is written out [row, column]. */
  readonly probe: readonly [number, number];
}

export type LabAction =
  | { readonly type: 'preset'; readonly preset: Preset }
  | { readonly type: 'size'; readonly size: number }
  | { readonly type: 'cell'; readonly index: number; readonly value: number }
  | { readonly type: 'mode'; readonly mode: Mode }
  | { readonly type: 'settings'; readonly settings: Partial<SlideSettings> }
  | { readonly type: 'probe'; readonly at: readonly [number, number]; readonly bounds: readonly [number, number] };

export const MAX_STRIDE = 4;
export const MAX_DILATION = 4;

export const initialLabState: LabState = {
  kernel: presetKernel('sobelX', 3),
  preset: 'sobelX',
  mode: 'correlation',
  settings: { stride: 1, dilation: 1, padding: 'valid' },
  probe: [0, 0],
};

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(v) || lo));

export function labReducer(state: LabState, action: LabAction): LabState {
  switch (action.type) {
    case 'preset':
      return { ...state, preset: action.preset, kernel: presetKernel(action.preset, state.kernel.size) };
    case 'size': {
      const size = clampKernelSize(action.size);
      // A resizable preset is rebuilt at the new size; anything else keeps its centre.
      const kernel = state.preset && presetResizes(state.preset) ? presetKernel(state.preset, size) : resizeKernel(state.kernel, size);
      return { ...state, kernel, preset: state.preset && presetResizes(state.preset) ? state.preset : null, probe: [0, 0] };
    }
    case 'cell': {
      if (!Number.isFinite(action.value) || action.index < 0 || action.index >= state.kernel.values.length) return state;
      const values = state.kernel.values.map((v, i) => (i === action.index ? roundKernelValue(action.value) : v));
      return { ...state, kernel: { ...state.kernel, values }, preset: null };
    }
    case 'mode':
      return { ...state, mode: action.mode };
    case 'settings': {
      const next = { ...state.settings, ...action.settings };
      return {
        ...state,
        settings: { stride: clamp(next.stride, 1, MAX_STRIDE), dilation: clamp(next.dilation, 1, MAX_DILATION), padding: next.padding },
        probe: [0, 0],
      };
    }
    case 'probe': {
      const [h, w] = action.bounds;
      if (h < 1 || w < 1) return state;
      return { ...state, probe: [clamp(action.at[0], 0, h - 1), clamp(action.at[1], 0, w - 1)] };
    }
  }
}
