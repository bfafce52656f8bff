"""Training the face CNN on several face domains at once, resumable from checkpoints.

FER2013's 27k faces would drown the few hundred of each colour or studio set, so batches are
drawn by domain: FER2013 gets a fixed share (`fer_share`) and the other domains split the rest
in proportion to the square root of their size; within a domain every face is equally likely.
Classes are weighed by their share of what is drawn, to the power `imbalance_power`. Faces are
changed between cameras (`domain_shift`) as well as by the usual augmentation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.face.architectures import build_face_cnn, unwrap_flip, weighted_average
from emotion.face.augment import augmented
from emotion.face.domains import DOMAIN_NAMES, DomainFaces
from emotion.fitting import TrainingClock, fit_resumable, one_hot
from emotion.labels import EMOTIONS


@dataclass(frozen=True)
class DomainTrainSettings:
    """One training run on several domains: `epochs` of `steps` batches, a cosine from
    `learning_rate` (a network started from scratch uses `scratch_learning_rate`).

    `base_weight`: the served model averages the trained network with the base network (trained
    on FER2013 alone, where the training started) at this weight; 0 serves the trained one."""

    epochs: int = 12
    steps: int = 150
    batch_size: int = 64
    learning_rate: float = 5e-4
    scratch_learning_rate: float = 2e-3
    fer_share: float = 0.7
    imbalance_power: float = 0.5
    domain_augment: bool = True
    seed: int = 7
    base_weight: float = 0.3


def recipe_name(settings: DomainTrainSettings) -> str:
    """A short name for a recipe: "served", or how it differs from the served one."""
    served = DomainTrainSettings()
    changed = [
        f"{key}={value}" for key, value in asdict(settings).items() if value != getattr(served, key)
    ]
    return ",".join(changed) or "served"


def training_recipe(settings: DomainTrainSettings) -> DomainTrainSettings:
    """The settings that decide the trained network (everything but how it is served)."""
    return replace(settings, base_weight=DomainTrainSettings.base_weight)


def served_network(network: Any, base: Any, settings: DomainTrainSettings) -> Any:
    """What is served from a trained `network`: itself, or its average with the `base` network
    at `settings.base_weight`."""
    if not settings.base_weight:
        return network
    weights = [settings.base_weight, 1.0 - settings.base_weight]
    return weighted_average([base, network], weights)


def sampling_probabilities(faces: DomainFaces, rows: np.ndarray, fer_share: float) -> np.ndarray:
    """The chance of drawing each of `rows` (a boolean mask): FER2013 `fer_share` of the draws
    when it is there with others, the other domains the rest by the square root of their size."""
    present = [d for d in range(len(DOMAIN_NAMES)) if np.any(rows & (faces.domains == d))]
    sizes = {d: int(np.sum(rows & (faces.domains == d))) for d in present}
    fer = DOMAIN_NAMES.index("fer2013")
    others = [d for d in present if d != fer]
    shares = {d: np.sqrt(sizes[d]) for d in others}
    total = sum(shares.values())
    rest = 1.0 - fer_share if fer in present and others else 1.0
    shares = {d: rest * share / total for d, share in shares.items()}
    if fer in present:
        shares[fer] = 1.0 - sum(shares.values())
    chances = np.zeros(len(rows))
    for d in present:
        members = rows & (faces.domains == d)
        chances[members] = shares[d] / sizes[d]
    return chances


def drawn_class_weights(labels: np.ndarray, chances: np.ndarray, power: float) -> np.ndarray:
    """Per-class weights (mean over drawn faces 1): (1 / (7 share)) ** power, where a class's
    share is its chance of being drawn."""
    shares = np.bincount(labels, weights=chances, minlength=len(EMOTIONS))
    weights = (1.0 / (len(EMOTIONS) * np.maximum(shares, 1e-6))) ** power
    return weights / np.sum(shares * weights)


def domain_batches(
    faces: DomainFaces, rows: np.ndarray, settings: DomainTrainSettings
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Endless augmented batches (faces in [0, 1], one-hot labels, class weights) of `rows`."""
    rng = np.random.default_rng(settings.seed)
    chances = sampling_probabilities(faces, rows, settings.fer_share)
    weights = drawn_class_weights(faces.labels, chances, settings.imbalance_power)
    while True:
        batch = rng.choice(len(chances), settings.batch_size, p=chances)
        pixels = np.stack(
            [augmented(face, rng, settings.domain_augment) for face in faces.pixels[batch]]
        )
        labels = faces.labels[batch]
        yield pixels.astype(np.float32) / 255.0, one_hot(labels), weights[labels]


def train_on_domains(
    faces: DomainFaces,
    train_rows: np.ndarray,
    val_rows: np.ndarray,
    settings: DomainTrainSettings,
    init_from: Path | None,
    work_dir: Path,
) -> Any:
    """The CNN (from `init_from`'s weights, or from scratch) trained on `train_rows`, its best
    epoch chosen by macro-F1 on `val_rows`."""
    keras().utils.set_random_seed(settings.seed)
    cnn = build_face_cnn()
    learning_rate = settings.scratch_learning_rate
    if init_from is not None:
        cnn.set_weights(unwrap_flip(keras().models.load_model(init_from)).get_weights())
        learning_rate = settings.learning_rate
    validation = (faces.pixels[val_rows] / np.float32(255), one_hot(faces.labels[val_rows]))
    return fit_resumable(
        cnn,
        domain_batches(faces, train_rows, settings),
        settings.steps,
        validation,
        settings.epochs,
        learning_rate,
        work_dir,
        TrainingClock(work_dir),
    )
