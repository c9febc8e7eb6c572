/**
 * What several browser specs share: the templates as src/graph loads them (the unit tests' own loader),
 * the gallery as the app orders it, and where screenshots go.
 */
import { join } from 'node:path';
import { readTemplateIndex, templateFileNames } from '../src/graph/testing/templates.ts';
import { buildCatalogue, type TemplateEntry } from '../src/store/template-catalogue.ts';

export { loadTemplate } from '../src/graph/testing/templates.ts';
export const SHOTS = join(import.meta.dirname, '..', 'test-results', 'screenshots');

/** The template gallery in the order the app shows it (index.json first, then any unlisted file). */
export function galleryCatalogue(): TemplateEntry[] {
  return buildCatalogue(templateFileNames(), readTemplateIndex());
}

/** A file that loads but holds a mistake: a 5×5 kernel on a 3×3 input. */
export const TOO_BIG_KERNEL = {
  format: 'netcanvas',
  version: 1,
  name: 'Too-big kernel',
  nodes: [
    { id: 'in', kind: 'Input', params: { shape: [3, 3, 1] }, position: { x: 0, y: 0 } },
    { id: 'conv', kind: 'Conv2D', params: { filters: 4, kernel_size: [5, 5] }, position: { x: 0, y: 100 } },
  ],
  edges: [{ source: 'in', target: 'conv' }],
} as const;
