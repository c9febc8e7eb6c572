"""Real Keras 3 writes the models the Keras import test reads (src/import/keras-real.test.ts).

For each NAME given (NAME:config writes only the JSON): DIR/NAME.config.json (NetCanvas's model_config.json) is loaded with
keras.models.model_from_json, its variables set to seeded random values, and Keras's own files written:
NAME.keras.json (model.to_json()), NAME.keras (model.save), NAME.input.bin and NAME.logits.bin (float32,
model.predict on a seeded input). Prints one JSON line per model: name, trainable and non-trainable counts.
"""
import json
import sys

import numpy as np
import keras

out = sys.argv[1]
for arg in sys.argv[2:]:
    name, _, mode = arg.partition(":")
    with open(f"{out}/{name}.config.json") as f:
        model = keras.models.model_from_json(f.read())
    rng = np.random.default_rng(7)
    for v in model.weights:
        shape = tuple(v.shape)
        if "variance" in v.path:
            value = rng.uniform(0.5, 1.5, shape)
        else:
            value = rng.normal(0, 0.5 / np.sqrt(max(1, int(np.prod(shape[:-1])))), shape)
        v.assign(value.astype("float32"))
    with open(f"{out}/{name}.keras.json", "w") as f:
        f.write(model.to_json())
    if mode != "config":
        model.save(f"{out}/{name}.keras")
    x = rng.normal(0, 1, (1,) + tuple(model.inputs[0].shape[1:])).astype("float32")
    if mode != "config":
        y = model.predict(x, verbose=0)
        x.tofile(f"{out}/{name}.input.bin")
        np.asarray(y, dtype="float32").tofile(f"{out}/{name}.logits.bin")
    trainable = int(sum(np.prod(v.shape) for v in model.trainable_weights))
    non_trainable = int(sum(np.prod(v.shape) for v in model.non_trainable_weights))
    print(json.dumps({"name": name, "trainable": trainable, "nonTrainable": non_trainable}), flush=True)
