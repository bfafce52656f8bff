"""Does a recording hold a voice? Periodicity, and loudness that moves with syllables.

Most of speech's louder frames are voiced (periodic: a clear autocorrelation peak at the pitch
period, after a trough); noise of any colour has few such frames. Speech also rises and falls
in loudness with every syllable (2-10 Hz), where a tone, a hum or held chords stay steady.
Measured on 520 clips of the nine speech corpora (60 each, trimmed): voiced fraction at least
0.52, syllable modulation at least 1.3 dB; generated pink noise 0.30, white and brown noise
0.02 or less; tones, hum, chords and DC 0.1 dB or less. Pure functions of samples at the
model's rate.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from emotion.audio.features import SAMPLE_RATE

FRAME = 512
HOP = 160
PITCH_MIN_HZ, PITCH_MAX_HZ = 70.0, 600.0
PEAK_MIN = 0.5
"""Normalised autocorrelation a voiced frame's pitch peak reaches."""
TROUGH_DEPTH = 0.2
"""How far the autocorrelation must dip before the peak (brown noise decays without a dip)."""


def frames(samples: np.ndarray, frame: int = FRAME, hop: int = HOP) -> np.ndarray:
    """(T, frame) overlapping frames of the samples (none if shorter than one frame)."""
    if len(samples) < frame:
        return np.zeros((0, frame), dtype=np.float32)
    return np.lib.stride_tricks.sliding_window_view(samples, frame)[::hop]


def autocorrelation(framed: np.ndarray) -> np.ndarray:
    """Each row's autocorrelation at lags 0 .. FRAME - 1."""
    spectrum = np.fft.rfft(framed, n=2 * FRAME, axis=1)
    return np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, :FRAME]


def syllable_modulation(samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> float:
    """How much the loudness moves at syllable rate (2-10 Hz), in dB (std of the band-passed
    frame-level envelope): speech rises and falls with every syllable, a held note does not."""
    framed = frames(np.asarray(samples, dtype=np.float32))
    if len(framed) < 16:
        return 0.0
    envelope = 10 * np.log10(np.mean(framed.astype(np.float64) ** 2, axis=1) + 1e-10)
    envelope = np.maximum(envelope, envelope.max() - 50)
    rate = sample_rate / HOP
    sos = signal.butter(2, [2.0, 10.0], btype="bandpass", fs=rate, output="sos")
    return float(np.std(signal.sosfiltfilt(sos, envelope - envelope.mean())))


def voiced_fraction(samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> float:
    """Share of the louder half of the frames that are periodic at a pitch of 70-600 Hz."""
    framed = frames(np.asarray(samples, dtype=np.float32) - np.mean(samples))
    if len(framed) == 0:
        return 0.0
    energy = np.sum(framed.astype(np.float64) ** 2, axis=1)
    framed = framed[energy >= np.median(energy)] * np.hanning(FRAME)
    correlation = autocorrelation(framed) / autocorrelation(np.hanning(FRAME)[None])
    correlation /= np.maximum(correlation[:, :1], 1e-20)
    low, high = int(sample_rate / PITCH_MAX_HZ), int(sample_rate / PITCH_MIN_HZ)
    trough = np.minimum.accumulate(correlation[:, 1 : high + 1], axis=1)[:, low - 1 :]
    window = correlation[:, low : high + 1]
    lag = np.argmax(window, axis=1)
    rows = np.arange(len(window))
    peak = window[rows, lag]
    voiced = (peak >= PEAK_MIN) & (peak - trough[rows, lag] >= TROUGH_DEPTH)
    return float(voiced.mean())
