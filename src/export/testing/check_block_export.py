"""Runs a design's per-block PyTorch export beside its flat export (run by pytorch-blocks.test.ts).

Usage: check_block_export.py MANIFEST.json

For each case the manifest names two folders, each holding an export with the same weights.npz keyed by
that export's own state_dict. Both classes load their weights (strict: load_weights refuses a file that
does not fit), run in eval mode on the same random inputs, and the largest absolute difference of their
outputs is printed with the class names the block export defines, one JSON object per case.
"""
import importlib.util
import inspect
import json
import sys
import traceback

import torch


def load(folder, name, tag):
    spec = importlib.util.spec_from_file_location(f"{tag}_{name}", f"{folder}/model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    classes = [c.__name__ for _, c in inspect.getmembers(module, inspect.isclass) if issubclass(c, torch.nn.Module) and c.__module__ == module.__name__]
    return getattr(module, name), classes


def check(i, case):
    out = {"name": case["name"]}
    Blocks, classes = load(case["blocks"], case["className"], f"blocks{i}")
    Flat, _ = load(case["flat"], case["className"], f"flat{i}")
    out["classes"] = classes
    blocks = Blocks(weights=f"{case['blocks']}/weights.npz").eval()
    flat = Flat(weights=f"{case['flat']}/weights.npz").eval()
    out["keys"] = sorted(blocks.state_dict().keys())
    torch.manual_seed(case["seed"])
    inputs = [torch.randn(2, *shape) for shape in Blocks.INPUT_SHAPES]
    with torch.no_grad():
        a, b = blocks(*inputs), flat(*inputs)
    a = a if isinstance(a, tuple) else (a,)
    b = b if isinstance(b, tuple) else (b,)
    out["shapes"] = [list(t.shape) for t in a]
    out["flat_shapes"] = [list(t.shape) for t in b]
    out["max_abs_diff"] = max(float((x - y).abs().max()) for x, y in zip(a, b))
    out["max_abs"] = max(float(x.abs().max()) for x in b)
    return out


def main():
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    for i, case in enumerate(manifest["cases"]):
        try:
            result = check(i, case)
        except Exception:
            result = {"name": case["name"], "error": traceback.format_exc()}
        print(json.dumps(result), flush=True)


main()
