/**
 * Test support (imported by tests, e2e specs and scripts only, never by the app): the gallery under
 * templates/ read from disk in Node and loaded exactly as the app loads a file, through `parseDesign`;
 * `loadTemplate` hands on the network that runs (blocks unfolded, as the app infers and exports it),
 * `loadTemplateDocument` the file's document (folded blocks, what the canvas shows first).
 * The one place that knows where the templates live, so a test cannot drift into its own loader.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { flattenDesign } from '../blocks.ts';
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

/**
 * One template as the document the file holds (block definitions and collapsed instances included);
 * throws with every load message when it does not load (a broken fixture).
 */
export function loadTemplateDocument(file: string): Design {
  const result = parseDesign(readFileSync(path.join(TEMPLATE_DIR, file), 'utf8'));
  if (!result.ok) throw new Error(`${file} does not load:\n${result.errors.map((e) => formatIssue(e)).join('\n')}`);
  return result.design;
}

/**
 * One template as the network that runs: its document with every block unfolded (`flattenDesign`), the
 * design the app infers, compiles, trains and exports. For a flat template the two are the same object.
 */
export function loadTemplate(file: string): Design {
  return flattenDesign(loadTemplateDocument(file));
}

/** Every template as the network that runs, sorted by file name. */
export function loadTemplates(): { file: string; design: Design }[] {
  return templateFileNames().map((file) => ({ file, design: loadTemplate(file) }));
}

/** Every template as its file holds it, sorted by file name. */
export function loadTemplateDocuments(): { file: string; design: Design }[] {
  return templateFileNames().map((file) => ({ file, design: loadTemplateDocument(file) }));
}

/**
 * How torchvision's module paths become the block templates' unfolded layer ids, as plain string
 * replacements applied in order (Python's `str.replace`, as src/export/testing/check_torchvision.py
 * applies them to state_dict keys). ResNet-18 and ResNet-50 need none: their stages are torchvision's
 * `layer1` … `layer4` and their blocks its BasicBlock/Bottleneck. GoogLeNet's modules sit inside a stage
 * per map size; DenseNet drops torchvision's `features.` and folds its stem into one block.
 */
export const TORCHVISION_PATHS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  'resnet-18.json': [],
  'resnet-50.json': [],
  'googlenet.json': [
    ['inception3', 'inception3.inception3'],
    ['inception4', 'inception4.inception4'],
    ['inception5', 'inception5.inception5'],
  ],
  'densenet-121.json': [
    ['features.conv0', 'stem.conv0'],
    ['features.norm0', 'stem.norm0'],
    ['features.', ''],
  ],
};

/** A torchvision module path as the template's unfolded id (TORCHVISION_PATHS). */
export function torchvisionPath(file: string, module: string): string {
  let id = module;
  for (const [from, to] of TORCHVISION_PATHS[file] ?? []) id = id.split(from).join(to);
  return id;
}
