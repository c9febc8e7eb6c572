/**
 * `netcanvas import`: the real bin in a child process. An ONNX file written by the exporter comes back as
 * a design file that loads with the same layers and its weights; a file that is not ONNX is one line on
 * stderr (English or Spanish), exit 1, and nothing written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { planKeras } from '../export/keras.ts';
import { exportOnnx } from '../export/onnx.ts';
import { inferShapes } from '../graph/index.ts';
import { parseDesign } from '../graph/file-format.ts';
import { loadTemplate } from '../graph/testing/templates.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/netcanvas.mjs');
const dir = mkdtempSync(join(tmpdir(), 'netcanvas-import-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

describe('netcanvas import', () => {
  it('writes an ONNX model as a design file with its weights', () => {
    const design = loadTemplate('mnist-cnn.json');
    const exported = exportOnnx(design);
    if (!exported.ok) throw new Error('export failed');
    writeFileSync(join(dir, 'm.onnx'), exported.files[0].content as Uint8Array);
    const r = run(['import', join(dir, 'm.onnx'), '--out', join(dir, 'm.json')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('NetCanvas, opset 13');
    const back = parseDesign(readFileSync(join(dir, 'm.json'), 'utf8'));
    if (!back.ok) throw new Error('the written design does not load');
    expect(back.design.nodes.map((n) => [n.id, n.kind])).toEqual(design.nodes.map((n) => [n.id, n.kind]));
    expect(back.weights?.size).toBe([...design.nodes].filter((n) => ['Conv2D', 'Dense', 'BatchNorm'].includes(n.kind)).length);
  });

  it('refuses a file that is not ONNX in one line, in Spanish too, and writes nothing', () => {
    writeFileSync(join(dir, 'bad.onnx'), '{"not": "onnx"}');
    for (const lang of ['en', 'es']) {
      const r = run(['import', join(dir, 'bad.onnx'), '--out', join(dir, 'bad.json'), '--lang', lang]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(lang === 'en' ? 'is not a readable ONNX model' : 'no es un modelo ONNX legible');
      expect(existsSync(join(dir, 'bad.json'))).toBe(false);
    }
  });

  it('reads a Keras model_config.json by its content, and refuses a JSON that is neither, in Spanish too', () => {
    const design = loadTemplate('lenet-5.json');
    const config = planKeras(design, inferShapes(design)).config;
    writeFileSync(join(dir, 'model_config.json'), JSON.stringify(config));
    const r = run(['import', join(dir, 'model_config.json'), '--out', join(dir, 'k.json')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Keras 3 Functional');
    const back = parseDesign(readFileSync(join(dir, 'k.json'), 'utf8'));
    if (!back.ok) throw new Error('the written design does not load');
    expect(back.design.nodes.map((n) => n.kind)).toEqual(design.nodes.map((n) => n.kind));
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    for (const lang of ['en', 'es']) {
      const bad = run(['import', join(dir, 'other.json'), '--out', join(dir, 'other-out.json'), '--lang', lang]);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain(lang === 'en' ? 'nor a Keras model config' : 'ni una configuración de modelo Keras');
      expect(existsSync(join(dir, 'other-out.json'))).toBe(false);
    }
  });
});
