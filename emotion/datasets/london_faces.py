"""Face Research Lab London Set: `neutral_front/NNN_03.jpg` and `smiling_front/NNN_08.jpg`.

The same 102 adults photographed front-on in colour, once neutral and once smiling (-> happy).
`NNN` is the subject, the group: both photos of a person stay on one side of a split.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.records import Record

NAME = "london_faces"
FOLDERS = {"neutral_front": "neutral", "smiling_front": "happy"}


def scan(root: Path) -> Iterator[Record]:
    """Yield the neutral and smiling photos, grouped by subject."""
    for path in iter_files(root, "image"):
        folder = path.parent.name
        if folder in FOLDERS:
            yield Record(
                dataset=NAME,
                modality="image",
                path=path,
                source_label=folder,
                label=FOLDERS[folder],
                group=path.stem.split("_", 1)[0],
            )
