/**
 * Golden files (torchinfo's `.out` habit): for every template, what `netcanvas summary` prints (en, es)
 * and every text file `netcanvas export --to pytorch|keras` writes, stored under src/cli/golden/<template>/
 * as `<file>.out` (recorded output, not source: no tool should lint, run or count it as code).
 * The exporters are proven elsewhere by running torch, Keras and onnxruntime; these files exist so that a
 * change to a mapping shows up as a diff of generated code a reviewer can read. When a change is meant,
 * regenerate them and commit the diff with the change:
 *
 *   npx vitest run src/cli/golden.test.ts -u
 *
 * Designs written with blocks have theirs under src/cli/golden-blocks/<design>/.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportDesign, type ExportTarget } from '../export/index.ts';
import { inferShapes } from '../graph/infer.ts';
import type { Lang } from '../graph/types.ts';
import { loadTemplate, loadTemplateDocument, templateFileNames } from '../graph/testing/templates.ts';
import { resnet18WithBlocks } from '../graph/testing/block-designs.ts';
import { parseDesign } from '../graph/file-format.ts';
import { formatSummaryTable } from './summary.ts';

const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));
const TARGETS: readonly ExportTarget[] = ['pytorch', 'keras'];
const LANGS: readonly Lang[] = ['en', 'es'];

const templates = templateFileNames().map((file) => ({ file, name: file.replace(/\.json$/, '') }));

describe.each(templates)('$file', ({ file, name }) => {
  // What the CLI reads: the file's document, blocks and all (the summary shows them as indented rows).
  const design = loadTemplateDocument(file);

  it.each(LANGS)('summary.%s.out is what `netcanvas summary --lang` prints in that language', async (lang) => {
    // The CLI passes the path it was given as the source line; the goldens use the path from the repository root.
    const table = formatSummaryTable(design, inferShapes(loadTemplate(file)), lang, `templates/${file}`);
    await expect(table).toMatchFileSnapshot(`./golden/${name}/summary.${lang}.out`);
  });

  it.each(TARGETS)('%s: every text file the export writes', async (target) => {
    const result = await exportDesign(design, target);
    if (!result.ok) throw new Error(`${file} does not export to ${target}: ${result.issues.map((i) => i.code).join(', ')}`);
    const texts = result.files.filter((f) => typeof f.content === 'string');
    expect(texts.length, 'an export without text files has nothing to hold').toBeGreaterThan(0);
    for (const f of texts) await expect(f.content).toMatchFileSnapshot(`./golden/${name}/${target}/${f.path}.out`, f.path);
  });
});

/**
 * Designs written with blocks, beside the templates (their own folder, so the check below stays about
 * templates): the per-block PyTorch classes and Keras functions a reviewer reads in a diff.
 */
const BLOCK_DESIGNS = [{ name: 'resnet-18-blocks', doc: resnet18WithBlocks }];

describe.each(BLOCK_DESIGNS)('$name (written with blocks)', ({ name, doc }) => {
  it.each(TARGETS)('%s: every text file the export writes', async (target) => {
    const parsed = parseDesign(JSON.stringify(doc()));
    if (!parsed.ok) throw new Error(`${name} does not load`);
    const result = await exportDesign(parsed.design, target);
    if (!result.ok) throw new Error(`${name} does not export to ${target}: ${result.issues.map((i) => i.code).join(', ')}`);
    for (const f of result.files.filter((x) => typeof x.content === 'string')) {
      await expect(f.content).toMatchFileSnapshot(`./golden-blocks/${name}/${target}/${f.path}.out`, f.path);
    }
  });
});

it('holds a golden folder for each template and none for a template that is gone', () => {
  const folders = readdirSync(GOLDEN_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  expect(folders.sort()).toEqual(templates.map((t) => t.name).sort());
});
