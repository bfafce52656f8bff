"""JAFFE: `KA.AN1.39.tiff`, subject.EMOTION+n.id.

Codes AN anger, DI disgust, FE fear, HA happy, NE neutral, SA sad, SU surprise. Ten subjects,
which are the groups. Faces are not tightly cropped: a detector must find them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.named import ParsedName, scan_named
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
_PATTERN = re.compile(r"^(?P<subject>[A-Z]{2})\.(?P<code>[A-Z]{2})\d*\.\d+$")


def parse_name(path: Path) -> ParsedName | None:
    """Read the subject and expression out of a JAFFE file name."""
    match = _PATTERN.match(path.stem)
    if match is None or match["code"] not in EMOTION_CODES:
        return None
    return ParsedName(
        source_label=match["code"], label=EMOTION_CODES[match["code"]], group=match["subject"]
    )


def scan(root: Path) -> Iterator[Record]:
    """Yield JAFFE images."""
    return scan_named(iter_files(root, "image"), "image", NAME, parse_name)
