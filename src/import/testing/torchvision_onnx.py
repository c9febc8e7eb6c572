"""Exports torchvision models to ONNX for the import test (src/import/torch-import.test.ts).

usage: torchvision_onnx.py OUT_DIR OPSET NAME [NAME ...]

For each NAME: the torchvision architecture with random weights (seeded; nothing is downloaded), its
BatchNorm statistics moved off their 0/1 start (so they are tested), in eval mode, exported with
torch.onnx.export at OPSET with BatchNorm kept (TrainingMode.PRESERVE: eval export would fold it into the
convs and the parameter counts would no longer be torchvision's). Writes NAME.onnx, NAME.input.bin and
NAME.logits.bin (float32, little-endian; the input is NCHW 1x3x224x224) and prints one JSON line per model
with torchvision's parameter and buffer counts.
"""
import json
import sys

import numpy as np
import torch
import torchvision

BUILDERS = {
    "vgg11": lambda: torchvision.models.vgg11(),
    "vgg16": lambda: torchvision.models.vgg16(),
    "resnet18": lambda: torchvision.models.resnet18(),
    "resnet50": lambda: torchvision.models.resnet50(),
    "mobilenet_v2": lambda: torchvision.models.mobilenet_v2(),
    "squeezenet1_0": lambda: torchvision.models.squeezenet1_0(),
    "googlenet": lambda: torchvision.models.googlenet(aux_logits=False, init_weights=True),
    "densenet121": lambda: torchvision.models.densenet121(),
    # Not torchvision's: bilinear up-sampling as PyTorch writes it (align_corners=False, which exports a
    # half_pixel Resize), by an even, an odd and unequal factors.
    "upsample_bilinear": lambda: torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3, stride=4),
        torch.nn.ReLU(),
        torch.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False),
        torch.nn.Conv2d(4, 6, 3, stride=4, padding=1),
        torch.nn.Upsample(scale_factor=(3, 2), mode="bilinear", align_corners=False),
        torch.nn.AdaptiveAvgPool2d(1),
        torch.nn.Flatten(),
        torch.nn.Linear(6, 10),
    ),
}


def main():
    out_dir, opset, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    torch.set_num_threads(1)
    for name in names:
        torch.manual_seed(0)
        model = BUILDERS[name]()
        # Running statistics other than 0 and 1, as a trained model has.
        gen = torch.Generator().manual_seed(1)
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
        model.eval()
        x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(2))
        with torch.no_grad():
            logits = model(x)
        path = f"{out_dir}/{name}.onnx"
        torch.onnx.export(
            model,
            x,
            path,
            opset_version=opset,
            training=torch.onnx.TrainingMode.PRESERVE,
            do_constant_folding=True,
            input_names=["input"],
            output_names=["logits"],
        )
        x.numpy().astype("<f4").tofile(f"{out_dir}/{name}.input.bin")
        logits.numpy().astype("<f4").tofile(f"{out_dir}/{name}.logits.bin")
        params = sum(p.numel() for p in model.parameters())
        buffers = sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
        print(json.dumps({"name": name, "params": params, "buffers": buffers, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
