"""JAFFE: `KA.AN1.39.tiff`, subject.EMOTION+n.id.

Codes AN anger, DI disgust, FE fear, HA happy, NE neutral, SA sad, SU surprise. Ten subjects,
which are the groups. Faces are not tightly cropped: a detector must find them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.named import coded_name_parser, scan_named
from emotion.datasets.records import Record

NAME = "jaffe"
EMOTION_CODES = {
    "AN": "anger",
    "DI": "disgust",
    "FE": "fear",
    "HA": "happy",
    "NE": "neutral",
    "SA": "sad",
    "SU": "surprise",
}
parse_name = coded_name_parser(
    re.compile(r"^(?P<group>[A-Z]{2})\.(?P<code>[A-Z]{2})\d*\.\d+$"), EMOTION_CODES
)


def scan(root: Path) -> Iterator[Record]:
    """Yield JAFFE images."""
    return scan_named(iter_files(root, "image"), "image", NAME, parse_name)
