"""The two voice classifiers compared: a dense net on summary features, a CNN on log-mel patches.

Both end in a seven-way softmax over EMOTIONS. The inputs are named "summary" and "patch" so
that the serving code can feed an exported model whichever of them it takes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.networks import conv_classifier, dense_classifier


def build_ann(train_summaries: np.ndarray, dropout: float = 0.3) -> Any:
    """Dense net on the per-clip summary vector, standardised by statistics of the training set."""
    k = keras()
    inputs = k.Input((train_summaries.shape[1],), name="summary")
    normalise = k.layers.Normalization(name="standardise")
    normalise.adapt(train_summaries)
    noisy = k.layers.GaussianNoise(0.1)(normalise(inputs))
    return dense_classifier(inputs, noisy, (256, 128), dropout, "voice_ann")


def build_cnn(
    patch_shape: tuple[int, int], widths: tuple[int, ...] = (16, 32, 64, 128), dropout: float = 0.3
) -> Any:
    """CNN over a (mel bands, frames) patch: conv-BN-ReLU blocks, 2x2 pooling, global average.

    ~100k parameters: ~1.5 ms per 3 s window with LiteRT on one core of this machine.
    """
    convs = (1,) * len(widths)
    return conv_classifier(patch_shape, "patch", widths, convs, dropout, "voice_cnn")


def build_ensemble(ann: Any, cnn: Any) -> Any:
    """One model taking both inputs whose output is the mean of the two models' probabilities."""
    k = keras()
    summary = k.Input(ann.input_shape[1:], name="summary")
    patch = k.Input(cnn.input_shape[1:], name="patch")
    outputs = k.layers.Average(name="emotion")([ann(summary), cnn(patch)])
    return k.Model([summary, patch], outputs, name="voice_ensemble")
