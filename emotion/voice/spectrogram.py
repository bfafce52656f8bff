"""Log-mel spectrograms of a voice window: the input of the convolutional candidate that the
leave-one-corpus-out comparison tries beside the feature-vector classifiers.

The window is the one `model_inputs` sees (level-normalised, at most 3 s from the centre of a
longer clip); a shorter clip is repeated to fill 3 s, so that how long a corpus's clips are
does not show as padding. Pure functions.
"""

from __future__ import annotations

import numpy as np

from emotion.audio.features import FeatureConfig, log_mel, power_spectrogram
from emotion.voice.inputs import WINDOW_SAMPLES, fit_window, normalise_level

SPECTROGRAM_CONFIG = FeatureConfig(hop_length=320, n_mels=64, fmin=50.0)
FRAMES = WINDOW_SAMPLES // SPECTROGRAM_CONFIG.hop_length
"""(FRAMES, n_mels) = (150, 64): 20 ms frames of 64 mel bands, 50 Hz to 8 kHz, from the same
spectrogram and mel code as the feature vectors."""


def spectrogram(voice: np.ndarray) -> np.ndarray:
    """(FRAMES, n_mels) log-mel energies in dB (float32) of trimmed voice at the model's rate."""
    window = normalise_level(fit_window(np.asarray(voice, dtype=np.float32)))
    filled = np.tile(window, -(-WINDOW_SAMPLES // len(window)))[:WINDOW_SAMPLES]
    power = power_spectrogram(filled, SPECTROGRAM_CONFIG)
    return log_mel(power, SPECTROGRAM_CONFIG)[:, :FRAMES].T.astype(np.float32)


def without_clip_mean(spectrograms: np.ndarray) -> np.ndarray:
    """Each clip's spectrogram less its own mean per band: the microphone's and room's colour
    and the speaker's average spectrum go, what changes within the clip stays."""
    return spectrograms - spectrograms.mean(axis=-2, keepdims=True)
