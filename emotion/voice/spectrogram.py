"""Log-mel spectrograms of a voice window: the input of the convolutional candidate that the
leave-one-corpus-out comparison tries beside the feature-vector classifiers.

The window is the one `model_inputs` sees (level-normalised, at most 3 s from the centre of a
longer clip); a shorter clip is repeated to fill 3 s, so that how long a corpus's clips are
does not show as padding. Pure functions.
"""

from __future__ import annotations

import librosa
import numpy as np

from emotion.audio.cleaning import MODEL_RATE
from emotion.voice.inputs import WINDOW_SAMPLES, fit_window, normalise_level

N_MELS = 64
HOP = 320
N_FFT = 512
FRAMES = WINDOW_SAMPLES // HOP
"""(FRAMES, N_MELS) = (150, 64): 20 ms frames of 64 mel bands, 50 Hz to 8 kHz."""


def log_mel(voice: np.ndarray) -> np.ndarray:
    """(FRAMES, N_MELS) log-mel energies in dB (float32) of trimmed voice at the model's rate."""
    window = normalise_level(fit_window(np.asarray(voice, dtype=np.float32)))
    filled = np.tile(window, -(-WINDOW_SAMPLES // len(window)))[:WINDOW_SAMPLES]
    power = librosa.feature.melspectrogram(
        y=filled, sr=MODEL_RATE, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS, fmin=50, fmax=8000
    )
    return librosa.power_to_db(power, ref=1.0, top_db=None)[:, :FRAMES].T.astype(np.float32)


def without_clip_mean(spectrograms: np.ndarray) -> np.ndarray:
    """Each clip's spectrogram less its own mean per band: the microphone's and room's colour
    and the speaker's average spectrum go, what changes within the clip stays."""
    return spectrograms - spectrograms.mean(axis=-2, keepdims=True)
