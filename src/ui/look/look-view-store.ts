/**
 * The look views' own state: the input the feature maps are computed for (kept while the user selects
 * other layers), and the canvas nodes' thumbnails (on or off, the latest picture per node). A tiny store
 * of its own, not a slice of the app store: these are pixels refreshed each second during a run, not part
 * of the document, and the node faces read them through one narrow selector each.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

export interface Thumb {
  readonly rgba: Uint8ClampedArray;
  readonly h: number;
  readonly w: number;
}

/** A test image by number, or pixels made on the page (drawn, uploaded) in the Input's shape. */
export type ChosenInput =
  | { readonly kind: 'test'; readonly index: number }
  | { readonly kind: 'pixels'; readonly source: 'draw' | 'upload'; readonly pixels: Float32Array; readonly serial: number };

interface LookViewState {
  readonly input: ChosenInput;
  readonly thumbnailsOn: boolean;
  readonly thumbs: ReadonlyMap<string, Thumb>;
  setInput(input: ChosenInput): void;
  setThumbnailsOn(on: boolean): void;
  setThumbs(thumbs: ReadonlyMap<string, Thumb>): void;
}

export const lookViewStore = createStore<LookViewState>()((set) => ({
  input: { kind: 'test', index: 0 },
  thumbnailsOn: false,
  thumbs: new Map(),
  setInput: (input) => set({ input }),
  setThumbnailsOn: (thumbnailsOn) => set(thumbnailsOn ? { thumbnailsOn } : { thumbnailsOn, thumbs: new Map() }),
  setThumbs: (thumbs) => set({ thumbs }),
}));

export function useLookView<T>(selector: (s: LookViewState) => T): T {
  return useStore(lookViewStore, selector);
}

/** A key that changes when the chosen input does (pixels by their serial: they are not compared). */
export function inputKey(input: ChosenInput): string {
  return input.kind === 'test' ? `test:${input.index}` : `${input.source}:${input.serial}`;
}
