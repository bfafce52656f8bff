"""CK+48: `anger/S005_001_00000011.png`, folder per emotion, subject_sequence_frame.

Folders anger, contempt, disgust, fear, happy, sadness, surprise; contempt is not one of the
seven and is dropped. CK+48 has no neutral. The subject is the group (three frames of each
sequence must stay on one side of a split).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.folders import scan_folders
from emotion.datasets.records import Record

NAME = "ckplus48"


def scan(root: Path) -> Iterator[Record]:
    """Yield CK+48 images grouped by subject."""
    for record in scan_folders(root, "image", NAME):
        yield dataclasses.replace(record, group=record.path.stem.split("_", 1)[0])
