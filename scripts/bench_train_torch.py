"""Training speed in native PyTorch, the reference for `npm run bench:train`.

The network is NetCanvas's own PyTorch export of the design the browser trains (`--model-py`, the
exported model.py: `npm run bench:train` writes it), so the two sides cannot drift apart; it prints the
parameter count for the bench to check against NetCanvas's inference. Same optimiser (Adam, lr 1e-3), loss
(softmax cross-entropy; the log of the output when the model ends in softmax, as the exported train.py
does), batch size and data (uniform random images, random labels) as the browser run.

Two modes:
- one-shot (default): warm-up, then `--windows` timed windows; prints one JSON object with the median.
- `--serve`: a long-lived timer, so its start-up (importing torch, building the model, warm-up) is not in
  the figures and its windows can alternate with the browser's in one run. It prints one JSON line when
  ready, then answers each line `window SECONDS` on stdin with one JSON line (samples/s of that window)
  and exits on `quit` or end of input. Between requests it sits blocked on stdin, using no CPU.

Run with Debian's interpreter (/usr/bin/python3, package python3-torch).
"""
import argparse
import importlib.util
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn


def load_model(path: str) -> nn.Module:
    spec = importlib.util.spec_from_file_location("netcanvas_export", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # The exported module holds exactly one model class: the nn.Module that declares its input shapes.
    classes = [c for c in vars(module).values() if isinstance(c, type) and issubclass(c, nn.Module) and hasattr(c, "INPUT_SHAPES")]
    if len(classes) != 1:
        raise SystemExit(f"{path}: expected one exported model class, found {len(classes)}")
    return classes[0]()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model-py", required=True, help="NetCanvas's PyTorch export (model.py) of the design")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--windows", type=int, default=5)
    p.add_argument("--window-seconds", type=float, default=1.0)
    p.add_argument("--serve", action="store_true")
    args = p.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    model = load_model(args.model_py)
    model.train()
    params = sum(t.numel() for t in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    (channels, height, width), = model.INPUT_SHAPES
    probability = model.OUTPUT_IS_PROBABILITY[0]
    classes = model.OUTPUT_SHAPES[0][0]
    x = torch.rand(args.batch, channels, height, width)
    y = torch.randint(0, classes, (args.batch,))

    def step() -> None:
        opt.zero_grad(set_to_none=True)
        out = model(x)
        loss = F.nll_loss(torch.log(out.clamp_min(1e-12)), y) if probability else F.cross_entropy(out, y)
        loss.backward()
        opt.step()

    def window(seconds: float) -> dict:
        steps = 0
        t0 = time.perf_counter()
        while True:
            step()
            steps += 1
            elapsed = time.perf_counter() - t0
            if elapsed >= seconds:
                return {"samplesPerSec": steps * args.batch / elapsed, "steps": steps, "seconds": elapsed}

    for _ in range(args.warmup):
        step()
    about = {"threads": torch.get_num_threads(), "torch": torch.__version__, "params": params, "batch": args.batch}
    if args.serve:
        print(json.dumps({"ready": True, **about}), flush=True)
        for line in sys.stdin:
            words = line.split()
            if not words or words[0] == "quit":
                break
            if words[0] != "window" or len(words) != 2:
                print(json.dumps({"error": f"unknown request {line.strip()!r}: expected 'window SECONDS' or 'quit'"}), flush=True)
                continue
            print(json.dumps(window(float(words[1]))), flush=True)
        return
    speeds = [window(args.window_seconds)["samplesPerSec"] for _ in range(args.windows)]
    print(json.dumps({"samplesPerSec": statistics.median(speeds), "windows": speeds, **about}))


if __name__ == "__main__":
    main()
