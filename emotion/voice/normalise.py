"""Speaker normalisation of voice features: each speaker's features relative to their own voice.

The largest difference between two recordings of the same emotion is usually who speaks and into
what microphone. Subtracting a speaker's mean and dividing by their spread removes most of it.
The spread is shrunk towards a typical speaker's while few clips are known, so that two or three
clips do not blow single features up. Pure functions of feature arrays: a clip is one vector,
or (for spectrograms) several rows of one, all counted when a speaker's statistics are taken.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PRIOR_CLIPS = 3.0
"""How many clips' worth of weight the typical within-speaker spread carries."""


@dataclass(frozen=True)
class SpeakerStats:
    """Mean and spread of one speaker's feature vectors, and how many clips they come from."""

    mean: np.ndarray
    std: np.ndarray
    clips: int


def rows(features: np.ndarray) -> np.ndarray:
    """Clips' features as (rows, features): a spectrogram's frames each count as a row."""
    return features.reshape(-1, features.shape[-1])


def within_speaker_std(features: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The median over speakers of each feature's spread within a speaker: the typical spread."""
    spreads = [rows(features[groups == g]).std(axis=0) for g in np.unique(groups)]
    return np.maximum(np.median(spreads, axis=0), 1e-6).astype(np.float32)


def speaker_stats(features: np.ndarray, prior_std: np.ndarray) -> SpeakerStats:
    """A speaker's statistics from their clips' feature vectors (n, features), n >= 1."""
    n = len(features)
    mean = features.mean(axis=0)
    squares = ((features - mean) ** 2).sum(axis=0) + PRIOR_CLIPS * prior_std**2
    return SpeakerStats(mean, np.sqrt(squares / (n + PRIOR_CLIPS)).astype(np.float32), n)


def normalise(features: np.ndarray, stats: SpeakerStats) -> np.ndarray:
    """Features relative to the speaker: (x - mean) / std."""
    return ((features - stats.mean) / stats.std).astype(np.float32)


def normalise_by_group(
    features: np.ndarray,
    groups: np.ndarray,
    prior_std: np.ndarray,
    reference: np.ndarray | None = None,
) -> np.ndarray:
    """Every row normalised by the statistics of its group (speaker).

    `reference` (bool, per row) limits which of a speaker's clips the statistics come from (a
    session's first clips, or their neutral speech); a speaker with no reference clip uses all.
    """
    out = np.empty_like(features, dtype=np.float32)
    for group in np.unique(groups):
        mine = groups == group
        chosen = mine & reference if reference is not None else mine
        source = features[chosen] if chosen.any() else features[mine]
        out[mine] = normalise(features[mine], speaker_stats(rows(source), prior_std))
    return out
