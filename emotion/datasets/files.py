"""Finding a dataset's media files on disk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.records import Modality

IMAGE_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".gif", ".pgm", ".ppm"}
)
AUDIO_EXTENSIONS = frozenset(
    {".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff", ".au", ".w64", ".caf"}
)
EXTENSIONS: dict[Modality, frozenset[str]] = {"image": IMAGE_EXTENSIONS, "audio": AUDIO_EXTENSIONS}


def iter_files(root: Path, modality: Modality) -> Iterator[Path]:
    """Yield the media files of one modality below `root`, in a stable (sorted) order."""
    extensions = EXTENSIONS[modality]
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() in extensions and path.is_file():
            yield path
