/**
 * The CLI on binary weight files, as users run it (the real bin in a child process): a .netcanvas is
 * summarised and exported exactly as the same design with inline weights, `--weights` attaches a
 * .safetensors to a .json design, and broken files end as one message naming the file and the tensor.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { flattenDesign } from '../graph/blocks.ts';
import { serializeDesign } from '../graph/file-format.ts';
import { inferShapes } from '../graph/infer.ts';
import { netcanvasChunks } from '../graph/netcanvas-file.ts';
import { safetensorsChunks } from '../graph/safetensors.ts';
import { randomDesignWeights } from '../graph/testing/random-weights.ts';
import { loadTemplate } from '../graph/testing/templates.ts';
import type { DesignWeights } from '../graph/weights.ts';
import { netcanvas } from './testing/run-bin.ts';

const dir = mkdtempSync(join(tmpdir(), 'netcanvas-cli-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => join(dir, name);

const concat = (chunks: readonly Uint8Array[]) => Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
/** An .npz's arrays by name (the zip's timestamps differ between runs; the arrays must not). */
const npzEntries = (path: string) => unzipSync(new Uint8Array(readFileSync(path)));

const design = loadTemplate('mnist-cnn.json');
const weights: DesignWeights = new Map(
  [...randomDesignWeights(inferShapes(flattenDesign(design)), 21)].filter(([, named]) => Object.keys(named).length > 0),
);

describe('netcanvas on .netcanvas and .safetensors files', () => {
  const json = file('mnist.json');
  const inline = file('mnist-inline.json');
  const container = file('mnist.netcanvas');
  const tensors = file('mnist.safetensors');
  writeFileSync(json, serializeDesign(design));
  writeFileSync(inline, serializeDesign(design, weights));
  writeFileSync(container, concat(netcanvasChunks(design, weights)));
  writeFileSync(tensors, concat(safetensorsChunks(weights)));

  it('summarises a .netcanvas as the same design in JSON', async () => {
    const [a, b] = await Promise.all([netcanvas(['summary', '--json', container]), netcanvas(['summary', '--json', json])]);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout));
  });

  it('exports a .netcanvas (as a file and from standard input), and a .json with --weights, with the same weights.npz as inline weights', async () => {
    const runs = await Promise.all([
      netcanvas(['export', inline, '--to', 'pytorch', '--out', file('inline')], '', 120_000),
      netcanvas(['export', container, '--to', 'pytorch', '--out', file('container')]),
      netcanvas(['export', '-', '--to', 'pytorch', '--out', file('stdin')], readFileSync(container)),
      netcanvas(['export', json, '--weights', tensors, '--to', 'pytorch', '--out', file('attached')]),
    ]);
    for (const r of runs) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/with its trained weights/);
    }
    const reference = npzEntries(file('inline/weights.npz'));
    expect(Object.keys(reference).length).toBeGreaterThan(0);
    expect(npzEntries(file('container/weights.npz'))).toEqual(reference);
    expect(npzEntries(file('stdin/weights.npz'))).toEqual(reference);
    expect(npzEntries(file('attached/weights.npz'))).toEqual(reference);
    expect(readFileSync(file('container/model.py'), 'utf8')).toBe(readFileSync(file('inline/model.py'), 'utf8'));
  });

  it('imports an ONNX model into a .netcanvas that exports the same weights as the design it came from', async () => {
    const onnxDir = file('onnx');
    expect((await netcanvas(['export', container, '--to', 'onnx', '--out', onnxDir])).code).toBe(0);
    const imported = file('imported.netcanvas');
    const run = await netcanvas(['import', join(onnxDir, 'model.onnx'), '--out', imported]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/weights included/);
    expect(readFileSync(imported).subarray(0, 2).toString()).toBe('PK');
    // NetCanvas's own ONNX comes back as the same design (ids included) with the same weights.
    const [again, original] = await Promise.all([
      netcanvas(['export', imported, '--to', 'pytorch', '--out', file('imported-pt')]),
      netcanvas(['export', container, '--to', 'pytorch', '--out', file('original-pt')]),
    ]);
    expect([again.code, original.code]).toEqual([0, 0]);
    expect(npzEntries(file('imported-pt/weights.npz'))).toEqual(npzEntries(file('original-pt/weights.npz')));
  });

  it('refuses a truncated .netcanvas and weights that do not fit, naming the file and tensor, writing nothing', async () => {
    const cut = file('cut.netcanvas');
    const bytes = readFileSync(container);
    writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    const other = loadTemplate('lenet-5.json');
    const wrong = file('lenet.safetensors');
    writeFileSync(wrong, concat(safetensorsChunks(randomDesignWeights(inferShapes(flattenDesign(other)), 2))));
    const [truncated, mismatch, twice] = await Promise.all([
      netcanvas(['export', cut, '--to', 'keras', '--out', file('cut-out'), '--lang', 'es']),
      netcanvas(['export', json, '--weights', wrong, '--to', 'pytorch', '--out', file('wrong-out')]),
      netcanvas(['export', container, '--weights', tensors, '--to', 'pytorch', '--out', file('twice-out')]),
    ]);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toBe(`netcanvas: ${cut} no es un archivo .netcanvas legible: está truncado o no es un zip (sus últimos bytes no tienen registro de fin de archivo)\n`);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(new RegExp(`^netcanvas: ${wrong}: tensor conv1\\.kernel is \\[5, 5, 1, 6\\] but the design's layer needs \\[5, 5, 1, 8\\]\\n$`));
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already carries trained weights; --weights .* would replace them/);
    for (const out of ['cut-out', 'wrong-out', 'twice-out']) expect(existsSync(file(out))).toBe(false);
  });
});
