"""The face classifiers compared: the seed's dense net on pixels and a compact CNN, and the
larger CNNs it can learn from (teachers, too slow to serve).

Both take a (48, 48) face in [0, 1] (input "face") and end in a softmax over EMOTIONS.
`with_flip_average` wraps a trained model so that one call scores the face and its mirror
image and averages them (test-time flip), inside the exported model.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.face.preprocess import FACE_SIZE
from emotion.networks import conv_classifier, dense_classifier

FACE_SHAPE = (FACE_SIZE, FACE_SIZE)


def build_face_ann(dropout: float = 0.4) -> Any:
    """The seed's baseline: a fully connected net on the 2,304 pixels (each standardised)."""
    k = keras()
    inputs = k.Input(FACE_SHAPE, name="face")
    pixels = k.layers.BatchNormalization()(k.layers.Flatten()(inputs))
    return dense_classifier(inputs, pixels, (512, 256), dropout, "face_ann")


def build_face_cnn(
    widths: tuple[int, ...] = (32, 64, 128, 256),
    convs: tuple[int, ...] = (1, 1, 2, 1),
    dropout: float = 0.4,
) -> Any:
    """VGG-style CNN sized for CPU training: conv-BN-ReLU stages with 2x2 pooling between.

    `convs` per stage puts the depth at 12x12, where it is cheapest per useful feature
    (~54M multiply-adds per face); global average pooling, dropout, softmax.
    """
    return conv_classifier(FACE_SHAPE, "face", widths, convs, dropout, "face_cnn")


TEACHERS = {
    "wide": ((64, 128, 256, 512), (2, 2, 2, 2)),
    "deep": ((48, 96, 192, 384), (2, 2, 3, 3)),
}


def build_face_teacher(architecture: str) -> Any:
    """A teacher for distillation: the compact CNN's design, ~9x its multiply-adds ("wide":
    twice the filters and two convolutions per stage; "deep": 1.5x the filters, three at the
    small scales), different enough for the ensemble's members to make different mistakes."""
    widths, convs = TEACHERS[architecture]
    return conv_classifier(FACE_SHAPE, "face", widths, convs, 0.4, f"face_teacher_{architecture}")


def unwrap_flip(model: Any) -> Any:
    """The classifier inside a `with_flip_average` model, or `model` itself."""
    inner = [layer for layer in model.layers if isinstance(layer, keras().Model)]
    return inner[0] if inner else model


def with_flip_average(model: Any) -> Any:
    """`model` scoring each face and its left-right mirror, probabilities averaged.

    The mirror is a fixed anti-identity matrix applied along the width (a frozen Dense layer):
    exact, built from standard layers only, so the saved model loads without unsafe code.
    """
    k = keras()
    inputs = k.Input(FACE_SHAPE, name="face")
    mirror = k.layers.Dense(FACE_SIZE, use_bias=False, trainable=False, name="mirror")
    mirrored = mirror(inputs)
    mirror.set_weights([np.eye(FACE_SIZE, dtype=np.float32)[::-1]])
    outputs = k.layers.Average(name="emotion")([model(inputs), model(mirrored)])
    return k.Model(inputs, outputs, name=f"{model.name}_flip")


def weighted_average(models: list[Any], weights: list[float], name: str = "face_ensemble") -> Any:
    """One model whose probabilities are the `weights`-weighted mean of `models`' (weights sum
    to 1), built from standard layers (Rescaling, Add) so that it saves and exports as one."""
    k = keras()
    inputs = k.Input(FACE_SHAPE, name="face")
    parts = [
        k.layers.Rescaling(weight, name=f"share_{i}")(
            k.Model(model.inputs[0], model.outputs[0], name=f"member_{i}")(inputs)
        )
        for i, (model, weight) in enumerate(zip(models, weights, strict=True))
    ]
    return k.Model(inputs, k.layers.Add(name="emotion")(parts), name=name)
