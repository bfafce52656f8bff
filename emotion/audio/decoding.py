"""Reading an audio file or upload into float samples: WAV, FLAC, OGG/Opus, MP3, any rate.

soundfile (libsndfile) decodes every container the app accepts, from 8-bit to float, mono or
multichannel. The header's sample rate, channels and duration are checked before any sample is
decoded; the file is then read block by block, channels averaged to mono and resampled to the
voice model's rate as it goes, so memory stays bounded whatever the file claims to hold.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import soundfile
import soxr

from emotion.audio.errors import AudioError, require_finite, require_rate
from emotion.audio.features import SAMPLE_RATE as MODEL_RATE

SUPPORTED = "WAV, FLAC, OGG/Opus or MP3"
MAX_CHANNELS = 32
MAX_AUDIO_S = 600.0
BLOCK_S = 4.0


def check_header(info: soundfile.SoundFile) -> None:
    """Raise AudioError when the file's header states a rate, channel count or length that is
    refused (10 minutes at most)."""
    require_rate(info.samplerate)
    if not 1 <= info.channels <= MAX_CHANNELS:
        raise AudioError(
            f"The audio has {info.channels} channels; at most {MAX_CHANNELS} are accepted."
        )
    if info.frames > MAX_AUDIO_S * info.samplerate:
        raise too_long(info.frames / info.samplerate)


def too_long(seconds: float | None) -> AudioError:
    """The error for audio over 10 minutes (`seconds`: its length, when known)."""
    length = f"is {seconds / 60:.0f} minutes long" if seconds else "is too long"
    limit = f"{MAX_AUDIO_S / 60:.0f} minutes"
    return AudioError(f"The recording {length}; at most {limit} are accepted: trim it first.")


def decode_audio(source: bytes | Path) -> tuple[np.ndarray, int]:
    """Decode a file (path or its bytes) into mono float32 samples at the voice model's rate
    (16 kHz), and that rate."""
    if isinstance(source, Path) and not source.is_file():
        raise AudioError(f"There is no audio file at {source}.")
    handle = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    try:
        with soundfile.SoundFile(handle) as audio:
            check_header(audio)
            samples = mono_at_model_rate(audio)
    except AudioError:
        raise
    except (soundfile.SoundFileRuntimeError, TypeError, ValueError, RuntimeError) as error:
        raise AudioError(
            f"This file could not be read as audio ({SUPPORTED} are supported)."
        ) from error
    if samples.size == 0:
        raise AudioError("The audio file holds no sound at all (zero samples).")
    return samples, MODEL_RATE


def mono_at_model_rate(audio: soundfile.SoundFile) -> np.ndarray:
    """The whole file, block by block: channels averaged, checked, resampled to 16 kHz."""
    rate = audio.samplerate
    stream = soxr.ResampleStream(rate, MODEL_RATE, 1, quality="HQ") if rate != MODEL_RATE else None
    parts, read = [], 0
    for block in audio.blocks(int(BLOCK_S * rate), dtype="float32", always_2d=True):
        read += len(block)
        if read > MAX_AUDIO_S * rate:
            raise too_long(None)
        mono = require_finite(block.mean(axis=1, dtype=np.float32))
        parts.append(stream.resample_chunk(mono) if stream else mono)
    if stream:
        parts.append(stream.resample_chunk(np.zeros(0, np.float32), last=True))
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)
