"""Reading what EDA needs from one media file: its size or duration, and a content digest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import soundfile
from PIL import Image, UnidentifiedImageError

from emotion.datasets.records import Record
from emotion.face.errors import ImageError
from emotion.face.images import check_size


@dataclass(frozen=True)
class ImageInfo:
    """Pixel size and PIL mode of an image as stored."""

    width: int
    height: int
    mode: str


@dataclass(frozen=True)
class AudioInfo:
    """Length and format of a clip as stored."""

    duration_s: float
    sample_rate: int
    channels: int


@dataclass(frozen=True)
class Probe:
    """What one file holds; `error` says why it could not be read (then `media` is None)."""

    digest: str
    media: ImageInfo | AudioInfo | None
    error: str | None = None


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def probe(record: Record) -> Probe:
    """Probe one record; never raises for unreadable files, it reports them."""
    try:
        return _probe_image(record) if record.modality == "image" else _probe_audio(record)
    except ImageError as error:
        return Probe(digest="", media=None, error=str(error))
    except (
        OSError,
        UnidentifiedImageError,
        Image.DecompressionBombError,
        RuntimeError,
        ValueError,
        MemoryError,
        soundfile.LibsndfileError,
    ) as error:
        return Probe(digest="", media=None, error=f"{type(error).__name__}: {error}")


def _probe_image(record: Record) -> Probe:
    """Images are digested by decoded pixels, so re-saved copies of one picture count as equal."""
    if record.pixels is not None:
        pixels, mode = record.pixels, "L"
    else:
        with Image.open(record.path) as image:
            check_size(image.width, image.height)
            mode = image.mode
            pixels = np.asarray(image)
    height, width = pixels.shape[:2]
    return Probe(digest=_digest(pixels.tobytes()), media=ImageInfo(width, height, mode))


def _probe_audio(record: Record) -> Probe:
    info = soundfile.info(str(record.path))
    return Probe(
        digest=_digest(record.path.read_bytes()),
        media=AudioInfo(float(info.duration), int(info.samplerate), int(info.channels)),
    )
