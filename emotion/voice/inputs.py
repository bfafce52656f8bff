"""What the voice models see: one 3 s window of voice, level-normalised, as features.

Pure functions shared by training and serving, so that both compute exactly the same inputs.
The CNN reads the window's log-mel patch, the dense network its summary vector.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from emotion.audio.cleaning import MODEL_RATE, level_dbfs
from emotion.audio.features import DEFAULT_CONFIG, summary_vector, voice_features

WINDOW_S = 3.0
WINDOW_SAMPLES = int(WINDOW_S * MODEL_RATE)
PATCH_FRAMES = 1 + WINDOW_SAMPLES // DEFAULT_CONFIG.hop_length
TARGET_DBFS = -25.0


@dataclass(frozen=True)
class ModelInputs:
    """Inputs for one window: log-mel patch (n_mels, PATCH_FRAMES) and summary vector."""

    patch: np.ndarray
    summary: np.ndarray


def normalise_level(samples: np.ndarray, target_dbfs: float = TARGET_DBFS) -> np.ndarray:
    """The samples scaled to an RMS level of `target_dbfs`, so that loudness carries no label."""
    level = level_dbfs(samples)
    if not np.isfinite(level):
        return samples
    return (samples * 10 ** ((target_dbfs - level) / 20)).astype(np.float32)


def fit_window(samples: np.ndarray, offset: int | None = None) -> np.ndarray:
    """Exactly one window of samples: shorter voice repeats (wraps), longer voice is cropped.

    `offset` picks where a longer clip is cropped (training draws it at random); by default
    the centre.
    """
    if len(samples) == 0:
        raise ValueError("no samples to fit into a window")
    if len(samples) <= WINDOW_SAMPLES:
        return np.resize(samples, WINDOW_SAMPLES)
    spare = len(samples) - WINDOW_SAMPLES
    start = spare // 2 if offset is None else min(max(offset, 0), spare)
    return samples[start : start + WINDOW_SAMPLES]


def standardise_patch(log_mel_db: np.ndarray) -> np.ndarray:
    """Zero mean, unit variance over the whole patch: keeps the spectral shape, drops the gain."""
    centred = log_mel_db - log_mel_db.mean()
    return (centred / max(float(centred.std()), 1e-3)).astype(np.float32)


def model_inputs(voice: np.ndarray, offset: int | None = None) -> ModelInputs:
    """Both models' inputs for trimmed voice at the model's rate (see `fit_window`)."""
    window = normalise_level(fit_window(np.asarray(voice, dtype=np.float32), offset))
    features = voice_features(window)
    return ModelInputs(patch=standardise_patch(features.log_mel), summary=summary_vector(features))
