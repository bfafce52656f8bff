"""Training-time changes to a clip that keep its emotion: other voices, rooms, microphones, noise.

Pure functions of the samples and a random generator. Speed perturbation (pitch and tempo
together, as Kaldi does) stands in for other speakers; band limits and a spectral tilt for other
microphones and phone lines; noise at 5-30 dB SNR for other rooms. Gain needs no augmentation:
inputs are level-normalised.
"""

from __future__ import annotations

import numpy as np
import soxr
from scipy import signal

from emotion.audio.cleaning import MODEL_RATE

SPEEDS = (0.9, 1.1)


def change_speed(samples: np.ndarray, factor: float) -> np.ndarray:
    """Play the clip `factor` times faster: pitch and tempo rise together."""
    return soxr.resample(samples, MODEL_RATE * factor, MODEL_RATE).astype(np.float32)


def coloured_noise(length: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS noise whose power falls as 1/f**exponent (0 white, 1 pink, 2 brown)."""
    spectrum = rng.standard_normal(length // 2 + 1) + 1j * rng.standard_normal(length // 2 + 1)
    frequencies = np.fft.rfftfreq(length)
    frequencies[0] = frequencies[1] if length > 1 else 1.0
    noise = np.fft.irfft(spectrum / frequencies ** (exponent / 2), n=length)
    return (noise / max(float(np.sqrt(np.mean(noise**2))), 1e-12)).astype(np.float32)


def add_noise(samples: np.ndarray, snr_db: float, noise: np.ndarray) -> np.ndarray:
    """The clip plus `noise` scaled to `snr_db` below the clip's RMS level."""
    rms = float(np.sqrt(np.mean(np.square(samples))))
    return (samples + noise * rms * 10 ** (-snr_db / 20)).astype(np.float32)


def band_limit(samples: np.ndarray, low_hz: float, high_hz: float) -> np.ndarray:
    """The clip through a 4th-order Butterworth band-pass, like a small or phone microphone."""
    sos = signal.butter(4, [low_hz, high_hz], btype="bandpass", fs=MODEL_RATE, output="sos")
    return signal.sosfilt(sos, samples).astype(np.float32)


def random_variant(samples: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One randomly changed copy: speed (half the time), then a microphone, then noise."""
    if rng.random() < 0.5:
        samples = change_speed(samples, float(rng.choice(SPEEDS)))
    if rng.random() < 0.5:
        samples = band_limit(samples, rng.uniform(60, 400), rng.uniform(3400, 7600))
    if rng.random() < 0.7:
        noise = coloured_noise(len(samples), float(rng.choice([0.0, 1.0, 2.0])), rng)
        samples = add_noise(samples, rng.uniform(5, 30), noise)
    return samples


def mask_patch(
    patch: np.ndarray, rng: np.random.Generator, bands: int = 8, frames: int = 30
) -> np.ndarray:
    """SpecAugment: a copy with one run of mel bands and two runs of frames set to the mean (0)."""
    masked = patch.copy()
    width = int(rng.integers(0, bands + 1))
    start = int(rng.integers(0, patch.shape[0] - width + 1))
    masked[start : start + width] = 0
    for _ in range(2):
        width = int(rng.integers(0, frames + 1))
        start = int(rng.integers(0, patch.shape[1] - width + 1))
        masked[:, start : start + width] = 0
    return masked
