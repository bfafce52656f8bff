"""Audio in: decoding real files of every accepted format, cleaning, and clear rejections."""

from __future__ import annotations

from pathlib import Path

import librosa
import numpy as np
import pytest
import soundfile
from media import blank_frames, voice_like, write_tone, write_video

from emotion.audio.cleaning import (
    MODEL_RATE,
    clipping_warning,
    prepare_voice,
    resample,
    trim_silence,
    voiced_span,
)
from emotion.audio.decoding import decode_audio
from emotion.audio.errors import AudioError
from emotion.audio.features import DEFAULT_CONFIG, pitch
from emotion.voice.augment import coloured_noise


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
def test_decodes_every_format_to_mono_at_the_model_rate(
    tmp_path: Path, name: str, rate: int, channels: int
) -> None:
    path = write_tone(tmp_path / name, seconds=1.0, sample_rate=rate, channels=channels)
    for source in (path, path.read_bytes()):
        samples, sample_rate = decode_audio(source)
        assert sample_rate == MODEL_RATE
        assert samples.ndim == 1
        assert samples.dtype == np.float32
        assert len(samples) == pytest.approx(MODEL_RATE, rel=0.1)
        steady = samples[len(samples) // 8 : -len(samples) // 8]  # lossy codecs overshoot at onset
        assert np.abs(steady).max() == pytest.approx(0.3, abs=0.05)


@pytest.mark.parametrize("name", ["phone.m4a", "browser.webm", "talk.mp4"])
def test_decodes_what_phones_and_browsers_record_through_ffmpeg(tmp_path: Path, name: str) -> None:
    voice = voice_like(2.0)
    frames = blank_frames(4) if name.endswith(".mp4") else []
    path = write_video(tmp_path / name, frames, sound=np.stack([voice, voice]))
    for source in (path, path.read_bytes()):
        samples, rate = decode_audio(source)
        assert rate == MODEL_RATE
        assert len(samples) / rate == pytest.approx(2.0, abs=0.15)  # AAC adds its priming
        assert np.abs(samples).max() == pytest.approx(np.abs(voice).max(), rel=0.2)


def test_decodes_8_bit_wav(tmp_path: Path) -> None:
    path = tmp_path / "u8.wav"
    soundfile.write(path, voice_like(1.0, 11025), 11025, subtype="PCM_U8")
    samples, rate = decode_audio(path)
    assert rate == MODEL_RATE
    assert np.abs(samples).max() > 0.3


def test_resampling_keeps_the_pitch(tmp_path: Path) -> None:
    decoded, rate = decode_audio(write_tone(tmp_path / "t.wav", 1.0, sample_rate=44100))
    assert rate == MODEL_RATE
    tone = np.sin(2 * np.pi * 220 * np.arange(44100) / 44100).astype(np.float32)
    for at_model_rate in (decoded, resample(tone, 44100)):
        assert len(at_model_rate) == MODEL_RATE
        assert float(np.median(pitch(at_model_rate)[10:-10])) == pytest.approx(220, rel=0.015)


def test_trims_leading_and_trailing_silence() -> None:
    quiet = np.zeros(MODEL_RATE, dtype=np.float32)
    trimmed = trim_silence(np.concatenate([quiet, voice_like(1.0), quiet]))
    assert len(trimmed) / MODEL_RATE == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("top_db", [20.0, 35.0, 60.0])
def test_the_voiced_span_is_librosas_trim(top_db: float) -> None:
    rng = np.random.default_rng(0)
    quiet = np.zeros(MODEL_RATE // 3, dtype=np.float32)
    clips = [np.concatenate([quiet, voice_like(1.0), 0.01 * voice_like(0.4), quiet])]
    clips += [np.zeros(n, np.float32) for n in (0, 1, 4000)]
    clips += [
        (rng.normal(size=n) * rng.uniform(0, 1, n) ** 4).astype(np.float32)
        for n in (100, 511, 512, 513, 2048, 5000, 16000)
    ]
    for clip in clips:
        _, span = librosa.effects.trim(
            clip,
            top_db=top_db,
            frame_length=DEFAULT_CONFIG.n_fft,
            hop_length=DEFAULT_CONFIG.hop_length,
        )
        assert voiced_span(clip, top_db) == tuple(int(end) for end in span), len(clip)


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
        (np.clip(voice_like(2.0) * 50, -1, 1), "mostly clipped"),
        (np.full(3 * MODEL_RATE, np.nan, np.float32), "invalid samples"),
        (np.full(3 * MODEL_RATE, 0.5, np.float32), "silent"),  # DC only: nothing once removed
    ],
    ids=["digital-silence", "near-silence", "too-short", "mostly-clipped", "nan", "dc"],
)
def test_rejects_what_cannot_be_judged(samples: np.ndarray, message: str) -> None:
    with pytest.raises(AudioError, match=message):
        prepare_voice(samples, MODEL_RATE)


def tones(seconds: float, *frequencies: float) -> np.ndarray:
    t = np.arange(int(seconds * MODEL_RATE)) / MODEL_RATE
    return sum(0.1 * np.sin(2 * np.pi * f * t) for f in frequencies).astype(np.float32)


def noise(exponent: float) -> np.ndarray:
    return 0.1 * coloured_noise(3 * MODEL_RATE, exponent, np.random.default_rng(0))


NOT_A_VOICE = {
    "white-noise": noise(0.0),
    "pink-noise": noise(1.0),
    "brown-noise": noise(2.0),
    "tone": tones(3.0, 440),
    "mains-hum": tones(3.0, 50, 100, 150),
    "chord": tones(3.0, 261.6, 329.6, 392.0),
    "chord-sequence": np.concatenate(
        [tones(1.0, *c) for c in [(261.6, 329.6, 392), (220, 261.6, 329.6), (196, 247, 294)]]
    ),
    "vibrato-tone": (
        0.3
        * np.sin(
            2 * np.pi * np.cumsum(220 * 2 ** (0.02 * np.sin(np.arange(48000) / 500))) / MODEL_RATE
        )
    ).astype(np.float32),
}


@pytest.mark.parametrize("samples", NOT_A_VOICE.values(), ids=NOT_A_VOICE.keys())
def test_no_voice_is_found_in_noise_tones_or_music(samples: np.ndarray) -> None:
    with pytest.raises(AudioError, match="No voice found"):
        prepare_voice(samples, MODEL_RATE)


def test_a_little_clipping_is_judged_with_a_warning() -> None:
    voice = voice_like(2.0)
    loud = np.clip(voice / np.abs(voice).max() * 1.2, -1, 1)
    clipped = float(np.mean(np.abs(loud) >= 0.999))
    assert 0.01 < clipped < 0.25
    assert len(prepare_voice(loud, MODEL_RATE)) > MODEL_RATE
    assert f"{clipped:.0%} of the recording is clipped" in clipping_warning(loud)
    assert clipping_warning(voice) is None


def test_a_dc_offset_changes_nothing() -> None:
    voice = voice_like(2.0)
    np.testing.assert_allclose(
        resample(voice + 0.3, MODEL_RATE), resample(voice, MODEL_RATE), atol=1e-5
    )


def test_unreadable_files_get_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="could not be read as audio"):
        decode_audio(b"definitely not audio")
    fake = tmp_path / "song.mp3"
    fake.write_text("<html>not an mp3</html>")
    with pytest.raises(AudioError, match="WAV, FLAC, OGG/Opus, MP3, M4A/AAC or WebM"):
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
