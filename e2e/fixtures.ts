/** What several browser specs share: the templates as src/graph loads them, and where screenshots go. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue, parseDesign, type Design } from '../src/graph/index.ts';

export const TEMPLATES = join(import.meta.dirname, '..', 'templates');
export const SHOTS = join(import.meta.dirname, '..', 'test-results', 'screenshots');

export function loadTemplate(file: string): Design {
  const parsed = parseDesign(readFileSync(join(TEMPLATES, file), 'utf8'));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.errors.map((e) => formatIssue(e)).join('; ')}`);
  return parsed.design;
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
