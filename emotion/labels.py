"""The seven emotions the app predicts, the mapping of dataset label names onto them, and
probabilities over them as a dict (for people) or a vector in EMOTIONS order (for arithmetic)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

EMOTIONS: tuple[str, ...] = ("anger", "disgust", "fear", "happy", "neutral", "sad", "surprise")

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "anger": ("angry", "mad"),
    "disgust": ("disgusted", "disgusting"),
    "fear": ("fearful", "afraid", "scared"),
    "happy": ("happiness", "joy", "joyful"),
    "neutral": ("normal",),
    "sad": ("sadness", "unhappy"),
    "surprise": ("surprised", "suprise", "pleasant_surprise", "pleasant_surprised"),
}


_LOOKUP: dict[str, str] = {
    alias: emotion for emotion in EMOTIONS for alias in (emotion, *_SYNONYMS[emotion])
}


def normalise_name(name: str) -> str:
    """Lower-case a label or folder name and join its words with underscores."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def canonical_label(name: str) -> str | None:
    """Map a label name or common synonym ("Angry", "happiness", "surprised") to one of EMOTIONS.

    Returns None for names that are not one of the seven (contempt, calm, sleepy...): callers
    decide whether to drop or remap those explicitly.
    """
    return _LOOKUP.get(normalise_name(name))


def as_vector(probabilities: Mapping[str, float]) -> np.ndarray:
    """The probabilities in EMOTIONS order, as a float array."""
    return np.array([float(probabilities[label]) for label in EMOTIONS])


def as_probabilities(vector: Sequence[float] | np.ndarray) -> dict[str, float]:
    """A vector in EMOTIONS order as {emotion: probability}."""
    return dict(zip(EMOTIONS, np.asarray(vector, dtype=float).tolist(), strict=True))


def mean_probabilities(many: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Each emotion's mean probability over `many` (at least one)."""
    return as_probabilities(np.mean([as_vector(p) for p in many], axis=0))


def top_emotion(probabilities: Mapping[str, float]) -> str:
    """The most probable emotion."""
    return max(probabilities, key=probabilities.__getitem__)
