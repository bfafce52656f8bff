"""The two voice classifiers compared: a dense net on summary features, a CNN on log-mel patches.

Both end in a seven-way softmax over EMOTIONS. The inputs are named "summary" and "patch" so
that the serving code can feed an exported model whichever of them it takes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.labels import EMOTIONS


def build_ann(train_summaries: np.ndarray, dropout: float = 0.3) -> Any:
    """Dense net on the per-clip summary vector, standardised by statistics of the training set."""
    k = keras()
    inputs = k.Input((train_summaries.shape[1],), name="summary")
    normalise = k.layers.Normalization(name="standardise")
    normalise.adapt(train_summaries)
    x = k.layers.GaussianNoise(0.1)(normalise(inputs))
    for units in (256, 128):
        x = k.layers.Dense(units, activation="relu")(x)
        x = k.layers.Dropout(dropout)(x)
    outputs = k.layers.Dense(len(EMOTIONS), activation="softmax", name="emotion")(x)
    return k.Model(inputs, outputs, name="voice_ann")


def build_cnn(
    patch_shape: tuple[int, int], widths: tuple[int, ...] = (16, 32, 64, 128), dropout: float = 0.3
) -> Any:
    """CNN over a (mel bands, frames) patch: conv-BN-ReLU blocks, 2x2 pooling, global average.

    ~100k parameters: ~1.5 ms per 3 s window with LiteRT on one core of this machine.
    """
    k = keras()
    inputs = k.Input(patch_shape, name="patch")
    x = k.layers.Reshape((*patch_shape, 1))(inputs)
    for i, width in enumerate(widths):
        x = k.layers.Conv2D(width, 3, padding="same", use_bias=False)(x)
        x = k.layers.BatchNormalization()(x)
        x = k.layers.ReLU()(x)
        if i < len(widths) - 1:
            x = k.layers.MaxPooling2D(2)(x)
    x = k.layers.GlobalAveragePooling2D()(x)
    x = k.layers.Dropout(dropout)(x)
    outputs = k.layers.Dense(len(EMOTIONS), activation="softmax", name="emotion")(x)
    return k.Model(inputs, outputs, name="voice_cnn")


def build_ensemble(ann: Any, cnn: Any) -> Any:
    """One model taking both inputs whose output is the mean of the two models' probabilities."""
    k = keras()
    summary = k.Input(ann.input_shape[1:], name="summary")
    patch = k.Input(cnn.input_shape[1:], name="patch")
    outputs = k.layers.Average(name="emotion")([ann(summary), cnn(patch)])
    return k.Model([summary, patch], outputs, name="voice_ensemble")
