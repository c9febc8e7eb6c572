/**
 * What the palette lists: every registered layer kind, grouped by category in a fixed teaching order
 * (data in, features, downsampling, classifier, then the helpers), filtered by a search over the kind's
 * name and its translated title and description. Pure, so the component only renders it.
 */
import { BLOCK_LIBRARY } from '../../graph/block-library.ts';
import type { LayerCategory } from '../../graph/layer-spec.ts';
import { LAYERS } from '../../graph/layers/index.ts';
import type { LayerKind, Lang } from '../../graph/types.ts';

export const CATEGORY_ORDER: readonly LayerCategory[] = [
  'input',
  'convolution',
  'pooling',
  'dense',
  'normalization',
  'activation',
  'merge',
  'reshape',
];

/** The MIME type a palette item's drag carries (its value is the layer kind). */
export const LAYER_DRAG_TYPE = 'application/x-netcanvas-layer';

/** The MIME type a library block's drag carries (its value is the block's definition id). */
export const BLOCK_DRAG_TYPE = 'application/x-netcanvas-block';

export interface PaletteBlockItem {
  readonly id: string;
  readonly title: string;
  readonly doc: string;
}

export interface PaletteItem {
  readonly kind: LayerKind;
  readonly title: string;
  readonly doc: string;
}

export interface PaletteGroup {
  readonly category: LayerCategory;
  readonly items: readonly PaletteItem[];
}

/** Lower case without accents, so "normalizacion" finds "normalización". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/**
 * The groups to show for `query` (every word must occur in the kind, its title or its description, or in
 * the category's name); empty groups are left out. Kinds keep the registry's order within a group.
 */
export function paletteGroups(lang: Lang, query: string, categoryNames?: Readonly<Record<LayerCategory, string>>): PaletteGroup[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const groups: PaletteGroup[] = [];
  for (const category of CATEGORY_ORDER) {
    const items: PaletteItem[] = [];
    for (const spec of Object.values(LAYERS)) {
      if (spec.category !== category) continue;
      const item = { kind: spec.kind, title: spec.title[lang], doc: spec.doc[lang] };
      const haystack = fold(`${item.kind} ${item.title} ${item.doc} ${categoryNames?.[category] ?? category}`);
      if (words.every((w) => haystack.includes(w))) items.push(item);
    }
    if (items.length > 0) groups.push({ category, items });
  }
  return groups;
}

/** The library blocks matching `query` (the same word rule as the layers; `groupName` is the section's name). */
export function paletteBlocks(lang: Lang, query: string, groupName = ''): PaletteBlockItem[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  return BLOCK_LIBRARY.map((b) => ({ id: b.definition.id, title: b.title[lang], doc: b.doc[lang] })).filter((item) => {
    const haystack = fold(`${item.id} ${item.title} ${item.doc} ${groupName} block bloque`);
    return words.every((w) => haystack.includes(w));
  });
}
