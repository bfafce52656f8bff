"""Audio in: decoding real files of every accepted format, cleaning, and clear rejections."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile
from media import voice_like, write_tone

from emotion.audio.cleaning import MODEL_RATE, prepare_voice, resample, trim_silence
from emotion.audio.decoding import decode_audio
from emotion.audio.errors import AudioError
from emotion.audio.features import pitch


@pytest.mark.parametrize(
    ("name", "rate", "channels"),
    [
        ("a.wav", 8000, 1),
        ("b.flac", 44100, 2),
        ("c.ogg", 22050, 1),
        ("d.opus", 48000, 2),
        ("e.mp3", 16000, 1),
    ],
)
def test_decodes_every_format_to_mono(tmp_path: Path, name: str, rate: int, channels: int) -> None:
    path = write_tone(tmp_path / name, seconds=1.0, sample_rate=rate, channels=channels)
    for source in (path, path.read_bytes()):
        samples, sample_rate = decode_audio(source)
        assert sample_rate == rate
        assert samples.ndim == 1
        assert samples.dtype == np.float32
        assert len(samples) == pytest.approx(rate, rel=0.1)
        steady = samples[len(samples) // 8 : -len(samples) // 8]  # lossy codecs overshoot at onset
        assert np.abs(steady).max() == pytest.approx(0.3, abs=0.05)


def test_decodes_8_bit_wav(tmp_path: Path) -> None:
    path = tmp_path / "u8.wav"
    soundfile.write(path, voice_like(1.0, 11025), 11025, subtype="PCM_U8")
    samples, rate = decode_audio(path)
    assert rate == 11025
    assert np.abs(samples).max() > 0.3


def test_resampling_keeps_the_pitch(tmp_path: Path) -> None:
    samples, rate = decode_audio(write_tone(tmp_path / "t.wav", 1.0, sample_rate=44100))
    at_model_rate = resample(samples, rate)
    assert len(at_model_rate) == MODEL_RATE
    assert float(np.median(pitch(at_model_rate)[10:-10])) == pytest.approx(220, rel=0.015)


def test_trims_leading_and_trailing_silence() -> None:
    quiet = np.zeros(MODEL_RATE, dtype=np.float32)
    trimmed = trim_silence(np.concatenate([quiet, voice_like(1.0), quiet]))
    assert len(trimmed) / MODEL_RATE == pytest.approx(1.0, abs=0.05)


def test_prepares_a_judgeable_clip() -> None:
    padded = np.concatenate([np.zeros(8000, np.float32), voice_like(1.2, 44100)])
    voice = prepare_voice(padded, 44100)
    assert len(voice) / MODEL_RATE == pytest.approx(1.2, abs=0.05)


@pytest.mark.parametrize(
    ("samples", "message"),
    [
        (np.zeros(3 * MODEL_RATE, np.float32), "silent"),
        (np.full(3 * MODEL_RATE, 1e-5, np.float32), "silent"),
        (
            np.concatenate([np.zeros(MODEL_RATE, np.float32), voice_like(0.3)]),
            "Too little voice: 0.3",
        ),
        (np.clip(voice_like(2.0) * 20, -1, 1), "clipped"),
        (np.random.default_rng(0).normal(0, 0.1, 2 * MODEL_RATE).astype(np.float32), "noise"),
    ],
    ids=["digital-silence", "near-silence", "too-short", "clipped", "white-noise"],
)
def test_rejects_what_cannot_be_judged(samples: np.ndarray, message: str) -> None:
    with pytest.raises(AudioError, match=message):
        prepare_voice(samples, MODEL_RATE)


def test_unreadable_files_get_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="could not be read as audio"):
        decode_audio(b"definitely not audio")
    fake = tmp_path / "song.mp3"
    fake.write_text("<html>not an mp3</html>")
    with pytest.raises(AudioError, match="WAV, FLAC, OGG/Opus or MP3"):
        decode_audio(fake)
    with pytest.raises(AudioError, match="no audio file at"):
        decode_audio(tmp_path / "missing.wav")


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    soundfile.write(path, np.zeros(0, np.float32), 16000)
    with pytest.raises(AudioError, match="zero samples"):
        decode_audio(path)


def test_real_speech_passes(shared_data: Path) -> None:
    for clip in [
        shared_data / "ravdess" / "Actor_01" / "03-01-05-01-01-01-01.flac",
        shared_data / "tess" / "YAF_fear" / "YAF_bar_fear.opus",
    ]:
        voice = prepare_voice(*decode_audio(clip))
        assert 0.5 < len(voice) / MODEL_RATE < 4
