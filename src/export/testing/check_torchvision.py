"""Exported PyTorch templates against torchvision itself (run by pytorch-torchvision.test.ts).

Usage: check_torchvision.py MANIFEST.json

For each case: model.py's class and torchvision's own architecture (random initialisation, nothing
downloaded), then
- weights: torchvision's state_dict, its keys renamed by the manifest's plain rules (module path dots →
  underscores, a few listed renames), loaded into the export with strict=True; BatchNorm statistics and
  affine parameters are randomised first so that every tensor matters;
- logits: both models in eval mode on the same random batch; the largest absolute difference;
- memory: the peak bytes of tensors alive during one forward pass (no_grad, eval), counted by a
  TorchDispatchMode that sees every tensor an operator returns and a finaliser on each that tells when it
  dies (shared storages counted once); parameters and the input exist before and are not counted. The
  same meter on torchvision's model with every layer's output kept (peak_torchvision_retaining) shows
  that it sees tensors a forward keeps alive.
Prints one JSON object per case.
"""
import importlib.util
import json
import sys
import time
import weakref

import torch
import torchvision
from torch.utils._python_dispatch import TorchDispatchMode


def storage_of(t):
    return t.untyped_storage() if hasattr(t, "untyped_storage") else t.storage()


class PeakMemory(TorchDispatchMode):
    """Live bytes of the storages operators create, and their peak."""

    def __init__(self):
        super().__init__()
        self.live = {}  # storage data_ptr → [bytes, tensors referring to it]
        self.current = 0
        self.peak = 0

    def _release(self, ptr):
        entry = self.live.get(ptr)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] == 0:
            self.current -= entry[0]
            del self.live[ptr]

    def _track(self, t):
        if not isinstance(t, torch.Tensor):
            return
        st = storage_of(t)
        ptr, size = st.data_ptr(), st.nbytes()
        if size == 0:
            return
        entry = self.live.get(ptr)
        if entry is None:
            self.live[ptr] = [size, 1]
            self.current += size
            self.peak = max(self.peak, self.current)
        else:
            entry[1] += 1
        weakref.finalize(t, self._release, ptr)

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for t in out if isinstance(out, (tuple, list)) else (out,):
            self._track(t)
        return out


def peak_bytes(model, x):
    with torch.no_grad():
        meter = PeakMemory()
        with meter:
            y = model(x)
        del y
    return meter.peak


def peak_bytes_retaining(model, x):
    """The meter's own check: torchvision's model with every leaf module's output kept alive to the end,
    as a forward with one local per layer keeps them. A meter that missed retained tensors would read ~1×."""
    kept = []
    leaves = [m for m in model.modules() if next(m.children(), None) is None]
    handles = [m.register_forward_hook(lambda _m, _i, out: kept.append(out)) for m in leaves]
    try:
        return peak_bytes(model, x)
    finally:
        for h in handles:
            h.remove()
        kept.clear()


def load_export(folder, class_name):
    spec = importlib.util.spec_from_file_location(f"export_{abs(hash(folder))}", f"{folder}/model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, class_name)()


def torchvision_model(name):
    tv = torchvision.models
    if name == "googlenet":
        return tv.googlenet(weights=None, aux_logits=False, init_weights=True)
    return getattr(tv, name)(weights=None)


def renamed(key, renames):
    # None: the export is written with blocks, and its module paths are torchvision's own.
    if renames is None:
        return key
    for old, new in renames:
        key = key.replace(old, new)
    module, _, param = key.rpartition(".")
    return f"{module.replace('.', '_')}.{param}"


def randomise_batchnorm(model, generator):
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n, generator=generator) * 0.1)
            m.running_var.copy_(torch.rand(n, generator=generator) + 0.5)
            m.weight.data.copy_(torch.rand(n, generator=generator) + 0.5)
            m.bias.data.copy_(torch.randn(n, generator=generator) * 0.1)


def check(case):
    result = {"name": case["name"]}
    generator = torch.Generator().manual_seed(case["seed"])
    torch.manual_seed(case["seed"])
    reference = torchvision_model(case["torchvision"]).eval()
    with torch.no_grad():
        randomise_batchnorm(reference, generator)
    ours = load_export(case["dir"], case["className"]).eval()

    state = {renamed(k, case["renames"]): v for k, v in reference.state_dict().items()}
    ours.load_state_dict(state, strict=True)  # raises with the missing / unexpected keys
    result["keys"] = len(state)

    x = torch.randn(case["batch"], 3, case["size"], case["size"], generator=generator)
    started = time.time()
    with torch.no_grad():
        expected, got = reference(x), ours(x)
    result["logits_shape"] = list(got.shape)
    result["max_abs_diff"] = float((expected - got).abs().max())
    result["max_abs_logit"] = float(expected.abs().max())
    result["forward_s"] = round(time.time() - started, 2)

    if case.get("memory"):
        m = case["memory"]
        xm = torch.randn(m["batch"], 3, m["size"], m["size"], generator=generator)
        result["peak_torchvision"] = peak_bytes(reference, xm)
        result["peak_export"] = peak_bytes(ours, xm)
        result["peak_torchvision_retaining"] = peak_bytes_retaining(reference, xm)
    return result


def main():
    torch.set_num_threads(2)
    manifest = json.load(open(sys.argv[1], encoding="utf-8"))
    for case in manifest["cases"]:
        try:
            print(json.dumps(check(case)), flush=True)
        except Exception as error:  # one broken case must not hide the others' results
            print(json.dumps({"name": case["name"], "error": f"{type(error).__name__}: {error}"[:4000]}), flush=True)


if __name__ == "__main__":
    main()
