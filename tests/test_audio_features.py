"""Voice features on synthetic signals whose answer is known."""

from __future__ import annotations

import librosa
import numpy as np
import pytest

from emotion.audio.features import (
    DEFAULT_CONFIG,
    SAMPLE_RATE,
    summary_vector,
    voice_features,
)


def tone(frequency: float, seconds: float = 1.0, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.float32)


def middle(values: np.ndarray) -> float:
    """Median over the frames away from the clip's edges."""
    return float(np.median(values[..., 10:-10]))


QUARTER_SEMITONE = 2 ** (1 / 48) - 1


@pytest.mark.parametrize("frequency", [90.0, 220.0, 440.0])
def test_pitch_of_a_tone_within_a_quarter_semitone(frequency: float) -> None:
    measured = middle(voice_features(tone(frequency)).pitch)
    assert measured == pytest.approx(frequency, rel=QUARTER_SEMITONE)


@pytest.mark.parametrize("amplitude", [0.1, 0.5])
def test_rms_of_a_sine_is_amplitude_over_root_two(amplitude: float) -> None:
    rms = voice_features(tone(300, amplitude=amplitude)).rms
    assert middle(rms) == pytest.approx(amplitude / np.sqrt(2), rel=0.01)


def test_zero_crossing_rate_of_a_tone() -> None:
    assert middle(voice_features(tone(1000)).zcr) == pytest.approx(2 * 1000 / SAMPLE_RATE, rel=0.05)


def test_spectral_centroid_follows_frequency() -> None:
    low, high = voice_features(tone(500)).centroid, voice_features(tone(3000)).centroid
    assert middle(low) == pytest.approx(500, rel=0.05)
    assert middle(high) == pytest.approx(3000, rel=0.05)


def test_chroma_of_a_is_pitch_class_a() -> None:
    chroma = voice_features(tone(440)).chroma
    assert int(np.argmax(chroma[:, 50])) == 9  # C, C#, D, D#, E, F, F#, G, G#, A
    assert chroma[:, 50].max() == pytest.approx(1.0)


def test_log_mel_peaks_in_the_band_of_the_tone_and_tracks_level() -> None:
    loud, quiet = (
        voice_features(tone(1000, amplitude=0.5)),
        voice_features(tone(1000, amplitude=0.05)),
    )
    band = int(np.argmax(loud.log_mel[:, 50]))
    centres = librosa.mel_frequencies(
        DEFAULT_CONFIG.n_mels + 2, fmin=DEFAULT_CONFIG.fmin, fmax=8000
    )
    assert centres[band + 1] == pytest.approx(1000, rel=0.1)
    assert loud.log_mel[band, 50] - quiet.log_mel[band, 50] == pytest.approx(20, abs=0.5)


def test_mfcc_deltas_vanish_for_a_steady_tone_and_not_for_a_sweep() -> None:
    n = DEFAULT_CONFIG.n_mfcc
    steady = voice_features(tone(300)).mfcc
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    sweep = (0.5 * np.sin(2 * np.pi * (200 * t + 1500 * t**2))).astype(np.float32)
    rising = voice_features(sweep).mfcc
    assert steady.shape == (3 * n, 101)
    assert np.abs(steady[n:, 10:-10]).max() < 1e-3
    assert np.abs(rising[n : 2 * n, 10:-10]).max() > 0.1


def test_every_feature_shares_one_frame_grid() -> None:
    features = voice_features(tone(220, seconds=3.0))
    frames = 1 + 3 * SAMPLE_RATE // DEFAULT_CONFIG.hop_length
    assert features.log_mel.shape == (DEFAULT_CONFIG.n_mels, frames)
    assert features.chroma.shape == (12, frames)
    for series in (features.centroid, features.rms, features.zcr, features.pitch, features.voiced):
        assert series.shape == (frames,)


def test_silence_has_no_voiced_frames_and_a_finite_summary() -> None:
    features = voice_features(np.zeros(SAMPLE_RATE, dtype=np.float32))
    assert not features.voiced.any()
    vector = summary_vector(features)
    assert np.isfinite(vector).all()


def test_voiced_frames_follow_loudness() -> None:
    samples = np.concatenate([tone(220, 0.5), np.zeros(SAMPLE_RATE // 2, dtype=np.float32)])
    voiced = voice_features(samples).voiced
    assert voiced[5:40].all()
    assert not voiced[60:].any()


def test_summary_vector_is_fixed_length_with_pitch_in_octaves() -> None:
    short, long = (
        summary_vector(voice_features(tone(220, 0.6))),
        summary_vector(voice_features(tone(220, 4.0))),
    )
    assert short.shape == long.shape == ((3 * 20 + 12 + 3) * 2 + 4,)
    assert long[-4] == pytest.approx(np.log2(220), abs=0.01)
    assert short.dtype == np.float32


@pytest.mark.filterwarnings("ignore:n_fft=512 is too large")
def test_very_short_input_still_gives_features() -> None:
    features = voice_features(tone(220, seconds=0.02))
    assert features.mfcc.shape[0] == 60
    assert np.isfinite(summary_vector(features)).all()
