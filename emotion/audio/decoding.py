"""Reading an audio file or upload into float samples: WAV, FLAC, OGG/Opus, MP3, any rate.

soundfile (libsndfile) decodes every container the app accepts, from 8-bit to float, mono or
multichannel; samples come back as float32 in [-1, 1], channels averaged to mono.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import soundfile

from emotion.audio.errors import AudioError

SUPPORTED = "WAV, FLAC, OGG/Opus or MP3"


def decode_audio(source: bytes | Path) -> tuple[np.ndarray, int]:
    """Decode a file (path or its bytes) into mono float32 samples and their sample rate."""
    if isinstance(source, Path) and not source.is_file():
        raise AudioError(f"There is no audio file at {source}.")
    handle = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    try:
        samples, sample_rate = soundfile.read(handle, dtype="float32", always_2d=True)
    except (soundfile.SoundFileRuntimeError, TypeError, ValueError) as error:
        raise AudioError(
            f"This file could not be read as audio ({SUPPORTED} are supported)."
        ) from error
    if samples.size == 0:
        raise AudioError("The audio file holds no sound at all (zero samples).")
    return samples.mean(axis=1), int(sample_rate)
