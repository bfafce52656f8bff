"""Fitting one voice classifier on feature vectors, with per-clip weights that balance corpora.

Fixed epochs and no early stopping: the classifiers are chosen by leave-one-corpus-out scores,
so no held-out data is spent on stopping, and a fit takes seconds (no checkpoints needed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.fitting import one_hot
from emotion.voice.architectures import build_classifier


@dataclass(frozen=True)
class TrainSettings:
    """How a classifier trains: `noise` is the Gaussian noise added to its standardised inputs
    and `dropout` the dropout after its hidden layer (regularisation); `augment` False uses the
    clean clips only (no other voices, rooms, microphones, codecs or noise), to measure what
    augmentation buys."""

    classifier: str = "mlp"
    noise: float = 0.2
    dropout: float = 0.3
    epochs: int = 30
    batch_size: int = 512
    learning_rate: float = 3e-3
    augment: bool = True
    label_smoothing: float = 0.1
    seed: int = 7


def balanced_weights(labels: np.ndarray, datasets: np.ndarray) -> np.ndarray:
    """Per-clip weights (mean 1) giving every dataset, and every class within it, equal weight.

    Without them the two-speaker TESS set would outweigh corpora of many speakers, and the
    majority class of each corpus its minority classes.
    """
    keys = np.char.add(np.char.add(datasets.astype(str), "/"), labels.astype(str))
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    weights = 1.0 / counts[inverse]
    for dataset in np.unique(datasets):
        chosen = datasets == dataset
        weights[chosen] /= weights[chosen].sum()
    return weights * len(weights) / weights.sum()


def fit_classifier(
    features: np.ndarray, labels: np.ndarray, datasets: np.ndarray, settings: TrainSettings
) -> Any:
    """A classifier trained on `features` (variants, n, ...): every variant of every clip is an
    example (only variant 0, the clean clip, without augmentation)."""
    k = keras()
    k.utils.set_random_seed(settings.seed)
    variants = features.shape[0] if settings.augment else 1
    x = features[:variants].reshape(-1, *features.shape[2:])
    y = one_hot(np.tile(labels, variants))
    weights = np.tile(balanced_weights(labels, datasets), variants)
    model = build_classifier(x, settings.classifier, settings.dropout, settings.noise)
    steps = settings.epochs * int(np.ceil(len(x) / settings.batch_size))
    model.compile(
        optimizer=k.optimizers.AdamW(
            k.optimizers.schedules.CosineDecay(settings.learning_rate, steps), weight_decay=1e-3
        ),
        loss=k.losses.CategoricalCrossentropy(label_smoothing=settings.label_smoothing),
    )
    model.fit(
        x,
        y,
        sample_weight=weights,
        batch_size=settings.batch_size,
        epochs=settings.epochs,
        shuffle=True,
        verbose=0,
    )
    return model


def predict_probabilities(model: Any, features: np.ndarray) -> np.ndarray:
    """(n, 7) probabilities for n inputs (feature vectors or spectrograms)."""
    return np.asarray(model.predict(features, batch_size=512, verbose=0), dtype=np.float64)
