/**
 * Test support (imported by tests, e2e specs and scripts only, never by the app): the gallery under
 * templates/ read from disk in Node and loaded exactly as the app loads a file, through `parseDesign`.
 * The one place that knows where the templates live, so a test cannot drift into its own loader.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDesign } from '../file-format.ts';
import { formatIssue } from '../messages.ts';
import type { Design } from '../types.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const TEMPLATE_DIR = path.join(REPO_ROOT, 'templates');

/** The template files (every `*.json` but `index.json`), sorted by name. */
export function templateFileNames(): string[] {
  return readdirSync(TEMPLATE_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .sort();
}

/** `templates/index.json`, parsed but not validated: the catalogue's own tests decide what it must hold. */
export function readTemplateIndex(): unknown {
  return JSON.parse(readFileSync(path.join(TEMPLATE_DIR, 'index.json'), 'utf8'));
}

/** One template as a design; throws with every load message when it does not load (a broken fixture). */
export function loadTemplate(file: string): Design {
  const result = parseDesign(readFileSync(path.join(TEMPLATE_DIR, file), 'utf8'));
  if (!result.ok) throw new Error(`${file} does not load:\n${result.errors.map((e) => formatIssue(e)).join('\n')}`);
  return result.design;
}

/** Every template, sorted by file name. */
export function loadTemplates(): { file: string; design: Design }[] {
  return templateFileNames().map((file) => ({ file, design: loadTemplate(file) }));
}
