import { unzipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { loadTemplate } from '../graph/testing/templates.ts';
import { InferenceSession, inferShapes } from '../graph/infer.ts';
import type { Design } from '../graph/types.ts';
import { bundleZip, EXPORT_TARGETS, exportDesign, isExportTarget } from './index.ts';
import { exportKeras } from './keras.ts';
import { exportOnnx } from './onnx.ts';
import { exportPytorch } from './pytorch.ts';

function mnist(): Design {
  return loadTemplate('mnist-cnn.json');
}

describe('exportDesign', () => {
  it('hands each target to its exporter and returns what that exporter returns', async () => {
    const design = mnist();
    const direct = { pytorch: exportPytorch(design), keras: exportKeras(design), onnx: exportOnnx(design) };
    expect([...EXPORT_TARGETS].sort()).toEqual(['keras', 'onnx', 'pytorch']);
    for (const target of EXPORT_TARGETS) expect(await exportDesign(design, target)).toEqual(direct[target]);
  });

  it('answers a design with errors with its issues, for every target', async () => {
    const design = mnist();
    const broken: Design = {
      ...design,
      nodes: design.nodes.map((n) => (n.id === 'conv2' ? { ...n, params: { ...n.params, kernel_size: [30, 30] } } : n)),
    };
    for (const target of EXPORT_TARGETS) {
      const result = await exportDesign(broken, target);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.issues.map((i) => i.code)).toContain('kernel-too-large');
    }
  });

  it("takes the caller's inference instead of inferring again, and writes the same files with it", async () => {
    const design = mnist();
    const inference = inferShapes(design);
    for (const target of EXPORT_TARGETS) {
      const own = await exportDesign(design, target);
      const update = vi.spyOn(InferenceSession.prototype, 'update');
      try {
        expect(await exportDesign(design, target, { inference })).toEqual(own);
        expect(update, target).not.toHaveBeenCalled();
      } finally {
        update.mockRestore();
      }
    }
  });

  it('knows its targets and nothing else', () => {
    expect(EXPORT_TARGETS.every(isExportTarget)).toBe(true);
    for (const other of ['tensorflow', 'toString', '__proto__', '', undefined, 3]) expect(isExportTarget(other)).toBe(false);
  });
});

describe('bundleZip', () => {
  it('zips text and binary files under their folders, byte for byte', () => {
    const binary = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) % 256);
    const zip = bundleZip([
      { path: 'design.json', content: '{"name": "Ñandú ✓"}\n' },
      { path: 'pytorch/model.py', content: 'import torch\n' },
      { path: 'onnx/model.onnx', content: binary },
    ]);
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(['design.json', 'onnx/model.onnx', 'pytorch/model.py']);
    expect(new TextDecoder().decode(files['design.json'])).toBe('{"name": "Ñandú ✓"}\n');
    expect(new TextDecoder().decode(files['pytorch/model.py'])).toBe('import torch\n');
    expect(files['onnx/model.onnx']).toEqual(binary);
  });

  it('zips every file of every target of a real export', async () => {
    const design = mnist();
    const all = [];
    for (const target of EXPORT_TARGETS) {
      const result = await exportDesign(design, target);
      if (!result.ok) throw new Error(`${target} did not export`);
      all.push(...result.files.map((f) => ({ ...f, path: `${target}/${f.path}` })));
    }
    const files = unzipSync(bundleZip(all));
    expect(Object.keys(files).sort()).toEqual(all.map((f) => f.path).sort());
    for (const f of all) {
      const bytes = typeof f.content === 'string' ? new TextEncoder().encode(f.content) : f.content;
      expect(files[f.path]).toEqual(bytes);
    }
  });

  it('refuses paths that could escape the folder they are unzipped into, and duplicates', () => {
    for (const path of ['../x.py', 'a/../../x.py', 'a//b.py', '', 'a/./b.py', '/etc/passwd', 'a\\..\\..\\x.py', 'dir/']) {
      expect(() => bundleZip([{ path, content: 'x' }]), path).toThrow(/not a relative file path/);
    }
    expect(() => bundleZip([{ path: 'a.py', content: 'x' }, { path: 'a.py', content: 'y' }])).toThrow(/twice/);
  });
});
