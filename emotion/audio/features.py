"""Voice features, pure functions of the samples at the model's rate.

Log-mel, MFCC (with deltas), spectral centroid, RMS energy and chroma all come from one shared
power spectrogram; zero-crossing rate and YIN pitch are time-domain measures on the same frame
grid (one frame per hop, centred), so every feature has the same number of frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import librosa
import numpy as np
import scipy.fft

SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class FeatureConfig:
    """Frame grid and filter banks: 32 ms windows every 10 ms at 16 kHz by default."""

    sample_rate: int = SAMPLE_RATE
    n_fft: int = 512
    hop_length: int = 160
    n_mels: int = 64
    n_mfcc: int = 20
    fmin: float = 20.0
    pitch_fmin: float = 70.0
    pitch_fmax: float = 600.0
    pitch_frame: int = 512
    voiced_db: float = 30.0


DEFAULT_CONFIG = FeatureConfig()


@dataclass(frozen=True)
class VoiceFeatures:
    """Frame-level features of one clip; every array has the same number of frames T."""

    log_mel: np.ndarray  # (n_mels, T), dB re full scale
    mfcc: np.ndarray  # (3 * n_mfcc, T): coefficients, deltas, delta-deltas
    centroid: np.ndarray  # (T,), Hz
    rms: np.ndarray  # (T,), linear amplitude
    zcr: np.ndarray  # (T,), crossings per sample
    pitch: np.ndarray  # (T,), Hz (YIN); meaningful where `voiced`
    voiced: np.ndarray  # (T,), bool: frames within voiced_db of the loudest
    chroma: np.ndarray  # (12, T), each frame scaled to max 1


@lru_cache(maxsize=8)
def mel_filters(config: FeatureConfig) -> np.ndarray:
    """Mel filter bank (n_mels, 1 + n_fft / 2), built once per configuration."""
    return librosa.filters.mel(
        sr=config.sample_rate, n_fft=config.n_fft, n_mels=config.n_mels, fmin=config.fmin
    )


@lru_cache(maxsize=8)
def chroma_filters(config: FeatureConfig) -> np.ndarray:
    """Chroma filter bank (12, 1 + n_fft / 2), pitch classes C, C#, ... B."""
    return librosa.filters.chroma(sr=config.sample_rate, n_fft=config.n_fft)


def power_spectrogram(samples: np.ndarray, config: FeatureConfig = DEFAULT_CONFIG) -> np.ndarray:
    """|STFT|^2 with a Hann window, centred frames: (1 + n_fft / 2, T)."""
    spectrum = librosa.stft(samples, n_fft=config.n_fft, hop_length=config.hop_length)
    return np.abs(spectrum) ** 2


def log_mel(power: np.ndarray, config: FeatureConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Mel power in dB (floored at -100 dB), so that loudness stays comparable across clips."""
    return 10 * np.log10(np.maximum(mel_filters(config) @ power, 1e-10))


def mfcc_with_deltas(log_mel_db: np.ndarray, config: FeatureConfig = DEFAULT_CONFIG) -> np.ndarray:
    """MFCCs (DCT-II of the log-mel) stacked with their first and second time derivatives."""
    coefficients = scipy.fft.dct(log_mel_db, type=2, norm="ortho", axis=0)[: config.n_mfcc]
    width = min(9, coefficients.shape[1] // 2 * 2 - 1)
    if width < 3:
        zeros = np.zeros_like(coefficients)
        return np.concatenate([coefficients, zeros, zeros])
    first = librosa.feature.delta(coefficients, width=width, order=1, mode="nearest")
    second = librosa.feature.delta(coefficients, width=width, order=2, mode="nearest")
    return np.concatenate([coefficients, first, second])


def spectral_centroid(power: np.ndarray, config: FeatureConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Magnitude-weighted mean frequency of each frame, in Hz (0 for silent frames)."""
    magnitude = np.sqrt(power)
    frequencies = librosa.fft_frequencies(sr=config.sample_rate, n_fft=config.n_fft)
    total = magnitude.sum(axis=0)
    return np.divide(frequencies @ magnitude, total, out=np.zeros_like(total), where=total > 0)


def rms_energy(power: np.ndarray, config: FeatureConfig = DEFAULT_CONFIG) -> np.ndarray:
    """RMS amplitude of each frame from its spectrum (Parseval), the window's energy undone."""
    one_sided = power.copy()
    one_sided[1:-1] *= 2
    window_energy = np.sum(np.hanning(config.n_fft + 1)[:-1] ** 2)
    return np.sqrt(one_sided.sum(axis=0) / (config.n_fft * window_energy))


def chroma(power: np.ndarray, config: FeatureConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Energy per pitch class, each frame scaled so that its strongest class is 1."""
    raw = chroma_filters(config) @ power
    peak = raw.max(axis=0, keepdims=True)
    return np.divide(raw, peak, out=np.zeros_like(raw), where=peak > 0)


def zero_crossing_rate(samples: np.ndarray, config: FeatureConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Fraction of sign changes per sample in each frame."""
    return librosa.feature.zero_crossing_rate(
        samples, frame_length=config.n_fft, hop_length=config.hop_length
    )[0]


def pitch(samples: np.ndarray, config: FeatureConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Fundamental frequency of each frame by YIN, in Hz.

    A 512-sample frame holds two periods of the 70 Hz floor; it costs ~4 ms per 3 s clip here,
    a 1024-sample frame ~10 ms, pYIN far more.
    """
    return librosa.yin(
        samples,
        fmin=config.pitch_fmin,
        fmax=config.pitch_fmax,
        sr=config.sample_rate,
        frame_length=config.pitch_frame,
        hop_length=config.hop_length,
    )


def voice_features(samples: np.ndarray, config: FeatureConfig = DEFAULT_CONFIG) -> VoiceFeatures:
    """Every frame-level feature of a clip at `config.sample_rate`, from one STFT."""
    samples = np.asarray(samples, dtype=np.float32)
    power = power_spectrogram(samples, config)
    mel_db = log_mel(power, config)
    rms = rms_energy(power, config)
    quietest_voiced = rms.max(initial=0.0) * 10 ** (-config.voiced_db / 20)
    return VoiceFeatures(
        log_mel=mel_db,
        mfcc=mfcc_with_deltas(mel_db, config),
        centroid=spectral_centroid(power, config),
        rms=rms,
        zcr=zero_crossing_rate(samples, config),
        pitch=pitch(samples, config),
        voiced=rms > quietest_voiced,
        chroma=chroma(power, config),
    )


def summary_vector(features: VoiceFeatures) -> np.ndarray:
    """One fixed-length vector per clip (for the dense model): means and spreads over frames.

    Mean and standard deviation of every MFCC row (with deltas), chroma class, centroid, RMS and
    zero-crossing rate, plus pitch statistics (mean, std, 10th and 90th percentile of log2 Hz)
    over the voiced frames.
    """
    rows = np.vstack(
        [features.mfcc, features.chroma, features.centroid, features.rms, features.zcr]
    )
    pitch_stats = np.zeros(4)
    if features.voiced.any():
        octaves = np.log2(features.pitch[features.voiced])
        pitch_stats = np.array([octaves.mean(), octaves.std(), *np.percentile(octaves, [10, 90])])
    return np.concatenate([rows.mean(axis=1), rows.std(axis=1), pitch_stats]).astype(np.float32)
