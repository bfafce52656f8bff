"""The network bodies both models use (dense and convolutional), on their own inputs."""

from __future__ import annotations

from typing import Any

from emotion.backend import keras
from emotion.labels import EMOTIONS


def conv_classifier(
    shape: tuple[int, int],
    input_name: str,
    widths: tuple[int, ...],
    convs: tuple[int, ...],
    dropout: float,
    name: str,
) -> Any:
    """conv-BN-ReLU stages (`convs[i]` convolutions of `widths[i]` filters) with 2x2 max pooling
    between them, global average pooling, dropout and a softmax over EMOTIONS.

    The softmax is computed in float32 even under a mixed-precision policy, so that the
    probabilities (and the loss on them) keep their precision.

    The input is a 2-D array (mel bands x frames, or a 48x48 face) named `input_name`.
    """
    k = keras()
    inputs = k.Input(shape, name=input_name)
    x = k.layers.Reshape((*shape, 1))(inputs)
    for stage, (width, count) in enumerate(zip(widths, convs, strict=True)):
        for _ in range(count):
            x = k.layers.Conv2D(width, 3, padding="same", use_bias=False)(x)
            x = k.layers.BatchNormalization()(x)
            x = k.layers.ReLU()(x)
        if stage < len(widths) - 1:
            x = k.layers.MaxPooling2D(2)(x)
    x = k.layers.GlobalAveragePooling2D()(x)
    x = k.layers.Dropout(dropout)(x)
    outputs = k.layers.Dense(len(EMOTIONS), activation="softmax", name="emotion", dtype="float32")(
        x
    )
    return k.Model(inputs, outputs, name=name)


def dense_classifier(inputs: Any, x: Any, units: tuple[int, ...], dropout: float, name: str) -> Any:
    """ReLU dense layers of `units` with dropout after `x` (features of `inputs`), then a
    softmax over EMOTIONS."""
    k = keras()
    for width in units:
        x = k.layers.Dense(width, activation="relu")(x)
        x = k.layers.Dropout(dropout)(x)
    outputs = k.layers.Dense(len(EMOTIONS), activation="softmax", name="emotion")(x)
    return k.Model(inputs, outputs, name=name)
