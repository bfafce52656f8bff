"""SAVEE: `DC_a01.wav` (flat, as commonly shared) or `DC/a01.wav` (the original AudioData tree).

Speakers DC, JE, JK, KL; emotion codes a anger, d disgust, f fear, h happy, n neutral, sa sad,
su surprise. The speaker is the group.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.named import ParsedName, scan_named
from emotion.datasets.records import Record

NAME = "savee"
EMOTION_CODES = {
    "a": "anger",
    "d": "disgust",
    "f": "fear",
    "h": "happy",
    "n": "neutral",
    "sa": "sad",
    "su": "surprise",
}
_PATTERN = re.compile(r"^(?:(?P<speaker>[A-Za-z]{2})_)?(?P<code>sa|su|a|d|f|h|n)\d+$")


def parse_name(path: Path) -> ParsedName | None:
    """Read the speaker (from the name or its folder) and emotion out of a SAVEE file name."""
    match = _PATTERN.match(path.stem)
    if match is None:
        return None
    speaker = match["speaker"] or path.parent.name
    return ParsedName(
        source_label=match["code"],
        label=EMOTION_CODES[match["code"]],
        group=speaker.upper(),
    )


def scan(root: Path) -> Iterator[Record]:
    """Yield SAVEE clips (any audio extension)."""
    return scan_named(iter_files(root, "audio"), "audio", NAME, parse_name)
