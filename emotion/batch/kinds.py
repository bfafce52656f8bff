"""What a file holds, from its content rather than its name: a photo, an audio clip or a video.

Each reader looks only at the header: Pillow for images, libsndfile for audio, FFmpeg (PyAV) for
containers; a container with a picture (of a size its header states: FFmpeg also "opens" random
bytes named .jpg, as a picture of no size) is a video, one with sound only an audio clip. Text
files are not videos, although FFmpeg renders them as pictures (its tty demuxer, for .txt).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import av
import soundfile
from PIL import Image, UnidentifiedImageError

MediaKind = Literal["image", "audio", "video"]
IMAGE_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "BMP", "TIFF", "GIF"})
TEXT_PICTURE_CODECS = frozenset({"ansi", "bintext", "xbin", "idf"})
"""FFmpeg's decoders that draw text files (ANSI art, plain text) as pictures."""


def media_kind(path: Path) -> MediaKind | None:
    """The kind of media in `path`, or None when it is none of them."""
    try:
        with Image.open(path) as image:
            if image.format in IMAGE_FORMATS:
                return "image"
    except Image.DecompressionBombError:
        return "image"  # an image, refused as too large when it is analysed
    except (UnidentifiedImageError, OSError, ValueError):
        pass
    try:
        soundfile.info(str(path))
        return "audio"
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError):
        pass
    try:
        with av.open(str(path)) as container:
            pictures = container.streams.video
            if pictures and pictures[0].codec_context.name in TEXT_PICTURE_CODECS:
                return None
            if pictures and pictures[0].codec_context.width > 0:
                return "video"
            return "audio" if container.streams.audio else None
    except (av.error.FFmpegError, UnicodeDecodeError, OSError, ValueError):
        return None
