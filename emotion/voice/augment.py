"""Training-time changes to a clip that keep its emotion: other voices, rooms, microphones, noise.

Pure functions of the samples and a random generator. Speed perturbation (pitch, formants and
tempo together, as Kaldi does) stands in for other speakers; synthetic reverberation for other
rooms; band limits (down to the telephone band) and a low-bitrate MP3 round trip for other
microphones, phones and codecs; noise at 5-20 dB SNR for other places. Gain needs no
augmentation: inputs are level-normalised.
"""

from __future__ import annotations

import io

import numpy as np
import soundfile
import soxr
from scipy import signal

from emotion.audio.cleaning import MODEL_RATE

SPEEDS = (0.88, 1.12)


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


def reverberate(samples: np.ndarray, rt60_s: float, rng: np.random.Generator) -> np.ndarray:
    """The clip in a synthetic room: convolved with exponentially decaying noise (RT60 given),
    direct sound kept, level unchanged."""
    length = max(int(rt60_s * MODEL_RATE), 1)
    decay = np.exp(-6.9 * np.arange(length) / length)
    response = rng.standard_normal(length) * decay * 0.3
    response[0] = 1.0
    wet = signal.fftconvolve(samples, response)[: len(samples)]
    scale = np.sqrt(np.mean(samples**2) / max(float(np.mean(wet**2)), 1e-20))
    return (wet * scale).astype(np.float32)


def mp3_round_trip(samples: np.ndarray, compression: float) -> np.ndarray:
    """The clip encoded as MP3 (compression 0-1: higher is fewer kbit/s) and decoded again."""
    buffer = io.BytesIO()
    peak = max(float(np.max(np.abs(samples))), 1e-9)
    soundfile.write(
        buffer, samples / peak * 0.9, MODEL_RATE, format="MP3", compression_level=compression
    )
    buffer.seek(0)
    decoded, _ = soundfile.read(buffer, dtype="float32")
    decoded = np.resize(decoded, len(samples)) if len(decoded) != len(samples) else decoded
    return (decoded * peak / 0.9).astype(np.float32)


def random_variant(samples: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One randomly changed copy: another voice (speed), room, microphone or codec, and noise."""
    if rng.random() < 0.6:
        samples = change_speed(samples, float(rng.uniform(*SPEEDS)))
    if rng.random() < 0.4:
        samples = reverberate(samples, float(rng.uniform(0.2, 0.8)), rng)
    if rng.random() < 0.5:
        samples = band_limit(samples, rng.uniform(60, 300), rng.uniform(3400, 7600))
    if rng.random() < 0.3:
        samples = mp3_round_trip(samples, float(rng.uniform(0.6, 0.95)))
    if rng.random() < 0.6:
        noise = coloured_noise(len(samples), float(rng.choice([0.0, 1.0, 2.0])), rng)
        samples = add_noise(samples, rng.uniform(5, 20), noise)
    return samples
