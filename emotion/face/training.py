"""Training the face models on FER2013 train, selected on val, resumable from checkpoints.

The CNN learns from the labels, or from an ensemble of larger teachers as well (distillation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.face.architectures import build_face_ann, build_face_cnn, unwrap_flip
from emotion.face.augment import augmented
from emotion.face.dataset import FaceArrays
from emotion.face.distillation import distilled
from emotion.fitting import TrainingClock, fit_resumable, one_hot
from emotion.labels import EMOTIONS


@dataclass(frozen=True)
class FaceTrainSettings:
    """Epochs and batch; `imbalance_power` 0.5 weighs each class by 1/sqrt(its frequency).

    `init_from` (a saved face model) starts the CNN from its weights: a warm restart, another
    cosine cycle on a trained model, cheaper per point of accuracy than a longer run from scratch.
    `teachers` (saved models) make the CNN's targets `distillation_weight` x their ensemble's
    probabilities + the rest x the label. `minutes` spreads the CNN's cosine over that much
    training time instead of `cnn_epochs`.
    """

    cnn_epochs: int = 48
    ann_epochs: int = 30
    batch_size: int = 64
    learning_rate: float = 2e-3
    imbalance_power: float = 0.5
    seed: int = 7
    init_from: str | None = None
    teachers: tuple[str, ...] = ()
    distillation_weight: float = 0.7
    minutes: float | None = None


def class_weights(labels: np.ndarray, power: float) -> np.ndarray:
    """Per-class weights (mean over examples 1): (n / (k * count)) ** power.

    power 1 is fully balanced (disgust, 1.5% of FER2013, would weigh 9.4), 0 is none; 0.5
    raises rare classes' recall without giving up the frequent ones.
    """
    counts = np.bincount(labels, minlength=len(EMOTIONS)).astype(float)
    weights = (len(labels) / (len(EMOTIONS) * np.maximum(counts, 1))) ** power
    return weights / np.mean(weights[labels])


def face_batches(
    arrays: FaceArrays, settings: FaceTrainSettings, augment: bool
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Endless shuffled training batches (faces in [0, 1]), changed by `augmented` if `augment`."""
    rng = np.random.default_rng(settings.seed)
    train = np.flatnonzero(arrays.splits == "train")
    weights = class_weights(arrays.labels[train], settings.imbalance_power)
    while True:
        order = train[rng.permutation(len(train))]
        for start in range(0, max(len(order) - settings.batch_size, 0) + 1, settings.batch_size):
            batch = order[start : start + settings.batch_size]
            faces = arrays.pixels[batch]
            if augment:
                faces = np.stack([augmented(face, rng) for face in faces])
            labels = arrays.labels[batch]
            yield faces.astype(np.float32) / 255.0, one_hot(labels), weights[labels]


def split_faces(arrays: FaceArrays, split: str) -> tuple[np.ndarray, np.ndarray]:
    """Faces in [0, 1] and label indices of one split."""
    chosen = arrays.splits == split
    return arrays.pixels[chosen].astype(np.float32) / 255.0, arrays.labels[chosen]


def validation_data(arrays: FaceArrays) -> tuple[np.ndarray, np.ndarray]:
    """Val faces and one-hot labels, as `fit_resumable` takes them."""
    faces, labels = split_faces(arrays, "val")
    return faces, one_hot(labels)


def starting_cnn(settings: FaceTrainSettings, network: Callable[[], Any] = build_face_cnn) -> Any:
    """A fresh `network()`, or the CNN of `settings.init_from` to continue training."""
    cnn = network()
    if settings.init_from:
        trained = unwrap_flip(keras().models.load_model(settings.init_from))
        cnn.set_weights(trained.get_weights())
    return cnn


def train_cnn(
    arrays: FaceArrays,
    settings: FaceTrainSettings,
    work_dir: Path,
    clock: TrainingClock,
    network: Callable[[], Any] = build_face_cnn,
) -> Any:
    """A CNN (`network()`, or the CNN of `settings.init_from`) trained on augmented faces,
    distilled from `settings.teachers` when there are any."""
    keras().utils.set_random_seed(settings.seed)
    cnn = starting_cnn(settings, network)
    batches = face_batches(arrays, settings, augment=True)
    if settings.teachers:
        teachers = [keras().models.load_model(path) for path in settings.teachers]
        batches = distilled(batches, teachers, settings.distillation_weight)
    return fit_resumable(
        cnn,
        batches,
        training_steps(arrays, settings),
        validation_data(arrays),
        settings.cnn_epochs,
        settings.learning_rate,
        work_dir,
        clock,
        settings.minutes,
    )


def train_ann(
    arrays: FaceArrays, settings: FaceTrainSettings, work_dir: Path, clock: TrainingClock
) -> Any:
    """The seed's dense baseline, trained on the faces as they are."""
    keras().utils.set_random_seed(settings.seed)
    return fit_resumable(
        build_face_ann(),
        face_batches(arrays, settings, augment=False),
        training_steps(arrays, settings),
        validation_data(arrays),
        settings.ann_epochs,
        settings.learning_rate,
        work_dir,
        clock,
    )


def training_steps(arrays: FaceArrays, settings: FaceTrainSettings) -> int:
    """Batches per epoch: one pass over the training faces."""
    return max(1, int(np.sum(arrays.splits == "train")) // settings.batch_size)


def train_face_models(
    arrays: FaceArrays, settings: FaceTrainSettings, work_dir: Path, clock: TrainingClock
) -> dict[str, Any]:
    """The seed's dense baseline and the augmented CNN."""
    return {
        "ann": train_ann(arrays, settings, work_dir, clock),
        "cnn": train_cnn(arrays, settings, work_dir, clock),
    }
