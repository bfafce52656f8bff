"""Faces in motion: one verdict for a video from the verdicts of its frames.

An acted or filmed expression starts and ends neutral: a plain mean over the frames calls a
clip that is surprised at its peak "neutral". The "peak" rule (the default) averages the third
of the frames where the face is least neutral (lowest p(neutral)), so the expression's peak
decides, while a clip that stays neutral still comes out neutral (its least neutral frames are
neutral too); "expressive" weighs every frame by 1 - p(neutral). Rules are compared on labelled
clips by `python -m emotion evaluate face --clips FOLDER` (`emotion.face.clip_evaluation`): on
the 14 clips of `av_samples`, mean 7, expressive 8, peak 9 right with the served face model
(6, 7 and 10 with the network trained on FER2013 alone).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np

from emotion.labels import EMOTIONS, as_probabilities, as_vector

ClipRule = Literal["mean", "expressive", "peak"]
CLIP_RULES: tuple[ClipRule, ...] = ("mean", "expressive", "peak")
DEFAULT_CLIP_RULE: ClipRule = "peak"
NEUTRAL = EMOTIONS.index("neutral")
PEAK_SHARE = 1 / 3


def frame_weights(frames: np.ndarray, rule: ClipRule) -> np.ndarray:
    """Each frame's weight in the clip's verdict under `rule` (frames: (n, 7) probabilities).

    mean: all alike; expressive: 1 - p(neutral); peak: the third of the frames with the least
    neutral, alike, the rest none."""
    if rule == "mean":
        return np.ones(len(frames))
    expressive = 1.0 - frames[:, NEUTRAL] + 1e-6
    if rule == "expressive":
        return expressive
    kept = np.argsort(-expressive)[: max(1, round(len(frames) * PEAK_SHARE))]
    weights = np.zeros(len(frames))
    weights[kept] = 1.0
    return weights


def clip_probabilities(
    frames: Sequence[Mapping[str, float]], rule: ClipRule = DEFAULT_CLIP_RULE
) -> dict[str, float] | None:
    """The clip's probabilities from its frames' (in time order) under `rule`; None without
    frames."""
    if not frames:
        return None
    stacked = np.stack([as_vector(frame) for frame in frames])
    weights = frame_weights(stacked, rule)
    return as_probabilities(weights @ stacked / weights.sum())
