"""The voice classifiers compared: softmax regression and a small dense net on feature vectors,
and a convolutional net on log-mel spectrograms.

Each standardises its input by statistics of the training set (a layer inside the model, so
that the exported file needs nothing else) and ends in a seven-way softmax over EMOTIONS. The
feature-vector input is named "features" for the serving code.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.networks import dense_classifier
from emotion.voice.inputs import FEATURE_SETS

ALL_COLUMNS = FEATURE_SETS["all"]

CLASSIFIERS: dict[str, tuple[int, ...]] = {"linear": (), "mlp": (128,)}
"""Hidden layer widths of each feature-vector classifier (none: softmax regression)."""
SPECTROGRAM_CNN = "cnn"
CNN_STAGES = ((64, 5), (128, 5), (128, 3))
"""(filters, kernel frames) of the spectrogram net's 1-D convolutions over time."""


def build_classifier(
    train_features: np.ndarray, kind: str = "mlp", dropout: float = 0.3, noise: float = 0.2
) -> Any:
    """A `kind` classifier (see CLASSIFIERS, or SPECTROGRAM_CNN) on inputs like
    `train_features`: feature vectors (n, d), or spectrograms (n, frames, bands)."""
    if kind == SPECTROGRAM_CNN:
        return build_spectrogram_cnn(train_features, dropout, noise)
    k = keras()
    inputs = k.Input((train_features.shape[1],), name="features")
    standardise = k.layers.Normalization(name="standardise")
    standardise.adapt(train_features)
    x = k.layers.GaussianNoise(noise)(standardise(inputs))
    return dense_classifier(inputs, x, CLASSIFIERS[kind], dropout, f"voice_{kind}")


def build_spectrogram_cnn(train_spectrograms: np.ndarray, dropout: float, noise: float) -> Any:
    """Convolutions over time (mel bands as channels, pooling halving the frames after the
    first two), then the mean and maximum over time of each filter, dropout and a softmax."""
    k = keras()
    inputs = k.Input(train_spectrograms.shape[1:], name="logmel")
    standardise = k.layers.Normalization(name="standardise")
    standardise.adapt(train_spectrograms)
    x = k.layers.GaussianNoise(noise)(standardise(inputs))
    for stage, (filters, kernel) in enumerate(CNN_STAGES):
        x = k.layers.Conv1D(filters, kernel, padding="same", use_bias=False)(x)
        x = k.layers.BatchNormalization()(x)
        x = k.layers.ReLU()(x)
        if stage < 2:
            x = k.layers.MaxPooling1D(2)(x)
    x = k.layers.SpatialDropout1D(0.2)(x)
    pooled = k.layers.Concatenate()(
        [k.layers.GlobalAveragePooling1D()(x), k.layers.GlobalMaxPooling1D()(x)]
    )
    x = k.layers.Dropout(dropout)(pooled)
    return dense_classifier(inputs, x, (), dropout, "voice_spectrogram_cnn")


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
