"""LeNet-5 training speed in native PyTorch, the reference for `npm run bench:train`.

The same network as templates/lenet-5.json (32x32x1 input; conv 6@5x5 tanh, avg-pool 2, conv 16@5x5 tanh,
avg-pool 2, dense 120 tanh, 84 tanh, 10 logits), the same optimiser (Adam, lr 1e-3), loss (softmax
cross-entropy from logits), batch size and data (uniform random 32x32x1 images, random labels) as the
browser run. Prints one JSON object: samples/s as the median of timed windows after warm-up.

Run with Debian's interpreter (/usr/bin/python3, package python3-torch).
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


def lenet5() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.Tanh(),
        nn.Linear(120, 84), nn.Tanh(),
        nn.Linear(84, 10),
    )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--windows", type=int, default=5)
    p.add_argument("--window-seconds", type=float, default=1.0)
    args = p.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    model = lenet5()
    params = sum(t.numel() for t in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(args.batch, 1, 32, 32)
    y = torch.randint(0, 10, (args.batch,))

    def step() -> None:
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(args.warmup):
        step()
    speeds = []
    for _ in range(args.windows):
        steps = 0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < args.window_seconds:
            step()
            steps += 1
        speeds.append(steps * args.batch / (time.perf_counter() - t0))
    print(json.dumps({
        "samplesPerSec": statistics.median(speeds),
        "windows": speeds,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "params": params,
        "batch": args.batch,
    }))


if __name__ == "__main__":
    main()
