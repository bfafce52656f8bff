"""The voice classifiers compared: softmax regression and a small dense net on feature vectors.

Both standardise their input by statistics of the training set (a layer inside the model, so
that the exported file needs nothing else) and end in a seven-way softmax over EMOTIONS. The
input is named "features" for the serving code.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.networks import dense_classifier
from emotion.voice.inputs import FEATURE_SETS

ALL_COLUMNS = FEATURE_SETS["egemaps+librosa"]

CLASSIFIERS: dict[str, tuple[int, ...]] = {"linear": (), "mlp": (128,)}
"""Hidden layer widths of each classifier (none: softmax regression)."""


def build_classifier(
    train_features: np.ndarray, kind: str = "mlp", dropout: float = 0.3, noise: float = 0.2
) -> Any:
    """A `kind` classifier (see CLASSIFIERS) on feature vectors like `train_features`."""
    k = keras()
    inputs = k.Input((train_features.shape[1],), name="features")
    standardise = k.layers.Normalization(name="standardise")
    standardise.adapt(train_features)
    x = k.layers.GaussianNoise(noise)(standardise(inputs))
    return dense_classifier(inputs, x, CLASSIFIERS[kind], dropout, f"voice_{kind}")


def build_ensemble(members: list[tuple[Any, str]]) -> Any:
    """One model on the whole feature vector whose output is the mean of `members`' outputs;
    each member (model, feature set) reads its own columns."""
    k = keras()
    inputs = k.Input((len(range(ALL_COLUMNS.stop)),), name="features")
    outputs = []
    for number, (model, feature_set) in enumerate(members):
        named = k.Model(model.input, model.output, name=f"member_{number}_{model.name}")
        columns = FEATURE_SETS[feature_set]
        outputs.append(named(inputs[:, columns.start : columns.stop]))
    averaged = k.layers.Average(name="emotion")(outputs)
    return k.Model(inputs, averaged, name="voice_ensemble")
