/**
 * A design built from blocks exports (blocks unfolded first) to PyTorch that real torch runs, and its
 * model matches torchvision's ResNet-18 built by Debian's torchvision: the same parameter tensors (as a
 * multiset of shapes), the same count, and logits of the same shape. Needs /usr/bin/python3 with torch and
 * torchvision; under CI a missing one fails (findPython throws) instead of skipping.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../graph/file-format.ts';
import { resnet18WithBlocks } from '../graph/testing/block-designs.ts';
import { exportDesign } from '../export/index.ts';
import { findPython, runPython } from '../export/testing/python.ts';

const python = findPython(['torch', 'torchvision']);

const SCRIPT = `
import importlib.util, json, sys, inspect
import torch, torchvision
spec = importlib.util.spec_from_file_location("exported", sys.argv[1] if len(sys.argv) > 1 else sys.stdin.readline().strip())
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
cls = [c for _, c in inspect.getmembers(module, inspect.isclass) if issubclass(c, torch.nn.Module) and c.__module__ == module.__name__][-1]
ours, theirs = cls().eval(), torchvision.models.resnet18().eval()
shapes = lambda m: sorted(list(p.shape) for p in m.parameters())
with torch.no_grad():
    y = ours(torch.randn(2, 3, 224, 224))
print(json.dumps({
    "same_shapes": shapes(ours) == shapes(theirs),
    "ours": sum(p.numel() for p in ours.parameters()),
    "theirs": sum(p.numel() for p in theirs.parameters()),
    "logits": list(y.shape),
}))
`;

describe.skipIf(python === null)('PyTorch export of a design with blocks', () => {
  it('ResNet-18 from blocks runs in torch with torchvision\'s parameter tensors', async () => {
    const r = parseDesign(resnet18WithBlocks());
    if (!r.ok) throw new Error('fixture does not load');
    const out = await exportDesign(r.design, 'pytorch');
    if (!out.ok) throw new Error(out.issues.map((i) => i.code).join(', '));
    const dir = mkdtempSync(path.join(tmpdir(), 'netcanvas-blocks-'));
    const model = out.files.find((f) => f.path === 'model.py')!;
    writeFileSync(path.join(dir, 'model.py'), model.content as string);
    const result = JSON.parse(runPython(python!, SCRIPT, `${path.join(dir, 'model.py')}\n`));
    expect(result.same_shapes).toBe(true);
    expect(result.ours).toBe(result.theirs);
    expect(result.logits).toEqual([2, 1000]);
  }, 120_000);
});
