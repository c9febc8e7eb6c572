"""Runs Keras exports under a real Keras 3 and compares them with the PyTorch export of the same design.

Usage: ../shared/keras/python check_keras.py MANIFEST.json   (run by keras-real.test.ts)

The manifest lists cases; each names a Keras export folder (model.py, model_config.json, maybe
weights.npz), a PyTorch export folder of the same design with the same weights, the PyTorch class name,
the input shapes (channels-last), and what the summary says: parameter counts and each node's layer
with its output shape. For every case this script

  - builds the model twice: `build_model()` from model.py (which loads weights.npz beside itself, run
    from another working directory) and `keras.models.model_from_json(model_config.json)`, whose
    variables it sets from weights.npz by their Keras 3 paths ("layer/weight");
  - does so with Keras configured channels_first, so a layer that does not state its data_format builds
    wrong or computes something else;
  - counts parameters, reads every node's output shape, runs both on seeded random inputs, and runs the
    PyTorch export on the same inputs (moved to channels-first) under torch.

It prints one JSON object per case on stdout and never stops at the first failure.
"""
import contextlib
import importlib.util
import json
import os
import sys
import tempfile
import time
import traceback

import numpy as np

import keras
import torch
from keras.src.backend.numpy import nn as numpy_nn
from keras.src.backend.numpy import random as numpy_random

torch.set_num_threads(1)


def _stable_moments(x, axes, keepdims=False, synchronized=False):
    """Mean and variance, the variance as E[(x − E[x])²]."""
    axes = tuple(axes) if isinstance(axes, list) else axes
    mean = np.mean(x, axes, keepdims=True)
    variance = np.mean(np.square(x - mean), axis=axes, keepdims=True)
    if not keepdims:
        mean, variance = np.squeeze(mean, axes), np.squeeze(variance, axes)
    return mean, variance


# LayerNormalization on the numpy (and jax, tensorflow) backend takes the variance as E[x²] − E[x]² in
# float32, which cancels catastrophically when the mean is large beside the spread; Keras's torch backend
# calls F.layer_norm instead. Measured on random design 98: 2.4e-4 from torch at output scale 2.0 with
# Keras's formula, 1e-6 with this one. The comparison checks the export's mapping (axis, epsilon, γ, β),
# so both Keras builds run with the stable variance.
numpy_nn.moments = _stable_moments
# Every layer of the export states channels_last; a global channels_first must change nothing.
keras.config.set_image_data_format("channels_first")


@contextlib.contextmanager
def zero_initialisers(active):
    """Initial values drawn as zeros: for a case exported without weights, whose values are not compared,
    so that building VGG-16 twice does not spend its time drawing 138 M random numbers twice."""
    if not active:
        yield
        return
    saved = {name: getattr(numpy_random, name) for name in ("uniform", "normal", "truncated_normal")}
    for name in saved:
        setattr(numpy_random, name, lambda shape, *args, dtype=None, **kwargs: np.zeros(shape, dtype=dtype or "float32"))
    try:
        yield
    finally:
        for name, fn in saved.items():
            setattr(numpy_random, name, fn)


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def as_list(outputs):
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


def max_abs(a, b):
    if a.shape != b.shape:
        return 1e300  # JSON has no infinity
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)))) if a.size else 0.0


def keras_side(model, case):
    """Parameter counts, each node's output shape, and the outputs on the case's inputs."""
    out = {
        "params": int(model.count_params()),
        "trainable": int(sum(int(np.prod(v.shape)) for v in model.trainable_weights)),
        "layerShapes": {},
    }
    for name in case["layers"]:
        out["layerShapes"][name] = list(model.get_layer(name).output.shape[1:])
    return out


def torch_outputs(case, inputs):
    module = load_module(os.path.join(case["torchDir"], "model.py"), f"netcanvas_torch_{case['index']}")
    cls = getattr(module, case["torchClass"])
    weights = os.path.join(case["torchDir"], "weights.npz")
    model = cls(weights=weights if case["weights"] else None).eval()
    with torch.no_grad():
        xs = [torch.from_numpy(np.moveaxis(x, -1, 1).copy() if x.ndim > 2 else x) for x in inputs]
        ys = as_list(model(*xs))
    return [y.movedim(1, -1).numpy() if y.dim() > 2 else y.numpy() for y in ys]


def set_by_path(model, path):
    """Sets every variable of `model` from the npz entry named by its Keras 3 path; all must be used."""
    with np.load(path) as arrays:
        keys = set(arrays.files)
        missing = [v.path for v in model.weights if v.path not in keys]
        if missing:
            raise ValueError(f"weights.npz lacks {missing}")
        for v in model.weights:
            v.assign(arrays[v.path])
        unused = keys - {v.path for v in model.weights}
        if unused:
            raise ValueError(f"weights.npz entries no variable has: {sorted(unused)}")


def tensor_refs(value):
    """Inbound node arguments with each serialised tensor reduced to (layer, node, index, shape)."""
    if isinstance(value, list):
        return [tensor_refs(v) for v in value]
    if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
        return [*value["config"]["keras_history"], value["config"]["shape"]]
    if isinstance(value, dict):
        return {k: tensor_refs(v) for k, v in value.items()}
    return value


