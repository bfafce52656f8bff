"""What the voice model sees: one window of voice, level-normalised, as a feature vector.

Functions shared by training and serving, so that both compute exactly the same inputs: the
88 eGeMAPS functionals, the 154 librosa summary statistics (MFCC with deltas, chroma, centroid,
RMS, zero-crossing rate, pitch) and the 512-value speech-encoder embedding (see
`speech_encoder`), all of the level-normalised window.
"""

from __future__ import annotations

import numpy as np

from emotion.audio.cleaning import MODEL_RATE, level_dbfs
from emotion.audio.egemaps import egemaps, egemaps_names
from emotion.audio.features import summary_vector, voice_features
from emotion.voice.speech_encoder import speech_encoder

WINDOW_S = 3.0
WINDOW_SAMPLES = int(WINDOW_S * MODEL_RATE)
SINGLE_WINDOW_SAMPLES = int(1.5 * WINDOW_SAMPLES)
TARGET_DBFS = -25.0
EGEMAPS_SIZE = 88
LIBROSA_SIZE = 154
ENCODER_SIZE = 512
MEASURES_SIZE = EGEMAPS_SIZE + LIBROSA_SIZE
INPUTS_SIZE = MEASURES_SIZE + ENCODER_SIZE
FEATURE_SETS: dict[str, slice] = {
    "egemaps": slice(0, EGEMAPS_SIZE),
    "librosa": slice(EGEMAPS_SIZE, MEASURES_SIZE),
    "egemaps+librosa": slice(0, MEASURES_SIZE),
    "encoder": slice(MEASURES_SIZE, INPUTS_SIZE),
    "all": slice(0, INPUTS_SIZE),
}
"""Column ranges of the feature vector that the model comparison tries."""


def feature_names() -> tuple[str, ...]:
    """A name for every column of `model_inputs`' vector."""
    return (
        egemaps_names()
        + tuple(f"librosa_{i}" for i in range(LIBROSA_SIZE))
        + tuple(f"encoder_{i}" for i in range(ENCODER_SIZE))
    )


def normalise_level(samples: np.ndarray, target_dbfs: float = TARGET_DBFS) -> np.ndarray:
    """The samples scaled to an RMS level of `target_dbfs`, so that loudness carries no label."""
    level = level_dbfs(samples)
    if not np.isfinite(level):
        return samples
    return (samples * 10 ** ((target_dbfs - level) / 20)).astype(np.float32)


def fit_window(samples: np.ndarray, offset: int | None = None) -> np.ndarray:
    """At most one window of voice: up to 4.5 s as is, longer voice cropped to 3 s.

    `offset` picks where a longer clip is cropped (training draws it at random); by default
    the centre. This is what serving does with a clip of one window (see `window_bounds`).
    """
    if len(samples) == 0:
        raise ValueError("no samples to fit into a window")
    if len(samples) <= SINGLE_WINDOW_SAMPLES:
        return samples
    spare = len(samples) - WINDOW_SAMPLES
    start = spare // 2 if offset is None else min(max(offset, 0), spare)
    return samples[start : start + WINDOW_SAMPLES]


def model_inputs(voice: np.ndarray, offset: int | None = None) -> np.ndarray:
    """The feature vector (float32, INPUTS_SIZE values) of trimmed voice at the model's rate."""
    window = normalise_level(fit_window(np.asarray(voice, dtype=np.float32), offset))
    return np.concatenate(
        [
            egemaps(window),
            summary_vector(voice_features(window)),
            speech_encoder().embedding(window),
        ]
    )
