"""Reading an audio file or upload into float samples: WAV, FLAC, OGG/Opus, MP3, M4A/AAC, WebM...

soundfile (libsndfile) decodes WAV, FLAC, OGG and MP3, from 8-bit to float, mono or
multichannel; what it cannot read (M4A/AAC as phones record, WebM, a video's sound) FFmpeg
(PyAV) decodes. The header's sample rate, channels and duration are checked before any sample
is decoded; the file is then read block by block, channels averaged to mono and resampled to
the voice model's rate as it goes, so memory stays bounded whatever the file claims to hold.
"""

from __future__ import annotations

import io
from pathlib import Path

import av
import numpy as np
import soundfile
import soxr

from emotion.audio.errors import AudioError, require_finite, require_rate
from emotion.audio.features import SAMPLE_RATE as MODEL_RATE
from emotion.formats import AUDIO_FORMATS

MAX_CHANNELS = 32
MAX_AUDIO_S = 600.0
BLOCK_S = 4.0


def check_header(info: soundfile.SoundFile) -> None:
    """Raise AudioError when the file's header states a rate, channel count or length that is
    refused (10 minutes at most)."""
    require_rate(info.samplerate)
    if not 1 <= info.channels <= MAX_CHANNELS:
        raise too_many_channels(info.channels)
    if info.frames > MAX_AUDIO_S * info.samplerate:
        raise too_long(info.frames / info.samplerate)


def too_many_channels(channels: int) -> AudioError:
    """The error for audio with more channels than any recording needs."""
    return AudioError(f"The audio has {channels} channels; at most {MAX_CHANNELS} are accepted.")


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
    except (soundfile.SoundFileRuntimeError, TypeError, ValueError, RuntimeError):
        samples = decode_with_ffmpeg(source)
    if samples.size == 0:
        raise AudioError("The audio file holds no sound at all (zero samples).")
    return samples, MODEL_RATE


def unreadable() -> AudioError:
    """The error for a file that holds no audio either decoder reads."""
    return AudioError(f"This file could not be read as audio ({AUDIO_FORMATS} are supported).")


class MonoSound:
    """Sound frames decoded by FFmpeg, kept as mono float32 at the voice model's rate: each
    frame resampled, its channels averaged (a sum would clip 5.1 sound) and checked, and at
    most 10 minutes kept."""

    def __init__(self) -> None:
        self._resampler = av.AudioResampler(format="fltp", rate=MODEL_RATE)
        self._parts: list[np.ndarray] = []
        self.length = 0

    def add(self, frame: av.AudioFrame) -> None:
        """Append one decoded frame (raises AudioError past 10 minutes or for bad samples)."""
        for chunk in self._resampler.resample(frame):
            mono = require_finite(chunk.to_ndarray().mean(axis=0, dtype=np.float32))
            self.length += len(mono)
            if self.length > MAX_AUDIO_S * MODEL_RATE:
                raise too_long(None)
            self._parts.append(mono)

    def samples(self) -> np.ndarray | None:
        """Everything added so far (None: nothing)."""
        return np.concatenate(self._parts) if self._parts else None


def decode_with_ffmpeg(source: bytes | Path) -> np.ndarray:
    """The first sound track of a container libsndfile does not read, through FFmpeg."""
    try:
        container = av.open(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise unreadable() from error
    with container:
        if not container.streams.audio:
            raise unreadable()
        stream = container.streams.audio[0]
        require_rate(stream.rate)
        if stream.channels > MAX_CHANNELS:
            raise too_many_channels(stream.channels)
        if container.duration and container.duration / av.time_base > MAX_AUDIO_S:
            raise too_long(container.duration / av.time_base)
        sound = MonoSound()
        try:
            for frame in container.decode(stream):
                sound.add(frame)
        except av.error.FFmpegError as error:
            if not sound.length:
                raise unreadable() from error
    samples = sound.samples()
    return samples if samples is not None else np.zeros(0, np.float32)


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
