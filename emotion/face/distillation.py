"""Distillation targets: what an ensemble of teachers says about each (augmented) training face,
mixed with its label, so that a small served CNN learns the ensemble's judgement.

The teachers score the very faces the student sees, after augmentation, each face and its
mirror image, probabilities averaged over all of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np


def ensemble_probabilities(teachers: Sequence[Any], faces: np.ndarray) -> np.ndarray:
    """(n, 7) mean of every teacher's probabilities for `faces` (n, 48, 48) and their mirrors."""
    both = np.concatenate([faces, faces[:, :, ::-1]])
    scores = np.mean([np.asarray(teacher.predict_on_batch(both)) for teacher in teachers], axis=0)
    return (scores[: len(faces)] + scores[len(faces) :]) / 2


def distilled(
    batches: Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]],
    teachers: Sequence[Any],
    weight: float,
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """`batches` with each one-hot target replaced by `weight` x the teachers' probabilities
    + (1 - `weight`) x the label."""
    for faces, labels, sample_weights in batches:
        taught = ensemble_probabilities(teachers, faces)
        yield faces, (weight * taught + (1 - weight) * labels).astype(np.float32), sample_weights
