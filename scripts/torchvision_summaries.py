"""Ground truth for the templates built from torchvision: per-layer output shapes and parameter counts.

Writes src/graph/testing/torchvision-summaries.json in the format of ../shared/reference (see its README):
ResNet-50, GoogLeNet (no auxiliary heads) and DenseNet-121 at 224×224×3, as Debian's python3-torchvision
builds them with random weights (nothing is downloaded). Run under the Python that has torchvision:

    /usr/bin/python3 scripts/torchvision_summaries.py

Rows are the calls of leaf modules in forward order. Unlike the shared reference, a ReLU that torchvision
applies as a function (GoogLeNet's BasicConv2d, DenseNet-121's last one) gets a row too, with its type
`ReLU` and its module named `<caller>:F.relu`, since the templates have an Activation node there and the
comparison must account for it. Other functional calls (torch.cat, flatten, `out += identity`) have none.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F
import torchvision
from torch.overrides import TorchFunctionMode

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "graph", "testing", "torchvision-summaries.json")


def models():
    tv = torchvision.models
    return {
        "resnet50": tv.resnet50(weights=None),
        "googlenet": tv.googlenet(weights=None, aux_logits=False, init_weights=True),
        "densenet121": tv.densenet121(weights=None),
    }


def summarise(model):
    model.eval()
    rows = []
    names = {m: n for n, m in model.named_modules()}
    stack = []  # modules being called: a functional relu inside a leaf module (nn.ReLU's own) is not a row

    def pre(module, _inputs):
        stack.append(names[module])

    def post(module, _inputs, output):
        stack.pop()
        if next(module.children(), None) is None:
            rows.append({
                "module": names[module],
                "type": type(module).__name__,
                "out": list(output.shape),
                "params": sum(p.numel() for p in module.parameters()),
            })

    class FunctionalRelu(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            if func is F.relu and not any(leaf(n) for n in stack[-1:]):
                rows.append({"module": f"{stack[-1] if stack else ''}:F.relu", "type": "ReLU", "out": list(out.shape), "params": 0})
            return out

    leaves = {n for n, m in model.named_modules() if next(m.children(), None) is None}
    leaf = leaves.__contains__
    handles = [m.register_forward_pre_hook(pre) for m in model.modules()]
    handles += [m.register_forward_hook(post) for m in model.modules()]
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad(), FunctionalRelu():
        y = model(x)
    for h in handles:
        h.remove()
    params = sum(p.numel() for p in model.parameters())
    return {
        "input": list(x.shape),
        "output": list(y.shape),
        "params": params,
        "trainable": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "bn_buffers": sum(b.numel() for n, b in model.named_buffers() if n.endswith(("running_mean", "running_var"))),
        "layers": rows,
    }


def main():
    torch.manual_seed(0)
    result = {"torchvision": torchvision.__version__}
    for key, model in models().items():
        result[key] = summarise(model)
        print(f"{key}: {result[key]['params']:,} params, {len(result[key]['layers'])} rows", file=sys.stderr)
    with open(OUT, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
