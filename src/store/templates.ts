/**
 * Every templates/*.json, found at build time by Vite's glob and loaded lazily (one small chunk each), so
 * adding a template is adding a file. Only index.json is bundled eagerly: it names and orders the list.
 */
import { buildCatalogue, type TemplateEntry, type TemplateLoader } from './template-catalogue.ts';

export { defaultTemplate, type TemplateEntry, type TemplateLoader } from './template-catalogue.ts';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

const modules = import.meta.glob(['../../templates/*.json', '!../../templates/index.json'], { import: 'default' });
const indexModule = import.meta.glob('../../templates/index.json', { eager: true, import: 'default' });

export const templateCatalogue: readonly TemplateEntry[] = buildCatalogue(
  Object.keys(modules),
  Object.values(indexModule)[0],
);

const loaders = new Map(Object.entries(modules).map(([path, load]) => [baseName(path), load] as const));

export function templateLoader(file: string): TemplateLoader | undefined {
  return loaders.get(file);
}
