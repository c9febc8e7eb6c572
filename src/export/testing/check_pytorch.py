"""Checks exported PyTorch models against what NetCanvas inferred and what tfjs computed.

Usage: check_pytorch.py MANIFEST.json   (run by pytorch.test.ts)

The manifest lists cases; each has a folder holding the export (model.py, maybe weights.npz), and
optionally inputs.npz / expected.npz: the tfjs model's inputs and outputs (channels-last, with the batch).
For every case this script imports model.py, instantiates the class, counts parameters and buffers,
runs a forward pass (on the tfjs inputs, moved to channels-first, or on zeros) and compares shapes and
values. It prints one JSON object per case on stdout; it never stops at the first failure.
"""
import importlib.util
import json
import sys
import time
import traceback

import numpy as np
import torch

torch.set_num_threads(max(1, torch.get_num_threads()))


def channels_first(array):
    """[N, d1, …, C] → [N, C, d1, …] (a vector [N, F] stays)."""
    return array if array.ndim <= 2 else np.moveaxis(array, -1, 1)


def channels_last(tensor):
    return tensor if tensor.dim() <= 2 else tensor.movedim(1, -1)


def check(index, case):
    started = time.time()
    result = {"case": case["name"]}
    spec = importlib.util.spec_from_file_location(f"netcanvas_export_{index}", f"{case['dir']}/model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = getattr(module, case["className"])()
    result["trainable"] = sum(p.numel() for p in model.parameters() if p.requires_grad)
    result["frozen"] = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    # BatchNorm's num_batches_tracked is PyTorch bookkeeping, not a weight: Keras has no counterpart.
    result["buffers"] = sum(b.numel() for name, b in model.named_buffers() if not name.endswith("num_batches_tracked"))
    if case.get("weights"):
        model.load_weights(f"{case['dir']}/weights.npz")
    model.eval()
    if case.get("inputs"):
        with np.load(f"{case['dir']}/inputs.npz") as arrays:
            inputs = [torch.from_numpy(channels_first(arrays[f"input_{i}"]).copy()) for i in range(len(case["inputShapes"]))]
    else:
        inputs = [torch.zeros(1, *([s[-1], *s[:-1]] if len(s) > 1 else s)) for s in case["inputShapes"]]
    with torch.no_grad():
        outputs = model(*inputs)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    result["shapes"] = [list(o.shape[1:]) for o in outputs]
    if case.get("expected"):
        with np.load(f"{case['dir']}/expected.npz") as arrays:
            diffs = []
            for i, output in enumerate(outputs):
                expected = arrays[f"output_{i}"].astype(np.float64)
                got = channels_last(output).double().numpy()
                if got.shape != expected.shape:
                    diffs.append(float("inf"))
                    continue
                diffs.append(float(np.max(np.abs(got - expected))) if got.size else 0.0)
                result.setdefault("scale", []).append(float(np.max(np.abs(expected))) if expected.size else 0.0)
            result["maxAbs"] = max(diffs) if diffs else 0.0
    result["seconds"] = round(time.time() - started, 3)
    return result


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    for index, case in enumerate(cases):
        try:
            result = check(index, case)
        except Exception:  # one broken export must not hide the others' results
            result = {"case": case["name"], "error": traceback.format_exc(limit=4)}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
