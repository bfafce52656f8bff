"""Late fusion: one set of seven probabilities from the face's and the voice's.

Two rules. The weighted geometric mean `face^w · voice^(1-w)`, renormalised, is the default:
it rewards agreement (an emotion one model rules out stays low whatever the other says) and
was the more accurate of the two at every face weight on the pairs `python -m emotion evaluate
fusion` simulates. The weighted arithmetic mean `w·face + (1-w)·voice` is forgiving: a
modality that is unsure barely moves the result. A missing modality (no face found, no audio,
silence) is left out and the result says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from emotion.labels import as_probabilities, as_vector, top_emotion

FusionRule = Literal["geometric", "arithmetic"]
FUSION_RULES: tuple[FusionRule, ...] = ("geometric", "arithmetic")
DEFAULT_RULE: FusionRule = FUSION_RULES[0]
DEFAULT_FACE_WEIGHT = 0.5
"""Face and voice count equally unless the user moves the slider."""
# Floor for the geometric mean, so a probability of exactly 0 does not veto an emotion outright.
GEOMETRIC_FLOOR = 1e-6


@dataclass(frozen=True)
class FusedResult:
    """The fused probabilities, the modalities they came from, and a sentence saying so."""

    probabilities: dict[str, float]
    sources: tuple[str, ...]
    explanation: str

    @property
    def label(self) -> str:
        """The most probable emotion."""
        return top_emotion(self.probabilities)


def combine(
    face: np.ndarray, voice: np.ndarray, face_weight: float | np.ndarray, rule: FusionRule
) -> np.ndarray:
    """Fuse two probability vectors (or rows of them, (n, 7) each) with the face weighted
    `face_weight` (0..1; or one weight per row, shaped (n, 1)) by `rule`."""
    if np.any((np.asarray(face_weight) < 0.0) | (np.asarray(face_weight) > 1.0)):
        raise ValueError(f"face_weight must be between 0 and 1, got {face_weight}")
    if rule == "arithmetic":
        fused = face_weight * face + (1.0 - face_weight) * voice
    elif rule == "geometric":
        logs = face_weight * np.log(np.maximum(face, GEOMETRIC_FLOOR))
        logs = logs + (1.0 - face_weight) * np.log(np.maximum(voice, GEOMETRIC_FLOOR))
        fused = np.exp(logs - logs.max(axis=-1, keepdims=True))
    else:
        raise ValueError(f"unknown fusion rule {rule!r}: use one of {FUSION_RULES}")
    return fused / fused.sum(axis=-1, keepdims=True)


def fuse(
    face: Mapping[str, float] | None,
    voice: Mapping[str, float] | None,
    face_weight: float = DEFAULT_FACE_WEIGHT,
    rule: FusionRule = DEFAULT_RULE,
) -> FusedResult | None:
    """Fuse the face's and the voice's probabilities; None when neither exists.

    With one modality missing, its probabilities pass through unchanged, whatever the weight.
    A weight of 0 or 1 leaves one modality out on purpose, and the explanation says that too.
    """
    present = {name: p for name, p in (("face", face), ("voice", voice)) if p is not None}
    if not present:
        return None
    if len(present) == 1:
        (name, probabilities), missing = next(iter(present.items())), {"face", "voice"} - {*present}
        vector = as_vector(probabilities)
        return FusedResult(
            as_probabilities(vector / vector.sum()),
            (name,),
            f"{name.capitalize()} only: no {missing.pop()} to fuse with.",
        )
    fused = combine(as_vector(face), as_vector(voice), face_weight, rule)  # type: ignore[arg-type]
    sources = tuple(n for n, w in (("face", face_weight), ("voice", 1 - face_weight)) if w > 0)
    explanation = (
        f"{rule.capitalize()} mean of face ({face_weight:.0%}) and voice ({1 - face_weight:.0%})."
        if len(sources) == 2
        else f"{sources[0].capitalize()} only: the slider gives the other model no weight."
    )
    return FusedResult(as_probabilities(fused), sources, explanation)
