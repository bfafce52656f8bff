"""Serving Keras models without Keras: export to LiteRT, and run an exported model.

A LiteRT interpreter runs the project's small models in about a millisecond, where a Keras
`predict()` call costs ~45 ms; the app serves only the exported files and never imports
TensorFlow.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
from ai_edge_litert.interpreter import Interpreter

from emotion.backend import keras, tensorflow
from emotion.fitting import predicted_labels
from emotion.labels import EMOTIONS
from emotion.threads import budget


class LiteRTModel:
    """One exported model, fed by input name ("patch", "summary"...) one example at a time.

    Calls are serialised by a lock: an interpreter must not run two inputs at once, and the app
    calls from the Streamlit script and from media-stream threads. It runs on the process's
    thread budget (`emotion.threads`) unless given `threads`.
    """

    def __init__(self, path: Path, threads: int | None = None) -> None:
        self.path = path
        threads = budget() if threads is None else threads
        self._interpreter = Interpreter(model_path=str(path), num_threads=threads)
        self._interpreter.allocate_tensors()
        self._inputs = {
            self._input_name(detail["name"]): detail
            for detail in self._interpreter.get_input_details()
        }
        self._output = self._interpreter.get_output_details()[0]["index"]
        self._lock = threading.Lock()

    @staticmethod
    def _input_name(tensor_name: str) -> str:
        """ "serving_default_patch:0" -> "patch"."""
        return tensor_name.removeprefix("serving_default_").split(":")[0]

    @property
    def input_names(self) -> tuple[str, ...]:
        """The inputs the model takes."""
        return tuple(sorted(self._inputs))

    def __call__(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        """The model's output for one example (each input without its batch axis)."""
        with self._lock:
            for name, detail in self._inputs.items():
                value = np.asarray(inputs[name], dtype=detail["dtype"])[np.newaxis]
                self._interpreter.set_tensor(detail["index"], value)
            self._interpreter.invoke()
            return self._interpreter.get_tensor(self._output)[0].copy()


INT8_MIN_ELEMENTS = 1024  # LiteRT's dynamic-range export leaves smaller weights in float


def round_weights_to_int8(model: Any) -> Any:
    """Round `model`'s large Conv2D/Dense kernels to int8 levels, per output channel, in place.

    These are exactly the weights a dynamic-range export stores, so the Keras model that is
    scored and saved is the one that is served; what remains between the two is only the
    on-the-fly quantization of activations.
    """
    k = keras()
    for layer in model.layers:
        if isinstance(layer, k.Model):
            round_weights_to_int8(layer)
            continue
        if not isinstance(layer, k.layers.Conv2D | k.layers.Dense):
            continue
        weights = layer.get_weights()
        kernel = weights[0]
        if kernel.size < INT8_MIN_ELEMENTS:
            continue
        step = np.abs(kernel).max(axis=tuple(range(kernel.ndim - 1)), keepdims=True) / 127
        step[step == 0] = 1
        weights[0] = (np.round(kernel / step) * step).astype(kernel.dtype)
        layer.set_weights(weights)
    return model


def export_litert(model: Any, path: Path, quantize: bool = False) -> Path:
    """Write a Keras model as a LiteRT flatbuffer at `path` (batch of one).

    `quantize` stores the weights as int8 and quantizes activations on the fly (dynamic range):
    float in and out, about 4x faster for the face CNN on CPU. Round the weights first
    (`round_weights_to_int8`) so that the export matches the Keras model.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"optimizations": [tensorflow().lite.Optimize.DEFAULT]} if quantize else {}
    model.export(str(path), format="litert", verbose=False, **options)
    return path


def litert_agreement(model: Any, path: Path, inputs: dict[str, np.ndarray]) -> float:
    """Share of examples where the exported model's top emotion equals the Keras model's."""
    served = LiteRTModel(path)
    n = len(next(iter(inputs.values())))
    exported = [
        EMOTIONS[int(np.argmax(served({name: inputs[name][i] for name in served.input_names})))]
        for i in range(n)
    ]
    return float(np.mean(np.array(exported) == np.array(predicted_labels(model, inputs))))
