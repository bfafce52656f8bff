"""The seven emotions the app predicts, and the mapping of dataset label names onto them."""

from __future__ import annotations

import re

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