def config_differences(ours, theirs):
    """Where model_config.json differs from Keras's own to_json() of the model model.py built.

    Every field we write must be what Keras writes; Keras adds defaults we leave out (initialisers,
    regularisers…), which are not compared. The layer dtype is written as "float32", which Keras writes
    as the float32 DTypePolicy; LayerNormalization's axis -1, which Keras resolves once built ([rank − 1]).
    Keras writes build_config only for layers with a build() of their own.
    """
    out = []
    for key in ("module", "class_name", "registered_name"):
        if ours.get(key) != theirs.get(key):
            out.append(f"model {key}: {ours.get(key)!r} vs Keras {theirs.get(key)!r}")
    for key in ("name", "input_layers", "output_layers"):
        if ours["config"][key] != theirs["config"][key]:
            out.append(f"model {key}: {ours['config'][key]!r} vs Keras {theirs['config'][key]!r}")
    keras_layers = {layer["name"]: layer for layer in theirs["config"]["layers"]}
    if sorted(keras_layers) != sorted(layer["name"] for layer in ours["config"]["layers"]):
        out.append(f"layers {sorted(layer['name'] for layer in ours['config']['layers'])} vs Keras {sorted(keras_layers)}")
        return out
    for layer in ours["config"]["layers"]:
        name, keras_layer = layer["name"], keras_layers[layer["name"]]
        for key in ("module", "class_name", "registered_name"):
            if layer[key] != keras_layer[key]:
                out.append(f"{name} {key}: {layer[key]!r} vs Keras {keras_layer[key]!r}")
        if tensor_refs(layer["inbound_nodes"]) != tensor_refs(keras_layer["inbound_nodes"]):
            out.append(f"{name} inbound: {tensor_refs(layer['inbound_nodes'])} vs Keras {tensor_refs(keras_layer['inbound_nodes'])}")
        if "build_config" in keras_layer and layer.get("build_config") != keras_layer["build_config"]:
            out.append(f"{name} build_config: {layer.get('build_config')} vs Keras {keras_layer['build_config']}")
        for key, value in layer["config"].items():
            theirs_value = keras_layer["config"].get(key, "<missing>")
            if key == "dtype" and isinstance(theirs_value, dict):
                theirs_value = theirs_value["config"]["name"]
            if key == "axis" and value == -1 and theirs_value == [len(layer["build_config"]["input_shape"]) - 1]:
                theirs_value = -1
            if value != theirs_value:
                out.append(f"{name} config {key}: {value!r} vs Keras {theirs_value!r}")
    return out


def check(case):
    started, cpu = time.time(), time.process_time()
    result = {"case": case["name"]}
    rng = np.random.default_rng(case["index"])
    inputs = [rng.uniform(-1, 1, size=(2, *shape)).astype(np.float32) for shape in case["inputShapes"]]

    # model.py from another working directory: it must find weights.npz beside itself.
    from_py = from_json = None
    try:
        with tempfile.TemporaryDirectory() as elsewhere:
            cwd = os.getcwd()
            os.chdir(elsewhere)
            try:
                module = load_module(os.path.join(case["dir"], "model.py"), f"netcanvas_keras_{case['index']}")
                with zero_initialisers(not case["weights"]):
                    from_py = module.build_model()
            finally:
                os.chdir(cwd)
        result["py"] = keras_side(from_py, case)
        with open(os.path.join(case["dir"], "model_config.json")) as f:
            result["configDiffs"] = config_differences(json.load(f), json.loads(from_py.to_json()))[:12]
    except Exception:
        result["pyError"] = traceback.format_exc(limit=-3)[-1500:]

    try:
        with open(os.path.join(case["dir"], "model_config.json")) as f:
            with zero_initialisers(not case["weights"]):
                from_json = keras.models.model_from_json(f.read())
        if case["weights"]:
            set_by_path(from_json, os.path.join(case["dir"], "weights.npz"))
        result["json"] = keras_side(from_json, case)
    except Exception:
        result["jsonError"] = traceback.format_exc(limit=-3)[-1500:]

    if case["weights"]:
        ys_torch = torch_outputs(case, inputs)
        result["scale"] = max((float(np.max(np.abs(y))) if y.size else 0.0) for y in ys_torch)
        ys = {}
        for key, model in (("py", from_py), ("json", from_json)):
            if model is None:
                continue
            try:
                ys[key] = [np.asarray(y) for y in as_list(model(inputs if len(inputs) > 1 else inputs[0]))]
                result[f"{key}VsTorch"] = (
                    max(max_abs(a, b) for a, b in zip(ys[key], ys_torch)) if len(ys[key]) == len(ys_torch) else 1e300
                )
            except Exception:
                result[f"{key}RunError"] = traceback.format_exc(limit=-3)[-1500:]
    result["seconds"] = round(time.time() - started, 3)
    # CPU time too: on a shared machine the wall clock says more about the neighbours than about the check.
    result["cpuSeconds"] = round(time.process_time() - cpu, 3)
    return result


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    for index, case in enumerate(cases):
        case["index"] = index
        try:
            result = check(case)
        except Exception:  # one broken export must not hide the others' results
            result = {"case": case["name"], "error": traceback.format_exc(limit=-3)[-1500:]}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
